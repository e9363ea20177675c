"""Recognises what a table column means from its header, whatever the office calls it.

Offices order and word the same columns differently (序号/编号, 责任单位/牵头单位,
完成时限/时间节点, 进展情况/工作进展 …). Each field has patterns tried from the most specific
to the most general, so 工作进展和取得成效 is progress and 后续举措和落实情况 is next steps,
though both mention 情况.
"""

import functools
import re

from ..blocks import header_label

# (field, pattern); earlier rows win. Patterns match the header label with spaces removed.
_RULES: list[tuple[str, str]] = [
    ("number", r"^(序号|编号|序|项目编号|任务编号|条目号?|No\.?)$"),
    ("source_category", r"(任务|事项|目标)?来源"),
    (
        "reason",
        r"未完成(的)?原因|未完成情况说明|滞后原因|存在(的)?(困难和|主要)?问题|困难和问题|制约因素",
    ),
    ("next_steps", r"下(一)?步|后续(举措|措施|工作)|今后打算|工作打算"),
    (
        "period_target",
        r"(第?[1-4一二三四]季度|本季度|季度|阶段性?|[上下]半年|月度|本期|年底前)(工作)?(目标|任务|计划)",
    ),
    (
        "status",
        r"^(是否(按时|按期)?(完成|办结)|完成状态|办理状态|状态|进度状态|完成与否|办结情况|完成标识)$",
    ),
    ("evidence", r"佐证|证明材料|支撑材料"),
    ("progress", r"进展|进度|完成情况|落实情况|推进情况|办理情况|取得成效|工作成效|完成结果"),
    ("deadline", r"时限|时间节点|完成时间|截止(时间|日期)|完成期限|办结时间|期限|限期|完成节点"),
    ("leaders", r"领导"),
    # 责任人: the people a task is on; the leaders, unless the table names its leaders apart
    ("responsible", r"^(主要)?责任人$"),
    ("contacts", r"^(具体)?(责任人|联系人|经办人)(及电话|及联系方式)?$"),
    ("co_units", r"(配合|协办|协同|参与|协助)(单位|部门|处室)"),
    ("lead_unit", r"^(牵头|主办|主责)(单位|部门|处室|科室|股室)$"),
    ("units", r"(责任|承办|落实|实施)(单位|部门|处室|科室|股室)|^单位$|^部门$|^处室$"),
    ("benchmark", r"标杆"),
    ("category", r"^(目标|任务|工作)?(类别|类型|分类)$"),
    ("title", r"(目标|任务|项目|事项|工作)名称"),
    (
        "annual_target",
        r"年度目标|目标任务|具体事项|目标内容|任务内容|工作任务|重点任务|重点工作|"
        r"承诺事项|主要任务|工作内容|事项内容|主要内容|工作目标|目标$|任务$|事项$|内容$",
    ),
    ("remark", r"备注"),
]
_COMPILED = [(name, re.compile(pattern)) for name, pattern in _RULES]


# Memoised: every table's first rows are asked several times (find_header, table_items,
# period_of_header), and the same labels recur from table to table. Bounded, as a server reads
# document after document.
@functools.lru_cache(maxsize=4096)
def column_meaning(label: str) -> str | None:
    label = header_label(label)
    if not label or len(label) > 20:
        return None
    for name, pattern in _COMPILED:
        if pattern.search(label):
            return name
    return None


def header_map(cells) -> dict[int, str]:
    """Column index -> field for a header row; each field is given to its first column."""
    found: dict[int, str] = {}
    used: set[str] = set()
    for index, cell in enumerate(cells):
        meaning = column_meaning(cell if isinstance(cell, str) else cell.text)
        if meaning and meaning not in used:
            found[index] = meaning
            used.add(meaning)
    return dict(zip(found, resolve_responsible(list(found.values())), strict=True))


def resolve_responsible(meanings: list[str | None]) -> list[str | None]:
    """A 责任人 column names the task's leaders, or its contacts beside a column of leaders."""
    if "responsible" not in meanings:
        return meanings
    instead = "contacts" if "leaders" in meanings else "leaders"
    return [instead if meaning == "responsible" else meaning for meaning in meanings]


def looks_like_header(cells) -> bool:
    """A row is a header when it names a target column and at least one other known column."""
    meanings = set(header_map(cells).values())
    has_text = bool(meanings & {"annual_target", "title"})
    return has_text and len(meanings) >= 2
