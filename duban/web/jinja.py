"""Jinja2, for the parts of pages that print long lists of rows (the target list's rows, the
workbench, a target page's content).

Django's template language resolves every variable through several lookups and renders every
node as an object; on a page of fifty rows that was a quarter of the page's time. Jinja2
compiles a template to Python, and Django supports it as a second engine: these templates live
in `duban/jinja2/`, take the same context as before, and are given the few Django filters and
tags they use, with Django's own implementations so that they print exactly the same.
"""

import datetime
import functools
import unicodedata

from django.template import defaultfilters, engines
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime
from jinja2 import Environment

from duban.web.templatetags.duban import light_badge, light_label


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def csrf_input(token) -> str:
    """What Django's `{% csrf_token %}` prints (nothing where no token was given)."""
    if not token or token == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


# The formats these templates use, written out. Django's `date` reads its format letter by
# letter and asks the locale for every value: on a target page with a long trail, a twentieth
# of the page's time. Tests hold these to Django's output.
_FORMATS = {
    "Y-m-d H:i": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}",
    "Y-m-d": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d}",
    "Y年n月j日": lambda v: f"{v.year:04d}年{v.month}月{v.day}日",
    "c": lambda v: v.isoformat(),
}
_TIME_OF_DAY = {"Y-m-d H:i"}  # formats only a datetime has


def date(value, format_string=None) -> str:
    """Django's `date`, in the local time zone as Django's templates give it."""
    value = template_localtime(value)
    written_out = _FORMATS.get(format_string)
    if (
        written_out is not None
        and isinstance(value, datetime.date)
        and (format_string not in _TIME_OF_DAY or isinstance(value, datetime.datetime))
    ):
        return written_out(value)
    return defaultfilters.date(value, format_string)


def widthratio(value, max_value, max_width: int) -> str:
    """Django's `{% widthratio %}`: value / max_value scaled to max_width, rounded."""
    try:
        return str(round(float(value) / float(max_value) * max_width))
    except ZeroDivisionError:
        return "0"
    except (ValueError, TypeError, OverflowError):
        return ""


def linebreaksbr(value) -> SafeString:
    """Django's `linebreaksbr`, escaping: a value of one line only needs escaping."""
    text = str(value)
    if "\n" not in text and "\r" not in text and not isinstance(value, SafeData):
        return escape(text)
    return defaultfilters.linebreaksbr(value, autoescape=True)


def truncatechars(value, length):
    """Django's `truncatechars`: a value that fits is returned as Django returns it (in NFC)
    without Django's character-by-character count."""
    text = unicodedata.normalize("NFC", str(value))
    try:
        fits = int(length) > 0 and len(text) <= int(length)
    except (TypeError, ValueError):
        fits = False
    if fits:
        return mark_safe(text) if isinstance(value, SafeData) else text
    return defaultfilters.truncatechars(value, length)


@functools.cache
def _choice_labels(field) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


def display(instance, name: str):
    """What `instance.get_<name>_display()` gives, from a table built once per field: Django
    builds it anew on every call, which was a sixth of rendering a target page's content."""
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)
    return _choice_labels(field).get(value, value)


_TYPE_NAMES: dict[tuple[str, str], str] = {}


def type_name(content_type) -> str:
    """A content type's name (its model's verbose name), worked out once per model: Django
    looks the model up and translates its name on every call."""
    key = (content_type.app_label, content_type.model)
    if key not in _TYPE_NAMES:
        _TYPE_NAMES[key] = content_type.name
    return _TYPE_NAMES[key]


def default(value, fallback):
    """Django's `default`: the fallback for any false value (Jinja2's own only for undefined)."""
    return value or fallback


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update(
        url=url,
        light_badge=light_badge,
        csrf_input=csrf_input,
        widthratio=widthratio,
        type_name=type_name,
    )
    env.filters.update(
        date=date,
        default=default,
        display=display,
        linebreaksbr=linebreaksbr,
        truncatechars=truncatechars,
        light_label=light_label,
    )
    return env


def render(template_name: str, context: dict) -> SafeString:
    """Render a template of `duban/jinja2/` (straight to that engine: Django's would look first)."""
    return mark_safe(engines["jinja2"].get_template(template_name).render(context))
