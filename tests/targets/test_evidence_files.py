"""Evidence files leave the disk with their rows; `duban cleanup` removes orphan files."""

import io
import os
import time

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from duban.documents.models import ImportDraft
from duban.targets.models import Evidence, ProgressReport


def evidence(target, name="佐证.pdf", data=b"%PDF-1.4 evidence"):
    report = ProgressReport.objects.create(target=target, period="2026-Q2", progress="已完成")
    item = Evidence(report=report, name=name, size=len(data))
    item.file.save(name, ContentFile(data), save=True)
    return item


def test_deleting_a_report_removes_its_evidence_files(
    make_target, file_storage, django_capture_on_commit_callbacks
):
    item = evidence(make_target())
    path = file_storage / item.file.name
    assert path.is_file() and item.file.name.startswith("evidence/")
    with django_capture_on_commit_callbacks(execute=True):
        item.report.delete()
    assert not Evidence.objects.exists()
    assert not path.exists()


def test_deleting_a_target_or_one_evidence_removes_the_files(
    make_target, file_storage, django_capture_on_commit_callbacks
):
    first, second = evidence(make_target()), evidence(make_target())
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
        second.report.target.delete()
    assert not (file_storage / first.file.name).exists()
    assert not (file_storage / second.file.name).exists()


def test_a_rolled_back_deletion_keeps_the_file(make_target, file_storage):
    item = evidence(make_target())
    try:
        with transaction.atomic():
            item.report.delete()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert Evidence.objects.filter(pk=item.pk).exists()
    assert (file_storage / item.file.name).is_file()


def old(path, minutes=120):
    then = time.time() - minutes * 60
    os.utime(path, (then, then))


def cleanup(*args):
    out = io.StringIO()
    call_command("cleanup", *args, stdout=out)
    return out.getvalue()


def test_cleanup_removes_orphan_files_only(make_target, office_user, file_storage):
    kept = evidence(make_target())
    draft = ImportDraft(uploaded_by=office_user, name="a.txt", sha256="0" * 64, result={})
    draft.file.save("draft.txt", ContentFile(b"draft"), save=True)
    orphans = []
    for name in ("evidence/9/9/old.pdf", "drafts/gone.txt", "documents/2026/gone.docx"):
        path = file_storage / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"orphan")
        orphans.append(path)
    fresh = file_storage / "drafts" / "uploading.txt"
    fresh.write_bytes(b"being uploaded")  # its row may not be saved yet
    elsewhere = file_storage / "static.txt"
    elsewhere.write_bytes(b"not ours")
    for path in [*orphans, file_storage / kept.file.name, file_storage / draft.file.name]:
        old(path)

    dry = cleanup("--dry-run")
    assert all(p.exists() for p in orphans)
    assert dry.count("将删除") == 3 and "可删除无引用的文件 3 个" in dry

    out = cleanup()
    lines = out.splitlines()
    assert len(lines) == 4 and lines[-1].startswith("已删除无引用的文件 3 个")
    assert "已删除 drafts/gone.txt" in lines
    assert not any(p.exists() for p in orphans)
    assert (file_storage / kept.file.name).is_file()
    assert (file_storage / draft.file.name).is_file()
    assert fresh.exists() and elsewhere.exists()

    assert cleanup("--quiet").strip() == "已删除无引用的文件 0 个，共 0.0 KB"
    assert "已删除无引用的文件 1 个" in cleanup("--min-age", "0")
    assert not fresh.exists()


def test_cleanup_without_any_folder(db, file_storage):
    assert "0 个" in cleanup()
