"""Reads for governance, always through the scoping helper, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Action

from .models import Attendance, Contribution, Group, IncomeLine, Membership, SharingAgreement

# --- Structure --------------------------------------------------------------------------------


@dataclass
class StructureNode:
    group: Group
    chair: Membership | None = None
    running_with: list[str] = field(default_factory=list)
    children: list[StructureNode] = field(default_factory=list)

    def walk(self, depth: int = 0):
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


def structure(access, on: datetime.date | None = None) -> list[StructureNode]:
    """The groups as a tree (roots first), each with its chair on the day and the partnerships
    running it with this one: three queries."""
    on = on or datetime.date.today()
    groups = list(
        Group.objects.restrict(access, Action.VIEW)
        .select_related("partnership")
        .prefetch_related("partners")
        .order_by("name")
    )
    chairs = {
        seat.group_id: seat
        for seat in Membership.objects.restrict(access, Action.VIEW)
        .filter(role="chair", starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("person", "agency", "person__agency")
    }
    nodes = {
        group.pk: StructureNode(group, chairs.get(group.pk), running_with=group.running_with(access.partnership))
        for group in groups
    }
    roots = []
    for group in groups:
        parent = nodes.get(group.parent_id)
        (parent.children if parent else roots).append(nodes[group.pk])
    return roots


def terms_ending(access, within_days: int = 60, today: datetime.date | None = None):
    """Seats (chairs first) whose term ends in the next `within_days` days."""
    today = today or datetime.date.today()
    return (
        Membership.objects.restrict(access, Action.VIEW)
        .filter(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=within_days))
        .select_related("group", "person", "agency", "person__agency")
        .order_by("ends_on", "group__name")
    )


# --- Attendance -------------------------------------------------------------------------------


@dataclass
class AttendanceRate:
    label: str
    expected: int
    present: int
    deputy: int
    apologies: int
    absent: int
    key: object = None

    @property
    def attended(self) -> int:
        return self.present + self.deputy

    @property
    def rate(self) -> float | None:
        """Present or represented by a deputy, over everyone expected; a percentage."""
        return round(100 * self.attended / self.expected, 1) if self.expected else None


def _rates(queryset, key: str, label: str) -> list[AttendanceRate]:
    rows = (
        queryset.values(key, label)
        .annotate(
            expected=Count("pk"),
            present=Count("pk", filter=Q(status="present")),
            deputy=Count("pk", filter=Q(status="deputy")),
            apologies=Count("pk", filter=Q(status="apologies")),
            absent=Count("pk", filter=Q(status="absent")),
        )
        .order_by(label)
    )
    return [
        AttendanceRate(
            label=row[label] or "No agency recorded",
            key=row[key],
            expected=row["expected"],
            present=row["present"],
            deputy=row["deputy"],
            apologies=row["apologies"],
            absent=row["absent"],
        )
        for row in rows
    ]


def attendance_in_year(access, year: FinancialYear):
    return Attendance.objects.restrict(access, Action.VIEW).filter(
        meeting__held_on__gte=year.start, meeting__held_on__lte=year.end
    )


def attendance_by_group(access, year: FinancialYear) -> list[AttendanceRate]:
    return _rates(attendance_in_year(access, year), "meeting__group_id", "meeting__group__name")


def attendance_by_agency(access, year: FinancialYear) -> list[AttendanceRate]:
    return _rates(attendance_in_year(access, year), "agency_id", "agency__name")


def attendance_overall(access, year: FinancialYear) -> AttendanceRate:
    totals = attendance_in_year(access, year).aggregate(
        expected=Count("pk"),
        present=Count("pk", filter=Q(status="present")),
        deputy=Count("pk", filter=Q(status="deputy")),
        apologies=Count("pk", filter=Q(status="apologies")),
        absent=Count("pk", filter=Q(status="absent")),
    )
    return AttendanceRate(label="All groups", **totals)


def meeting_attendance_rate(meeting) -> AttendanceRate:
    rows = meeting.attendance.all()
    counts = {
        status: sum(1 for row in rows if row.status == status)
        for status in ("present", "deputy", "apologies", "absent")
    }
    return AttendanceRate(label=str(meeting), expected=len(rows), **counts)


# --- Budget -----------------------------------------------------------------------------------


def whole(amount: Decimal | None):
    """Pounds as the report prints them: whole numbers stay whole."""
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


@dataclass
class BudgetYear:
    year: FinancialYear
    contributions: list[dict]  # {"agency", "agency_id", "amount", "previous", "change", "note"}
    income: list[IncomeLine]
    total: Decimal
    previous_total: Decimal | None
    income_total: Decimal

    @property
    def change(self) -> Decimal | None:
        return None if self.previous_total is None else self.total - self.previous_total

    @property
    def grand_total(self) -> Decimal:
        return self.total + self.income_total


def budget(access, year: FinancialYear) -> BudgetYear:
    """Contributions by agency for a year against the year before, and other income: two queries."""
    labels = [year.label, year.previous().label]
    rows = list(
        Contribution.objects.restrict(access, Action.VIEW).filter(financial_year__in=labels).select_related("agency")
    )
    this_year = sorted(
        (row for row in rows if row.financial_year == year.label), key=lambda row: (-row.amount, row.agency.name)
    )
    before = {row.agency_id: row.amount for row in rows if row.financial_year != year.label}
    contributions = [
        {
            "agency": row.agency.name,
            "agency_id": row.agency_id,
            "amount": row.amount,
            "note": row.note,
            "previous": before.get(row.agency_id),
            "change": None if row.agency_id not in before else row.amount - before[row.agency_id],
        }
        for row in this_year
    ]
    income = list(IncomeLine.objects.restrict(access, Action.VIEW).filter(financial_year=year.label))
    total = sum((row.amount for row in this_year), Decimal(0))
    previous_total = sum(before.values(), Decimal(0)) if before else None
    return BudgetYear(
        year=year,
        contributions=contributions,
        income=income,
        total=total,
        previous_total=previous_total,
        income_total=sum((line.amount for line in income), Decimal(0)),
    )


# --- Information sharing ----------------------------------------------------------------------


def agreements(access):
    """Agreements with their count of committed (signed) partners: one query."""
    return with_commitment(SharingAgreement.objects.restrict(access, Action.VIEW))


def with_commitment(queryset):
    return queryset.annotate(
        committed=Count("signatories", filter=Q(signatories__signed_on__isnull=False)),
        invited=Count("signatories"),
    ).order_by("tier", "title")  # an aggregate drops Meta.ordering


# --- The regional comparison ----------------------------------------------------------------------


@dataclass
class RegionalRow:
    """One figure across a region: this partnership's value against the median and range of the
    partnerships that share it."""

    family: str
    label: str
    values: dict = field(default_factory=dict)  # partnership name -> value
    ours: Decimal | None = None
    computed: dict = field(default_factory=dict)  # partnership name -> (year, computed_at)

    @property
    def shown(self) -> list[Decimal]:
        return sorted(v for v in self.values.values() if v is not None)

    @property
    def median(self) -> Decimal | None:
        values = self.shown
        if not values:
            return None
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

    @property
    def lowest(self) -> Decimal | None:
        return self.shown[0] if self.shown else None

    @property
    def highest(self) -> Decimal | None:
        return self.shown[-1] if self.shown else None

    @property
    def sharing(self) -> int:
        return len(self.shown)


def regional_comparison(access, region) -> list[RegionalRow]:
    """Every figure shared in the region that the viewer's partnership may read (the sharing rule on
    RegionalFigure), a row per figure, in the catalogue's order. One query."""
    from .models import RegionalFigure, RegionalFigureFamily

    order = {family: n for n, family in enumerate(RegionalFigureFamily.values)}
    rows: dict[tuple[str, str], RegionalRow] = {}
    positions: dict[tuple[str, str], int] = {}
    figures = (
        RegionalFigure.objects.restrict(access, Action.VIEW)
        .filter(region=region)
        .values_list(
            "family", "label", "position", "value", "year", "computed_at", "partnership_id", "partnership__name"
        )
    )
    for family, label, position, value, year, computed_at, partnership_id, name in figures:
        row = rows.setdefault((family, label), RegionalRow(family=family, label=label))
        positions[(family, label)] = min(position, positions.get((family, label), position))
        row.values[name] = value
        row.computed[name] = (year, computed_at)
        if partnership_id == access.partnership.pk:
            row.ours = value
    return sorted(rows.values(), key=lambda r: (order.get(r.family, 99), positions[(r.family, r.label)], r.label))


def region_members(access, region):
    """The partnerships in the region with when each last computed its figures and what it shares
    (a name, a date and the kinds shared: no figure), through the sharing rule on the membership."""
    from .models import RegionMembership

    return (
        RegionMembership.objects.restrict(access, Action.VIEW)
        .filter(region=region)
        .select_related("partnership")
        .order_by("partnership__name")
    )


def regions_of(access):
    """The regions the viewer's partnership has opted in to, through its own memberships."""
    from .models import RegionMembership

    return (
        RegionMembership.objects.restrict(access, Action.VIEW)
        .filter(partnership=access.partnership)
        .select_related("region")
    )


# --- Groups run jointly -----------------------------------------------------------------------


def joint_candidates(partnership):
    """The partnerships a group of `partnership` may be run jointly with: its neighbours, those
    sharing an organisation with it (a police force, a trust serving both) or a region. Not every
    partnership on the site: the list would tell each business unit who else the site hosts, and a
    joint group with a partnership nobody shares is a mistake to prevent, not a choice to offer."""
    from jigsaw.core.models import Agency, Partnership

    from .models import RegionMembership

    organisations = Agency._base_manager.filter(partnership=partnership, organisation__isnull=False).values(
        "organisation"
    )
    regions = RegionMembership._base_manager.filter(partnership=partnership).values("region")
    return (
        Partnership.objects.filter(
            Q(pk__in=Agency._base_manager.filter(organisation__in=organisations).values("partnership"))
            | Q(pk__in=RegionMembership._base_manager.filter(region__in=regions).values("partnership"))
        )
        .exclude(pk=partnership.pk)
        .order_by("name")
    )
