"""Subjects: the noun phrase a number counts, from the words around it, or carried over from
the number, the masked amount or the clause it qualifies."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from .context import (
    _CLAUSE_REACH,
    _CLAUSE_SEP_RE,
    _FULL_STOP_RE,
    _LIST_SEP_RE,
    _SENTENCE_REACH,
    _SENTENCE_SEP_RE,
    _Context,
    _Hit,
    _last,
)
from .grammar import _CJK_RE, _SP, _THRESHOLD_AFTER_RE

_PUNCT = r"[\s\u3000，、,：:；;。“”‘’\"'《》「」『』（）()\[\]【】\-—·•]+"
_LEAD_VERBS = (
    "组织实施|遴选推荐|实施|组织|开展|建设|培育|认定|引进|推荐|备案|注册(?!商标|资本)|成立|打造"
    "|举办|新建|争创|完成(?!率)|立项|支持|资助|选派|评选|获批|获得|登记|申请|兑现|兑付|培训|承担|攻克"
    "|吸纳(?!.*[额量]$)|发放|发动|投放|购置|入驻"
    "|召开|签订|征集|对接|聘任|布局|组建|设立|遴选|安排|投入(?!强度)|带动|择优|筛选|选树|接收|承办|启动"
    "|推动|推进|加快|培养|评审|入选|储备|达到|实现|建成|引导|指导|集聚|落实|上报|梳理|修订"
    "|完善|转化|强化|加强|深化|壮大|扩大|新获批|获评|评为|纳入|帮助|入库|拥有|收集"
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
    r"|本年度?|每年|明年|年末|年底|年初|期末|现有|共有"
    r"|逐步|获(?![批得奖])|分别(?:是|为)?|[比较](?:上年末?|去年|上一年|前一年|年初)(?:同期)?|同口径"
    r"|[比较与](?:19|20)\d\d\s*年(?:末|底|同期)?|使(?=[我全本][市省县区])"
    r"|[\u2460-\u2473]|[A-Z][.．、](?![A-Za-z])|尚差|还差|任务[是为]|或者"
    r"|(?:截至|截止|到)(?:目前|\d{1,2}\s*月(?:末|底|份)?)"
    r"|(?:截至|截止|到)?(?:第?[一二三四1-4](?:[、至到—~～-][一二三四1-4])*季度|前三季度|[上下]半年|\d{1,2}\s*[-—–至~]\s*\d{1,2}月)(?:末|底)?"
    r"|力争|争取|确保|努力|力求|计划|预计|拟|将|目前|截至目前|当前|其中|共计|累计|合计|总计"
    r"|共(?![同享识性]|建(?!成))|已经|已|进一步|继续|持续|同时|此外|另外|先后|通过|积极|全力|大力"
    r"|新增|净增|再增|再建设?|增加|新通过(?:认定|评审|备案|验收)?|新(?:建|认定|获批|备案|布局|培育"
    r"|引进|设立|组建|注册|入选|登记|入驻|落户|入库|纳入|晋升|获评|评定|挂牌|上市|招引)"
    rf"|{_LEAD_VERBS})"
)
_TRAIL_RE = re.compile(
    rf"(?:{_PUNCT}"
    r"|分别|总数|总量|数量|总额|规模|累计|共计|合计|总计|(?<!公)共|已经|已|将|预计|力争|争取"
    r"|(?<![\u4e00-\u9fff]{2}(?<![年内度]))计划"
    r"|确保|有|了|的|等|(?<!人)均|(?<![供效响适反对相感呼])应|进一步|达到|达|实现|新增|净增|再增|增加|年均增长|年增长|同比增长|同比增速"
    r"|同比提高|同比下降|同比|同口径|负增长|增长|增幅|增速|提高|提升|下降|降低|降幅|减少|回落|下滑|上升"
    r"|年递增|递增"
    r"|较上年|比上年|较去年|在(?:上年|去年|上一年)?(?:的)?基础上"
    r"|比去年|较上一年|[是为](?:上年|去年|上一年|(?:19|20)\d\d年)的?|[比较][上去]一?|[比较](?:年初|上年末|年末)|[较比与](?:19|20)\d\d年?|连续[\d一二三四五六七八九十]{1,3}年|年均|先后|继续"
    r"|保持|稳居|位居|居|位列|排名|进入|入库|立项|发放|完成|明确|建设|认定"
    r"|(?<![自服])[由从](?:(?:19|20)\d\d\s*年(?:末|底)?)?的?)$"
)
_BRACKETED_RE = re.compile(r"[（(][^（()）]{0,20}[)）]|【[^【】]{0,20}】|^[^【】]{0,20}】")
_UNCLOSED_RE = re.compile(r"^.*[（(](?=[^)）]*$)")
_QUOTE_MARKS_RE = re.compile(r"[“”‘’\"'《》「」『』]")
_POST_STOP_RE = re.compile(
    r"[，。；：、,;:！？!?\n\t（(0-9]|和|及|与|或(?![省市县区]级|国家)|等|的|在|到|被|将|把|向|从"
    r"|由|为|已|均|都|也|并|获(?!奖)|分别"
    r"|作为|成为|通过|参与|参加|纳入|列入|加入|获得|获批|开展|进行|入选|制定|实施|完成|成功|正式"
    r"|予以|提供|实现|建成|立项|签订|明确|达到|申报|联合|担任|结合|《"
    r"|重点(?:培育|扶持|支持)|绩效|考核|评估|专题研究|推荐|进入|上市"
    r"|增加|增至|增长|提高|提升|下降|减少|上升|降至|降低"
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
    r"(?<=[\u4e00-\u9fff0-9]{2})(?P<scope>全年|今年|年内|当年)?(?:实现|完成)"
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


@lru_cache(maxsize=4096)  # pure; a document repeats its subjects (rows, sentences)
def _strip_affixes(s: str) -> str:
    """Scope words, hedges, verbs and cues off both ends; a name in quotes at the end is kept
    whole (“抢引计划” keeps its 计划)."""
    s = _BRACKETED_RE.sub("", _INNER_BRACKET_RE.sub(r"\1", s)).rstrip()
    if (opened := _UNCLOSED_RE.search(s)) is not None:
        # "…关联的专利(发明专利1件及以上": a number inside brackets counts what they name
        s = s[opened.end() :]
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
        # a measure too plain to name a thing alone: 专利授权量
        "授权量",
        "申请量",
        "对象",
        "件数",
        "户数",
    )
)


@lru_cache(maxsize=4096)  # pure; a ledger's rows say the same words before their figures
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
    if _ROLE_ONLY_RE.fullmatch(subject):
        return None  # "年度目标新增150家，实际新增171家": the figure's role, not its thing
    return _usable(subject)


_ROLE_ONLY_RE = re.compile(r"(?:年度|全年|本年)?(?:目标值?|计划数?|指标值?)|实际(?:完成|值|数)?")


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


_MILESTONE_RE = re.compile(r"大?关口?|大台阶|台阶|水平|目标|规模")
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
    if _VERB_ONLY_RE.fullmatch(phrase) or _MILESTONE_RE.fullmatch(phrase):
        return None  # "公交车50辆投放", "突破50亿元大关": the subject is before the number
    return _tidy(phrase)


def _subject_from_clause(clause: str) -> str | None:
    """The object of a clause that names what a following measure counts: the words after its
    verb, without a nominalised verb at the end ("强化高新技术企业培育" -> 高新技术企业)."""
    s = _strip_affixes(clause)
    s = _OBJECT_TAIL_RE.sub("", s) if len(s) > 4 else s
    return _usable(s) if s and not _CLAUSE_SEP_RE.search(s) else None


def heading_subject(title: str) -> str | None:
    """The thing a short heading names, when it names one ("高新技术企业培育" -> 高新技术企业),
    not a programme of work ("加强平台建设", "主要成效")."""
    title = title.strip().rstrip("。")
    if _CLAUSE_SEP_RE.search(title) or _HEADING_NOT_A_THING_RE.search(title):
        return None
    return _subject_from_clause(title)


_HEADING_NOT_A_THING_RE = re.compile(
    r"^(?:加强|加快|推进|推动|强化|深化|提升|优化|完善|实施|坚持|聚焦|围绕|着力|突出|做好|抓好|持续|"
    r"全面|大力|积极|扎实|狠抓|创新|构建|打造)|成效|成绩|情况|工作$|措施|问题|目标|任务|要求|打算|"
    r"思路|保障|机制|体系|做法|亮点|经验"
)


def _subject_after_quote(pre: str) -> str | None:
    """A quoted name followed by its class noun ("…“富硒…示范”项目1项"): the class noun."""
    cut = max(pre.rfind(mark) for mark in _CLOSING_MARKS)
    if cut < 0:
        return None
    return _usable(_strip_affixes(pre[cut + 1 :]))


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
    if post:  # most often the number ends its clause: no noun phrase after it
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


_MEASURE_WORD = r"(?:增速|增幅|增长率|占比|比重|总量|规模|总额)"
_MEASURES_ONLY_RE = re.compile(rf"{_MEASURE_WORD}(?:(?:及|和|与|、){_MEASURE_WORD})+")


# A part named by its level only ("孵化器23家，其中国家级5家、省级9家") is that level of the whole.
_LEVEL_ONLY_RE = re.compile(r"(?:国家|省|市|县|区)级(?:以上)?|国家级?|本级")
_LEADING_LEVEL_RE = re.compile(r"^(?:国家|省|市|县|区)级(?:以上|及以上)?")
# An amount named by what it measures only ("登记技术合同1856项，成交额42.3亿元") is that amount
# of the thing counted just before it.
_ATTRIBUTE_ONLY_RE = re.compile(
    r"(?:成交|交易|合同|销售|出口|进口|投资|营业)(?:额|金额|总额)|增加值|产值|总产值"
    r"|营业收入|主营业务收入|收入|利润|利税|税收|实缴税金"
)

_THING_VERB_TAIL_RE = re.compile(r"共?(?:登记|认定|签订|备案|成交|实现|完成)$")


def _complete_part_subjects(ctx: _Context, hits: list[_Hit]) -> None:
    """Subjects that name a level or an attribute only take the thing of the number before."""
    text = ctx.text
    for index, hit in enumerate(hits):
        if index == 0 or hit.subject is None:
            continue
        level = _LEVEL_ONLY_RE.fullmatch(hit.subject)
        attribute = _ATTRIBUTE_ONLY_RE.fullmatch(hit.subject)
        if not level and not attribute:
            continue
        sentence = ctx.start_of(_FULL_STOP_RE, hit.start, _SENTENCE_REACH)
        earlier = [
            h
            for h in hits[:index]
            if h.start >= sentence and h.subject and not _LEVEL_ONLY_RE.fullmatch(h.subject)
        ]
        if not earlier:
            continue
        whole = earlier[-1].subject
        if level and text.rfind("其中", sentence, hit.start) >= 0:
            hit.subject = hit.subject + _LEADING_LEVEL_RE.sub("", whole)
        elif attribute and whole.endswith(hit.subject):
            hit.subject = whole  # the growth of the amount just completed
        elif attribute and not _ATTRIBUTE_ONLY_RE.search(whole) and earlier[-1].unit != hit.unit:
            hit.subject = _THING_VERB_TAIL_RE.sub("", whole) + hit.subject


def _inherit_subjects(ctx: _Context, hits: list[_Hit]) -> None:
    """Numbers without a subject of their own take one from a number before them in the same
    sentence: the parts after 其中 that of the whole before it ("共梳理制度流程58项，其中新建
    21项"), a growth, share or rank that of the number it qualifies ("1027家，增幅46.09%")."""
    text = ctx.text
    starts = [h.start for h in hits]
    shares = {index: of for index, hit in enumerate(hits) if (of := _share_of(ctx, hit))}
    for index, hit in enumerate(hits):
        if index - 1 in shares:
            # "A 12.6亿元，占GDP比重2.45%": the share is A's share of GDP, and what qualifies it
            # next ("较上年提高0.12个百分点") qualifies that share.
            _name_share(hits[index - 1], shares.pop(index - 1))
        if hit.subject is not None and index and hit.measure == "rank":
            measures = _MEASURES_ONLY_RE.fullmatch(hit.subject)
            previous = hits[index - 1].subject
            if measures and previous:
                # "增速及占比均列全市第2": a rank of each of the measures of the thing before
                words = _NAME_SPLIT_RE.split(hit.subject)
                thing = _SHARE_TAIL_RE.sub("", previous)
                hit.subject = "、".join(thing + w for w in words)
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
    for index, share in shares.items():
        _name_share(hits[index], share)


_SHARE_TAIL_RE = re.compile(r"占[^占]{1,20}?的?(?:比重|比例)$")
# A share clause with no thing of its own: 占GDP比重, 占规上工业增加值的比重, 占全市比例.
_SHARE_OF_RE = re.compile(
    r"[\s\u3000]*(占[^，。；,;、占]{1,20}?的?(?:比重|比例))(?:达到|达|为|已达|约为)?[\s\u3000]*$"
)


def _share_of(ctx: _Context, hit: _Hit) -> str | None:
    if hit.subject is not None or hit.measure != "share":
        return None
    clause = ctx.start_of(_CLAUSE_SEP_RE, hit.num_start, _CLAUSE_REACH)
    m = _SHARE_OF_RE.match(ctx.text, clause, hit.num_start)
    if m is None or _TASK_ONLY_RE.search(m.group(1)):
        return None
    return m.group(1)


def _name_share(hit: _Hit, share: str) -> None:
    if hit.subject and "占" not in hit.subject:
        hit.subject += share


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
