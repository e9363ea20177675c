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
          平方公里), a ratio (% 倍 个百分点; 成 for tenths: "增长7成多"), or a weak unit (亩 吨)
          that only counts next to a comparator or measure cue. Without a unit there is no indicator ("2022年", "3.0版", "11号", "3179657").

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
          二季度, a year even masked as 202x年, a place before 全社会/全市/规上), hedges,
          verbs, years and measure words stripped ("全市高新技术企业总量达到1027家" -> 高新技术
          企业), and a verb between a thing and its measure ("规上工业实现新产品产值" -> 规上工业
          新产品产值). A threshold inside the noun phrase is part of it, no indicator ("1个产值过
          50亿元的高新技术企业"). Then, in order:
          * "A、B分别达到1700家、1200家" gives A=1700 and B=1200;
          * one number for a list of kinds keeps the list ("新备案孵化器、众创空间5个以上");
          * a list summed up by 等 has the list's kind ("A、B、C等9部门" -> 部门);
          * a clause of measure words only takes the object of the clause before ("强化高新技术
            企业培育，争取总数突破5300家" -> 高新技术企业);
          * a quoted name before its class noun gives the class noun ("“…示范”项目1项" -> 项目);
          * a number still without a subject takes one from a number before it in its sentence:
            the whole before 其中 for its parts, the number of the same unit for a change
            ("769家规模以上企业…，较上年增加133家"), the number it qualifies for a growth, share
            or rank ("增幅46.09%", "居全省第3位"; over one semicolon, "…增长26.6%；占…比重66.2%"),
            or the masked amount it qualifies ("A完成xx亿元，增速26.6%全市第1" -> A);
          * a rank with no verb that lists its places ranks each ("增速前3名分别是A、B和C").
          ``None`` when nothing sensible is found ("在系统注册备案516人").
          A cue before the first noun of a list is shared by the list's bare counts ("拥有A 5家，
          B 6家，C 13家" are all totals).

lines     text converted from PDF breaks lines at the page's width, inside words and numbers
          ("技\n术合同", "分别增长\n26.3%", "7469.\n\n13 亿元"): a break in a line as wide as the
          text's widest, or after a decimal point, is read through; spans stay offsets into the
          text as printed.

Not indicators: dates and years (no unit), document numbers (鲁科字〔2020〕11号), versions
(3.0版), list numbers and ordinals (1. （一） 第一 第33次 第二届 一届三次), durations (3个月,
10个工作日), anything inside quotes or book-title marks (“十四五” “1+30+N” “两个维护” 《…》),
numbers glued to letters, ``+`` or ``/`` (1+N+2, 1/3, G20), placeholders (X家, **家, ×家),
bare magnitudes without 近/上/约 (千家万户, 万家), vague counts (数十家, 几百项), and a lone 一
without a comparator or increase verb (一项重要举措, 一个中心).
"""

# The package: values (numerals), grammar (the tokens above as patterns), context (clauses,
# quotes, a number's hit), lines (broken lines), scanning (quantities, ranks, indexes), subjects,
# pairing (lists), indicators (find_indicators: kind, hedge, year), cells (a table cell's value).
from .cells import measure_of_name, read_cell_value
from .indicators import find_indicators
from .model import KINDS, Indicator
from .values import (
    MAX_DECIMAL_PLACES,
    MAX_FRACTION_DIGITS,
    MAX_WHOLE_DIGITS,
    parse_chinese_number,
)

__all__ = [
    "KINDS",
    "MAX_DECIMAL_PLACES",
    "MAX_FRACTION_DIGITS",
    "MAX_WHOLE_DIGITS",
    "Indicator",
    "find_indicators",
    "measure_of_name",
    "parse_chinese_number",
    "read_cell_value",
]
