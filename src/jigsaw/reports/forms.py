from __future__ import annotations

from django import forms
from django.utils import timezone

from jigsaw.core.figures import registry
from jigsaw.core.forms import PartnershipForm
from jigsaw.core.forms_renderer import Form, ModelForm
from jigsaw.core.models import Person
from jigsaw.core.periods import FinancialYear

from .checklist import CHECKLIST_CHOICES
from .models import LEAD_PARTNER_LABELS, LEAD_PARTNERS, Section


class ReportCreateForm(PartnershipForm):
    year = forms.ChoiceField(label="Financial year the report covers")
    title = forms.CharField(
        label="Title", required=False, max_length=200, help_text="Leave blank for 'Annual Report 2024/25'."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The year just finished is the one a partnership reports on; the current year and a few
        # before it are offered for a late or a practice report.
        current = FinancialYear.containing(timezone.localdate(), self.partnership.financial_year_start_month)
        years = [current]
        while len(years) < 6:
            years.append(years[-1].previous())
        self.fields["year"].choices = [(year.label, year.title) for year in years]
        self.fields["year"].initial = current.previous().label


class SectionForm(ModelForm):
    covers = forms.MultipleChoiceField(
        label="Working Together 2023 checklist items this section covers",
        choices=CHECKLIST_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    insert_block = forms.ChoiceField(
        label="Insert a data block",
        required=False,
        help_text="Adds the block's line at the end of the narrative; move the line to where the block belongs.",
    )

    class Meta:
        model = Section
        fields = ["heading", "order", "body", "covers"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        by_title = sorted(registry().items(), key=lambda item: item[1].title.lower())
        self.fields["insert_block"].choices = [("", "Choose a data block")] + [
            (name, spec.title) for name, spec in by_title
        ]


class CommentForm(Form):
    body = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 5}))


class SignOffForm(PartnershipForm):
    lead_partner = forms.ChoiceField(
        label="Which lead safeguarding partner signed the report off?",
        choices=[(role, LEAD_PARTNER_LABELS[role]) for role in LEAD_PARTNERS],
        widget=forms.RadioSelect,
    )
    person = forms.ModelChoiceField(
        label="Who signed",
        queryset=Person.objects.select_related("agency"),
        help_text="The lead safeguarding partner (or their delegate) who signed.",
    )
    signed_on = forms.DateField(label="Date signed", help_text="For example 27 3 2025")
