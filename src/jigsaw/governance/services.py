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
    boundary.require(meeting.partnership, person=person)
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
