"""Assurance pages: declarations over jigsaw.core.generic; every write goes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import generic

from jigsaw.core.files import FileDownload
from jigsaw.core.generic import (
    ChildFormView,
    PartnershipPage,
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ScopedUpdateView,
    ServiceFormMixin,
)
from jigsaw.core.scoping import PARTNERS, Access, Action, Role, permits

from . import forms, queries, services
from .models import (
    Answer,
    AssurancePresentation,
    AssuranceWeek,
    Audit,
    CctvReview,
    CctvSample,
    FollowUpSession,
    Framework,
    JtaiEvaluation,
    JtaiTheme,
    Judgement,
    ObservedMeeting,
    Question,
    RestraintImport,
    RestraintIncident,
    Return,
    ReturnShare,
    Round,
    ScrutinyActivity,
    Section,
    SiteVisit,
)

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})


class AssuranceMixin:
    section_crumb = ("Assurance", "assurance:home")


# --- Landing page ---------------------------------------------------------------------------------


class Home(AssuranceMixin, PartnershipPage):
    template_name = "assurance/home.html"
    page_title = "Assurance"

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Assurance", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = self.access
        context["my_returns"] = (
            queries.returns_for(access).exclude(status="submitted")
            if access.has_role(Role.AGENCY_LEAD, Role.PRACTITIONER)
            else []
        )
        context["rounds"] = Round.objects.restrict(access)[:5]
        context["weeks"] = AssuranceWeek.objects.restrict(access)[:5]
        context["sees_restraint"] = access.can(Action.VIEW, RestraintIncident)
        context["sees_frameworks"] = access.has_role(Role.BUSINESS_UNIT, Role.SCRUTINEER)
        return context


# --- Frameworks -----------------------------------------------------------------------------------


class FrameworkList(AssuranceMixin, ScopedListView):
    model = Framework
    template_name = "assurance/framework_list.html"
    page_title = "Self-assessment tools"


class FrameworkDetail(AssuranceMixin, ScopedDetailView):
    model = Framework
    template_name = "assurance/framework_detail.html"
    trail = (("Self-assessment tools", "assurance:frameworks"),)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = (
            Section.objects.restrict(self.access).filter(framework=self.object).prefetch_related("questions")
        )
        context["in_use"] = services.framework_in_use(self.object)
        context["newer"] = Framework.objects.restrict(self.access).filter(previous=self.object).first()
        return context


class FrameworkCreate(AssuranceMixin, ScopedCreateView):
    model = Framework
    form_class = forms.FrameworkForm
    page_title = "Add a self-assessment tool"
    trail = (("Self-assessment tools", "assurance:frameworks"),)

    def perform(self, form):
        return services.framework_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class FrameworkUpdate(AssuranceMixin, ScopedUpdateView):
    model = Framework
    form_class = forms.FrameworkForm
    page_title = "Change self-assessment tool"
    success_message = "Saved. If returns used the old version, this is now a new version."
    trail = (("Self-assessment tools", "assurance:frameworks"),)

    def perform(self, form):
        return services.framework_update(actor=self.request.user, framework=self.object, **form.cleaned_data)


class FrameworkMapping(AssuranceMixin, ChildFormView):
    """Map each question of a version of the tool to the previous version's (the business unit), so
    partnerships on the two versions can share returns and a new round carries answers across."""

    model = Framework
    form_class = forms.MappingForm
    template_name = "assurance/framework_mapping.html"
    page_title = "Map questions to the previous version"
    trail = (("Self-assessment tools", "assurance:frameworks"),)
    success_message = "Questions mapped: returns answered against either version can be shared between them."

    def get_form_kwargs(self):
        framework = self.parent
        questions = list(
            Question.objects.restrict(self.access).filter(section__framework=framework).select_related("section")
        )
        previous = (
            list(
                Question.objects.restrict(self.access)
                .filter(section__framework=framework.previous_id)
                .select_related("section")
            )
            if framework.previous_id
            else []
        )
        if framework.mapped_at:
            suggested = {q.pk: next((p for p in previous if p.pk == q.equivalent_id), None) for q in questions}
        elif framework.previous_id:
            # Not mapped yet: a question whose wording is unchanged in the same place is offered as itself.
            by_previous = services.question_map(framework.previous, framework, same_lineage=True)
            suggested = {ours.pk: next(p for p in previous if p.pk == theirs) for theirs, ours in by_previous.items()}
        else:
            suggested = {}
        return {
            **super().get_form_kwargs(),
            "questions": questions,
            "previous_questions": previous,
            "previous_version": framework.previous.version if framework.previous_id else 0,
            "suggested": suggested,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous"] = self.parent.previous
        return context

    def perform(self, form):
        return services.framework_map_previous(
            actor=self.request.user, framework=self.parent, equivalents=form.equivalents()
        )


class SectionCreate(AssuranceMixin, ChildFormView):
    model = Framework
    form_class = forms.SectionForm
    page_title = "Add a section"
    trail = (("Self-assessment tools", "assurance:frameworks"),)

    def perform(self, form):
        self.created = services.section_add(actor=self.request.user, framework=self.parent, **form.cleaned_data)
        return self.created

    def get_success_url(self):
        return self.created.framework.get_absolute_url()


class QuestionCreate(AssuranceMixin, ChildFormView):
    model = Section
    form_class = forms.QuestionForm
    page_title = "Add a question"
    trail = (("Self-assessment tools", "assurance:frameworks"),)

    def perform(self, form):
        self.created = services.question_add(actor=self.request.user, section=self.parent, **form.cleaned_data)
        return self.created

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        # A section has no page of its own: its questions are shown on its framework's page.
        framework = self.parent.framework
        return self.crumbs((str(framework), framework.get_absolute_url()), (self.page_title, None))

    def get_success_url(self):
        return self.created.section.framework.get_absolute_url()


class QuestionUpdate(AssuranceMixin, ScopedUpdateView):
    model = Question
    form_class = forms.QuestionForm
    page_title = "Change question"
    trail = (("Self-assessment tools", "assurance:frameworks"),)

    def perform(self, form):
        return services.question_update(actor=self.request.user, question=self.object, **form.cleaned_data)

    def check_still_in_scope(self, obj):
        pass  # the saved question may be a copy in the new version; the business unit changes all

    def get_success_url(self):
        return self.object.section.framework.get_absolute_url()


# --- Rounds and returns ---------------------------------------------------------------------------


class RoundList(AssuranceMixin, ScopedListView):
    model = Round
    template_name = "assurance/round_list.html"
    page_title = "Organisational safeguarding assessment"

    def get_queryset(self):
        return super().get_queryset().select_related("framework")


class RoundDetail(AssuranceMixin, ScopedDetailView):
    model = Round
    template_name = "assurance/round_detail.html"
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(queries.round_results(self.object, self.access))
        # Sections down the side (their titles are long) and agencies across, as the
        # green-by-section table above it reads.
        agencies = [agency for agency, _ in context["by_agency"]]
        context["agency_columns"] = agencies
        context["by_section"] = [
            (title, [cells[index] for _, cells in context["by_agency"]])
            for index, title in enumerate(context["agency_sections"])
        ]
        context["returns"] = queries.returns_for(self.access).filter(round=self.object)
        context["sessions"] = FollowUpSession.objects.restrict(self.access).filter(round=self.object)
        return context


class RoundCreate(AssuranceMixin, ScopedCreateView):
    model = Round
    form_class = forms.RoundForm
    page_title = "Start a round"
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def perform(self, form):
        return services.round_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class RoundInvite(AssuranceMixin, ChildFormView):
    model = Round
    form_class = forms.InviteForm
    page_title = "Invite a participant"
    success_message = "Invited."
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def perform(self, form):
        return services.participant_invite(actor=self.request.user, round=self.parent, **form.cleaned_data)


class RoundSessionCreate(AssuranceMixin, ChildFormView):
    model = Round
    form_class = forms.SessionForm
    page_title = "Add a follow-up session or event"
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def perform(self, form):
        return services.session_create(actor=self.request.user, round=self.parent, **form.cleaned_data)


class SessionUpdate(AssuranceMixin, ScopedUpdateView):
    model = FollowUpSession
    form_class = forms.SessionForm
    page_title = "Record the session"
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def perform(self, form):
        return services.session_update(actor=self.request.user, session=self.object, **form.cleaned_data)

    def get_success_url(self):
        return self.object.round.get_absolute_url()


class RoundActionRaise(AssuranceMixin, ChildFormView):
    model = Round
    form_class = forms.ActionForm
    page_title = "Add an improvement plan action"
    success_message = "Action {object} added to the learning log."
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def perform(self, form):
        return services.improvement_action_raise(actor=self.request.user, source=self.parent, **form.cleaned_data)


class ReturnDetail(AssuranceMixin, ScopedDetailView):
    """The return's task list: its sections with their status, then check your answers and submit."""

    model = Return
    template_name = "assurance/return_detail.html"
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def get_page_title(self):
        return f"Return: {self.object.service}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = queries.return_progress(self.object, self.access)
        context["progress"] = progress
        context["completed"] = sum(1 for item in progress if item.status == "completed")
        context["rated"] = sum(item.rated for item in progress)
        context["question_count"] = sum(item.questions for item in progress)
        context["received"] = received = queries.received_share(self.object)
        context["can_reopen"] = (
            self.object.is_submitted and self.access.has_role(Role.BUSINESS_UNIT) and received is None
        )
        context["shares"] = queries.shares_of(self.object, self.access)
        context["can_share"] = (
            received is None
            and self.object.is_submitted
            and _may_share(self.access, self.object)
            and queries.served_partnerships(self.object).exists()
        )
        return context


def _may_share(access, assessment_return) -> bool:
    """Who shares is who answers: the business unit, or the return's agency's lead (the share's
    scope rule, asked of the share this would be)."""
    return access.has_role(Role.BUSINESS_UNIT) or assessment_return.agency_id in access.agency_ids


class ReturnShareCreate(AssuranceMixin, ChildFormView):
    """Share a submitted return with another partnership the organisation serves."""

    model = Return
    action = Action.VIEW  # the return is submitted (closed to changes); sharing adds a share, not an answer
    roles = frozenset({Role.BUSINESS_UNIT, Role.AGENCY_LEAD})
    form_class = forms.ShareForm
    page_title = "Share this return"
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["served"] = queries.served_partnerships(self.parent)
        return kwargs

    def get(self, request, *args, **kwargs):
        self._check()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check()
        return super().post(request, *args, **kwargs)

    def _check(self):
        if not _may_share(self.access, self.parent):
            raise PermissionDenied("Only the agency's lead or the business unit shares its return.")

    def perform(self, form):
        partnership = queries.served_partnerships(self.parent).get(slug=form.cleaned_data["partnership"])
        share = services.return_share(actor=self.request.user, assessment_return=self.parent, partnership=partnership)
        self.success_message = f"Shared with {partnership}: its return for your organisation now holds these answers."
        return share

    def check_still_in_scope(self, obj) -> None:
        if not permits(self.access, Action.CHANGE, obj):
            raise ValidationError("Your role does not let you share this return.")


class ReturnShareWithdraw(ScopedActionView):
    model = ReturnShare

    def post(self, request, *args, **kwargs):
        share = self.get_object()
        try:
            services.return_share_withdraw(actor=request.user, share=share)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Share with {share.target.partnership} withdrawn.")
        return HttpResponseRedirect(share.source.get_absolute_url())


class ReturnSection(AssuranceMixin, ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """One section of the return, one page: 'Save and continue' needs every question of the
    section rated; 'Save and come back later' keeps what is rated."""

    model = Return
    action = Action.CHANGE
    form_class = forms.ReturnSectionForm
    template_name = "assurance/return_section.html"
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    @cached_property
    def section(self):
        sections = Section.objects.restrict(self.access).filter(framework_id=self.get_object().round.framework_id)
        return get_object_or_404(sections, number=self.kwargs["section_number"])

    @cached_property
    def sections(self) -> list[Section]:
        return list(
            Section.objects.restrict(self.access).filter(framework_id=self.section.framework_id).order_by("number")
        )

    def get_page_title(self):
        return self.section.title

    def get_breadcrumbs(self):
        assessment_return = self.get_object()
        return self.crumbs(
            (assessment_return.service, assessment_return.get_absolute_url()), (self.get_page_title(), None)
        )

    def get_form_kwargs(self):
        questions = list(
            Question.objects.restrict(self.access)
            .filter(section=self.section)
            .select_related("section")
            .order_by("number")
        )
        partial = self.request.method == "POST" and "later" in self.request.POST
        return {
            **super().get_form_kwargs(),
            "assessment_return": self.get_object(),
            "questions": questions,
            "partial": partial,
        }

    def get_context_data(self, **kwargs):
        position = [s.pk for s in self.sections].index(self.section.pk) + 1
        return {
            **super().get_context_data(**kwargs),
            "object": self.get_object(),
            "section": self.section,
            "position": position,
            "section_count": len(self.sections),
        }

    def perform(self, form):
        return services.return_save_answers(
            actor=self.request.user, assessment_return=self.get_object(), answers=form.answers()
        )

    def get_success_url(self):
        assessment_return = self.object
        if "later" in self.request.POST:
            messages.success(
                self.request,
                f"{self.section.title}: saved. Only you, your agency lead and the business unit can see this return until it is submitted.",
            )
            return assessment_return.get_absolute_url()
        # Continue with the next section still to do, then check the answers.
        unfinished = [
            item.section
            for item in queries.return_progress(assessment_return, self.access)
            if item.status != "completed"
        ]
        following = [s for s in unfinished if s.number > self.section.number] or unfinished
        if following:
            return reverse(
                "assurance:return-section", args=[self.partnership.slug, assessment_return.pk, following[0].number]
            )
        return assessment_return.url("return-check")


class AnswerFile(FileDownload):
    """An answer's evidence file, to whoever may see the return; each download is audited."""

    model = Answer
    file_field = "evidence_file"
    personal = True


class ReturnCheck(AssuranceMixin, ScopedDetailView):
    """Check your answers: every question with its rating and evidence, a Change link to its
    section, then submit. Once submitted, the same page shows the answers as sent."""

    model = Return
    template_name = "assurance/return_check.html"
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)

    def get_page_title(self):
        if self.object.is_submitted:
            return "Answers"
        return "Check your answers before submitting your return"

    def get_breadcrumbs(self):
        return self.crumbs((self.object.service, self.object.get_absolute_url()), (self.get_page_title(), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = queries.return_answers_by_section(self.object, self.access)
        # What is still to rate, a line per section (a return not started has 225 questions).
        context["unrated"] = [
            (section, missing)
            for section, rows in context["sections"]
            if (missing := [q for q, answer in rows if answer is None])
        ]
        context["unrated_count"] = sum(len(missing) for _, missing in context["unrated"])
        return context


class _ReturnAction(ScopedActionView):
    model = Return
    done = ""

    def post(self, request, *args, **kwargs):
        assessment_return = self.get_object()
        try:
            self.run(assessment_return)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.failed_url(assessment_return))
        messages.success(request, self.done)
        return HttpResponseRedirect(assessment_return.get_absolute_url())

    def failed_url(self, assessment_return) -> str:
        return assessment_return.get_absolute_url()


class ReturnSubmit(_ReturnAction):
    done = "Return submitted. Thank you."

    def run(self, assessment_return):
        services.return_submit(actor=self.request.user, assessment_return=assessment_return)

    def failed_url(self, assessment_return) -> str:
        return assessment_return.url("return-check")


class ReturnReopen(_ReturnAction):
    roles = BUSINESS_UNIT
    done = "Return reopened: the participant can change it and submit it again."

    def run(self, assessment_return):
        services.return_reopen(actor=self.request.user, assessment_return=assessment_return)


class ReturnActionRaise(AssuranceMixin, ChildFormView):
    model = Return
    form_class = forms.ActionForm
    roles = BUSINESS_UNIT
    page_title = "Add an action for this service"
    success_message = "Action {object} added to the learning log."
    trail = (("Organisational safeguarding assessment", "assurance:rounds"),)
    action = Action.VIEW  # the return may be submitted (closed to changes); the business unit raises actions on it

    def perform(self, form):
        return services.improvement_action_raise(actor=self.request.user, source=self.parent, **form.cleaned_data)


# --- Use of restraint -----------------------------------------------------------------------------


class Restraint(AssuranceMixin, ScopedListView):
    model = RestraintIncident
    roles = frozenset({Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.AGENCY_LEAD})
    template_name = "assurance/restraint.html"
    page_title = "Use of restraint"
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("setting")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The summary is the partnership's (as the annual report has it); the list below is the viewer's part.
        context["summary"] = queries.restraint_summary(
            RestraintIncident.objects.restrict(Access.for_report(self.partnership))
        )
        context["imports"] = RestraintImport.objects.restrict(self.access).select_related("setting")[:10]
        context["samples"] = CctvSample.objects.restrict(self.access).select_related("setting")[:10]
        context["visits"] = SiteVisit.objects.restrict(self.access).select_related("setting")[:10]
        return context


class IncidentDetail(AssuranceMixin, ScopedDetailView):
    model = RestraintIncident
    template_name = "assurance/incident_detail.html"
    trail = (("Use of restraint", "assurance:restraint"),)

    def get_page_title(self):
        return f"Restraint incident {self.object.reference}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reviews"] = CctvReview.objects.restrict(self.access).filter(incident=self.object)
        return context


class IncidentCreate(AssuranceMixin, ScopedCreateView):
    model = RestraintIncident
    form_class = forms.IncidentForm
    page_title = "Record a restraint incident"
    trail = (("Use of restraint", "assurance:restraint"),)

    def perform(self, form):
        return services.incident_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class IncidentUpdate(AssuranceMixin, ScopedUpdateView):
    model = RestraintIncident
    form_class = forms.IncidentForm
    page_title = "Change restraint incident"
    trail = (("Use of restraint", "assurance:restraint"),)

    def perform(self, form):
        return services.incident_update(actor=self.request.user, incident=self.object, **form.cleaned_data)


class IncidentImport(AssuranceMixin, ScopedCreateView):
    model = RestraintIncident
    form_class = forms.ImportForm
    page_title = "Import a setting's restraint return"
    trail = (("Use of restraint", "assurance:restraint"),)
    success_message = "Imported {object.rows} incidents from {object.file_name}."

    def perform(self, form):
        upload = form.cleaned_data["file"]
        return services.restraint_import(
            actor=self.request.user,
            partnership=self.partnership,
            setting=form.cleaned_data["setting"],
            file=upload,
            file_name=upload.name,
        )

    def get_success_url(self):
        return self.partnership_url("assurance:restraint")


class SampleCreate(AssuranceMixin, ScopedCreateView):
    model = CctvSample
    form_class = forms.SampleForm
    page_title = "Draw incidents for CCTV review"
    trail = (("Use of restraint", "assurance:restraint"),)

    def perform(self, form):
        return services.cctv_sample_draw(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class SampleDetail(AssuranceMixin, ScopedDetailView):
    model = CctvSample
    template_name = "assurance/sample_detail.html"
    trail = (("Use of restraint", "assurance:restraint"),)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["incidents"] = (
            RestraintIncident.objects.restrict(self.access)
            .filter(samples=self.object)
            .prefetch_related("reviews")
            .order_by("injury_level", "reference")
        )
        context["verified"] = services.sample_verify(self.object)
        return context


class ReviewCreate(AssuranceMixin, ChildFormView):
    model = RestraintIncident
    form_class = forms.ReviewForm
    page_title = "Record a CCTV review"
    trail = (("Use of restraint", "assurance:restraint"),)

    def perform(self, form):
        return services.cctv_review_record(actor=self.request.user, incident=self.parent, **form.cleaned_data)


class SiteVisitCreate(AssuranceMixin, ScopedCreateView):
    model = SiteVisit
    form_class = forms.SiteVisitForm
    page_title = "Record a site visit"
    trail = (("Use of restraint", "assurance:restraint"),)

    def perform(self, form):
        return services.site_visit_record(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        return self.partnership_url("assurance:restraint")


# --- Assurance week -------------------------------------------------------------------------------


class WeekList(AssuranceMixin, ScopedListView):
    roles = PARTNERS  # assurance work is the partners'; a practitioner is not offered it
    model = AssuranceWeek
    template_name = "assurance/week_list.html"
    page_title = "Multi-agency meeting assurance weeks"


class WeekDetail(AssuranceMixin, ScopedDetailView):
    model = AssuranceWeek
    template_name = "assurance/week_detail.html"
    trail = (("Multi-agency meeting assurance weeks", "assurance:weeks"),)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = ObservedMeeting.objects.restrict(self.access).filter(week=self.object)
        context["by_type"] = queries.week_by_type(meetings)
        context["totals"] = {
            name: sum(getattr(r, name) for r in context["by_type"])
            for name in ("identified", "declined", "moved", "observed")
        }
        context["observers"] = queries.week_observers(meetings)
        context["meetings"] = meetings.select_related("observer_agency", "identified_by")
        context["findings"] = [line for line in self.object.findings.splitlines() if line.strip()]
        return context


class WeekCreate(AssuranceMixin, ScopedCreateView):
    model = AssuranceWeek
    form_class = forms.WeekForm
    page_title = "Plan an assurance week"
    trail = (("Multi-agency meeting assurance weeks", "assurance:weeks"),)

    def perform(self, form):
        return services.week_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class WeekUpdate(AssuranceMixin, ScopedUpdateView):
    model = AssuranceWeek
    form_class = forms.WeekForm
    page_title = "Change assurance week"
    trail = (("Multi-agency meeting assurance weeks", "assurance:weeks"),)

    def perform(self, form):
        return services.week_update(actor=self.request.user, week=self.object, **form.cleaned_data)


class MeetingCreate(AssuranceMixin, ChildFormView):
    model = AssuranceWeek
    form_class = forms.MeetingForm
    page_title = "Add a meeting to observe"
    trail = (("Multi-agency meeting assurance weeks", "assurance:weeks"),)

    def perform(self, form):
        return services.meeting_identify(actor=self.request.user, week=self.parent, **form.cleaned_data)


class MeetingDetail(AssuranceMixin, ScopedDetailView):
    model = ObservedMeeting
    template_name = "assurance/meeting_detail.html"
    trail = (("Multi-agency meeting assurance weeks", "assurance:weeks"),)


class MeetingUpdate(AssuranceMixin, ScopedUpdateView):
    model = ObservedMeeting
    form_class = forms.MeetingForm
    page_title = "Change meeting, consent or observation"
    trail = (("Multi-agency meeting assurance weeks", "assurance:weeks"),)

    def perform(self, form):
        return services.meeting_update(actor=self.request.user, meeting=self.object, **form.cleaned_data)


class WeekActionRaise(AssuranceMixin, ChildFormView):
    model = AssuranceWeek
    form_class = forms.ActionForm
    page_title = "Add an action from the week"
    success_message = "Action {object} added to the learning log."
    trail = (("Multi-agency meeting assurance weeks", "assurance:weeks"),)

    def perform(self, form):
        return services.week_action_raise(actor=self.request.user, week=self.parent, **form.cleaned_data)


# --- Audits, JTAI, scrutiny and presentations to the executive ------------------------------------

SCRUTINY_TRAIL = (("Audits, JTAI and scrutiny", "assurance:scrutiny"),)


class Scrutiny(AssuranceMixin, ScopedListView):
    roles = PARTNERS  # assurance work is the partners'; a practitioner is not offered it
    model = Audit
    template_name = "assurance/scrutiny.html"
    page_title = "Audits, JTAI and scrutiny"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("themes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jtai_themes"] = JtaiTheme.objects.restrict(self.access).annotate(
            strengths=Count("evaluations", filter=Q(evaluations__judgement=Judgement.STRENGTH)),
            to_improve=Count("evaluations", filter=Q(evaluations__judgement=Judgement.AREA_TO_IMPROVE)),
        )
        context["activities"] = ScrutinyActivity.objects.restrict(self.access)
        context["presentations"] = AssurancePresentation.objects.restrict(self.access).select_related(
            "presenting_agency"
        )
        return context


class AuditDetail(AssuranceMixin, ScopedDetailView):
    model = Audit
    template_name = "assurance/audit_detail.html"
    trail = SCRUTINY_TRAIL


class AuditCreate(AssuranceMixin, ScopedCreateView):
    model = Audit
    form_class = forms.AuditForm
    page_title = "Add an audit or deep dive"
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.audit_save(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class AuditUpdate(AssuranceMixin, ScopedUpdateView):
    model = Audit
    form_class = forms.AuditForm
    page_title = "Change audit"
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.audit_save(actor=self.request.user, audit=self.object, **form.cleaned_data)


class AuditActionRaise(AssuranceMixin, ChildFormView):
    model = Audit
    form_class = forms.ActionForm
    page_title = "Add an action from the audit"
    success_message = "Action {object} added to the learning log."
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.audit_action_raise(actor=self.request.user, audit=self.parent, **form.cleaned_data)


class JtaiDetail(AssuranceMixin, ScopedDetailView):
    model = JtaiTheme
    template_name = "assurance/jtai_detail.html"
    trail = SCRUTINY_TRAIL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluations = list(JtaiEvaluation.objects.restrict(self.access).filter(theme=self.object))
        context["criteria"] = [
            (criterion, [e for e in evaluations if e.criterion == criterion])
            for criterion in self.object.criteria_list()
        ]
        return context


class JtaiCreate(AssuranceMixin, ScopedCreateView):
    model = JtaiTheme
    form_class = forms.JtaiThemeForm
    page_title = "Add a JTAI theme"
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.jtai_theme_save(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class JtaiUpdate(AssuranceMixin, ScopedUpdateView):
    model = JtaiTheme
    form_class = forms.JtaiThemeForm
    page_title = "Change JTAI theme"
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.jtai_theme_save(actor=self.request.user, theme=self.object, **form.cleaned_data)


class JtaiEvaluate(AssuranceMixin, ChildFormView):
    model = JtaiTheme
    form_class = forms.JtaiEvaluationForm
    page_title = "Evaluate against a criterion"
    trail = SCRUTINY_TRAIL

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "theme": self.parent}

    def perform(self, form):
        return services.jtai_evaluate(actor=self.request.user, theme=self.parent, **form.cleaned_data)


class ActivityCreate(AssuranceMixin, ScopedCreateView):
    model = ScrutinyActivity
    form_class = forms.ScrutinyActivityForm
    page_title = "Add to the scrutiny plan"
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.scrutiny_activity_save(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data
        )


class ActivityUpdate(AssuranceMixin, ScopedUpdateView):
    model = ScrutinyActivity
    form_class = forms.ScrutinyActivityForm
    page_title = "Change scrutiny activity"
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.scrutiny_activity_save(actor=self.request.user, activity=self.object, **form.cleaned_data)


class PresentationCreate(AssuranceMixin, ScopedCreateView):
    model = AssurancePresentation
    form_class = forms.PresentationForm
    page_title = "Record an assurance presentation to the executive"
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.presentation_save(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class PresentationUpdate(AssuranceMixin, ScopedUpdateView):
    model = AssurancePresentation
    form_class = forms.PresentationForm
    page_title = "Change assurance presentation"
    trail = SCRUTINY_TRAIL

    def perform(self, form):
        return services.presentation_save(actor=self.request.user, presentation=self.object, **form.cleaned_data)
