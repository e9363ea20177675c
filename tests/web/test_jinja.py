"""The Jinja2 templates' filters print what Django's do (duban.web.jinja)."""

import datetime
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import defaultfilters
from django.test import override_settings
from django.utils import timezone
from django.utils.timezone import template_localtime

from duban.audit.models import AuditEvent
from duban.documents.models import SourceDocument
from duban.organisations.models import Person
from duban.targets.models import Indicator, ProgressReport, Target
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


TEXTS = [
    "",
    "一行文字",
    "第一行\n第二行",
    "回车\r\n换行\r旧式",
    "<b>要转义</b> & 'quotes' \"double\"",
    "e\u0301 组合字符" * 5,
    "很长的一段文字" * 10,
    None,
    42,
]


def test_linebreaksbr_prints_what_djangos_prints():
    from django.utils.safestring import mark_safe

    for text in [*TEXTS, mark_safe("<i>已是安全的</i>\n第二行"), mark_safe("<i>一行</i>")]:
        expected = defaultfilters.linebreaksbr(text, autoescape=True)
        assert jinja.linebreaksbr(text) == expected, text


@pytest.mark.parametrize("length", [0, -1, 1, 5, 12, 40, 200, "9", "x"])
def test_truncatechars_prints_what_djangos_prints(length):
    from django.utils.safestring import SafeData, mark_safe

    for text in [*TEXTS, mark_safe("<i>安全</i>")]:
        expected = defaultfilters.truncatechars(text, length)
        got = jinja.truncatechars(text, length)
        assert got == expected, (text, length)
        assert isinstance(got, SafeData) == isinstance(expected, SafeData), (text, length)


def test_light_badges_are_those_of_the_django_tag():
    from duban.web.templatetags.duban import _badge, light_badge

    for light in ["green", "yellow", "red", "done", "unknown", ""]:
        assert light_badge(light) == _badge(light)


CHOICE_FIELDS = [
    (Target, "state"),
    (Target, "source_category"),
    (ProgressReport, "review_state"),
    (Indicator, "kind"),
    (Indicator, "measure"),
    (SourceDocument, "genre"),
    (AuditEvent, "action"),
    (Person, "role"),
]


@pytest.mark.parametrize("model,name", CHOICE_FIELDS)
def test_display_prints_what_get_display_prints(model, name):
    field = model._meta.get_field(name)
    for value in [*(value for value, _ in field.flatchoices), "no-such-choice", "", None]:
        instance = model(**{field.attname: value})
        expected = getattr(instance, f"get_{name}_display")()
        assert jinja.display(instance, name) == expected, (model, value)


def test_type_name_is_the_content_types_name(db):
    for model in (Target, ProgressReport, AuditEvent, Person):
        content_type = ContentType.objects.get_for_model(model)
        assert jinja.type_name(content_type) == content_type.name == model._meta.verbose_name
