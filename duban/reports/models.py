"""Scoring rules (考评规则): how many points each unit earns or loses in a period.

A rule set applies to one period (2026-Q3), to every period of a year (year set, period empty),
or, when neither is set, to any period without a rule set of its own. The most specific one
wins; see `duban.reports.overview.scoring.rule_for`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from duban.documents.models import validate_period
from duban.targets.periods import Period

# The defaults an office starts from: 100 points for on-time acknowledgement, on-time reports
# and completion, less deductions for returned reports and overdue days, each capped. Approved
# deadline extensions cost nothing unless the office sets a weight for them.
DEFAULTS = {
    "ack_points": Decimal("20"),
    "ack_days": 3,
    "report_points": Decimal("40"),
    "completion_points": Decimal("40"),
    "return_deduction": Decimal("2"),
    "return_cap": Decimal("10"),
    "overdue_deduction": Decimal("0.5"),
    "overdue_cap": Decimal("20"),
    "extension_deduction": Decimal("0"),
    "extension_cap": Decimal("10"),
}


def _points(label, default, help_text=""):
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
    )


class ScoringRule(models.Model):
    """One set of scoring rules (考评规则)."""

    name = models.CharField("名称", max_length=100, default="考评规则")
    year = models.PositiveSmallIntegerField(
        "适用年度", null=True, blank=True, help_text="留空且不填期次：作为默认规则，适用于所有期次"
    )
    period = models.CharField(
        "适用期次",
        max_length=10,
        blank=True,
        validators=[validate_period],
        help_text="如 2026-Q3；留空：适用于该年度的各期",
    )
    ack_points = _points(
        "按时签收（满分）", DEFAULTS["ack_points"], "按期内交办事项的按时签收比例得分"
    )
    ack_days = models.PositiveSmallIntegerField(
        "签收时限（天）", default=DEFAULTS["ack_days"], help_text="交办后多少天内签收算按时"
    )
    report_points = _points(
        "按时报送（满分）",
        DEFAULTS["report_points"],
        "按本期应报送事项的按时报送比例得分（期末后宽限天数见系统设置）",
    )
    completion_points = _points(
        "完成情况（满分）",
        DEFAULTS["completion_points"],
        "按本期应报送事项中已办结或本期报送经审核为完成的比例得分",
    )
    return_deduction = _points("每次退回扣分", DEFAULTS["return_deduction"])
    return_cap = _points("退回扣分上限", DEFAULTS["return_cap"])
    overdue_deduction = _points(
        "每逾期一天扣分", DEFAULTS["overdue_deduction"], "本期内目标超过完成时限未办结的天数"
    )
    overdue_cap = _points("逾期扣分上限", DEFAULTS["overdue_cap"])
    extension_deduction = _points(
        "每次延期扣分",
        DEFAULTS["extension_deduction"],
        "本期内批准的每次延期申请（延期）扣分；0 为不扣分",
    )
    extension_cap = _points("延期扣分上限", DEFAULTS["extension_cap"])
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "考评规则"
        verbose_name_plural = "考评规则"
        ordering = ["-year", "-period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=~Q(period=""), name="scoring_rule_once_per_period"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(period="", year__isnull=False),
                name="scoring_rule_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(period="", year__isnull=True),
                name="scoring_rule_one_default",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.scope_label}）"

    @property
    def scope_label(self) -> str:
        if self.period:
            try:
                return Period.parse(self.period).label
            except ValueError:
                return self.period
        if self.year:
            return f"{self.year}年各期"
        return "默认"

    @property
    def full_marks(self) -> Decimal:
        return self.ack_points + self.report_points + self.completion_points

    def clean(self):
        super().clean()
        if self.period:
            try:
                period = Period.parse(self.period)
            except ValueError as exc:
                raise ValidationError({"period": str(exc)}) from exc
            if self.year is None:
                self.year = period.year
            elif self.year != period.year:
                raise ValidationError({"period": "适用期次与适用年度不一致"})


def _track():
    # Rule changes are part of the trail (留痕) like every other change an office makes.
    from duban.audit.recorder import track

    track(ScoringRule)


_track()
