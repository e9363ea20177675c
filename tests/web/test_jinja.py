"""The Jinja2 templates' filters print what Django's do (duban.web.jinja)."""

import datetime
import zoneinfo

import pytest
from django.template import defaultfilters
from django.test import override_settings
from django.utils import timezone
from django.utils.timezone import template_localtime

from duban.web import jinja

UTC = datetime.UTC
VALUES = [
    datetime.datetime(2026, 3, 31, 16, 5, 9, tzinfo=UTC),  # the next day in Beijing
    datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    datetime.datetime(999, 12, 31, 23, 59, tzinfo=UTC),
    datetime.datetime(2026, 7, 1, 8, 0),  # naive
    datetime.date(2026, 10, 1),
    datetime.date(2026, 1, 9),
    None,
    "",
]


@pytest.mark.parametrize("format_string", ["Y-m-d H:i", "Y-m-d", "Y年n月j日", "c", "H:i", None])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
def test_date_prints_what_djangos_date_filter_prints(format_string, zone):
    with override_settings(TIME_ZONE=zone), timezone.override(zone):
        for value in VALUES:
            try:
                expected = defaultfilters.date(template_localtime(value), format_string)
            except TypeError:  # a time of day asked of a date: Django refuses, and so do we
                with pytest.raises(TypeError):
                    jinja.date(value, format_string)
                continue
            assert jinja.date(value, format_string) == expected, (value, format_string)


def test_date_is_in_local_time():
    with override_settings(TIME_ZONE="Asia/Shanghai"), timezone.override("Asia/Shanghai"):
        moment = datetime.datetime(2026, 3, 31, 16, 5, tzinfo=UTC)
        assert jinja.date(moment, "Y-m-d H:i") == "2026-04-01 00:05"
        assert jinja.date(moment, "c") == "2026-04-01T00:05:00+08:00"
