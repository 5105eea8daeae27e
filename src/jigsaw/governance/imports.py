"""Governance's registers in core's one import pattern: groups, memberships, the business plan
and its priorities, and meeting attendance history."""

from __future__ import annotations

from jigsaw.core.imports import Choice, Column, Date, Importer, Known, Text, Whole, named, names, normalise
from jigsaw.core.imports_core import agency_names, people_names

from . import services
from .models import (
    Attendance,
    AttendanceStatus,
    BusinessPlan,
    Group,
    GroupKind,
    Meeting,
    Membership,
    MembershipRole,
    Priority,
)


def group_names(partnership) -> dict[str, Group]:
    return names(Group.objects.filter(partnership=partnership), "name", "short_name")


class GroupImporter(Importer):
    key = "groups"
    model = Group
    title = "Groups"
    description = "The partnership's structure: each group, what kind it is and the group it reports to."
    order = 30
    page = "governance:structure"
    columns = (
        Column("name", aliases=("group", "group name", "board"), read=Text(200)),
        Column("short name", False, ("abbreviation", "acronym"), read=Text(30)),
        Column(
            "kind",
            aliases=("type", "group type"),
            hint="Executive, Subgroup, Panel, Task and finish group...",
            read=Choice(GroupKind),
        ),
        Column("reports to", False, ("parent", "parent group"), field="parent", read=Text()),
        Column("remit", False, ("purpose",), read=Text()),
        Column("chair term months", False, ("chair term", "chair term (months)"), read=Whole()),
    )

    def lookups(self, partnership):
        return {"groups": group_names(partnership)}

    def clean(self, row, lookups):
        values = self.read(row, lookups)
        if values["parent"]:
            row.known("reports to", lookups["groups"], "group")
        if row.ok:
            # A group may report to one above it in the same file (the export lists parents first).
            for name in (values["name"], values["short_name"]):
                if name:
                    lookups["groups"].setdefault(normalise(name), name)
        return values

    def key_of(self, values):
        return (normalise(values["name"]),)

    def describe_key(self):
        return "the same group name"

    def held(self, partnership):
        return {(normalise(n),) for n in Group.objects.filter(partnership=partnership).values_list("name", flat=True)}

    def add(self, *, actor, partnership, values, lookups):
        parent = group_names(partnership).get(normalise(values["parent"])) if values["parent"] else None
        services.group_create(
            actor=actor,
            partnership=partnership,
            name=values["name"],
            short_name=values["short_name"],
            kind=values["kind"],
            parent=parent,
            remit=values["remit"],
            chair_term_months=values["chair_term_months"],
        )

    def export(self, partnership):
        groups = list(Group.objects.filter(partnership=partnership).select_related("parent"))
        by_id = {g.pk: g for g in groups}

        def depth(group):
            n = 0
            while group.parent_id and n < 20:
                group, n = by_id[group.parent_id], n + 1
            return n

        for group in sorted(groups, key=lambda g: (depth(g), g.name)):
            yield [
                group.name,
                group.short_name,
                group.get_kind_display(),
                group.parent.name if group.parent_id else "",
                group.remit,
                group.chair_term_months,
            ]


class MembershipImporter(Importer):
    key = "memberships"
    model = Membership
    title = "Group memberships"
    description = "Who sits on which group, in which seat, for which agency and since when."
    order = 35
    page = "governance:structure"
    columns = (
        Column("group", aliases=("group name", "board"), read=Known("groups", "group")),
        Column("person", aliases=("name", "member", "member name"), read=Known("people", "person")),
        Column(
            "seat",
            False,
            ("role", "membership role"),
            hint="Chair, Vice-chair, Member, Adviser",
            field="role",
            read=Choice(MembershipRole, default=MembershipRole.MEMBER),
        ),
        Column(
            "agency represented", False, ("agency", "organisation"), field="agency", read=Known("agencies", "agency")
        ),
        Column("starts", aliases=("start date", "from", "joined"), field="starts_on", read=Date()),
        Column("ends", False, ("end date", "to", "left"), field="ends_on", read=Date()),
    )

    def lookups(self, partnership):
        return {
            "groups": group_names(partnership),
            "people": people_names(partnership),
            "agencies": agency_names(partnership),
        }

    def clean(self, row, lookups):
        values = self.read(row, lookups)
        row.in_order("starts", "ends", values, "is before the seat starts.")
        return values

    def key_of(self, values):
        return (values["group"].pk, values["person"].pk, values["role"], values["starts_on"])

    def describe_key(self):
        return "the same group, person, seat and start date"

    def held(self, partnership):
        return set(
            Membership.objects.filter(partnership=partnership).values_list("group_id", "person_id", "role", "starts_on")
        )

    def add(self, *, actor, partnership, values, lookups):
        services.membership_add(
            actor=actor,
            partnership=partnership,
            group=values["group"],
            person=values["person"],
            role=values["role"],
            agency=values["agency"],
            starts_on=values["starts_on"],
            ends_on=values["ends_on"],
        )

    def export(self, partnership):
        seats = Membership.objects.filter(partnership=partnership).select_related("group", "person", "agency")
        for seat in seats.order_by("group__name", "starts_on", "person__name"):
            yield [
                seat.group.name,
                seat.person.email or seat.person.name,
                seat.get_role_display(),
                seat.agency.name if seat.agency_id else "",
                seat.starts_on,
                seat.ends_on,
            ]


class PlanImporter(Importer):
    key = "business-plan"
    model = Priority
    title = "Business plan and priorities"
    description = "The business plan's dates and its numbered priorities, with why each is a priority."
    order = 40
    page = "governance:plans"
    columns = (
        Column("plan", aliases=("business plan", "plan title"), read=Text(200)),
        Column("plan starts", aliases=("starts", "start date"), field="starts_on", read=Date()),
        Column("plan ends", aliases=("ends", "end date"), field="ends_on", read=Date()),
        Column("priority number", aliases=("number", "priority no", "no"), field="number", read=Whole()),
        Column("priority", aliases=("priority title", "title"), field="title", read=Text(200)),
        Column("why", False, ("why it is a priority", "rationale"), read=Text()),
        Column("outcomes", False, ("outcomes we want",), read=Text()),
    )

    def clean(self, row, lookups):
        values = self.read(row, lookups)
        row.in_order("plan starts", "plan ends", values, "is not after the plan starts.", same_day=False)
        return values

    def key_of(self, values):
        return (normalise(values["plan"]), values["number"])

    def describe_key(self):
        return "the same plan and priority number"

    def held(self, partnership):
        return {
            (normalise(title), number)
            for title, number in Priority.objects.filter(partnership=partnership).values_list("plan__title", "number")
        }

    def add(self, *, actor, partnership, values, lookups):
        plan = named(BusinessPlan.objects.filter(partnership=partnership), values["plan"])
        if plan is None:
            plan = services.plan_create(
                actor=actor,
                partnership=partnership,
                title=values["plan"],
                starts_on=values["starts_on"],
                ends_on=values["ends_on"],
            )
        services.priority_add(
            actor=actor,
            plan=plan,
            number=values["number"],
            title=values["title"],
            why=values["why"],
            outcomes=values["outcomes"],
        )

    def export(self, partnership):
        priorities = Priority.objects.filter(partnership=partnership).select_related("plan")
        for priority in priorities.order_by("plan__starts_on", "plan__title", "number"):
            plan = priority.plan
            yield [
                plan.title,
                plan.starts_on,
                plan.ends_on,
                priority.number,
                priority.title,
                priority.why,
                priority.outcomes,
            ]


class AttendanceImporter(Importer):
    key = "attendance"
    model = Attendance
    partnership_path = "meeting__partnership"
    title = "Meeting attendance history"
    description = (
        "Who came to each group's meetings: one row a person a meeting (the meeting is made if it is not held)."
    )
    order = 110
    page = "governance:attendance"
    columns = (
        Column("group", aliases=("group name", "board", "meeting of"), read=Known("groups", "group")),
        Column("meeting date", aliases=("date", "held on", "meeting"), field="held_on", read=Date(past=True)),
        Column("person", aliases=("name", "attendee", "member"), read=Known("people", "person")),
        Column("status", aliases=("attendance", "attended"), hint="Present, Apologies, Sent a deputy, Absent"),
        Column(
            "agency represented", False, ("agency", "organisation"), field="agency", read=Known("agencies", "agency")
        ),
        Column("deputy's name", False, ("deputy", "deputy name"), field="deputy_name", read=Text(200)),
    )
    YES = {"yes", "y", "attended", "p"}
    NO = {"no", "n", "a", "did not attend", "dna"}

    def lookups(self, partnership):
        return {
            "groups": group_names(partnership),
            "people": people_names(partnership),
            "agencies": agency_names(partnership),
        }

    def clean(self, row, lookups):
        status_text = normalise(row.text("status"))
        values = self.read(row, lookups)
        # Registers kept by hand often say yes / no / apols rather than the labels.
        if status_text in self.YES:
            values["status"] = AttendanceStatus.PRESENT
        elif status_text in self.NO:
            values["status"] = AttendanceStatus.ABSENT
        elif status_text in {"apols", "apologies sent", "sent apologies"}:
            values["status"] = AttendanceStatus.APOLOGIES
        elif status_text in {"deputy", "deputised"}:
            values["status"] = AttendanceStatus.DEPUTY
        else:
            values["status"] = row.choice("status", AttendanceStatus)
        return values

    def key_of(self, values):
        return (values["group"].pk, values["held_on"], values["person"].pk)

    def describe_key(self):
        return "the same group, meeting date and person"

    def held(self, partnership):
        return set(
            Attendance.objects.filter(meeting__partnership=partnership).values_list(
                "meeting__group_id", "meeting__held_on", "person_id"
            )
        )

    def add(self, *, actor, partnership, values, lookups):
        meetings = lookups.setdefault("_meetings", {})
        key = (values["group"].pk, values["held_on"])
        meeting = (
            meetings.get(key)
            or Meeting.objects.filter(partnership=partnership, group=values["group"], held_on=values["held_on"]).first()
        )
        if meeting is None:
            meeting = services.meeting_create(
                actor=actor, partnership=partnership, group=values["group"], held_on=values["held_on"]
            )
        meetings[key] = meeting
        services.attendance_record(
            actor=actor,
            meeting=meeting,
            person=values["person"],
            status=values["status"],
            agency=values["agency"],
            deputy_name=values["deputy_name"],
        )

    def export(self, partnership):
        rows = Attendance.objects.filter(meeting__partnership=partnership).select_related(
            "meeting__group", "person", "agency"
        )
        for record in rows.order_by("meeting__held_on", "meeting__group__name", "person__name"):
            yield [
                record.meeting.group.name,
                record.meeting.held_on,
                record.person.email or record.person.name,
                record.get_status_display(),
                record.agency.name if record.agency_id else "",
                record.deputy_name,
            ]


IMPORTERS = (GroupImporter, MembershipImporter, PlanImporter, AttendanceImporter)
