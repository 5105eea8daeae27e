"""A Django form renderer that draws every field as GOV.UK Frontend markup.

Templates write `{{ form }}` and nothing else: the renderer picks the GOV.UK component for
each widget (input, textarea, select, radios, checkboxes, file upload, date input) and puts an
error summary above the fields whenever the form has errors.
"""

from __future__ import annotations

import datetime

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe

# Which GOV.UK component draws which Django widget, and the class its control carries.
COMPONENTS: dict[str, tuple[str, str]] = {
    # Keys are BoundField.widget_type: the widget's class name without 'Input' or 'Widget'.
    "text": ("input", "govuk-input"),
    "email": ("input", "govuk-input"),
    "url": ("input", "govuk-input"),
    "number": ("input", "govuk-input govuk-input--width-10"),
    "password": ("password", "govuk-input govuk-password-input__input govuk-js-password-input-input"),
    "datetime": ("input", "govuk-input govuk-input--width-20"),
    "time": ("input", "govuk-input govuk-input--width-5"),
    "textarea": ("textarea", "govuk-textarea"),
    "select": ("select", "govuk-select"),
    "nullbooleanselect": ("select", "govuk-select"),
    "checkboxselectmultiple": ("checkboxes", ""),
    "radioselect": ("radios", ""),
    "checkbox": ("checkbox", ""),
    "clearablefile": ("file", "govuk-file-upload"),
    "file": ("file", "govuk-file-upload"),
    "govukdate": ("date", ""),
    "hidden": ("hidden", ""),
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"

    def render(self, template_name, context, request=None):
        field = context.get("field") if template_name == self.field_template_name else None
        if field is not None and component_for(field) in LABELLED_CONTROLS:
            return field_group_html(field)
        return super().render(template_name, context, request=request)


# The components govuk/field.html draws as a label, hint, errors and one control: drawn in Python
# (field_group_html) with the template's markup, as a filter form's fields cost a list page more
# through the template than its rows. The others (fieldsets, the checkbox, the password toggle)
# keep the template.
LABELLED_CONTROLS = {"input", "select", "textarea", "file"}


def field_group_html(field) -> str:
    """govuk/field.html's markup for a field of LABELLED_CONTROLS, character for character (as
    the renderer gives it: stripped)."""
    from .templatetags.govuk import govuk_control

    auto_id = escape(field.auto_id)
    errors = field.errors
    optional = "" if field.field.required else " (optional)"
    hint = f'<div id="{auto_id}-hint" class="govuk-hint">{escape(field.help_text)}</div>' if field.help_text else ""
    error = ""
    if errors:
        messages = "<br>".join(f'<span class="govuk-visually-hidden">Error:</span> {escape(e)}' for e in errors)
        error = f'<p id="{auto_id}-error" class="govuk-error-message">{messages}</p>'
    return mark_safe(
        f'<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">\n\n'
        f'  <label class="govuk-label govuk-label--s" for="{auto_id}">{escape(field.label)}{optional}</label>\n'
        f"  {hint}\n{error}\n\n  {govuk_control(field)}\n\n</div>"
    )


def component_for(bound_field) -> str:
    return COMPONENTS.get(bound_field.widget_type, ("input", "govuk-input"))[0]


def control_attrs(bound_field) -> dict[str, str]:
    """The attributes GOV.UK expects on a field's control: its class, error state and hint link."""
    css = COMPONENTS.get(bound_field.widget_type, ("input", "govuk-input"))[1]
    attrs: dict[str, str] = {}
    if css:
        if bound_field.errors:
            css = " ".join([css, *(ERROR_CLASSES[c] for c in css.split() if c in ERROR_CLASSES)])
        # A form may add its own modifier, such as a narrower width for a 6-digit code.
        own = bound_field.field.widget.attrs.get("class")
        attrs["class"] = f"{css} {own}" if own else css
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.widget_type == "email":
        attrs.setdefault("spellcheck", "false")
    return attrs


def _attrs_html(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html writes them: False leaves one out, True is bare.
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(bound_field, attrs: dict) -> str:
    """A select drawn in Python with the markup Django's select templates give it. The template
    way includes a template per option: a filter form's owner-agency list cost a page tens of
    milliseconds. Only for the stock select widgets, whose templates this copies."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    # Each option's template ends in a newline, which the page keeps.
    parts = [f'<select name="{escape(context["name"])}"{_attrs_html(context["attrs"])}>']
    for group_name, options, _ in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(str(group_name))}">')
        for option in options:
            value = "%s" % (option["value"],)  # noqa: UP031 - the template's stringformat:'s'
            parts.append(
                f'\n  <option value="{escape(value)}"{_attrs_html(option["attrs"])}>{escape(str(option["label"]))}</option>\n'
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def is_stock_select(bound_field) -> bool:
    widget = bound_field.field.widget
    return (
        type(widget) in (forms.Select, forms.NullBooleanSelect)
        and widget.template_name == forms.Select.template_name
        and widget.option_template_name == forms.Select.option_template_name
    )


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes."""

    template_name = "govuk/date_widget.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{4 if part == 'year' else 2}",
                }
            )
            for part in self.parts
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Ids by part (id_when_day), so the error summary can link to the day box.
        base_id = (attrs or {}).get("id") or f"id_{name}"
        for part, sub in zip(self.parts, context["widget"]["subwidgets"]):
            sub["attrs"]["id"] = f"{base_id}_{part}"
            if sub["attrs"].get("aria-invalid"):
                sub["attrs"]["class"] += " govuk-input--error"
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (data.get(f"{name}_{part}", "").strip() for part in self.parts)
        if not (day or month or year):
            return None
        # An incomplete or impossible date goes to DateField as text so it names the problem.
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}" if day and month and year else f"{year}-{month}-{day}"


class GovukFormMixin:
    """Gives every form the GOV.UK date input in place of Django's single text box."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.SelectMultiple:
                field.widget = forms.CheckboxSelectMultiple(choices=field.widget.choices)
            if isinstance(field, forms.DateField) and not isinstance(
                field.widget, (GovukDateWidget, forms.HiddenInput)
            ):
                field.widget = GovukDateWidget()
                field.error_messages["invalid"] = "Enter a real date, for example 27 3 2025"


class Form(GovukFormMixin, forms.Form):
    pass


class ModelForm(GovukFormMixin, forms.ModelForm):
    pass
