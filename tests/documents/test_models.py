import re

import pytest
from django.core.exceptions import ValidationError

from duban.documents.models import SourceDocument, with_source_cuts
from duban.targets.models import Target


def test_excerpt_marks_the_span_with_its_line(document):
    start = document.text.index("高新技术企业")
    end = document.text.index("。", start) + 1
    target = Target(year=2026, text="x", source_document=document, span_start=start, span_end=end)
    excerpt = target.source_excerpt()
    assert excerpt.selected == "高新技术企业总数达到300家。"
    assert excerpt.before == "1."
    assert excerpt.after == ""
    assert target.source_text == excerpt.selected


def test_excerpt_without_a_source_is_none(db):
    assert Target(year=2026, text="手工登记").source_excerpt() is None


@pytest.mark.parametrize(
    "start,end,message",
    [
        (5, None, "同时给出起点和终点"),
        (10, 5000, "超出了来源文件的范围"),
        (10, 5, "超出了来源文件的范围"),
    ],
)
def test_spans_must_lie_within_the_document(document, start, end, message):
    target = Target(year=2026, text="x", source_document=document, span_start=start, span_end=end)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert message in str(error.value)


def test_span_needs_a_document(db):
    target = Target(year=2026, text="x", span_start=0, span_end=1)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "必须指明来源文件" in str(error.value)


def test_period_format_is_checked(document):
    document.period = "2022年一季度"
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "期次格式" in str(error.value)
    document.period = "2022-Q1"
    document.full_clean()


def test_same_file_cannot_be_stored_twice(document):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SourceDocument.objects.create(
            name="copy.txt", format="txt", sha256=document.sha256, text=document.text
        )


def _long_document():
    paragraphs = [f"第{n}段。" + "推进科技创新工作，" * (n % 7 + 1) for n in range(1, 60)]
    text = "\n\n".join(paragraphs) + "\n" + "最后一行没有换行结束" * 30
    return SourceDocument.objects.create(
        name="长文.txt", format="txt", sha256="c" * 64, genre="plan", text=text
    )


@pytest.mark.parametrize("where", ["start", "early", "middle", "line end", "end"])
def test_excerpts_cut_by_the_database_equal_those_cut_in_python(db, where):
    document = _long_document()
    text = document.text
    start = {
        "start": 0,
        "early": 30,
        "middle": text.index("第30段"),
        "line end": text.index("第59段"),
        "end": len(text) - 12,
    }[where]
    end = min(len(text), start + 12)
    target = Target.objects.create(
        year=2026, text="x", source_document=document, span_start=start, span_end=end
    )
    plain = Target.objects.get(pk=target.pk)
    cut = with_source_cuts(Target.objects.filter(pk=target.pk), excerpt=True).get()
    assert cut.source_text == plain.source_text == text[start:end]
    assert cut.source_excerpt() == plain.source_excerpt()


def test_the_target_page_never_reads_a_whole_document(client, office_user, document):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = document.text.index("高新技术企业")
    target = Target.objects.create(
        year=2026, text="x", source_document=document, span_start=start, span_end=start + 6
    )
    client.force_login(office_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/targets/{target.pk}/").content.decode()
    assert "高新技术企业" in page
    # Cut by functions of the database (SUBSTR, LENGTH) but never selected as a column.
    whole = re.compile(r'(SELECT|,)\s*"documents_sourcedocument"\."text"\s*(,|FROM)')
    assert [q["sql"] for q in queries if whole.search(q["sql"])] == []
