"""Durham's quality assurance framework for the 2023-2025 business plan, read from the reference
report: each of the four priorities with its own activities and measures (section 4, the
Improvement Delivery Group; section 6, training; the think tank's indicators), each outcome linked
to the records the other apps' demos made. Nothing here is a figure: the chain is computed from
those records.

And the managers' assurance of the Development Day 2024 (the first 1001 days): the learners who
attended name their line manager, the daily job asks each manager once, three months on, and
some answer through their link, as the report's next step asks of managers.
"""

from __future__ import annotations

import datetime

from django.test import override_settings
from django.utils import timezone

from jigsaw.assurance.models import AssuranceWeek, Audit, Section
from jigsaw.core.dates import add_months
from jigsaw.core.demo import DOMAIN, loader
from jigsaw.core.services import save
from jigsaw.governance.models import BusinessPlan, Priority
from jigsaw.learning.models import LearningCycle
from jigsaw.performance.models import Indicator
from jigsaw.training import services as training_services
from jigsaw.training.models import Attendance, Booking, BookingStatus, Completion, Course, Event

from . import services
from .models import EvidenceKind as K
from .models import Framework, ManagerAssurance, PracticeChanged, Stage

PLAN = "Strategic Business Plan 2023-2025"
NAME = "DSCP Quality Assurance Framework"

# priority number -> outcomes: (activity, output, short-term outcome, long-term outcome, evidence)
# evidence: (kind, stage, what it names, how it is read)
OUTCOMES = {
    1: [
        (
            "Domestic abuse awareness sessions for all partners and the 'child as a victim' briefing refresh; "
            "Domestic Abuse ambassadors trained; Operation Encompass refreshed with 6 DSL sessions a year",
            "Practitioners across the partnership trained and briefed on the child as a victim in their own right",
            "Practitioners see domestic abuse through the eyes of the child and respond early",
            "Fewer children live with repeat domestic abuse",
            [
                (K.COURSE_KNOWLEDGE, Stage.OUTPUT, "Domestic Abuse: Children as Victims", "knowledge before and after"),
                (K.COURSE_KNOWLEDGE, Stage.OUTPUT, "Domestic Abuse and Children", "knowledge before and after"),
                (K.S11_SECTION, Stage.SHORT_TERM, 6, "% green on the domestic abuse section"),
                (
                    K.CYCLE_VOICES,
                    Stage.SHORT_TERM,
                    "Domestic abuse: the impact of early intervention",
                    "children's voices",
                ),
                (K.INDICATOR, Stage.LONG_TERM, "DA-2", "fewer re-referrals than a year earlier, under 32"),
                (K.INDICATOR, Stage.LONG_TERM, "DA-3", "fewer repeat incidents than a year earlier, under 230"),
            ],
        ),
        (
            "CAPVA: further ambassadors trained, awareness sessions, data recording of the child's journey, "
            "the Respect Young People's Programme and a bespoke support offer",
            "Referrals made at the right time; the journey of children open for CAPVA followed in the data",
            "Children who harm a parent get support at the right time",
            "Children and parents are safer at home",
            [
                (
                    K.CYCLE_VOICES,
                    Stage.SHORT_TERM,
                    "Child and adolescent to parent violence and abuse (CAPVA)",
                    "phase 6 assurance and voices",
                ),
                (K.ACTIONS, Stage.SHORT_TERM, None, "actions assured at 12 months"),
            ],
        ),
    ],
    2: [
        (
            "Mapping the Harm Outside the Home offer across every service (interviews and gap analysis); single agency "
            "action plans; the Strategic CEG embedding the learning; Fearless promoted",
            "Every service's HOTH offer mapped; internal training on the learning site",
            "Children at risk outside the home are seen and missing children are interviewed on return",
            "Fewer children are exploited",
            [
                (K.COURSE_KNOWLEDGE, Stage.OUTPUT, "Harm Outside the Home", "knowledge before and after"),
                (
                    K.CYCLE_VOICES,
                    Stage.SHORT_TERM,
                    "Harm outside the home",
                    "phase 6 assurance and the young people's focus group",
                ),
                (K.INDICATOR, Stage.SHORT_TERM, "MC-1", "return home interviews offered, 95% target"),
                (K.INDICATOR, Stage.SHORT_TERM, "MC-2", "interviews within 72 hours, 80% target"),
                (K.INDICATOR, Stage.LONG_TERM, "HOTH-1", "children on the CEVT (monitored)"),
                (K.S11_SECTION, Stage.SHORT_TERM, 7, "% green on the harm outside the home section"),
            ],
        ),
    ],
    3: [
        (
            "Development Day 2024 on the first 1001 days; the 'verify, clarify and reflect' briefing; Whole Family "
            "Approach guidance; tier 1 and cross-boundary information sharing agreements; the SUDI campaign",
            "Practitioners trained on the five themes from local reviews; guidance and agreements launched",
            "Practitioners share information and think family for babies and their parents",
            "Babies are safer in their first 1001 days",
            [
                (K.COURSE_MANAGERS, Stage.SHORT_TERM, "Safe Sleeping/Safe Handling", "managers say practice changed"),
                (
                    K.COURSE_MANAGERS,
                    Stage.SHORT_TERM,
                    "Whole Family Approach/Family Networks",
                    "managers say practice changed",
                ),
                (K.COURSE_MANAGERS, Stage.SHORT_TERM, "Concealed Pregnancy", "managers say practice changed"),
                (
                    K.COURSE_FOLLOW_UP,
                    Stage.SHORT_TERM,
                    "Safe Sleeping/Safe Handling",
                    "learners' 3- and 6-month answers",
                ),
                (K.CYCLE_VOICES, Stage.SHORT_TERM, "First 1001 days", "phase 6 assurance"),
                (K.S11_SECTION, Stage.SHORT_TERM, 8, "% green on the first 1001 days section"),
            ],
        ),
    ],
    4: [
        (
            "Mapping mental health support with the Mental Health and Wellbeing Board; the communication plan for "
            "'Information Sharing: How we work in Durham'; the multi-agency self-harm pathway; voice of the child guidance",
            "Support mapped and the information sharing package promoted to partners",
            "Families are identified early and listened to before they reach crisis",
            "Children's and parents' mental health and wellbeing improve",
            [
                (
                    K.COURSE_KNOWLEDGE,
                    Stage.OUTPUT,
                    "Information Sharing: Consent versus Public Task",
                    "knowledge before and after",
                ),
                (
                    K.CYCLE_VOICES,
                    Stage.SHORT_TERM,
                    "Mental health and wellbeing",
                    "young people's and families' voices",
                ),
                (
                    K.WEEK_VOICES,
                    Stage.SHORT_TERM,
                    "Multi-agency meeting assurance week 2024",
                    "what children and parents said",
                ),
                (K.ACTIONS, Stage.SHORT_TERM, None, "areas of development completed and assured"),
                (K.S11_SECTION, Stage.SHORT_TERM, 9, "% green on the mental health and wellbeing section"),
            ],
        ),
    ],
}

# The Development Day 2024's courses, whose learners' managers are asked at three months.
MANAGER_COURSES = (
    "Concealed Pregnancy",
    "Safe Sleeping/Safe Handling",
    "Whole Family Approach/Family Networks",
    "Pieces of the jigsaw (learning from practice reviews)",
    "Enhance Parenting Pathway Program",
)
MANAGER_EXAMPLES = [
    (
        PracticeChanged.YES,
        "She now asks about sleeping arrangements at every new birth visit and records what she saw, not only what she was told.",
    ),
    (
        PracticeChanged.YES,
        "He brought the whole family approach into our team meeting; we now invite the father to every review.",
    ),
    (
        PracticeChanged.PARTLY,
        "More curious about who lives in the household; still building confidence in sharing information across the border.",
    ),
    (PracticeChanged.NO, ""),
    (
        PracticeChanged.YES,
        "Checked a family's previous local authority before the first visit, which is what the review asked of us.",
    ),
    (PracticeChanged.CANNOT_SAY, ""),
]


def _link(partnership, kind, target):
    if kind in (K.COURSE_KNOWLEDGE, K.COURSE_FOLLOW_UP, K.COURSE_MANAGERS):
        return "course", Course.objects.filter(partnership=partnership, title=target).first()
    if kind == K.INDICATOR:
        return "indicator", Indicator.objects.filter(partnership=partnership, code=target).first()
    if kind == K.S11_SECTION:
        return "s11_section", (
            Section.objects.filter(partnership=partnership, number=target, framework__next_version__isnull=True)
            .order_by("-framework__version")
            .first()
        )
    if kind == K.CYCLE_VOICES:
        return "cycle", LearningCycle.objects.filter(partnership=partnership, title=target).first()
    if kind == K.WEEK_VOICES:
        return "week", AssuranceWeek.objects.filter(partnership=partnership, title=target).first()
    if kind == K.AUDIT:
        return "audit", Audit.objects.filter(partnership=partnership, title=target).first()
    return None, None


@loader
def load_framework(partnership, result) -> None:
    plan = BusinessPlan.objects.filter(partnership=partnership, title=PLAN).first()
    if plan is None or Framework.objects.filter(partnership=partnership, name=NAME).exists():
        return
    framework = result.add(
        "impact frameworks",
        services.framework_create(
            actor=None,
            partnership=partnership,
            plan=plan,
            name=NAME,
            introduction="The theory of change for each priority of the 2023-2025 business plan: activity, output, "
            "short-term outcome and long-term outcome for children, each with the evidence that shows it.",
        ),
    )
    priorities = {p.number: p for p in Priority.objects.filter(plan=plan)}
    for number, outcomes in OUTCOMES.items():
        for position, (activity, output, short_term, long_term, evidence) in enumerate(outcomes, start=1):
            outcome = result.add(
                "impact outcomes",
                services.outcome_add(
                    actor=None,
                    framework=framework,
                    priority=priorities[number],
                    position=position,
                    activity=activity,
                    output=output,
                    short_term=short_term,
                    long_term=long_term,
                ),
            )
            for kind, stage, target, measure in evidence:
                field_name, record = _link(partnership, kind, target)
                if field_name and record is None:
                    continue  # the record is not in this partnership's demo: the chain shows the gap
                fields = {field_name: record} if field_name else {}
                result.add(
                    "impact evidence",
                    services.evidence_add(
                        actor=None, outcome=outcome, kind=kind, stage=stage, measure=measure, **fields
                    ),
                )
    services.framework_adopt(actor=None, framework=framework, adopted_on=plan.starts_on)
    # The report's next step: the framework updated to align with TASP's evaluation framework,
    # a new version in draft while the adopted one keeps reading the chain.
    services.framework_update(
        actor=None,
        framework=framework,
        introduction=framework.introduction
        + " Being updated to align with The Association of Safeguarding Partners (TASP) multi-agency child "
        "safeguarding evaluation framework and theory of change.",
    )


@loader
def load_manager_assurance(partnership, result) -> None:
    if ManagerAssurance.objects.filter(partnership=partnership).exists():
        return
    events = Event.objects.filter(
        partnership=partnership, course__title__in=MANAGER_COURSES, starts_at__lt=timezone.now()
    ).select_related("course")
    made = 0
    for event in events:
        day = timezone.localtime(event.starts_at).date()
        # The learners who were there: their completion of the course on the day.
        completions = (
            Completion.objects.filter(course=event.course, completed_on=day, learner__agency__isnull=False)
            .select_related("learner", "learner__agency")
            .order_by("pk")
        )
        for completion in completions:
            learner = completion.learner
            if Booking.objects.filter(event=event, email__iexact=learner.email).exists():
                continue
            made += 1
            named = made % 5 != 0  # one learner in five did not name a manager: their agency lead does
            manager = f"manager.{made}@{DOMAIN}"
            booking = save(
                Booking(
                    partnership=partnership,
                    event=event,
                    name=learner.name,
                    email=learner.email,
                    organisation=learner.organisation or learner.agency.name,
                    category=completion.category,
                    agency=learner.agency,
                    status=BookingStatus.BOOKED,
                    line_manager_name=f"Manager {made}" if named else "",
                    line_manager_email=manager if named else "",
                ),
                actor=None,
            )
            # Attendance through the trainer's register: the completion is already counted, so none is added.
            training_services.booking_mark_attendance(actor=None, booking=booking, attendance=Attendance.ATTENDED)
            result.created["training bookings"] += 1
    if not made:
        return
    # The daily job, run as it would have run: the managers here are made up, so their email is
    # kept in memory rather than sent.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for event in events:
            day = timezone.localtime(event.starts_at).date()
            run_on = add_months(day, ManagerAssurance.MONTHS) + datetime.timedelta(days=1)
            run = services.manager_emails_send(today=run_on, partnership=partnership)
            result.created["managers asked"] += run.sent
            # Some agencies name the manager afterwards; the next day's run asks them.
            for index, request in enumerate(
                ManagerAssurance.objects.filter(booking__event=event, manager_email="").order_by("pk")
            ):
                if index % 2 == 0:
                    services.manager_name(
                        actor=None,
                        request=request,
                        manager_name=f"Team manager, {request.agency.name if request.agency else 'agency'}",
                        manager_email=f"team.manager.{request.pk}@{DOMAIN}",
                    )
            run = services.manager_emails_send(today=run_on + datetime.timedelta(days=1), partnership=partnership)
            result.created["managers asked"] += run.sent
    # About two in three answer through their link.
    asked = ManagerAssurance.objects.filter(partnership=partnership, emails__kind="ask").order_by("pk").distinct()
    for index, request in enumerate(asked):
        if index % 3 == 2:
            continue
        answer, example = MANAGER_EXAMPLES[index % len(MANAGER_EXAMPLES)]
        services.manager_answer(request=request, practice_changed=answer, example=example)
        result.created["managers' answers"] += 1
