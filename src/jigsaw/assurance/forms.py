from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from jigsaw.core import uploads
from jigsaw.core.forms import PartnershipForm, PartnershipModelForm
from jigsaw.core.forms_renderer import Form, ModelForm
from jigsaw.core.models import Agency, Person

from .models import (
    AssurancePresentation,
    AssuranceWeek,
    Audit,
    CctvReview,
    FollowUpSession,
    Framework,
    JtaiEvaluation,
    JtaiTheme,
    ObservedMeeting,
    Question,
    Rating,
    RestraintIncident,
    Round,
    ScrutinyActivity,
    SiteVisit,
)


class FrameworkForm(ModelForm):
    class Meta:
        model = Framework
        fields = ["name", "introduction"]


class SectionForm(Form):
    title = forms.CharField(max_length=200)


class QuestionForm(ModelForm):
    class Meta:
        model = Question
        fields = ["text", "code", "guidance", "evidence_expected"]


class ShareForm(Form):
    """Which partnership receives the return: those its organisation serves, besides this one."""

    partnership = forms.ChoiceField(
        label="Share with",
        widget=forms.RadioSelect,
        help_text="The partnership's return for your organisation is filled with these answers, read-only there.",
    )

    def __init__(self, *args, served=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.slug, p.name) for p in served]


class RoundForm(PartnershipModelForm):
    class Meta:
        model = Round
        fields = ["title", "framework", "period_start", "period_end", "deadline"]


class InviteForm(PartnershipForm):
    participant = forms.ModelChoiceField(
        queryset=Person.objects.all(), help_text="Add them under People first if they are not listed."
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), required=False, help_text="Leave blank to use the participant's own agency."
    )
    service = forms.CharField(
        max_length=200, help_text="The service within the agency, for example 'Early Help South'."
    )
    locality = forms.CharField(max_length=100, required=False)


class SessionForm(ModelForm):
    class Meta:
        model = FollowUpSession
        fields = ["kind", "held_on", "outcome"]
        widgets = {"kind": forms.RadioSelect}


class ActionForm(PartnershipForm):
    description = forms.CharField(label="What must change", widget=forms.Textarea)
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), required=False, help_text="Leave blank for a partnership-wide action."
    )
    due_on = forms.DateField(label="Due", required=False)


class ReturnSectionForm(Form):
    """One section of a return: a rating, evidence and an optional file for each of its questions.

    Every question must be rated to submit, so a rating is required; 'Save and come back later'
    (`partial`) keeps what is rated and lets the rest wait."""

    def __init__(self, *args, assessment_return, questions, partial=False, **kwargs):
        super().__init__(*args, **kwargs)
        answers = {a.question_id: a for a in assessment_return.answers.filter(question__in=questions)}
        self.questions = questions
        self.partial = partial
        for question in questions:
            answer = answers.get(question.pk)
            number = f"{question.section.number}.{question.number}"
            self.fields[f"rating_{question.pk}"] = forms.ChoiceField(
                label=f"{number} {question.text}",
                choices=Rating.choices,
                required=True,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline govuk-radios--small"}),
                help_text=question.guidance,
                initial=answer.rating if answer else None,
                error_messages={"required": f"Rate question {number}: choose red, amber or green"},
            )
            self.fields[f"evidence_{question.pk}"] = forms.CharField(
                label=f"Evidence for {number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=question.evidence_expected,
                initial=answer.evidence if answer else "",
            )
            hint = (
                f"Saved: {answer.evidence_file_name}. A new file replaces it. 5 MB at most."
                if answer and answer.evidence_file
                else "5 MB at most."
            )
            self.fields[f"file_{question.pk}"] = forms.FileField(
                label=f"Evidence file for {number}", required=False, help_text=hint
            )

    def full_clean(self):
        if self.partial:
            for question in self.questions:
                self.fields[f"rating_{question.pk}"].required = False
        super().full_clean()
        # Unrated questions may wait for later, but they are still needed to submit: shown
        # again (with an error elsewhere) the form does not call them optional.
        for question in self.questions:
            self.fields[f"rating_{question.pk}"].required = True

    def clean(self):
        data = super().clean()
        for question in self.questions:
            number = f"{question.section.number}.{question.number}"
            upload = data.get(f"file_{question.pk}")
            if upload:
                try:
                    uploads.SELF_ASSESSMENT_EVIDENCE.check(upload)
                except ValidationError as error:
                    self.add_error(f"file_{question.pk}", error)
            given = data.get(f"evidence_{question.pk}") or upload
            if given and not data.get(f"rating_{question.pk}") and f"rating_{question.pk}" not in self.errors:
                self.add_error(f"rating_{question.pk}", f"Rate question {number} to save the evidence you gave for it")
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
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: reference, date, young_person, restraint_type, injury_level. The whole file is refused if any row is wrong.",
    )


class SampleForm(PartnershipForm):
    setting = forms.ModelChoiceField(queryset=Agency.objects.all())
    period_start = forms.DateField(label="From")
    period_end = forms.DateField(label="To")
    per_level = forms.IntegerField(label="Incidents per injury level", min_value=1, max_value=50, initial=3)
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        help_text="Leave blank for a new random draw; enter a recorded seed to draw the same selection again.",
    )


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
            "meeting_type",
            "held_on",
            "identified_by",
            "consent",
            "moved_outside_window",
            "observer",
            "observer_agency",
            "observation",
            "child_feedback",
            "parent_feedback",
            "practitioner_feedback",
        ]
        widgets = {"consent": forms.RadioSelect}


class AuditForm(PartnershipModelForm):
    class Meta:
        model = Audit
        fields = [
            "title",
            "kind",
            "themes",
            "started_on",
            "reported_on",
            "cases_audited",
            "method",
            "grading",
            "findings",
            "voice_of_the_child",
        ]
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


NO_EQUIVALENT = "none"


class MappingForm(Form):
    """Each question of a version of the tool -> the question of the previous version it is, or
    'No equivalent'. Every one must be chosen; errors name the question."""

    def __init__(self, *args, questions, previous_questions, previous_version: int, suggested: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.previous = {str(q.pk): q for q in previous_questions}
        choices = [("", "Choose a question"), (NO_EQUIVALENT, f"No equivalent in version {previous_version}")]
        choices += [(str(q.pk), f"{q.reference} {q.text[:90]}") for q in previous_questions]
        for question in questions:
            initial = suggested.get(question.pk)
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=f"Question {question.reference}: {question.text}",
                choices=choices,
                initial=NO_EQUIVALENT if initial is None and question.pk in suggested else getattr(initial, "pk", ""),
                error_messages={
                    "required": f"Question {question.reference}: choose the question of version {previous_version} "
                    "it is, or 'No equivalent'",
                    "invalid_choice": f"Question {question.reference}: choose a question of version {previous_version}",
                },
            )

    def equivalents(self) -> dict:
        return {
            question.pk: self.previous.get(self.cleaned_data[f"question_{question.pk}"])
            for question in self.questions
            if f"question_{question.pk}" in self.cleaned_data
        }

    def by_section(self) -> list[tuple[str, list]]:
        """The fields under their section's heading, in the tool's order."""
        grouped: dict[str, list] = {}
        for question in self.questions:
            title = f"{question.section.number}. {question.section.title}"
            grouped.setdefault(title, []).append(self[f"question_{question.pk}"])
        return list(grouped.items())
