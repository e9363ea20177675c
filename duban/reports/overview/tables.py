"""The dashboard's tables as HTML, written here rather than in the template: the page is asked
for by many people at once, and the template language's per-cell cost was most of its time.
Every text is escaped; numbers are written as they are."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from duban.targets.lights import Light

from .dashboard import Dashboard, Group

_LIGHT_BADGES = {Light.GREEN: "绿", Light.YELLOW: "黄", Light.RED: "红", Light.DONE: "结"}


def _rate(rate) -> str:
    return "—" if rate is None else f"{rate}%"


def completion(table_id: str, column: str, groups: list[Group], d: Dashboard) -> SafeString:
    rows = (
        "".join(
            f'<tr><td>{escape(g.label)}</td><td class="num">{g.total}</td>'
            f'<td class="num">{g.done}</td><td class="num">{g.open}</td>'
            f'<td class="num">{_rate(g.rate)}</td></tr>'
            for g in groups
        )
        or '<tr><td colspan="5" class="empty">没有目标任务。</td></tr>'
    )
    return mark_safe(
        f'<table class="ledger compact" id="{table_id}"><thead><tr><th>{escape(column)}</th>'
        '<th class="num">目标数</th><th class="num">已完成</th><th class="num">未完成</th>'
        f'<th class="num">完成率</th></tr></thead><tbody>{rows}</tbody>'
        f'<tfoot><tr><th>合计</th><td class="num">{d.total}</td><td class="num">{d.done}</td>'
        f'<td class="num">{d.open}</td><td class="num">{_rate(d.rate)}</td></tr></tfoot></table>'
    )


def lights(d: Dashboard) -> SafeString:
    rows = "".join(
        f'<tr data-light="{g.key}"><td><span class="light light-{g.key}" '
        f'title="{escape(g.label)}">{_LIGHT_BADGES[g.key]}</span> {escape(g.label)}</td>'
        f'<td class="num">{g.total}</td></tr>'
        for g in d.lights
    )
    return mark_safe(
        '<table class="ledger compact" id="table-lights"><thead><tr><th>红黄绿灯</th>'
        f'<th class="num">项数</th></tr></thead><tbody>{rows}</tbody>'
        f'<tfoot><tr><th>合计</th><td class="num">{d.total}</td></tr></tfoot></table>'
    )


def trend(d: Dashboard) -> SafeString:
    rows = "".join(
        f'<tr data-period="{row.period}"><td>{row.label}</td><td class="num">{row.submitted}</td>'
        f'<td class="num">{row.accepted}</td><td class="num">{row.on_time}</td></tr>'
        for row in d.trend
    )
    return mark_safe(
        '<table class="ledger compact" id="table-trend"><thead><tr><th>季度</th>'
        '<th class="num">已报送</th><th class="num">已通过</th><th class="num">按时报送</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def progress(d: Dashboard) -> SafeString:
    link = reverse("targets:detail", args=[0])[: -len("0/")]
    parts = []
    for row in d.progress:
        target = row.target
        span = len(row.bars)
        for index, bar in enumerate(row.bars):
            cells = []
            if index == 0:
                cells.append(
                    f'<td rowspan="{span}" class="wide"><a href="{link}{target.pk}/">'
                    f"{escape(str(target))}</a></td>"
                    f'<td rowspan="{span}">{escape(str(target.lead_unit or ""))}</td>'
                )
            subject = escape(bar.goal.subject)
            cells.append(f'<td>{subject}</td><td class="num">{escape(bar.goal.display_value)}</td>')
            if bar.actual is None:
                cells.append('<td class="num"><span class="empty">尚无报告值</span></td><td>—</td>')
            else:
                share = "" if bar.percent is None else f"{bar.percent}%"
                verdict = "已达标" if bar.met else "未达标"
                cells.append(
                    f'<td class="num">{escape(bar.actual.display_value)}</td>'
                    f'<td class="progress-cell"><progress max="100" value="{bar.bar_value}" '
                    f'aria-label="{subject}完成进度">{bar.bar_value}%</progress> '
                    f'<span class="progress-text{" met" if bar.met else ""}">{share} {verdict}'
                    "</span></td>"
                )
            parts.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe(
        '<table class="ledger" id="table-progress"><thead><tr><th>目标任务</th><th>牵头单位</th>'
        "<th>指标</th><th>目标值</th><th>最新实际值</th><th>进度</th></tr></thead>"
        f"<tbody>{''.join(parts)}</tbody></table>"
    )


def render_all(d: Dashboard) -> dict[str, SafeString]:
    return {
        "lights": lights(d),
        "source": completion("table-source", "任务来源", d.by_source, d),
        "unit": completion("table-unit", "牵头单位", d.by_unit, d),
        "leader": completion("table-leader", "分管领导", d.by_leader, d),
        "trend": trend(d),
        "progress": progress(d) if d.progress else SafeString(""),
    }
