from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from jigsaw.core import related
from jigsaw.core.boundary import not_ours
from jigsaw.core.forms import PartnershipForm, PartnershipModelForm
from jigsaw.core.forms_renderer import Form, ModelForm
from jigsaw.core.models import Agency

from .models import STAGES, Digest, Document, Escalation, Topic, Version

# The records that can trigger a new version, where their apps are installed: (app_label.model, label).
TRIGGER_MODELS = [
    ("learning.horizonscanitem", "Horizon-scanning item (national learning)"),
    ("learning.casereview", "Case review or rapid review"),
    ("learning.learningcycle", "Learning cycle"),
    ("assurance.audit", "Audit"),
    ("actions.learningaction", "Action in the learning log"),
]


def trigger_choices():
    choices = [("", "Not a record in Jigsaw (describe it below)")]
    for dotted, label in TRIGGER_MODELS:
        app_label, model = dotted.split(".")
        try:
            apps.get_model(app_label, model)
        except LookupError:
            continue
        choices.append((dotted, label))
    return choices


class DocumentForm(PartnershipModelForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "summary", "owning_group", "joint_partner", "owner", "review_interval_months"]
        labels = {"review_interval_months": "Review every (months)"}


class VersionForm(ModelForm):
    class Meta:
        model = Version
        fields = ["body", "effective_on", "what_changed"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20}), "what_changed": forms.Textarea(attrs={"rows": 4})}


class AttachmentForm(Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField(help_text="A PDF or a Word document (.docx), smaller than 10 MB.")


class TriggerForm(PartnershipForm):
    record_type = forms.ChoiceField(label="What triggered the change", required=False)
    record_id = forms.IntegerField(label="Its number in Jigsaw", required=False, min_value=1)
    label = forms.CharField(
        label="Description",
        max_length=300,
        required=False,
        help_text="For example 'Operation Esdras multi-agency audit'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = trigger_choices()

    def clean(self):
        data = super().clean()
        if data.get("record_type") and not data.get("record_id"):
            self.add_error("record_id", "Give the record's number.")
        if not data.get("record_type") and not (data.get("label") or "").strip():
            self.add_error("label", "Describe what triggered the change.")
        if data.get("record_type") and data.get("record_id"):
            # Found among the records the viewer may see: a missing one and another
            # partnership's get the same answer.
            model = ContentType.objects.get_by_natural_key(*data["record_type"].split(".")).model_class()
            data["source"] = related.choices(model.objects.all(), self.access).filter(pk=data["record_id"]).first()
            if data["source"] is None:
                self.add_error("record_id", not_ours(model))
        return data


class ConsultationForm(PartnershipForm):
    agencies = forms.ModelMultipleChoiceField(queryset=Agency.objects.all(), help_text="The agencies asked to comment.")
    closes_on = forms.DateField(label="Closing date")


class CommentForm(Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    comment = forms.CharField(widget=forms.Textarea)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class AnswerForm(Form):
    answer = forms.CharField(widget=forms.Textarea)


class SearchForm(Form):
    q = forms.CharField(label="Search procedures and guidance", max_length=200, required=False)


class SubscribeForm(Form):
    email = forms.CharField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    topics = forms.MultipleChoiceField(
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one topic."},
    )


class DigestForm(ModelForm):
    topics = forms.MultipleChoiceField(
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one topic."},
    )

    class Meta:
        model = Digest
        fields = ["subject", "period_start", "period_end", "topics", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}


class PeriodForm(Form):
    period_start = forms.DateField(label="From")
    period_end = forms.DateField(label="To")


class EscalationForm(PartnershipModelForm):
    class Meta:
        model = Escalation
        fields = [
            "raising_agency",
            "practitioner_role",
            "receiving_agency",
            "child_reference",
            "theme",
            "concern",
            "stage1_on",
        ]


class StageForm(Form):
    stage = forms.TypedChoiceField(choices=STAGES, coerce=int, widget=forms.RadioSelect, label="Stage reached")
    reached_on = forms.DateField(label="Date it was reached")


class ResolveForm(Form):
    resolved_on = forms.DateField(label="Date resolved")
    outcome = forms.CharField(widget=forms.Textarea)


class LearningForm(Form):
    description = forms.CharField(label="What must change", widget=forms.Textarea)
    due_on = forms.DateField(label="Due by", required=False)


class SitePageForm(Form):
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="Markdown: '## Heading' for a section, '- ' for a list, [text](address) for a link.",
    )
