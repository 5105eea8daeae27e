"""The retention schedule, its runs and subject access: the business unit's pages."""

from __future__ import annotations

from django.http import Http404
from django.views import generic

from jigsaw.core.generic import (
    PartnershipMixin,
    PartnershipPage,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormMixin,
)
from jigsaw.core.scoping import Action, Role
from jigsaw.core.uploads import attachment_response

from . import services
from .forms import RetentionRuleForm, SubjectAccessForm
from .kinds import KINDS
from .models import RetentionRule, RetentionRun, SubjectAccessRequest

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})


class _Privacy:
    roles = BUSINESS_UNIT
    section_crumb = ("Retention", "privacy:schedule")


class Schedule(_Privacy, PartnershipPage):
    model = RetentionRule
    template_name = "privacy/schedule.html"
    page_title = "Retention schedule"
    section_crumb = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = services.schedule(self.partnership)
        context["runs"] = RetentionRun.objects.restrict(self.access)[:5]
        return context


class RuleUpdate(_Privacy, ServiceFormMixin, PartnershipMixin, generic.FormView):
    model = RetentionRule
    action = Action.CHANGE
    form_class = RetentionRuleForm
    template_name = "privacy/rule_form.html"
    success_message = "Retention of {object.kind_label} saved."

    def dispatch(self, request, *args, **kwargs):
        self.kind = KINDS.get(kwargs["retention_kind"])
        if self.kind is None:
            raise Http404("No such kind of record in the schedule.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"Retention of {self.kind.label.lower()}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kind"] = self.kind
        if self.request.method == "GET":
            rule = services.rule_for(self.partnership, self.kind)
            kwargs["initial"] = {"months": rule.months, "outcome": rule.outcome, "reason": rule.reason}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        return context

    def perform(self, form):
        rule = services.rule_update(
            actor=self.request.user, partnership=self.partnership, kind=self.kind, **form.cleaned_data
        )
        rule.kind_label = self.kind.label.lower()
        return rule

    def get_success_url(self):
        return self.partnership_url("privacy:schedule")


class RunList(_Privacy, ScopedListView):
    model = RetentionRun
    template_name = "privacy/run_list.html"
    page_title = "Retention runs"
    paginate_by = 25


class RunDetail(_Privacy, ScopedDetailView):
    model = RetentionRun
    template_name = "privacy/run_detail.html"
    trail = (("Retention runs", "privacy:runs"),)

    def get_breadcrumbs(self):
        return self.crumbs((self.get_page_title(), None))


class RequestList(_Privacy, ScopedListView):
    model = SubjectAccessRequest
    template_name = "privacy/request_list.html"
    page_title = "Subject access requests"
    section_crumb = None
    paginate_by = 25


class _Requests(_Privacy):
    section_crumb = ("Subject access requests", "privacy:requests")


class RequestCreate(_Requests, ScopedCreateView):
    model = SubjectAccessRequest
    form_class = SubjectAccessForm
    page_title = "Ask what Jigsaw holds about someone"
    template_name = "privacy/request_form.html"

    def perform(self, form):
        return services.subject_access_request(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data
        )


class RequestDetail(_Requests, ScopedDetailView):
    model = SubjectAccessRequest
    template_name = "privacy/request_detail.html"

    def get_context_data(self, **kwargs):
        from django.apps import apps

        context = super().get_context_data(**kwargs)
        names = {"core.AuditEntry": "Audit trail entries"}
        context["found"] = [
            (names.get(label) or str(apps.get_model(label)._meta.verbose_name_plural).capitalize(), count)
            for label, count in self.object.found.items()
        ]
        return context

    def get_breadcrumbs(self):
        return self.crumbs((self.get_page_title(), None))


class RequestDownload(_Requests, ScopedObjectMixin, generic.View):
    """The export, built now from what Jigsaw holds, as a zip of JSON and CSV files."""

    model = SubjectAccessRequest

    def get(self, request, *args, **kwargs):
        name, content = services.subject_access_download(actor=request.user, request=self.get_object())
        return attachment_response(content, filename=name, content_type="application/zip")
