"""Generated governance for `jigsaw demo --scale`: the usual structure of groups, a two-year
business plan, and for each year the seats (reviewed every year, chairs rotating), meetings
with their attendance register, partners' contributions and other income.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from jigsaw.core import bulk
from jigsaw.core.scale import COUNCIL, ICB, POLICE, Context, agency_named, generator, staff

from . import services
from .models import (
    AgendaItem,
    AgreementStatus,
    Attendance,
    AttendanceStatus,
    BusinessPlan,
    Contribution,
    Decision,
    GoldenThread,
    Group,
    GroupKind,
    IncomeLine,
    Meeting,
    Membership,
    MembershipRole,
    Priority,
    SharingAgreement,
    Signatory,
)

LSP = "Lead Safeguarding Partners"
EXECUTIVE = "Executive Group"
PLG = "Performance and Learning Group"
PANEL = "Case Review Panel"
POLICY = "Multi-agency Policy and Procedure group"  # the policies app's default owning group
# (name, short name, kind, reports to, meetings a year, seats besides the chair, chair term in months)
GROUPS = [
    (LSP, "LSP", GroupKind.LEADERSHIP, None, 3, 2, None),
    (EXECUTIVE, "Executive", GroupKind.EXECUTIVE, LSP, 6, 6, 12),
    (PLG, "PLG", GroupKind.SUBGROUP, EXECUTIVE, 4, 8, None),
    (PANEL, "Panel", GroupKind.PANEL, PLG, 6, 5, None),
    ("Improvement Delivery Group", "IDG", GroupKind.SUBGROUP, PLG, 4, 7, None),
    (POLICY, "MAPP", GroupKind.SUBGROUP, PLG, 4, 6, None),
    ("Performance Think Tank", "Think Tank", GroupKind.SUBGROUP, PLG, 4, 7, None),
    ("Workforce Learning and Development Group", "WLD", GroupKind.SUBGROUP, PLG, 4, 6, None),
    ("Child Exploitation Group", "CEG", GroupKind.SUBGROUP, EXECUTIVE, 6, 7, None),
    ("Working Together Reform Task and Finish Group", "WT reform", GroupKind.TASK_AND_FINISH, EXECUTIVE, 3, 4, None),
]
AGENDA = [
    "Minutes and actions of the last meeting",
    "Performance and assurance update",
    "Learning from reviews",
    "Any other business",
]
# Attendance: mostly present, as partnerships report it.
STATUSES = [
    (AttendanceStatus.PRESENT, 0.84),
    (AttendanceStatus.DEPUTY, 0.08),
    (AttendanceStatus.APOLOGIES, 0.06),
    (AttendanceStatus.ABSENT, 0.02),
]


@generator(once=True)
def structure(ctx: Context) -> None:
    groups = {group.name: group for group in Group._base_manager.filter(partnership=ctx.partnership)}
    # Level by level (a group is saved after the group it reports to), each level in bulk.
    missing = [spec for spec in GROUPS if spec[0] not in groups]
    while missing:
        level = [spec for spec in missing if spec[3] is None or spec[3] in groups]
        made = bulk.create(
            Group(
                partnership=ctx.partnership,
                name=name,
                short_name=short_name,
                kind=kind,
                parent=groups.get(parent),
                remit=f"The {name.lower()} of the {ctx.area} partnership.",
                chair_term_months=chair_term,
                joint_with=f"{ctx.area} Neighbouring Partnership" if short_name == "CEG" else "",
                terms_of_reference="Membership, chairing and terms of reference are reviewed annually.",
            )
            for name, short_name, kind, parent, _, _, chair_term in level
        )
        groups.update({group.name: group for group in made})
        missing = [spec for spec in missing if spec not in level]
        ctx.add("groups", len(made))
    if not SharingAgreement._base_manager.filter(partnership=ctx.partnership, tier=1).exists():
        agreement = services.agreement_create(
            actor=None,
            partnership=ctx.partnership,
            title=f"{ctx.area} Tier 1 Information Sharing Agreement",
            tier=1,
            topic="All safeguarding information",
            status=AgreementStatus.IN_FORCE,
        )
        ctx.add("sharing agreements")
        signing = sorted(staff(ctx.partnership), key=lambda person: person.email)
        signatories = [
            Signatory(
                agreement=agreement,
                agency=agency,
                signed_on=ctx.day(datetime.date(2022, 4, 1), datetime.date(2023, 3, 31)),
                signatory_name="Senior Information Risk Owner",
            )
            for agency in ctx.random.sample(sorted({person.agency for person in signing}, key=lambda a: a.name), 12)
        ]
        ctx.add("signatories", len(bulk.create(signatories)))


def _meeting_dates(ctx: Context, count: int) -> list[datetime.date]:
    """`count` meetings spread over the year, each on a weekday."""
    dates = []
    for index in range(count):
        day = ctx.year.start + datetime.timedelta(days=index * 365 // count + ctx.random.randrange(365 // count))
        dates.append(day - datetime.timedelta(days=max(0, day.weekday() - 4)))
    return dates


@generator
def seats_and_meetings(ctx: Context) -> None:
    """Each group's seats for the year (a new chair each year) and its meetings, with who came."""
    if Meeting._base_manager.filter(
        partnership=ctx.partnership, held_on__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    people = staff(ctx.partnership)
    statutory = [
        person
        for person in people
        if person.agency.name in {name.format(area=ctx.area) for name in (COUNCIL, ICB, POLICE)}
    ]
    groups = {group.name: group for group in Group._base_manager.filter(partnership=ctx.partnership)}
    seats_by_group, meetings_by_group = {}, {}
    for name, _, _, _, meetings, seats, _ in GROUPS:
        group = groups[name]
        pool = statutory if name == LSP else people
        # Fewer seats and meetings in a smaller year (the same at volume 1): every table still filled.
        chosen = ctx.random.sample(pool, min(len(pool), ctx.scaled(seats + 1, floor=3)))
        # Seats are reviewed every year, so each runs for the year; a chair's term ends with it.
        seats_by_group[name] = [
            Membership(
                partnership=ctx.partnership,
                group=group,
                person=person,
                role=MembershipRole.CHAIR if index == 0 else MembershipRole.MEMBER,
                starts_on=ctx.year.start,
                ends_on=ctx.year.end,
            )
            for index, person in enumerate(chosen)
        ]
        meetings_by_group[name] = [
            Meeting(
                partnership=ctx.partnership,
                group=group,
                held_on=held_on,
                location=ctx.random.choice(["Microsoft Teams", "Council offices"]),
                minutes=f"The {group.short_name} met on {held_on:%-d %B %Y} and agreed the next steps.",
            )
            for held_on in _meeting_dates(ctx, ctx.scaled(meetings, floor=1))
        ]
    # Seats and meetings in bulk, each audited as a service's save would; then the meetings' parts.
    ctx.add("memberships", len(bulk.create([seat for seats in seats_by_group.values() for seat in seats])))
    ctx.add("meetings", len(bulk.create([meeting for held in meetings_by_group.values() for meeting in held])))
    agenda, decisions, register = [], [], []
    for name, *_ in GROUPS:
        members = seats_by_group[name]
        for meeting in meetings_by_group[name]:
            agenda += [
                AgendaItem(meeting=meeting, number=number, title=title) for number, title in enumerate(AGENDA, start=1)
            ]
            decisions.append(
                Decision(meeting=meeting, description="The update was received and the next steps agreed.")
            )
            for seat in members:
                status = ctx.pick(STATUSES)
                register.append(
                    Attendance(
                        meeting=meeting,
                        person=seat.person,
                        agency=seat.person.agency,
                        status=status,
                        deputy_name=f"Deputy for {seat.person.name}" if status == AttendanceStatus.DEPUTY else "",
                    )
                )
    # Bulk: a row for every seat at every meeting, across 150 partnerships. They are not
    # individually audited (bulk_create sends no signals); the meetings they belong to are.
    AgendaItem.objects.bulk_create(agenda, batch_size=1000)
    Decision.objects.bulk_create(decisions, batch_size=1000)
    ctx.add("attendance records", len(Attendance.objects.bulk_create(register, batch_size=1000)))


# Two-year strategic plans, starting in even years (2022-2024, 2024-2026...).
PRIORITIES = [
    ("Domestic Abuse", "Children are recognised as victims of domestic abuse in their own right and supported early."),
    (
        "Harm Outside the Home",
        "Children at risk of exploitation are identified, assessed and supported; places and spaces of concern are disrupted.",
    ),
    (
        "First 1001 Days",
        "Parents are supported from conception to age two; safe sleep and safe handling are everyone's business.",
    ),
    ("Mental Health and Wellbeing", "Families get support before they reach crisis point."),
    ("Neglect", "Practitioners recognise cumulative neglect and act on it."),
    ("Early Identification and Intervention", "The right support at the right time, through the right pathway."),
    ("Trauma Informed Practice", "Trauma informed practice is embedded across all agencies."),
]
GOLDEN_THREADS = [
    "Child's voice and lived experience",
    "Working together across partners and boundaries",
    "Whole family approach",
    "Professional curiosity",
    "Intersectionality",
    "Reflective practice",
]


def plan_for(ctx: Context, year) -> BusinessPlan:
    """The business plan the year falls in, made (with its priorities) by whichever year needs it first."""
    first = year.start_year - year.start_year % 2
    starts_on, ends_on = datetime.date(first, 4, 1), datetime.date(first + 2, 3, 31)
    plan = BusinessPlan._base_manager.filter(partnership=ctx.partnership, starts_on=starts_on).first()
    if plan is not None:
        return plan
    drawn = ctx.random_for(f"plan/{first}")
    plan = services.plan_create(
        actor=None,
        partnership=ctx.partnership,
        title=f"Strategic Business Plan {first}-{first + 2}",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    ctx.add("business plans")
    priorities = [
        Priority(
            partnership=ctx.partnership,
            plan=plan,
            number=number,
            title=title,
            outcomes=outcomes,
            why=f"Local data and learning from reviews point to {title.lower()}.",
        )
        for number, (title, outcomes) in enumerate(drawn.sample(PRIORITIES, 4), start=1)
    ]
    ctx.add("priorities", len(bulk.create(priorities)))
    threads = [
        GoldenThread(partnership=ctx.partnership, plan=plan, title=title, position=position)
        for position, title in enumerate(drawn.sample(GOLDEN_THREADS, 4), start=1)
    ]
    ctx.add("golden threads", len(bulk.create(threads)))
    return plan


@generator
def business_plan(ctx: Context) -> None:
    plan_for(ctx, ctx.year)


# The statutory partners' shares of the budget, as partnerships split it, and a few others.
CONTRIBUTORS = [
    (COUNCIL, 190_000),
    (ICB, 105_000),
    (POLICE, 39_000),
    ("{area} Probation Delivery Unit", 4_900),
    ("{area} Hospitals NHS Foundation Trust", 2_700),
    ("{area} Mental Health NHS Foundation Trust", 2_700),
]


@generator
def budget(ctx: Context) -> None:
    label = ctx.year.label
    if Contribution._base_manager.filter(partnership=ctx.partnership, financial_year=label).exists():
        return
    # Budgets drift up a little most years.
    contributions = [
        Contribution(
            partnership=ctx.partnership,
            agency=agency_named(ctx, name),
            financial_year=label,
            amount=Decimal(round(base * (1 + 0.03 * (ctx.year.start_year - 2022)) * ctx.random.uniform(0.97, 1.03))),
        )
        for name, base in CONTRIBUTORS
    ]
    ctx.add("contributions", len(bulk.create(contributions)))
    income = IncomeLine(
        partnership=ctx.partnership,
        financial_year=label,
        amount=Decimal(ctx.random.randrange(3_000, 9_000)),
        description="Training programme: non-attendance charges and registration fees",
    )
    ctx.add("income lines", len(bulk.create([income])))


@generator(last=True)
def north_east_region(ctx: Context) -> None:
    """Each generated partnership opts in to the North East region, sharing every kind of figure
    but one it draws at random (so the page shows opted-out figures staying out), and computes
    them for the last year from its own records."""
    from .models import Region, RegionalFigureFamily, RegionMembership

    region = Region.objects.filter(slug="north-east").first() or services.region_create(
        actor=None, name="North East", slug="north-east"
    )
    membership = RegionMembership.objects.filter(partnership=ctx.partnership, region=region).first()
    if membership is None:
        kept_back = ctx.random.choice(RegionalFigureFamily.values)
        membership = services.region_join(
            actor=None,
            partnership=ctx.partnership,
            region=region,
            shared=[family for family in RegionalFigureFamily.values if family != kept_back],
            workforce=ctx.scaled(20_000, floor=500),
        )
        ctx.add("region memberships")
    if membership.computed_year != ctx.year.label:
        services.region_figures_compute(actor=None, membership=membership, year=ctx.year)
