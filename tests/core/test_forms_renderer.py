"""Every field type comes out as GOV.UK markup, with errors linked from the summary."""

import datetime

from django import forms

from jigsaw.core.forms_renderer import Form


class EveryField(Form):
    text = forms.CharField(help_text="Some help")
    email = forms.EmailField()
    number = forms.IntegerField()
    password = forms.CharField(widget=forms.PasswordInput)
    url = forms.URLField(required=False, assume_scheme="https")
    notes = forms.CharField(widget=forms.Textarea)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    radios = forms.ChoiceField(choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")])
    agree = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    when = forms.DateField()
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def test_every_field_type_is_drawn_with_govuk_classes():
    html = str(EveryField())
    for css in [
        'class="govuk-input"',
        "govuk-textarea",
        "govuk-select",
        "govuk-radios__input",
        "govuk-checkboxes__input",
        "govuk-file-upload",
        "govuk-date-input__input",
        "govuk-password-input",
        'class="govuk-hint"',
        "govuk-fieldset__legend",
    ]:
        assert css in html, css
    assert 'name="when_day"' in html and 'name="when_year"' in html
    assert 'type="hidden" name="secret"' in html
    assert "(optional)" in html  # optional fields say so, required ones do not


def test_errors_show_a_summary_linking_to_each_field():
    form = EveryField(data={"email": "not-an-email", "when_day": "31", "when_month": "2", "when_year": "2025"})
    html = str(form)
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert 'href="#id_email"' in html and 'href="#id_when_day"' in html and 'href="#id_radios_0"' in html
    assert "govuk-form-group--error" in html and "govuk-input--error" in html
    assert "Enter a real date" in html


def test_the_date_input_reads_day_month_year():
    form = EveryField(data={"when_day": "7", "when_month": "3", "when_year": "2025"})
    form.is_valid()
    assert form.cleaned_data["when"] == datetime.date(2025, 3, 7)


def test_fields_drawn_in_python_are_the_field_templates_markup_exactly():
    """The renderer draws labelled controls in Python (speed); govuk/field.html stays the markup's
    definition, with and without help text, errors and '(optional)'."""
    from django.forms.renderers import TemplatesSetting

    from jigsaw.core.forms_renderer import LABELLED_CONTROLS, GovukFormRenderer, component_for

    renderer = GovukFormRenderer()
    drawn = 0
    for form in (EveryField(), EveryField({"text": "<b>", "email": "not an address", "number": "x", "choice": "z"})):
        form.is_valid()
        for field in form:
            if component_for(field) not in LABELLED_CONTROLS:
                continue
            template = TemplatesSetting.render(renderer, renderer.field_template_name, {"field": field})
            assert renderer.render(renderer.field_template_name, {"field": field}) == template, field.name
            drawn += 1
    assert drawn == 14  # text, email, number, url, notes, choice and upload, unbound and with errors
