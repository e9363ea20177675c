import datetime

import pytest

from duban.targets.lights import Light, light_for
from duban.targets.models import Target

TODAY = datetime.date(2026, 6, 15)


def light(**kw):
    args = {
        "closed": False,
        "awaiting_acknowledgement": False,
        "deadline": None,
        "return_count": 0,
        "today": TODAY,
    }
    args.update(kw)
    return light_for(**args)


def test_green_when_on_track():
    assert light() == Light.GREEN
    assert light(deadline=TODAY + datetime.timedelta(days=8)) == Light.GREEN


def test_yellow_when_due_within_seven_days():
    assert light(deadline=TODAY + datetime.timedelta(days=7)) == Light.YELLOW
    assert light(deadline=TODAY) == Light.YELLOW


def test_yellow_when_not_acknowledged():
    assert light(awaiting_acknowledgement=True) == Light.YELLOW


def test_red_when_overdue_or_returned_twice():
    assert light(deadline=TODAY - datetime.timedelta(days=1)) == Light.RED
    assert light(return_count=2) == Light.RED
    assert light(return_count=1) == Light.GREEN


def test_closed_targets_are_no_longer_watched():
    assert light(closed=True, deadline=TODAY - datetime.timedelta(days=30)) == Light.DONE


def test_due_soon_days_is_a_setting(settings):
    settings.DUBAN_DUE_SOON_DAYS = 14
    assert light(deadline=TODAY + datetime.timedelta(days=10)) == Light.YELLOW


@pytest.mark.django_db
def test_sql_and_python_agree(make_target, city):
    cases = [
        {},
        {"deadline": TODAY + datetime.timedelta(days=3)},
        {"deadline": TODAY - datetime.timedelta(days=3)},
        {"deadline": TODAY + datetime.timedelta(days=30)},
        {"return_count": 2},
        {"state": Target.State.ASSIGNED},
        {"state": Target.State.ASSIGNED, "deadline": TODAY - datetime.timedelta(days=1)},
        {"state": Target.State.CLOSED, "deadline": TODAY - datetime.timedelta(days=1)},
        {"state": Target.State.IN_PROGRESS, "deadline": TODAY + datetime.timedelta(days=7)},
    ]
    made = [make_target(**c) for c in cases]
    from_sql = dict(Target.objects.with_lights(TODAY).values_list("pk", "light"))
    for target in made:
        assert from_sql[target.pk] == target.light(TODAY), target
    assert set(from_sql.values()) == {Light.GREEN, Light.YELLOW, Light.RED, Light.DONE}
