"""What a document is: its title, genre, issuer, year and period, read from its own words."""

import re
from collections import Counter
from collections.abc import Iterator

from .blocks import ReadDocument
from .containers.chrome import published_year
from .items import clean_text

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-./]\s*(?:1[0-2]|0?[1-9])\s*[-./]\s*\d{1,2}(?!\d)")
MASKED_SUMMARY_THEN_PLAN = re.compile(
    r"20[\dxX×*]?[xX×*]\s*年度?[^，。]{0,12}总结[^，。]{0,6}?((?:19|20)\d{2})\s*年度?[^，。]{0,12}"
    r"(?:计划|打算|思路|要点)"
)
_RELATIVE_TIME = re.compile(r"今年|本年|上半年|下半年|近日|日前")
# A year printed as the base of a comparison (较2023年末, 比2023年同期) is the year before the
# one the text reports on.
_BASE_YEAR = re.compile(r"(?:较|比|与|同)\s*((?:19|20)\d{2})\s*年\s*(?:末|底|同期)")
# 去年 just before a printed year (去年我省…。2019年，…) names that year as the one before the
# text's, when the text also speaks of 今年.
_LAST_YEAR_THEN_YEAR = re.compile(r"去年[^今\n]{0,160}?((?:19|20)\d{2})\s*年")
_MASKED_YEAR = re.compile(r"20[\dxX×*][xX×*]\s*年")
# A goal's horizon (到2028年, 至2030年): the year a target is due, not the one a text is of.
_HORIZON_YEAR = re.compile(r"(?:到|至)\s*((?:19|20)\d{2})\s*年")
_TITLE_RANGE = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*)?[—–\-~～至到]\s*(?:19|20)\d{2}\s*年")
_SUMMARY_THEN_PLAN = re.compile(
    r"((?:19|20)\d{2})\s*年度?[^，。]{0,12}总结[^，。]{0,6}?(?:19|20)\d{2}\s*年度?[^，。]{0,12}"
    r"(?:计划|打算|思路|要点|安排)"
)
# A web page's own date line (2024-08-19发布, 发布时间：2024-08-19).
_PAGE_DATE = re.compile(
    r"((?:19|20)\d{2})\s*-\s*\d{1,2}\s*-\s*\d{1,2}\s*发布|发布(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2})"
)
_TITLE_WORDS = re.compile(
    r"(要点|总结|计划|方案|目标|完成情况|承诺|清单|台账|通知|报告|安排|任务|通报|公报|细则|办法|"
    r"规划|责任书|反馈)"
)
_ORG_LINE = re.compile(r"^\s*([\u4e00-\u9fff]{2,30}(?:局|厅|委员会|委|政府|办公室|办))\s*$")
_UNIT_NAME = re.compile(r"(?:单位名称|填报单位|报送单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,30})")
_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"(?:第\s*)?([一二三四1-4])\s*季度")
_HALF = re.compile(r"(上|下)半年|1\s*[-—–至~]\s*6\s*月")
_MONTHS = re.compile(r"1\s*[-—–至~]\s*(\d{1,2})\s*月")
# Cumulative months that close a quarter or a half are reported as that period.
_MONTH_PERIODS = {3: "Q1", 6: "H1", 9: "Q3", 12: None}
# Columns that make a table a report on a period: without a period named, it is the year's.
_REPORT_FIELDS = {"progress", "status", "period_target"}


_SECTION_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}\s*[、.．](?!\d))"
)
_NOT_TITLES = ("首页", "发布日期", "联系人", "单位名称")


def find_title(doc: ReadDocument) -> str | None:
    """The table's title line, else the first short line that names a kind of document.
    Table cells are never titles."""
    for table in doc.tables:
        # A section heading above a table (二、任务分工) names the section, not the document.
        if table.title and not _SECTION_HEADING.match(table.title):
            return clean_text(table.title)
    first_table = min((t.span[0] for t in doc.tables), default=len(doc.text))
    for paragraph in doc.paragraphs[:40]:
        if paragraph.span[0] >= first_table:
            break
        for line in paragraph.text.split("\n"):
            line = re.sub(r"^[#>*\s]+|\*\*", "", line).strip()
            if (
                6 <= len(line) <= 80
                and _TITLE_WORDS.search(line)
                and not re.search(r"[。；]$", line)
                and not line.startswith(_NOT_TITLES)
            ):
                return clean_text(line)
    return None


def find_year(
    title: str | None, text: str, dated_by_dates: bool = False, published: int | None = None
) -> int | None:
    """The year of the title, else the one the text names most. ``dated_by_dates``: a table
    that names no year is dated by a date beside it (报送时间：2025.7.8); running text is not
    (a web page's publication date is not the year it is about, unless it speaks of 今年).
    ``published``: the year of the page's byline, when the reader dropped it as chrome."""
    years = [int(y) for y in _YEAR.findall(title or "")]
    if years and (masked := MASKED_SUMMARY_THEN_PLAN.search(title or "")):
        # 202x年度工作总结及2025年度工作计划: the summary is of the year before the plan's.
        return int(masked.group(1)) - 1
    if years and (span := _TITLE_RANGE.search(title or "")):
        # 三年行动计划（2021—2023年）: issued for, and dated by, its first year
        return int(span.group(1))
    if years and "《" not in title and (review := _SUMMARY_THEN_PLAN.search(title)):
        # 2016年工作总结和2017年工作思路: written as that year ends, so its 今年 is the
        # summary's; the plan's part names its own. (A notice issuing《…总结》和《…要点》
        # is of the later year.)
        return int(review.group(1))
    if years:
        return max(years)
    sample = text[:20000]
    bases = {m.start(1) for m in _BASE_YEAR.finditer(sample)}
    horizons = {m.start(1) for m in _HORIZON_YEAR.finditer(sample)}
    named = [m for m in _YEAR.finditer(sample) if m.start(1) not in bases]
    counts = Counter(int(m.group(1)) for m in named if m.start(1) not in horizons)
    published = published or published_year(sample)
    if not counts and named and published and _RELATIVE_TIME.search(sample):
        # A news page on 今年's work that names only a goal's year (到2028年) is of the year
        # it was published in.
        return published
    counts = counts or Counter(int(m.group(1)) for m in named)
    if counts:
        year = counts.most_common(1)[0][0]
        if "今年" in sample and year + 1 not in counts:
            last = next(
                (m for m in _LAST_YEAR_THEN_YEAR.finditer(sample) if int(m.group(1)) == year), None
            )
            if last is not None:
                return year + 1
        return year
    if bases:
        # Only compared with: 截至9月，…较2023年末净增 reports on 2024.
        return max(int(sample[b : b + 4]) for b in bases) + 1
    if not dated_by_dates:
        # A news page that speaks of 今年 / 上半年 is of the year it was published in.
        if published and _RELATIVE_TIME.search(sample):
            return published
        # A notice that names no year at all (an evaluation list, a call) is of the year its
        # page says it was issued, unless the site masked its years (20xx).
        if (page_date := _PAGE_DATE.search(sample)) and not _MASKED_YEAR.search(sample):
            return int(page_date.group(1) or page_date.group(2))
        return None
    dates = Counter(int(y) for y in _DATE.findall(text[:20000]))
    return dates.most_common(1)[0][0] if dates else None


def find_period(
    title: str | None,
    year: int | None,
    header_period: str | None = None,
    column_fields: set[str] | frozenset = frozenset(),
) -> str | None:
    """The period a report covers: from its title (第一季度, 上半年, 1-9月), else from the
    name of its milestone column (第1季度目标), else the year for a table of progress."""
    if not year:
        return None
    title = title or ""
    if "前三季度" in title:
        return f"{year}-Q3"
    if m := _QUARTER.search(title):
        return f"{year}-Q{_CN_Q[m.group(1)]}"
    if m := _HALF.search(title):
        return f"{year}-H{2 if m.group(1) == '下' else 1}"
    if m := _MONTHS.search(title):
        month = int(m.group(1))
        if month in _MONTH_PERIODS:
            part = _MONTH_PERIODS[month]
            return f"{year}-{part}" if part else str(year)
        if 1 <= month <= 12:
            return f"{year}-M{month:02d}"
    if header_period:
        return f"{year}-{header_period}"
    if column_fields & _REPORT_FIELDS:
        return str(year)
    return None


def find_own_unit(doc: ReadDocument) -> str | None:
    """The unit a table belongs to, as its heading declares it (单位名称：市科技局)."""
    if m := _UNIT_NAME.search(doc.text[:3000]):
        return m.group(1)
    return None


def find_issuer(doc: ReadDocument) -> str | None:
    if unit := find_own_unit(doc):
        return unit
    text = doc.text
    # A signature: an organisation's name on a line of its own just above a date (the first
    # line after it that is not blank, within three). Found from the date lines, which are few,
    # not from the organisation lines: a ledger names its units on lines of their own.
    signatures = []
    for date_start in _date_line_starts(text):
        line_end = date_start - 1  # the line break that ends the line above
        for _ in range(3):
            if line_end < 0:
                break
            line_start = text.rfind("\n", 0, line_end) + 1
            line = text[line_start:line_end]
            if found := _ORG_LINE.match(line):
                signatures.append((line_start, found.group(1)))
            if line.strip():
                break
            line_end = line_start - 1
    return min(signatures)[1] if signatures else None


def _date_line_starts(text: str) -> Iterator[int]:
    """Where each line that is a date alone (2023年1月5日) starts. Only the lines with a 日
    are looked at: a large document has a million lines and few dates."""
    day = text.find("日")
    while day >= 0:
        start = text.rfind("\n", 0, day) + 1
        end = text.find("\n", day)
        end = len(text) if end < 0 else end
        if _DATE_LINE.match(text[start:end]):
            yield start
        day = text.find("日", end)


def guess_genre(title: str | None, column_fields: set[str], part_genres: set[str]) -> str:
    title = title or ""
    if len(part_genres) > 1:
        return "mixed"
    if "承诺" in title or ("source_category" in column_fields and "progress" in column_fields):
        return "commitments"
    if column_fields & {"status", "period_target"} or "完成情况" in title:
        return "progress"
    if "benchmark" in column_fields or "category" in column_fields or "业务目标" in title:
        return "goals"
    if part_genres:
        return next(iter(part_genres))
    if re.search(r"总结|述职", title):
        return "summary"
    if re.search(r"要点|计划|方案|安排", title) or (
        # A breakdown of the year's tasks among units (关于分解落实…重点工作任务的通知).
        re.search(r"分解|分工", title) and "任务" in title and not _REPORT_TITLE.search(title)
    ):
        return "plan"
    if "progress" in column_fields:
        return "progress"
    return "unknown"


# A title that reports results: a statistical release (统计公报, 技术合同 figures, 年鉴 tables), a
# bulletin (通报), a summary or a report of completion (总结, 述职, 完成情况, 全面完成).
_REPORT_TITLE = re.compile(
    r"通报|公报|统计|年鉴|述职|总结|完成情况|进展情况|落实情况|全面完成|超额完成|考核结果|"
    r"同比|比上年|增长|成交额|情况分析|简报"
)
_PLAN_TITLE = re.compile(r"要点|计划|方案|安排|规划|意见|打算|分解|分工|目标任务|实施")
# In running text: words of a report on what was reached, and words of a plan.
_REPORT_WORDS = re.compile(
    r"同比|比上年|较上年|比去年|截至|获悉|已办结|已完成|完成全年|共登记|登记技术合同|"
    r"回顾|成绩|取得|兑现|汇报|督查|核实"
    # a news report's byline and its words for what has happened
    r"|记者|作者\s*[:：]|来源\s*[:：]|据悉|据了解|近日|日前|近年来"
)
# 目标任务 is a noun a bulletin uses as often as a plan (落实目标任务的情况).
_PLAN_WORDS = re.compile(r"力争|争取|确保|预计|计划|目标(?!任务)|到20\d\d年")


def default_kind(title: str | None, genre: str, text: str) -> str:
    """What a document's figures are when their sentence does not say: ``actual`` for a report
    of results (a statistical release, a bulletin, a summary, a completion report), ``target``
    for a plan. Decided by the title, else by which kind of words the text uses more."""
    title = title or ""
    if genre in ("summary", "progress") or _REPORT_TITLE.search(title):
        return "actual"
    if genre in ("plan", "goals") or _PLAN_TITLE.search(title):
        return "target"
    sample = text[:20000]
    reports = len(_REPORT_WORDS.findall(sample))
    plans = len(_PLAN_WORDS.findall(sample))
    return "actual" if reports >= 2 and reports > plans else "target"
