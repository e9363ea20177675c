"""A split target's rolled-up light (ROLLUP_RULE: the most serious of its own and its
sub-targets') wherever lights are chosen or counted — the list's light filter, the ledgers
downloaded with it, the bulletin's counts (page and .docx) — and the reason of a target closed
although its last accepted report said 未完成, in the bulletin and the ledgers. 青溪市: a city
target of 市科技局 split across 云台县."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from duban.reports.overview import bulletin, exports
from duban.supervision import actions
from duban.targets.forms import TargetFilterForm
from duban.targets.lights import Light
from duban.targets.models import ProgressReport, Target
from duban.targets.periods import Period
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def split(qx, make_qx_target):
    """A green city target (due in sixty days) with one sub-target of 云台县 past its
    deadline (red), and a plain green target beside it."""
    parent = make_qx_target(text="全市新增科技型中小企业200家", days=60)
    sub = make_qx_target(
        text="云台县新增科技型中小企业120家",
        days=-3,
        parent=parent,
        decomposed=True,
        lead_unit=qx["yuntai"],
    )
    plain = make_qx_target(text="举办科技活动周", days=60)
    return parent, sub, plain


def test_the_rolled_up_light_is_the_worst_of_the_parent_and_its_sub_targets(split):
    parent, sub, plain = split
    lights = dict(Target.objects.with_rolled_up_lights().values_list("pk", "light"))
    rolled = dict(Target.objects.with_rolled_up_lights().values_list("pk", "rolled_up_light"))
    assert (lights[parent.pk], lights[sub.pk], lights[plain.pk]) == ("green", "red", "green")
    assert (rolled[parent.pk], rolled[sub.pk], rolled[plain.pk]) == ("red", "red", "green")
    # The same answer as the target page's rollup.
    assert parent.rollup()["light"] == rolled[parent.pk]
    # Closed sub-targets do not count: the parent is its own light again.
    Target.objects.filter(pk=sub.pk).update(state=Target.State.CLOSED)
    rolled = dict(Target.objects.with_rolled_up_lights().values_list("pk", "rolled_up_light"))
    assert (rolled[parent.pk], rolled[sub.pk]) == ("green", "done")
    # A sub-target that is only one of a plan item's points (not split off) does not count.
    Target.objects.filter(pk=sub.pk).update(state=Target.State.IN_PROGRESS, decomposed=False)
    rolled = dict(Target.objects.with_rolled_up_lights().values_list("pk", "rolled_up_light"))
    assert rolled[parent.pk] == "green"


def test_the_rolled_up_light_is_one_query(split, django_assert_num_queries):
    form = TargetFilterForm({"light": "red"}, targets=Target.objects.all())
    assert form.is_valid()
    with django_assert_num_queries(1):
        list(form.apply(Target.objects.with_lights()).values_list("pk", flat=True))


def _list_numbers(client, **query) -> list[str]:
    html = client.get("/targets/", query).content.decode()
    return [text for text in ("全市新增", "云台县新增", "举办科技活动周") if text in html]


def test_the_list_filters_a_split_target_by_its_rolled_up_light(client, split, qx_office):
    client.force_login(qx_office)
    # Red: the parent (rolled up) with its red sub-target under it.
    assert _list_numbers(client, light="red") == ["全市新增", "云台县新增"]
    # Green: only the plain target; the parent's own light is green, its rolled-up light not.
    assert _list_numbers(client, light="green") == ["举办科技活动周"]


def test_the_lists_light_counts_go_by_the_rolled_up_light(client, split, qx_office):
    """Top-level rows only: the parent (red, rolled up) and the plain target (green)."""
    client.force_login(qx_office)
    html = client.get("/targets/").content.decode()
    counts = dict(re.findall(r"(红灯|黄灯|绿灯)（[^）]*）：<strong>(\d+)</strong>", html))
    assert counts == {"红灯": "1", "黄灯": "0", "绿灯": "1"}


def test_the_parents_unit_finds_it_under_red_without_seeing_the_sub_target(
    client, split, qx_bureau
):
    """市科技局 leads the parent and sees only counts of the county's sub-target: the filter
    goes by the light its row shows, rolled up."""
    client.force_login(qx_bureau)
    assert _list_numbers(client, light="red") == ["全市新增"]
    assert _list_numbers(client, light="green") == ["举办科技活动周"]


def test_the_api_filters_a_split_target_by_its_rolled_up_light(split, qx_office):
    from tests.api.conftest import token_client

    api = token_client(qx_office)
    parent, sub, plain = split

    def ids(light):
        response = api.get("/targets", {"light": light, "page_size": 200})
        assert response.status_code == 200, response.content.decode()
        return {item["id"] for item in response.json()["items"]}

    assert ids("red") == {parent.pk, sub.pk}
    assert ids("green") == {plain.pk}


# --- ledgers ----------------------------------------------------------------------------


def _ledger(client, fmt, layout="progress", **query):
    response = client.get("/reports/ledgers/export/", {"layout": layout, "format": fmt, **query})
    assert response.status_code == 200, response.content.decode()
    return response.content


def _xlsx_text(content: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return "\n".join(
        str(value) for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return package.read("word/document.xml").decode()


TEXT_OF = {"xlsx": _xlsx_text, "docx": _docx_text}


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_ledger_of_the_red_targets_has_the_split_parent(client, split, qx_office, fmt):
    client.force_login(qx_office)
    red = TEXT_OF[fmt](_ledger(client, fmt, light="red"))
    assert "全市新增科技型中小企业200家" in red and "云台县新增科技型中小企业120家" in red
    assert "举办科技活动周" not in red
    green = TEXT_OF[fmt](_ledger(client, fmt, light="green"))
    assert "举办科技活动周" in green and "全市新增科技型中小企业200家" not in green


def _closed_with_reason(make_qx_target, office, text="建设云台县科技馆"):
    target = make_qx_target(text=text)
    ProgressReport.objects.create(
        target=target,
        period=str(Period.quarter_of(timezone.localdate())),
        unit=target.lead_unit,
        progress="主体完工，布展未完成",
        is_complete=False,
        reason="布展资金未到位",
        review_state=ProgressReport.Review.ACCEPTED,
        reviewed_at=timezone.now(),
    )
    actions.close(
        office,
        target,
        note="主体工程已完工",
        confirm_incomplete=True,
        reason="布展转入下年度专项推进",
    )
    return target


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("layout", ["progress", "commitments"])
def test_ledgers_show_the_reason_a_target_was_closed_incomplete(
    client, make_qx_target, qx_office, fmt, layout
):
    _closed_with_reason(make_qx_target, qx_office)
    make_qx_target(text="举办科技活动周")
    client.force_login(qx_office)
    text = TEXT_OF[fmt](_ledger(client, fmt, layout))
    assert "办结情况" in text
    assert "未完成即办结，理由：布展转入下年度专项推进" in text


def test_a_ledger_without_such_a_target_has_no_closing_column(client, make_qx_target, qx_office):
    make_qx_target(text="举办科技活动周")
    client.force_login(qx_office)
    assert "办结情况" not in _xlsx_text(_ledger(client, "xlsx"))


# --- the bulletin -----------------------------------------------------------------------


def test_the_bulletin_counts_a_split_target_by_its_rolled_up_light(split, qx_office):
    today = timezone.localdate()
    b = bulletin.build(qx_office, Period.quarter_of(today), today)
    assert b.light_counts == {"green": 1, "yellow": 0, "red": 2, "done": 0}
    assert "红灯2项、黄灯0项、绿灯1项" in b.summary()
    [table] = [t for t in exports.bulletin_tables(b) if t[0] == "红黄绿灯"]
    assert [row[1] for row in table[2]] == [1, 0, 2, 0, 3]


def test_a_bulletin_of_an_earlier_day_rolls_up_the_lights_of_that_day(split, qx_office):
    """Before the sub-target's deadline passed it was green: the parent was green then."""
    parent, sub, _plain = split
    Target.objects.filter(pk__in=[parent.pk, sub.pk]).update(created_at=timezone.now() - 30 * DAY)
    today = timezone.localdate()
    earlier = today - 10 * DAY
    period = Period.quarter_of(earlier)
    b = bulletin.build(qx_office, period, earlier)
    assert b.light_counts[Light.RED] == 0


def test_the_bulletin_page_and_docx_show_the_rolled_up_counts_and_closing_reasons(
    client, split, make_qx_target, qx_office
):
    _closed_with_reason(make_qx_target, qx_office)
    today = timezone.localdate()
    period = str(Period.quarter_of(today))
    client.force_login(qx_office)
    html = client.get("/reports/bulletin/", {"period": period}).content.decode()
    red_row = html.split('<tr data-light="red">')[1].split("</tr>")[0]
    assert '<td class="num">2</td>' in red_row
    assert "分解的上级目标按汇总灯色统计" in html
    section = html.split('id="bulletin-closed-with-reason"')[1].split("</table>")[0]
    assert "建设云台县科技馆" in section and "布展转入下年度专项推进" in section
    assert "本期未完成即办结1项" in html

    b = bulletin.build(qx_office, Period.quarter_of(today), today)
    [closed] = [t for t in exports.bulletin_tables(b) if t[0] == "未完成即办结事项"]
    assert closed[2][0][-1] == "布展转入下年度专项推进"
    docx = client.get("/reports/bulletin.docx", {"period": period})
    assert docx.status_code == 200
    xml = _docx_text(docx.content)
    assert "八、未完成即办结事项" in xml and "布展转入下年度专项推进" in xml
    assert "分解的上级目标按汇总灯色统计" in xml


def test_a_target_closed_with_a_reason_in_an_earlier_period_is_not_in_this_bulletin(
    make_qx_target, qx_office
):
    target = _closed_with_reason(make_qx_target, qx_office)
    Target.objects.filter(pk=target.pk).update(closed_at=timezone.now() - 200 * DAY)
    today = timezone.localdate()
    b = bulletin.build(qx_office, Period.quarter_of(today), today)
    assert b.closed_with_reason == []
