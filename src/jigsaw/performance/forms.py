from __future__ import annotations

from django import forms

from jigsaw.core.forms import PartnershipForm, PartnershipModelForm
from jigsaw.core.forms_renderer import Form
from jigsaw.core.models import Agency
from jigsaw.core.scoping import Role

from .models import DataQuality, Indicator, ThinkTankSession, ThinkTankTheme
from .periods import QUARTERLY, Period, quarters_back


class IndicatorForm(PartnershipModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "definition",
            "theme",
            "priority",
            "unit",
            "numerator_definition",
            "denominator_definition",
            "polarity",
            "target",
            "tolerance",
            "frequency",
            "source_agency",
            "is_active",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget = forms.RadioSelect(
            choices=self.fields["unit"].choices[1:]
            if self.fields["unit"].choices[0][0] == ""
            else self.fields["unit"].choices
        )
        self.fields["polarity"].widget = forms.RadioSelect(choices=[c for c in self.fields["polarity"].choices if c[0]])


class IndicatorFilterForm(Form):
    theme = forms.ChoiceField(choices=[("", "All themes"), *ThinkTankTheme.choices], required=False)

    def apply(self, queryset):
        if self.cleaned_data.get("theme"):
            queryset = queryset.filter(theme=self.cleaned_data["theme"])
        return queryset


class ValueForm(PartnershipForm):
    """One return. The percentage or rate is never typed: it is worked out on saving."""

    indicator = forms.ModelChoiceField(queryset=Indicator.objects.select_related("partnership"))
    agency = forms.ModelChoiceField(queryset=Agency.objects.all())
    period = forms.CharField(
        label="Period",
        help_text="As the indicator is returned: Q1 2024/25 for a quarter, April 2024 for a month, 2024/25 for a year.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    value = forms.DecimalField(
        required=False, help_text="For a count or a number of days. Leave blank for a percentage or rate."
    )
    numerator = forms.DecimalField(
        required=False, help_text="For a percentage or rate: the count on top, as the indicator defines it."
    )
    denominator = forms.DecimalField(required=False, help_text="For a percentage or rate: what it is out of.")
    commentary = forms.CharField(
        label="Commentary ('so what')",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the figure means for children, and what you are doing about it.",
    )
    data_quality = forms.ChoiceField(
        choices=DataQuality.choices, initial=DataQuality.CONFIRMED, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.access.has_role(Role.BUSINESS_UNIT):
            self.offer("agency", Agency.objects.filter(pk__in=self.access.agency_ids))
            if len(self.access.agency_ids) == 1:  # an agency lead returns for the one agency they lead for
                self.fields["agency"].empty_label = None

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator")
        if indicator is not None and data.get("period"):
            try:
                data["period_start"] = Period.parse(
                    data["period"], indicator.frequency, self.partnership.financial_year_start_month
                ).start
            except ValueError as error:
                self.add_error("period", str(error))
        return data


class UploadForm(Form):
    file = forms.FileField(
        label="Returns file",
        help_text="A .csv or .xlsx file, first row naming the columns: indicator, period, agency, value, numerator, denominator, commentary, data quality.",
    )


class QuarterForm(Form):
    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        periods = quarters_back(timezone.localdate(), 12, partnership.financial_year_start_month)
        self.fields["quarter"].choices = [(p.key, p.label) for p in periods]


class SessionForm(PartnershipModelForm):
    quarter = forms.ChoiceField(label="Quarter reviewed")
    themes_discussed = forms.MultipleChoiceField(
        choices=ThinkTankTheme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ThinkTankSession
        fields = ["held_on", "themes_discussed", "questions", "challenge", "attendance"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ("questions", "challenge", "attendance")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        periods = quarters_back(timezone.localdate(), 12, self.partnership.financial_year_start_month)
        if self.instance.pk and self.instance.quarter not in periods:
            periods.append(self.instance.quarter)
        self.fields["quarter"].choices = [(p.key, p.label) for p in periods]
        if self.instance.pk:
            self.initial["quarter"] = self.instance.quarter.key
        self.order_fields(["held_on", "quarter", "themes_discussed", "questions", "challenge", "attendance"])

    def clean(self):
        data = super().clean()
        if data.get("quarter"):
            data["quarter_start"] = Period.parse(
                data["quarter"], QUARTERLY, self.partnership.financial_year_start_month
            ).start
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "quarter_start": data["quarter_start"],
            "themes_discussed": data["themes_discussed"],
            "questions": data["questions"],
            "challenge": data["challenge"],
            "attendance": data["attendance"],
        }


class SessionActionForm(PartnershipForm):
    description = forms.CharField(label="What must change", widget=forms.Textarea(attrs={"rows": 3}))
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label="Owner agency",
        help_text="Leave blank for a partnership-wide action.",
    )
    due_on = forms.DateField(label="Due date", required=False)
