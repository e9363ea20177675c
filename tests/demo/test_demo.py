import datetime

from django.contrib.auth import authenticate

from duban.audit.models import AuditEvent
from duban.demo.load import demo_period, load_demo
from duban.targets.models import Indicator, ProgressReport, Target

TODAY = datetime.date(2026, 11, 22)


def test_demo_period_is_the_last_quarter_that_ended():
    assert str(demo_period(TODAY)) == "2026-Q3"
    assert str(demo_period(datetime.date(2027, 2, 1))) == "2026-Q4"


def test_demo_loads_grounded_targets_in_every_state_and_light(db):
    accounts, roots = load_demo(TODAY)
    assert {a[0] for a in accounts} == {"admin", "kejiju", "fagaiwei", "gongxin", "chenlm"}
    for username, password, _label in accounts:
        assert authenticate(username=username, password=password) is not None
    targets = Target.objects.with_lights(TODAY)
    assert {t.state for t in targets} == set(Target.State.values)
    assert {t.light for t in targets} >= {"green", "yellow", "red", "done"}
    for target in Target.objects.select_related("source_document"):
        assert target.source_text == target.text, target
    for indicator in Indicator.objects.select_related("source_document"):
        assert format(indicator.value.normalize(), "f") in indicator.source_text
    assert ProgressReport.objects.filter(review_state="returned").exists()
    assert AuditEvent.objects.filter(action="transition").count() > 20


def test_demo_can_run_twice(db):
    load_demo(TODAY)
    count = Target.objects.count()
    _accounts, created = load_demo(TODAY, reset_passwords=False)
    assert created == []
    assert Target.objects.count() == count
