"""Training pages: declarations over jigsaw.core.generic; writes go through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import generic

from jigsaw.core import files as file_store
from jigsaw.core import throttles, uploads
from jigsaw.core.figures import build_named, registry
from jigsaw.core.files import FileDownload
from jigsaw.core.generic import (
    PUBLIC,
    PartnershipMixin,
    PartnershipPage,
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
)
from jigsaw.core.links import SignedLinkMixin
from jigsaw.core.periods import FinancialYear, YearChoice, choose_year, years_between
from jigsaw.core.scoping import PARTNERS, Access, Action, Role

from . import bookings, forms, queries, services
from .exports import csv_response
from .figures import ANALYSIS_BLOCKS, chart_for
from .imports import completions_check_and_keep, completions_import, fail_stopped_imports, still_to_add
from .models import (
    Booking,
    BookingStatus,
    Completion,
    Course,
    Event,
    ImpactFollowUp,
    ImportBatch,
    ImportOutcome,
    OrganisationAlias,
    TrainingObservation,
)

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})


class _TrainingMixin:
    def training_crumbs(self, *more):
        return [self.home_crumb(), ("Training", self.partnership_url("training:home")), *more]


def _year_choice(request, partnership) -> YearChoice:
    """The year asked for (?year=2024-25), else the latest year with completions (core's one rule)."""
    # The first and the last day, each read from the end of the (partnership, completed_on) index:
    # MIN and MAX in one query scanned every completion.
    days = Completion.objects.filter(partnership=partnership).values_list("completed_on", flat=True)
    first, last = days.order_by("completed_on").first(), days.order_by("-completed_on").first()
    return choose_year(request, partnership, years_between(first, last, partnership.financial_year_start_month))


def _report_year(partnership) -> FinancialYear:
    return _year_choice(None, partnership).year


def _year(request, partnership) -> FinancialYear:
    return _year_choice(request, partnership).year


class TrainingHome(_TrainingMixin, PartnershipPage):
    template_name = "training/home.html"
    page_title = "Training"

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Training", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _report_year(self.partnership)
        blocks = registry()
        context["year"] = year
        context["overview"] = blocks["training.completions.by_mode"].build(self.partnership, year)
        context["upcoming"] = queries.upcoming_events(self.access)[:5]
        context["is_business_unit"] = self.access.has_role(Role.BUSINESS_UNIT)
        context["sees_completions"] = self.access.can(Action.VIEW, Completion)
        context["sees_observations"] = self.access.can(Action.VIEW, TrainingObservation)
        return context


class Analysis(_TrainingMixin, PartnershipPage):
    """The report's training section: every table, with charts and downloads."""

    roles = PARTNERS  # with income and analysis by organisation: the partners' (docs/access.md)

    template_name = "training/analysis.html"
    page_title = "Training analysis"

    def get_breadcrumbs(self):
        return self.training_crumbs(("Analysis", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year_choice = _year_choice(self.request, self.partnership)
        year = year_choice.year
        blocks = build_named(ANALYSIS_BLOCKS, self.partnership, year)
        built = [{"name": name, "block": blocks[name], "chart": chart_for(blocks[name])} for name in ANALYSIS_BLOCKS]
        context.update(year=year, blocks=built, year_choice=year_choice)
        return context


class BlockExport(PartnershipPage):
    """One analysis table as CSV."""

    def get(self, request, *args, **kwargs):
        name = kwargs["block"]
        if name not in ANALYSIS_BLOCKS:
            raise Http404("No such table.")
        year = _year(request, self.partnership)
        result = registry()[name].build(self.partnership, year)
        rows = list(result.table.rows) + ([result.table.footer] if result.table.footer else [])
        return csv_response(f"{name.replace('.', '-')}-{year.label}.csv", result.table.columns, rows)


# Courses and events ---------------------------------------------------------------------


class CourseList(_TrainingMixin, ScopedListView):
    model = Course
    template_name = "training/course_list.html"
    page_title = "Courses"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            # As a list on each course: a row asking course.themes.all() builds a manager and a
            # queryset to read what is already fetched.
            .prefetch_related(Prefetch("themes", to_attr="theme_list"))
            # A count per course on the page, through the completions' course index: a join and
            # GROUP BY over every completion cost the page (and its paginator's count) ~10 ms.
            .annotate(
                completion_count=Coalesce(
                    Subquery(
                        Completion._base_manager.filter(course=OuterRef("pk"))
                        .order_by()
                        .values("course")
                        .annotate(n=Count("pk"))
                        .values("n")
                    ),
                    0,
                )
            )
            .order_by("title")
        )

    def get_breadcrumbs(self):
        return self.training_crumbs(("Courses", None))


class CourseDetail(_TrainingMixin, ScopedDetailView):
    model = Course
    template_name = "training/course_detail.html"

    def get_breadcrumbs(self):
        return self.training_crumbs(("Courses", self.partnership_url("training:courses")), (str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = queries.course_events(self.access, self.object)[:20]
        context["observations"] = queries.course_observations(self.access, self.object)
        return context


class _CourseFormMixin:
    model = Course
    form_class = forms.CourseForm


class CourseCreate(_TrainingMixin, _CourseFormMixin, ScopedCreateView):
    """Add a course; from an import's unknown courses (`?title=&runs_from=&batch=`) it is filled
    in from the file and goes back to the import."""

    page_title = "Add a course"
    success_message = "{object} added."

    def get_initial(self):
        initial = super().get_initial()
        for name in ("title", "runs_from"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def get_breadcrumbs(self):
        return self.training_crumbs(("Courses", self.partnership_url("training:courses")), ("Add", None))

    def perform(self, form):
        return services.course_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        back = self.request.GET.get("batch", "")
        if back.isdigit():
            return self.partnership_url("training:import", int(back))
        return super().get_success_url()


class CourseUpdate(_TrainingMixin, _CourseFormMixin, ScopedUpdateView):
    page_title = "Change course"
    success_message = "{object} saved."

    def perform(self, form):
        return services.course_update(actor=self.request.user, course=self.object, **form.cleaned_data)


class EventList(_TrainingMixin, ScopedListView):
    model = Event
    template_name = "training/event_list.html"
    page_title = "Events"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("course", "programme")
            .annotate(booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
            .order_by("-starts_at")
        )

    def get_breadcrumbs(self):
        return self.training_crumbs(("Events", None))


class EventDetail(_TrainingMixin, ScopedDetailView):
    model = Event
    template_name = "training/event_detail.html"

    def get_breadcrumbs(self):
        return self.training_crumbs(("Events", self.partnership_url("training:events")), (str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bookings = queries.event_bookings(self.access, self.object)
        booked = [b for b in bookings if b.status == BookingStatus.BOOKED]
        context.update(
            bookings=bookings,
            booked=len(booked),
            attended=sum(1 for b in booked if b.attendance == "attended"),
            no_shows=sum(1 for b in booked if b.attendance == "no_show"),
            late_cancellations=sum(1 for b in bookings if b.late_cancellation),
            income=sum((b.charges for b in bookings), start=0),
            public_url=self.partnership_url("training:book", self.object.pk),
        )
        return context


class EventCreate(_TrainingMixin, ScopedCreateView):
    model = Event
    form_class = forms.EventForm
    page_title = "Add an event"
    success_message = "{object} added."

    def get_breadcrumbs(self):
        return self.training_crumbs(("Events", self.partnership_url("training:events")), ("Add", None))

    def perform(self, form):
        return services.event_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class MarkAttendance(ScopedActionView):
    """The trainer's register: attended or did not attend, one person at a time."""

    model = Booking

    def post(self, request, *args, **kwargs):
        booking = self.get_object()
        try:
            services.booking_mark_attendance(
                actor=request.user, booking=booking, attendance=request.POST.get("attendance", "")
            )
            messages.success(request, f"{booking.name}: {booking.get_attendance_display().lower()}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(booking.event.get_absolute_url())


# Completions, imports, organisation names -------------------------------------------------


class CompletionList(_TrainingMixin, ScopedListView):
    """Completion records: the business unit sees all, an agency lead their agency's learners."""

    model = Completion
    template_name = "training/completion_list.html"
    page_title = "Course completions"
    roles = frozenset({Role.BUSINESS_UNIT, Role.AGENCY_LEAD, Role.PRACTITIONER})

    def get_queryset(self):
        return super().get_queryset().select_related("learner", "course", "category")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "can_export": self.access.has_role(*CompletionExport.roles)}

    def get_breadcrumbs(self):
        return self.training_crumbs(("Completions", None))


class CompletionExport(PartnershipPage):
    roles = frozenset({Role.BUSINESS_UNIT, Role.AGENCY_LEAD})

    def get(self, request, *args, **kwargs):
        rows = queries.completions_export_rows(self.access)
        return csv_response(
            "completions.csv",
            ["Learner", "Email", "Organisation", "Category", "Course", "Mode", "Completion date"],
            rows.iterator(),
        )


class ImportList(_TrainingMixin, ScopedListView):
    model = ImportBatch
    roles = BUSINESS_UNIT
    template_name = "training/import_list.html"
    page_title = "Completions imports"

    def get_breadcrumbs(self):
        return self.training_crumbs(("Imports", None))


class ImportCreate(_TrainingMixin, ScopedCreateView):
    """Upload an export: it is checked and previewed; nothing is imported until confirmed."""

    model = ImportBatch
    roles = BUSINESS_UNIT
    form_class = forms.ImportForm
    page_title = "Import completions"

    def get_breadcrumbs(self):
        return self.training_crumbs(("Imports", self.partnership_url("training:imports")), ("Upload", None))

    def perform(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read(uploads.COMPLETIONS_TABLE.max_bytes + 1)  # the import refuses anything longer
        result = completions_check_and_keep(
            actor=self.request.user, partnership=self.partnership, file_name=upload.name, content=content
        )
        return result.batch


class ImportDetail(_TrainingMixin, ScopedDetailView):
    model = ImportBatch
    roles = BUSINESS_UNIT
    template_name = "training/import_detail.html"

    def get_page_title(self):
        return f"Import of {self.object.file_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        if batch.outcome == ImportOutcome.REJECTED:
            # What is still to do now, not when the file was checked: names mapped and courses
            # added since drop off the lists.
            context.update(still_to_add(self.partnership, batch))
        else:
            context.update(unmapped=[], unknown_courses=[], added_since=0)
        return context

    def get_breadcrumbs(self):
        return self.training_crumbs(
            ("Imports", self.partnership_url("training:imports")), (self.object.file_name, None)
        )


class ImportProgress(ImportDetail):
    """The progress panel alone, which the batch page polls with htmx while importing."""

    template_name = "training/_import_progress.html"


class ImportConfirm(ScopedActionView):
    model = ImportBatch

    def post(self, request, *args, **kwargs):
        from .tasks import import_completions

        fail_stopped_imports(self.partnership)
        batch = self.get_object()
        # A checked file, or one whose import stopped (nothing of it was saved), can be imported.
        if batch.outcome in (ImportOutcome.QUEUED, ImportOutcome.RUNNING):
            return HttpResponseRedirect(batch.get_absolute_url())  # a second click: the import already asked for
        # The outcome is changed only if it is still importable, so two clicks at once queue one import;
        # progress_at is when it was queued, for the page to say when no task worker has taken it.
        queued = ImportBatch.objects.filter(
            pk=batch.pk, outcome__in=(ImportOutcome.CHECKED, ImportOutcome.FAILED)
        ).exclude(stored_as="")
        if not queued.update(outcome=ImportOutcome.QUEUED, progress_at=timezone.now()):
            messages.error(request, "This file cannot be imported: upload it again to check it.")
            return HttpResponseRedirect(batch.get_absolute_url())
        import_completions.enqueue(batch.pk, request.user.pk)
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportCheckAgain(ScopedActionView):
    """Check a file again once its organisation names are mapped and its courses added."""

    model = ImportBatch

    def post(self, request, *args, **kwargs):
        batch = self.get_object()
        if batch.outcome != ImportOutcome.REJECTED or not batch.stored_as:
            messages.error(request, "This file cannot be checked again: upload it again.")
            return HttpResponseRedirect(batch.get_absolute_url())
        try:
            content = file_store.read(batch.stored_as)
            completions_import(
                actor=request.user,
                partnership=self.partnership,
                file_name=batch.file_name,
                content=content,
                commit=False,
                batch=batch,
            )
        except file_store.Unavailable:
            messages.error(request, "The stored file is unavailable just now: Jigsaw's file store is not answering.")
        except (ValidationError, OSError):
            messages.error(request, "The stored file could not be read again: upload it again.")
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportFile(FileDownload):
    """The uploaded export itself, while it is kept (until imported); it names learners, so each
    download is audited."""

    model = ImportBatch
    roles = BUSINESS_UNIT
    personal = True

    def stored_name(self, record) -> str:
        return record.stored_as

    def filename(self, record, name) -> str:
        return record.file_name


class AliasList(_TrainingMixin, ScopedListView):
    model = OrganisationAlias
    template_name = "training/alias_list.html"
    page_title = "Organisation names"

    def get_queryset(self):
        return super().get_queryset().select_related("category", "agency")

    def get_breadcrumbs(self):
        return self.training_crumbs(("Organisation names", None))


class AliasCreate(_TrainingMixin, ScopedCreateView):
    model = OrganisationAlias
    form_class = forms.AliasForm
    page_title = "Map an organisation name to a category"

    def get_initial(self):
        return {"name": self.request.GET.get("name", "")}

    def get_breadcrumbs(self):
        return self.training_crumbs(("Organisation names", self.partnership_url("training:aliases")), ("Add", None))

    def perform(self, form):
        return services.organisation_alias_create(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data
        )

    def get_success_url(self):
        messages.success(self.request, f"'{self.object.name}' now counts as {self.object.category}.")
        back = self.request.GET.get("batch", "")
        if back.isdigit():
            return self.partnership_url("training:import", int(back))
        return self.partnership_url("training:aliases")


class AliasUpdate(_TrainingMixin, ScopedUpdateView):
    model = OrganisationAlias
    form_class = forms.AliasForm
    page_title = "Change an organisation name's category"

    def perform(self, form):
        return services.organisation_alias_update(actor=self.request.user, alias=self.object, **form.cleaned_data)

    def get_success_url(self):
        return self.partnership_url("training:aliases")


class PolicyUpdate(_TrainingMixin, ServiceFormMixin, PartnershipMixin, generic.FormView):
    roles = BUSINESS_UNIT
    form_class = forms.PolicyForm
    page_title = "Charging policy"
    success_message = "Training policy saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": services.training_policy(self.partnership)}

    def get_breadcrumbs(self):
        return self.training_crumbs(("Policy", None))

    def perform(self, form):
        return services.training_policy_update(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data
        )

    def get_success_url(self):
        return self.partnership_url("training:policy")


class ObservationList(_TrainingMixin, ScopedListView):
    model = TrainingObservation
    template_name = "training/observation_list.html"
    page_title = "Training observations"

    def get_queryset(self):
        return super().get_queryset().select_related("course", "observer")

    def get_breadcrumbs(self):
        return self.training_crumbs(("Observations", None))


class ObservationCreate(_TrainingMixin, ScopedCreateView):
    model = TrainingObservation
    form_class = forms.ObservationForm
    page_title = "Record a training observation"
    success_message = "Observation recorded."

    def get_initial(self):
        person = getattr(self.request.user, "person", None)
        return {"observer": person.pk if person else None}

    def perform(self, form):
        return services.observation_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        return self.partnership_url("training:observations")


# Public pages: the calendar, booking, cancelling, evaluating, the impact follow-up ----------


class _PublicMixin:
    roles = PUBLIC

    @property
    def public(self) -> Access:
        # Public pages read as the public, whoever is signed in: only published events.
        return Access.public(self.partnership)


class Calendar(_PublicMixin, PartnershipPage):
    template_name = "training/calendar.html"
    page_title = "Training calendar"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = list(queries.upcoming_events(self.public))
        for event in events:
            event.places_left = max(event.capacity - event.booked, 0)
        context["events"] = events
        return context


class BookEvent(_PublicMixin, ServiceFormMixin, PartnershipMixin, generic.FormView):
    template_name = "training/book.html"
    form_class = forms.BookingForm
    model = Event

    def get_event(self):
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(
                Event.objects.restrict(self.public).select_related("course"), pk=self.kwargs["pk"]
            )
        return self._event

    def get_page_title(self):
        return f"Book a place: {self.get_event().course.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.get_event()
        context["event"] = event
        context["full"] = queries.event_is_full(event)
        context["started"] = event.starts_at <= timezone.now()
        context["policy"] = services.training_policy(self.partnership)
        form = context.get("form")
        context["already_booked"] = form is not None and form.has_error("email", "already_booked")
        return context

    def check_still_in_scope(self, obj):
        return None  # the public may not read bookings back; the code in the link is theirs

    def form_valid(self, form):
        if throttles.BOOKINGS.hit(throttles.client(self.request)):
            return throttles.BOOKINGS.response(self.request)
        return super().form_valid(form)

    def perform(self, form):
        details = {name: value for name, value in form.cleaned_data.items() if name != "accept_terms"}
        return services.booking_create(partnership=self.partnership, event=self.get_event(), **details)

    def get_success_url(self):
        return self.partnership_url("training:booking-confirmed", self.object.code)


class _BookingLink(SignedLinkMixin):
    link = bookings.BOOKING_LINK
    link_kwarg = "booking_code"
    link_records = Booking._base_manager.select_related("event__course")

    def get_context_data(self, **kwargs):
        # The page's own links carry the token it was opened with: a signed link stays signed.
        return {**super().get_context_data(**kwargs), "booking": self.linked(), "token": self.kwargs["booking_code"]}


class BookingConfirmed(_BookingLink, _PublicMixin, PartnershipPage):
    """The page after booking: what was booked, what it commits you to, where the email went."""

    template_name = "training/booking_confirmed.html"

    def get_page_title(self):
        return "Booking confirmed" if self.linked().status == BookingStatus.BOOKED else "You are on the waiting list"

    def get_context_data(self, **kwargs):
        booking = self.linked()
        return {
            **super().get_context_data(**kwargs),
            "policy": services.training_policy(self.partnership),
            "reminders": bookings.reminders_to_come(booking) if booking.status == BookingStatus.BOOKED else [],
        }


class BookingLinks(_PublicMixin, ServiceFormMixin, PartnershipMixin, generic.FormView):
    """Email me my booking links again. The same answer whether or not the address has booked:
    the page never tells anyone who is booked on what."""

    template_name = "training/booking_links.html"
    form_class = forms.BookingLinksForm
    page_title = "Get your booking links again"

    def check_still_in_scope(self, obj):
        return None

    def perform(self, form):
        bookings.booking_links_send(partnership=self.partnership, email=form.cleaned_data["email"])
        return None

    def get_success_url(self):
        messages.success(
            self.request,
            "If that email address has a booking with us for training still to come, we have sent the links to it. "
            "Check your inbox (and junk folder) in the next few minutes.",
        )
        return self.partnership_url("training:booking-links")


class ManageBooking(_BookingLink, _PublicMixin, ServiceFormMixin, PartnershipMixin, generic.FormView):
    """Reached from the link in the confirmation email: see the booking, cancel it, evaluate."""

    template_name = "training/booking.html"
    form_class = forms.CancelForm
    page_title = "Your booking"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = context["booking"]
        context.update(
            can_cancel=booking.status != BookingStatus.CANCELLED and booking.event.starts_at > timezone.now(),
            can_evaluate=booking.attendance == "attended" and not queries.booking_evaluated(booking),
            policy=services.training_policy(self.partnership),
        )
        return context

    def check_still_in_scope(self, obj):
        return None

    def perform(self, form):
        return services.booking_cancel(booking=self.linked())

    def get_success_url(self):
        messages.success(
            self.request,
            "Your place has been cancelled."
            + (
                " As this was within the notice period, the non-attendance charge applies."
                if self.object.late_cancellation
                else ""
            ),
        )
        return self.partnership_url("training:booking", self.kwargs["booking_code"])


class Evaluate(_BookingLink, _PublicMixin, ServiceFormMixin, PartnershipMixin, generic.FormView):
    template_name = "training/evaluate.html"
    form_class = forms.EvaluationForm
    page_title = "Evaluate your training"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = context["booking"]
        context.update(is_open=booking.attendance == "attended", done=queries.booking_evaluated(booking))
        return context

    def check_still_in_scope(self, obj):
        return None

    def perform(self, form):
        return services.evaluation_submit(partnership=self.partnership, booking=self.linked(), **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Thank you for your evaluation.")
        return self.partnership_url("training:calendar")


class FollowUpAnswer(SignedLinkMixin, _PublicMixin, ServiceFormMixin, PartnershipMixin, generic.FormView):
    template_name = "training/follow_up.html"
    form_class = forms.FollowUpForm
    page_title = "How has the training changed your practice?"
    link = services.FOLLOW_UP_LINK
    link_kwarg = "follow_up_code"
    link_records = ImpactFollowUp._base_manager.select_related("completion__course")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "follow_up": self.linked()}

    def check_still_in_scope(self, obj):
        return None

    def perform(self, form):
        return services.impact_follow_up_answer(follow_up=self.linked(), **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Thank you: your answer helps the partnership see what training changes.")
        return self.partnership_url("training:calendar")
