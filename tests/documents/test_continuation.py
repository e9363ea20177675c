"""One target through every document: the Q1 table of seed 003, then a Q2 table written from it,
a corrected Q2, a table that leaves a task out, next year's round of 持续推进 tasks; and the
five seeds starting the loop (levels, deadlines, answers, 办结)."""

import pytest

from duban.audit.models import AuditEvent
from duban.documents.importing import ImportError_, import_extraction
from duban.extraction.extract import extract
from duban.reports.ledgers.export import export_ledger
from duban.targets.comparisons import conflicts_for
from duban.targets.lights import Light
from duban.targets.models import Milestone, ProgressReport, SourceCategory, Target
from duban.targets.periods import Period

from ..reports.ledger_checks import xlsx_sheet

NUMBERS = ["43", "45", "46", "48", "49", "50", "52", "53", "54"]


def seed_text(seeds_dir, prefix) -> str:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def second_quarter(q1: str, drop: str | None = None) -> str:
    """The same table for Q2: its title and header name the second quarter, and the answers
    are new (row 53 is now complete)."""
    q2 = q1.replace("第一季度", "第二季度").replace("第1季度目标", "第2季度目标")
    q2 = q2.replace("\t未完成\n", "\t完成\n").replace("制定印发了", "二季度已印发")
    if drop is not None:
        start = q2.index(f"\t{drop}\n")
        end = q2.index("\n\n\t", start) + 2
        q2 = q2[:start] + q2[end:]
    return q2


def import_text(text: str, name: str, **options):
    data = text.encode("utf-8")
    result = extract(data, name=name)
    if options:
        result["options"] = options
    return import_extraction(result, file_bytes=data)


@pytest.fixture
def q1(db, seeds_dir):
    text = seed_text(seeds_dir, "003")
    outcome = import_text(text, "003-q1.txt")
    assert len(outcome.created) == 9
    return text


def work_report_targets():
    return Target.objects.filter(source_category=SourceCategory.WORK_REPORT, year=2022)


def test_a_second_quarter_continues_the_nine_targets_with_a_second_answer(q1):
    outcome = import_text(second_quarter(q1), "003-q2.txt")
    assert outcome.created == [] and len(outcome.continued) == 9
    assert "延续已有目标 9 项" in outcome.summary
    assert work_report_targets().count() == 9
    for target in work_report_targets():
        periods = sorted(target.reports.values_list("period", flat=True))
        assert periods == ["2022-Q1", "2022-Q2"], target.number
        assert sorted(target.milestones.values_list("period", flat=True)) == periods
    row53 = work_report_targets().get(number="53")
    answers = {r.period: r.is_complete for r in row53.reports.all()}
    assert answers == {"2022-Q1": False, "2022-Q2": True}
    # 完成 completes the quarter's milestone, not the target.
    assert row53.state == Target.State.REGISTERED
    # The annual figures printed again in Q2 are not stored twice.
    row43 = work_report_targets().get(number="43")
    goals = [(i.subject, i.value) for i in row43.indicators.filter(kind="target")]
    assert len(goals) == len(set(goals))


def test_the_q1_and_q2_ledgers_each_print_their_own_answers(q1):
    import_text(second_quarter(q1), "003-q2.txt")
    printed = {}
    for period in ("2022-Q1", "2022-Q2"):
        result = export_ledger(
            work_report_targets(), "progress", "xlsx", period=Period.parse(period)
        )
        rows, _merges, _sheet = xlsx_sheet(result.content)
        body = [r for r in rows if r and r[0] in NUMBERS]
        assert [r[0] for r in body] == NUMBERS, period
        printed[period] = {r[0]: r for r in body}
    assert printed["2022-Q1"]["53"][3] == "未完成"
    assert printed["2022-Q2"]["53"][3] == "完成"
    assert "制定印发了" in printed["2022-Q1"]["43"][4]
    assert "二季度已印发" in printed["2022-Q2"]["43"][4]


def test_a_corrected_table_replaces_that_periods_answer_and_the_trail_says_so(q1):
    import_text(second_quarter(q1), "003-q2.txt")
    corrected = second_quarter(q1).replace("二季度已印发", "二季度更正后印发")
    outcome = import_text(corrected, "003-q2-corrected.txt")
    assert outcome.created == []
    row43 = work_report_targets().get(number="43")
    q2 = row43.reports.get(period="2022-Q2")
    assert "二季度更正后印发" in q2.progress
    assert row43.reports.filter(period="2022-Q2").count() == 1
    event = AuditEvent.objects.filter(object_id=str(q2.pk), summary__contains="更正").get()
    assert "二季度已印发" in str(event.before) and "二季度更正后印发" in str(event.after)


def test_a_table_that_leaves_a_task_out_leaves_it_untouched(q1):
    outcome = import_text(second_quarter(q1, drop="49"), "003-q2-short.txt")
    assert len(outcome.continued) == 8
    assert [t.number for t in outcome.untouched] == ["49"]
    assert "未涉及 1 项" in outcome.summary
    row49 = work_report_targets().get(number="49")
    assert list(row49.reports.values_list("period", flat=True)) == ["2022-Q1"]


def test_an_import_that_fails_leaves_every_target_as_it_was(q1, monkeypatch):
    before = list(ProgressReport.objects.values_list("pk", "period", "progress").order_by("pk"))

    def broken(self):
        raise ImportError_("测试：写入数字时失败")

    monkeypatch.setattr("duban.documents.importing._Importer._store_indicators", broken)
    with pytest.raises(ImportError_):
        import_text(second_quarter(q1), "003-q2.txt")
    after = list(ProgressReport.objects.values_list("pk", "period", "progress").order_by("pk"))
    assert after == before
    assert not Milestone.objects.filter(period="2022-Q2").exists()


def test_the_office_may_make_a_matched_item_new(q1):
    data = second_quarter(q1).encode()
    result = extract(data, name="q2.txt")
    row43 = next(i for i in result["items"] if i.get("number") == "43")
    row43["match"] = "new"
    outcome = import_extraction(result, file_bytes=data)
    assert len(outcome.created) == 1 and len(outcome.continued) == 8
    assert work_report_targets().filter(number="43").count() == 2


def test_two_items_on_one_target_need_a_choice(q1):
    data = second_quarter(q1).encode()
    result = extract(data, name="q2.txt")
    target = work_report_targets().get(number="43")
    for item in result["items"][:2]:
        item["match"] = str(target.pk)
    with pytest.raises(ImportError_, match="同一个已有目标"):
        import_extraction(result, file_bytes=data)
    assert not ProgressReport.objects.filter(period="2022-Q2").exists()


def test_answers_may_be_left_for_review(db, seeds_dir):
    import_text(seed_text(seeds_dir, "003"), "003.txt", answers="submitted")
    states = set(ProgressReport.objects.values_list("review_state", flat=True))
    assert states == {ProgressReport.Review.SUBMITTED}


def test_ongoing_tasks_continue_next_year_as_their_own_round(db, seeds_dir):
    text = seed_text(seeds_dir, "000")
    import_text(text, "000.txt")
    ongoing = Target.objects.filter(year=2020, deadline_text="持续推进")
    assert ongoing.count() == 5
    next_year = text.replace("2020", "2021").replace("\t办结\n", "\t持续推进\n")
    outcome = import_text(next_year, "000-2021.txt")
    assert len(outcome.carried) == 5
    for target in Target.objects.filter(year=2021, carried_from__isnull=False):
        assert target.carried_from.deadline_text == "持续推进"
        assert target.carried_from.year == 2020
    assert "结转上年度 5 项" in outcome.summary


# --- the five seeds start the loop ------------------------------------------------------------


@pytest.fixture
def five(db, seeds_dir):
    return {
        prefix: import_text(seed_text(seeds_dir, prefix), f"{prefix}.txt", lead_unit="市科技局")
        for prefix in ("000", "001", "002", "003", "004")
    }


def test_headings_are_not_targets_and_points_are_sub_targets(five):
    plan_2020 = Target.objects.filter(source_document=five["001"].document)
    assert plan_2020.count() == 21 and not plan_2020.filter(parent__isnull=False).exists()
    assert sorted(int(t.number) for t in plan_2020) == list(range(1, 22))
    plan_2022 = Target.objects.filter(source_document=five["002"].document)
    roots = plan_2022.filter(parent__isnull=True)
    assert roots.count() == 13  # the 主要工作目标 paragraph and the twelve numbered items
    assert plan_2022.filter(parent__isnull=False).count() == 53
    assert all(c.parent.number for c in plan_2022.filter(parent__isnull=False))
    assert five["002"].sub_targets == 53


def test_every_task_has_a_deadline_except_the_ongoing_ones(five):
    roots = Target.objects.filter(parent__isnull=True)
    undated = roots.filter(deadline__isnull=True)
    assert set(undated.values_list("deadline_text", flat=True)) == {"持续推进"}
    assert undated.count() == 5
    row43 = Target.objects.get(number="43", year=2022)
    assert (row43.deadline_text, str(row43.deadline)) == ("年内", "2022-12-31")
    goal = Target.objects.filter(source_category=SourceCategory.BUSINESS_GOAL).first()
    assert str(goal.deadline) == "2021-12-31"


def test_every_task_has_a_lead_unit_from_its_document_or_the_default(five):
    roots = Target.objects.filter(parent__isnull=True)
    assert not roots.filter(lead_unit__isnull=True).exists()
    assert {t.lead_unit.name for t in roots} == {"市科技局"}


def test_the_documents_answers_are_accepted_and_printed_closures_close(five):
    reports = ProgressReport.objects.all()
    assert reports.count() == 20
    assert set(reports.values_list("review_state", flat=True)) == {"accepted"}
    commitments = Target.objects.filter(source_document=five["000"].document).with_lights()
    closed = commitments.filter(state=Target.State.CLOSED)
    assert closed.count() == 6 and five["000"].closed == 6
    assert {t.light for t in closed} == {Light.DONE}
    complete = ProgressReport.objects.filter(period="2022-Q1", is_complete=True).count()
    assert complete == 8


def test_a_plan_and_a_work_report_task_are_one_commitment_with_two_figures(five):
    row45 = Target.objects.get(number="45", year=2022)
    linked = list(row45.linked.all())
    assert [t.source_category for t in linked] == [SourceCategory.WORK_PLAN]
    assert "扩量提质" in linked[0].text
    row43 = Target.objects.get(number="43", year=2022)
    messages = [c.message for c in conflicts_for(row43)]
    assert any("1200" in m and "1260" in m for m in messages), messages


def test_the_merged_ledger_prints_co_units_in_the_order_the_table_names_them(db, seeds_dir):
    from duban.organisations.models import Organisation

    # The office registered these units in another order than row 45 names them.
    for name in ("市人力资源社会保障局", "市工业和信息化局", "市发展改革委"):
        Organisation.objects.create(name=name)
    import_text(seed_text(seeds_dir, "003"), "003.txt")
    result = export_ledger(
        work_report_targets(), "progress", "xlsx", period=Period.parse("2022-Q1")
    )
    rows, _merges, _sheet = xlsx_sheet(result.content)
    (row45,) = [r for r in rows if r and r[0] == "45"]
    assert row45[-1].split("\n") == [
        "市科技局",
        "市发展改革委",
        "市工业和信息化局",
        "市人力资源社会保障局",
    ]
