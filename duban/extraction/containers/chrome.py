"""Web-page chrome: the lines a government site wraps around an article.

Published pages carry a breadcrumb (首页>规划计划), a byline (发布日期:… 浏览次数: 字体:[大 中 小]),
print/close links (【打印本页】【关闭窗口】), share widgets (分享到), neighbour links (上一篇/下一篇)
and the CMS signature (Produced By 大汉网络 …). None of it belongs to the document.

The rules live here once and serve two readers: ``html.py`` drops chrome elements and lines while
walking the DOM, and ``text.py`` drops chrome lines from plain text that was copied from such a
page (seed 002). Lines are only dropped near the top and bottom of a text, and only when the text
looks like a web page, so a report that merely mentions 发布日期 keeps its sentence.
"""

from __future__ import annotations

import re
from itertools import islice

# A chrome line is short; anything longer is prose that happens to contain a keyword.
MAX_CHROME_LINE = 120
# How many non-blank lines at each end of a plain text are searched for chrome.
EDGE_LINES = 15

_CHROME_PATTERNS = [
    re.compile(p)
    for p in (
        r"^\s*(?:网站)?首页\s*[>＞»›→/／]",  # breadcrumb: 首页>规划计划, 首页 / 通知公告
        r"^\s*(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]",
        r"^\s*发布(?:日期|时间)\s*[:：]",
        # a byline after the document number: 青科函〔2027〕9号　发布日期：2027年3月2日
        r"(?:发布|公开)(?:日期|时间)\s*[:：]\s*(?:19|20)\d{2}\s*[-./年]",
        r"(?:浏览次数|阅读次数|点击数|访问量)\s*[:：]",
        r"字体\s*[:：]\s*[\[【［]",
        r"【\s*(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|大|中|小)\s*】",
        r"^\s*\[?\s*(?:打印本页|关闭窗口|返回顶部|打印|关闭)\s*\]?\s*$",
        r"^\s*Produced\s+By\b",
        r"^\s*(?:上一篇|下一篇|上一条|下一条)\s*[:：]?",
        r"^\s*分享到\s*[:：]?",
        r"^\s*(?:信息来源|来源)\s*[:：].{0,60}(?:发布|浏览|日期)",
        r"^\s*(?:扫一扫在手机打开当前页|扫一扫在手机上查看当前页面)",
    )
]

# Elements whose class or id names page furniture rather than content: a token containing one of
# these words (breadcrumb, bdshare_box, page-footer), or equal to one of _CHROME_TOKENS.
_CHROME_WORD = re.compile(
    r"breadcrumb|crumb|bdshare|share|footer|copyright|navbar|topnav|menu|sidebar|print|pagination",
    re.IGNORECASE,
)
_CHROME_TOKENS = frozenset(("header", "head", "top", "topbar", "banner", "nav", "foot", "position"))


# A byline's publication date: 发布时间：2026-02-27, 发布日期: 2021年4月6日.
_PUBLISHED = re.compile(
    r"(?:发表|发布|印发|成文|公开)(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[-./年]"
)
PUBLISHED_REACH = 3000


def published_year(text: str) -> int | None:
    """The year of the page's publication date, from its first characters."""
    m = _PUBLISHED.search(text, 0, PUBLISHED_REACH)
    return int(m.group(1)) if m else None


def is_chrome_element(class_and_id: str) -> bool:
    """True when an element's class or id names page furniture (breadcrumb, share, header …)."""
    for token in class_and_id.split():
        if token.lower() in _CHROME_TOKENS or _CHROME_WORD.search(token):
            return True
    return False


def is_chrome_line(line: str) -> bool:
    """True for a line that is page furniture, whatever document it appears in."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_CHROME_LINE:
        return False
    return any(p.search(stripped) for p in _CHROME_PATTERNS)


def _edge_indices(lines: list[str]) -> list[int]:
    """The indices of the first and of the last EDGE_LINES non-blank lines, in order: each end
    read inwards, not the whole of a text that may have a million lines."""
    head = islice((i for i, line in enumerate(lines) if line.strip()), EDGE_LINES)
    tail = islice((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), EDGE_LINES)
    return sorted(set(head) | set(tail))


def chrome_line_indices(lines: list[str]) -> set[int]:
    """Indices of the chrome lines near the ends of a text, or an empty set if it is no web page.

    A text counts as a web page when its first non-blank line is a breadcrumb or when at least two
    chrome lines sit near its ends.
    """
    edges = _edge_indices(lines)
    found = {i for i in edges if is_chrome_line(lines[i])}
    if not found:
        return set()
    first = edges[0]
    if len(found) >= 2 or (first in found and _CHROME_PATTERNS[0].search(lines[first])):
        return found
    return set()


def strip_chrome_lines(text: str) -> str:
    """Remove chrome lines (with their line breaks) from a newline-normalised plain text."""
    lines = text.split("\n")
    drop = chrome_line_indices(lines)
    if not drop:
        return text
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)
