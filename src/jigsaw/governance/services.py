"""Writes for governance: groups, memberships, meetings and attendance, the business plan, the
budget and information sharing agreements.

Each service is keyword-only, validates with full_clean() inside one transaction and attributes
its audit entry to `actor`. Whether the actor may call it was decided by the page or endpoint
that fetched the records, through the scoping helper.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from jigsaw.core import boundary
from jigsaw.core import files as file_store
from jigsaw.core.audit import attributed_to
from jigsaw.core.dates import add_months
from jigsaw.core.services import save

from .models import (
    AgendaItem,
    Attendance,
    BusinessPlan,
    Contribution,
    Decision,
    GoldenThread,
    Group,
    IncomeLine,
    Meeting,
    Membership,
    MembershipRole,
    Paper,
    Priority,
    SharingAgreement,
    Signatory,
)

# --- Groups and memberships -------------------------------------------------------------------


def group_create(*, actor, partnership, **fields) -> Group:
    return save(Group(partnership=partnership), actor=actor, fields=fields)


def group_update(*, actor, group: Group, **fields) -> Group:
    return save(group, actor=actor, fields=fields)


def group_run_jointly(*, actor, group: Group, partners) -> Group:
    """Run the group jointly with other partnerships in Jigsaw: the one group record, its seats,
    meetings, attendance, papers and decisions are read by the partners of each (read-only there:
    the scoping helper's sharing rule), and each may seat its own people on it. Only neighbours
    (`queries.joint_candidates`) may be chosen. An empty list ends the joint running; a partnership
    left out has its seats on the group ended today. Recorded in the group's audit trail."""
    from auditlog.models import LogEntry

    from .queries import joint_candidates

    partners = list(partners)
    if any(partner.pk == group.partnership_id for partner in partners):
        raise ValidationError(
            {"partners": f"{group.partnership} runs this group already: choose the other partnerships."}
        )
    before = list(group.partners.order_by("name"))
    allowed = {p.pk for p in joint_candidates(group.partnership)} | {p.pk for p in before}
    strangers = [partner.name for partner in partners if partner.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                "partners": f"{', '.join(strangers)} shares no organisation or region with {group.partnership}: "
                "a group is run jointly with a neighbouring partnership."
            }
        )
    names = ", ".join(partner.name for partner in sorted(partners, key=lambda p: p.name))
    leaving = [p.pk for p in before if p.pk not in {partner.pk for partner in partners}]
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    with transaction.atomic(), attributed_to(actor):
        for seat in Membership._base_manager.filter(group=group, partnership_id__in=leaving).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=yesterday)
        ):
            # The seat stays that partnership's record (its history, the attendance it has), ended
            # with the joint running: held until yesterday, so no list shows it as ending soon.
            save(seat, actor=actor, fields={"ends_on": max(yesterday, seat.starts_on)})
        save(group, actor=actor, fields={"partners": partners, "joint_with": names or group.joint_with})
        if [p.pk for p in before] != [p.pk for p in sorted(partners, key=lambda p: p.name)]:
            # Which partnerships run it is a many-to-many: the trail gets its own entry, before and after.
            LogEntry.objects.log_create(
                group,
                action=LogEntry.Action.UPDATE,
                changes={
                    "partners": [
                        ", ".join(p.name for p in before) or "None",
                        names or "None",
                    ]
                },
                additional_data=group.get_additional_data(),
            )
    return group


def membership_add(
    *,
    actor,
    partnership,
    group: Group,
    person,
    role: str = MembershipRole.MEMBER,
    agency=None,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Membership:
    """A seat on a group. A chair of a group with a fixed chair term gets the term's end date."""
    if role == MembershipRole.CHAIR and ends_on is None and group.chair_term_months and starts_on:
        ends_on = add_months(starts_on, group.chair_term_months) - datetime.timedelta(days=1)
    membership = Membership(
        partnership=partnership,
        group=group,
        person=person,
        role=role,
        agency=agency,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return save(membership, actor=actor)


def membership_update(*, actor, membership: Membership, **fields) -> Membership:
    return save(membership, actor=actor, fields=fields)


# --- Meetings ---------------------------------------------------------------------------------


def meeting_create(
    *, actor, partnership, group: Group | None = None, held_on: datetime.date | None = None, **fields
) -> Meeting:
    return save(Meeting(partnership=partnership, group=group, held_on=held_on), actor=actor, fields=fields)


def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    return save(meeting, actor=actor, fields=fields)


def agenda_item_add(
    *, actor, meeting: Meeting, title: str, presenter: str = "", number: int | None = None
) -> AgendaItem:
    if number is None:
        number = (meeting.agenda_items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return save(AgendaItem(meeting=meeting, number=number, title=title, presenter=presenter), actor=actor)


def decision_record(*, actor, meeting: Meeting, description: str) -> Decision:
    return save(Decision(meeting=meeting, description=description), actor=actor)


def paper_add(*, actor, meeting: Meeting, title: str, file) -> Paper:
    paper = Paper(meeting=meeting, title=title, file=file)
    with file_store.saving("file") as storing:
        storing.watch(paper.file)
        return save(paper, actor=actor)


def attendance_record(
    *, actor, meeting: Meeting, person, status: str, agency=None, deputy_name: str = ""
) -> Attendance:
    """Record (or correct) whether one person attended. The agency defaults to the one they
    represent on the group, else their own."""
    # The person first, alone (the boundary's rule, a joint group's partner seats included): a
    # person who may not be on the register is refused before their agency is looked up.
    refused = boundary.errors(Attendance(meeting=meeting, person=person))
    if "person" in refused:
        raise ValidationError({"person": refused["person"]})
    if agency is None and person is not None and meeting.group_id:
        seat = Membership._base_manager.filter(group_id=meeting.group_id, person=person).exclude(agency=None).first()
        agency = seat.agency if seat else person.agency
    record = Attendance._base_manager.filter(meeting=meeting, person=person).first() if person is not None else None
    record = record or Attendance(meeting=meeting, person=person)
    return save(record, actor=actor, fields={"status": status, "agency": agency, "deputy_name": deputy_name.strip()})


def attendance_record_many(*, actor, meeting: Meeting, rows: list[dict]) -> list[Attendance]:
    """The attendance register for a meeting in one go: all rows are saved or none is.
    An error names the row (its person) and the field."""
    saved = []
    with transaction.atomic(), attributed_to(actor):
        for row in rows:
            try:
                saved.append(attendance_record(actor=actor, meeting=meeting, **row))
            except ValidationError as error:
                person = row.get("person")
                raise ValidationError(
                    {
                        field: [f"{person}: {message}" for message in messages]
                        for field, messages in error.message_dict.items()
                    }
                ) from error
    return saved


def expected_attendees(meeting: Meeting):
    """Who is expected at a meeting: the group's members on the day, chair first."""
    seats = Membership._base_manager.filter(group_id=meeting.group_id, starts_on__lte=meeting.held_on).select_related(
        "person", "agency", "person__agency"
    )
    return [seat for seat in seats if seat.ends_on is None or seat.ends_on >= meeting.held_on]


# --- Business plan ----------------------------------------------------------------------------


def plan_create(*, actor, partnership, **fields) -> BusinessPlan:
    return save(BusinessPlan(partnership=partnership), actor=actor, fields=fields)


def priority_add(*, actor, plan: BusinessPlan, number: int, title: str, why: str = "", outcomes: str = "") -> Priority:
    return save(
        Priority(partnership_id=plan.partnership_id, plan=plan, number=number, title=title, why=why, outcomes=outcomes),
        actor=actor,
    )


def priority_create(*, actor, partnership, plan: BusinessPlan, **fields) -> Priority:
    """For the API: a priority in a plan of this partnership (clean() refuses another's)."""
    return save(Priority(partnership=partnership, plan=plan), actor=actor, fields=fields)


def priority_update(*, actor, priority: Priority, **fields) -> Priority:
    return save(priority, actor=actor, fields=fields)


def golden_thread_add(
    *, actor, plan: BusinessPlan, title: str, description: str = "", position: int | None = None
) -> GoldenThread:
    if position is None:
        position = plan.golden_threads.count() + 1
    return save(
        GoldenThread(
            partnership_id=plan.partnership_id, plan=plan, title=title, description=description, position=position
        ),
        actor=actor,
    )


# --- Budget -----------------------------------------------------------------------------------


def contribution_create(*, actor, partnership, **fields) -> Contribution:
    return save(Contribution(partnership=partnership), actor=actor, fields=fields)


def contribution_update(*, actor, contribution: Contribution, **fields) -> Contribution:
    return save(contribution, actor=actor, fields=fields)


def income_line_create(*, actor, partnership, **fields) -> IncomeLine:
    return save(IncomeLine(partnership=partnership), actor=actor, fields=fields)


# --- Information sharing agreements -----------------------------------------------------------


def agreement_create(*, actor, partnership, **fields) -> SharingAgreement:
    return save(SharingAgreement(partnership=partnership), actor=actor, fields=fields)


def agreement_update(*, actor, agreement: SharingAgreement, **fields) -> SharingAgreement:
    return save(agreement, actor=actor, fields=fields)


def signatory_add(
    *, actor, agreement: SharingAgreement, agency, signed_on: datetime.date | None = None, signatory_name: str = ""
) -> Signatory:
    return save(
        Signatory(agreement=agreement, agency=agency, signed_on=signed_on, signatory_name=signatory_name), actor=actor
    )


# --- Regions ------------------------------------------------------------------------------------


def region_create(*, actor, name: str, slug: str):
    from .models import Region

    return save(Region(name=name, slug=slug), actor=actor)


def region_join(*, actor, partnership, region, shared=(), workforce=None):
    """Opt in to a region, sharing the kinds of figure chosen (none by default)."""
    from .models import RegionMembership

    if RegionMembership.objects.filter(partnership=partnership, region=region).exists():
        raise ValidationError({"region": f"{partnership} is already in {region}."})
    return save(
        RegionMembership(partnership=partnership, region=region, shared=list(shared), workforce=workforce),
        actor=actor,
    )


def region_sharing_update(*, actor, membership, shared, workforce=None):
    """Change what is shared: a figure no longer shared is taken out of the region at once."""
    from .models import RegionalFigure

    with transaction.atomic():
        membership = save(membership, actor=actor, fields={"shared": list(shared), "workforce": workforce})
        RegionalFigure.objects.filter(partnership=membership.partnership, region=membership.region).exclude(
            family__in=membership.shared
        ).delete()
    return membership


def region_leave(*, actor, membership) -> None:
    from .models import RegionalFigure

    with transaction.atomic(), attributed_to(actor):
        RegionalFigure.objects.filter(partnership=membership.partnership, region=membership.region).delete()
        membership.delete()


def region_figures_compute(*, actor, membership, year=None):
    """Compute the shared figures from the partnership's own figures for the year (the last
    complete financial year by default) and put them in the region, replacing the last ones."""
    from django.utils import timezone

    from jigsaw.core.periods import FinancialYear

    from .models import RegionalFigure
    from .regional import FAMILIES

    partnership = membership.partnership
    if year is None:
        year = FinancialYear.containing(timezone.localdate(), partnership.financial_year_start_month).previous()
    now = timezone.now()
    rows = []
    for family in membership.shared:
        for position, (label, value) in enumerate(FAMILIES[family](partnership, membership, year)):
            rows.append(
                RegionalFigure(
                    partnership=partnership,
                    region=membership.region,
                    family=family,
                    label=label[:300],
                    position=position,
                    value=value,
                    year=year.label,
                    computed_at=now,
                )
            )
    with transaction.atomic(), attributed_to(actor):
        # Replaced as one set: the region never sees half of a partnership's new figures. The
        # membership's own change below is the audit entry for them.
        RegionalFigure.objects.filter(partnership=partnership, region=membership.region).delete()
        RegionalFigure.objects.bulk_create(rows)
        save(membership, actor=actor, fields={"computed_at": now, "computed_year": year.label})
    return rows
