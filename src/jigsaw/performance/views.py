"""Performance pages: declarations over jigsaw.core.generic; reads in queries.py, writes in services.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone

from jigsaw.core.charts import to_svg
from jigsaw.core.generic import PartnershipPage, ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from jigsaw.core.periods import choose_year
from jigsaw.core.scoping import PARTNERS, Action, Role
from jigsaw.governance.models import Priority

from . import imports, queries, services
from .forms import (
    IndicatorFilterForm,
    IndicatorForm,
    QuarterForm,
    SessionActionForm,
    SessionForm,
    UploadForm,
    ValueForm,
)
from .models import Indicator, IndicatorValue, ThinkTankSession, ThinkTankTheme
from .periods import QUARTERLY, Period

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})
UPLOAD_SESSION_KEY = "performance_upload"


class PerformanceMixin:
    # Indicators, returns by agency and think-tank packs are the partners' (docs/access.md).
    roles = PARTNERS

    def crumbs(self, *extra):
        return [self.home_crumb(), ("Performance", self.partnership_url("performance:home")), *extra]


class PerformanceHome(PerformanceMixin, PartnershipPage):
    template_name = "performance/home.html"
    page_title = "Performance"

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Performance", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        readings = queries.latest_readings(self.access, queries.indicators(self.access))
        by_theme = {}
        for reading in readings:
            by_theme.setdefault(reading.indicator.theme, []).append(reading)
        context["themes"] = [
            (value, label, queries.rag_counts(by_theme.get(value, []))) for value, label in ThinkTankTheme.choices
        ]
        context["rag_counts"] = queries.rag_counts(readings)
        context["priorities"] = (
            Priority.objects.restrict(self.access).filter(indicators__isnull=False).distinct().select_related("plan")
        )
        context["can_submit"] = self.access.can(Action.CHANGE, IndicatorValue)
        context["can_manage"] = self.access.can(Action.CHANGE, Indicator)
        context["quarter_form"] = QuarterForm(
            partnership=self.partnership, initial={"quarter": queries.default_quarter(self.partnership).key}
        )
        return context


class IndicatorList(PerformanceMixin, ScopedListView):
    model = Indicator
    template_name = "performance/indicator_list.html"
    filter_form_class = IndicatorFilterForm
    page_title = "Indicators"

    def get_queryset(self):
        return super().get_queryset().select_related("priority", "source_agency")

    def get_breadcrumbs(self):
        return self.crumbs(("Indicators", None))


class IndicatorDetail(PerformanceMixin, ScopedDetailView):
    model = Indicator
    template_name = "performance/indicator_detail.html"

    def get_breadcrumbs(self):
        return self.crumbs(("Indicators", self.partnership_url("performance:indicators")), (self.object.code, None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        entry = queries.dashboard(self.access, [indicator])[0]
        context["readings"], context["chart"] = [entry.reading], entry.chart
        context["returns"] = list(
            IndicatorValue.objects.restrict(self.access)
            .filter(indicator=indicator)
            .select_related("agency", "submitted_by__person")
            .order_by("-period_start", "agency__name")
        )
        for value in context["returns"]:  # each return's period is the indicator's: no query per row for it
            value.indicator = indicator
        context["can_submit"] = self.access.can(Action.CHANGE, IndicatorValue)
        return context


class IndicatorCreate(PerformanceMixin, ScopedCreateView):
    model = Indicator
    form_class = IndicatorForm
    page_title = "Add an indicator"
    success_message = "{object} added."

    def get_breadcrumbs(self):
        return self.crumbs(("Indicators", self.partnership_url("performance:indicators")), ("Add", None))

    def perform(self, form):
        return services.indicator_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class IndicatorUpdate(PerformanceMixin, ScopedUpdateView):
    model = Indicator
    form_class = IndicatorForm
    page_title = "Change indicator"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return self.crumbs((self.object.code, self.object.get_absolute_url()), ("Change", None))

    def perform(self, form):
        return services.indicator_update(actor=self.request.user, indicator=self.object, **form.cleaned_data)


class ValueCreate(PerformanceMixin, ScopedCreateView):
    model = IndicatorValue
    form_class = ValueForm
    template_name = "performance/value_form.html"
    page_title = "Make a return"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "indicator" in self.request.GET:
            kwargs.setdefault("initial", {})["indicator"] = self.request.GET["indicator"]
        return kwargs

    def get_breadcrumbs(self):
        return self.crumbs(("Make a return", None))

    def perform(self, form):
        data = form.cleaned_data
        record = services.value_submit(
            actor=self.request.user,
            partnership=self.partnership,
            indicator=data["indicator"],
            agency=data["agency"],
            period_start=data["period_start"],
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            commentary=data["commentary"],
            data_quality=data["data_quality"],
        )
        what = f"{record.indicator.code} for {record.period.label} ({record.agency})"
        messages.success(
            self.request,
            f"Return replaced: {what}. The audit trail keeps the figure it replaced."
            if record.replaces
            else f"Return saved: {what}.",
        )
        return record


class ValueUpload(PerformanceMixin, ScopedCreateView):
    """Upload a returns file: check every row, show a preview, save all on confirmation."""

    model = IndicatorValue
    form_class = UploadForm
    template_name = "performance/upload.html"
    page_title = "Upload returns"

    def get_breadcrumbs(self):
        return self.crumbs(("Upload returns", None))

    def post(self, request, *args, **kwargs):
        self.check_can_add()
        if "confirm" in request.POST:
            return self.confirm()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            parsed = imports.parse(form.cleaned_data["file"], partnership=self.partnership, access=self.access)
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        if parsed.errors:
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=parsed.errors, file_name=form.cleaned_data["file"].name)
            )
        self.request.session[UPLOAD_SESSION_KEY] = {
            "partnership": self.partnership.pk,
            "rows": imports.to_session(parsed),
            "name": form.cleaned_data["file"].name,
        }
        return self.render_to_response(
            self.get_context_data(form=form, previews=parsed.previews, file_name=form.cleaned_data["file"].name)
        )

    def confirm(self):
        stored = self.request.session.get(UPLOAD_SESSION_KEY)
        if not stored or stored.get("partnership") != self.partnership.pk:
            messages.error(self.request, "There is no checked file to save: upload it again.")
            return HttpResponseRedirect(self.partnership_url("performance:upload"))
        try:
            rows = imports.from_session(stored["rows"], partnership=self.partnership, access=self.access)
            saved = services.values_import(actor=self.request.user, partnership=self.partnership, rows=rows)
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(form=UploadForm(), row_errors=error.messages, file_name=stored.get("name"))
            )
        del self.request.session[UPLOAD_SESSION_KEY]
        replaced = sum(1 for record in saved if record.replaces)
        note = (
            f" {replaced} replaced earlier returns; the audit trail keeps the figures they replaced."
            if replaced
            else ""
        )
        messages.success(
            self.request, f"{len(saved)} return{'' if len(saved) == 1 else 's'} saved from {stored.get('name')}.{note}"
        )
        return HttpResponseRedirect(self.partnership_url("performance:home"))


class LateReturns(PerformanceMixin, PartnershipPage):
    template_name = "performance/late_returns.html"
    page_title = "Late returns"

    def get_breadcrumbs(self):
        return self.crumbs(("Late returns", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choice = choose_year(self.request, self.partnership, queries.return_years(self.access))
        context.update(year_choice=choice, year=choice.year, late=queries.late_returns(self.access, choice.year))
        return context


class ThemeDashboard(PerformanceMixin, PartnershipPage):
    template_name = "performance/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["theme"] not in ThinkTankTheme.values:
            raise Http404("No such think tank theme.")
        self.theme = ThinkTankTheme(kwargs["theme"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.theme.label

    def get_breadcrumbs(self):
        return self.crumbs((self.theme.label, None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = queries.dashboard(self.access, queries.indicators(self.access, theme=self.theme.value))
        context["readings"] = [entry.reading for entry in context["entries"]]
        context["heading_caption"] = "Think tank theme"
        return context


class PriorityDashboard(PerformanceMixin, ScopedDetailView):
    model = Priority
    template_name = "performance/dashboard.html"

    def get_breadcrumbs(self):
        return self.crumbs((str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = queries.dashboard(self.access, queries.indicators(self.access, priority=self.object))
        context["readings"] = [entry.reading for entry in context["entries"]]
        context["heading_caption"] = str(self.object.plan)
        return context


class PackChooser(PerformanceMixin, PartnershipPage):
    """Choose the quarter; the pack itself has its own address so it can be shared."""

    template_name = "performance/pack_chooser.html"
    page_title = "Think tank pack"

    def get(self, request, *args, **kwargs):
        self.form = QuarterForm(
            request.GET or None,
            partnership=self.partnership,
            initial={"quarter": queries.default_quarter(self.partnership).key},
        )
        if self.form.is_valid():
            return HttpResponseRedirect(self.partnership_url("performance:pack", self.form.cleaned_data["quarter"]))
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return self.crumbs(("Think tank pack", None))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": self.form}


class PackMixin(PerformanceMixin):
    def get_pack(self):
        try:
            period = Period.parse(self.kwargs["quarter"], QUARTERLY, self.partnership.financial_year_start_month)
        except ValueError:
            raise Http404("Not a quarter.") from None
        return queries.think_tank_pack(self.access, period)

    def get_page_title(self):
        return f"Think tank pack, {self.get_pack_period_label()}"

    def get_pack_period_label(self):
        try:
            return Period.parse(self.kwargs["quarter"], QUARTERLY, self.partnership.financial_year_start_month).label
        except ValueError:
            return ""


class Pack(PackMixin, PartnershipPage):
    template_name = "performance/pack.html"

    def get_breadcrumbs(self):
        return self.crumbs(
            ("Think tank pack", self.partnership_url("performance:pack-choose")), (self.get_pack_period_label(), None)
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "pack": self.get_pack()}


class PackPdf(PackMixin, PartnershipPage):
    def get(self, request, *args, **kwargs):
        from .pdf import render_pdf

        pack = self.get_pack()
        for entry in pack.entries:
            entry.svg = to_svg(entry.chart)  # the same spec vega-embed draws on the page
        html = render_to_string(
            "performance/pack_pdf.html",
            {
                "pack": pack,
                "partnership": self.partnership,
                "generated_at": timezone.localtime(),
                "static_url": settings.STATIC_URL,
            },
        )
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="think-tank-pack-{pack.period.key}.pdf"'
        return response


class SessionList(PerformanceMixin, ScopedListView):
    model = ThinkTankSession
    template_name = "performance/session_list.html"
    page_title = "Think tank sessions"

    def get_breadcrumbs(self):
        return self.crumbs(("Think tank sessions", None))


class SessionDetail(PerformanceMixin, ScopedDetailView):
    model = ThinkTankSession
    template_name = "performance/session_detail.html"

    def get_breadcrumbs(self):
        return self.crumbs(
            ("Think tank sessions", self.partnership_url("performance:sessions")), (str(self.object), None)
        )


class SessionCreate(PerformanceMixin, ScopedCreateView):
    model = ThinkTankSession
    form_class = SessionForm
    page_title = "Record a think tank session"
    success_message = "{object} recorded."

    def get_breadcrumbs(self):
        return self.crumbs(("Think tank sessions", self.partnership_url("performance:sessions")), ("Record", None))

    def perform(self, form):
        return services.session_create(actor=self.request.user, partnership=self.partnership, **form.service_fields())


class SessionUpdate(PerformanceMixin, ScopedUpdateView):
    model = ThinkTankSession
    form_class = SessionForm
    page_title = "Change think tank session"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return self.crumbs((str(self.object), self.object.get_absolute_url()), ("Change", None))

    def perform(self, form):
        return services.session_update(actor=self.request.user, session=self.object, **form.service_fields())


class SessionRaiseAction(PerformanceMixin, ScopedUpdateView):
    """An action the think tank agreed, into the learning log."""

    model = ThinkTankSession
    form_class = SessionActionForm
    page_title = "Raise an action"
    success_message = "Action raised in the learning log."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_breadcrumbs(self):
        return self.crumbs((str(self.object), self.object.get_absolute_url()), ("Raise an action", None))

    def perform(self, form):
        if not self.access.has_role(Role.BUSINESS_UNIT):
            raise PermissionDenied
        services.session_raise_action(actor=self.request.user, session=self.object, **form.cleaned_data)
        return self.object
