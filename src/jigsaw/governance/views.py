"""Governance pages: declarations over jigsaw.core.generic. Writes go through services.py."""

from __future__ import annotations

from django.db.models import Max, Min, Q
from django.http import HttpResponseRedirect
from django.views import generic

from jigsaw.actions.services import action_raise
from jigsaw.core.files import FileDownload
from jigsaw.core.generic import (
    ChildFormView,
    PartnershipMixin,
    PartnershipPage,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
)
from jigsaw.core.models import Partnership
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
            .select_related("person", "agency", "person__agency", "partnership")
            .order_by("-starts_on")
        )
        context["current_seats"] = [seat for seat in seats if seat.is_current()]
        context["other_seats"] = [seat for seat in seats if not seat.is_current()]
        context["meetings"] = Meeting.objects.restrict(self.access).filter(group=self.object)[:12]
        context["children"] = Group.objects.restrict(self.access).filter(parent=self.object)
        # A joint group of another partnership is read here; its meetings are added where it belongs.
        context["joint_from"] = None if self.object.partnership_id == self.partnership.pk else self.object.partnership
        context["can_add_meeting"] = context["joint_from"] is None and (
            self.access.has_role(Role.BUSINESS_UNIT)
            or (
                self.access.has_role(Role.GROUP_CHAIR)
                and current_chair_groups(self.access).filter(group_id=self.object.pk).exists()
            )
        )
        if context["joint_from"] is not None:
            context["can_audit"] = False  # its history is in the trail of the partnership it belongs to
        # Seats are changed where they are held: the group's own partnership changes its seats, a
        # partnership running it jointly changes the seats of its own people.
        context["can_change_seats"] = self.access.can(Action.CHANGE, Membership)
        context["can_seat_partner"] = context["joint_from"] is not None and context["can_change_seats"]
        context["running_with"] = self.object.running_with(self.partnership)
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


class GroupJointRunning(GovernanceMixin, ChildFormView):
    """Mark a group as run jointly with neighbouring partnerships, or end that (the business unit
    of the partnership it belongs to)."""

    model = Group
    form_class = forms.JointRunningForm
    page_title = "Run jointly with other partnerships"
    trail = (("Structure", "governance:structure"),)

    def get_form_kwargs(self):
        group = self.parent
        candidates = Partnership.objects.filter(
            Q(pk__in=queries.joint_candidates(self.partnership).values("pk")) | Q(pk__in=group.partners.values("pk"))
        ).order_by("name")
        return {**super().get_form_kwargs(), "group": group, "candidates": candidates}

    def perform(self, form):
        before = set(self.parent.partners.values_list("name", flat=True))
        group = services.group_run_jointly(
            actor=self.request.user, group=self.parent, partners=form.cleaned_data["partners"]
        )
        after = set(group.partners.values_list("name", flat=True))
        if after:
            self.success_message = f"{group} is run jointly with {', '.join(sorted(after))}."
        elif before:
            self.success_message = f"{group} is no longer run jointly: {', '.join(sorted(before))} no longer see it."
        else:
            self.success_message = f"{group} is run by {self.partnership} alone."
        return group


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


class PartnerSeatAdd(GovernanceMixin, ChildFormView):
    """Seat one of this partnership's people on a group another partnership runs jointly with it
    (the business unit). The group stays read-only here (it is read, not changed: `action`); the
    seat is this partnership's own record, of its own person and agency, changed only here. For a
    group of this partnership's own, the ordinary 'Add a member' page."""

    model = Group
    action = Action.VIEW
    roles = BUSINESS_UNIT
    form_class = forms.MembershipForm
    template_name = "governance/partner_seat_form.html"
    page_title = "Add a member"
    trail = (("Structure", "governance:structure"),)
    success_message = "{object} added."

    def get(self, request, *args, **kwargs):
        return self._own_group() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._own_group() or super().post(request, *args, **kwargs)

    def _own_group(self):
        if self.parent.partnership_id == self.partnership.pk:
            return HttpResponseRedirect(self.partnership_url("governance:membership-add", self.parent.pk))
        return None

    def get_page_title(self) -> str:
        return f"Add a member from {self.partnership}: {self.parent}"

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


# --- The regional comparison ----------------------------------------------------------------------


class RegionComparison(GovernanceMixin, PartnershipPage):
    """Each figure the region's partnerships share, this partnership against the regional median
    and range, with a chart of one figure across the region and its table. Only the aggregates
    each partnership chose to share are read (the sharing rule on RegionalFigure)."""

    template_name = "governance/region.html"
    page_title = "Regional comparison"

    def get_breadcrumbs(self):
        return self.crumbs((self.page_title, None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        memberships = list(queries.regions_of(self.access))
        context["memberships"] = memberships
        context["can_change"] = self.access.has_role(Role.BUSINESS_UNIT)
        from .models import RegionalFigureFamily

        context["families"] = RegionalFigureFamily.choices
        if not memberships:
            return context
        membership = memberships[0]
        context["membership"] = membership
        context["region"] = region = membership.region
        rows = queries.regional_comparison(self.access, region)
        context["rows"] = rows
        context["members"] = list(queries.region_members(self.access, region))
        chosen = self.request.GET.get("figure", "")
        selected = next((row for row in rows if f"{row.family}:{row.label}" == chosen), rows[0] if rows else None)
        context["selected"] = selected
        if selected is not None:
            context["chart"] = regional_chart(selected, self.partnership.name)
        return context


def regional_chart(row, ours: str):
    """One figure across the region: a bar per partnership sharing it (this one in a darker
    colour), the regional median as a dashed rule; the table carries the same values."""
    import altair as alt

    from jigsaw.core.charts import BLUE, GREY, RED, Chart
    from jigsaw.core.figures import Table

    values = sorted(
        ((name, float(value)) for name, value in row.values.items() if value is not None), key=lambda item: -item[1]
    )
    data = [
        {"Partnership": name, "Value": value, "Whose": "This partnership" if name == ours else "Others"}
        for name, value in values
    ]
    bars = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("Partnership:N", sort=[name for name, _ in values], title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("Value:Q", title=row.label),
            color=alt.Color(
                "Whose:N", scale=alt.Scale(domain=["This partnership", "Others"], range=[BLUE, GREY]), legend=None
            ),
        )
    )
    layers = [bars]
    if row.median is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"median": float(row.median)}]))
            .mark_rule(color=RED, strokeDash=[6, 4], strokeWidth=2)
            .encode(x="median:Q")
        )
    height = max(120, 18 * len(values))
    spec = alt.layer(*layers).properties(width=480, height=height, title=row.label).to_dict(validate=False)
    table = Table(
        columns=["Partnership", row.label], rows=[[name, value] for name, value in values], numeric=[False, True]
    )

    def shown(value) -> str:
        return f"{value:,.1f}".removesuffix(".0")

    median = shown(row.median) if row.median is not None else "none"
    summary = f"{row.sharing} partnerships share this figure; the regional median is {median}" + (
        f" and {ours} has {shown(row.ours)}." if row.ours is not None else f"; {ours} does not share it."
    )
    return Chart(title=row.label, spec=spec, table=table, summary=summary, figures=[value for _, value in values])


class RegionDownload(GovernanceMixin, PartnershipMixin, generic.View):
    """The same comparison as a CSV: a row per figure and partnership sharing it."""

    def get(self, request, *args, **kwargs):
        from jigsaw.training.exports import csv_response

        from .models import RegionalFigureFamily

        rows = []
        for membership in queries.regions_of(self.access):
            for row in queries.regional_comparison(self.access, membership.region):
                for name, value in sorted(row.values.items()):
                    year, computed_at = row.computed[name]
                    rows.append(
                        [
                            membership.region.name,
                            RegionalFigureFamily(row.family).label,
                            row.label,
                            name,
                            value,
                            row.median,
                            row.lowest,
                            row.highest,
                            year,
                            computed_at.isoformat(timespec="minutes"),
                        ]
                    )
        columns = [
            "Region",
            "Kind",
            "Figure",
            "Partnership",
            "Value",
            "Regional median",
            "Lowest",
            "Highest",
            "Year",
            "Computed",
        ]
        return csv_response(f"{self.partnership.slug}-regional-comparison.csv", columns, rows)


class RegionSharing(GovernanceMixin, ServiceFormMixin, PartnershipMixin, generic.FormView):
    """Opt in to a region and choose which figures to share (the business unit)."""

    roles = frozenset({Role.BUSINESS_UNIT})
    form_class = forms.RegionSharingForm
    page_title = "Share figures with the region"
    template_name = "core/form.html"

    def get_breadcrumbs(self):
        return self.crumbs(("Regional comparison", self.partnership_url("governance:region")), (self.page_title, None))

    def membership(self):
        return next(iter(queries.regions_of(self.access)), None)

    def get_form_kwargs(self):
        from .models import Region

        kwargs = super().get_form_kwargs()
        kwargs.update(regions=Region.objects.restrict(self.access), membership=self.membership())
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        membership = self.membership()
        if membership is None:
            membership = services.region_join(
                actor=self.request.user,
                partnership=self.partnership,
                region=data["region"],
                shared=data["shared"],
                workforce=data["workforce"],
            )
        else:
            membership = services.region_sharing_update(
                actor=self.request.user, membership=membership, shared=data["shared"], workforce=data["workforce"]
            )
        services.region_figures_compute(actor=self.request.user, membership=membership)
        return membership

    success_message = "Saved, and the shared figures computed."

    def get_success_url(self):
        return self.partnership_url("governance:region")


class RegionCompute(GovernanceMixin, PartnershipMixin, generic.View):
    """Compute this partnership's shared figures again now (the business unit), a POST."""

    roles = frozenset({Role.BUSINESS_UNIT})
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        for membership in queries.regions_of(self.access):
            services.region_figures_compute(actor=request.user, membership=membership)
        messages.success(request, "The figures shared with the region were computed again.")
        return HttpResponseRedirect(self.partnership_url("governance:region"))
