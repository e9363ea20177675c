from decimal import Decimal

import pytest

from duban.documents.models import SourceDocument
from duban.targets.comparisons import (
    achievements_for,
    conflicts_for,
    same_subject,
    subject_key,
)
from duban.targets.models import Indicator


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("高新技术企业", "全市高新技术企业数量", True),
        ("科技型中小企业", "国家科技型中小企业", True),
        ("高新技术企业", "科技型中小企业", False),
        ("企业", None, False),
        ("", "", False),
    ],
)
def test_subjects_match_across_wordings(a, b, same):
    assert same_subject(a, b) is same


def test_subject_key_drops_scope_and_count_words():
    assert subject_key("全市高新技术企业总量") == "高新技术企业"


def document(name, text="x" * 50):
    return SourceDocument.objects.create(
        name=name, title=name, format="txt", sha256=name.ljust(64, "0"), text=text
    )


def figure(
    target,
    doc,
    value,
    kind="target",
    subject="高新技术企业",
    comparator="=",
    measure="total",
    year=2022,
):
    return Indicator.objects.create(
        target=target,
        source_document=doc,
        span_start=0,
        span_end=4,
        subject=subject,
        kind=kind,
        measure=measure,
        comparator=comparator,
        value=Decimal(value),
        unit="家",
        year=year,
    )


def test_two_sources_with_different_figures_are_flagged(make_target):
    quarterly, plan = document("季度完成情况表"), document("工作要点")
    ours = make_target(year=2022)
    theirs = make_target(year=2022)
    figure(ours, quarterly, 1200)
    figure(theirs, plan, 1260)
    (conflict,) = conflicts_for(ours)
    assert conflict.theirs.value == 1260
    assert "本目标为 1200家" in conflict.message and "《工作要点》为 1260家" in conflict.message
    assert len(conflicts_for(theirs)) == 1


def test_agreeing_or_unrelated_figures_are_not_conflicts(make_target):
    a, b = document("甲"), document("乙")
    ours, theirs, other = make_target(), make_target(), make_target()
    figure(ours, a, 1200)
    figure(theirs, b, 1200)
    figure(other, b, 900, subject="科技型中小企业")
    figure(other, b, 1300, year=2023)
    figure(other, b, 50, measure="increase")
    assert conflicts_for(ours) == []


def test_achievement_is_computed_against_the_goal(make_target):
    plan, summary = document("要点"), document("总结")
    target = make_target(year=2021)
    figure(target, plan, 1100, comparator=">=", year=2021)
    Indicator.objects.create(
        target=None,
        source_document=summary,
        span_start=0,
        span_end=4,
        subject="全市高新技术企业总量",
        kind="actual",
        measure="total",
        comparator="=",
        value=Decimal(1027),
        unit="家",
        year=2021,
    )
    (achievement,) = achievements_for(target)
    assert achievement.actual.value == 1027
    assert not achievement.met
    assert round(achievement.ratio, 3) == Decimal("0.934")


def test_the_targets_own_report_wins_and_ranks_are_met_from_below(make_target):
    other_doc, own_doc = document("别处"), document("本目标报送")
    target = make_target()
    figure(target, own_doc, 3, measure="rank", comparator="<=")
    figure(None, other_doc, 5, kind="actual", measure="rank")
    figure(target, own_doc, 2, kind="actual", measure="rank")
    (achievement,) = achievements_for(target)
    assert achievement.actual.value == 2
    assert achievement.met
    assert achievement.ratio is None


def test_target_page_shows_conflicts_and_achievements(client, office_user, make_target):
    quarterly, plan = document("季度完成情况表"), document("工作要点")
    ours, theirs = make_target(year=2022), make_target(year=2022)
    figure(ours, quarterly, 1200)
    figure(theirs, plan, 1260)
    figure(ours, quarterly, 1250, kind="actual")
    client.force_login(office_user)
    body = client.get(f"/targets/{ours.pk}/").content.decode()
    assert "来源不一致" in body and "1260家" in body
    assert "目标与完成" in body and "104%" in body and "已达到" in body
