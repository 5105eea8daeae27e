"""The learning log's own demo actions: a realistic spread beside those the other apps raise
from their sources (the Amara rapid review, the self-assessment improvement plan, the
assurance week, the learning cycles).

Actions agreed at governance meetings, partnership-wide and for single agencies, in several
themes: some open and overdue, some in progress, some completed with their 6-month review,
some assured by their 12-month review, one closed without assurance, one escalated. Raised from
the governance app's meetings when it has them, otherwise with the meeting as a label only.
Looked up by description first, so a second `jigsaw demo` adds nothing. Dates are fixed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps

from jigsaw.core.demo import COUNCIL, ICB, POLICE, loader
from jigsaw.core.models import Agency, Person, Theme

from . import services
from .models import LearningAction, ReviewKind, Status

D = datetime.date


@dataclass(frozen=True)
class Review:
    on: datetime.date
    rag: str
    what_changed: str
    evidence: str
    assured: bool


@dataclass(frozen=True)
class DemoAction:
    description: str
    agency: str | None  # None: partnership-wide
    owner: str | None
    group: str  # the group whose meeting agreed it
    raised_on: datetime.date
    due_on: datetime.date
    themes: tuple[str, ...]
    priority: str = "medium"
    status: str = Status.OPEN
    on: datetime.date | None = None  # when the status was reached
    evidence: str = ""
    closure_reason: str = ""
    reviews: tuple[Review, ...] = field(default=())  # 6-month, then 12-month
    escalated: tuple[str, datetime.date, str] | None = None  # (group, date, why)


PLG = "Performance and Learning Group"
CEG = "Child Exploitation Group"
IDG = "Improvement Delivery Group"
EXECUTIVE = "Executive"

ACTIONS = [
    DemoAction(
        "Refresh the return home interview template so the child's own account of going missing is recorded in their words",
        "Durham Children's Social Care",
        "John Pearce",
        CEG,
        D(2024, 5, 16),
        D(2024, 9, 30),
        ("Children missing from home, school or care", "Voice of the child"),
        "high",
        Status.COMPLETED,
        D(2024, 9, 20),
        evidence="New template in use from 1 September 2024; dip sample of 30 interviews shows the child's words quoted in 27.",
        reviews=(
            Review(
                D(2025, 3, 24),
                "green",
                "Return home interviews held within 72 hours rose and quote the child in most records.",
                "Quarterly missing dashboard; dip sample of 25 interviews.",
                True,
            ),
            Review(
                D(2025, 9, 22),
                "green",
                "Sustained: the child's account shapes the safety plan in the cases sampled.",
                "Second dip sample of 25 interviews; Ofsted's findings on missing children.",
                True,
            ),
        ),
    ),
    DemoAction(
        "Record the voice of the child in every strategy meeting minute, including who knows the child best",
        POLICE,
        "Nicola Lawrence",
        PLG,
        D(2024, 6, 20),
        D(2024, 12, 31),
        ("Voice of the child", "Recording and supervision"),
        "high",
        Status.COMPLETED,
        D(2024, 12, 18),
        evidence="Strategy meeting template changed; public protection unit briefed.",
        reviews=(
            Review(
                D(2025, 6, 19),
                "amber",
                "Most minutes now name who knows the child best; the child's wishes are still missing in a third.",
                "Audit of 18 strategy meeting minutes.",
                True,
            ),
        ),
    ),
    DemoAction(
        "GP practices to code safeguarding concerns about children consistently so health visitors and school nurses see them",
        ICB,
        "Vicky Playforth",
        PLG,
        D(2024, 7, 18),
        D(2025, 3, 31),
        ("Information sharing",),
        "medium",
        Status.IN_PROGRESS,
        D(2024, 9, 1),
    ),
    DemoAction(
        "Agree what makes a good multi-agency meeting and publish practice guidance for chairs",
        None,
        "Demo Business Unit",
        PLG,
        D(2024, 10, 17),
        D(2025, 6, 30),
        ("Professional curiosity", "Voice of the child"),
        "high",
        escalated=(EXECUTIVE, D(2025, 7, 10), "Past its due date: no agency has agreed to lead the guidance."),
    ),
    DemoAction(
        "Check the right partners are invited to Team Around the Family meetings, starting with schools and health visitors",
        "Durham Early Help",
        None,
        IDG,
        D(2024, 11, 21),
        D(2025, 5, 31),
        ("Think family",),
        "medium",
        Status.COMPLETED,
        D(2025, 5, 20),
        evidence="Invitation checklist added to the Team Around the Family guidance; attendance reported to the Think Tank.",
        reviews=(
            Review(
                D(2025, 11, 24),
                "green",
                "School attendance at Team Around the Family meetings is up.",
                "Attendance data from the Performance Think Tank.",
                True,
            ),
        ),
    ),
    DemoAction(
        "Train domestic abuse ambassadors in every locality and give them a resource pack",
        "Harbour",
        None,
        IDG,
        D(2024, 4, 18),
        D(2024, 10, 31),
        ("Domestic abuse",),
        "medium",
        Status.COMPLETED,
        D(2024, 10, 15),
        evidence="42 ambassadors trained across the four localities; resource pack on the DSCP website.",
        reviews=(
            Review(
                D(2025, 4, 15),
                "green",
                "Ambassadors are advising colleagues; referrals to Harbour name the ambassador.",
                "Harbour referral data; ambassador survey.",
                True,
            ),
            Review(
                D(2025, 10, 16),
                "green",
                "Children and young people feeling safer after support rose from 85% to 95%.",
                "Harbour outcome measures, Q2 to Q3.",
                True,
            ),
        ),
    ),
    DemoAction(
        "Have the safe sleep conversation at every health visitor new-birth visit and record it",
        "County Durham and Darlington NHS Foundation Trust",
        None,
        IDG,
        D(2025, 1, 16),
        D(2025, 7, 31),
        ("The first 1001 days",),
        "high",
        Status.COMPLETED,
        D(2025, 7, 10),
        evidence="Safe sleep prompt added to the new-birth visit record; all health visitors briefed at the development day.",
        reviews=(
            Review(
                D(2026, 1, 14),
                "red",
                "Recording of the conversation is below 60% in two localities.",
                "Health visiting record audit, December 2025.",
                False,
            ),
        ),
    ),
    DemoAction(
        "Add attendance at multi-agency meetings to the Performance Think Tank dataset",
        "Durham Virtual School",
        None,
        PLG,
        D(2025, 2, 20),
        D(2025, 9, 30),
        ("Children missing from home, school or care",),
        "low",
        Status.IN_PROGRESS,
        D(2025, 4, 1),
    ),
    DemoAction(
        "Share MAPPA risk information about adults living with children with children's social care within 24 hours",
        "Probation Service",
        None,
        PLG,
        D(2024, 9, 19),
        D(2024, 12, 31),
        ("Information sharing", "Think family"),
        "high",
        Status.CLOSED_WITHOUT_ASSURANCE,
        D(2025, 3, 20),
        closure_reason="Superseded by the Tier 1 information sharing agreement, which now sets this duty for every partner.",
    ),
    DemoAction(
        "Add a prompt about each child present to the police domestic abuse risk assessment",
        POLICE,
        "Demo Agency Lead",
        PLG,
        D(2025, 4, 17),
        D(2026, 3, 31),
        ("Domestic abuse", "Voice of the child"),
        "high",
    ),
    DemoAction(
        "Brief neighbourhood teams on harm outside the home and the Tier 2 information sharing agreement",
        POLICE,
        "Demo Agency Lead",
        CEG,
        D(2025, 5, 15),
        D(2026, 12, 31),
        ("Child exploitation", "Information sharing"),
        "medium",
        Status.IN_PROGRESS,
        D(2025, 6, 2),
    ),
    DemoAction(
        "Agree a joint self-harm pathway between child and adolescent mental health services and the emergency department",
        "Tees, Esk and Wear Valleys NHS Foundation Trust",
        None,
        PLG,
        D(2025, 6, 19),
        D(2026, 1, 31),
        ("Adolescent mental health",),
        "high",
        Status.COMPLETED,
        D(2026, 1, 20),
        evidence="Pathway signed off by both trusts and published on the procedures site.",
    ),
    DemoAction(
        "Remind designated safeguarding leads to record professional curiosity conversations with parents",
        "Durham Schools (maintained and academies)",
        None,
        PLG,
        D(2024, 12, 12),
        D(2025, 3, 31),
        ("Professional curiosity", "Recording and supervision"),
        "medium",
        Status.COMPLETED,
        D(2025, 3, 28),
        evidence="Briefing sent to all designated safeguarding leads; item at the spring DSL forum.",
        reviews=(
            Review(
                D(2025, 9, 29),
                "green",
                "Records sampled show curious questions asked and written down.",
                "Section 175 audit sample of 12 schools.",
                True,
            ),
            Review(
                D(2026, 3, 30),
                "green",
                "Sustained across the sample; schools cite the Clarify, Verify, Reflect briefing.",
                "Second section 175 sample.",
                True,
            ),
        ),
    ),
    DemoAction(
        "Publish the annual safeguarding partnership arrangements and the scrutineer's findings on the website",
        COUNCIL,
        "John Hewitt",
        EXECUTIVE,
        D(2025, 7, 3),
        D(2025, 9, 30),
        ("Think family",),
        "low",
        Status.COMPLETED,
        D(2025, 9, 26),
        evidence="Published on 26 September 2025.",
    ),
]


def _meeting(partnership, group: str, raised_on: datetime.date):
    """The governance app's meeting of that group that agreed the action, when it has meetings."""
    if not apps.is_installed("jigsaw.governance"):
        return None
    from jigsaw.governance import models as governance

    meeting_model = getattr(governance, "Meeting", None)
    if meeting_model is None:
        return None
    fields = {f.name for f in meeting_model._meta.get_fields()}
    if not {"group", "held_on"} <= fields:
        return None
    # The group's last meeting within six weeks before: the action is then raised on its date.
    return (
        meeting_model._base_manager.filter(
            partnership=partnership,
            group__name__icontains=group,
            held_on__lte=raised_on,
            held_on__gte=raised_on - datetime.timedelta(days=42),
        )
        .order_by("-held_on")
        .first()
    )


def _group(partnership, name: str):
    from jigsaw.governance.models import Group

    return Group._base_manager.filter(partnership=partnership, name__icontains=name).order_by("pk").first()


@loader
def load_actions(partnership, result) -> None:
    themes = {theme.name: theme for theme in Theme._base_manager.filter(partnership=partnership)}
    agencies = {agency.name: agency for agency in Agency._base_manager.filter(partnership=partnership)}
    people = {person.name: person for person in Person._base_manager.filter(partnership=partnership)}
    existing = set(LearningAction._base_manager.filter(partnership=partnership).values_list("description", flat=True))
    for demo in ACTIONS:
        if demo.description in existing:
            continue
        meeting = _meeting(partnership, demo.group, demo.raised_on)
        action = services.action_raise(
            actor=None,
            partnership=partnership,
            description=demo.description,
            source=meeting,
            source_label="" if meeting else f"{demo.group} meeting, {demo.raised_on:%-d %B %Y}",
            owner_agency=agencies.get(demo.agency) if demo.agency else None,
            owner_person=people.get(demo.owner) if demo.owner else None,
            raised_on=meeting.held_on if meeting else demo.raised_on,
            due_on=demo.due_on,
            priority=demo.priority,
            themes=[themes[name] for name in demo.themes if name in themes],
        )
        result.add("learning log actions", action)
        if demo.status != Status.OPEN:
            if demo.status == Status.CLOSED_WITHOUT_ASSURANCE:
                services.action_set_status(
                    actor=None,
                    action=action,
                    status=Status.IN_PROGRESS,
                    on=demo.raised_on + datetime.timedelta(days=30),
                )
            services.action_set_status(
                actor=None,
                action=action,
                status=demo.status,
                evidence=demo.evidence,
                closure_reason=demo.closure_reason,
                on=demo.on,
            )
        for kind, review in zip((ReviewKind.SIX_MONTH, ReviewKind.TWELVE_MONTH), demo.reviews):
            services.review_record(
                actor=None,
                review=action.reviews.get(kind=kind),
                rag=review.rag,
                what_changed=review.what_changed,
                evidence=review.evidence,
                assurance_given=review.assured,
                reviewed_on=review.on,
            )
        if demo.escalated:
            group = _group(partnership, demo.escalated[0])
            if group is not None:
                services.action_escalate(
                    actor=None, action=action, group=group, reason=demo.escalated[2], on=demo.escalated[1]
                )
