"""The themed learning log's pages: declarations over jigsaw.core.generic."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone

from jigsaw.core.figures import Table
from jigsaw.core.files import FileDownload
from jigsaw.core.generic import (
    EVERY_ROLE,
    PartnershipPage,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from jigsaw.core.scoping import Action, Role

from . import exports, queries, services
from .forms import ActionFilterForm, ActionForm, EscalateForm, ReviewForm, StatusForm, sort
from .models import AssuranceReview, EvidenceFile, LearningAction, Status

READERS = EVERY_ROLE - {Role.PRACTITIONER}
# A practitioner reads and updates the actions they own (the scope rule keeps them to those),
# but does not raise, rewrite or escalate actions, nor read the log's theme summary.
OWNERS = READERS | {Role.PRACTITIONER}


class LogMixin:
    def log_crumb(self):
        return ("Learning log", self.partnership_url("actions:list"))


class ActionList(LogMixin, ScopedListView):
    """The whole log, filtered and sorted; the same filters drive the exports."""

    model = LearningAction
    roles = OWNERS
    template_name = "actions/list.html"
    page_title = "Themed learning log"
    paginate_by = 50
    intro = "Every action arising from reviews, learning cycles, audits, self-assessments, assurance visits and meetings, in one place."

    def base_queryset(self):
        return queries.log(self.access)

    def get_queryset(self):
        self.filter_form = ActionFilterForm(self.request.GET or None, partnership=self.partnership, access=self.access)
        queryset = self.base_queryset()
        if self.filter_form.is_valid():
            return self.filter_form.apply(queryset)
        return sort(queryset, "due_on")

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Learning log", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        log = queries.log(self.access)
        context.update(
            today=today,
            intro=self.intro,
            export_query=self.request.GET.urlencode(),
            export_base=self.request.path,
            overdue_count=queries.overdue(log, today).count(),
            review_due_count=queries.review_due(log, today).count(),
            is_agency_lead=self.access.has_role(Role.AGENCY_LEAD),
            show_log_links=True,
        )
        return context


class ExportMixin:
    """The filtered log as a file: the list's own queryset, every row (no pagination)."""

    paginate_by = None
    export_format = "csv"

    def render_to_response(self, context, **response_kwargs):
        return exports.respond(
            self.object_list, self.export_format, filename=f"learning-log-{timezone.localdate():%Y-%m-%d}"
        )


class ActionExportCsv(ExportMixin, ActionList):
    export_format = "csv"


class ActionExportXlsx(ExportMixin, ActionList):
    export_format = "xlsx"


class MyAgencyActions(ActionList):
    """An agency lead's own agency's actions: the ones they can update."""

    roles = frozenset({Role.AGENCY_LEAD})
    page_title = "My agency's actions"
    intro = "The actions your agency owns. Update their progress and add evidence as you go."

    def base_queryset(self):
        return queries.log(self.access, Action.CHANGE).filter(owner_agency_id__in=self.access.agency_ids)

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.log_crumb(), (self.page_title, None)]


class OverdueActions(ActionList):
    page_title = "Overdue actions"
    intro = "Open or in-progress actions past their due date."

    def base_queryset(self):
        return queries.overdue(super().base_queryset(), timezone.localdate())

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.log_crumb(), (self.page_title, None)]


class ReviewDueActions(ActionList):
    page_title = "Assurance reviews due"
    intro = "Completed actions whose 6- or 12-month assurance review is due in the next 14 days or is late."

    def base_queryset(self):
        return queries.review_due(super().base_queryset(), timezone.localdate())

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.log_crumb(), (self.page_title, None)]


class ThemeSummary(LogMixin, PartnershipPage):
    """Theme × status, for the performance and learning group."""

    model = LearningAction
    roles = READERS
    template_name = "actions/summary.html"
    page_title = "Actions by theme and status"

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.log_crumb(), (self.page_title, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        columns, rows = queries.summary_by_theme(self.access)
        context["table"] = (
            Table(columns=columns, rows=rows, numeric=[False, *[True] * (len(columns) - 1)]) if rows else None
        )
        return context


class ActionDetail(LogMixin, ScopedDetailView):
    model = LearningAction
    roles = OWNERS
    template_name = "actions/detail.html"

    def get_page_title(self):
        return f"Action {self.object.reference}"

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.log_crumb(), (self.object.reference, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = self.object
        context.update(queries.detail(self.access, action))
        context["today"] = timezone.localdate()
        # An action of a joint group's meeting is read here and kept, reviewed and audited where it
        # was raised (docs/access.md).
        kept_here = action.partnership_id == self.partnership.pk
        context["shared_from"] = None if kept_here else action.partnership
        context["can_review"] = (
            kept_here and self.access.can(Action.CHANGE, AssuranceReview) and action.status == Status.COMPLETED
        )
        context["can_audit"] = context["can_audit"] and kept_here
        context["source_url"] = _source_url(action, self.access)
        return context


def _source_url(action: LearningAction, access) -> str:
    """A link to the record that raised the action, when it still exists, has a page and this
    viewer may open it (an agency lead is not offered a case review it would get 404 for)."""
    if not action.source_type_id:
        return ""
    model = action.source_type.model_class()
    manager = getattr(model, "objects", None)
    if manager is None or not hasattr(manager, "restrict") or not hasattr(model, "get_absolute_url"):
        return ""
    record = manager.restrict(access, Action.VIEW).filter(pk=action.source_id).first()
    return record.get_absolute_url() if record is not None else ""


class ActionCreate(LogMixin, ScopedCreateView):
    roles = READERS
    """Raise an action; from a record's page, `?source=app.model.pk` links it to that record."""

    model = LearningAction
    form_class = ActionForm
    page_title = "Raise an action"
    success_message = "Action {object.reference} raised."

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.log_crumb(), ("Raise an action", None)]

    def source(self):
        value = self.request.GET.get("source", "")
        if not value:
            return None
        app_label, _, rest = value.partition(".")
        model_name, _, pk = rest.partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        model = content_type.model_class() if content_type else None
        manager = getattr(model, "objects", None)
        if manager is None or not hasattr(manager, "restrict") or not pk.isdigit():
            raise Http404("No such record to raise an action from.")
        # The source is fetched through its own scope rule: you can only cite what you can see.
        record = manager.restrict(self.access, Action.VIEW).filter(pk=int(pk)).first()
        if record is None:
            raise Http404("No such record to raise an action from.")
        return record

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source"] = self.source()
        return context

    def get_template_names(self):
        return ["actions/action_form.html"]

    def perform(self, form):
        return services.action_raise(
            actor=self.request.user, partnership=self.partnership, source=self.source(), **form.service_fields()
        )


class ActionUpdate(LogMixin, ScopedUpdateView):
    roles = READERS
    model = LearningAction
    form_class = ActionForm
    page_title = "Change an action"
    success_message = "Action {object.reference} saved."

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            self.log_crumb(),
            (self.object.reference, self.object.get_absolute_url()),
            ("Change", None),
        ]

    def perform(self, form):
        return services.action_update(actor=self.request.user, action=self.object, **form.service_fields())


class PlainFormOnRecord:
    """A non-model form about the record in the URL (ScopedUpdateView hands forms an instance)."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs


class ActionStatusUpdate(LogMixin, PlainFormOnRecord, ScopedUpdateView):
    model = LearningAction
    form_class = StatusForm
    page_title = "Update progress"
    success_message = "Action {object.reference} updated."

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            self.log_crumb(),
            (self.object.reference, self.object.get_absolute_url()),
            ("Update progress", None),
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.object}

    def get_template_names(self):
        return ["actions/status_form.html"]

    def perform(self, form):
        data = form.cleaned_data
        return services.action_set_status(
            actor=self.request.user,
            action=self.object,
            status=data["status"],
            evidence=data["evidence"],
            closure_reason=data["closure_reason"],
            note=data["note"],
            files=data["files"],
            # The date field is filled in with today for every status; it is read only on completing.
            completed_on=data.get("completed_on") if data["status"] == Status.COMPLETED else None,
        )


class ActionEscalate(LogMixin, PlainFormOnRecord, ScopedUpdateView):
    roles = READERS
    model = LearningAction
    form_class = EscalateForm
    page_title = "Escalate an action"
    success_message = "Action {object.reference} escalated."

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            self.log_crumb(),
            (self.object.reference, self.object.get_absolute_url()),
            ("Escalate", None),
        ]

    def perform(self, form):
        data = form.cleaned_data
        return services.action_escalate(
            actor=self.request.user, action=self.object, group=data["group"], reason=data["reason"], on=data["on"]
        )


class ReviewRecord(LogMixin, PlainFormOnRecord, ScopedUpdateView):
    model = AssuranceReview
    form_class = ReviewForm
    success_message = "{object} recorded."

    def get_page_title(self):
        review = self.get_object()
        return f"{review.get_kind_display().capitalize()} of {review.action.reference}"

    def get_breadcrumbs(self):
        action = self.get_object().action
        return [
            self.home_crumb(),
            self.log_crumb(),
            (action.reference, action.get_absolute_url()),
            ("Record review", None),
        ]

    def get_template_names(self):
        return ["actions/review_form.html"]

    def perform(self, form):
        return services.review_record(actor=self.request.user, review=self.object, **form.cleaned_data)

    def check_still_in_scope(self, obj) -> None:
        pass  # recording a review does not move it between scopes

    def get_success_url(self):
        return self.object.action.get_absolute_url()


class EvidenceDownload(FileDownload):
    """An evidence file, served only to those who may see its action; each download is audited."""

    model = EvidenceFile
    roles = OWNERS
    personal = True

    def stored_content(self, record):
        return record.content

    def filename(self, record, name):
        return record.name

    def content_type(self, record, name):
        return record.content_type
