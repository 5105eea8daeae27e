from __future__ import annotations

from django import forms

from jigsaw.core.forms import PartnershipForm, PartnershipModelForm
from jigsaw.core.forms_renderer import Form, ModelForm
from jigsaw.core.models import Agency
from jigsaw.core.periods import FinancialYear

from .models import (
    AgendaItem,
    AttendanceStatus,
    BusinessPlan,
    Contribution,
    Decision,
    GoldenThread,
    Group,
    IncomeLine,
    Meeting,
    Membership,
    Paper,
    Priority,
    SharingAgreement,
    Signatory,
)


class GroupForm(PartnershipModelForm):
    class Meta:
        model = Group
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "remit",
            "terms_of_reference",
            "terms_of_reference_review_on",
            "joint_with",
            "chair_term_months",
        ]


class MembershipForm(PartnershipModelForm):
    class Meta:
        model = Membership
        fields = ["person", "role", "agency", "starts_on", "ends_on"]
        widgets = {"role": forms.RadioSelect}


class MeetingForm(PartnershipModelForm):
    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.offer("group", groups)
        self.fields["group"].error_messages["required"] = "Choose the group that met."
        self.fields["held_on"].error_messages["required"] = "Enter the date of the meeting."

    class Meta:
        model = Meeting
        fields = ["group", "held_on", "location"]


class MinutesForm(ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "location", "minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 12})}


class AgendaItemForm(ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter"]


class DecisionForm(ModelForm):
    class Meta:
        model = Decision
        fields = ["description"]


class PaperForm(ModelForm):
    class Meta:
        model = Paper
        fields = ["title", "file"]


class ActionForm(PartnershipForm):
    description = forms.CharField(label="What must change", widget=forms.Textarea(attrs={"rows": 3}))
    owner_agency = forms.ModelChoiceField(
        label="Owner agency",
        queryset=Agency.objects.all(),
        required=False,
        help_text="Leave blank for a partnership-wide action.",
    )
    due_on = forms.DateField(label="Due", required=False)


class AttendanceForm(Form):
    """The register: one status per expected attendee (and a deputy's name when one came)."""

    def __init__(self, *args, seats, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        for seat in seats:
            current = existing.get(seat.person_id)
            agency = seat.represented_agency
            label = f"{seat.person}" + (f", {agency}" if agency else "") + f" ({seat.get_role_display().lower()})"
            self.fields[f"status_{seat.person_id}"] = forms.ChoiceField(
                label=label,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.status if current else None,
            )
            self.fields[f"deputy_{seat.person_id}"] = forms.CharField(
                label=f"Deputy for {seat.person}",
                required=False,
                help_text="Only when a deputy came.",
                initial=current.deputy_name if current else "",
            )

    def rows(self) -> list[dict]:
        rows = []
        for seat in self.seats:
            status = self.cleaned_data.get(f"status_{seat.person_id}")
            if status:
                rows.append(
                    {
                        "person": seat.person,
                        "status": status,
                        "agency": seat.agency or seat.person.agency,
                        "deputy_name": self.cleaned_data.get(f"deputy_{seat.person_id}", ""),
                    }
                )
        return rows


class YearForm(Form):
    year = forms.CharField(
        label="Financial year",
        help_text="For example 2024-25.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean_year(self):
        try:
            return FinancialYear.of(self.partnership, self.cleaned_data["year"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class PlanForm(ModelForm):
    class Meta:
        model = BusinessPlan
        fields = ["title", "starts_on", "ends_on"]


class PriorityForm(ModelForm):
    class Meta:
        model = Priority
        fields = ["number", "title", "why", "outcomes"]


class GoldenThreadForm(ModelForm):
    class Meta:
        model = GoldenThread
        fields = ["title", "description"]


class ContributionForm(PartnershipModelForm):
    class Meta:
        model = Contribution
        fields = ["agency", "financial_year", "amount", "note"]


class IncomeLineForm(ModelForm):
    class Meta:
        model = IncomeLine
        fields = ["financial_year", "description", "amount", "is_forecast"]


class AgreementForm(ModelForm):
    class Meta:
        model = SharingAgreement
        fields = ["title", "tier", "topic", "status", "review_due_on"]
        widgets = {"tier": forms.RadioSelect, "status": forms.RadioSelect}


class SignatoryForm(PartnershipModelForm):
    class Meta:
        model = Signatory
        fields = ["agency", "signed_on", "signatory_name"]


class RegionSharingForm(Form):
    """A partnership's opt-in to a region: which of its aggregate figures it shares there."""

    region = forms.ModelChoiceField(queryset=None, help_text="The region whose partnerships you compare with.")
    shared = forms.MultipleChoiceField(
        label="Figures to share",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only these aggregate figures leave the partnership; the region's other partnerships see each one "
        "and when it was last computed. Nothing about a child, a person or a record is shared.",
    )
    workforce = forms.IntegerField(
        label="Children's workforce",
        required=False,
        min_value=1,
        help_text="How many people work with children across the partnership, to compare training completions per "
        "1,000 of them. Needed to share training completions.",
    )

    def __init__(self, *args, regions=None, membership=None, **kwargs):
        from .models import RegionalFigureFamily

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["shared"].choices = RegionalFigureFamily.choices
        if membership is not None:
            self.fields["region"].disabled = True
            self.initial.update(region=membership.region, shared=membership.shared, workforce=membership.workforce)

    def clean(self):
        data = super().clean()
        if "training" in (data.get("shared") or []) and not data.get("workforce"):
            self.add_error(
                "workforce", "Give the size of the children's workforce to share training completions per 1,000 of it."
            )
        return data


class JointRunningForm(Form):
    """Which neighbouring partnerships run a group with its own: none ticked ends the joint running."""

    partners = forms.ModelMultipleChoiceField(
        label="Partnerships running this group with you",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, group, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partners"]
        field.queryset = candidates
        field.help_text = (
            f"Their partners will read {group.name}, its seats, meetings, attendance, papers and actions, and their "
            "business unit can seat its own people on it. Offered: the partnerships sharing an organisation or a "
            f"region with {group.partnership}. To stop running it jointly, untick them all: their seats on it end."
        )
        message = f"Choose from the partnerships sharing an organisation or a region with {group.partnership}."
        field.error_messages.update({"invalid_choice": message, "invalid_pk_value": message})
        self.initial.setdefault("partners", list(group.partners.all()))
