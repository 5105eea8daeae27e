from __future__ import annotations

from django import forms

from jigsaw.core.forms import PartnershipForm, PartnershipFormBase
from jigsaw.core.forms_renderer import ModelForm
from jigsaw.core.models import Agency

from .models import Briefing, CaseReview, HorizonScanItem, LearningCycle, Methodology, Voice


class ServiceForm(ModelForm):
    """A model form whose record is validated by the service, not by the form: the model's
    rules span fields other forms own, and the service names whichever field is wrong."""

    def _post_clean(self):
        pass


YES_NO = [(True, "Yes"), (False, "No")]


def _coerce_bool(value):
    return {"True": True, "False": False, True: True, False: False}.get(value)


class ReferralForm(PartnershipFormBase, ServiceForm):
    class Meta:
        model = CaseReview
        fields = [
            "reference",
            "pseudonym",
            "age_at_incident",
            "care_leaver",
            "incident",
            "aware_on",
            "referring_agency",
            "agencies_involved",
            "relevant_characteristics",
            "summary",
            "themes",
        ]
        widgets = {"incident": forms.RadioSelect}

    def __init__(self, *args, show_characteristics: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "pseudonym"
        ].help_text = "Never enter the child's real name: use a made-up name, for example 'Amara'."
        if not show_characteristics:
            del self.fields["relevant_characteristics"]


class DecisionForm(ServiceForm):
    meets_criteria = forms.TypedChoiceField(
        label="Does it meet the criteria for a serious incident notification?",
        choices=YES_NO,
        coerce=_coerce_bool,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether it meets the criteria for a serious incident notification."},
    )

    class Meta:
        model = CaseReview
        fields = ["decided_on", "meets_criteria", "learning_route", "decision_reason"]
        widgets = {"learning_route": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].required = True
        self.fields["decided_on"].error_messages["required"] = "Enter the date of the panel decision."
        self.fields["decision_reason"].required = True
        self.fields["decision_reason"].error_messages["required"] = "Give the reason for the decision."
        self.fields["learning_route"].required = False
        self.fields["learning_route"].choices = [
            ("", "None: a rapid review follows the notification"),
            *self.fields["learning_route"].choices[1:],
        ]


class NotificationForm(ServiceForm):
    class Meta:
        model = CaseReview
        fields = ["notified_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notified_on"].required = True
        self.fields["notified_on"].error_messages["required"] = "Enter the date the national panel was notified."


class RapidReviewForm(ServiceForm):
    practice_review_recommended = forms.TypedChoiceField(
        label="Does the rapid review recommend a local child safeguarding practice review?",
        choices=YES_NO,
        coerce=_coerce_bool,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )

    class Meta:
        model = CaseReview
        fields = [
            "rapid_review_completed_on",
            "rapid_review_sent_on",
            "practice_review_recommended",
            "rapid_review_reasons",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rapid_review_completed_on"].required = True
        self.fields["rapid_review_completed_on"].error_messages["required"] = (
            "Enter the date the rapid review was completed."
        )


class PracticeReviewForm(ServiceForm):
    class Meta:
        model = CaseReview
        fields = ["practice_review_commissioned_on", "practice_review_published_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice_review_commissioned_on"].required = True
        self.fields["practice_review_commissioned_on"].error_messages["required"] = (
            "Enter the date the practice review was commissioned."
        )


class CycleForm(PartnershipFormBase, ServiceForm):
    methodologies = forms.MultipleChoiceField(
        choices=Methodology.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = LearningCycle
        fields = [
            "priority",
            "title",
            "starts_on",
            "ends_on",
            "phase",
            "why",
            "key_line_of_enquiry",
            "methodologies",
            "key_findings",
            "areas_of_development",
            "difference_made",
            "assurance",
            "assured_on",
            "themes",
        ]


class VoiceForm(ServiceForm):
    class Meta:
        model = Voice
        fields = ["speaker", "age", "words", "context"]
        widgets = {"speaker": forms.RadioSelect}


class HorizonScanItemForm(PartnershipFormBase, ServiceForm):
    class Meta:
        model = HorizonScanItem
        fields = ["title", "source", "published_on", "summary", "themes", "response"]


class BriefingForm(PartnershipFormBase, ServiceForm):
    class Meta:
        model = Briefing
        fields = ["title", "audience", "summary", "body", "themes", "reviews", "cycles", "is_published", "published_on"]


class ActionForm(PartnershipForm):
    """An area of development or a review's action, raised into the learning log."""

    description = forms.CharField(label="What must change", widget=forms.Textarea)
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label="Owner agency",
        help_text="Leave blank for a partnership-wide action.",
    )
    due_on = forms.DateField(required=False, label="Due date")
