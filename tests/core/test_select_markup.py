"""A select drawn in Python (the fast way) is the markup Django's own select templates draw."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from jigsaw.core.forms import Form
from jigsaw.core.forms_renderer import control_attrs, is_stock_select, select_html
from jigsaw.core.models import Agency


class Choices(Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", "Alpha & <b>"), ("b", "Beta")], required=False)
    grouped = forms.ChoiceField(
        choices=[("Health", [("icb", "ICB"), ("gp", "GPs")]), ("Police", [("p", 'Police "force"')])],
        help_text="Pick one",
    )
    numbers = forms.TypedChoiceField(choices=[(1, "One"), (2, mark_safe("<em>Two</em>"))], coerce=int)
    answer = forms.NullBooleanField(widget=forms.NullBooleanSelect, required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False, empty_label="Any agency")
    disabled = forms.ChoiceField(choices=[("x", "X")], disabled=True, required=False)


def django_markup(bound_field) -> str:
    return str(bound_field.as_widget(attrs=control_attrs(bound_field)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [None, {"plain": "a", "grouped": "gp", "numbers": "2", "answer": "true"}, {"grouped": "nope", "numbers": "9"}],
)
def test_the_fast_select_is_the_markup_of_djangos_templates(world, data):
    form = Choices(data=data)
    if data:
        form.is_valid()  # errors add aria-invalid and the error classes
    for name in form.fields:
        bound = form[name]
        assert is_stock_select(bound), name
        assert select_html(bound, control_attrs(bound)) == django_markup(bound), name


def test_a_select_with_its_own_template_is_left_to_django():
    class Own(forms.Select):
        option_template_name = "somewhere/else.html"

    class OwnForm(Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=Own)

    assert not is_stock_select(OwnForm()["pick"])


@pytest.mark.django_db
def test_the_learning_log_filter_shows_the_owner_agencies_as_options(world):
    from jigsaw.core.scoping import Role

    page = world.client(Role.BUSINESS_UNIT).get("/durham/actions/?status=open").content.decode()
    assert f'<option value="{world.police.pk}">{world.police.name}</option>' in page
    assert '<option value="open" selected>' in page
