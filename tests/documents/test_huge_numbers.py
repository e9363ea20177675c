"""A number beyond what an indicator holds, uploaded on the import page: the draft keeps it as
text (no 500, no Infinity in the stored result), and a result the database refuses leaves no
file behind in files/drafts/."""

import json
import math

import pytest
from django.urls import reverse

from duban.documents import forms
from duban.documents.models import ImportDraft

from .test_import_views import txt, upload

PLAN = "白沙市2026年科技工作要点\n\n一、科技创新\n\n1. 高新技术企业总数达到{n}家，研发投入达到12.5亿元。\n"


def _files(storage):
    return [p for p in storage.rglob("*") if p.is_file()] if storage.exists() else []


@pytest.mark.parametrize("digits", [400, 30])
def test_a_huge_number_is_text_in_the_draft(office, storage, digits):
    huge = "9" * digits
    response = upload(office, txt("plan.txt", PLAN.format(n=huge)))
    assert response.status_code == 200
    draft = ImportDraft.objects.get(name="plan.txt")
    json.dumps(draft.result, allow_nan=False)  # strict JSON: no Infinity
    indicators = [i for item in draft.result["items"] for i in item["indicators"]]
    assert [(i["value"], i["unit"]) for i in indicators] == [(12.5, "亿元")]
    assert huge in draft.result["text"]
    assert len(_files(storage)) == 1
    preview = office.get(draft.get_absolute_url())
    assert preview.status_code == 200 and huge in preview.content.decode()
    confirm = office.post(reverse("documents:confirm", args=[draft.pk]))
    assert confirm.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "imported"


def test_a_result_the_database_refuses_leaves_no_orphan_file(office, storage, monkeypatch):
    real = forms.extract_isolated

    def with_infinity(data, name):
        result = real(data, name=name)
        result["items"][-1]["indicators"][0]["value"] = math.inf
        return result

    monkeypatch.setattr(forms, "extract_isolated", with_infinity)
    response = upload(office, txt("plan.txt", PLAN.format(n="1260")))
    assert response.status_code == 400
    assert "无法保存提取结果" in response.content.decode()
    assert not ImportDraft.objects.exists()
    assert _files(storage) == []
