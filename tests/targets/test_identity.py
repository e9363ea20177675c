"""What makes two mentions one target: numbering, the meaning of the text, one-to-one."""

import pytest

from duban.targets.identity import (
    TEXT_THRESHOLD,
    Candidate,
    Mention,
    best_link,
    match_mentions,
    normalise,
    similarity,
)

WORK_REPORT = "work_report"
PLAN = "work_plan"

TASKS = {
    "21": "实施科技型企业梯次培育行动，年内科技型中小企业、高新技术企业分别达到900家、420家。",
    "22": "推进青溪实验室建设，新增省级以上创新平台8家以上。",
    "23": "支持青溪高新区争创国家级高新区。",
    "24": "推动青溪国家农业科技园区建设，引进农业科技企业10家。",
    "25": "深化与青溪大学、青溪职业技术学院的校城融合发展。",
}


def stored(tasks=TASKS, source=WORK_REPORT):
    return [
        Candidate(pk=n, text=text, number=number, source_category=source, year=2026)
        for n, (number, text) in enumerate(tasks.items(), start=100)
    ]


def mention(key, text, number="", source=WORK_REPORT, category=""):
    return Mention(key=key, text=text, number=number, source_category=source, category=category)


def pk_of(number):
    return 100 + list(TASKS).index(number)


def test_normalising_drops_punctuation_spaces_breaks_brackets_and_width():
    assert normalise("《青溪市 科技\n创新条例》，（试行）") == "青溪市科技创新条例试行"
    assert normalise("ＡＢＣ１２３％") == normalise("abc123%".replace("%", "")) == "abc123"
    assert normalise("“扩量提质”工程") == normalise('"扩量提质" 工程')
    assert normalise("推进[bookmark: _GoBack]建设") == "推进建设"


def test_similarity_is_one_for_the_same_text_and_survives_small_edits_and_reordering():
    text = TASKS["21"]
    assert similarity(text, text) == 1.0
    drifted = text.replace("，", ",").replace("。", "") + "\n"
    assert similarity(text, drifted) == 1.0
    edited = text.replace("420家", "450家")
    assert similarity(text, edited) > 0.9
    reordered = "年内科技型中小企业、高新技术企业分别达到900家、420家，实施科技型企业梯次培育行动。"
    assert similarity(text, reordered) > 0.85
    assert similarity(text, TASKS["23"]) < 0.3
    assert similarity("", text) == 0.0


def test_numbered_rows_of_the_next_quarter_continue_their_targets_in_any_order():
    rows = [mention(f"r{n}", TASKS[n], number=n) for n in reversed(list(TASKS))]
    matching = match_mentions(rows, stored())
    for n in TASKS:
        found = matching.get(f"r{n}")
        assert found is not None and found.by_number, n
        assert found.candidate.pk == pk_of(n)


def test_unnumbered_items_match_by_meaning_despite_drifted_punctuation_and_order():
    rows = [
        mention("a", TASKS["23"].replace("。", "")),
        mention("b", "推进青溪实验室建设；新增省级以上创新平台8家以上"),
        mention("c", TASKS["21"].replace("，", " ").replace("、", "，")),
    ]
    matching = match_mentions(rows, stored())
    assert matching.get("a").candidate.pk == pk_of("23")
    assert matching.get("b").candidate.pk == pk_of("22")
    assert matching.get("c").candidate.pk == pk_of("21")
    assert all(not m.by_number for m in matching.matches.values())


def test_a_table_that_leaves_a_task_out_matches_the_others_and_proposes_nothing_new():
    rows = [mention(n, TASKS[n], number=n) for n in ("21", "22", "24", "25")]
    matching = match_mentions(rows, stored())
    assert {m.candidate.pk for m in matching.matches.values()} == {
        pk_of(n) for n in ("21", "22", "24", "25")
    }
    assert pk_of("23") not in {m.candidate.pk for m in matching.matches.values()}


def test_a_new_task_is_not_forced_onto_an_old_one():
    rows = [mention("new", "建设青溪科技大市场，全年技术合同成交额达到30亿元。", number="26")]
    matching = match_mentions(rows, stored())
    assert matching.get("new") is None
    assert all(alt.score < TEXT_THRESHOLD for alt in matching.alternatives["new"])


def test_two_similar_but_different_tasks_do_not_merge():
    green = "推动青溪国家农业科技园区建设。"
    candidates = [
        Candidate(pk=1, text="推动青溪国家农业科技园区建设。", source_category=PLAN),
        Candidate(pk=2, text="推动白沙国家农业科技园区建设。", source_category=PLAN),
    ]
    rows = [
        mention("white", "推动白沙国家农业科技园区建设。", source=PLAN),
        mention("green", green, source=PLAN),
    ]
    matching = match_mentions(rows, candidates)
    assert matching.get("green").candidate.pk == 1
    assert matching.get("white").candidate.pk == 2
    # And each existing target is taken once: a second mention of one target stays new.
    twice = match_mentions(
        [mention("x", green, source=PLAN), mention("y", green, source=PLAN)],
        candidates[:1],
    )
    assert len(twice.matches) == 1


def test_a_number_is_only_trusted_within_its_source_and_category_and_with_related_text():
    # Another source numbers its items 21, 22 … too.
    plan_rows = [mention("p", "全面加强机关党的建设。", number="21", source=PLAN)]
    assert match_mentions(plan_rows, stored()).get("p") is None
    # A goal table numbers 重点目标 and 创优目标 separately.
    goals = [
        Candidate(
            pk=1, text="强化科技人才引进", number="1", source_category="g", category="重点目标"
        ),
        Candidate(
            pk=2, text="深化科技管理改革", number="1", source_category="g", category="创优目标"
        ),
    ]
    rows = [
        mention("k", "强化科技人才引进", number="1", source="g", category="重点目标"),
        mention("c", "深化科技管理改革", number="1", source="g", category="创优目标"),
    ]
    matching = match_mentions(rows, goals)
    assert (matching.get("k").candidate.pk, matching.get("c").candidate.pk) == (1, 2)
    # A renumbered table: the same number on an unrelated text is no match.
    renumbered = [mention("r", "建设青溪科技大市场，引进技术转移机构5家。", number="23")]
    assert match_mentions(renumbered, stored()).get("r") is None


def test_a_corrected_table_matches_every_row_again():
    corrected = dict(TASKS, **{"22": TASKS["22"].replace("8家", "9家")})
    rows = [mention(n, text, number=n) for n, text in corrected.items()]
    matching = match_mentions(rows, stored())
    assert {k: m.candidate.pk for k, m in matching.matches.items()} == {n: pk_of(n) for n in TASKS}


def test_alternatives_are_offered_best_first():
    rows = [mention("a", TASKS["24"])]
    alternatives = match_mentions(rows, stored()).alternatives["a"]
    assert alternatives[0].candidate.pk == pk_of("24")
    assert [a.score for a in alternatives] == sorted((a.score for a in alternatives), reverse=True)


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # A plan point that names the same project as the work-report task.
        ("二是实施企业创新平台“扩量提质”工程。推进青溪实验室建设，加快布局一批平台。", True),
        # Stock phrases of office prose are shared by unrelated tasks.
        ("培育科技型中小企业，落实全面从严治党主体责任。", False),
    ],
)
def test_a_plan_item_and_a_task_of_another_source_that_say_the_same_thing_are_linked(text, linked):
    task = Candidate(
        pk=7,
        text="实施企业创新平台“扩量提质”工程，推进青溪实验室建设，新增省级以上创新平台8家以上。",
        number="22",
        source_category=WORK_REPORT,
    )
    found = best_link(mention("p", text, source=PLAN), [task])
    assert (found is not None) == linked
    # Never within one source: that would be a continuation, not a link.
    assert best_link(mention("q", text, source=WORK_REPORT), [task]) is None
