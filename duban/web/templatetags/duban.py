from django import template
from django.utils.html import format_html

from duban.targets.lights import Light

register = template.Library()

_LIGHT_LABELS = {Light.GREEN: "绿", Light.YELLOW: "黄", Light.RED: "红", Light.DONE: "结"}


@register.simple_tag
def light_badge(light):
    label = Light(light).label if light in Light.values else ""
    return format_html(
        '<span class="light light-{}" title="{}">{}</span>',
        light,
        label,
        _LIGHT_LABELS.get(light, "?"),
    )


@register.filter
def light_label(light):
    return Light(light).label if light in Light.values else ""
