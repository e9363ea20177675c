from django import template
from django.utils.html import format_html

from duban.targets.lights import Light

register = template.Library()

_LIGHT_LABELS = {Light.GREEN: "绿", Light.YELLOW: "黄", Light.RED: "红", Light.DONE: "结"}


def _badge(light):
    label = Light(light).label if light in Light.values else ""
    return format_html(
        '<span class="light light-{}" title="{}">{}</span>',
        light,
        label,
        _LIGHT_LABELS.get(light, "?"),
    )


# Each light's badge, built once: printed on every row of the lists and pages.
BADGES = {light.value: _badge(light.value) for light in Light}


@register.simple_tag
def light_badge(light):
    return BADGES.get(light) or _badge(light)


@register.filter
def light_label(light):
    return Light(light).label if light in Light.values else ""


@register.simple_tag(takes_context=True)
def frame_header(context):
    """The header every page's frame shows (the menu, who is signed in), rendered by Jinja2
    (duban/jinja2/_frame_header.html): in Django's templates its conditions were half the CPU
    of a cached page."""
    from duban.web import jinja  # it imports this module's tags

    unread = context.get("unread_notifications")
    person = context.get("current_person")
    return jinja.render(
        "_frame_header.html",
        {
            "user": context.get("user"),
            "nav": context.get("nav"),
            "product_name": context.get("product_name"),
            "is_office_staff": context.get("is_office_staff"),
            "current_person": person,
            "role": getattr(person, "role", None),
            "unread_notifications": unread() if callable(unread) else unread,
            "csrf_token": context.get("csrf_token"),
        },
    )
