"""The five real seed documents, extracted and imported into the database."""

import pytest

from duban.documents.importing import import_extraction
from duban.documents.models import SourceDocument
from duban.extraction.extract import extract
from duban.targets.comparisons import conflicts_for
from duban.targets.models import Indicator, Milestone, ProgressReport, SourceCategory, Target


def import_seed(seeds_dir, prefix):
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    data = path.read_bytes()
    return import_extraction(extract(data, name=path.name), file_bytes=data)


@pytest.fixture
def all_seeds(db, seeds_dir, file_storage):
    return {
        prefix: import_seed(seeds_dir, prefix) for prefix in ("000", "001", "002", "003", "004")
    }


def test_quarterly_table_gives_targets_units_leaders_milestones_and_reports(all_seeds):
    document = all_seeds["003"].document
    targets = Target.objects.filter(source_document=document).order_by("id")
    assert [t.number for t in targets] == ["43", "45", "46", "48", "49", "50", "52", "53", "54"]
    assert {t.source_category for t in targets} == {SourceCategory.WORK_REPORT}
    assert {t.year for t in targets} == {2022}
    assert {t.leader.name for t in targets} == {"宋振波"}
    assert {t.lead_unit.name for t in targets} == {"市科技局"}
    row45 = targets.get(number="45")
    assert "市人力资源社会保障局" in {u.name for u in row45.co_units.all()}
    assert Milestone.objects.filter(target__in=targets, period="2022-Q1").count() == 9
    reports = ProgressReport.objects.filter(target__in=targets, period="2022-Q1")
    assert reports.count() == 9
    assert reports.get(target__number="53").is_complete is False
    row54 = reports.get(target__number="54")
    assert row54.is_complete is True and row54.reason == "是"
    assert row54.flags() == ["已标为完成，但“未完成原因”填写了“是”"]
    for target in targets:
        assert target.source_text.strip(), target


def test_commitments_are_public_and_carry_their_source(all_seeds):
    targets = Target.objects.filter(source_document=all_seeds["000"].document)
    assert targets.count() == 11
    assert all(t.is_public and t.source_category == SourceCategory.COMMITMENT for t in targets)
    assert {t.source_label for t in targets} == {"省直重点任务公开承诺事项"}


def test_business_goals_keep_category_and_benchmark(all_seeds):
    targets = Target.objects.filter(source_document=all_seeds["004"].document)
    categories = list(targets.order_by("id").values_list("category", flat=True))
    assert categories == ["重点目标"] * 7 + ["创优目标"] * 2
    assert all(t.benchmark for t in targets if t.category == "创优目标")
    assert not any(t.benchmark for t in targets if t.category == "重点目标")


def test_summary_and_plan_in_one_page(all_seeds):
    document = all_seeds["002"].document
    plan_targets = Target.objects.filter(source_document=document)
    assert plan_targets.exists()
    assert {t.year for t in plan_targets} == {2022}
    achievements = Indicator.objects.filter(source_document=document, target__isnull=True)
    assert achievements.filter(kind="actual", year=2021, value=1027, unit="家").exists()


def test_two_sources_for_2022_disagree_and_are_flagged(all_seeds):
    row43 = Target.objects.get(source_document=all_seeds["003"].document, number="43")
    messages = [c.message for c in conflicts_for(row43)]
    assert any("1200家" in m and "1260家" in m for m in messages), messages


def test_importing_the_seeds_again_changes_nothing(all_seeds, seeds_dir):
    counts = (SourceDocument.objects.count(), Target.objects.count(), Indicator.objects.count())
    again = import_seed(seeds_dir, "003")
    assert again.already_imported
    assert (
        SourceDocument.objects.count(),
        Target.objects.count(),
        Indicator.objects.count(),
    ) == counts
