"""Quantitative indicators in Chinese target and achievement text.

``find_indicators(text)`` reads one piece of text (a target item, a table cell, a paragraph) and
returns every quantitative indicator in it, each with the exact character span it was read from.
Targets and achievements are written in the same small language, so one grammar serves both.

The grammar
===========

An indicator is a *quantity* — a number with a counting unit — in a *context* that says how the
number is compared and what it measures::

    [hedge] [subject] [measure cue] [comparator] QUANTITY [suffix] [subject]
    力争      高新技术企业  总数          达到          630家      以上
              新增 省级以上创新平台                    15家       以上
    组织实施                                          10余项              重大科技创新工程

QUANTITY  ``NUMBER [MULT] [余|多] UNIT`` or a range ``NUMBER [UNIT] DASH NUMBER [余|多] UNIT``
          with DASH one of ``- – — ～ ~ 至 到`` ("3-5个", "3—5家", "三至五家").

          NUMBER is Arabic (``1027``, ``47.13``, ``1,200``; full-width digits are read too) or a
          Chinese numeral (``三``, ``十``, ``两``, ``一百二十``, ``近千``). MULT (万 亿 千…) after
          an Arabic number multiplies it ("1.2万家" -> 12000 家) except before a money or area unit,
          where it stays part of the unit as printed ("1.2亿元" -> 1.2 亿元, "210万平方米").

          UNIT is a counting unit (家 项 个 人 名 件 次 人次 场 所 位 户 台 套 篇 部 支 座 条
          笔 单 册 处 种 份 辆 张 例 部门 单位), money (元 万元 亿元 美元), area (平方米
          平方公里), a ratio (% 倍 个百分点), or a weak unit (亩 吨) that only counts next to a
          comparator or measure cue. Without a unit there is no indicator ("2022年", "3.0版", "11号", "3179657").

comparator  prefix 达到/达/实现/为/增至… ``=``; 超过/突破/超/逾/高于 ``>``; 不低于/不少于/至少
            ``>=``; 不超过/不高于/控制在 ``<=``; 低于/少于 ``<``; 约/近 ``~``; 上(千) ``>=``.
            suffix 以上/及以上 ``>=``; 以下/以内 ``<=``; 左右/上下 ``~``.
            余/多 after the number ("300余家", "20多名") ``>=``. A range is ``range`` with
            ``value_max``. Precedence: range > suffix > 余/多 > prefix > ``=``.
            ``approximate`` is set by 余 多 近 约 左右 上下 上(千).

rank      ``第N[位|名]`` after 居/位居/排名/列… (``=``) and ``前N[位|位次|名|强]`` after
          保持/进入/居… (``<=``): "居全省第3位", "保持全省前3位次", "进入前40位", "居全省第四".

measure   the nearest cue before the number in its clause decides:
          ``rank`` as above; ``share`` for 个百分点 (提高1个百分点) and for % without a growth
          cue (占比 47.13%, 比重达到2.5%, 网办率达到100%); ``growth`` for %/倍 after 增长/增幅/
          增速/同比…; ``increase`` after 新增/净增/再增/增加/新建/新认定/新获批/新备案/再建…;
          ``total`` after 总数/总量/累计/共/数量/达到/实现…; otherwise ``other``.
          A decrease (下降/降低/减少 N) gives a negative value with the comparator mirrored.

kind      the caller's default, overridden by the nearest cue earlier in the same sentence:
          目标 力争 确保 计划 预计 拟 将(+verb) 力求 -> ``target``; 已 累计完成 实际 截至 完成了
          -> ``actual``. 争取/努力/争创 are also plain verbs ("积极争取上级支持"), so they count
          (as ``target``) only in the number's own clause, and 同比 gives ``actual`` only when
          nothing else does ("力争同比增长10%" stays a target).
hedge     the nearest 力争/确保/力求 earlier in the sentence, or 争取/努力/争创 in the clause.
year      a year named earlier in the number's own clause, or one that opens an earlier clause
          of its sentence as its topic ("2020年度，全市…投入102.64亿元；…占比为2.79%"); a year
          inside another clause ("被评为2020年度十大科技成果；6项成果…") names that clause's
          thing only. Years in quotes and book titles are skipped; 截至2020年底 counts;
          年内/今年/全年/本年, or no year, give ``default_year``.
subject   the noun phrase after the unit when one follows ("10余项重大科技创新工程"), else the
          words before the number back to the previous 、，。; with scope words (全市, 年内,
          二季度), hedges, verbs, years and measure words stripped ("全市高新技术企业总量达到
          1027家" -> 高新技术企业). Then, in order:
          * "A、B分别达到1700家、1200家" gives A=1700 and B=1200;
          * one number for a list of kinds keeps the list ("新备案孵化器、众创空间5个以上");
          * a list summed up by 等 has the list's kind ("A、B、C等9部门" -> 部门);
          * a clause of measure words only takes the object of the clause before ("强化高新技术
            企业培育，争取总数突破5300家" -> 高新技术企业);
          * a quoted name before its class noun gives the class noun ("“…示范”项目1项" -> 项目);
          * a number still without a subject takes one from a number before it in its sentence:
            the whole before 其中 for its parts, the number of the same unit for a change
            ("769家规模以上企业…，较上年增加133家"), the number it qualifies for a growth, share
            or rank ("增幅46.09%", "居全省第3位").
          ``None`` when nothing sensible is found ("在系统注册备案516人").

Not indicators: dates and years (no unit), document numbers (鲁科字〔2020〕11号), versions
(3.0版), list numbers and ordinals (1. （一） 第一 第33次 第二届 一届三次), durations (3个月,
10个工作日), anything inside quotes or book-title marks (“十四五” “1+30+N” “两个维护” 《…》),
numbers glued to letters, ``+`` or ``/`` (1+N+2, 1/3, G20), placeholders (X家, **家, ×家),
bare magnitudes without 近/上/约 (千家万户, 万家), vague counts (数十家, 几百项), and a lone 一
without a comparator or increase verb (一项重要举措, 一个中心).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Indicator", "find_indicators", "parse_chinese_number", "read_cell_value"]


@dataclass(frozen=True)
class Indicator:
    subject: str | None  # what is counted; None if it can't be found
    kind: str  # "target" | "actual"
    measure: str  # "total" | "increase" | "share" | "growth" | "rank" | "other"
    comparator: str  # ">=" | ">" | "=" | "~" | "<=" | "<" | "range"
    value: int | float  # exact as printed: int when whole, else a float that prints the same
    value_max: int | float | None  # only with comparator "range"
    unit: str  # as printed (full-width ％ is given as %); "" for a rank printed without one
    year: int | None
    span: tuple[int, int]  # offsets into the original text, plus `offset`
    hedge: str | None = None  # 力争 / 争取 / 确保 … when present
    approximate: bool = False  # 余 多 近 约 左右 …


KINDS = ("target", "actual")

# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

# One-to-one replacements, so offsets into the normalised text are offsets into the original.
_FULLWIDTH = str.maketrans("０１２３４５６７８９％．～－＋／Ｘｘ＊", "0123456789%.~-+/Xx*")

_FULLWIDTH_RE = re.compile("[０-９％．～－＋／Ｘｘ＊]")

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_CN = "零〇一二两三四五六七八九十百千万亿"

_ARABIC_WITH_MULT_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)([十百千万亿]*)")
_APPROX_AFFIX_RE = re.compile(r"^[近约]|[余多来]$")


def _parse_chinese_integer(s: str) -> int | None:
    """一百二十 -> 120, 两万 -> 20000, 二〇二〇 -> 2020; None for what is not a numeral (十四五)."""
    if all(c in _CN_DIGIT for c in s):
        if len(s) == 1:
            return _CN_DIGIT[s]
        if "零" in s or "〇" in s:  # digit by digit, as in years: 二〇二〇
            return int("".join(str(_CN_DIGIT[c]) for c in s))
        return None  # 三五 ("three or five") is not one number
    yi = 0  # the part already multiplied by 亿
    wan = 0  # the part already multiplied by 万
    section = 0  # below 万
    digit: int | None = None
    last_small = 10**5  # 十/百/千 must fall within a section: 一千二百, not 十百
    for ch in s:
        if ch in "零〇":
            if digit is not None:
                return None
        elif ch in _CN_DIGIT:
            if digit is not None:  # two digits in a row: 十四五
                return None
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if unit >= last_small:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_small = None, unit
        elif ch == "万":
            if wan:
                return None
            wan = (section + (digit or 0) or 1) * 10**4
            section, digit, last_small = 0, None, 10**5
        else:  # 亿
            if yi:
                return None
            yi = (wan + section + (digit or 0) or 1) * 10**8
            wan, section, digit, last_small = 0, 0, None, 10**5
    return yi + wan + section + (digit or 0)


def parse_chinese_number(s: str) -> int | float | None:
    """Read a number as printed: "三" -> 3, "十余" -> 10, "一千二百" -> 1200, "两" -> 2,
    "1.2万" -> 12000, "1,200" -> 1200, "近千" -> 1000. Approximation words (近 约 余 多) are
    dropped; the caller records them. Returns None for anything that is not one number, and for
    a number no indicator can hold exactly (see ``_exact``)."""
    return _parse_number(s.translate(_FULLWIDTH))


# What Indicator.value (DecimalField(max_digits=20, decimal_places=4)) holds: at most 16 digits
# before the point and 4 after it. A fraction is given as a float, so it must also be one a
# double carries exactly, as printed: at most 15 significant digits (every such decimal is
# its float's shortest repr). Whole numbers are given as int, exact at any size.
MAX_WHOLE_DIGITS = 16
MAX_DECIMAL_PLACES = 4
MAX_FRACTION_DIGITS = 15


def _exact(number: str, magnitude: int = 0) -> int | float | None:
    """The decimal ``number`` ("1200", "47.13") times 10**magnitude, exactly: an int when whole,
    else a float that prints as the same decimal. None when it is beyond what an indicator
    holds (a 30-digit amount, five decimal places): such a number is text, not a value."""
    whole, _, fraction = number.partition(".")
    digits = (whole + fraction).lstrip("0")
    if not digits:
        return 0
    exponent = magnitude - len(fraction)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    if len(stripped) + exponent > MAX_WHOLE_DIGITS or -exponent > MAX_DECIMAL_PLACES:
        return None
    if exponent >= 0:
        return int(stripped) * 10**exponent
    if len(stripped) > MAX_FRACTION_DIGITS:
        return None
    return float(Decimal(int(stripped)).scaleb(exponent))


def _parse_number(s: str) -> int | float | None:
    """parse_chinese_number for text already passed through _FULLWIDTH."""
    s = _APPROX_AFFIX_RE.sub("", s.strip(" \t\u3000\u00a0").replace(",", "").replace(" ", ""))
    if not s:
        return None
    m = _ARABIC_WITH_MULT_RE.fullmatch(s)
    if m:
        magnitude = sum(len(str(_MAGNITUDE[ch])) - 1 for ch in m.group(2))
        return _exact(m.group(1), magnitude)
    if any(c not in _CN for c in s):
        return None
    n = _parse_chinese_integer(s)
    return None if n is None or n >= 10**MAX_WHOLE_DIGITS else n


# ---------------------------------------------------------------------------------------------
# The quantity pattern
# ---------------------------------------------------------------------------------------------

_SP = r"[ \u00a0\u3000]{0,2}"
# Scraped pages split digits by spaces ("3 5 0件", "1 2 0亿"): single digits, single spaces.
_NUM = (
    r"[0-9](?:[ ][0-9])+(?![0-9.])"
    rf"|(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?:\.[0-9]+)?|[{_CN}]+"
)
_MULT = r"(?:[十百千]?[万亿]|[百千])"
_UNIT = (
    r"个百分点|百分点|%|倍|人次|人年(?!均)|家次|场次|户次|平方米|平方公里|美元|元|部门|单位"
    r"|个(?!月|工作日|小时|季度|年|星期|周)|家(?![庭乡属])|项|人|名(?![单称列])|件|次(?![年日])"
    r"|场(?![所地景馆])|所(?![属有在需得])|位(?![于置])|户|台(?!湾)|套|篇|部(?![署分])"
    r"|支(?![持撑出付])|座|条(?![件例])|笔|单|册|处(?![理置级长])|种(?![类子业])|份|辆|张|例"
    r"|亩|吨|万亿|亿(?![元美])|只(?![有要是能需])"
)
_SUFFIX = r"及以上|以上|以下|以内|之内|左右|上下(?!游)"
_DASH = r"-|–|—{1,2}|~|～|〜|至|到"

_QUANTITY_RE = re.compile(
    rf"""
    (?<![0-9.{_CN}]) (?<![0-9],) (?<![^0-9][0-9][ ]) (?<!^[0-9][ ])
    (?:
        (?P<lo>{_NUM})(?:{_SP}(?P<lo_mult>{_MULT}))? {_SP} (?:(?:{_UNIT}){_SP})?
        (?P<dash>{_DASH}) {_SP}
        (?P<hi>{_NUM})(?:{_SP}(?P<hi_mult>{_MULT}))?
      | (?P<num>{_NUM})(?:{_SP}(?P<num_mult>{_MULT}))?
    )
    (?P<approx>余|多)?
    {_SP} (?P<unit>{_UNIT})
    {_SP} (?P<suffix>{_SUFFIX})?
    """,
    re.VERBOSE,
)

_RANK_RE = re.compile(
    rf"(?P<which>第|前){_SP}(?P<num>[0-9]+|[{_CN}]+){_SP}(?P<unit>位次|位|名|强)?"
)
_RANK_VERB_RE = re.compile(
    r"(?P<verb>位居|位列|名列|稳居|跻身|排名|排在|排|居|列|保持|进入|位于|升至|提升至|上升至|挺进"
    r"|获得?|前移至|前移到|前移|跃居|跃升至)"
    r"[^，。；、,;]{0,14}$"
)
# a rank with its scope and no verb: "增速26.6%全市第1", "占比3.21%，全省第2"
_RANK_SCOPE_RE = re.compile(r"(?:全|在全)[市省国区县州]$")

_SCALED_UNITS = ("美元", "元", "平方米", "平方公里", "亩", "吨", "亿")  # 万/亿 stay in the unit
_WEAK_UNITS = ("亩", "吨")
_WEAK_UNIT_END_RE = re.compile(r"[ \u3000]*(?:[，。；,;！？!?）)\n]|$)")
_PERCENT_POINT_UNITS = ("个百分点", "百分点")
_RATIO_UNITS = ("%", "倍")

_PREFIX_RE = re.compile(
    r"(?:约为|约有|约达|达到约|达到了|达到|达|实现了|实现|增至|增加到|增加至|增长到|增长至"
    r"|提高到|提高至|提升到|提升至|降至|下降到|下降至|减少到|减少至|为|超过了|超过|突破了|突破"
    r"|超出|超|逾|高于|大于|多于|不低于|不少于|至少|不超过|不高于|不多于|控制在|低于|少于"
    r"|约|近|上)"
    rf"{_SP}$"
)
_PREFIX_COMPARATOR = {
    "超过了": ">", "超过": ">", "突破了": ">", "突破": ">", "超出": ">", "超": ">", "逾": ">",
    "高于": ">", "大于": ">", "多于": ">", "不低于": ">=", "不少于": ">=", "至少": ">=",
    "不超过": "<=", "不高于": "<=", "不多于": "<=", "控制在": "<=", "低于": "<", "少于": "<",
    "约": "~", "约为": "~", "约有": "~", "约达": "~", "达到约": "~", "近": "~", "上": ">=",
}  # fmt: skip
_APPROX_PREFIXES = ("约", "约为", "约有", "约达", "达到约", "近", "上")
_SUFFIX_COMPARATOR = {"及以上": ">=", "以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=",
                      "左右": "~", "上下": "~"}  # fmt: skip
_AT_LEAST_VERB_RE = re.compile(r"(?:至少|不少于|最少)[\u4e00-\u9fff]{1,3}$")
_BECAME_BEFORE_WEI = tuple("明确认定作成称评改更视列转")
_MIRROR = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "=": "=", "~": "~", "range": "range"}

# a lone 一 counts only right after one of these ("新增一家", "达到一个")
_ONE_CUE_RE = re.compile(
    r"(?:新增|净增|再增|增加|新建|建成|共|共有|仅|只有|提高|提升|增长|下降|达到|实现)" rf"{_SP}$"
)

# ---------------------------------------------------------------------------------------------
# Context: boundaries, cues, quotes
# ---------------------------------------------------------------------------------------------

# How far back a cue, subject or year is looked for: real clauses, sentences and paragraphs are
# shorter, and the bounds keep the scan linear on pathological input.
_CLAUSE_REACH = 60
_SENTENCE_REACH = 200
_PARAGRAPH_REACH = 800

_PARAGRAPH_SEP_RE = re.compile(r"[\n\t]")
_SENTENCE_SEP_RE = re.compile(r"[。；;！？!?\n\t]")
# ASCII , and : separate clauses unless they sit inside a number (1,200) or a time (09:37).
# Every pattern here must read the same reversed: _Context.start_of searches the reversed text.
_CLAUSE_SEP_RE = re.compile(r"[。；;！？!?\n\t，：]|(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)")
_LIST_SEP_RE = re.compile(r"[。；;！？!?\n\t，：、]|(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)")

_QUOTED_RE = re.compile(
    r"“[^“”\n]{0,40}”|《[^《》\n]{0,80}》|「[^「」\n]{0,40}」|『[^『』\n]{0,40}』"
    r"|‘[^‘’\n]{0,20}’|\"[^\"\n]{0,30}\""
)

_MEASURE_CUE_RE = re.compile(
    r"(?P<growth>同比增长|同比增速|同比提高|年均增长|年增长率|年增长|增长率|增速|增幅|翻番|递增"
    r"|增长(?![到至])|提高(?![到至])|提升(?![到至])|上升(?![到至]))"
    r"|(?P<decrease>同比下降|同比减少|下降(?![到至])|降低(?![到至])|减少(?![到至])|压减|下滑|回落"
    r"|降幅|负增长)"
    r"|(?P<increase>新增|净增|再增|增加(?![到至])|新通过|新(?:建|认定|获批|备案|布局|培育|引进|设立?|组建"
    r"|注册|入选|开工|签约|立项|登记|入驻|落户)|再建)"
    r"|(?P<total>总数|总量|总计|总额|累计|合计|共计|共(?<!公共)(?![同享建识性])|达到"
    r"|达(?<![下传表到发送]达)(?![标成])|实现|保有|规模(?!以上)|数量|拥有|增至|提高到|提高至|提升到"
    r"|扩大到|扩大至|扩展到|扩展至|上升到|上升至"
    r"|提升至|增加到|增加至|增长到|增长至|降至|下降到|下降至)"
)

# Cues for kind and hedge, read in one pass over the sentence before the number.
#   hedge   力争 确保 力求: a target, and the hedge, anywhere earlier in the sentence
#   target  目标 预计 拟 计划 将+verb …: a target
#   actual  已 累计完成 实际 截至 …: an achievement
#   weak    争取 努力 争创: also plain verbs ("积极争取上级支持"), so only in the number's clause
#   yoy     同比: an achievement, in the number's clause, unless anything else decides
#   measured 占全年目标任务(的110.7%): what a result is measured against; no cue at all
_CUE_RE = re.compile(
    r"(?P<measured>[占为](?:全年|年度|本年度?|当年|上半年|全年度)?(?:目标)?任务)"
    r"|(?P<hedge>力争|确保|力求)"
    r"|(?P<target>目标(?!库)|预计|预期|拟(?<![模虚]拟)|将(?=达到|实现|新增|增加|超过|突破|完成|建成|再)"
    r"|计划(?:(?<![\u4e00-\u9fff]计划)|(?<=[年内]计划))(?![项文管单])|到20\d\d年)"
    r"|(?P<actual>已|累计完成|完成(?:全年|年度|季度|阶段)?(?:目标|任务)|实际|截至|截止|完成了|实现了"
    r"|达到了)"
    r"|(?P<weak>争取(?<!积极争取)(?<!对上争取)(?<!主动争取)(?<!多方争取)(?<!提名争取)|努力|争创)"
    r"|(?P<yoy>同比)"
)
_YEAR_RE = re.compile(
    r"(?<![\d\-–—~～到])(?<![^截]至)((?:19|20)\d\d)(?!\d)\s*年|年内|今年|全年|本年度?|当年"
)

_CJK_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# names that hold a numeral and a unit but count nothing, for when they are not quoted
_NAME_RE = re.compile(
    r"八项规定|[两四]个(?:意识|自信|维护|确立|全面|服务|走在前)|三个代表|五位一体|三会一课"
    r"|[一二三四五六七八九十]个结合"
)

# ---------------------------------------------------------------------------------------------
# Subjects
# ---------------------------------------------------------------------------------------------

_PUNCT = r"[\s\u3000，、,：:；;。“”‘’\"'《》「」『』（）()\[\]【】\-—·•]+"
_LEAD_VERBS = (
    "组织实施|遴选推荐|实施|组织|开展|建设|培育|认定|引进|推荐|备案|注册(?!商标|资本)|成立|打造"
    "|举办|新建|争创|完成|立项|支持|资助|选派|评选|获批|获得|登记|申请|兑现|兑付|培训|承担|攻克"
    "|吸纳(?!.*[额量]$)|发放|发动|投放|购置|入驻"
    "|召开|签订|征集|对接|聘任|布局|组建|设立|遴选|安排|投入|带动|择优|筛选|选树|接收|承办|启动"
    "|推动|推进|加快|培养|评审|入选|储备|达到|实现|建成|引导|指导|集聚|落实|上报|梳理|修订"
    "|完善|转化|强化|加强|深化|壮大|扩大|新获批|获评|评为|纳入|帮助|入库|拥有"
)
_TAIL_VERBS_RE = re.compile(
    r"实施|组织|开展|引进|推荐|打造|举办|争创|资助|吸纳(?!.*[额量]$)|选派|评选|获批|获得|兑现|兑付|攻克|发放"
    r"|发动|召开|签订|征集|对接|聘任|遴选|安排|承担|选树|接收|承办|布局|建设|新增|净增|再增|解决|投放|购置"
)
_LEAD_RE = re.compile(
    rf"^(?:{_PUNCT}"
    r"|的|并(?!购)|对上|\d{1,2}[.、．)）]|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}[、是]"
    r"|(?:到|至|截至|截止)?(?:19|20)\d\d\s*年度?(?:\d{1,2}月)?(?:底|末|前)?"
    r"|(?:近|连续)[\d一二两三四五六七八九十]{1,3}(?:年|个月|个季度)"
    r"|第[\d一二三四五六七八九十]{1,3}次"
    r"|(?:到|至|截至|截止)?20[0-9][xX×]\s*年度?"
    r"|全市|全省|全国|全区|全县|全局|全厅|我市|我省|我县|我区|本市|本县|本区|年内|全年|今年|当年"
    r"|本年度?|每年|明年"
    r"|逐步|获(?![批得奖])|分别(?:是|为)?|[比较](?:上年|去年|上一年|前一年)(?:同期)?|同口径"
    r"|(?:截至|截止|到)?(?:第?[一二三四1-4]季度|前三季度|[上下]半年|\d{1,2}\s*[-—–至~]\s*\d{1,2}月)(?:末|底)?"
    r"|力争|争取|确保|努力|力求|计划|预计|拟|将|目前|截至目前|当前|其中|共计|累计|合计|总计"
    r"|共(?![同享建识性])|已经|已|进一步|继续|持续|同时|此外|另外|先后|通过|积极|全力|大力"
    r"|新增|净增|再增|再建设?|增加|新通过(?:认定|评审|备案|验收)?|新(?:建|认定|获批|备案|布局|培育"
    r"|引进|设立|组建|注册|入选|登记|入驻|落户)"
    rf"|{_LEAD_VERBS})"
)
_TRAIL_RE = re.compile(
    rf"(?:{_PUNCT}"
    r"|分别|总数|总量|数量|总额|规模|累计|共计|合计|总计|(?<!公)共|已经|已|将|预计|力争|争取"
    r"|(?<![\u4e00-\u9fff]{2}(?<![年内度]))计划"
    r"|确保|有|了|的|等|达到|达|实现|新增|净增|再增|增加|年均增长|年增长|同比增长|同比增速"
    r"|同比提高|同比下降|同比|同口径|负增长|增长|增幅|增速|提高|提升|下降|降低|降幅|减少|回落|下滑|上升"
    r"|年递增|递增"
    r"|较上年|比上年|较去年|在(?:上年|去年|上一年)?(?:的)?基础上"
    r"|比去年|较上一年|[较比](?:19|20)\d\d年|连续[\d一二三四五六七八九十]{1,3}年|年均|先后|继续"
    r"|保持|稳居|位居|居|位列|排名|进入|入库|立项|发放|完成|明确|建设|认定)$"
)
_BRACKETED_RE = re.compile(r"[（(][^（()）]{0,20}[)）]")
_QUOTE_MARKS_RE = re.compile(r"[“”‘’\"'《》「」『』]")
_POST_STOP_RE = re.compile(
    r"[，。；：、,;:！？!?\n\t（(0-9]|和|及|与|或(?![省市县区]级|国家)|等|的|在|到|被|将|把|向|从"
    r"|由|为|已|均|都|也|并|获(?!奖)|分别"
    r"|作为|成为|通过|参与|参加|纳入|列入|加入|获得|获批|开展|进行|入选|制定|实施|完成|成功|正式"
    r"|予以|提供|实现|建成|立项|签订|明确|达到|申报|联合|担任|结合|《"
    r"|重点(?:培育|扶持|支持)|绩效|考核|评估|专题研究|推荐|进入|上市"
)
_POST_NOT_NOUN = "以的等和及与或为在到被将从由已均都也并之"
_POST_RANK_RE = re.compile(r"(?:在?全[市省国区县州]|[省市县区]内)?(?:排名|位居|位列|居|列)?第")
_FENBIE_RE = re.compile(r"分别(?P<mid>[^，。；,;、]{0,12})$")
_LIST_JOIN_RE = re.compile(rf"{_SP}(?:、|和|及|与|以及|,){_SP}")
_NAME_SPLIT_RE = re.compile(r"以及|[、和与/]|及(?!其)")


# A place that opens a subject before a scope of its own ("青溪新区全社会…", "2023年青溪县规上
# 工业…") is the document's scope: a two-character name and 新区/市/县/区, not a word that ends
# so (高新区, 上市, 城区, 自治区). Before anything else it names one of several places' rows.
_PLACE_RE = re.compile(
    r"^[\s\u3000]*(?:(?:到|至|截至|截止)?(?:19|20)[0-9][0-9xX×]\s*年度?)?"
    r"(?![占在为对向从于的和及与])[\u4e00-\u9fff]{2}"
    r"(?:新区|市(?<![上城超都门股集]市)|县|区(?<![新发范贸税园社景片校城矿地治]区))"
    r"(?=全社会|全[市区县]|规上|规模以上)"
)
# A verb between the thing and its measure ("规上工业实现新产品产值", "重点项目完成投资").
# With a time scope before it ("3市全年实现技术合同成交额") the words before are a topic too.
_INNER_VERB_RE = re.compile(
    r"(?<=[\u4e00-\u9fff0-9]{2})(?P<scope>全年|今年|年内|当年|累计)?(?:实现|完成)"
    r"(?=[\u4e00-\u9fff]{2})"
)
# "创新能力在国家创新型城市评价中保持…": where a thing is measured is not the thing
_WHERE_RE = re.compile(r"(?<=[\u4e00-\u9fff]{2})在[^，。；,;在]{2,20}中$")
# comparisons with an average ("超全市均值", "高于全省平均水平") name no thing
_AVERAGE_RE = re.compile(
    r"(?:超|超过|超出|高于|低于|优于)?(?:全[市省国区县]|全国|全省|同期)?(?:平均水平|平均值|均值|平均)"
)


def _drop_inner_verb(s: str) -> str:
    m = _INNER_VERB_RE.search(s)
    if m is None:
        return s
    return s[m.end() :] if m["scope"] else s[: m.start()] + s[m.end() :]


# a bracket inside a word keeps its words: 工程(技术)中心 is 工程技术中心
_INNER_BRACKET_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])[（(]([\u4e00-\u9fff]{1,3})(?<![区县市省])[)）](?=[\u4e00-\u9fff])"
)


def _strip_affixes(s: str) -> str:
    """Scope words, hedges, verbs and cues off both ends; a name in quotes at the end is kept
    whole (“抢引计划” keeps its 计划)."""
    s = _BRACKETED_RE.sub("", _INNER_BRACKET_RE.sub(r"\1", s)).rstrip()
    s = _PLACE_RE.sub("", s, count=1)
    s = _WHERE_RE.sub("", _drop_inner_verb(s))
    quoted_end = s.endswith(("”", "》", "」", "』"))
    s = _QUOTE_MARKS_RE.sub("", s)
    while True:
        before = s
        s = _LEAD_RE.sub("", s, count=1)
        if not quoted_end:
            s = _TRAIL_RE.sub("", s, count=1)
        if s == before:
            return s


def _usable(s: str) -> str | None:
    s = s.strip()
    if 2 <= len(s) <= 40 and _CJK_RE.search(s):
        return s
    return None


# Words that name a measure, not a thing: with them the verb before is part of the subject
# ("培训人数达288人" is about 培训人数, not 人数).
_GENERIC_SUBJECTS = frozenset(
    (
        "人数",
        "金额",
        "数量",
        "总数",
        "人次",
        "次数",
        "规模",
        "资金",
        "目标",
        "任务",
        "项数",
        "件数",
        "户数",
    )
)


def _subject_before(pre: str) -> str | None:
    """The subject from the words before the number: strip scope words, hedges, verbs, cues."""
    s = _strip_affixes(pre)
    last = None
    for last in _TAIL_VERBS_RE.finditer(s):  # noqa: B007 - we want the last one
        pass
    if last is not None and len(s) - last.end() >= 2:
        s = _TRAIL_RE.sub("", s[last.end() :].strip())
    if s in _GENERIC_SUBJECTS:
        verb_and_noun = re.search(rf"[\u4e00-\u9fff]{{2}}{s}$", pre.rstrip().rstrip("的"))
        if verb_and_noun:
            s = verb_and_noun.group()
    return _tidy(s)


def _tidy(subject: str | None) -> str | None:
    """A subject as a clerk writes it: "A等B" is B, a place ("在…系统注册备案") is none."""
    if not subject:
        return None
    if "等" in subject[1:-1]:
        rest = subject[subject.rindex("等") + 1 :]
        if len(rest) >= 2:
            subject = rest
    if _TASK_ONLY_RE.fullmatch(subject):
        return None  # "完成全年任务的80.38%": a share of the subject before
    if _AVERAGE_RE.fullmatch(subject):
        return None  # "超全市均值23.6个百分点": a rate's lead over the average
    if subject.startswith(("在", "占")):
        return None  # a place; "占全年目标任务的110.7%" is a share of the subject before
    return _usable(subject)


_TASK_ONLY_RE = re.compile(
    r"(?:完成|占)?(?:全年|年度|本年度?|当年|上半年|全年度)?(?:目标)?任务(?:的)?"
)
_AGE_MODIFIER_RE = re.compile(r"^[0-9]{1,3}周?岁(?:以下|以上|及以下)?的?")
# "1家成功备案省级技术转移服务机构": what the counted things became is their subject.
_BECAME_RE = re.compile(r"^(?:成功|顺利|已|被)?(?:备案|认定|获批|入选|列入|评为|认定)为?")
_MEASURE_NOUN_RE = re.compile(r"总数|总量|数量|规模|总额|金额")
# Nominalised verbs that end a clause's object ("强化高新技术企业培育" -> 高新技术企业).
_OBJECT_TAIL_RE = re.compile(r"(?:培育|建设|工作|发展|引进|培养|认定|备案)$")
_CLOSING_MARKS = "”》」』\"'"
_TRAILING_JIANSHE_RE = re.compile(r"(?<=..)建设$")


_VERB_ONLY_RE = re.compile(rf"(?:{_LEAD_VERBS}|投用|兑现|落地|到位|开工|竣工|上线)(?:了)?")


def _subject_after(post: str) -> str | None:
    """The subject from a noun phrase right after the unit: "10余项重大科技创新工程"."""
    post = _BECAME_RE.sub("", _AGE_MODIFIER_RE.sub("", post))
    if not post or post[0] in _POST_NOT_NOUN or _POST_RANK_RE.match(post):
        return None
    if not ("\u4e00" <= post[0] <= "\u9fff" or post[0] in "“《\"'"):
        return None
    stop = _POST_STOP_RE.search(post, 1 if post[0] in "“《\"'" else 0)
    phrase = post[: stop.start()] if stop else post[:20]
    phrase = _QUOTE_MARKS_RE.sub("", phrase)
    phrase = _TRAILING_JIANSHE_RE.sub("", phrase[:20])
    if _VERB_ONLY_RE.fullmatch(phrase):
        return None  # "公交车50辆投放": a verb after the number, its subject is before it
    return _tidy(phrase)


def _subject_from_clause(clause: str) -> str | None:
    """The object of a clause that names what a following measure counts: the words after its
    verb, without a nominalised verb at the end ("强化高新技术企业培育" -> 高新技术企业)."""
    s = _strip_affixes(clause)
    s = _OBJECT_TAIL_RE.sub("", s) if len(s) > 4 else s
    return _usable(s) if s and not _CLAUSE_SEP_RE.search(s) else None


def _subject_after_quote(pre: str) -> str | None:
    """A quoted name followed by its class noun ("…“富硒…示范”项目1项"): the class noun."""
    cut = max(pre.rfind(mark) for mark in _CLOSING_MARKS)
    if cut < 0:
        return None
    return _usable(_strip_affixes(pre[cut + 1 :]))


# ---------------------------------------------------------------------------------------------
# Scanning
# ---------------------------------------------------------------------------------------------


@dataclass
class _Hit:
    start: int  # span start (comparator prefix included)
    end: int
    num_start: int
    subject_end: int  # the subject is looked for before this position
    value: int | float
    value_max: int | float | None
    unit: str
    comparator: str
    approximate: bool
    measure: str
    subject: str | None = None
    award: str | None = None  # a rank's object: "获省政府督查激励第一名"
    listed: str | None = None  # the names a rank lists: "前3名分别是A、B和C" -> "A、B、C"


class _Context:
    """One text with its quoted regions, and a way to find where a clause or sentence begins."""

    def __init__(self, text: str):
        self.text = text
        # The separator patterns read the same both ways, so the nearest separator before a
        # position is the first match in the reversed text: one search in C, no scan of all.
        self.reversed = text[::-1]
        quoted = [m.span() for m in _QUOTED_RE.finditer(text)]
        self.quoted_starts = [s for s, _ in quoted]
        self.quoted = quoted

    def start_of(self, separators: re.Pattern[str], pos: int, reach: int) -> int:
        """Where the segment holding ``pos`` begins, looking back at most ``reach`` characters."""
        n = len(self.text)
        end = min(n, n - pos + reach)
        m = separators.search(self.reversed, n - pos, end)
        return n - (m.start() if m else end)

    def is_quoted(self, pos: int) -> bool:
        i = bisect_right(self.quoted_starts, pos) - 1
        return i >= 0 and self.quoted[i][0] < pos < self.quoted[i][1]


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 - we want the last one
        pass
    return found


# a share named after a growth in the same clause: "同比增长89.04%、占总成交额的93.43%"
_SHARE_CUE_RE = re.compile(r"占(?![领用地])|比重|占比|比例")


def _measure_for(unit: str, text: str, start: int, end: int) -> tuple[str, int]:
    """Measure and sign (+1, or -1 for a decrease) from the cues in text[start:end]."""
    cues = list(_MEASURE_CUE_RE.finditer(text, start, end))
    nearest = cues[-1].lastgroup if cues else None
    if unit in _PERCENT_POINT_UNITS:
        return "share", -1 if nearest == "decrease" else 1
    if unit in _RATIO_UNITS:
        change = [c for c in cues if c.lastgroup in ("growth", "decrease")]
        share = _last(_SHARE_CUE_RE, text, change[-1].end(), end) if change else None
        if change and not (unit == "%" and share):
            return "growth", -1 if change[-1].lastgroup == "decrease" else 1
        return ("share" if unit == "%" else "other"), 1
    if nearest in ("increase", "growth"):
        return "increase", 1
    if nearest == "decrease":
        return "increase", -1
    if nearest == "total":
        return "total", 1
    return "other", 1


def _signed_rate(text: str, ns: int, unit: str) -> int | None:
    """Where the sign of a signed rate ("(-4.5%)", "为-3.5%", "+6.1%") is, or None: a ``-``
    or ``+`` glued to a % or 个百分点 with no digit, letter or numeral before it (5-3%, G-5%)."""
    if ns == 0 or text[ns - 1] not in "-+−" or unit not in (*_RATIO_UNITS, *_PERCENT_POINT_UNITS):
        return None
    before = text[ns - 2 : ns - 1]
    if before and ((before.isascii() and before.isalnum()) or before in f"%.,{_CN}"):
        return None
    return ns - 1


def _cue_start(text: str, clause: int, ns: int) -> int:
    """Where the cues of a number's measure begin: its clause, but not before a bracket it is
    in nor before 其中 ("下降1.3%(其中发明专利授权2246件" is no fall of 2246 patents)."""
    start = clause
    for mark in ("(", "（", "其中"):
        i = text.rfind(mark, start, ns)
        if i >= 0:
            start = i + len(mark)
    return start


def _split_magnitude(number: str) -> tuple[str, str]:
    """'3亿' -> ('3', '亿'); '一千二百万' -> ('一千二百', '万'); '30' -> ('30', '')."""
    if number[:1] in "0123456789":
        core = number.rstrip("十百千万亿")
        return core, number[len(core) :]
    if len(number) > 1 and number[-1] in "万亿":
        return number[:-1], number[-1]
    return number, ""


def _scan_ranks(ctx: _Context) -> list[_Hit]:
    text, hits = ctx.text, []
    for m in _RANK_RE.finditer(text):
        start, end = m.span()
        if ctx.is_quoted(start):
            continue
        listed = _listed_names(text, end) if m["which"] == "前" and m["unit"] else None
        nxt = text[end : end + 1]
        if listed is None and nxt and ("\u4e00" <= nxt <= "\u9fff" or nxt.isdigit()):
            continue  # 第一批, 第3位院士, 前三季度
        value = _parse_number(m["num"])
        if value is None or value < 1 or value != int(value):
            continue
        clause = ctx.start_of(_CLAUSE_SEP_RE, start, _CLAUSE_REACH)
        verb = _RANK_VERB_RE.search(text, max(clause, start - 18), start)
        if verb is None and listed is None:
            verb = _RANK_SCOPE_RE.search(text, max(clause, start - 3), start)
            if verb is None or m["which"] != "第":
                continue
        hits.append(
            _Hit(
                start=start,
                end=end,
                num_start=m.start("num"),
                subject_end=verb.start() if verb else start,
                award=_usable(_strip_affixes(text[verb.end("verb") : start]))
                if verb and verb.lastgroup == "verb" and verb["verb"].startswith("获")
                else None,
                value=value,
                value_max=None,
                unit=m["unit"] or "",
                comparator="=" if m["which"] == "第" else "<=",
                approximate=False,
                measure="rank",
                listed=listed,
            )
        )
    return hits


# "增速前3名分别是A、B和C": the top places named after a rank with no verb
_LISTED_RE = re.compile(r"(?:分别是|分别为|依次是|依次为)([^，。；,;！？!?\n]{2,60})")


def _listed_names(text: str, end: int) -> str | None:
    m = _LISTED_RE.match(text, end)
    if m is None:
        return None
    names = [_usable(n) for n in _NAME_SPLIT_RE.split(m.group(1))]
    return "、".join(names) if len(names) >= 2 and all(names) else None  # type: ignore[arg-type]


# An index has no unit: "区域创新指数108.5", "综合指数为86.2".
_INDEX_RE = re.compile(
    r"指数(?P<cue>为|达到|达|是)?[ \u3000]{0,2}(?P<num>[0-9]+(?:\.[0-9]+)?)"
    r"(?![0-9.%％,，]?[0-9]|[ \u3000]*(?:[%％‰]|[\u4e00-\u9fff](?<![，。；、居位排较比同增上])))"
)


def _scan_indexes(ctx: _Context) -> list[_Hit]:
    text, hits = ctx.text, []
    for m in _INDEX_RE.finditer(text):
        if ctx.is_quoted(m.start()):
            continue
        value = _parse_number(m["num"])
        if value is None:
            continue
        start = m.start("cue") if m["cue"] else m.start("num")
        hits.append(
            _Hit(
                start=start,
                end=m.end(),
                num_start=m.start("num"),
                subject_end=m.start() + 2,
                value=value,
                value_max=None,
                unit="",
                comparator="=",
                approximate=False,
                measure="total" if m["cue"] in ("达到", "达", "为") else "other",
            )
        )
    return hits


def _scan_quantities(ctx: _Context, ranks: list[_Hit]) -> list[_Hit]:
    text, hits = ctx.text, []
    in_rank = bytearray(len(text) + 1)
    for h in ranks:
        in_rank[h.start : h.end] = b"\x01" * (h.end - h.start)
    pos = 0
    while True:
        m = _QUANTITY_RE.search(text, pos)
        if m is None:
            return hits
        hit = _read_quantity(ctx, m, in_rank)
        if hit is None:
            pos = m.start() + 1
        else:
            hits.append(hit)
            pos = m.end()


# "第17、18件": the numbers of listed items; "每增减5%加减0.5分", "超过5个以上计5分": the terms
# of a scoring rule; "五届二次全会", "人大三次会议": a session's number; "二次结构" a word.
_ITEM_LIST_RE = re.compile(
    r"第[0-9一二三四五六七八九十]+(?:[、，,][0-9一二三四五六七八九十]+)*[、，,和及与]$"
)
_RULE_BEFORE_RE = re.compile(r"每(?:增|减|提高|降低|超|多|少|下降|上升)[^，。；,;]{0,6}$")
_RULE_AFTER_RE = re.compile(r"[^，。；,;\n]{0,8}?(?:计|得|加|扣|减)[0-9.]+分")
_SESSION_RE = re.compile(r"届[^，。；,;\n]{0,6}$")


# A threshold inside a noun phrase ("1个产值过50亿元的企业", "3家营收超10亿元的龙头企业")
# says which things are counted; it is no indicator of its own.
_THRESHOLD_WORD = r"[\u4e00-\u9fff]{1,5}(?<![超通经度不越])(?:过|超过|超|达到|达|在)"
_THRESHOLD_COUNTED_RE = re.compile(
    rf"[0-9一二两三四五六七八九十]+[个家户项所]{_THRESHOLD_WORD}[ \u3000]?$"
)
_THRESHOLD_BEFORE_RE = re.compile(rf"{_THRESHOLD_WORD}[ \u3000]?$")
_THRESHOLD_AFTER_RE = re.compile(
    rf"{_THRESHOLD_WORD}[ \u3000]?[0-9][0-9. ]*[十百千万亿]*[元个家项人%]*(?:以上|及以上)?"
    r"(?:[、和及与][^，。；,;]{0,40})?的(?=[\u4e00-\u9fff])"
)


def _is_threshold(text: str, ns: int, end: int) -> bool:
    before = text[max(0, ns - 10) : ns]
    if _THRESHOLD_COUNTED_RE.search(before):
        return True
    return text.startswith("的", end) and bool(_THRESHOLD_BEFORE_RE.search(before))


def _not_a_count(text: str, ns: int, end: int, m: re.Match[str], prev: str, unit: str) -> bool:
    before = text[max(0, ns - 16) : ns]
    if _ITEM_LIST_RE.search(before) or _RULE_BEFORE_RE.search(before):
        return True
    if _RULE_AFTER_RE.match(text, end):
        return True
    if unit == "次" and (
        _SESSION_RE.search(before) or text.startswith("全会", end) or m["num"] == "二"
    ):
        return True
    # “蓝、黄、红”三单: a number naming a quoted list is part of the name
    return prev in "”》" and m["num"] is not None and not m["num"][0].isdigit()


def _read_quantity(ctx: _Context, m: re.Match[str], in_rank: bytearray) -> _Hit | None:
    text = ctx.text
    ns, end = m.start(), m.end()
    if ctx.is_quoted(ns) or 1 in in_rank[ns:end]:
        return None
    if _NAME_RE.match(text, ns):
        return None
    before = text[max(0, ns - 8) : ns]
    unit = m["unit"]
    sign_at = _signed_rate(text, ns, unit)
    if sign_at is not None:
        before = text[max(0, sign_at - 8) : sign_at]
    prev = before.rstrip(" \u3000\u00a0")[-1:]
    if prev in ("第", "届") or (prev and prev in "+/#@&_*X×"):
        return None
    if prev.isascii() and prev.isalpha():
        return None  # G20, R2
    if text[end : end + 1] in ("+", "/"):
        return None
    if unit.endswith("亿") and not m[("lo" if m["dash"] else "num")][0].isdigit():
        return None  # 上亿, 十亿: a magnitude word; 120亿 and 1.6万亿 are amounts
    if prev == "前" and unit in ("位", "名"):
        return None  # a rank without its verb: leave it alone
    if _not_a_count(text, ns, end, m, prev, unit):
        return None
    if _is_threshold(text, ns, end):
        return None

    is_range = m["dash"] is not None
    numbers = (
        [m["lo"] + (m["lo_mult"] or ""), m["hi"] + (m["hi_mult"] or "")]
        if is_range
        else [m["num"] + (m["num_mult"] or "")]
    )
    prefix = _PREFIX_RE.search(before)
    prefix_word = prefix.group().rstrip(" \u3000\u00a0") if prefix else None

    if prev in ("数", "几") and numbers[0][0] in "十百千万亿":
        return None  # 数十家, 几百项: "dozens of", no number
    magnitude = ""
    values = []
    for number in numbers:
        if number[0] in "百千万亿" and prefix_word not in ("近", "上", "约", "逾"):
            return None  # 千家万户, 氢进万家: a bare magnitude is a word, not a count
        if unit in _SCALED_UNITS:
            number, magnitude = _split_magnitude(number)
            if not number:
                return None
        value = _parse_number(number)
        if value is None:
            return None
        values.append(value)
    if prefix_word == "上" and numbers[0][0] not in "百千万亿":
        prefix_word, prefix = None, None  # "以上3家": 上 only means "as many as" before 千/万
    if is_range and not values[0] < values[1]:
        return None
    if not is_range and numbers[0] == "一" and not prefix and not _ONE_CUE_RE.search(before):
        return None  # 一项重要举措, 一个中心
    unit = magnitude + unit

    clause = ctx.start_of(_CLAUSE_SEP_RE, ns, _CLAUSE_REACH)
    measure, sign = _measure_for(unit, text, _cue_start(text, clause, ns), ns)
    if sign_at is not None:
        # "(-4.5%)" beside a name, "增速为-3.5%": the printed sign says the direction.
        sign = -1 if text[sign_at] in "-−" else 1
        measure = "growth" if unit in _RATIO_UNITS else measure
        ns = sign_at
    if measure == "other" and prefix_word in ("为", "约为"):
        # "目标任务为1533万元" states a level; "明确为", "评为" name what a thing became.
        at = ns - len(before) + prefix.start()
        if text[at - 1 : at] not in _BECAME_BEFORE_WEI:
            measure = "total"
    if unit.endswith(_WEAK_UNITS) and not (
        prefix
        or m["suffix"]
        or _MEASURE_CUE_RE.search(text, clause, ns)
        or _WEAK_UNIT_END_RE.match(text, end)
    ):
        return None  # "230亩地建设规划": an area that names a place, not a measured one

    approx_word = m["approx"]
    suffix = m["suffix"]
    if is_range:
        comparator = "range"
    elif suffix:
        comparator = _SUFFIX_COMPARATOR[suffix]
    elif approx_word:
        comparator = ">="
    elif prefix_word in _PREFIX_COMPARATOR:
        comparator = _PREFIX_COMPARATOR[prefix_word]
    elif _AT_LEAST_VERB_RE.search(before):
        comparator = ">="  # "至少召开两次会议"
    else:
        comparator = "="
    approximate = bool(approx_word or suffix in ("左右", "上下") or prefix_word in _APPROX_PREFIXES)
    value, value_max = values[0], (values[1] if is_range else None)
    if sign < 0:
        comparator = _MIRROR[comparator]
        value, value_max = (-value_max, -value) if is_range else (-value, None)
    start = ns - (len(before) - prefix.start()) if prefix else ns
    return _Hit(
        start=start,
        end=end,
        num_start=ns,
        subject_end=start,
        value=value,
        value_max=value_max,
        unit=unit,
        comparator=comparator,
        approximate=approximate,
        measure=measure,
    )


_STRUCTURE_RE = re.compile(r"(?:方面|指标)$")


def _counts_the_text_itself(text: str, hit: _Hit) -> bool:
    """ "以下六个方面", "12项总体指标", "承担的四项任务": a count of the document's own parts,
    headings or assessment items, not of anything done."""
    subject = hit.subject or ""
    if hit.measure == "rank" or hit.unit not in ("个", "项", "条"):
        return False
    if _STRUCTURE_RE.search(subject):
        return True
    spelled = not text[hit.num_start].isdigit()
    return spelled and hit.value <= 10 and "任务" in subject


def _assign_subjects(ctx: _Context, hits: list[_Hit]) -> None:
    prev_end = 0
    for hit in hits:
        hit.subject = _own_subject(ctx, hit, prev_end)
        prev_end = hit.end
    _pair_lists(ctx, hits)
    _inherit_subjects(ctx, hits)
    _share_cues(ctx, hits)


_BARE_NOUN_RE = re.compile(r"[\u4e00-\u9fffA-Za-z&()（）、]{2,24}")


def _share_cues(ctx: _Context, hits: list[_Hit]) -> None:
    """A cue shared by a list of "noun N unit" clauses ("拥有A 5家,B 6家,C 13家"): a count
    with no cue of its own, right after a counted total or increase, has its measure."""
    text = ctx.text
    shared = False  # the previous count is one of the list, its cue before its noun
    for previous, hit in zip(hits, hits[1:], strict=False):
        if not shared and previous.measure in ("total", "increase") and previous.unit:
            clause = ctx.start_of(_CLAUSE_SEP_RE, previous.num_start, _CLAUSE_REACH)
            cue = _last(_MEASURE_CUE_RE, text, clause, previous.start)
            shared = cue is not None and _is_bare_noun(text[cue.end() : previous.start])
        if (
            shared
            and hit.measure == "other"
            and hit.start == hit.num_start  # no comparator word of its own
            and hit.unit not in _RATIO_UNITS
            and previous.unit not in _RATIO_UNITS
            and hit.start > previous.end + 1
            and text[previous.end] in ",，、"
            and _is_bare_noun(text[previous.end + 1 : hit.start])
        ):
            hit.measure = previous.measure
        else:
            shared = False


def _is_bare_noun(s: str) -> bool:
    """A noun phrase with no verb or cue in it ("众创空间", "工程(技术)中心")."""
    s = s.strip()
    return bool(
        _BARE_NOUN_RE.fullmatch(s)
        and not _MEASURE_CUE_RE.search(s)
        and not _TAIL_VERBS_RE.search(s)
        and _strip_affixes(s) == _BRACKETED_RE.sub("", _INNER_BRACKET_RE.sub(r"\1", s))
    )


_CLAUSE_END_RE = re.compile("[，。；,;\n]")


def _own_subject(ctx: _Context, hit: _Hit, prev_end: int) -> str | None:
    """The subject from the words around the number itself."""
    text = ctx.text
    limit = max(ctx.start_of(_LIST_SEP_RE, hit.num_start, _CLAUSE_REACH), prev_end)
    stop = _CLAUSE_END_RE.search(text, hit.end, hit.end + 40)
    clause_end = stop.start() if stop else hit.end + 40
    if hit.listed:
        return hit.listed
    post = text[hit.end : clause_end] if hit.measure != "rank" else ""
    if hit.unit == "项" and post.startswith("目"):
        return "项目"  # 资助44项目: the 项 of 项目 is the counting word
    threshold = _THRESHOLD_AFTER_RE.match(post)
    if threshold:  # "1个产值过50亿元、5个产值过10亿元的高新技术企业": the things after 的
        return _subject_after(post[threshold.end() :])
    after = _subject_after(post)
    if after:
        return after
    pre = text[limit : hit.subject_end] if limit < hit.subject_end else ""
    before_number = text[max(0, hit.start - 2) : hit.start].rstrip()
    if before_number.endswith("等") and limit > 0 and text[limit - 1] == "、":
        # "A、B、C等9部门": the number sums up a list; its subject is what the list is of.
        return hit.unit if hit.unit in ("部门", "单位") else None
    subject = _subject_before(pre) or hit.award
    clause = max(ctx.start_of(_CLAUSE_SEP_RE, hit.num_start, _CLAUSE_REACH), prev_end)
    if "、" in text[clause:limit] and clause < limit:
        # "新备案省级以上科技企业孵化器、众创空间5个以上": one number for the listed kinds.
        listed = _subject_before(text[clause : hit.subject_end])
        if listed and "、" in listed and all(1 <= len(p) <= 16 for p in listed.split("、")):
            return listed
    if subject is None and clause > 0:
        # "强化高新技术企业培育，争取总数突破5300家", "扩大贷款的规模，力争达到15亿元": the
        # clause before names what is counted.
        previous = ctx.start_of(_CLAUSE_SEP_RE, clause - 1, _CLAUSE_REACH)
        before = text[previous : clause - 1]
        if previous >= prev_end and (
            _MEASURE_NOUN_RE.search(pre)
            or (_MEASURE_NOUN_RE.search(before[-3:]) and not _strip_affixes(pre))
        ):
            subject = _subject_from_clause(before)
    if subject is None and len(pre) >= _CLAUSE_REACH - 10:
        subject = _subject_after_quote(pre)
    return subject


def _inherit_subjects(ctx: _Context, hits: list[_Hit]) -> None:
    """Numbers without a subject of their own take one from a number before them in the same
    sentence: the parts after 其中 that of the whole before it ("共梳理制度流程58项，其中新建
    21项"), a growth, share or rank that of the number it qualifies ("1027家，增幅46.09%")."""
    text = ctx.text
    starts = [h.start for h in hits]
    for index, hit in enumerate(hits):
        if hit.subject is not None:
            continue
        qualifier = hit.measure in ("growth", "share", "rank")
        if qualifier:
            hit.subject = _masked_subject(ctx, hit, hits[index - 1].end if index else 0)
            if hit.subject is not None:
                continue
        if index == 0:
            continue
        sentence = ctx.start_of(_SENTENCE_SEP_RE, hit.start, _SENTENCE_REACH)
        previous = hits[index - 1]
        if qualifier and previous.subject and previous.end < sentence:
            # "A增长26.6%，增速全市第1；占规上工业增加值比重66.2%": over one semicolon, a
            # share, growth or rank with no subject still qualifies the number before it.
            stop = ctx.start_of(_FULL_STOP_RE, hit.start, _SENTENCE_REACH)
            between = text[previous.end : sentence]
            if stop <= previous.start and len(_SEMICOLON_RE.findall(between)) == 1:
                hit.subject = previous.subject
                continue
        first = bisect_left(starts, sentence, 0, index)
        earlier = [h for h in hits[first:index] if h.subject]
        if not earlier:
            continue
        qualifies = qualifier and earlier[-1] is previous
        among = text.rfind("其中", sentence, hit.start)
        if among >= 0 and not (qualifies and hits[index - 1].start > among):
            wholes = [h for h in earlier if h.end <= among]
            same_unit = [h for h in wholes if h.unit == hit.unit]
            if same_unit or wholes:
                hit.subject = (same_unit or wholes)[-1].subject
                continue
        same_unit = [h for h in earlier if h.unit == hit.unit]
        if same_unit and hit.measure in ("increase", "total", "other"):
            # "769家规模以上企业…，较上年增加133家": the change of the number before it.
            hit.subject = same_unit[-1].subject
        elif qualifies:
            hit.subject = earlier[-1].subject


_SEMICOLON_RE = re.compile("[；;]")
# an amount whose digits are masked ("完成xx亿元"): no indicator, but the subject of its clause
# is what a growth, share or rank after it qualifies
_MASKED_RE = re.compile(r"(?<![A-Za-z])[xX×*]{1,4}[ ]?[十百千万亿]?(?:元|家|个|项|人|件|%)")


def _masked_subject(ctx: _Context, hit: _Hit, after: int) -> str | None:
    """The subject of a masked amount between ``after`` and the number, in its sentence."""
    start = max(after, ctx.start_of(_FULL_STOP_RE, hit.start, _SENTENCE_REACH))
    masked = _last(_MASKED_RE, ctx.text, start, hit.start)
    if masked is None:
        return None
    clause = max(start, ctx.start_of(_CLAUSE_SEP_RE, masked.start(), _CLAUSE_REACH))
    return _subject_before(ctx.text[clause : masked.start()])


def _list_groups(ctx: _Context, hits: list[_Hit]) -> list[list[_Hit]]:
    """Runs of numbers printed as one list ("1700家、1200家", "4.5%和16.0%")."""
    text, groups, i = ctx.text, [], 0
    while i < len(hits):
        j = i
        while j + 1 < len(hits) and _LIST_JOIN_RE.fullmatch(text, hits[j].end, hits[j + 1].start):
            j += 1
        groups.append(hits[i : j + 1])
        i = j + 1
    return groups


def _one_list(text: str, hits: list[_Hit]) -> bool:
    return all(
        _LIST_JOIN_RE.fullmatch(text, a.end, b.start) for a, b in zip(hits, hits[1:], strict=False)
    )


def _name_of(part: str) -> str:
    """One listed name without its affixes; a measure word keeps its verb (登记项数)."""
    name = _strip_affixes(part)
    if name in _GENERIC_SUBJECTS:
        with_verb = re.search(rf"[\u4e00-\u9fff]{{2}}{name}$", part.rstrip())
        if with_verb:
            return with_verb.group()
    return name


def _split_names(named: str, count: int) -> list[str] | None:
    """``count`` names from "A、B和C" (affixes stripped), or None when the list is not that."""
    parts = _NAME_SPLIT_RE.split(named)
    if len(parts) != count:
        return None
    names = [_usable(_name_of(n)) for n in parts]
    return names if all(names) else None  # type: ignore[return-value]


def _names_in_clauses_before(ctx: _Context, group: list[_Hit], sentence: int) -> list[str] | None:
    """The names a list of values goes with, printed in an earlier clause of the sentence:
    "技术开发、技术服务两类合同…领先，分别登记5896项、5216项", "前3名分别是A、B、C，增长率
    分别为…"."""
    text = ctx.text
    end = ctx.start_of(_CLAUSE_SEP_RE, group[0].num_start, _CLAUSE_REACH)
    for _ in range(3):
        if end <= sentence + 1:
            return None
        start = max(sentence, ctx.start_of(_CLAUSE_SEP_RE, end - 1, _CLAUSE_REACH))
        clause = text[start : end - 1]
        end = start
        lead = _NAMES_LEAD_RE.search(clause)
        if lead:
            clause = clause[lead.end() :]
        if "、" not in clause or _DIGIT_RE.search(clause):
            continue
        tail = _NAMES_TAIL_RE.search(clause, clause.rfind("、") + 1)
        if tail:
            clause = clause[: tail.start()]
        names = _split_names(clause, len(group))
        if names:
            return names
    return None


_DIGIT_RE = re.compile(r"[0-9]")
# what opens a list of names ("增速前3名分别是A、B、C") and what follows its last name
_NAMES_LEAD_RE = re.compile(r"^.*(?:分别是|分别为|依次为|依次是|包括)")
_NAMES_TAIL_RE = re.compile(
    r"[两二三四五六七八九十]+[类个项家种大]|等|均|分别|位居|位列|居|排名|排在|领先|遥遥|的"
)


def _pair_lists(ctx: _Context, hits: list[_Hit]) -> None:
    """Give each value of a list its own subject, in order: "A、B分别达到1700家、1200家",
    "A、B达6588家、6403家"; a list with no names of its own takes those of an earlier list of
    the same length in its sentence ("新增A 30家、B 50家，总数分别达到300家、500家",
    "…分别为M家、N家，分别增长x%、y%") or of a list of names before it. The values of a list
    share the measure of its first ("分别为551.43亿元、25.49亿元")."""
    text = ctx.text
    index = {id(h): i for i, h in enumerate(hits)}
    for group in _list_groups(ctx, hits):
        if len(group) < 2:
            continue
        first = group[0]
        clause = ctx.start_of(_CLAUSE_SEP_RE, first.num_start, _CLAUSE_REACH)
        sentence = ctx.start_of(_FULL_STOP_RE, first.num_start, _PARAGRAPH_REACH)
        fenbie = _FENBIE_RE.search(text, clause, first.start)
        before = text[clause : fenbie.start() if fenbie else first.subject_end]
        names = _split_names(_strip_affixes(before), len(group))
        if len({h.unit for h in group}) > 1:
            # values of different things ("3785万元,10个") pair only with names that 分别 gives
            # them ("成交额、登记项数分别为8.2亿元、260项")
            if fenbie and names:
                for hit, name in zip(group, names, strict=True):
                    hit.subject = name
                _share_measure(group)
            continue
        own = {h.subject for h in group} - {None}
        common = _subject_before(fenbie["mid"]) if fenbie and names is None else None
        if common:  # "分别获批财政资金1521万元和1602万元": a noun of their own
            names = [common] * len(group)
        if names is None and (fenbie or len(own) <= 1):
            at = index[id(first)]
            earlier = hits[max(0, at - len(group)) : at]
            subjects = [h.subject for h in earlier]
            if (
                len(earlier) == len(group)
                and earlier[0].start >= sentence
                and (len({h.unit for h in earlier}) == 1 or _one_list(text, earlier))
                and all(subjects)
                and len(set(subjects)) == len(group)
            ):
                noun = own.pop() if len(own) == 1 else None
                names = [
                    n + noun if noun and noun not in n and len(noun) <= 4 else n
                    for n in subjects  # type: ignore[operator]
                ]
            elif not own or len(next(iter(own))) <= 4:
                # a short noun of their own (成交额, 研发投入) goes with each name
                names = _names_in_clauses_before(ctx, group, sentence)
                noun = next(iter(own)) if own else None
                if names and noun:
                    names = [n if noun in n else n + noun for n in names]
        if names is not None:
            for hit, name in zip(group, names, strict=True):
                hit.subject = name
        _share_measure(group)


def _share_measure(group: list[_Hit]) -> None:
    first = group[0]
    ratio = first.unit in _RATIO_UNITS
    for hit in group[1:]:
        if (
            hit.measure == "other"
            and first.measure != "other"
            and (hit.unit in _RATIO_UNITS) == ratio
        ):
            hit.measure = first.measure


def find_indicators(
    text: str, *, kind: str = "target", default_year: int | None = None, offset: int = 0
) -> list[Indicator]:
    """Every quantitative indicator in ``text``, in order of position.

    ``kind`` is the caller's default ("target" for a plan, "actual" for a report); a cue in the
    sentence overrides it per number. ``default_year`` is used when the text names no year (or
    says 年内/今年). Spans are offsets into ``text`` plus ``offset``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    norm = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
    norm, where = _join_broken_lines(norm)
    ctx = _Context(norm)
    ranks = _scan_ranks(ctx)
    hits = sorted(ranks + _scan_quantities(ctx, ranks) + _scan_indexes(ctx), key=lambda h: h.start)
    _assign_subjects(ctx, hits)
    hits = [h for h in hits if not _counts_the_text_itself(ctx.text, h)]

    out = []
    for hit in hits:
        cue_kind, hedge = _read_cues(ctx, hit.num_start)
        out.extend(
            Indicator(
                subject=subject,
                kind=cue_kind or kind,
                measure=hit.measure,
                comparator=hit.comparator,
                value=hit.value,
                value_max=hit.value_max,
                unit=hit.unit,
                year=_year(ctx, hit.start, default_year),
                span=(
                    (hit.start + offset, hit.end + offset)
                    if where is None
                    else (where[hit.start] + offset, where[hit.end - 1] + 1 + offset)
                ),
                hedge=hedge,
                approximate=hit.approximate,
            )
            for subject in _each_subject(hit)
        )
    return out


# A line break with the white space around it, between two characters of one word or number.
_BREAK_RE = re.compile(r"(?<=[0-9.\u4e00-\u9fff，、,])[ \t\u3000]*\n\s*(?=[0-9\u4e00-\u9fff])")
_LINE_RE = re.compile(r"[^\n]*")
# Lines narrower than this (in columns, a CJK character taking two) are no wrapped page width.
_MIN_WRAP_WIDTH = 30


def _width(line: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)


def _join_broken_lines(text: str) -> tuple[str, list[int] | None]:
    """Text converted from PDF breaks its lines at the page's width, inside words ("技\n术合同")
    and numbers ("7469.\n\n13 亿元", "分别增长\n26.3%"). A break is read through when it
    cuts a number after its decimal point, or when its line fills the width of the text's
    widest lines and a character of a word or number is on either side of it. A short line (a
    heading, a paragraph's last line) keeps its break. Returns the joined text and, when it
    differs, where each of its characters is in ``text``."""
    if "\n" not in text:
        return text, None
    breaks = list(_BREAK_RE.finditer(text))
    if not breaks:
        return text, None
    widths = {m.start(): _width(m.group()) for m in _LINE_RE.finditer(text) if m.group()}
    widest = max(widths.values(), default=0)
    line_starts = sorted(widths)
    join = []
    for m in breaks:
        before, after = text[m.start() - 1], text[m.end()]
        if before == "." and after.isdigit() and text[m.start() - 2 : m.start() - 1].isdigit():
            join.append(m)
            continue
        line = line_starts[bisect_right(line_starts, m.start() - 1) - 1]
        width = widths[line]
        if width >= _MIN_WRAP_WIDTH and width >= 0.7 * widest:
            join.append(m)
    if not join:
        return text, None
    parts, where, pos = [], [], 0
    for m in join:
        parts.append(text[pos : m.start()])
        where.extend(range(pos, m.start()))
        pos = m.end()
    parts.append(text[pos:])
    where.extend(range(pos, len(text) + 1))
    return "".join(parts), where


def _each_subject(hit: _Hit) -> list[str | None]:
    """A rate or rank of a list of kinds is one of each ("A、B增长10%以上", "A、B位居前两位");
    a count of them is their sum ("新备案孵化器、众创空间5个以上")."""
    subject = hit.subject
    if subject and "、" in subject and (hit.unit in _RATIO_UNITS or hit.measure == "rank"):
        names = [_usable(n) for n in _NAME_SPLIT_RE.split(subject)]
        if all(names):
            return names  # type: ignore[return-value]
    return [subject]


def _read_cues(ctx: _Context, pos: int) -> tuple[str | None, str | None]:
    """(kind, hedge) from the cues before ``pos``; the nearest cue decides the kind."""
    sentence = ctx.start_of(_SENTENCE_SEP_RE, pos, _SENTENCE_REACH)
    clause = ctx.start_of(_CLAUSE_SEP_RE, pos, _CLAUSE_REACH)
    kind = hedge = None
    year_on_year = False
    for m in _CUE_RE.finditer(ctx.text, sentence, pos):
        group = m.lastgroup
        if group == "measured":
            continue
        if group in ("weak", "yoy") and m.start() < clause:
            continue
        if group == "yoy":
            year_on_year = True
            continue
        kind = "actual" if group == "actual" else "target"
        if group in ("hedge", "weak"):
            hedge = m.group()
    if kind is None and year_on_year:
        kind = "actual"
    if kind is None and sentence > 0:
        # "截至目前，A达到310件；完成B 134件，…": an opening 截至/目前/已 reports the whole
        # sentence, over its semicolons.
        opening = ctx.start_of(_FULL_STOP_RE, pos, _PARAGRAPH_REACH)
        if opening < sentence and _REPORT_OPENING_RE.match(ctx.text, opening):
            kind = "actual"
    return kind, hedge


_FULL_STOP_RE = re.compile(r"[。！？!?\n\t]")
_REPORT_OPENING_RE = re.compile(r"[\s\u3000]*(?:截至|截止|目前|已)")
_TOPIC_LEAD_RE = re.compile(r"\s*(?:截至|截止|到|至|在|于|自|从)?\s*")


def _year(ctx: _Context, pos: int, default_year: int | None) -> int | None:
    """The year a number belongs to: a year named earlier in the number's own clause, or one
    that opens an earlier clause of its sentence as its topic ("2020年度，全市…；…2.79%").
    A year inside another clause ("被评为2020年度十大科技成果；6项成果…") names that clause's
    thing only. Found by jumping from one 年 back to the one before it, within the paragraph."""
    text = ctx.text
    paragraph = ctx.start_of(_PARAGRAPH_SEP_RE, pos, _PARAGRAPH_REACH)
    clause = ctx.start_of(_CLAUSE_SEP_RE, pos, _PARAGRAPH_REACH)
    sentence = ctx.start_of(_FULL_STOP_RE, pos, _PARAGRAPH_REACH)
    end = pos
    while (i := text.rfind("年", paragraph, end)) >= 0:
        found = _last(_YEAR_RE, text, max(paragraph, i - 6), min(pos, i + 2))
        end = i
        if found is None or not found.start() <= i < found.end() or ctx.is_quoted(i):
            continue
        year = default_year if found.group(1) is None else int(found.group(1))
        if found.start() >= clause:
            return year
        if found.start() < sentence:
            return default_year
        opening = ctx.start_of(_CLAUSE_SEP_RE, found.start(), _CLAUSE_REACH)
        if _TOPIC_LEAD_RE.fullmatch(text, opening, found.start()):
            return year
    return default_year


# ---------------------------------------------------------------------------------------------
# Values in the cells of an indicator table
# ---------------------------------------------------------------------------------------------

_CELL_VALUE_RE = re.compile(
    rf"""
    (?P<prefix>≥|>=|＞=|≤|<=|＞|>|＜|<|约|近|不低于|不少于|不超过|不高于|超过|突破|达到)?\s*
    (?P<num>{_NUM})(?:\s*(?P<mult>{_MULT}))?
    (?:\s*(?P<dash>{_DASH})\s*(?P<hi>{_NUM})(?:\s*(?P<hi_mult>{_MULT}))?)?
    \s*(?P<approx>余|多)?\s*(?P<unit>{_UNIT})?\s*(?P<suffix>{_SUFFIX})?
    """,
    re.VERBOSE,
)
_CELL_PREFIX = {
    "≥": ">=", ">=": ">=", "＞=": ">=", "不低于": ">=", "不少于": ">=", "≤": "<=", "<=": "<=",
    "不超过": "<=", "不高于": "<=", "＞": ">", ">": ">", "超过": ">", "突破": ">", "＜": "<",
    "<": "<", "约": "~", "近": "~", "达到": "=",
}  # fmt: skip
_NAME_GROWTH_RE = re.compile(r"增长|增速|增幅|增长率")
_NAME_SHARE_RE = re.compile(r"占比|比重|比例|强度|率")
_NAME_INCREASE_RE = re.compile(r"新增|净增|新认定|新建|新备案|新引进|新培育|增加")
_NAME_TOTAL_RE = re.compile(r"总数|总量|总额|累计|数量|保有量|规模")
_NAME_RANK_RE = re.compile(r"排名|位次|名次")


def measure_of_name(name: str, unit: str) -> str:
    """The measure an indicator's name implies (高新技术企业数量 total, 研发投入增速 growth)."""
    if _NAME_RANK_RE.search(name):
        return "rank"
    if unit in _PERCENT_POINT_UNITS:
        return "share"
    if unit in _RATIO_UNITS:
        return "growth" if _NAME_GROWTH_RE.search(name) else ("share" if unit == "%" else "other")
    if _NAME_INCREASE_RE.search(name):
        return "increase"
    if _NAME_TOTAL_RE.search(name):
        return "total"
    return "other"


def read_cell_value(
    text: str,
    *,
    unit: str,
    subject: str | None,
    kind: str,
    year: int | None,
    offset: int = 0,
) -> Indicator | None:
    """The one value of an indicator table's cell ("1500", "≥2.5%", "3-5", "约10亿元"), with
    the table's unit when the cell prints none. None when the cell holds anything else."""
    norm = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
    stripped = norm.strip()
    m = _CELL_VALUE_RE.fullmatch(stripped)
    if m is None or not m["num"]:
        return None
    lead = len(norm) - len(norm.lstrip())
    cell_unit = m["unit"] or ""
    shown_unit = cell_unit or unit
    scaled = cell_unit in _SCALED_UNITS and bool(m["mult"])
    if scaled:
        shown_unit = m["mult"] + cell_unit  # 约10亿元: the unit as printed is 亿元
    values = []
    for number, mult in ((m["num"], m["mult"]), (m["hi"], m["hi_mult"])):
        if number is None:
            continue
        value = _parse_number(number + ("" if scaled else mult or ""))
        if value is None:
            return None
        values.append(value)
    if len(values) == 2 and not values[0] < values[1]:
        return None
    if m["dash"]:
        comparator = "range"
    elif m["suffix"]:
        comparator = _SUFFIX_COMPARATOR[m["suffix"]]
    elif m["approx"]:
        comparator = ">="
    else:
        comparator = _CELL_PREFIX.get(m["prefix"] or "", "=")
    approximate = bool(m["approx"] or m["prefix"] in ("约", "近") or m["suffix"] == "左右")
    return Indicator(
        subject=subject,
        kind=kind,
        measure=measure_of_name(subject or "", shown_unit),
        comparator=comparator,
        value=values[0],
        value_max=values[1] if len(values) == 2 else None,
        unit=shown_unit,
        year=year,
        span=(offset + lead, offset + lead + len(stripped)),
        approximate=approximate,
    )
