from django import forms

from jigsaw.core.forms_renderer import Form


class RetentionRuleForm(Form):
    months = forms.IntegerField(
        label="Months kept",
        min_value=1,
        max_value=1200,
        error_messages={"required": "Enter how many months to keep these records, from 1 to 1200."},
    )
    outcome = forms.ChoiceField(label="Then", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why this period",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say why, if you keep these records longer or shorter than the default.",
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = kind.outcome_choices
        self.fields["months"].help_text = f"Counted from {kind.anchor}. The default is {kind.default_months}."


class SubjectAccessForm(Form):
    subject = forms.CharField(
        label="Email address or full name",
        max_length=200,
        help_text="Jigsaw finds the person by their email address or their name exactly (not case-sensitive), and every record that names them.",
        error_messages={"required": "Enter the person's email address or full name."},
    )
    reference = forms.CharField(
        label="Your reference",
        max_length=100,
        required=False,
        help_text="Your organisation's reference for the request, if it has one.",
    )
