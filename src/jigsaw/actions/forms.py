from __future__ import annotations

import datetime

from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from jigsaw.core import related
from jigsaw.core.forms import PartnershipForm, PartnershipModelForm
from jigsaw.core.forms_renderer import Form
from jigsaw.core.models import Agency, Person, Theme
from jigsaw.core.scoping import Role
from jigsaw.governance.models import Group

from . import queries
from .models import ActionPriority, LearningAction, Rag, Status
from .services import ALLOWED


class FileWidget(forms.FileInput):
    """A file upload taking several files. Named so the GOV.UK renderer draws it as its file
    upload component (the renderer picks components by widget class name)."""

    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    widget = FileWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["multiple"] = True

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(EvidenceFilesField, self).clean(upload, initial) for upload in uploads]


class ActionFilterForm(Form):
    DUE_WINDOWS = [
        ("", "Any time"),
        ("overdue", "Overdue"),
        ("14", "Due in the next 14 days"),
        ("30", "Due in the next 30 days"),
        ("90", "Due in the next 90 days"),
        ("none", "No due date"),
    ]
    REVIEW_WINDOWS = [
        ("", "Any"),
        ("overdue", "Review overdue"),
        ("30", "Review due in the next 30 days"),
        ("90", "Review due in the next 90 days"),
    ]
    SORTS = [
        ("due_on", "Due date, soonest first"),
        ("-due_on", "Due date, latest first"),
        ("-raised_on", "Raised, newest first"),
        ("raised_on", "Raised, oldest first"),
        ("priority", "Priority, high first"),
        ("status", "Status"),
        ("reference", "Reference"),
    ]

    q = forms.CharField(label="Words in the action or its source", required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="Any theme")
    source = forms.ChoiceField(label="Source", required=False)
    agency = forms.ChoiceField(label="Owner agency", required=False)
    priority = forms.ChoiceField(choices=[("", "Any priority"), *ActionPriority.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), ("open_or_in_progress", "Open or in progress"), *Status.choices], required=False
    )
    due = forms.ChoiceField(label="Due", choices=DUE_WINDOWS, required=False)
    review = forms.ChoiceField(label="Assurance review", choices=REVIEW_WINDOWS, required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)

    def __init__(self, *args, partnership, access, choices_of: ActionFilterForm | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices_of is not None:
            # The same viewer's choices again (the home work queue counts four filters): no queries.
            for name in ("theme", "source", "agency"):
                self.fields[name] = choices_of.fields[name]
            return
        # A filter offers every theme, retired ones too: old actions carry them.
        self.fields["theme"].queryset = related.choices(Theme.objects.all(), access)
        self.fields["source"].choices = [
            ("", "Any source"),
            ("none", "No linked record"),
            *[
                (
                    f"{ct.app_label}.{ct.model}",
                    str(ct.model_class()._meta.verbose_name).capitalize() if ct.model_class() else ct.model,
                )
                for ct in queries.source_types(access)
            ],
        ]
        self.fields["agency"].choices = [
            ("", "Any agency"),
            ("partnership", "Partnership-wide"),
            *[(str(pk), name) for pk, name in related.choices(Agency.objects.all(), access).values_list("pk", "name")],
        ]

    def apply(self, queryset, today: datetime.date | None = None):
        today = today or timezone.localdate()
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.filter(
                Q(description__icontains=data["q"])
                | Q(source_label__icontains=data["q"])
                | Q(reference__iexact=data["q"])
            )
        if data.get("theme"):
            queryset = queryset.filter(themes=data["theme"])
        if data.get("source") == "none":
            queryset = queryset.filter(source_type=None)
        elif data.get("source"):
            app_label, _, model = data["source"].partition(".")
            queryset = queryset.filter(source_type__app_label=app_label, source_type__model=model)
        if data.get("agency") == "partnership":
            queryset = queryset.filter(owner_agency=None)
        elif data.get("agency"):
            queryset = queryset.filter(owner_agency_id=int(data["agency"]))
        if data.get("priority"):
            queryset = queryset.filter(priority=data["priority"])
        if data.get("status") == "open_or_in_progress":
            queryset = queryset.filter(status__in=queries.OPEN_STATUSES)
        elif data.get("status"):
            queryset = queryset.filter(status=data["status"])
        due = data.get("due")
        if due == "overdue":
            queryset = queries.overdue(queryset, today)
        elif due == "none":
            queryset = queryset.filter(due_on=None)
        elif due:
            queryset = queries.due_soon(queryset, today, int(due))
        review = data.get("review")
        if review == "overdue":
            queryset = queryset.filter(status=Status.COMPLETED, next_review_on__lt=today)
        elif review:
            queryset = queries.review_due(queryset, today, int(review))
        return sort(queryset, data.get("sort") or "due_on")


def sort(queryset, key: str):
    if key == "priority":
        rank = Case(
            When(priority=ActionPriority.HIGH, then=Value(0)),
            When(priority=ActionPriority.MEDIUM, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return queryset.annotate(priority_rank=rank).order_by("priority_rank", "due_on", "pk")
    if key.lstrip("-") == "due_on":
        expression = F("due_on").desc(nulls_last=True) if key.startswith("-") else F("due_on").asc(nulls_last=True)
        return queryset.order_by(expression, "pk")
    return queryset.order_by(key, "pk")


class ActionForm(PartnershipModelForm):
    class Meta:
        model = LearningAction
        fields = [
            "description",
            "source_label",
            "owner_agency",
            "owner_person",
            "priority",
            "raised_on",
            "due_on",
            "themes",
            "plan_priorities",
            "golden_threads",
        ]
        labels = {"description": "What must change", "source_label": "Where it came from", "owner_person": "Owner"}
        help_texts = {
            "source_label": "For example: Performance and Learning Group, 12 March 2025. Filled in for you when raised from a record.",
            "raised_on": "For example, 27 3 2025",
            "due_on": "For example, 30 9 2025",
        }

    def __init__(self, *args, partnership, access, **kwargs):
        super().__init__(*args, partnership=partnership, access=access, **kwargs)
        if not access.has_role(Role.BUSINESS_UNIT):
            # An agency lead holds actions for their own agency only.
            self.offer("owner_agency", Agency.objects.filter(pk__in=access.agency_ids))
            self.fields["owner_agency"].required = True
            self.fields["owner_agency"].empty_label = None
        for name in ("plan_priorities", "golden_threads"):
            if not self.fields[name].queryset.exists():
                del self.fields[name]
        if not self.instance.pk:
            self.fields["raised_on"].initial = timezone.localdate()
        if self.instance.pk and self.instance.source_type_id:
            del self.fields["source_label"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("themes", "plan_priorities", "golden_threads"):
            if name in data:
                data[name] = list(data[name])
        return data


class NeededForStatus:
    """Required for one status only (evidence to complete, a reason to close): labelled as
    required, since it is where it matters; the service names it when it is missing."""

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)

    def validate(self, value):
        pass  # blank is refused by the service, only for the status that needs it


class NeededForStatusField(NeededForStatus, forms.CharField):
    pass


class NeededForStatusDateField(NeededForStatus, forms.DateField):
    pass


class StatusForm(Form):
    use_required_attribute = False  # evidence and the closure reason are needed for one status only
    status = forms.ChoiceField(widget=forms.RadioSelect)
    evidence = NeededForStatusField(
        label="Evidence of completion",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed to complete the action: what was done and how you know. For example, 'Procedure revised and briefed to 230 staff'.",
    )
    completed_on = NeededForStatusDateField(
        label="Date completed",
        help_text="Needed to complete the action: when the work was done (today unless you change it). The 6- and 12-month assurance reviews are counted from it. For example, 27 3 2025",
    )
    files = EvidenceFilesField(
        label="Evidence files", help_text="PDF, Word, Excel, PowerPoint, text, CSV, PNG or JPEG, up to 10 MB each."
    )
    closure_reason = NeededForStatusField(
        label="Why it is closed without assurance",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only to close the action without assurance.",
    )
    note = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Added to the action's history.",
    )

    def __init__(self, *args, action: LearningAction, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [Status(action.status), *sorted(ALLOWED[Status(action.status)], key=list(Status).index)]
        self.fields["status"].choices = [
            (status.value, status.label + (" (no change)" if status == action.status else "")) for status in choices
        ]
        self.fields["status"].initial = action.status
        self.fields["evidence"].initial = action.evidence
        if action.status == Status.COMPLETED or Status.COMPLETED not in ALLOWED[Status(action.status)]:
            del self.fields["completed_on"]  # completed once, on its date
        else:
            self.fields["completed_on"].initial = timezone.localdate()


class EscalateForm(PartnershipForm):
    group = forms.ModelChoiceField(queryset=Group.objects.all(), label="Escalate to")
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 4}))
    on = forms.DateField(
        label="Date escalated", required=False, help_text="Leave blank for today. For example, 27 3 2025"
    )


class ReviewForm(PartnershipForm):
    rag = forms.ChoiceField(label="RAG rating", choices=Rag.choices, widget=forms.RadioSelect)
    what_changed = forms.CharField(label="What has changed in practice", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="Needed to give assurance."
    )
    assurance_given = forms.TypedChoiceField(
        label="Is assurance given?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    reviewed_on = forms.DateField(
        label="Date of the review", required=False, help_text="Leave blank for today. For example, 27 3 2025"
    )
    reviewer = forms.ModelChoiceField(queryset=Person.objects.all(), required=False)
