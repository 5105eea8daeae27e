from __future__ import annotations

from django import forms

from jigsaw.core.forms import PartnershipModelForm
from jigsaw.core.forms_renderer import Form, ModelForm

from .models import Course, Event, ImpactAnswer, OrganisationAlias, TrainingObservation, TrainingPolicy


class CourseForm(PartnershipModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "mode",
            "description",
            "provider",
            "duration_minutes",
            "runs_from",
            "runs_until",
            "themes",
            "priorities",
        ]
        labels = {"duration_minutes": "Duration in minutes"}


class EventForm(PartnershipModelForm):
    online_link = forms.URLField(
        required=False, assume_scheme="https", help_text="For sessions on MS Teams or Zoom; sent to people booked."
    )

    class Meta:
        model = Event
        fields = [
            "course",
            "programme",
            "starts_at",
            "ends_at",
            "capacity",
            "venue",
            "online_link",
            "trainer",
            "is_published",
        ]
        help_texts = {"starts_at": "For example 2025-03-27 09:30", "ends_at": "For example 2025-03-27 12:30"}


class AliasForm(PartnershipModelForm):
    class Meta:
        model = OrganisationAlias
        fields = ["name", "category", "agency"]
        labels = {"name": "Organisation name as learners type it"}


class PolicyForm(ModelForm):
    class Meta:
        model = TrainingPolicy
        fields = ["non_attendance_charge", "late_cancellation_days", "registration_fee"]


class ObservationForm(PartnershipModelForm):
    class Meta:
        model = TrainingObservation
        fields = [
            "course",
            "event",
            "observer",
            "observed_on",
            "single_agency",
            "content",
            "delivery",
            "multi_agency_messages",
            "duplicates_other_training",
            "notes",
        ]
        widgets = {
            "content": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "multi_agency_messages": forms.RadioSelect,
        }


class ImportForm(Form):
    file = forms.FileField(
        label="Export file",
        help_text="A CSV or Excel (.xlsx) file of up to 50 MB with the columns learner, email, organisation, course and completion date.",
    )


class BookingForm(Form):
    name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address", help_text="We send your confirmation and the joining details here.")
    organisation = forms.CharField(label="Organisation you work or volunteer for", max_length=300)
    line_manager_name = forms.CharField(label="Your line manager's name (optional)", max_length=200, required=False)
    line_manager_email = forms.EmailField(
        label="Your line manager's email address (optional)",
        required=False,
        help_text="Three months after the training we ask your manager, once, whether it changed your practice, with an example.",
    )
    accept_terms = forms.BooleanField(
        label="I have read the cancellation terms and charges above",
        error_messages={"required": "Confirm that you have read the cancellation terms and charges"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("line_manager_name", "").strip() and not cleaned.get("line_manager_email"):
            if "line_manager_email" not in self.errors:
                self.add_error(
                    "line_manager_email", "Enter your line manager's email address, or leave their name blank"
                )
        return cleaned


class BookingLinksForm(Form):
    email = forms.EmailField(label="Email address", help_text="The address you booked with.")


class CancelForm(Form):
    confirm = forms.ChoiceField(
        label="Do you want to cancel your place?",
        choices=[("yes", "Yes, cancel my place")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select 'Yes, cancel my place' to cancel"},
    )


def _scale(top: int):
    return [(str(i), str(i)) for i in range(1, top + 1)]


class EvaluationForm(Form):
    """The post-course evaluation, as the report asks it."""

    content_rating = forms.TypedChoiceField(
        label="How would you rate the course content? (1 poor, 5 excellent)",
        choices=_scale(5),
        coerce=int,
        widget=forms.RadioSelect,
    )
    knowledge_before = forms.TypedChoiceField(
        label="Your knowledge of this subject before the training (1 limited, 10 in depth)",
        choices=[("", "Choose")] + _scale(10),
        coerce=int,
    )
    knowledge_after = forms.TypedChoiceField(
        label="Your knowledge of this subject after the training (1 limited, 10 in depth)",
        choices=[("", "Choose")] + _scale(10),
        coerce=int,
    )
    impact = forms.ChoiceField(
        label="Do you think this training will have impact on your practice with children, young people, and families?",
        choices=ImpactAnswer.choices,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(label="Any other comments", required=False, widget=forms.Textarea)


class FollowUpForm(Form):
    answer = forms.CharField(
        label="Tell us how the training you attended had an impact on your practice when working with children, young people and families",
        widget=forms.Textarea,
    )
