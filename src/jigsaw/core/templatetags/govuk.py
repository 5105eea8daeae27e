"""Template helpers for GOV.UK markup; loaded as a builtin so every template has them."""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html

from .. import reversing
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


class RememberedURLNode(defaulttags.URLNode):
    """Django's {% url %}, the address remembered (jigsaw.core.reversing): a list draws one a row."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reversing.reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Every template's {% url %} (this library is a builtin, loaded after Django's own)."""
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
