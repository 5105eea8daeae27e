"""Report pages: thin declarations over jigsaw.core.generic; every write goes through services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.views import generic

from jigsaw.core.figures import registry
from jigsaw.core.files import FileDownload
from jigsaw.core.generic import (
    PUBLIC,
    PartnershipPage,
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormMixin,
)
from jigsaw.core.scoping import Access, Action, Role

from . import queries, services
from .build import BuildError
from .checklist import CHECKLIST
from .forms import CommentForm, ReportCreateForm, SectionForm, SignOffForm
from .models import COMMENTERS, LEAD_PARTNER_LABELS, OUTPUT_FILES, READERS, Build, Report, ReportStatus, Section

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})


class ReportCrumbs:
    def reports_crumb(self):
        return ("Annual report", self.partnership_url("reports:list"))

    def report_crumb(self, report):
        return (f"{report.title} v{report.version}", report.get_absolute_url())


class ReportList(ReportCrumbs, ScopedListView):
    model = Report
    roles = READERS
    template_name = "reports/report_list.html"
    page_title = "Annual report"

    def get_queryset(self):
        return queries.with_section_counts(super().get_queryset())

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Annual report", None)]


class ReportCreate(ReportCrumbs, ScopedCreateView):
    model = Report
    roles = BUSINESS_UNIT
    form_class = ReportCreateForm
    page_title = "Start a report"
    success_message = "{object} started from the template."

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.reports_crumb(), ("Start a report", None)]

    def perform(self, form):
        return services.report_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class ReportDetail(ReportCrumbs, ScopedDetailView):
    """The editor: the sections, the checklist's gaps, review and sign-off, builds."""

    model = Report
    roles = READERS
    template_name = "reports/report_detail.html"

    def get_page_title(self):
        return f"{self.object.title}, version {self.object.version}"

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.reports_crumb(), (f"{self.object.title} v{self.object.version}", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        section_list = list(queries.sections(self.access, report))
        checklist = queries.checklist(section_list)
        context.update(
            sections=section_list,
            gaps=[row["item"] for row in checklist if not row["sections"]],
            checklist_count=len(CHECKLIST),
            sign_offs=report.sign_offs.select_related("person"),
            missing_sign_offs=services.missing_sign_offs(report),
            builds=queries.builds(self.access, report)[:5],
            latest_build=services.latest_good_build(report),
            missing_blocks=sum(len(names) for names in services.missing_template_blocks(report).values())
            if not report.is_frozen
            else 0,
            is_business_unit=self.access.has_role(Role.BUSINESS_UNIT),
            statuses=ReportStatus,
        )
        return context


class ReportChecklist(ReportCrumbs, ScopedDetailView):
    model = Report
    roles = READERS
    template_name = "reports/checklist.html"

    def get_page_title(self):
        return "Working Together 2023 checklist"

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.reports_crumb(), self.report_crumb(self.object), ("Checklist", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = queries.checklist(list(queries.sections(self.access, self.object)))
        context["gap_count"] = sum(1 for row in context["rows"] if not row["sections"])
        return context


class ReportAction(ScopedActionView):
    """A button on the report page: the service decides whether it may happen now."""

    model = Report
    roles = BUSINESS_UNIT
    service = None
    done = ""

    def post(self, request, *args, **kwargs):
        report = self.get_object()
        try:
            result = type(self).service(actor=request.user, report=report)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(report.get_absolute_url())
        if self.done_message(result):
            messages.success(request, self.done_message(result))
        return HttpResponseRedirect(self.redirect_to(result))

    def done_message(self, result) -> str:
        return self.done

    def redirect_to(self, result):
        return (
            result.get_absolute_url() if hasattr(result, "get_absolute_url") else self.get_object().get_absolute_url()
        )


class ReportSubmit(ReportAction):
    service = services.report_submit_for_review
    done = (
        "Sent for review: the scrutineer and group chairs can comment, and the lead safeguarding partners can sign off."
    )


class ReportReturnToDraft(ReportAction):
    service = services.report_return_to_draft
    done = "Back to draft. Any sign-offs were cleared: the changed report needs signing again."


class ReportPublish(ReportAction):
    service = services.report_publish
    done = "Published. This version is now frozen and public."


class ReportNewVersion(ReportAction):
    service = services.report_new_version
    done = "A new draft version, copied from the published one."


class ReportAddMissingBlocks(ReportAction):
    service = services.report_add_missing_blocks

    def redirect_to(self, result):
        messages.success(
            self.request,
            f"Added {result} new data block{'s' if result != 1 else ''} to the sections the template puts them in.",
        )
        return self.get_object().get_absolute_url()


class BuildCreate(ReportAction):
    service = services.build_request
    done = "Build started."

    def done_message(self, build) -> str:
        if getattr(build, "already_requested", False):
            return "This report is already being built: here is that build. It was not started again."
        return self.done


class SectionCreate(ReportCrumbs, ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """A new section in a report (the URL's record is the report)."""

    model = Report
    roles = BUSINESS_UNIT
    action = Action.CHANGE
    form_class = SectionForm
    template_name = "reports/section_form.html"
    page_title = "Add a section"
    success_message = "Section '{object}' added."

    def get_initial(self):
        last = self.get_object().sections.order_by("-order").first()
        return {"order": (last.order + 10) if last else 10}

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.reports_crumb(), self.report_crumb(self.get_object()), ("Add a section", None)]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **section_form_context(self)}

    def post(self, request, *args, **kwargs):
        return section_form_post(self, request) or super().post(request, *args, **kwargs)

    def perform(self, form):
        return services.section_create(actor=self.request.user, report=self.get_object(), **_section_fields(form))

    def check_still_in_scope(self, obj):
        pass  # the new section is checked through its report, which the view fetched for change

    def get_success_url(self):
        return self.object.get_absolute_url()


class SectionUpdate(ReportCrumbs, ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    model = Section
    roles = BUSINESS_UNIT
    action = Action.CHANGE
    form_class = SectionForm
    template_name = "reports/section_form.html"
    success_message = "Section '{object}' saved."

    def get_page_title(self):
        return f"Change section: {self.get_object().heading}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def get_breadcrumbs(self):
        section = self.get_object()
        return [
            self.home_crumb(),
            self.reports_crumb(),
            self.report_crumb(section.report),
            (section.heading, section.get_absolute_url()),
            ("Change", None),
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **section_form_context(self), "object": self.get_object()}

    def post(self, request, *args, **kwargs):
        return section_form_post(self, request) or super().post(request, *args, **kwargs)

    def perform(self, form):
        return services.section_update(actor=self.request.user, section=self.get_object(), **_section_fields(form))

    def get_success_url(self):
        return self.object.get_absolute_url()


def _section_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("heading", "order", "body", "covers")}


def section_form_context(view) -> dict:
    return {"available_blocks": sorted(registry().values(), key=lambda spec: spec.title.lower())}


def section_form_post(view, request):
    """'Insert block' and 'Preview' re-show the form with what was typed (nothing saved);
    'Save' falls through to the normal form handling."""
    if "insert" not in request.POST and "preview" not in request.POST:
        return None
    target = view.get_object()
    report = target if isinstance(target, Report) else target.report
    data = request.POST
    initial = {
        "heading": data.get("heading", ""),
        "order": data.get("order", ""),
        "body": data.get("body", ""),
        "covers": data.getlist("covers"),
    }
    if "insert" in data and data.get("insert_block") in registry():
        initial["body"] = f"{initial['body'].rstrip()}\n\n{{{{ block {data['insert_block']} }}}}\n".lstrip()
    kwargs = {k: v for k, v in view.get_form_kwargs().items() if k not in ("data", "files", "initial")}
    form = view.get_form_class()(initial=initial, **kwargs)
    context = view.get_context_data(form=form)
    context["unsaved"] = True
    if "preview" in data:
        draft = Section(report=report, heading=initial["heading"], body=initial["body"])
        try:
            draft.clean()
            context["preview"] = queries.rendered_sections(report, [draft], live=True)[0]
        except ValidationError as error:
            context["preview_error"] = " ".join(error.message_dict.get("body", error.messages))
        except BuildError as error:
            context["preview_error"] = str(error)
    return view.render_to_response(context)


class SectionDetail(ReportCrumbs, ScopedDetailView):
    """A section as the report will show it, with today's figures, and its comments."""

    model = Section
    roles = READERS
    template_name = "reports/section_detail.html"

    def get_page_title(self):
        return self.object.heading

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            self.reports_crumb(),
            self.report_crumb(self.object.report),
            (self.object.heading, None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object.report
        try:
            context["rendered"] = queries.rendered_sections(report, [self.object], live=not report.is_frozen)[0]
        except BuildError as error:
            context["block_error"] = str(error)
        context["comments"] = queries.comments(self.access, self.object)
        context["can_comment"] = self.access.has_role(*COMMENTERS) and not report.is_frozen
        context["comment_form"] = CommentForm()
        context["covers"] = [
            title for code, title in SectionForm.base_fields["covers"].choices if code in (self.object.covers or [])
        ]
        return context


class SectionDelete(ScopedActionView):
    model = Section

    def post(self, request, *args, **kwargs):
        section = self.get_object()
        report = section.report
        try:
            services.section_delete(actor=request.user, section=section)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(section.get_absolute_url())
        messages.success(request, f"Section '{section.heading}' removed.")
        return HttpResponseRedirect(report.get_absolute_url())


class CommentCreate(ReportCrumbs, ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """The scrutineer, a group chair or the business unit comments on a section."""

    model = Section
    roles = COMMENTERS
    form_class = CommentForm
    page_title = "Comment on this section"
    success_message = "Comment added."

    def get_breadcrumbs(self):
        section = self.get_object()
        return [
            self.home_crumb(),
            self.reports_crumb(),
            self.report_crumb(section.report),
            (section.heading, section.get_absolute_url()),
            ("Comment", None),
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.get_object()}

    def perform(self, form):
        return services.comment_add(actor=self.request.user, section=self.get_object(), body=form.cleaned_data["body"])

    def check_still_in_scope(self, obj):
        pass  # a comment is the commenter's own, on a section they can read

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#comments"


class SignOffCreate(ReportCrumbs, ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """The business unit records a lead safeguarding partner's sign-off."""

    model = Report
    roles = BUSINESS_UNIT
    action = Action.CHANGE
    form_class = SignOffForm
    page_title = "Record a sign-off"
    success_message = "Sign-off recorded."

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.reports_crumb(), self.report_crumb(self.get_object()), ("Sign-off", None)]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.get_object()}

    def perform(self, form):
        return services.sign_off_record(actor=self.request.user, report=self.get_object(), **form.cleaned_data)

    def check_still_in_scope(self, obj):
        pass

    def get_success_url(self):
        return self.get_object().get_absolute_url()


class BuildDetail(ReportCrumbs, ScopedDetailView):
    """A build's progress (polled by htmx while it runs), its error, its files and its figures."""

    model = Build
    roles = READERS
    template_name = "reports/build_detail.html"

    def get_page_title(self):
        return f"Build of {self.object.requested_at:%d %B %Y %H:%M}"

    def get_breadcrumbs(self):
        return [self.home_crumb(), self.reports_crumb(), self.report_crumb(self.object.report), ("Build", None)]

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["reports/_build_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["documents"] = _documents(
            self.object, lambda kind: self.partnership_url("reports:build-file", self.object.pk, kind)
        )
        context["built_blocks"] = [
            {
                "name": name,
                **data,
                "rows": len((data.get("table") or {}).get("rows") or []),
                "figure_rows": figure_rows(data.get("figures") or {}),
            }
            for name, data in self.object.blocks.items()
        ]
        return context


def figure_rows(figures: dict) -> list[tuple[str, object]]:
    """A block's figures by dotted name for the build page: a figure made of named parts (a
    count per agency) gives a row per part; anything deeper is shown as JSON."""
    rows = []
    for name, value in sorted(figures.items()):
        parts = value.items() if isinstance(value, dict) else [(None, value)]
        for key, item in parts:
            shown = (
                item if item is None or isinstance(item, (int, float, str)) else json.dumps(item, ensure_ascii=False)
            )
            rows.append((f"{name}[{key}]" if key is not None else name, shown))
    return rows


def _documents(build: Build, url) -> list[dict]:
    if build.status != "succeeded":
        return []
    return [{"kind": kind, "label": label, "url": url(kind)} for kind, (name, _, label) in OUTPUT_FILES.items()]


class BuildFile(FileDownload):
    """A build's PDF, Word or web page from the file store; figures.json from the build itself."""

    model = Build
    roles = READERS

    def get(self, request, *args, **kwargs):
        build, kind = self.get_record(), kwargs["document"]
        if kind not in OUTPUT_FILES or build is None or build.status != "succeeded":
            raise Http404("No such document.")
        if kind == "json":  # kept with the build itself: what the data was, even if files are cleared
            response = JsonResponse(build.figures, json_dumps_params={"indent": 2, "ensure_ascii": False})
            response["Content-Disposition"] = f'attachment; filename="{self.filename(build, "")}"'
            return response
        return super().get(request, *args, **kwargs)

    def stored_name(self, record) -> str:
        return record.output_name(self.kwargs["document"])

    def filename(self, record, name) -> str:
        report = record.report
        file_name = OUTPUT_FILES[self.kwargs["document"]][0]
        return f"{report.partnership.slug}-annual-report-{report.year}-v{report.version}-{file_name}"

    def content_type(self, record, name) -> str:
        return OUTPUT_FILES[self.kwargs["document"]][1]


# The public report ------------------------------------------------------------------------


class PublicReportList(PartnershipPage):
    roles = PUBLIC
    template_name = "reports/public_list.html"

    def get_page_title(self):
        return "Annual reports"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest: dict[str, Report] = {}
        for report in (
            Report.objects.restrict(Access.public(self.partnership))
            .filter(status=ReportStatus.PUBLISHED)
            .order_by("-year", "-version")
        ):
            latest.setdefault(report.year, report)
        context["reports"] = list(latest.values())
        return context


class PublicReportMixin:
    roles = PUBLIC

    def get_report(self) -> Report:
        report = queries.published_report(self.partnership, self.kwargs["report_year"])
        if report is None:
            raise Http404("No published report for that year.")
        return report


class PublicReport(PublicReportMixin, PartnershipPage):
    """The published report as a public web page: its frozen sections and figures."""

    template_name = "reports/public_report.html"

    def get_page_title(self):
        return self.get_report().title

    def get_breadcrumbs(self):
        return [("Annual reports", self.partnership_url("reports:public-list")), (self.get_report().title, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.get_report()
        context["report"] = report
        context["rendered"] = queries.rendered_sections(report, list(report.sections.all()), live=False)
        context["documents"] = _documents(
            report.published_build, lambda kind: self.partnership_url("reports:public-file", report.year, kind)
        )
        context["sign_offs"] = [
            (LEAD_PARTNER_LABELS.get(s.lead_partner, s.lead_partner), s)
            for s in report.sign_offs.select_related("person", "person__agency")
        ]
        return context


class PublicReportFile(PublicReportMixin, BuildFile):
    def get_record(self):
        return self.get_report().published_build
