"""The demo partnership's governance, as Durham's 2024/25 annual report describes it.

Sections 3 and 4 (the structure, the seven principal subgroups, the executive's chair rotation,
the child exploitation group run jointly with Darlington), section 8 and the 2023-2025 plan
(priorities and golden threads), the budget appendix (total £346,257) and the tier 1 information
sharing agreement with twelve committed partners. Meetings and attendance for 2024-25 are made
up, deterministically (a fixed seed), so the attendance rates are the same on every load.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from jigsaw.core.demo import COUNCIL, ICB, POLICE, DemoResult, loader
from jigsaw.core.models import Agency, Partnership, Person

from . import services
from .models import (
    AgreementStatus,
    BusinessPlan,
    Contribution,
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

SEED = 2024
YEAR_START = datetime.date(2024, 4, 1)
DARLINGTON = "Darlington Safeguarding Partnership"


@dataclass(frozen=True)
class DemoGroup:
    name: str
    short_name: str
    kind: str
    parent: str | None
    remit: str
    meetings: int  # in 2024-25
    joint_with: str = ""
    chair_term_months: int | None = None


LSP = "Lead Safeguarding Partners (Chief Officers Safeguarding Group)"
EXECUTIVE = "Executive Group (Delegate Safeguarding Partners)"
PLG = "Performance and Learning Group"
IDG = "Improvement Delivery Group"
POLICY = "Multi-agency Policy and Procedure Group"
JTAI = "Joint Targeted Area Inspection (JTAI) Preparation Group"
THINK_TANK = "Performance Think Tank"
WLD = "Workforce Learning and Development Group"
CEG = "Strategic Child Exploitation Group"

# Parents before children, as the report's structure chart reads from the top.
GROUPS = [
    DemoGroup(
        LSP,
        "LSP",
        GroupKind.LEADERSHIP,
        None,
        "The heads of the three statutory safeguarding partners set the strategic direction, vision and culture of the "
        "partnership, speak with authority for their organisations and hold them to account. Conducted jointly with members "
        "of the Adults Safeguarding Board.",
        3,
    ),
    DemoGroup(
        EXECUTIVE,
        "Executive",
        GroupKind.EXECUTIVE,
        LSP,
        "The delegate safeguarding partners ensure the strategic priorities are delivered, with risk escalation to the lead "
        "safeguarding partners; holds assurance meetings with senior officers of partner agencies.",
        6,
        chair_term_months=12,
    ),
    DemoGroup(
        PLG,
        "PLG",
        GroupKind.SUBGROUP,
        EXECUTIVE,
        "The management group driving the partnership's work through five subgroups: monitors the impact and outcomes of "
        "partner activity (Working Together 2023, chapter 3), takes forward actions from the executive and coordinates learning.",
        4,
    ),
    DemoGroup(
        IDG,
        "IDG",
        GroupKind.SUBGROUP,
        PLG,
        "Manages the priority improvement work: runs the learning cycle for each business plan priority, bringing together "
        "the views of children, families and practitioners.",
        4,
    ),
    DemoGroup(
        POLICY,
        "Policy and Procedure",
        GroupKind.SUBGROUP,
        PLG,
        "Revises and creates the policies, procedures and practice guidance for practitioners of every organisation working "
        "with children in County Durham.",
        4,
    ),
    DemoGroup(
        JTAI,
        "JTAI",
        GroupKind.SUBGROUP,
        PLG,
        "Uses the joint targeted area inspection evaluation criteria to find strong practice and areas to improve, ready for "
        "an inspection at any time.",
        4,
    ),
    DemoGroup(
        THINK_TANK,
        "Think Tank",
        GroupKind.SUBGROUP,
        PLG,
        "Monitors multi-agency safeguarding through data and partners' qualitative input: twelve themes in 2024/25, asking "
        "'so what' of the figures.",
        4,
    ),
    DemoGroup(
        WLD,
        "WLD",
        GroupKind.SUBGROUP,
        PLG,
        "Integrates learning from local and national child safeguarding practice reviews into training, and monitors and "
        "evaluates the effectiveness of training.",
        4,
    ),
    DemoGroup(
        CEG,
        "CEG",
        GroupKind.SUBGROUP,
        EXECUTIVE,
        "Monitors, improves and evaluates the strategic response to children missing from home, care and education and to "
        "child exploitation across Durham and Darlington. Reports directly to the executive, working alongside the PLG.",
        6,
        joint_with=DARLINGTON,
    ),
]

# (group, person name, role, agency represented or None for the person's own, starts, ends)
SEATS = [
    (LSP, "John Hewitt", MembershipRole.MEMBER, None, YEAR_START, None),
    (LSP, "Samantha Allan", MembershipRole.MEMBER, None, YEAR_START, None),
    (LSP, "Rachel Bacon", MembershipRole.MEMBER, None, YEAR_START, None),
    # 'The chair between April 2024-2025 was John Pearce ... In April 2025 the chairing
    # responsibility will move to ... Nicola Lawrence Detective Chief Superintendent.'
    (EXECUTIVE, "John Pearce", MembershipRole.CHAIR, None, YEAR_START, None),
    (EXECUTIVE, "Nicola Lawrence", MembershipRole.MEMBER, None, YEAR_START, datetime.date(2025, 3, 31)),
    (EXECUTIVE, "Nicola Lawrence", MembershipRole.CHAIR, None, datetime.date(2025, 4, 1), None),
    (EXECUTIVE, "John Pearce", MembershipRole.MEMBER, None, datetime.date(2025, 4, 1), None),
    (EXECUTIVE, "Vicky Playforth", MembershipRole.MEMBER, None, YEAR_START, None),
    (EXECUTIVE, "Adrian Green", MembershipRole.ADVISER, None, YEAR_START, None),
    (EXECUTIVE, "Demo Business Unit", MembershipRole.ADVISER, None, YEAR_START, None),
    (CEG, "Nicola Lawrence", MembershipRole.MEMBER, None, YEAR_START, None),
    # The demo chair sign-in takes the chair from April 2025, after the report year: the
    # 2024/25 report names only the people of the governance records, never a demo sign-in.
    (WLD, "Demo Group Chair", MembershipRole.MEMBER, None, YEAR_START, datetime.date(2025, 3, 31)),
    (WLD, "Demo Group Chair", MembershipRole.CHAIR, None, datetime.date(2025, 4, 1), None),
]
# The demo sign-ins sit on the subgroups, so each role sees meetings and attendance.
for _group in (PLG, IDG, POLICY, JTAI, THINK_TANK, WLD, CEG):
    SEATS.append((_group, "Demo Member", MembershipRole.MEMBER, None, YEAR_START, None))
    SEATS.append((_group, "Demo Business Unit", MembershipRole.ADVISER, None, YEAR_START, None))
for _group in (PLG, IDG, POLICY, THINK_TANK, CEG):
    SEATS.append((_group, "Demo Agency Lead", MembershipRole.MEMBER, None, YEAR_START, None))
for _group in (PLG, JTAI, THINK_TANK):
    SEATS.append((_group, "Demo Group Chair", MembershipRole.MEMBER, None, YEAR_START, None))
for _group in (IDG, WLD):
    SEATS.append((_group, "Demo Practitioner", MembershipRole.MEMBER, None, YEAR_START, None))

AGENDA = [
    "Minutes and actions of the last meeting",
    "Performance and assurance update",
    "Learning from reviews",
    "Any other business",
]


def _meeting_dates(count: int) -> list[datetime.date]:
    """`count` meetings spread over 2024-25, each on the second Tuesday of its month."""
    dates = []
    for index in range(count):
        month_offset = round(index * 12 / count) + 1
        year, month = 2024 + (3 + month_offset) // 12, (3 + month_offset) % 12 + 1
        first = datetime.date(year, month, 1)
        first_tuesday = first + datetime.timedelta(days=(1 - first.weekday()) % 7)
        dates.append(first_tuesday + datetime.timedelta(days=7))
    return dates


def _groups(partnership: Partnership) -> dict[str, Group]:
    return {group.name: group for group in Group._base_manager.filter(partnership=partnership)}


@loader
def load_structure(partnership: Partnership, result: DemoResult) -> None:
    today = datetime.date.today()
    for index, spec in enumerate(GROUPS):
        if Group._base_manager.filter(partnership=partnership, name=spec.name).exists():
            continue
        parent = Group._base_manager.get(partnership=partnership, name=spec.parent) if spec.parent else None
        # Terms of reference are reviewed every year; the JTAI group's review is shown overdue.
        review_on = (
            today - datetime.timedelta(days=30)
            if spec.name == JTAI
            else datetime.date(today.year + 1, 1 + index % 12, 1)
        )
        result.add(
            "groups",
            services.group_create(
                actor=None,
                partnership=partnership,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                parent=parent,
                remit=spec.remit,
                terms_of_reference=f"Purpose: {spec.remit}\n\nMembership, chairing and terms of reference are reviewed annually.",
                terms_of_reference_review_on=review_on,
                joint_with=spec.joint_with,
                chair_term_months=spec.chair_term_months,
            ),
        )
    groups = _groups(partnership)
    people = {person.name: person for person in Person._base_manager.filter(partnership=partnership)}
    for group_name, person_name, role, agency_name, starts_on, ends_on in SEATS:
        person = people.get(person_name)
        if (
            person is None
            or Membership._base_manager.filter(
                group=groups[group_name], person=person, role=role, starts_on=starts_on
            ).exists()
        ):
            continue
        agency = Agency._base_manager.get(partnership=partnership, name=agency_name) if agency_name else None
        result.add(
            "memberships",
            services.membership_add(
                actor=None,
                partnership=partnership,
                group=groups[group_name],
                person=person,
                role=role,
                agency=agency,
                starts_on=starts_on,
                ends_on=ends_on,
            ),
        )


@loader
def load_meetings(partnership: Partnership, result: DemoResult) -> None:
    rng = random.Random(SEED)  # one stream for the whole load: the same attendance every time
    groups = _groups(partnership)
    for spec in GROUPS:
        group = groups[spec.name]
        for held_on in _meeting_dates(spec.meetings):
            # Draw for every meeting, new or not, so a partial earlier load gives the same figures.
            draws = [rng.random() for _ in range(12)]
            if Meeting._base_manager.filter(group=group, held_on=held_on).exists():
                continue
            meeting = result.add(
                "meetings",
                services.meeting_create(
                    actor=None,
                    partnership=partnership,
                    group=group,
                    held_on=held_on,
                    location="Microsoft Teams" if draws[0] < 0.5 else "County Hall, Durham",
                    minutes=f"The {group.short_name or group.name} met on {held_on:%-d %B %Y}. Members received the performance and "
                    "assurance update and agreed the next steps.",
                ),
            )
            for number, title in enumerate(AGENDA, start=1):
                services.agenda_item_add(actor=None, meeting=meeting, number=number, title=title)
            services.decision_record(
                actor=None, meeting=meeting, description="The update was received and the next steps agreed."
            )
            for seat, draw in zip(services.expected_attendees(meeting), draws[1:]):
                # Mostly present: the report cites 'consistently high levels of attendance'.
                status = (
                    "present" if draw < 0.87 else "deputy" if draw < 0.95 else "apologies" if draw < 0.99 else "absent"
                )
                agency = seat.represented_agency
                deputy = (
                    f"Deputy for {seat.person.name}" + (f" ({agency})" if agency else "") if status == "deputy" else ""
                )
                result.add(
                    "attendance records",
                    services.attendance_record(
                        actor=None,
                        meeting=meeting,
                        person=seat.person,
                        status=status,
                        agency=agency,
                        deputy_name=deputy,
                    ),
                )


PLAN_2023 = ("Strategic Business Plan 2023-2025", datetime.date(2023, 4, 1), datetime.date(2025, 3, 31))
PLAN_2025 = ("Strategic Business Plan 2025-2027", datetime.date(2025, 4, 1), datetime.date(2027, 3, 31))

PRIORITIES = {
    PLAN_2023[0]: [
        (
            1,
            "Domestic Abuse",
            "Safeguarding children and young people from domestic abuse remains a key priority. Domestic abuse remained the highest "
            "factor for Durham Children's Social Care safeguarding referrals during 2022/23 at 24%.",
            "All children in Durham are supported to understand what a healthy relationship looks like, so they can grow up in a "
            "safe, stable and loving home.",
        ),
        (
            2,
            "Harm Outside the Home",
            "Children and young people at risk of harm outside the home are not always visible to practitioners.",
            "Increased awareness and understanding of places and spaces, missing children and disruption.",
        ),
        (
            3,
            "First 1001 Days",
            "Locally and nationally the first 1001 days are where most child safeguarding practice reviews, rapid reviews and "
            "referrals for learning arise.",
            "Practitioners verify, clarify and reflect; a whole family approach; information shared across boundaries.",
        ),
        (
            4,
            "Mental Health and Wellbeing",
            "Mental health difficulties with parents, young people or children are a common and prominent factor in many referrals "
            "and were identified in all of our local learning.",
            "Families are identified at the earliest opportunity for support, before they reach crisis point.",
        ),
    ],
    PLAN_2025[0]: [
        (
            1,
            "Harm Outside the Home",
            "Children and young people at risk of harm outside the home can be children who are not always visible to "
            "practitioners: strengthen awareness, understanding of places and spaces, focus on missing children and disruption.",
            "Young people, practitioners, parents/carers and public have increased awareness and are supported and educated to recognise risk\n"
            "The Durham offer is clear and understood. Children at risk are identified, assessed and effectively supported\n"
            "Targeted approach to Places and Spaces and People of Concern, mapping used to target intervention and activity is disrupted\n"
            "Young People are supported to transition into Adult Services.",
        ),
        (
            2,
            "Safeguarding Through Early Identification and Intervention",
            "The learning from the past two years links to early intervention and missed opportunities at an early stage; coming "
            "through the correct process and early information sharing is key.",
            "All practitioners across agencies in Durham are confident at identifying risk\n"
            "Thresholds, safeguarding processes and pathways for intervention are understood and utilised\n"
            "Intervention is targeted and meets the needs of the family, providing the right support at the right time\n"
            "Practitioners are confident leading early help assessments and plans.",
        ),
        (
            3,
            "Trauma Informed Practice",
            "Increase understanding, identification and impact of trauma affecting our children, young people and parents; all "
            "rapid reviews, CSPRs and priority work over the last 12 months included learning on complex trauma.",
            "Trauma informed practice is embedded across all agencies working with children and families\n"
            "Impact of trauma is identified and understood\n"
            "Adverse childhood experiences (ACEs) in children and parents are understood\n"
            "Interventions include support for children, young people, parents and carers allowing trauma to be identified and supported\n"
            "Focus on support at the point of incident occurring.",
        ),
        (
            4,
            "Working Together and Towards Reform Action Plan",
            "Working Together to Safeguard Children 2023 asked partnerships to review their local multi-agency safeguarding "
            "arrangements.",
            "Revised multi-agency safeguarding arrangements published and embedded.",
        ),
    ],
}

GOLDEN_THREADS = {
    PLAN_2023[0]: [
        "Child's voice and lived experience",
        "Working together across partners and boundaries",
        "Whole family approach recognising networks, father's roles and hidden males",
        "Cultural Competence",
        "Reflective practice",
        "Signs of Safety",
    ],
    PLAN_2025[0]: [
        "Child's voice and lived experience",
        "Working together and sharing information across partners and boundaries",
        "Whole family approach recognising networks",
        "Pieces of the jigsaw through Professional Curiosity and Cumulative Lens",
        "Intersectionality including SEND",
        "Reflective Strengths Based Practice",
        "Mental Health and Wellbeing",
    ],
}


@loader
def load_business_plans(partnership: Partnership, result: DemoResult) -> None:
    for title, starts_on, ends_on in (PLAN_2023, PLAN_2025):
        plan = BusinessPlan._base_manager.filter(partnership=partnership, title=title).first() or result.add(
            "business plans",
            services.plan_create(
                actor=None, partnership=partnership, title=title, starts_on=starts_on, ends_on=ends_on
            ),
        )
        for number, priority_title, why, outcomes in PRIORITIES[title]:
            if not Priority._base_manager.filter(plan=plan, number=number).exists():
                result.add(
                    "priorities",
                    services.priority_add(
                        actor=None, plan=plan, number=number, title=priority_title, why=why, outcomes=outcomes
                    ),
                )
        for position, thread in enumerate(GOLDEN_THREADS[title], start=1):
            if not GoldenThread._base_manager.filter(plan=plan, title=thread).exists():
                result.add(
                    "golden threads", services.golden_thread_add(actor=None, plan=plan, title=thread, position=position)
                )


# The report's appendix: 'DSCP Budget 2024-2025', the financial contributions of the strategic partners.
BUDGET_YEAR = "2024-25"
CONTRIBUTIONS = [
    (COUNCIL, 191_604, ""),
    (ICB, 105_135, ""),
    (
        POLICE,
        39_285,
        "In addition Durham Constabulary contribute a Partnership Analyst as a full-time resource shared between "
        "the Durham and Darlington Children and Adults Partnerships.",
    ),
    ("Probation Service", 4_873, ""),
    ("Harrogate and District NHS Foundation Trust", 2_680, ""),
    ("County Durham and Darlington NHS Foundation Trust", 2_680, ""),
]
TRAINING_INCOME = "Training programme: non-attendance charges, registration fees from profit organisations and bespoke training charges"


@loader
def load_budget(partnership: Partnership, result: DemoResult) -> None:
    for agency_name, amount, note in CONTRIBUTIONS:
        agency = Agency._base_manager.get(partnership=partnership, name=agency_name)
        if not Contribution._base_manager.filter(agency=agency, financial_year=BUDGET_YEAR).exists():
            result.add(
                "contributions",
                services.contribution_create(
                    actor=None,
                    partnership=partnership,
                    agency=agency,
                    financial_year=BUDGET_YEAR,
                    amount=amount,
                    note=note,
                ),
            )
    if not IncomeLine._base_manager.filter(
        partnership=partnership, financial_year=BUDGET_YEAR, description=TRAINING_INCOME
    ).exists():
        result.add(
            "income lines",
            services.income_line_create(
                actor=None,
                partnership=partnership,
                financial_year=BUDGET_YEAR,
                description=TRAINING_INCOME,
                amount=6_000,
                is_forecast=True,
            ),
        )


TIER_1 = "Durham Tier 1 Information Sharing Agreement"
TIER_2 = "Harm Outside the Home Information Sharing Agreement (Tier 2)"
# 'a strategic commitment from twelve partners and relevant agencies'. Who signed for the three
# statutory partners is the lead safeguarding partner; the others by role.
SIGNATORIES = [
    (COUNCIL, "John Hewitt"),
    (ICB, "Samantha Allan"),
    (POLICE, "Rachel Bacon"),
    ("County Durham and Darlington NHS Foundation Trust", "Senior Information Risk Owner"),
    ("Tees, Esk and Wear Valleys NHS Foundation Trust", "Senior Information Risk Owner"),
    ("Harrogate and District NHS Foundation Trust", "Senior Information Risk Owner"),
    ("North East Ambulance Service NHS Foundation Trust", "Caldicott Guardian"),
    ("Probation Service", "Head of Public Protection"),
    ("County Durham Youth Justice Service", "Youth Justice Service Manager"),
    ("Harbour", "Chief Executive"),
    ("Waythrough", "Director of Operations"),
    ("County Durham and Darlington Fire and Rescue Service", "Data Protection Officer"),
]


@loader
def load_sharing_agreements(partnership: Partnership, result: DemoResult) -> None:
    tier_1 = SharingAgreement._base_manager.filter(partnership=partnership, title=TIER_1).first() or result.add(
        "sharing agreements",
        services.agreement_create(
            actor=None,
            partnership=partnership,
            title=TIER_1,
            tier=1,
            topic="Overarching strategic information sharing across the partnership",
            status=AgreementStatus.IN_FORCE,
            review_due_on=datetime.date(2026, 9, 30),
        ),
    )
    for index, (agency_name, signed_by) in enumerate(SIGNATORIES):
        agency = Agency._base_manager.get(partnership=partnership, name=agency_name)
        if not Signatory._base_manager.filter(agreement=tier_1, agency=agency).exists():
            result.add(
                "signatories",
                services.signatory_add(
                    actor=None,
                    agreement=tier_1,
                    agency=agency,
                    signed_on=datetime.date(2024, 10, 1) + datetime.timedelta(days=9 * index),
                    signatory_name=signed_by,
                ),
            )
    if not SharingAgreement._base_manager.filter(partnership=partnership, title=TIER_2).exists():
        result.add(
            "sharing agreements",
            services.agreement_create(
                actor=None,
                partnership=partnership,
                title=TIER_2,
                tier=2,
                topic="Harm outside the home",
                status=AgreementStatus.DRAFT,
            ),
        )


from . import demo_together  # noqa: E402, F401 (registers the partnerships-together late loader)
