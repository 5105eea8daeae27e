from django import template
from django.utils.html import format_html

from ..queries import _shown

register = template.Library()


@register.filter
def in_unit(value, indicator):
    """A figure in the indicator's unit: 1.19%, 23, 4.5 days; a dash when there is none."""
    return "–" if value is None else _shown(indicator, value)


@register.simple_tag
def rag_tag(rag):
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', rag.tag_colour, rag.label)


@register.simple_tag
def direction_tag(direction):
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', direction.tag_colour, direction.label)
