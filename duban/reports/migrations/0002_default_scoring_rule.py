"""The default scoring rules, so that scoring works before anyone opens the admin."""

from decimal import Decimal

from django.db import migrations


def create_default(apps, schema_editor):
    ScoringRule = apps.get_model("reports", "ScoringRule")
    if not ScoringRule.objects.filter(year__isnull=True, period="").exists():
        ScoringRule.objects.create(
            name="默认考评规则",
            ack_points=Decimal("20"),
            ack_days=3,
            report_points=Decimal("40"),
            completion_points=Decimal("40"),
            return_deduction=Decimal("2"),
            return_cap=Decimal("10"),
            overdue_deduction=Decimal("0.5"),
            overdue_cap=Decimal("20"),
            note="满分100分：按时签收20分、按时报送40分、完成情况40分，按比例得分；"
            "每退回一次扣2分（最多扣10分），每逾期一天扣0.5分（最多扣20分）。",
        )


def remove_default(apps, schema_editor):
    ScoringRule = apps.get_model("reports", "ScoringRule")
    ScoringRule.objects.filter(year__isnull=True, period="", name="默认考评规则").delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_scoring_rule")]

    operations = [migrations.RunPython(create_default, remove_default)]
