import contextlib
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from duban.audit.mixins import OnTargetTimeline
from duban.documents.models import Grounded, validate_period
from duban.organisations.models import Organisation, Person, is_office_staff, person_of

from .deadlines import parse_deadline
from .lights import (
    SEVERITY,
    RolledUpLight,
    TargetLight,
    light_for,
    worst_light,
)
from .periods import Period, period_label


class TransitionError(Exception):
    """A step of the loop that is not allowed from the target's or report's current state."""


class SourceCategory(models.TextChoices):
    WORK_REPORT = "work_report", "政府工作报告"
    WORK_PLAN = "work_plan", "工作要点"
    BUSINESS_GOAL = "business_goal", "业务目标"
    COMMITMENT = "commitment", "公开承诺事项"
    INSTRUCTION = "instruction", "领导批示"
    MEETING = "meeting", "会议议定事项"
    OTHER = "other", "其他"


def target_label(number: str, title: str, text: str) -> str:
    """How a target is named in lists and links: its number and title, or its text's start."""
    label = title or text[:40]
    return f"{number}. {label}" if number else label


# How a split target's sub-targets add up, as the target page states it.
ROLLUP_RULE = (
    "分解子目标全部办结，上级目标方可办结销号；"
    "上级目标的汇总灯色取其本身与各子目标中最严重者（红灯＞黄灯＞绿灯，已办结的不计）。"
)
LIGHT_SEVERITY = [light.value for light in SEVERITY]  # least to most serious

# The summary of a step a target took because its parent took it.
FOLLOWING_PARENT = "（随上级目标）"


def format_deadline(deadline: datetime.date | None, deadline_text: str) -> str:
    """The deadline as the source wrote it (完成时限), or else the date."""
    if deadline_text:
        return deadline_text
    return f"{deadline:%Y年%m月%d日}" if deadline else ""


def _light(today: datetime.date) -> TargetLight:
    """A target's light in SQL, as of `today`."""
    return TargetLight(today, closed=Target.State.CLOSED, awaiting=Target.State.ASSIGNED)


class TargetQuerySet(models.QuerySet):
    def with_lights(self, today: datetime.date | None = None):
        return self.annotate(light=_light(today or timezone.localdate()))

    def with_rolled_up_lights(self, today: datetime.date | None = None):
        """`with_lights`, and `rolled_up_light`: for a split target, the most serious of its
        own light and its sub-targets' (ROLLUP_RULE, as its page and list row show it); for
        any other target, its own light. In the same query."""
        today = today or timezone.localdate()
        targets = self if "light" in self.query.annotations else self.with_lights(today)
        return targets.annotate(rolled_up_light=RolledUpLight(_light(today), Target._meta.db_table))

    def of_light(self, light: str):
        """The targets showing `light`: a split target by its rolled-up light, as its page and
        list row show it. The list page's and the API's light filter."""
        return self.with_rolled_up_lights().filter(rolled_up_light=light)

    def filtered(
        self,
        *,
        q: str | None = None,
        year: int | None = None,
        source: str | None = None,
        category: str | None = None,
        unit: int | None = None,
        leader: int | None = None,
        state: str | None = None,
        light: str | None = None,
        extended: bool | None = None,
    ):
        """The target list's filters, as the page's form and the API's query both give them
        (ids for the unit and the leader); a value left empty filters nothing. `light` needs
        `with_lights`."""
        targets = self.search(q) if q else self
        if unit:
            targets = targets.for_unit(unit)
        if light:
            targets = targets.of_light(light)
        if extended is not None:
            targets = targets.filter(
                **{"extension_count__gt" if extended else "extension_count": 0}
            )
        exact = {
            "year": year,
            "source_category": source,
            "category": category,
            "leader_id": leader,
            "state": state,
        }
        return targets.filter(**{field: value for field, value in exact.items() if value})

    def search(self, query: str):
        """Every whitespace-separated term must occur somewhere in the target's text,
        number, units or leader. Chinese has no word breaks, so terms match as substrings."""
        qs = self
        for term in query.split():
            qs = qs.filter(search_text__icontains=term)
        return qs

    def roots(self):
        return self.filter(parent__isnull=True)

    def visible_to(self, user):
        """Office staff see every target; a unit sees those it leads or co-operates on;
        a leader sees those in their charge; anyone else sees none."""
        scope, *who = self.visibility_key(user)
        if scope == "all":
            return self
        if scope == "leader":
            return self.filter(leader_id=who[0])
        if scope == "unit":
            return self.for_unit(who[0])
        return self.none()

    @staticmethod
    def visibility_key(user) -> tuple:
        """Names the set `visible_to(user)` selects ("all", a leader's or a unit's targets, or
        "none"), so figures derived from it can be cached once for everyone who sees it."""
        if is_office_staff(user):
            return ("all",)
        person = person_of(user)
        if person is None or not person.is_active:
            return ("none",)
        if person.role == Person.Role.LEADER:
            return ("leader", person.pk)
        if person.role == Person.Role.UNIT and person.organisation_id:
            return ("unit", person.organisation_id)
        return ("none",)

    def for_unit(self, unit_id):
        """Targets the unit leads or co-operates on.

        As one list of ids (those it leads, then those it co-operates on) rather than "leads OR
        co-operates": the OR cannot use an index, so every query of a unit's targets read the
        whole table, and a unit's list took 4 ms of the database's time per query instead of
        under 1 ms on 10,000 targets."""
        led = Target.objects.filter(lead_unit_id=unit_id).order_by().values("pk")
        co_operated = (
            Target.co_units.through.objects.filter(organisation_id=unit_id)
            .order_by()
            .values("target_id")
        )
        return self.filter(pk__in=led.union(co_operated, all=True))


class Target(Grounded):
    """A tracked target (目标任务 / 督办事项) and its place in the supervision loop."""

    class State(models.TextChoices):
        REGISTERED = "registered", "待审核"
        APPROVED = "approved", "待交办"
        ASSIGNED = "assigned", "待签收"
        IN_PROGRESS = "in_progress", "办理中"
        CLOSED = "closed", "已办结"

    year = models.PositiveSmallIntegerField("年度")
    number = models.CharField(
        "编号", max_length=30, blank=True, help_text="按原文书写，如 43、1、一是"
    )
    title = models.CharField("标题", max_length=300, blank=True)
    text = models.TextField("目标内容")
    source_category = models.CharField(
        "任务来源", max_length=20, choices=SourceCategory.choices, default=SourceCategory.OTHER
    )
    source_label = models.CharField("来源（原文）", max_length=100, blank=True)
    category = models.CharField(
        "目标类别", max_length=50, blank=True, help_text="如 重点目标、创优目标"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级目标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    deadline = models.DateField("完成时限（日期）", null=True, blank=True)
    deadline_text = models.CharField("完成时限（原文）", max_length=100, blank=True)
    lead_unit = models.ForeignKey(
        Organisation,
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_targets",
    )
    co_units = models.ManyToManyField(
        Organisation, verbose_name="协办单位", blank=True, related_name="co_targets"
    )
    leader = models.ForeignKey(
        Person,
        verbose_name="分管领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets_led",
        limit_choices_to={"role": Person.Role.LEADER},
    )
    benchmark = models.TextField("标杆", blank=True, help_text="标杆城市及标杆值")
    is_public = models.BooleanField(
        "公开承诺",
        default=False,
        help_text="公开承诺事项；经督查员“发布”后才在公开页面显示",
    )
    published_at = models.DateTimeField(
        "公开发布时间",
        null=True,
        blank=True,
        help_text="督查员发布到公开页面（不登录可查看）的时间；撤回发布后为空",
    )
    decomposed = models.BooleanField(
        "分解子目标",
        default=False,
        help_text="督查员分解上级目标产生的子目标：各自交办、签收、报送，不随上级目标流转",
    )
    state = models.CharField(
        "办理状态", max_length=20, choices=State.choices, default=State.REGISTERED, db_index=True
    )
    return_count = models.PositiveIntegerField("退回次数", default=0)
    extension_count = models.PositiveIntegerField(
        "延期次数", default=0, help_text="经批准的延期申请次数（延期申请）"
    )
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closing_note = models.TextField("办结说明", blank=True)
    closing_reason = models.TextField(
        "未完成即办结的理由",
        blank=True,
        help_text="最近一次审核通过的报送为“未完成”时，办结须确认并说明理由",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name="结转自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        help_text="持续推进的目标结转到下一年度时，指向上一年度的目标",
    )
    linked = models.ManyToManyField(
        "self",
        verbose_name="同一事项的其他来源",
        blank=True,
        help_text="另一来源（如工作要点与政府工作报告）说的同一事项；各自保留自己的指标",
    )
    search_text = models.TextField(editable=False, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "目标任务"
        verbose_name_plural = "目标任务"
        ordering = ["-year", "source_category", "id"]
        indexes = [
            models.Index(fields=["year", "source_category"]),
            models.Index(fields=["deadline"]),
        ]

    def __str__(self):
        return target_label(self.number, self.title, self.text)

    def is_in(self, scope: tuple, co_unit_ids) -> bool:
        """Whether the targets `scope` names (`visibility_key`) hold this one, given the ids
        of its co-units: `visible_to` for a target already read, without asking again."""
        kind, *who = scope
        if kind == "all":
            return True
        if kind == "leader":
            return self.leader_id == who[0]
        if kind == "unit":
            return self.lead_unit_id == who[0] or who[0] in co_unit_ids
        return False

    @property
    def audit_target_id(self):
        return self.pk

    def clean(self):
        super().clean()
        if self.parent_id is not None:
            node, seen = self.parent, set()
            while node is not None:
                if node.pk == self.pk or node.pk in seen:
                    raise ValidationError({"parent": "上级目标不能是本目标或其下级目标"})
                seen.add(node.pk)
                node = node.parent
        if self.deadline_text and self.deadline is None:
            self.deadline = parse_deadline(self.deadline_text, self.year)

    def save(self, *args, **kwargs):
        if self.deadline is None and self.deadline_text:
            self.deadline = parse_deadline(self.deadline_text, self.year)
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self, co_unit_names=None) -> str:
        parts = [
            self.number,
            self.title,
            self.text,
            self.category,
            self.source_label,
            self.get_source_category_display(),
            self.benchmark,
            self.deadline_text,
        ]
        if self.lead_unit_id:
            parts.append(self.lead_unit.name)
        if self.leader_id:
            parts.append(self.leader.name)
        if co_unit_names is not None:
            parts.extend(co_unit_names)
        elif self.pk:
            parts.extend(self.co_units.values_list("name", flat=True))
        return "\n".join(p for p in parts if p)

    @property
    def deadline_label(self) -> str:
        return format_deadline(self.deadline, self.deadline_text)

    @property
    def deadline_is_implied(self) -> bool:
        """The deadline says nothing the target's own words do not: a year's task due at the
        year's end, or a deadline its text states (年内). A ledger need not print it again."""
        if self.deadline_text:
            return self.deadline_text in (self.text or "")
        return self.deadline is None or self.deadline == datetime.date(self.year, 12, 31)

    def light(self, today: datetime.date | None = None) -> str:
        if "light" in self.__dict__:
            return self.__dict__["light"]
        return light_for(
            closed=self.state == self.State.CLOSED,
            awaiting_acknowledgement=self.state == self.State.ASSIGNED,
            deadline=self.deadline,
            return_count=self.return_count,
            today=today or timezone.localdate(),
        )

    @property
    def units(self) -> list[Organisation]:
        """The responsible units as a ledger prints them: the lead unit first, then the
        co-units in the order they were recorded (an import's, the order its source names
        them)."""
        lead = [self.lead_unit] if self.lead_unit_id else []
        links = Target.co_units.through.objects.filter(target_id=self.pk).order_by("id")
        co_units = [link.organisation for link in links.select_related("organisation")]
        return lead + [u for u in co_units if u.pk != self.lead_unit_id]

    def set_co_units(self, units) -> None:
        """Makes the co-units exactly `units`, in that order: ledgers print them in the order
        they were recorded, so the office's order is kept rather than that of a set of ids.
        The trail gets one event for the units removed and one for the units added; a unit
        that only moves in the order is not reported as removed and added again."""
        through = Target.co_units.through
        wanted = list(dict.fromkeys(u.pk for u in units if u.pk != self.lead_unit_id))
        current = list(
            through.objects.filter(target_id=self.pk)
            .order_by("id")
            .values_list("organisation_id", flat=True)
        )
        if current == wanted:
            return
        gone = [pk for pk in current if pk not in wanted]
        if gone:
            self.co_units.remove(*gone)
        kept = [pk for pk in current if pk in wanted]
        same = 0
        while same < len(kept) and kept[same] == wanted[same]:
            same += 1
        # Rows after the common beginning are written again in the wanted order; only
        # the units new to the target are announced as added.
        moved = kept[same:]
        if moved:
            through.objects.filter(target_id=self.pk, organisation_id__in=moved).delete()
        added = {pk for pk in wanted[same:] if pk not in kept}
        signal = {"sender": through, "instance": self, "reverse": False, "model": Organisation}
        if added:
            models.signals.m2m_changed.send(action="pre_add", pk_set=added, **signal)
        through.objects.bulk_create(
            [through(target_id=self.pk, organisation_id=pk) for pk in wanted[same:]]
        )
        if added:
            models.signals.m2m_changed.send(action="post_add", pk_set=added, **signal)

    # --- the loop -------------------------------------------------------------------

    def _transition(self, allowed: set, new_state: str, summary: str, **changes):
        if self.state not in allowed:
            raise TransitionError(f"目标当前为“{self.get_state_display()}”，不能{summary}")
        for name, value in changes.items():
            setattr(self, name, value)
        self.state = new_state
        self._audit_transition = summary
        self.save()

    # A target's children (the 一是/二是 points of a plan item) go through the loop with it:
    # when the target takes a step, those of its children in a state the step starts from take
    # it too, in the same transaction, each recorded as a transition of its own, and so on down.
    # A child elsewhere in the loop (already further along) is left as it is, with its own
    # children, and never keeps the target from its step.
    #
    # Sub-targets the office made by splitting a target (`decomposed`, 任务分解) are the
    # exception: each has a lead unit and deadline of its own and runs its own loop, so the
    # parent's approve, assign and acknowledge steps never touch them (an assign would hand
    # them to the parent's unit). The parent is closed only once all of them are.

    @transaction.atomic
    def approve(self):
        self._approve("审核通过")

    def _approve(self, summary: str):
        self._transition({self.State.REGISTERED}, self.State.APPROVED, summary)
        for child in self._following().filter(state=self.State.REGISTERED).order_by("pk"):
            child._approve("审核通过" + FOLLOWING_PARENT)

    @transaction.atomic
    def assign(self, *, lead_unit, co_units=(), leader=None, deadline=None, deadline_text=None):
        co_units = [u for u in co_units if u.pk != lead_unit.pk]
        changes = {"lead_unit": lead_unit, "leader": leader}
        if deadline is not None:
            changes["deadline"] = deadline
        if deadline_text is not None:
            changes["deadline_text"] = deadline_text
            if deadline is None and deadline_text != self.deadline_text:
                changes["deadline"] = None  # the date is read anew from the new text
        self._assign("交办", changes, co_units)

    def _assign(self, summary: str, changes: dict, co_units: list):
        previous_deadline = (self.deadline, self.deadline_text)
        self._transition(
            {self.State.APPROVED, self.State.ASSIGNED}, self.State.ASSIGNED, summary, **changes
        )
        self.set_co_units(co_units)
        following = self._following().filter(state__in=[self.State.APPROVED, self.State.ASSIGNED])
        for child in following.order_by("pk"):
            child_changes = {"lead_unit": self.lead_unit, "leader": self.leader}
            # A child keeps a deadline of its own; one it has not, or had as the parent's
            # before this step, becomes the parent's.
            own = (child.deadline, child.deadline_text)
            if own == (None, "") or own == previous_deadline:
                child_changes["deadline"] = self.deadline
                child_changes["deadline_text"] = self.deadline_text
            child._assign("交办" + FOLLOWING_PARENT, child_changes, co_units)

    @transaction.atomic
    def acknowledge(self):
        self._acknowledge("签收")

    def _acknowledge(self, summary: str):
        self._transition(
            {self.State.ASSIGNED}, self.State.IN_PROGRESS, summary, acknowledged_at=timezone.now()
        )
        for child in self._following().filter(state=self.State.ASSIGNED).order_by("pk"):
            child._acknowledge("签收" + FOLLOWING_PARENT)

    def _following(self):
        """The children that take the parent's steps with it: all but split-off sub-targets."""
        return self.children.filter(decomposed=False)

    def open_sub_targets(self):
        """The split-off sub-targets not closed yet: they keep the parent from closing."""
        return self.children.filter(decomposed=True).exclude(state=self.State.CLOSED)

    @transaction.atomic
    def close(self, *, note: str = "", reason: str = "", user=None):
        if self.state == self.State.IN_PROGRESS:
            open_ = list(self.open_sub_targets().order_by("pk")[:4])
            if open_:
                names = "、".join(f"“{t}”" for t in open_[:3]) + ("等" if len(open_) > 3 else "")
                raise TransitionError(f"分解的子目标{names}尚未办结，上级目标暂不能办结销号")
        self._transition(
            {self.State.IN_PROGRESS},
            self.State.CLOSED,
            "办结销号",
            closed_at=timezone.now(),
            closing_note=note,
            closing_reason=reason,
            closed_by=user,
        )
        self._close_children()

    def rollup(self, today: datetime.date | None = None) -> dict | None:
        """The split-off sub-targets summed up for the parent, by the rule `ROLLUP_RULE`
        states: how many are closed, and the most serious light among the parent's own and
        theirs. None when the target was not split."""
        subs = list(self.children.filter(decomposed=True).with_lights(today))
        if not subs:
            return None
        closed = sum(1 for t in subs if t.state == self.State.CLOSED)
        return {
            "total": len(subs),
            "closed": closed,
            "complete": closed == len(subs),
            "light": worst_light([Target.light(self, today), *(t.light for t in subs)]),
        }

    def _close_children(self):
        """A target closed closes every point under it, from whatever state it is in: the work
        is done. A point closed before the step of closing allows it says so in the trail."""
        for child in self.children.order_by("pk"):
            if child.state != self.State.CLOSED:
                summary = "办结销号" + FOLLOWING_PARENT
                if child.state != self.State.IN_PROGRESS:
                    summary = f"办结销号（随上级目标办结，原为“{child.get_state_display()}”）"
                child._transition(
                    set(self.State), self.State.CLOSED, summary, closed_at=timezone.now()
                )
            child._close_children()

    @property
    def is_ongoing(self) -> bool:
        """A multi-year target (持续推进, 长期) has no end date of its own."""
        return self.deadline is None and any(w in self.deadline_text for w in ("持续", "长期"))

    @transaction.atomic
    def carry_over(self) -> "Target":
        """Continues an ongoing target into the next year: same text, units and leader,
        assigned again so the unit acknowledges it for the new year."""
        if not self.is_ongoing:
            raise TransitionError("只有“持续推进”的目标才能结转到下一年度")
        if self.carried_to.exists():
            raise TransitionError("该目标已结转过")
        if self.state not in {self.State.ASSIGNED, self.State.IN_PROGRESS}:
            raise TransitionError(f"目标当前为“{self.get_state_display()}”，不能结转")
        successor = Target(
            year=self.year + 1,
            number=self.number,
            title=self.title,
            text=self.text,
            source_category=self.source_category,
            source_label=self.source_label,
            category=self.category,
            deadline_text=self.deadline_text,
            lead_unit=self.lead_unit,
            leader=self.leader,
            benchmark=self.benchmark,
            is_public=self.is_public,
            state=self.State.ASSIGNED,
            carried_from=self,
            source_document=self.source_document,
            span_start=self.span_start,
            span_end=self.span_end,
        )
        successor._audit_transition = f"由{self.year}年度结转"
        successor.save()
        successor.set_co_units([u for u in self.units if u.pk != self.lead_unit_id])
        from duban.audit.recorder import record

        record(
            self,
            "transition",
            after={"结转至": f"{successor.year}年度"},
            summary=f"结转到{successor.year}年度",
        )
        return successor


class Milestone(OnTargetTimeline, Grounded):
    """A period's milestone (季度目标 / 阶段目标) of a target."""

    target = models.ForeignKey(
        Target, verbose_name="目标任务", on_delete=models.CASCADE, related_name="milestones"
    )
    period = models.CharField("期次", max_length=10, validators=[validate_period])
    text = models.TextField("阶段目标")
    due_date = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        verbose_name = "阶段目标"
        verbose_name_plural = "阶段目标"
        ordering = ["target_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="milestone_once_per_period")
        ]

    def __str__(self):
        return f"{self.period_label}：{self.text[:30]}"

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    def fill_due_date(self):
        """A milestone is due at the end of its period unless a date was set."""
        if self.due_date is None:
            with contextlib.suppress(ValueError):
                self.due_date = Period.parse(self.period).end_date

    def save(self, *args, **kwargs):
        self.fill_due_date()
        super().save(*args, **kwargs)


CLOSING_STATUS = "办结"

# The reports the constraint below allows once per target, unit and period: submitted or
# accepted, written by the unit (online or by file), not read from a document, not a closing
# note. The states are spelt out: the class that names them is defined below.
LIVE_OWN_REPORT = models.Q(
    review_state__in=["submitted", "accepted"], source_document__isnull=True
) & ~models.Q(status_text=CLOSING_STATUS)


class ProgressReport(OnTargetTimeline, Grounded):
    """A unit's report for a period (报送): progress, completion, reasons, next steps."""

    class Review(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        ACCEPTED = "accepted", "已通过"
        RETURNED = "returned", "已退回"

    target = models.ForeignKey(
        Target, verbose_name="目标任务", on_delete=models.CASCADE, related_name="reports"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="阶段目标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    period = models.CharField("期次", max_length=10, validators=[validate_period])
    unit = models.ForeignKey(
        Organisation,
        verbose_name="报送单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    progress = models.TextField("具体工作进展")
    status_text = models.CharField("是否完成（原文）", max_length=50, blank=True)
    is_complete = models.BooleanField("是否完成", null=True, blank=True)
    reason = models.TextField("未完成原因", blank=True)
    next_steps = models.TextField("下步工作打算", blank=True)
    review_state = models.CharField(
        "审核状态", max_length=20, choices=Review.choices, default=Review.DRAFT, db_index=True
    )
    review_comment = models.TextField("审核意见", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ["target_id", "-period", "-created_at"]
        indexes = [
            # Covers the dashboard's and bulletin's counts per period, which then read no
            # table rows (PostgreSQL also keeps the id in it; SQLite has it as the rowid).
            models.Index(
                fields=[
                    "period",
                    "review_state",
                    "target",
                    "is_complete",
                    "submitted_at",
                    "created_at",
                ],
                include=["id"],
                name="report_period_counts",
            ),
            models.Index(fields=["target", "review_state"]),
            # The office's review queue: the oldest submitted reports first (workbench).
            models.Index(fields=["review_state", "submitted_at"], name="report_review_queue"),
        ]
        constraints = [
            # One live report of a unit's own per target and period: a double click, a second
            # reporter of the unit or an API client racing the form cannot store two. Drafts
            # and returned reports are outside it (a returned report is revised and sent
            # again). So are the answers read from documents (`source_document` set), the
            # office's record, which a later import of the period replaces and which may
            # stand beside the unit's own report, and the closing note kept by 办结销号.
            models.UniqueConstraint(
                fields=["target", "unit", "period"],
                condition=LIVE_OWN_REPORT,
                name="one_live_report_per_period",
                violation_error_message="本期进展已报送，请等待审核结果",
            ),
        ]

    def __str__(self):
        return f"{period_label(self.period)}进展"

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    NEGATIVE_ANSWERS = {"", "无", "/", "—", "-", "否", "没有", "暂无"}

    def flags(self) -> list[str]:
        """Inconsistencies in what was printed, kept as printed and pointed out."""
        found = []
        reason = (self.reason or "").strip()
        if self.is_complete and reason not in self.NEGATIVE_ANSWERS:
            found.append(f"已标为完成，但“未完成原因”填写了“{reason[:20]}”")
        if self.is_complete is False and reason in self.NEGATIVE_ANSWERS:
            found.append("未完成，但没有说明未完成原因")
        return found

    def save_if_unchanged(self, expected_version: int, **kwargs):
        """Optimistic lock: save only if nobody saved this report since `expected_version`
        was read. Returns False, writing nothing, when someone did."""
        with transaction.atomic():
            updated = ProgressReport.objects.filter(pk=self.pk, version=expected_version).update(
                version=F("version") + 1
            )
            if not updated:
                return False
            self.version = expected_version + 1
            self.save(**kwargs)
            return True

    # --- the loop -------------------------------------------------------------------

    def _review(self, allowed, new_state, summary, **changes):
        if self.review_state not in allowed:
            raise TransitionError(f"报送当前为“{self.get_review_state_display()}”，不能{summary}")
        for name, value in changes.items():
            setattr(self, name, value)
        self.review_state = new_state
        self._audit_transition = summary
        self.save()

    def check_complete(self):
        """What a report must say before it is sent: progress, whether the period's work is
        complete, and if not, why."""
        errors = {}
        if not (self.progress or "").strip():
            errors["progress"] = "请填写具体工作进展"
        if self.is_complete is None:
            errors["is_complete"] = "请选择是否完成"
        elif self.is_complete is False and not (self.reason or "").strip():
            errors["reason"] = "未完成时必须填写未完成原因"
        if errors:
            raise ValidationError(errors)

    def submit(self, user=None):
        self.check_complete()
        self._review(
            {self.Review.DRAFT, self.Review.RETURNED},
            self.Review.SUBMITTED,
            "报送进展",
            submitted_by=user,
            submitted_at=timezone.now(),
        )

    def withdraw(self, summary="撤回报送"):
        """A submitted report back to a draft, to be replaced before review (a unit's second
        upload of the same period's form); the trail keeps what it said."""
        self._review({self.Review.SUBMITTED}, self.Review.DRAFT, summary)

    def accept(self, user=None, comment=""):
        self._review(
            {self.Review.SUBMITTED},
            self.Review.ACCEPTED,
            "审核通过",
            reviewed_by=user,
            reviewed_at=timezone.now(),
            review_comment=comment,
        )

    @transaction.atomic
    def return_for_revision(self, user=None, comment=""):
        if not comment.strip():
            raise ValidationError({"review_comment": "退回时必须填写退回意见"})
        self._review(
            {self.Review.SUBMITTED},
            self.Review.RETURNED,
            "退回修改",
            reviewed_by=user,
            reviewed_at=timezone.now(),
            review_comment=comment,
        )
        Target.objects.filter(pk=self.target_id).update(return_count=F("return_count") + 1)


def evidence_path(instance, filename):
    if instance.report_id is None:  # the office's closing evidence
        return f"evidence/{instance.target_id}/closing/{filename}"
    return f"evidence/{instance.report.target_id}/{instance.report_id}/{filename}"


class Evidence(OnTargetTimeline, models.Model):
    """A 佐证材料 file attached to a progress report, or, without a report, to a target's
    closing (办结佐证材料: the office's, never a unit's report). A report lists a content once
    (`sha256`)."""

    target = models.ForeignKey(
        Target,
        verbose_name="目标任务",
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="进展报送",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
        help_text="为空时是办结佐证材料",
    )
    file = models.FileField("文件", upload_to=evidence_path)
    name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("内容摘要", max_length=64, blank=True, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("类型", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.target_id is None and self.report_id is not None:
            self.target_id = self.report.target_id
        super().save(*args, **kwargs)


class Indicator(OnTargetTimeline, Grounded):
    """A number a target sets or a report achieves: 高新技术企业 ≥ 1260 家 in 2022."""

    class Kind(models.TextChoices):
        TARGET = "target", "目标值"
        ACTUAL = "actual", "实际值"

    class Measure(models.TextChoices):
        TOTAL = "total", "总量"
        INCREASE = "increase", "新增"
        SHARE = "share", "占比"
        GROWTH = "growth", "增长"
        RANK = "rank", "位次"
        OTHER = "other", "其他"

    class Comparator(models.TextChoices):
        GE = ">=", "不低于"
        GT = ">", "超过"
        EQ = "=", "达到"
        APPROX = "~", "左右"
        LE = "<=", "不超过"
        LT = "<", "低于"
        RANGE = "range", "区间"

    # Empty for an achievement a summary reports outside any tracked target; such numbers
    # are matched to targets by subject and year.
    target = models.ForeignKey(
        Target,
        verbose_name="目标任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="进展报送",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    subject = models.CharField("指标", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.TARGET)
    measure = models.CharField(
        "口径", max_length=10, choices=Measure.choices, default=Measure.TOTAL
    )
    comparator = models.CharField(
        "比较", max_length=5, choices=Comparator.choices, default=Comparator.EQ
    )
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    value_max = models.DecimalField("上限", max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)

    class Meta:
        verbose_name = "量化指标"
        verbose_name_plural = "量化指标"
        ordering = ["target_id", "kind", "id"]

    def __str__(self):
        return f"{self.subject} {self.display_value}"

    @property
    def display_value(self) -> str:
        def fmt(v):
            return format(Decimal(str(v)).normalize(), "f") if v is not None else ""

        if self.comparator == self.Comparator.RANGE:
            return f"{fmt(self.value)}—{fmt(self.value_max)}{self.unit}"
        symbol = {">=": "≥", ">": ">", "=": "", "~": "约", "<=": "≤", "<": "<"}[self.comparator]
        return f"{symbol}{fmt(self.value)}{self.unit}"

    def clean(self):
        super().clean()
        if self.comparator == self.Comparator.RANGE:
            if self.value_max is None:
                raise ValidationError({"value_max": "区间指标必须有上限"})
            if self.value is not None and self.value_max < self.value:
                raise ValidationError({"value_max": "上限不能小于下限"})
        elif self.value_max is not None:
            raise ValidationError({"value_max": "只有区间指标才有上限"})
