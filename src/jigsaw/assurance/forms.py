from __future__ import annotations

from django import forms

from jigsaw.core.forms import PartnershipForm, PartnershipModelForm
from jigsaw.core.forms_renderer import Form, ModelForm
from jigsaw.core.models import Agency, Person

from .models import AssurancePresentation, Audit, JtaiEvaluation, JtaiTheme, ScrutinyActivity, AssuranceWeek, CctvReview, FollowUpSession, Framework, ObservedMeeting, Question, Rating, RestraintIncident, Round, SiteVisit

EVIDENCE_FILE_MAX_BYTES = 5 * 1024 * 1024


class FrameworkForm(ModelForm):
    class Meta:
        model = Framework
        fields = ["name", "introduction"]


class SectionForm(Form):
    title = forms.CharField(max_length=200)


class QuestionForm(ModelForm):
    class Meta:
        model = Question
        fields = ["text", "guidance", "evidence_expected"]


class RoundForm(PartnershipModelForm):
    class Meta:
        model = Round
        fields = ["title", "framework", "period_start", "period_end", "deadline"]


class InviteForm(PartnershipForm):
    participant = forms.ModelChoiceField(queryset=Person.objects.all(), help_text="Add them under People first if they are not listed.")
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False, help_text="Leave blank to use the participant's own agency.")
    service = forms.CharField(max_length=200, help_text="The service within the agency, for example 'Early Help South'.")
    locality = forms.CharField(max_length=100, required=False)


class SessionForm(ModelForm):
    class Meta:
        model = FollowUpSession
        fields = ["kind", "held_on", "outcome"]
        widgets = {"kind": forms.RadioSelect}


class ActionForm(PartnershipForm):
    description = forms.CharField(label="What must change", widget=forms.Textarea)
    owner_agency = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False, help_text="Leave blank for a partnership-wide action.")
    due_on = forms.DateField(label="Due", required=False)


class ReturnForm(Form):
    """One rating, evidence and optional file per question of the return's framework version."""

    def __init__(self, *args, assessment_return, questions, **kwargs):
        super().__init__(*args, **kwargs)
        answers = {a.question_id: a for a in assessment_return.answers.all()}
        self.questions = questions
        self.rows = []
        for question in questions:
            answer = answers.get(question.pk)
            rating = forms.ChoiceField(
                label=f"{question.section.number}.{question.number} {question.text}", choices=Rating.choices, required=False,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}), help_text=question.guidance,
                initial=answer.rating if answer else None,
            )
            evidence = forms.CharField(label=f"Evidence for {question.section.number}.{question.number}", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=question.evidence_expected, initial=answer.evidence if answer else "")
            upload = forms.FileField(label=f"Evidence file for {question.section.number}.{question.number} (optional)", required=False)
            self.fields[f"rating_{question.pk}"] = rating
            self.fields[f"evidence_{question.pk}"] = evidence
            self.fields[f"file_{question.pk}"] = upload
            self.rows.append((question, answer))

    def clean(self):
        data = super().clean()
        for question in self.questions:
            upload = data.get(f"file_{question.pk}")
            if upload and upload.size > EVIDENCE_FILE_MAX_BYTES:
                self.add_error(f"file_{question.pk}", "The file must be smaller than 5 MB.")
        return data

    def answers(self) -> dict:
        return {
            question.pk: {
                "rating": self.cleaned_data.get(f"rating_{question.pk}") or "",
                "evidence": self.cleaned_data.get(f"evidence_{question.pk}") or "",
                "evidence_file": self.cleaned_data.get(f"file_{question.pk}"),
            }
            for question in self.questions
        }


class IncidentForm(PartnershipModelForm):
    class Meta:
        model = RestraintIncident
        fields = ["setting", "reference", "occurred_on", "young_person", "restraint_type", "injury_level"]
        widgets = {"injury_level": forms.RadioSelect}


class ImportForm(PartnershipForm):
    setting = forms.ModelChoiceField(queryset=Agency.objects.all())
    file = forms.FileField(label="CSV file", help_text="Columns: reference, date, young_person, restraint_type, injury_level. The whole file is refused if any row is wrong.")


class SampleForm(PartnershipForm):
    setting = forms.ModelChoiceField(queryset=Agency.objects.all())
    period_start = forms.DateField(label="From")
    period_end = forms.DateField(label="To")
    per_level = forms.IntegerField(label="Incidents per injury level", min_value=1, max_value=50, initial=3)
    seed = forms.IntegerField(required=False, min_value=0, max_value=2_000_000_000, help_text="Leave blank for a new random draw; enter a recorded seed to draw the same selection again.")


class ReviewForm(ModelForm):
    class Meta:
        model = CctvReview
        fields = ["reviewed_on", "reviewed_with", "conclusion", "notes"]
        widgets = {"conclusion": forms.RadioSelect}


class SiteVisitForm(PartnershipModelForm):
    class Meta:
        model = SiteVisit
        fields = ["setting", "visited_on", "findings"]


class WeekForm(ModelForm):
    class Meta:
        model = AssuranceWeek
        fields = ["title", "starts_on", "ends_on", "findings"]


class MeetingForm(PartnershipModelForm):
    class Meta:
        model = ObservedMeeting
        fields = [
            "meeting_type", "held_on", "identified_by", "consent", "moved_outside_window", "observer", "observer_agency",
            "observation", "child_feedback", "parent_feedback", "practitioner_feedback",
        ]
        widgets = {"consent": forms.RadioSelect}


class AuditForm(PartnershipModelForm):
    class Meta:
        model = Audit
        fields = ["title", "kind", "themes", "started_on", "reported_on", "cases_audited", "method", "grading", "findings", "voice_of_the_child"]
        widgets = {"kind": forms.RadioSelect}


class JtaiThemeForm(ModelForm):
    class Meta:
        model = JtaiTheme
        fields = ["title", "year", "criteria"]


class JtaiEvaluationForm(ModelForm):
    criterion = forms.ChoiceField(choices=())

    def __init__(self, *args, theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c, c) for c in theme.criteria_list()]

    class Meta:
        model = JtaiEvaluation
        fields = ["criterion", "judgement", "evidence", "evaluated_on"]
        widgets = {"judgement": forms.RadioSelect}


class ScrutinyActivityForm(ModelForm):
    class Meta:
        model = ScrutinyActivity
        fields = ["title", "description", "planned_for", "status", "findings"]
        widgets = {"status": forms.RadioSelect}


class PresentationForm(PartnershipModelForm):
    class Meta:
        model = AssurancePresentation
        fields = ["title", "presenting_agency", "presented_on", "outcome"]
