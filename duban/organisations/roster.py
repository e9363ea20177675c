"""Units and people from a spreadsheet (单位和人员名单): reading an .xlsx or .csv roster,
checking every row, planning what an import will do, storing it in one transaction, and
writing the same table back out.

The roster has one row per person, and a row without a person for a unit that has none yet:

    单位名称 | 上级单位 | 类别 | 联系人 | 手机 | 邮箱 | 角色 | 简称

- 单位名称 names the unit; a unit with several people appears on several rows, which must not
  disagree about its 上级单位 or 类别 (a blank cell agrees with anything).
- 上级单位 names a unit of the same file or one already stored (by its name, short name or
  other spelling); blank for a top unit.
- 类别 is a kind (人民政府, 政府部门, 内设机构, 其他单位, and everyday words for them such as
  部门 or 政府) with an optional level before it (省级, 市级/市直, 县级/县区): 县级人民政府,
  市直部门. Left blank, a new unit's level follows its parent (a government under a
  government is one level lower; anything else is at its parent's level) and its kind its
  name (…人民政府 is a government).
- 联系人, 手机, 邮箱, 角色 describe one person of the unit; 角色 is 单位填报员 (the default),
  分管领导 or 督查员.
- 简称 (optional, last so that files without it still read) is the short name documents use
  for the unit (市发展改革委 for 青溪市发展和改革委员会): a document import then finds the
  roster's unit by it instead of creating another one. A changed short name keeps the old one
  as another spelling.

Imports are idempotent: a unit is the stored unit of the same name (or short name or other
spelling), a person the stored person of the same unit, name and role (else of the same unit
and e-mail). What a row repeats is left alone; what it changes is updated, recorded in the
audit trail; blank cells never clear what is stored. Nothing is stored unless every row is
valid. Each new person gets an account without a usable password, which the invitation lets
them set.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from duban.audit.recorder import buffered

from .models import Organisation, Person, normalise_name

COLUMNS = ["单位名称", "上级单位", "类别", "联系人", "手机", "邮箱", "角色", "简称"]
REQUIRED_COLUMNS = ["单位名称", "上级单位", "类别", "联系人", "手机", "邮箱", "角色"]
# Other headers offices write for the same columns.
_HEADER_ALIASES = {
    "单位": "单位名称",
    "单位全称": "单位名称",
    "上级": "上级单位",
    "上级单位名称": "上级单位",
    "类型": "类别",
    "单位类别": "类别",
    "姓名": "联系人",
    "人员": "联系人",
    "手机号": "手机",
    "手机号码": "手机",
    "联系电话": "手机",
    "电话": "手机",
    "电子邮箱": "邮箱",
    "电子邮件": "邮箱",
    "email": "邮箱",
    "e-mail": "邮箱",
    "身份": "角色",
    "单位简称": "简称",
}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

_LEVEL_WORDS = [
    ("省级", Organisation.Level.PROVINCE),
    ("省直", Organisation.Level.PROVINCE),
    ("市级", Organisation.Level.CITY),
    ("市直", Organisation.Level.CITY),
    ("县级", Organisation.Level.COUNTY),
    ("县区", Organisation.Level.COUNTY),
    ("县（市、区）", Organisation.Level.COUNTY),
    ("县(市、区)", Organisation.Level.COUNTY),
    ("区县", Organisation.Level.COUNTY),
    ("省", Organisation.Level.PROVINCE),
    ("市", Organisation.Level.CITY),
    ("县", Organisation.Level.COUNTY),
]
_KIND_WORDS = {
    "人民政府": Organisation.Kind.GOVERNMENT,
    "政府": Organisation.Kind.GOVERNMENT,
    "县区政府": Organisation.Kind.GOVERNMENT,
    "政府部门": Organisation.Kind.DEPARTMENT,
    "部门": Organisation.Kind.DEPARTMENT,
    "单位": Organisation.Kind.DEPARTMENT,
    "委办局": Organisation.Kind.DEPARTMENT,
    "局": Organisation.Kind.DEPARTMENT,
    "内设机构": Organisation.Kind.OFFICE,
    "科室": Organisation.Kind.OFFICE,
    "处室": Organisation.Kind.OFFICE,
    "其他单位": Organisation.Kind.OTHER,
    "其他": Organisation.Kind.OTHER,
    "事业单位": Organisation.Kind.OTHER,
    "企事业单位": Organisation.Kind.OTHER,
}
_ROLE_WORDS = {
    "单位填报员": Person.Role.UNIT,
    "填报员": Person.Role.UNIT,
    "联络员": Person.Role.UNIT,
    "联系人": Person.Role.UNIT,
    "分管领导": Person.Role.LEADER,
    "领导": Person.Role.LEADER,
    "督查员": Person.Role.OFFICE,
}
_PHONE = re.compile(r"^\+?[\d\s\-()（）]{7,30}$")

KIND_HINT = "人民政府、政府部门、内设机构、其他单位（可加层级，如“县级人民政府”“市直部门”）"
ROLE_HINT = "单位填报员、分管领导、督查员"


class RosterError(Exception):
    """The file as a whole cannot be read (not a table, wrong format, no header)."""


def category_label(org: Organisation) -> str:
    """类别 as the roster writes it: level and kind, e.g. 县级人民政府."""
    return f"{org.get_level_display()}{org.get_kind_display()}"


def parse_category(text: str) -> tuple[int | None, str | None] | None:
    """(level, kind) from a 类别 cell, either part None when not said; None when unreadable."""
    value = normalise_name(text)
    if not value:
        return None, None
    for kind_word, kind in _KIND_WORDS.items():
        if value == kind_word:
            return None, kind
    for level_word, level in _LEVEL_WORDS:
        if value.startswith(level_word):
            rest = value[len(level_word) :]
            if not rest:
                return level, None
            if rest in _KIND_WORDS:
                return level, _KIND_WORDS[rest]
    return None


# --- reading ---------------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    line: int  # as the spreadsheet numbers it, header included
    unit: str
    parent: str
    category: str
    person: str
    phone: str
    email: str
    role: str
    short_name: str = ""

    def as_list(self) -> list[str]:
        return [
            self.unit,
            self.parent,
            self.category,
            self.person,
            self.phone,
            self.email,
            self.role,
            self.short_name,
        ]

    @property
    def is_blank(self) -> bool:
        return not any(self.as_list())


@dataclasses.dataclass
class Table:
    rows: list[Row]
    missing_columns: list[str]
    warnings: list[str]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell
    return str(value).replace("\u3000", " ").strip()


def _header_key(value: str) -> str:
    key = re.sub(r"[\s*＊:：]|（.*?）|\(.*?\)", "", value)
    return _HEADER_ALIASES.get(key.lower(), _HEADER_ALIASES.get(key, key))


def read_table(name: str, data: bytes) -> Table:
    """The rows of a roster file (.xlsx or .csv); raises RosterError when it is not one."""
    if len(data) > MAX_BYTES:
        raise RosterError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请分成几个文件导入")
    suffix = PurePath(name or "").suffix.lower()
    warnings: list[str] = []
    if suffix == ".csv" or (suffix in {".txt", ""} and not data.startswith(b"PK")):
        lines = _read_csv(data, warnings)
    elif suffix in {".xlsx", ".xlsm"} or data.startswith(b"PK"):
        lines = _read_xlsx(data)
    elif suffix in {".xls", ".et", ".wps"}:
        raise RosterError("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 .csv 后再导入")
    else:
        raise RosterError("只能导入 Excel（.xlsx）或 CSV（.csv）文件")
    lines = [(n, [_cell(v) for v in values]) for n, values in lines]
    header_at = next((i for i, (_, values) in enumerate(lines) if any(values)), None)
    if header_at is None:
        raise RosterError("文件是空的，请使用模板填写后再导入")
    header_line, header = lines[header_at]
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        key = _header_key(value)
        if key in COLUMNS and key not in positions:
            positions[key] = index
    if "单位名称" not in positions:
        raise RosterError(
            f"第{header_line}行应为表头（{'、'.join(COLUMNS)}），没有找到“单位名称”列；"
            "请使用页面提供的模板"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    rows = []
    for line, values in lines[header_at + 1 :]:

        def get(column, values=values):
            index = positions.get(column)
            return values[index] if index is not None and index < len(values) else ""

        row = Row(line, *(get(c) for c in COLUMNS))
        if not row.is_blank:
            rows.append(row)
    if len(rows) > MAX_ROWS:
        raise RosterError(f"一次最多导入 {MAX_ROWS} 行，本文件有 {len(rows)} 行，请分成几个文件")
    return Table(rows, missing, warnings)


def _read_csv(data: bytes, warnings: list[str]) -> list[tuple[int, list]]:
    from duban.extraction.containers import encoding, errors

    try:
        text, notes = encoding.decode_with_warnings(data)
    except errors.ReadError as exc:
        raise RosterError(f"无法识别文件的文字编码：{exc}") from exc
    warnings.extend(notes)
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(n, values) for n, values in enumerate(reader, start=1)]


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RosterError("无法打开这个 Excel 文件，请确认它是 .xlsx 格式且未加密") from exc
    try:
        sheet = book.worksheets[0]
        return [(n, list(values)) for n, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()


# --- planning ----------------------------------------------------------------------------


@dataclasses.dataclass
class Problem:
    line: int | None
    message: str


@dataclasses.dataclass
class UnitPlan:
    name: str
    lines: list[int]
    parent_name: str = ""
    short_name: str = ""
    level: int | None = None
    kind: str | None = None
    existing: Organisation | None = None
    action: str = "create"  # create | update | unchanged
    changes: list[str] = dataclasses.field(default_factory=list)
    has_people: bool = False

    @property
    def action_label(self) -> str:
        return {"create": "新建", "update": "修改", "unchanged": "不变"}[self.action]

    @property
    def category_label(self) -> str:
        level = Organisation.Level(self.level).label if self.level else ""
        kind = Organisation.Kind(self.kind).label if self.kind else ""
        return level + kind


@dataclasses.dataclass
class PersonPlan:
    line: int
    unit_name: str
    name: str
    role: str
    phone: str
    email: str
    existing: Person | None = None
    action: str = "create"
    changes: list[str] = dataclasses.field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {"create": "新建", "update": "修改", "unchanged": "不变"}[self.action]

    @property
    def role_label(self) -> str:
        return Person.Role(self.role).label


@dataclasses.dataclass
class Plan:
    rows: list[Row]
    units: list[UnitPlan]
    people: list[PersonPlan]
    problems: list[Problem]
    warnings: list[str]

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def count(self, things, action) -> int:
        return sum(1 for t in things if t.action == action)

    @property
    def changes_nothing(self) -> bool:
        return all(t.action == "unchanged" for t in [*self.units, *self.people])

    def summary(self) -> str:
        parts = []
        for label, things in (("单位", self.units), ("人员", self.people)):
            made, changed, same = (self.count(things, a) for a in ("create", "update", "unchanged"))
            parts.append(f"{label}新建{made}个、修改{changed}个、不变{same}个")
        return "；".join(parts)

    def problems_by_line(self) -> dict[int | None, list[str]]:
        found: dict[int | None, list[str]] = {}
        for p in self.problems:
            found.setdefault(p.line, []).append(p.message)
        return found


def _stored_unit(name: str, cache: dict) -> Organisation | None:
    key = normalise_name(name)
    if key not in cache:
        found = Organisation.objects.filter(name=key).first()
        cache[key] = found if found is not None else Organisation.find_by_name(key)
    return cache[key]


def plan_import(table: Table) -> Plan:
    """What importing `table` would do, and every reason it may not."""
    problems: list[Problem] = []
    if table.missing_columns:
        problems.append(
            Problem(
                None,
                f"缺少列：{'、'.join(table.missing_columns)}。请使用页面提供的模板，"
                "表头应为：" + "、".join(COLUMNS),
            )
        )
    if not table.rows:
        problems.append(Problem(None, "文件中没有数据行"))
    stored: dict[str, Organisation | None] = {}
    units: dict[str, UnitPlan] = {}
    bare_unit_lines: dict[str, int] = {}

    for row in table.rows:
        unit_name = normalise_name(row.unit)
        if not unit_name:
            problems.append(Problem(row.line, "单位名称为空"))
            continue
        if len(unit_name) > 100:
            problems.append(Problem(row.line, "单位名称超过100个字"))
            continue
        category = parse_category(row.category)
        if category is None:
            problems.append(Problem(row.line, f"类别“{row.category}”无法识别，可填：{KIND_HINT}"))
            category = (None, None)
        level, kind = category
        parent_name = normalise_name(row.parent)
        short_name = normalise_name(row.short_name)
        if len(short_name) > 50:
            problems.append(Problem(row.line, "简称超过50个字"))
            short_name = ""
        plan = units.get(unit_name)
        if plan is None:
            plan = units[unit_name] = UnitPlan(unit_name, [row.line])
        else:
            plan.lines.append(row.line)
        first = plan.lines[0]
        for label, new, attr in (
            ("上级单位", parent_name, "parent_name"),
            ("简称", short_name, "short_name"),
            ("层级", level, "level"),
            ("类别", kind, "kind"),
        ):
            old = getattr(plan, attr)
            if new and old and new != old:
                problems.append(
                    Problem(
                        row.line,
                        f"单位“{unit_name}”重复出现，第{first}行与本行的{label}不一致",
                    )
                )
            elif new and not old:
                setattr(plan, attr, new)
        if not row.person:
            if row.phone or row.email or row.role:
                problems.append(Problem(row.line, "填写了手机、邮箱或角色，但联系人姓名为空"))
            elif unit_name in bare_unit_lines:
                problems.append(
                    Problem(
                        row.line,
                        f"单位“{unit_name}”重复出现（第{bare_unit_lines[unit_name]}行），"
                        "请删除重复的行",
                    )
                )
            else:
                bare_unit_lines[unit_name] = row.line

    # Parents: in the file or stored; no cycles; a parent not lower than its child.
    for plan in units.values():
        plan.existing = _stored_unit(plan.name, stored)
        if plan.parent_name == plan.name:
            problems.append(Problem(plan.lines[0], f"单位“{plan.name}”的上级单位不能是它自己"))
            plan.parent_name = ""
    file_names = set(units)
    _check_short_names(units, stored, problems)
    file_short_names = {p.short_name: p.name for p in units.values() if p.short_name}
    for plan in units.values():
        if plan.parent_name in file_short_names and plan.parent_name not in file_names:
            plan.parent_name = file_short_names[plan.parent_name]  # a parent by its short name
        if not plan.parent_name or plan.parent_name in file_names:
            continue
        parent = _stored_unit(plan.parent_name, stored)
        if parent is None:
            problems.append(
                Problem(
                    plan.lines[0],
                    f"上级单位“{plan.parent_name}”既不在本文件中，也不是已有单位；"
                    "请先列出上级单位，或检查名称是否写错",
                )
            )
            plan.parent_name = ""
        else:
            plan.parent_name = parent.name
    for plan in units.values():
        seen, node = {plan.name}, plan.parent_name
        while node and node in units:
            if node in seen:
                problems.append(Problem(plan.lines[0], f"单位“{plan.name}”的上级单位形成了循环"))
                break
            seen.add(node)
            node = units[node].parent_name

    _settle_units(units, stored, problems)
    people = _plan_people(table.rows, units, problems)
    return Plan(
        table.rows,
        _tree_order(list(units.values())),
        people,
        sorted(problems, key=lambda p: p.line or 0),
        table.warnings,
    )


def _check_short_names(units: dict[str, UnitPlan], stored: dict, problems: list[Problem]):
    """A short name names one unit: not another unit of the file, nor another stored one."""
    seen: dict[str, str] = {}
    for plan in units.values():
        short = plan.short_name
        if not short or short == plan.name:
            plan.short_name = ""
            continue
        other = seen.get(short) or (short if short in units else None)
        if other is None:
            owner = _stored_unit(short, stored)
            if owner is not None and owner != plan.existing and owner.name not in units:
                other = owner.name
        if other is not None and other != plan.name:
            problems.append(
                Problem(plan.lines[0], f"简称“{short}”已用于单位“{other}”，一个简称只能指一个单位")
            )
            plan.short_name = ""
            continue
        seen[short] = plan.name


def _settle_units(units: dict[str, UnitPlan], stored: dict, problems: list[Problem]) -> None:
    """Each unit's level, kind and action, parents first."""
    done: set[str] = set()

    def settle(plan: UnitPlan, depth=0):
        if plan.name in done or depth > len(units):
            return
        done.add(plan.name)
        parent_plan = units.get(plan.parent_name)
        if parent_plan is not None:
            settle(parent_plan, depth + 1)
        parent = None if parent_plan else _stored_unit(plan.parent_name, stored)
        parent_level = parent_plan.level if parent_plan else (parent.level if parent else None)
        parent_kind = parent_plan.kind if parent_plan else (parent.kind if parent else None)
        org = plan.existing
        if org is None:
            if plan.kind is None:
                plan.kind = (
                    Organisation.Kind.GOVERNMENT
                    if plan.name.endswith("政府")
                    else Organisation.Kind.DEPARTMENT
                )
            if plan.level is None:
                if parent_level is None:
                    plan.level = _level_from_name(plan.name)
                elif (
                    plan.kind == Organisation.Kind.GOVERNMENT
                    and parent_kind == Organisation.Kind.GOVERNMENT
                ):
                    plan.level = min(parent_level + 1, Organisation.Level.COUNTY)
                else:
                    plan.level = parent_level
            plan.action = "create"
        else:
            plan.level = plan.level or org.level
            plan.kind = plan.kind or org.kind
            changes = []
            if plan.short_name and plan.short_name != org.short_name:
                changes.append(f"简称：{org.short_name or '（无）'} → {plan.short_name}")
            if plan.parent_name:
                current = org.parent.name if org.parent_id else ""
                if normalise_name(current) != plan.parent_name:
                    changes.append(f"上级单位：{current or '（无）'} → {plan.parent_name}")
            if plan.level != org.level:
                changes.append(
                    f"层级：{org.get_level_display()} → {Organisation.Level(plan.level).label}"
                )
            if plan.kind != org.kind:
                changes.append(
                    f"类别：{org.get_kind_display()} → {Organisation.Kind(plan.kind).label}"
                )
            plan.changes = changes
            plan.action = "update" if changes else "unchanged"
            if (
                parent_plan is None
                and parent is not None
                and (parent.pk == org.pk or parent.pk in org.descendant_ids())
            ):
                problems.append(
                    Problem(
                        plan.lines[0],
                        f"上级单位“{plan.parent_name}”是“{plan.name}”本身或其下级单位",
                    )
                )
        if parent_level is not None and plan.level is not None and parent_level > plan.level:
            problems.append(
                Problem(
                    plan.lines[0],
                    f"上级单位“{plan.parent_name}”的层级低于“{plan.name}”，请检查类别或上级单位",
                )
            )

    for plan in units.values():
        settle(plan)


def _level_from_name(name: str) -> int:
    if re.search(r"(县|区)(人民政府|政府)$", name) or re.search(r"[县区]\w*局$", name):
        return Organisation.Level.COUNTY
    if re.search(r"省(人民政府|政府)$", name) or name.endswith("厅"):
        return Organisation.Level.PROVINCE
    return Organisation.Level.CITY


def _tree_order(plans: list[UnitPlan]) -> list[UnitPlan]:
    """Parents before children, otherwise in the file's order."""
    by_name = {p.name: p for p in plans}
    ordered, placed = [], set()

    def place(plan, depth=0):
        if plan.name in placed or depth > len(plans):
            return
        parent = by_name.get(plan.parent_name)
        if parent is not None:
            place(parent, depth + 1)
        placed.add(plan.name)
        ordered.append(plan)

    for plan in plans:
        place(plan)
    return ordered


def _plan_people(rows: list[Row], units: dict[str, UnitPlan], problems) -> list[PersonPlan]:
    User = get_user_model()
    people: list[PersonPlan] = []
    seen_keys: dict[tuple, int] = {}
    seen_emails: dict[str, tuple[int, tuple]] = {}
    for row in rows:
        unit_name = normalise_name(row.unit)
        name = normalise_name(row.person)
        if not unit_name or not name or unit_name not in units:
            continue
        ok = True
        if len(name) > 50:
            problems.append(Problem(row.line, "联系人姓名超过50个字"))
            ok = False
        role = _ROLE_WORDS.get(normalise_name(row.role)) if row.role else Person.Role.UNIT
        if role is None:
            problems.append(Problem(row.line, f"角色“{row.role}”无法识别，可填：{ROLE_HINT}"))
            ok = False
        phone = row.phone.strip()
        if phone and not (_PHONE.match(phone) and len(re.sub(r"\D", "", phone)) >= 7):
            problems.append(Problem(row.line, f"手机“{phone}”不是有效的电话号码"))
            ok = False
        email = row.email.strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(Problem(row.line, f"邮箱“{row.email}”格式不正确"))
                ok = False
        if not ok:
            continue
        key = (unit_name, name, role)
        if key in seen_keys:
            problems.append(
                Problem(
                    row.line,
                    f"“{unit_name}”的{Person.Role(role).label}“{name}”重复出现"
                    f"（第{seen_keys[key]}行），请删除重复的行",
                )
            )
            continue
        seen_keys[key] = row.line
        if email:
            if email in seen_emails and seen_emails[email][1] != key:
                problems.append(
                    Problem(
                        row.line,
                        f"邮箱“{email}”在第{seen_emails[email][0]}行已用于另一人，每人的邮箱应不同",
                    )
                )
                continue
            seen_emails[email] = (row.line, key)
        units[unit_name].has_people = True
        plan = PersonPlan(row.line, unit_name, name, role, phone, email)
        org = units[unit_name].existing
        if org is not None:
            plan.existing = (
                Person.objects.filter(organisation=org, name=name, role=role)
                .select_related("user")
                .first()
            )
            if plan.existing is None and email:
                plan.existing = (
                    Person.objects.filter(organisation=org, role=role, email__iexact=email)
                    .select_related("user")
                    .first()
                )
        if email:
            owner = (
                Person.objects.filter(email__iexact=email)
                .exclude(pk=getattr(plan.existing, "pk", None))
                .select_related("organisation")
                .first()
            )
            user_owner = (
                User.objects.filter(email__iexact=email)
                .exclude(pk=getattr(plan.existing, "user_id", None))
                .first()
            )
            if owner is not None:
                problems.append(
                    Problem(
                        row.line,
                        f"邮箱“{email}”已被{owner.organisation.name if owner.organisation else '其他单位'}的{owner.name}使用",
                    )
                )
                continue
            if user_owner is not None:
                problems.append(
                    Problem(row.line, f"邮箱“{email}”已被账号“{user_owner.get_username()}”使用")
                )
                continue
        if plan.existing is None:
            plan.action = "create"
        else:
            person = plan.existing
            if person.name != name:
                plan.changes.append(f"姓名：{person.name} → {name}")
            if phone and person.phone != phone:
                plan.changes.append(f"手机：{person.phone or '（空）'} → {phone}")
            if email and person.email.lower() != email:
                plan.changes.append(f"邮箱：{person.email or '（空）'} → {email}")
            if not person.is_active:
                plan.changes.append("恢复在岗")
            plan.action = "update" if plan.changes else "unchanged"
        people.append(plan)
    return people


# --- storing -----------------------------------------------------------------------------


class NotValid(Exception):
    def __init__(self, plan: Plan):
        super().__init__("名单有误，未导入")
        self.plan = plan


def apply(table: Table, *, source: str = "") -> Plan:
    """Store what `table` says, all or nothing; raises NotValid (nothing stored) when any row
    is wrong. Planned again inside the transaction, so what is stored is checked against the
    database as it is now, not as it was at the preview."""
    summary = f"导入单位和人员名单{('：' + source) if source else ''}"[:200]
    with transaction.atomic():
        plan = plan_import(table)
        if not plan.is_valid:
            raise NotValid(plan)
        with buffered():
            stored: dict[str, Organisation] = {}
            for unit in plan.units:  # parents first
                stored[unit.name] = _store_unit(unit, stored, summary)
            for person in plan.people:
                _store_person(person, stored[person.unit_name], summary)
    return plan


def _store_unit(plan: UnitPlan, stored: dict, summary: str) -> Organisation:
    parent = None
    if plan.parent_name:
        parent = stored.get(plan.parent_name) or _stored_unit(plan.parent_name, {})
    org = plan.existing
    if org is None:
        org = Organisation(
            name=plan.name,
            short_name=plan.short_name,
            level=plan.level,
            kind=plan.kind,
            parent=parent,
        )
        org._audit_transition = summary
        org.save()
        return org
    if plan.action == "update":
        if plan.parent_name:
            org.parent = parent
        org.level, org.kind = plan.level, plan.kind
        if plan.short_name and plan.short_name != org.short_name:
            if org.short_name and org.short_name not in org.aliases.splitlines():
                # The short name documents used so far stays a spelling imports recognise.
                org.aliases = "\n".join(filter(None, [org.aliases.strip(), org.short_name]))
            org.short_name = plan.short_name
        org.save()
    return org


def _store_person(plan: PersonPlan, org: Organisation, summary: str) -> Person:
    person = plan.existing
    if person is None:
        person = Person(
            name=plan.name,
            role=plan.role,
            organisation=org,
            phone=plan.phone,
            email=plan.email,
        )
        person.user = _new_account(plan, summary)
        person._audit_transition = summary
        person.save()
        return person
    if plan.action == "update":
        person.name = plan.name
        person.phone = plan.phone or person.phone
        person.email = plan.email or person.email
        person.is_active = True
        person.save()
        if person.user_id and plan.email and person.user.email.lower() != plan.email:
            person.user.email = plan.email
            person.user.save(update_fields=["email"])
    return person


def _new_account(plan: PersonPlan, summary: str):
    """An account the person cannot sign in with until they accept their invitation and set a
    password: active, so the invitation need not tell it from a disabled one, but with an
    unusable password."""
    User = get_user_model()
    base = (plan.email or re.sub(r"\D", "", plan.phone) or "user")[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User(username=username, email=plan.email, first_name=plan.name[:150])
    user.set_unusable_password()
    user._audit_transition = summary
    user.save()
    return user


# --- writing -----------------------------------------------------------------------------


def export_rows() -> list[list[str]]:
    """The stored units and their people as roster rows, parents before children."""
    orgs = list(Organisation.objects.filter(is_active=True).select_related("parent"))
    people: dict[int, list[Person]] = {}
    for p in Person.objects.filter(is_active=True, organisation__isnull=False).order_by(
        "role", "name", "pk"
    ):
        people.setdefault(p.organisation_id, []).append(p)
    rows = []
    for org, _depth in tree(orgs):
        parent = org.parent.name if org.parent_id else ""
        unit = [org.name, parent, category_label(org)]
        if not people.get(org.pk):
            rows.append([*unit, "", "", "", "", org.short_name])
        for p in people.get(org.pk, []):
            rows.append([*unit, p.name, p.phone, p.email, p.get_role_display(), org.short_name])
    return rows


def tree(orgs: list[Organisation]) -> list[tuple[Organisation, int]]:
    """Units depth first, each after its parent, siblings in their usual order."""
    ids = {o.pk for o in orgs}
    children: dict[int | None, list[Organisation]] = {}
    for o in orgs:
        key = o.parent_id if o.parent_id in ids else None
        children.setdefault(key, []).append(o)
    out: list[tuple[Organisation, int]] = []
    seen: set[int] = set()

    def walk(parent_id, depth):
        for o in children.get(parent_id, []):
            if o.pk in seen:
                continue
            seen.add(o.pk)
            out.append((o, depth))
            walk(o.pk, depth + 1)

    walk(None, 0)
    for o in orgs:  # anything a broken cycle left out
        if o.pk not in seen:
            out.append((o, 0))
    return out


TEMPLATE_EXAMPLE = [
    ["青溪市人民政府", "", "市级人民政府", "", "", "", "", "市政府"],
    [
        "青溪市科学技术局",
        "青溪市人民政府",
        "市级政府部门",
        "李晓明",
        "13800000001",
        "",
        "单位填报员",
        "市科技局",
    ],
    [
        "云台县人民政府",
        "青溪市人民政府",
        "县级人民政府",
        "赵云峰",
        "13800000002",
        "",
        "分管领导",
        "云台县政府",
    ],
]


def write_xlsx(rows: list[list[str]], *, title="单位和人员") -> bytes:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column, width in zip("ABCDEFGH", (28, 24, 16, 12, 16, 26, 12, 16), strict=True):
        sheet.column_dimensions[column].width = width
        # Phone numbers and everything else as text: Excel would turn 138… into 1.38E+10.
        for cell in sheet[column][1:]:
            cell.number_format = "@"
    roles = DataValidation(type="list", formula1='"单位填报员,分管领导,督查员"', allow_blank=True)
    roles.add("G2:G2000")
    sheet.add_data_validation(roles)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    # With a BOM, so that Excel on Windows opens it as UTF-8 rather than GBK.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
