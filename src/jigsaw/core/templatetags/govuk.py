"""Template helpers for GOV.UK markup; loaded as a builtin so every template has them."""

from django import template
from django.utils.html import format_html

from ..forms_renderer import component_for, control_attrs, is_stock_select, select_html

register = template.Library()


@register.filter
def govuk_component(bound_field) -> str:
    return component_for(bound_field)


@register.simple_tag
def govuk_control(bound_field):
    if is_stock_select(bound_field):
        return select_html(bound_field, control_attrs(bound_field))
    return bound_field.as_widget(attrs=control_attrs(bound_field))


@register.simple_tag
def govuk_tag(text: str, colour: str = "") -> str:
    css = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.filter
def first_error_anchor(bound_field) -> str:
    """Where the error summary should send the reader: the first box of a date, the control otherwise."""
    kind = component_for(bound_field)
    if kind == "date":
        return f"{bound_field.auto_id}_day"
    if kind in {"radios", "checkboxes"}:
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id
