"""The report's assurance work as records: the 2024 organisational safeguarding assessment in
South Durham, the multi-agency meeting assurance week of 30 September 2024, and the year's use
of restraint at Aycliffe Secure Centre. The report's figures come out of these records through
the same queries the report uses; nothing here is a typed-in total.
"""

from __future__ import annotations

import datetime
import io
import random

from django.db import transaction

from jigsaw.actions.models import LearningAction
from jigsaw.core import services as core_services
from jigsaw.core.demo import COUNCIL, DOMAIN, DemoResult, loader
from jigsaw.core.models import Agency, Partnership, Person

from . import services
from .models import (
    AssuranceWeek,
    CctvSample,
    Consent,
    Framework,
    MeetingType,
    Rating,
    RestraintImport,
    Round,
    SessionKind,
)

D = datetime.date

# The nine themes, in the order the tool lists them, with the share of 'green' the report's
# table gives each. 24 returns x 25 questions = 600 answers a section, so every share is exact.
SECTIONS = [
    (
        "Leadership, supervision and accountability",
        84,
        [
            "safeguarding responsibilities are clear at every level of the service",
            "managers challenge and support practice through supervision",
            "safeguarding risks are on the service's risk register",
            "a named safeguarding lead is known to staff",
            "learning from reviews reaches the front line",
        ],
    ),
    (
        "Use of policies and procedures to safeguard children",
        88,
        [
            "staff use the partnership's procedures",
            "the escalation policy is used to resolve professional disagreement",
            "single-agency policies follow the partnership's procedures",
            "safer recruitment checks are complete and recorded",
            "allegations against staff are referred to the LADO",
        ],
    ),
    (
        "Information sharing and data management",
        81,
        [
            "information is shared in time with the right people",
            "the Tier 1 information sharing agreement is understood",
            "consent and public task are understood as lawful bases",
            "records show the reason for sharing or not sharing",
            "data on safeguarding activity is collected and used",
        ],
    ),
    (
        "Multi agency training and development",
        89,
        [
            "staff complete the partnership's safeguarding training",
            "training needs are identified in supervision",
            "learning from training is put into practice",
            "staff attend multi-agency learning events",
            "new staff complete safeguarding induction",
        ],
    ),
    (
        "The voice of children and young people",
        76,
        [
            "children's wishes and feelings are recorded in their own words",
            "children's views shape their plans",
            "feedback from children changes the service",
            "practitioners identify who knows the child best",
            "children understand what happens next",
        ],
    ),
    (
        "Domestic Abuse (Priority One)",
        74,
        [
            "children are recognised as victims of domestic abuse in their own right",
            "staff know the referral routes for domestic abuse",
            "CAPVA is recognised and responded to",
            "MARAC information is acted on",
            "support is offered to children after an incident",
        ],
    ),
    (
        "Harm outside the home (Priority Two)",
        71,
        [
            "staff recognise the signs of exploitation",
            "the CEVT referral route is known and used",
            "children who go missing are offered a return home interview",
            "places and spaces of concern are shared with partners",
            "disruption activity is coordinated with police",
        ],
    ),
    (
        "First 1001 Days (Priority Three)",
        80,
        [
            "safe sleep advice is given at every contact",
            "fathers and partners are seen and included",
            "the whole family approach is used",
            "closure TAF meetings are held",
            "'verify, clarify and reflect' is used when information is unclear",
        ],
    ),
    (
        "Mental Health and Wellbeing (Priority Four)",
        75,
        [
            "children's emotional wellbeing is assessed",
            "staff know the routes to CAMHS and early support",
            "self-harm is responded to using the partnership's guidance",
            "parental mental health is considered for its impact on children",
            "staff wellbeing is supported after difficult cases",
        ],
    ),
]
LENSES = [
    "Leaders make sure that {}.",
    "Staff can describe how {}.",
    "Supervision records show that {}.",
    "Audits show that {}.",
    "Children and families would recognise that {}.",
]

SOUTH = "South Durham"
# The 8 services the tool was sent to, and how many of their 38 participants returned it (24).
SERVICES = [
    ("Durham Early Help", "Early Help South", 6, 4),
    ("Durham Children's Social Care", "Families First South", 6, 4),
    ("Durham Constabulary", "Safeguarding Unit South", 5, 3),
    ("County Durham and Darlington NHS Foundation Trust", "0-19 Health Visiting and School Nursing South", 5, 3),
    ("Durham Schools (maintained and academies)", "Primary schools South Durham", 5, 3),
    ("Probation Service", "Probation Delivery Unit South", 4, 3),
    ("Harbour", "Harbour South Durham", 4, 2),
    ("Tees, Esk and Wear Valleys NHS Foundation Trust", "CAMHS South", 3, 2),
]
FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Farhan",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kiera",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Ryan",
    "Sophie",
    "Tom",
]
LAST = ["Atkinson", "Bell", "Carr", "Dixon", "Elliott", "Forster", "Gibson"]

ROUND_TITLE = "Organisational Safeguarding Assessment 2024: South Durham pilot"
FRAMEWORK_NAME = "Organisational Safeguarding Assessment"

IMPROVEMENT_PLAN = [
    (
        None,
        "Agree and share what a good multi-agency plan records about the child's voice, and test it in the 12-month assurance session.",
        D(2025, 9, 29),
    ),
    (
        None,
        "Make the Harm Outside the Home pathway and the CEVT referral route known to every South Durham service through the PLG SPOCs.",
        D(2025, 4, 7),
    ),
    (
        "Durham Early Help",
        "Include domestic abuse and CAPVA in Early Help South's supervision template.",
        D(2025, 4, 7),
    ),
    (
        "Durham Constabulary",
        "Brief the Safeguarding Unit South on the Tier 1 information sharing agreement and lawful basis.",
        D(2025, 4, 7),
    ),
    (
        "Tees, Esk and Wear Valleys NHS Foundation Trust",
        "Record children's own words in CAMHS South assessments and audit a sample quarterly.",
        D(2025, 9, 29),
    ),
]


def _people(partnership: Partnership, result: DemoResult, agency: Agency, count: int, start: int) -> list[Person]:
    people = []
    for i in range(start, start + count):
        name = f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}"
        person = Person.objects.filter(partnership=partnership, name=name).first() or result.add(
            "people",
            core_services.person_create(
                actor=None,
                partnership=partnership,
                name=name,
                email=f"{name.lower().replace(' ', '.')}@{DOMAIN}",
                job_title="Practitioner",
                agency=agency,
            ),
        )
        people.append(person)
    return people


@loader
def load_self_assessment(partnership: Partnership, result: DemoResult) -> None:
    if Round.objects.filter(partnership=partnership, title=ROUND_TITLE).exists():
        return
    with transaction.atomic():
        framework = Framework.objects.filter(partnership=partnership, name=FRAMEWORK_NAME).order_by("version").first()
        if framework is None:
            framework = result.add(
                "assessment frameworks",
                services.framework_create(
                    actor=None,
                    partnership=partnership,
                    name=FRAMEWORK_NAME,
                    introduction="A self-audit tool for assessment rather than compliance: how well safeguarding standards are embedded in frontline practice (section 11, Children Act 2004).",
                ),
            )
            for title, _, topics in SECTIONS:
                section = services.section_add(actor=None, framework=framework, title=title)
                for lens in LENSES:
                    for topic in topics:
                        services.question_add(
                            actor=None,
                            section=section,
                            text=lens.format(topic),
                            guidance=f"Think about {topic} in your service over the last 12 months.",
                            evidence_expected="Supervision notes, audit results, training records or feedback from children and families.",
                        )
        round = result.add(
            "assessment rounds",
            services.round_create(
                actor=None,
                partnership=partnership,
                title=ROUND_TITLE,
                framework=framework,
                period_start=D(2024, 4, 1),
                period_end=D(2024, 8, 31),
                deadline=D(2024, 9, 6),
            ),
        )
        returns, number = [], 0
        for agency_name, service, invited, returned in SERVICES:
            agency = Agency.objects.get(partnership=partnership, name=agency_name)
            for i, person in enumerate(_people(partnership, result, agency, invited, number)):
                returns.append(
                    (
                        services.participant_invite(
                            actor=None, round=round, participant=person, agency=agency, service=service, locality=SOUTH
                        ),
                        i < returned,
                    )
                )
            number += invited
        result.created["self-assessment returns"] += len(returns)
        questions = [list(section.questions.all()) for section in framework.sections.order_by("number")]
        submitted = [r for r, is_returned in returns if is_returned]
        for index, assessment_return in enumerate(submitted):
            answers = {}
            for (title, green_pct, _), section_questions in zip(SECTIONS, questions):
                # green_pct% of the section's 600 answers are green, spread evenly over the returns.
                greens = green_pct * len(submitted) * len(section_questions) // 100
                mine = greens // len(submitted) + (1 if index < greens % len(submitted) else 0)
                for position, question in enumerate(section_questions):
                    is_green = (position - index) % len(section_questions) < mine
                    rating = Rating.GREEN if is_green else (Rating.RED if (position + index) % 5 == 0 else Rating.AMBER)
                    evidence = (
                        "Seen in supervision notes and the service's audit."
                        if is_green
                        else f"Not yet consistent across {assessment_return.service}: {title.lower()} is on our improvement plan."
                    )
                    answers[question] = {"rating": rating, "evidence": evidence}
            services.return_save_answers(actor=None, assessment_return=assessment_return, answers=answers)
            services.return_submit(actor=None, assessment_return=assessment_return)
        # Two participants saved a draft and never submitted: their answers do not count.
        for assessment_return in [r for r, is_returned in returns if not is_returned][:2]:
            services.return_save_answers(
                actor=None,
                assessment_return=assessment_return,
                answers={q: {"rating": Rating.AMBER, "evidence": "Draft"} for q in questions[0][:5]},
            )
        for owner, description, due_on in IMPROVEMENT_PLAN:
            owner_agency = Agency.objects.get(partnership=partnership, name=owner) if owner else None
            if not LearningAction.objects.filter(partnership=partnership, description=description).exists():
                result.add(
                    "improvement actions",
                    services.improvement_action_raise(
                        actor=None,
                        source=round,
                        description=description,
                        owner_agency=owner_agency,
                        due_on=due_on,
                        raised_on=D(2024, 9, 27),
                    ),
                )
        for kind, held_on, outcome in [
            (
                SessionKind.REFLECT_AND_CHALLENGE,
                D(2024, 9, 27),
                "Partners who returned the tool and their service managers agreed the improvement plan, facilitated by the business unit and the independent scrutineer.",
            ),
            (
                SessionKind.LIGHT_TOUCH,
                D(2025, 4, 7),
                "Services reported progress on their single-agency actions to the PLG SPOCs.",
            ),
            (SessionKind.ASSURANCE, D(2025, 9, 29), ""),
        ]:
            result.add(
                "follow-up sessions",
                services.session_create(actor=None, round=round, kind=kind, held_on=held_on, outcome=outcome),
            )


WEEK_TITLE = "Multi-agency meeting assurance week 2024"
CSC, POLICE, EARLY_HELP = "Durham Children's Social Care", "Durham Constabulary", "Durham Early Help"
# (type, identified by, observed, consent declined, moved (consent given), declined and then moved)
# The report counts 26 observed, 5 declined and 3 moved (RCPC, CICR) of 33 identified: those
# add to 34, so one RCPC family declined and the meeting was also moved.
MEETINGS = [
    (MeetingType.CICR, CSC, 5, 2, 1, 0),
    (MeetingType.ICPC, CSC, 2, 0, 0, 0),
    (MeetingType.MARAC, POLICE, 5, 0, 0, 0),
    (MeetingType.RCPC, CSC, 4, 1, 1, 1),
    (MeetingType.STRATEGY, CSC, 6, 0, 0, 0),
    (MeetingType.TAF, EARLY_HELP, 4, 1, 0, 0),
]
# The 26 partners who observed, by agency (None: the DSCP business unit).
OBSERVER_AGENCIES = [
    ("County Durham and Darlington NHS Foundation Trust", 4),
    (CSC, 4),
    ("Durham Schools (maintained and academies)", 3),
    ("Harrogate and District NHS Foundation Trust", 3),
    ("Probation Service", 3),
    (EARLY_HELP, 3),
    (POLICE, 3),
    (None, 3),
]
OBSERVER_FIRST = [
    "Alex",
    "Bethany",
    "Callum",
    "Dawn",
    "Emma",
    "Fiona",
    "Gareth",
    "Hannah",
    "Ian",
    "Joanne",
    "Karen",
    "Lee",
    "Michelle",
]
OBSERVER_LAST = ["Robson", "Walton"]
KEY_FINDINGS = """Signs of Safety findings to be shared with the Signs of Safety Partnership Group.
Voice of the Child to be promoted throughout all multi-agency meetings; the core group of practitioners should identify who knows the child best. This should not be seen as a social work role only.
Work to be completed by the partnership looking at what makes a good multi-agency meeting.
Attendance at meetings to be discussed and scrutinised by the core group of practitioners to check the correct partners are being invited.
Attendance data for multi-agency meetings to be taken into the Think Tank."""
WEEK_ACTIONS = [
    "Share the Signs of Safety findings with the Signs of Safety Partnership Group.",
    "Work out with partners what makes a good multi-agency meeting and publish it.",
    "Take attendance data for multi-agency meetings into the Performance Think Tank.",
]


@loader
def load_assurance_week(partnership: Partnership, result: DemoResult) -> None:
    if AssuranceWeek.objects.filter(partnership=partnership, title=WEEK_TITLE).exists():
        return
    with transaction.atomic():
        week = result.add(
            "assurance weeks",
            services.week_create(
                actor=None,
                partnership=partnership,
                title=WEEK_TITLE,
                starts_on=D(2024, 9, 30),
                ends_on=D(2024, 10, 4),
                findings=KEY_FINDINGS,
            ),
        )
        agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership)}
        observers = [
            (f"{OBSERVER_FIRST[n % 13]} {OBSERVER_LAST[n // 13]}", agencies[name] if name else None)
            for n, (name, _) in enumerate((name, i) for name, count in OBSERVER_AGENCIES for i in range(count))
        ]
        day = 0
        for meeting_type, identified_by, observed, declined, moved, declined_and_moved in MEETINGS:
            outcomes = (
                ["observed"] * observed
                + ["declined"] * declined
                + ["moved"] * moved
                + ["declined_moved"] * declined_and_moved
            )
            for outcome in outcomes:
                fields = {
                    "meeting_type": meeting_type,
                    "held_on": week.starts_on + datetime.timedelta(days=day % 5),
                    "identified_by": agencies[identified_by],
                }
                day += 1
                if outcome == "observed":
                    name, agency = observers.pop(0)
                    fields.update(
                        consent=Consent.GIVEN,
                        observer=name,
                        observer_agency=agency,
                        observation="Chair set out the purpose; partners contributed; the plan was clear about who does what by when.",
                        practitioner_feedback="Useful to have a fresh pair of eyes on how we work together.",
                    )
                    if meeting_type in (MeetingType.CICR, MeetingType.TAF):
                        fields.update(
                            child_feedback="I knew why everyone was there and I got to say what I wanted.",
                            parent_feedback="We felt listened to.",
                        )
                elif outcome == "declined":
                    fields.update(consent=Consent.DECLINED)
                elif outcome == "moved":
                    fields.update(consent=Consent.GIVEN, moved_outside_window=True)
                else:
                    fields.update(consent=Consent.DECLINED, moved_outside_window=True)
                result.add("observed meetings", services.meeting_identify(actor=None, week=week, **fields))
        for description in WEEK_ACTIONS:
            result.add(
                "improvement actions",
                services.week_action_raise(
                    actor=None, week=week, description=description, due_on=D(2025, 3, 31), raised_on=week.ends_on
                ),
            )


AYCLIFFE = "Aycliffe Secure Centre"
RESTRAINT_FILE = "aycliffe-restraint-2024-25.csv"
# Injury levels of the year's 184 incidents: 155 none, 27 minor, 1 treated, 1 hospital.
INJURY_LEVELS = [0] * 155 + [1] * 27 + [2] + [3]
RESTRAINT_TYPES = ["guide"] * 6 + ["standing"] * 5 + ["seated"] * 3 + ["ground"] * 2


@loader
def load_restraint(partnership: Partnership, result: DemoResult) -> None:
    if RestraintImport.objects.filter(partnership=partnership, file_name=RESTRAINT_FILE).exists():
        return
    setting = Agency.objects.get(partnership=partnership, name=AYCLIFFE)
    generator = random.Random(2425)
    levels = INJURY_LEVELS[:]
    generator.shuffle(levels)
    lines = ["reference,date,young_person,restraint_type,injury_level"]
    for n, level in enumerate(levels, start=1):
        day = D(2024, 4, 1) + datetime.timedelta(days=(n * 364) // len(levels))
        lines.append(
            f"ASC-{n:04d},{day:%Y-%m-%d},YP-{generator.randint(1, 23):04d},{generator.choice(RESTRAINT_TYPES)},{level}"
        )
    with transaction.atomic():
        batch = services.restraint_import(
            actor=None,
            partnership=partnership,
            setting=setting,
            file=io.BytesIO("\n".join(lines).encode()),
            file_name=RESTRAINT_FILE,
        )
        result.created["restraint incidents"] += batch.rows
        if not CctvSample.objects.filter(partnership=partnership, setting=setting).exists():
            sample = result.add(
                "CCTV samples",
                services.cctv_sample_draw(
                    actor=None,
                    partnership=partnership,
                    setting=setting,
                    period_start=D(2024, 4, 1),
                    period_end=D(2025, 3, 31),
                    per_level=3,
                    seed=20250519,
                ),
            )
            for incident in sample.incidents.order_by("reference"):
                result.add(
                    "CCTV reviews",
                    services.cctv_review_record(
                        actor=None,
                        incident=incident,
                        reviewed_on=D(2025, 5, 19),
                        reviewed_with="Registered manager, Aycliffe Secure Centre",
                        conclusion="proportionate",
                        notes="Footage, the circumstances leading up to the incident and the statements agree: restraint was proportionate and lawful.",
                    ),
                )
        result.add(
            "site visits",
            services.site_visit_record(
                actor=None,
                partnership=partnership,
                setting=setting,
                visited_on=D(2025, 5, 19),
                findings="Reviewed the year's data and CCTV footage with the home's managers: appropriate restraint had been used.",
            ),
        )


JTAI_THEMES = [
    (
        "The multi-agency response to identification of initial need and risk",
        [
            "Leaders understand the demand at the front door and its drivers.",
            "Partners understand and apply thresholds consistently.",
            "Information is shared quickly enough to decide on risk.",
            "The child's lived experience shapes the first decision.",
        ],
        [
            (
                1,
                "strength",
                "Front Door assurance activity found partners understood thresholds; referrals were appropriate.",
            ),
            (
                2,
                "improve",
                "Information from health was not always available at the strategy discussion: the Front Door review's recommendations align with this criterion.",
            ),
        ],
    ),
    (
        "The multi-agency response to children who are victims of domestic abuse",
        [
            "Children are seen as victims of domestic abuse in their own right.",
            "MARAC information reaches the practitioners working with the child.",
            "Support for children is available after an incident.",
        ],
        [
            (0, "strength", "Operation Encompass notifications reach schools the next morning."),
            (
                2,
                "improve",
                "Where children could not access the Respect Young People's Programme, alternative support depended on a bespoke offer.",
            ),
        ],
    ),
]
SCRUTINY_PLAN = [
    (
        "Attend and assure rapid reviews",
        D(2024, 4, 1),
        "complete",
        "Rapid reviews were rigorous, statutorily compliant and thorough, with good partner attendance.",
    ),
    (
        "Co-facilitate the self-assessment reflect and challenge event",
        D(2024, 9, 27),
        "complete",
        "Challenge given on the voice of the child and harm outside the home.",
    ),
    ("Scrutiny of the Front Door assurance activity", D(2024, 11, 1), "complete", ""),
    ("Review the partnership's annual report", D(2025, 6, 1), "in_progress", ""),
]
PRESENTATIONS = [
    (
        "Front Door",
        COUNCIL,
        D(2024, 11, 20),
        "The executive was assured about the identification of initial need and risk and asked the JTAI group to align the review's recommendations with the evaluation criteria.",
    ),
    (
        "Elective Home Education",
        COUNCIL,
        D(2025, 2, 19),
        "The executive was assured about the oversight of electively home educated children and asked for an update in 12 months.",
    ),
]


@loader
def load_scrutiny(partnership: Partnership, result: DemoResult) -> None:
    from .models import AssurancePresentation, Audit, JtaiTheme, ScrutinyActivity

    with transaction.atomic():
        if not Audit.objects.filter(partnership=partnership, title="Serious incidents: four young people").exists():
            from jigsaw.core.models import Theme

            audit = result.add(
                "audits",
                services.audit_save(
                    actor=None,
                    partnership=partnership,
                    title="Serious incidents: four young people",
                    kind="multi_agency",
                    started_on=D(2024, 10, 1),
                    reported_on=D(2025, 1, 15),
                    cases_audited=4,
                    method="Multi-agency case audit of each agency's records, followed by a reflective discussion with the practitioners involved.",
                    grading="Practice was graded good in 2 cases and requires improvement in 2.",
                    findings="Good practice in return home interviews; missed opportunities to share places and spaces of concern.",
                    voice_of_the_child="Two of the young people's views were recorded in their own words in every agency's records.",
                    themes=list(
                        Theme.objects.filter(
                            partnership=partnership,
                            name__in=["Child exploitation", "Children missing from home, school or care"],
                        )
                    ),
                ),
            )
            services.audit_action_raise(
                actor=None,
                audit=audit,
                description="Share places and spaces of concern with the CEG locality meetings within a week.",
                due_on=D(2025, 6, 30),
                raised_on=D(2025, 1, 15),
            )
        for title, criteria, evaluations in JTAI_THEMES:
            if JtaiTheme.objects.filter(partnership=partnership, title=title).exists():
                continue
            theme = result.add(
                "JTAI themes",
                services.jtai_theme_save(
                    actor=None, partnership=partnership, title=title, year="2024-25", criteria="\n".join(criteria)
                ),
            )
            for index, judgement, evidence in evaluations:
                services.jtai_evaluate(
                    actor=None,
                    theme=theme,
                    criterion=criteria[index],
                    judgement=judgement,
                    evidence=evidence,
                    evaluated_on=D(2025, 2, 1),
                )
        for title, planned_for, status, findings in SCRUTINY_PLAN:
            if not ScrutinyActivity.objects.filter(partnership=partnership, title=title).exists():
                result.add(
                    "scrutiny activities",
                    services.scrutiny_activity_save(
                        actor=None,
                        partnership=partnership,
                        title=title,
                        planned_for=planned_for,
                        status=status,
                        findings=findings,
                    ),
                )
        for title, agency, presented_on, outcome in PRESENTATIONS:
            if not AssurancePresentation.objects.filter(partnership=partnership, title=title).exists():
                result.add(
                    "assurance presentations",
                    services.presentation_save(
                        actor=None,
                        partnership=partnership,
                        title=title,
                        presenting_agency=Agency.objects.get(partnership=partnership, name=agency),
                        presented_on=presented_on,
                        outcome=outcome,
                    ),
                )
