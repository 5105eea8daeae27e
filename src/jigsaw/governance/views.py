"""Governance pages: declarations over jigsaw.core.generic. Writes go through services.py."""

from __future__ import annotations

from django.db.models import Max, Min

from jigsaw.actions.services import action_raise
from jigsaw.core.files import FileDownload
from jigsaw.core.generic import (
    ChildFormView,
    PartnershipPage,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from jigsaw.core.periods import FinancialYear, choose_year, years_between
from jigsaw.core.scoping import PARTNERS, Action, Role

from . import forms, queries, services
from .models import (
    BusinessPlan,
    Contribution,
    Group,
    IncomeLine,
    Meeting,
    Membership,
    Paper,
    SharingAgreement,
    current_chair_groups,
)

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})
BUDGET_READERS = frozenset({Role.BUSINESS_UNIT, Role.SCRUTINEER})


class GovernanceMixin:
    # The partnership's governance is the partners' business, not a practitioner's (docs/access.md).
    roles = PARTNERS
    section_crumb = ("Governance", "governance:home")

    def selected_year(self) -> FinancialYear:
        """The financial year in ?year=, else the one today falls in."""
        import datetime

        label = self.request.GET.get("year", "")
        try:
            return FinancialYear.of(self.partnership, label)
        except ValueError:
            return FinancialYear.containing(datetime.date.today(), self.partnership.financial_year_start_month)


# --- Landing page and structure -----------------------------------------------------------------


class GovernanceHome(GovernanceMixin, PartnershipPage):
    template_name = "governance/home.html"
    page_title = "Governance"

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Governance", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = list(Group.objects.restrict(self.access))
        context["group_count"] = len(groups)
        context["overdue_groups"] = [group for group in groups if group.terms_of_reference_overdue]
        context["ending_count"] = queries.terms_ending(self.access).count()
        context["can_see_budget"] = self.access.has_role(*BUDGET_READERS)
        context["year"] = self.selected_year()
        return context


class Structure(GovernanceMixin, PartnershipPage):
    template_name = "governance/structure.html"
    page_title = "Partnership structure"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roots = queries.structure(self.access)
        context["roots"] = roots
        context["can_add"] = self.access.can(Action.CHANGE, Group)
        return context


class GroupDetail(GovernanceMixin, ScopedDetailView):
    model = Group
    template_name = "governance/group_detail.html"
    trail = (("Structure", "governance:structure"),)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        seats = (
            Membership.objects.restrict(self.access)
            .filter(group=self.object)
            .select_related("person", "agency", "person__agency")
            .order_by("-starts_on")
        )
        context["current_seats"] = [seat for seat in seats if seat.is_current()]
        context["other_seats"] = [seat for seat in seats if not seat.is_current()]
        context["meetings"] = Meeting.objects.restrict(self.access).filter(group=self.object)[:12]
        context["children"] = Group.objects.restrict(self.access).filter(parent=self.object)
        context["can_add_meeting"] = self.access.has_role(Role.BUSINESS_UNIT) or (
            self.access.has_role(Role.GROUP_CHAIR)
            and current_chair_groups(self.access).filter(group_id=self.object.pk).exists()
        )
        return context


class GroupCreate(GovernanceMixin, ScopedCreateView):
    model = Group
    form_class = forms.GroupForm
    page_title = "Add a group"
    trail = (("Structure", "governance:structure"),)
    success_message = "{object} added."

    def perform(self, form):
        return services.group_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class GroupUpdate(GovernanceMixin, ScopedUpdateView):
    model = Group
    form_class = forms.GroupForm
    page_title = "Change group"
    trail = (("Structure", "governance:structure"),)
    success_message = "{object} saved."

    def perform(self, form):
        return services.group_update(actor=self.request.user, group=self.object, **form.cleaned_data)


class MembershipAdd(GovernanceMixin, ChildFormView):
    model = Group
    form_class = forms.MembershipForm
    page_title = "Add a member"
    trail = (("Structure", "governance:structure"),)
    success_message = "{object} added."

    def perform(self, form):
        return services.membership_add(
            actor=self.request.user, partnership=self.partnership, group=self.parent, **form.cleaned_data
        )


class MembershipUpdate(GovernanceMixin, ScopedUpdateView):
    model = Membership
    form_class = forms.MembershipForm
    page_title = "Change a seat"
    trail = (("Structure", "governance:structure"),)
    success_message = "{object} saved."

    def perform(self, form):
        return services.membership_update(actor=self.request.user, membership=self.object, **form.cleaned_data)


class TermsEnding(GovernanceMixin, PartnershipPage):
    template_name = "governance/terms_ending.html"
    page_title = "Terms ending in the next 60 days"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "seats": queries.terms_ending(self.access)}


# --- Meetings ---------------------------------------------------------------------------------


class MeetingList(GovernanceMixin, ScopedListView):
    model = Meeting
    template_name = "governance/meeting_list.html"
    page_title = "Meetings"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("group")
        self.group = None
        if self.request.GET.get("group", "").isdigit():
            self.group = Group.objects.restrict(self.access).filter(pk=self.request.GET["group"]).first()
            if self.group:
                queryset = queryset.filter(group=self.group)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["group"] = self.group
        return context


class MeetingCreate(GovernanceMixin, ScopedCreateView):
    model = Meeting
    form_class = forms.MeetingForm
    page_title = "Add a meeting"
    trail = (("Meetings", "governance:meetings"),)
    success_message = "Meeting added: {object}."

    def get_form_kwargs(self):
        groups = Group.objects.restrict(self.access)
        if not self.access.has_role(Role.BUSINESS_UNIT):
            groups = groups.filter(pk__in=current_chair_groups(self.access))
        kwargs = {**super().get_form_kwargs(), "groups": groups}
        if self.request.method == "GET" and self.request.GET.get("group", "").isdigit():
            kwargs["initial"] = {**kwargs.get("initial", {}), "group": int(self.request.GET["group"])}
        return kwargs

    def perform(self, form):
        return services.meeting_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class MeetingDetail(GovernanceMixin, ScopedDetailView):
    model = Meeting
    template_name = "governance/meeting_detail.html"
    trail = (("Meetings", "governance:meetings"),)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        context["agenda"] = meeting.agenda_items.all()
        context["decisions"] = meeting.decisions.all()
        context["papers"] = meeting.papers.all()
        context["attendance"] = meeting.attendance.select_related("person", "agency")
        context["rate"] = queries.meeting_attendance_rate(meeting)
        return context


class MeetingUpdate(GovernanceMixin, ScopedUpdateView):
    model = Meeting
    form_class = forms.MinutesForm
    page_title = "Minutes and details"
    trail = (("Meetings", "governance:meetings"),)
    success_message = "Meeting saved."

    def perform(self, form):
        return services.meeting_update(actor=self.request.user, meeting=self.object, **form.cleaned_data)


class AttendanceRecord(GovernanceMixin, ChildFormView):
    model = Meeting
    form_class = forms.AttendanceForm
    template_name = "governance/attendance_form.html"
    page_title = "Record attendance"
    trail = (("Meetings", "governance:meetings"),)
    success_message = "Attendance recorded."

    def get_form_kwargs(self):
        meeting = self.get_object()
        existing = {row.person_id: row for row in meeting.attendance.all()}
        return {**super().get_form_kwargs(), "seats": services.expected_attendees(meeting), "existing": existing}

    def perform(self, form):
        return services.attendance_record_many(actor=self.request.user, meeting=self.parent, rows=form.rows())


class AgendaItemAdd(GovernanceMixin, ChildFormView):
    model = Meeting
    form_class = forms.AgendaItemForm
    page_title = "Add an agenda item"
    trail = (("Meetings", "governance:meetings"),)
    success_message = "Agenda item added."

    def perform(self, form):
        return services.agenda_item_add(actor=self.request.user, meeting=self.parent, **form.cleaned_data)


class DecisionAdd(GovernanceMixin, ChildFormView):
    model = Meeting
    form_class = forms.DecisionForm
    page_title = "Record a decision"
    trail = (("Meetings", "governance:meetings"),)
    success_message = "Decision recorded."

    def perform(self, form):
        return services.decision_record(actor=self.request.user, meeting=self.parent, **form.cleaned_data)


class PaperAdd(GovernanceMixin, ChildFormView):
    model = Meeting
    form_class = forms.PaperForm
    page_title = "Add a paper"
    trail = (("Meetings", "governance:meetings"),)
    success_message = "Paper added."

    def perform(self, form):
        return services.paper_add(actor=self.request.user, meeting=self.parent, **form.cleaned_data)


class ActionRaise(GovernanceMixin, ChildFormView):
    model = Meeting
    form_class = forms.ActionForm
    page_title = "Raise an action"
    trail = (("Meetings", "governance:meetings"),)
    success_message = "Action raised in the learning log."

    def perform(self, form):
        return action_raise(
            actor=self.request.user,
            partnership=self.partnership,
            source=self.parent,
            raised_on=self.parent.held_on,
            **form.cleaned_data,
        )


class PaperDownload(FileDownload):
    """A paper's file, only to those who may see its meeting (papers are never public files).
    Papers carry names and case details: each download is audited."""

    model = Paper
    personal = True

    def filename(self, record, name):
        return f"{record.title}.{record.extension.lower()}"


class AttendanceReport(GovernanceMixin, PartnershipPage):
    template_name = "governance/attendance_report.html"
    page_title = "Attendance"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        span = (
            Meeting.objects.restrict(self.access)
            .filter(attendance__isnull=False)
            .aggregate(first=Min("held_on"), last=Max("held_on"))
        )
        context["year_choice"] = choose_year(
            self.request,
            self.partnership,
            years_between(span["first"], span["last"], self.partnership.financial_year_start_month),
        )
        year = context["year_choice"].year
        context["year"] = year
        context["by_group"] = queries.attendance_by_group(self.access, year)
        context["by_agency"] = queries.attendance_by_agency(self.access, year)
        context["overall"] = queries.attendance_overall(self.access, year)
        return context


# --- Business plan ----------------------------------------------------------------------------


class PlanList(GovernanceMixin, ScopedListView):
    model = BusinessPlan
    template_name = "governance/plan_list.html"
    page_title = "Business plans"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("priorities", "golden_threads")


class PlanDetail(GovernanceMixin, ScopedDetailView):
    model = BusinessPlan
    template_name = "governance/plan_detail.html"
    trail = (("Business plans", "governance:plans"),)


class PlanCreate(GovernanceMixin, ScopedCreateView):
    model = BusinessPlan
    form_class = forms.PlanForm
    page_title = "Add a business plan"
    trail = (("Business plans", "governance:plans"),)
    success_message = "{object} added."

    def perform(self, form):
        return services.plan_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class PriorityAdd(GovernanceMixin, ChildFormView):
    model = BusinessPlan
    form_class = forms.PriorityForm
    page_title = "Add a priority"
    trail = (("Business plans", "governance:plans"),)
    success_message = "{object} added."

    def get_initial(self):
        return {"number": self.get_object().priorities.count() + 1}

    def perform(self, form):
        return services.priority_add(actor=self.request.user, plan=self.parent, **form.cleaned_data)


class GoldenThreadAdd(GovernanceMixin, ChildFormView):
    model = BusinessPlan
    form_class = forms.GoldenThreadForm
    page_title = "Add a golden thread"
    trail = (("Business plans", "governance:plans"),)
    success_message = "Golden thread added."

    def perform(self, form):
        return services.golden_thread_add(actor=self.request.user, plan=self.parent, **form.cleaned_data)


# --- Budget -----------------------------------------------------------------------------------


class Budget(GovernanceMixin, PartnershipPage):
    roles = BUDGET_READERS
    template_name = "governance/budget.html"
    page_title = "Budget"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = Contribution.objects.restrict(self.access).values_list("financial_year", flat=True).distinct()
        context["year_choice"] = choose_year(
            self.request, self.partnership, [FinancialYear.of(self.partnership, label) for label in labels]
        )
        year = context["year_choice"].year
        context["year"] = year
        context["budget"] = queries.budget(self.access, year)
        context["can_add"] = self.access.can(Action.CHANGE, Contribution)
        return context


class ContributionCreate(GovernanceMixin, ScopedCreateView):
    model = Contribution
    roles = BUDGET_READERS
    form_class = forms.ContributionForm
    page_title = "Add a contribution"
    trail = (("Budget", "governance:budget"),)
    success_message = "Contribution added."

    def perform(self, form):
        return services.contribution_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        return f"{self.partnership_url('governance:budget')}?year={self.object.financial_year}"


class IncomeLineCreate(GovernanceMixin, ScopedCreateView):
    model = IncomeLine
    roles = BUDGET_READERS
    form_class = forms.IncomeLineForm
    page_title = "Add other income"
    trail = (("Budget", "governance:budget"),)
    success_message = "Income added."

    def perform(self, form):
        return services.income_line_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        return f"{self.partnership_url('governance:budget')}?year={self.object.financial_year}"


# --- Information sharing agreements -----------------------------------------------------------


class AgreementList(GovernanceMixin, ScopedListView):
    model = SharingAgreement
    template_name = "governance/agreement_list.html"
    page_title = "Information sharing agreements"

    def get_queryset(self):
        return queries.with_commitment(super().get_queryset())


class AgreementDetail(GovernanceMixin, ScopedDetailView):
    model = SharingAgreement
    template_name = "governance/agreement_detail.html"
    trail = (("Information sharing agreements", "governance:agreements"),)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        signatories = list(self.object.signatories.select_related("agency"))
        context["signatories"] = signatories
        context["committed"] = sum(1 for row in signatories if row.signed_on)
        return context


class AgreementCreate(GovernanceMixin, ScopedCreateView):
    model = SharingAgreement
    form_class = forms.AgreementForm
    page_title = "Add an information sharing agreement"
    trail = (("Information sharing agreements", "governance:agreements"),)
    success_message = "{object} added."

    def perform(self, form):
        return services.agreement_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class AgreementUpdate(GovernanceMixin, ScopedUpdateView):
    model = SharingAgreement
    form_class = forms.AgreementForm
    page_title = "Change agreement"
    trail = (("Information sharing agreements", "governance:agreements"),)
    success_message = "{object} saved."

    def perform(self, form):
        return services.agreement_update(actor=self.request.user, agreement=self.object, **form.cleaned_data)


class SignatoryAdd(GovernanceMixin, ChildFormView):
    model = SharingAgreement
    form_class = forms.SignatoryForm
    page_title = "Add a signatory"
    trail = (("Information sharing agreements", "governance:agreements"),)
    success_message = "Signatory added."

    def perform(self, form):
        return services.signatory_add(actor=self.request.user, agreement=self.parent, **form.cleaned_data)
