from django import forms

from jigsaw.core.forms import PartnershipForm, PartnershipModelForm
from jigsaw.core.forms_renderer import Form
from jigsaw.governance.models import Priority

from .models import Evidence, Framework, ManagerAssurance, Outcome, PracticeChanged


class FrameworkForm(PartnershipModelForm):
    class Meta:
        model = Framework
        fields = ["plan", "name", "introduction"]


class FrameworkChangeForm(PartnershipModelForm):
    class Meta:
        model = Framework
        fields = ["name", "introduction"]


class OutcomeForm(PartnershipModelForm):
    class Meta:
        model = Outcome
        fields = ["priority", "position", "activity", "output", "short_term", "long_term"]

    def __init__(self, *args, framework: Framework | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if framework is not None:  # the priorities of the framework's own plan
            self.offer("priority", Priority.objects.filter(plan=framework.plan))


class EvidenceForm(PartnershipModelForm):
    class Meta:
        model = Evidence
        fields = [
            "kind",
            "stage",
            "measure",
            "indicator",
            "s11_question",
            "s11_section",
            "audit",
            "course",
            "cycle",
            "week",
        ]
        help_texts = {
            "indicator": "For an indicator.",
            "s11_question": "For a section 11 question.",
            "s11_section": "For a section 11 section.",
            "audit": "For an audit.",
            "course": "For training: knowledge, learners' follow-up or managers' assurance.",
            "cycle": "For a learning cycle's voices and assurance.",
            "week": "For an assurance week.",
        }


class ManagerNameForm(PartnershipModelForm):
    class Meta:
        model = ManagerAssurance
        fields = ["manager_name", "manager_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager_email"].required = True


class ManagerAnswerForm(Form):
    practice_changed = forms.ChoiceField(
        label=ManagerAssurance.QUESTION,
        choices=PracticeChanged.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether their practice has changed"},
    )
    example = forms.CharField(
        label="An example",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What they now do differently with a child or family. Do not name the child or family.",
    )


class ConfirmForm(PartnershipForm):
    pass
