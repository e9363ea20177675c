"""The grammar's tokens: the quantity pattern, comparators, measure and kind cues, years."""

from __future__ import annotations

import re

from .values import _CN

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
    r"|亩|吨|万亿|亿(?![元美])|只(?![有要是能需])|成(?![功果为交立效员本绩熟长都型])"
)
_SUFFIX = r"及以上|以上|以下|以内|之内|左右|上下(?!游)"
_DASH = r"-|–|—{1,2}|~|～|〜|至|到"

# What may not stand right before a quantity: a digit, numeral or point, a thousands comma,
# a digit split off by a space.
_QUANTITY_LOOKBEHINDS = rf"(?<![0-9.{_CN}])(?<![0-9],)(?<![^0-9][0-9][ ])(?<!^[0-9][ ])"
_RANGE = rf"""
        (?P<lo>{_NUM})(?:{_SP}(?P<lo_mult>{_MULT}))? {_SP} (?:(?:{_UNIT}){_SP})?
        (?P<dash>{_DASH}) {_SP}
        (?P<hi>{_NUM})(?:{_SP}(?P<hi_mult>{_MULT}))?
"""
_QUANTITY = rf"""
    {_QUANTITY_LOOKBEHINDS}
    (?:
        RANGE
      | (?P<num>{_NUM})(?:{_SP}(?P<num_mult>{_MULT}))?
    )
    (?P<approx>余|多)?
    {_SP} (?P<unit>{_UNIT})
    {_SP} (?P<suffix>{_SUFFIX})?
"""
_QUANTITY_RE = re.compile(_QUANTITY.replace("RANGE", _RANGE), re.VERBOSE)
# _QUANTITY_RE where no dash follows, so no range can match: the same match (the range's
# groups are there, unmatched), without trying to read every number as a range's first one.
_SINGLE_QUANTITY_RE = re.compile(
    _QUANTITY.replace("RANGE", "(?!)(?P<lo>)(?P<lo_mult>)(?P<dash>)(?P<hi>)(?P<hi_mult>)"),
    re.VERBOSE,
)
# The first character of every _DASH: a range needs one of them after its first number.
_DASH_STARTS = "-–—~～〜至到"

# Where a quantity can begin: its first number's first character, after none of what its
# look-behinds refuse. _QUANTITY_RE opens with look-behinds, so the engine cannot skip ahead to
# a digit by itself; a search for this one character class can (see _next_quantity). The
# look-behinds come after the character, each one character wider, so that the search still
# skips ahead to a digit, and a number's inner digits are passed over in C.
_NUMERAL_START_RE = re.compile(rf"[0-9{_CN}]" + _QUANTITY_LOOKBEHINDS.replace(")", ".)"))

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
_RATIO_UNITS = ("%", "倍", "成")  # 成: tenths, "增长7成多"

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

_MEASURE_CUE_RE = re.compile(
    r"(?P<growth>同比增长|同比增速|同比提高|年均增长|年增长率|年增长|增长率|增速|增幅|翻番|递增"
    r"|增长(?![到至])|提高(?![到至])|提升(?![到至])|上升(?![到至]))"
    r"|(?P<decrease>同比下降|同比减少|下降(?![到至])|降低(?![到至])|减少(?![到至])|压减|下滑|回落"
    r"|降幅|负增长)"
    r"|(?P<increase>新增|净增|再增|增加(?![到至])|新通过|新(?:建|认定|获批|备案|布局|培育|引进|设立?|组建"
    r"|注册|入选|开工|签约|立项|登记|入驻|落户|入库|纳入|晋升|获评|评定|挂牌|上市|招引|增?培育)|再建)"
    r"|(?P<total>总数|总量|总计|总额|累计|合计|共计|共(?<!公共)(?![同享识性]|建(?!成))|达到"
    r"|达(?<![下传表到发送]达)(?![标成])|实现|保有|规模(?!以上)|数量|拥有|增至|提高到|提高至|提升到"
    r"|扩大到|扩大至|扩展到|扩展至|上升到|上升至"
    r"|提升至|增加到|增加至|增长到|增长至|降至|下降到|下降至)"
)
# The first characters of _MEASURE_CUE_RE's words: its groups hide them from the engine, which
# would try every word at every character (see context._finditer_from; tests/extraction check
# the two agree).
_MEASURE_CUE_START_RE = re.compile(r"[上下保共再净减压合同回增实年总扩拥提数新累翻规负达递降]")

# Cues for kind and hedge, read in one pass over the sentence before the number.
#   hedge   力争 确保 力求: a target, and the hedge, anywhere earlier in the sentence
#   target  目标 预计 拟 计划 将+verb, 指标任务 (the figures assigned), 任务是 …: a target;
#           not 目标任务 as a noun that ends its clause or is counted (分解目标任务188个)
#   actual  已 累计完成 实际 截至 …: an achievement
#   weak    争取 努力 争创: also plain verbs ("积极争取上级支持"), so only in the number's clause
#   yoy     同比: an achievement, in the number's clause, unless anything else decides
#   measured 占全年目标任务(的110.7%): what a result is measured against; no cue at all
_CUE_RE = re.compile(
    r"(?P<measured>[占为](?:全年|年度|本年度?|当年|上半年|全年度)?(?:目标)?任务)"
    r"|(?P<hedge>力争|确保|力求)"
    r"|(?P<target>目标(?!库|[，,]|任务完成|完成|任务[，,。；;]|任务\s*\Z|任务[0-9一二三四五六七八九十]+[个项条件])|预计|预期|拟(?<![模虚]拟)|将(?=达到|实现|新增|增加|超过|突破|完成|建成|再)"
    r"|计划(?:(?<![\u4e00-\u9fff]计划)|(?<=[年内]计划))(?![项文管单])|到20\d\d年"
    r"|指标任务|任务指标|考核指标|任务[是为](?![了])|应达到|应完成)"
    r"|(?P<actual>已|累计完成|完成(?:全年|年度|季度|阶段)?(?:目标|任务)|实际|截至|截止|完成了|实现了"
    r"|进展(?:情况)?[:：]|完成情况[:：]|办理情况[:：]|落实情况[:：]"
    r"|达到了)"
    r"|(?P<weak>争取(?<!积极争取)(?<!对上争取)(?<!主动争取)(?<!多方争取)(?<!提名争取)|努力|争创)"
    r"|(?P<yoy>同比)"
)
# The first characters of _CUE_RE's words: a cue can only begin at one of them (see
# indicators._cues; tests/extraction check the two agree).
_CUE_START_RE = re.compile(r"[为争到力努占同完实将已截拟目确累计达预指任考应进办落]")
# A year a figure belongs to: printed (group 1), the document's own (年内, 今年 …), the one before
# it (group 2: 去年, 上年 as a topic, not the base of 比上年/较上年同期) or the one after (group 3).
_YEAR_RE = re.compile(
    r"(?<![\d\-–—~～比较是与])(?<!年到)(?<![^截]至)((?:19|20)\d\d)(?!\d)\s*年|年内|今年|全年|本年度?|当年"
    r"|(?<![比较与同是为于])((?:去|上一?)年)(?![同末底初结])|(?<![比较与同])(明年|下一年)"
)

_CJK_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# names that hold a numeral and a unit but count nothing, for when they are not quoted
_NAME_RE = re.compile(
    r"八项规定|[两四]个(?:意识|自信|维护|确立|全面|服务|走在前)|三个代表|五位一体|三会一课"
    r"|[一二三四五六七八九十]个结合"
)


# A threshold inside a noun phrase ("1个产值过50亿元的企业", "3家营收超10亿元的龙头企业")
# says which things are counted; it is no indicator of its own.
_THRESHOLD_WORD = r"[\u4e00-\u9fff]{1,5}(?<![超通经度不越])(?:过|超过|超)"
_THRESHOLD_COUNTED_RE = re.compile(
    rf"[0-9一二两三四五六七八九十]+[个家户项所]{_THRESHOLD_WORD}[ \u3000]?$"
)
_THRESHOLD_BEFORE_RE = re.compile(rf"{_THRESHOLD_WORD}[ \u3000]?$")
_THRESHOLD_AFTER_RE = re.compile(
    rf"{_THRESHOLD_WORD}[ \u3000]?[0-9][0-9. ]*[十百千万亿]*[元个家项人%]*(?:以上|及以上)?"
    r"(?:[、和及与][^，。；,;]{0,40})?的(?=[\u4e00-\u9fff])"
)
