"""Demo learning records, as Durham's 2024/25 annual report describes them.

Section 5 ('Learning from Reviews'): referrals not progressed and where each went, five serious
incident notifications (three deaths of care leavers, two rapid reviews, no practice review),
two learning-from-practice referrals, and the Amara rapid review with its partnership actions.
Section 4 (Improvement Delivery Group): the learning cycles of the four priorities with their
findings, voices and phases. Children are pseudonyms; every reference is made up.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jigsaw.actions.models import LearningAction
from jigsaw.actions.services import action_raise
from jigsaw.core import dates
from jigsaw.core.demo import ICB, POLICE, loader
from jigsaw.core.models import Agency, Person, Theme
from jigsaw.core.services import save
from jigsaw.governance import services as governance
from jigsaw.governance.models import BusinessPlan, Group, GroupKind, Membership, Priority

from . import clocks, services
from .models import (
    Briefing,
    CaseReview,
    HorizonScanItem,
    Incident,
    LearningCycle,
    LearningRoute,
    Methodology,
    Speaker,
    Voice,
)

D = datetime.date
PLAN_TITLE = "Strategic Business Plan 2023-2025"  # as the governance demo names it
PRIORITIES = {1: "Domestic Abuse", 2: "Harm Outside the Home", 3: "First 1001 days", 4: "Mental Health and Wellbeing"}
CSC = "Durham Children's Social Care"
YJS = "County Durham Youth Justice Service"
NHS = "County Durham and Darlington NHS Foundation Trust"


def _agency(partnership, name):
    return Agency._base_manager.filter(partnership=partnership, name=name).first()


def _themes(partnership, *names):
    return list(Theme._base_manager.filter(partnership=partnership, name__in=names))


def _priorities(partnership, result) -> dict[int, Priority]:
    """The 2023–2025 plan's priorities: the governance demo's when it has made them, else ours."""
    plans = BusinessPlan._base_manager.filter(partnership=partnership)
    plan = (
        plans.filter(title=PLAN_TITLE).first() or plans.filter(starts_on=D(2023, 4, 1), ends_on=D(2025, 3, 31)).first()
    )
    if plan is None:
        plan = result.add(
            "business plans",
            save(
                BusinessPlan(
                    partnership=partnership, title=PLAN_TITLE, starts_on=D(2023, 4, 1), ends_on=D(2025, 3, 31)
                ),
                actor=None,
            ),
        )
    found = {p.number: p for p in Priority._base_manager.filter(plan=plan)}
    for number, title in PRIORITIES.items():
        if number not in found:
            found[number] = result.add(
                "priorities", save(Priority(partnership=partnership, plan=plan, number=number, title=title), actor=None)
            )
    return found


# Case reviews -----------------------------------------------------------------------------------

PANEL = "Serious Incident Notification and Child Safeguarding Practice Review Panel"


@loader
def load_case_review_panel(partnership, result) -> None:
    """The SIN/CSPR panel within the PLG; the demo member sits on it, so they can open the reviews."""
    panel = Group._base_manager.filter(partnership=partnership, name=PANEL).first()
    if panel is None:
        parent = Group._base_manager.filter(partnership=partnership, short_name="PLG").first()
        panel = result.add(
            "groups",
            governance.group_create(
                actor=None,
                partnership=partnership,
                name=PANEL,
                short_name="SIN/CSPR panel",
                kind=GroupKind.PANEL,
                parent=parent,
                remit="Oversees and manages all multi-agency learning activity in line with the Durham Learning Together practice model: "
                "considers referrals for serious incident notification and review, coordinates the outcomes of case reviews and "
                "thematic audits, and scrutinises action plans.",
            ),
        )
    member = Person._base_manager.filter(partnership=partnership, email__iexact="member@durham.example").first()
    if member is not None and not Membership._base_manager.filter(group=panel, person=member).exists():
        result.add(
            "memberships",
            governance.membership_add(
                actor=None, partnership=partnership, group=panel, person=member, starts_on=D(2024, 4, 1)
            ),
        )


def _review(partnership, result, *, reference, steps=(), themes=(), agencies=(), referring=CSC, **fields) -> CaseReview:
    review = CaseReview._base_manager.filter(partnership=partnership, reference=reference).first()
    if review is not None:
        return review
    review = services.review_refer(
        actor=None,
        partnership=partnership,
        reference=reference,
        referring_agency=_agency(partnership, referring),
        agencies_involved=[a for a in (_agency(partnership, name) for name in agencies) if a],
        themes=_themes(partnership, *themes),
        **fields,
    )
    for step, arguments in steps:
        step(actor=None, review=review, **arguments)
    return result.add("case reviews", review)


def _decide(on, meets, reason, route=""):
    return (
        services.review_decide,
        {"decided_on": on, "meets_criteria": meets, "decision_reason": reason, "learning_route": route},
    )


def _notify(on):
    return (services.review_notify, {"notified_on": on})


NOT_PROGRESSED = [
    (
        "DSCP-2024-02",
        "Kai",
        15,
        Incident.SERIOUS_HARM,
        D(2024, 5, 13),
        LearningRoute.EXISTING_LEARNING,
        POLICE,
        "The learning is in line with learning already identified (information sharing at the front door); no new learning.",
    ),
    (
        "DSCP-2024-04",
        "Jordan",
        16,
        Incident.SERIOUS_HARM,
        D(2024, 7, 8),
        LearningRoute.CHILD_EXPLOITATION_GROUP,
        POLICE,
        "Criminal exploitation: referred to the child exploitation group to consider the learning.",
    ),
    (
        "DSCP-2024-06",
        "Leah",
        14,
        Incident.SERIOUS_HARM,
        D(2024, 9, 16),
        LearningRoute.CHILD_EXPLOITATION_GROUP,
        CSC,
        "Missing episodes and sexual exploitation: referred to the child exploitation group to consider the learning.",
    ),
    (
        "DSCP-2024-08",
        "Tyler",
        17,
        Incident.SERIOUS_HARM,
        D(2024, 11, 4),
        LearningRoute.YOUTH_JUSTICE_BOARD,
        YJS,
        "Serious youth violence while open to the youth justice service: referred to the youth justice board to consider the learning.",
    ),
    (
        "DSCP-2025-01",
        "Reece",
        16,
        Incident.SERIOUS_HARM,
        D(2025, 1, 20),
        LearningRoute.YOUTH_JUSTICE_BOARD,
        YJS,
        "Harm in custody: referred to the youth justice board to consider the learning.",
    ),
]

# Deaths of care leavers: notified, then the local procedure for learning from care-leaver deaths.
CARE_LEAVERS = [
    (
        "DSCP-2024-03",
        "Sam",
        19,
        D(2024, 6, 10),
        LearningRoute.CHILD_EXPLOITATION_GROUP,
        "A care leaver's death: notified. Following the care-leaver death procedure the panel referred it to the child exploitation group to consider the learning.",
    ),
    (
        "DSCP-2024-05",
        "Casey",
        20,
        D(2024, 8, 19),
        LearningRoute.DOMESTIC_HOMICIDE_REVIEW,
        "A care leaver's death: notified. It followed the domestic homicide related death review process.",
    ),
    (
        "DSCP-2025-02",
        "Morgan",
        21,
        D(2025, 2, 10),
        LearningRoute.CARE_LEAVER_DEATH,
        "A care leaver's death: notified. Reviewed by the panel under the care-leaver death procedure, using a framework similar to a rapid review.",
    ),
]

AMARA_ACTIONS = [
    (
        "Explore how the guidance in 'How we Practice in Durham' (Children's Social Care) can be used by all partner agencies, "
        "to highlight the importance of communicating with and involving all practitioners in assessments and plans.",
        CSC,
        D(2025, 9, 30),
    ),
    ("Update the Cumulative Harm guidance and recirculate it to partners once complete.", None, D(2025, 6, 30)),
    (
        "Review the Child Health Assessment process, checking policies and procedures against systems and practice so that they are aligned.",
        ICB,
        D(2025, 9, 30),
    ),
    (
        "Develop an action plan covering all multi-agency and single-agency actions, monitored and reviewed in the Performance and Learning Group.",
        None,
        D(2025, 4, 30),
    ),
]


@loader
def load_case_reviews(partnership, result) -> None:
    for reference, pseudonym, age, incident, aware, route, referring, reason in NOT_PROGRESSED:
        _review(
            partnership,
            result,
            reference=reference,
            pseudonym=pseudonym,
            age_at_incident=age,
            incident=incident,
            aware_on=aware,
            referring=referring,
            agencies=(CSC, POLICE),
            themes=("Child exploitation",) if route == LearningRoute.CHILD_EXPLOITATION_GROUP else (),
            steps=[_decide(clocks.add_working_days(aware, 4), False, reason, route)],
        )
    for reference, pseudonym, age, aware, route, reason in CARE_LEAVERS:
        _review(
            partnership,
            result,
            reference=reference,
            pseudonym=pseudonym,
            age_at_incident=age,
            incident=Incident.DEATH,
            care_leaver=True,
            aware_on=aware,
            agencies=(CSC, POLICE, NHS),
            themes=("Transitions",),
            steps=[
                _decide(clocks.add_working_days(aware, 2), True, reason, route),
                _notify(clocks.add_working_days(aware, 4)),
            ],
        )

    amara = _review(
        partnership,
        result,
        reference="DSCP-2024-09",
        pseudonym="Amara",
        age_at_incident=12,
        incident=Incident.DEATH,
        aware_on=D(2024, 12, 13),
        relevant_characteristics="Female; mixed Indian and Caribbean heritage; a child in care; reported racist language and comments before her death.",
        summary="Amara and her sisters became looked after two months after moving to Durham, due to concerns about their care, mum's drug and alcohol use "
        "and worries that Amara had been sexually abused by a family member. Amara was found hanging at her foster carer's home in December 2024 "
        "and died a week later in hospital. The rapid review looked at services' involvement from the family's arrival in County Durham.",
        agencies=(CSC, POLICE, ICB, NHS, "Durham Schools (maintained and academies)", "Durham foster carers"),
        themes=("Information sharing", "Professional curiosity", "Intersectionality", "Cumulative harm"),
        steps=[
            _decide(
                D(2024, 12, 17),
                True,
                "A child in care died in circumstances where abuse or neglect is known or suspected: the criteria for a serious incident notification are met.",
            ),
            _notify(D(2024, 12, 18)),
            (
                services.review_record_rapid_review,
                {
                    "rapid_review_completed_on": D(2025, 1, 7),
                    "rapid_review_sent_on": D(2025, 1, 8),
                    "practice_review_recommended": False,
                    "rapid_review_reasons": "All the information needed to understand the learning could be obtained through the rapid review: a local child "
                    "safeguarding practice review was not recommended. Themes: sharing information and professional collaboration; "
                    "multi-agency working (delays to the child-in-care health assessment); professional curiosity; race, ethnicity and culture (intersectionality).",
                },
            ),
        ],
    )
    _review(
        partnership,
        result,
        reference="DSCP-2024-07",
        pseudonym="Baby Ellis",
        age_at_incident=0,
        incident=Incident.SERIOUS_HARM,
        aware_on=D(2024, 10, 7),
        summary="A non-accidental head injury to a baby under one; parents known to adult services.",
        agencies=(CSC, POLICE, NHS, "County Durham GP practices"),
        referring=NHS,
        themes=("The first 1001 days", "Think family", "Information sharing"),
        steps=[
            _decide(
                D(2024, 10, 9),
                True,
                "Serious harm to a baby where abuse or neglect is suspected: the criteria for a serious incident notification are met.",
            ),
            _notify(D(2024, 10, 10)),
            (
                services.review_record_rapid_review,
                {
                    "rapid_review_completed_on": D(2024, 10, 25),
                    "rapid_review_sent_on": D(2024, 10, 28),
                    "practice_review_recommended": False,
                    "rapid_review_reasons": "The learning (whole family working, fathers and men in the household, safe handling) was fully understood "
                    "through the rapid review: a local child safeguarding practice review was not recommended.",
                },
            ),
        ],
    )
    _review(
        partnership,
        result,
        reference="DSCP-2024-10",
        pseudonym="Baby Rowan",
        age_at_incident=1,
        incident=Incident.OTHER_LEARNING,
        aware_on=D(2024, 11, 18),
        agencies=(CSC, NHS, "County Durham Early Years and Childcare providers"),
        referring=NHS,
        themes=("The first 1001 days",),
        steps=[
            _decide(
                D(2024, 11, 22),
                False,
                "No consideration for a serious incident notification. It met the criteria of the Priority Three (first 1001 days) "
                "audit under way and was included in that multi-agency audit.",
                LearningRoute.LEARNING_FROM_PRACTICE,
            )
        ],
    )
    _review(
        partnership,
        result,
        reference="DSCP-2025-03",
        pseudonym="Riley",
        age_at_incident=8,
        incident=Incident.OTHER_LEARNING,
        aware_on=D(2025, 2, 24),
        agencies=(CSC, "Durham Schools (maintained and academies)", "Durham Early Help"),
        referring="Durham Schools (maintained and academies)",
        themes=("Professional curiosity", "Neglect"),
        steps=[
            _decide(
                D(2025, 2, 28),
                False,
                "No consideration for a serious incident notification. Progressed in line with the Durham Learning Together "
                "practice model and reviewed by the panel using a framework similar to a rapid review.",
                LearningRoute.LEARNING_FROM_PRACTICE,
            )
        ],
    )
    source_type = ContentType.objects.get_for_model(CaseReview)
    for description, owner, due in AMARA_ACTIONS:
        if not LearningAction._base_manager.filter(
            source_type=source_type, source_id=amara.pk, description=description
        ).exists():
            result.add(
                "actions",
                action_raise(
                    actor=None,
                    partnership=partnership,
                    source=amara,
                    description=description,
                    owner_agency=_agency(partnership, owner) if owner else None,
                    due_on=due,
                    raised_on=D(2025, 1, 8),
                    priority="high",
                    themes=list(amara.themes.all()),
                ),
            )
    # A referral from the last few working days, so the statutory clocks have something due.
    today = timezone.localdate()
    aware = today
    while clocks.working_days_between(aware, today) < 3:
        aware -= datetime.timedelta(days=1)
    if not CaseReview._base_manager.filter(partnership=partnership, reference="DSCP-CURRENT-01").exists():
        _review(
            partnership,
            result,
            reference="DSCP-CURRENT-01",
            pseudonym="Alex",
            age_at_incident=6,
            incident=Incident.SERIOUS_HARM,
            aware_on=aware,
            agencies=(CSC, POLICE),
            summary="A recent referral awaiting the panel's decision.",
        )


# Learning cycles ---------------------------------------------------------------------------------

CYCLES = [
    {
        "priority": 1,
        "title": "Child and adolescent to parent violence and abuse (CAPVA)",
        "starts_on": D(2023, 4, 1),
        "ends_on": D(2023, 7, 31),
        "phase": 6,
        "assured_on": D(2024, 12, 10),
        "themes": ("Domestic abuse",),
        "assurance": "In the 12 months since the work was completed we have trained a further three CAPVA ambassadors and seen more referrals made at the "
        "right time; offered awareness sessions to all partners; improved data recording so the journey of children open due to CAPVA can be "
        "followed (shared in the Performance Think Tank in 2024); coordinated a bespoke support offer where children could not access the "
        "Respect Young People's Programme; developed the RYPP programme; and implemented the children and young people's evaluation feedback form.",
    },
    {
        "priority": 2,
        "title": "Harm outside the home",
        "starts_on": D(2023, 8, 1),
        "ends_on": D(2023, 11, 30),
        "phase": 6,
        "assured_on": D(2024, 3, 20),
        "themes": ("Child exploitation",),
        "methodologies": [Methodology.SURVEY, Methodology.FOCUS_GROUP],
        "assurance": "The Strategic CEG has embedded the areas of learning into its priority work; website pages are being co-created with a focus group of "
        "young people; awareness raised of Fearless; internal training on the me-learning site from September 2024; a briefing developed from "
        "the survey and focus group responses.",
    },
    {
        "priority": 3,
        "title": "First 1001 days",
        "starts_on": D(2023, 12, 1),
        "ends_on": D(2024, 3, 31),
        "phase": 6,
        "assured_on": D(2025, 3, 18),
        "themes": ("The first 1001 days", "Information sharing", "Professional curiosity", "Think family"),
        "methodologies": [Methodology.PRACTITIONER_LED_AUDIT],
        "key_findings": "Five emerging themes: concealed pregnancy; safe sleeping and safe handling; pieces of the jigsaw (information sharing, cross-boundary "
        "sharing and professional curiosity); the Enhance Parenting Pathway programme; a whole family approach and family networks.",
        "assurance": "In the 12 months since the work was completed we have developed and promoted the 'clarify, verify and reflect' briefing; launched "
        "guidance on a whole family approach; launched a tier 1 information sharing agreement; developed a regional cross-boundary information "
        "sharing agreement and protocol; updated 'How we practice in Durham' on closure TAF meetings; and launched a SUDI campaign video with the ICB.",
    },
    {
        "priority": 4,
        "title": "Mental health and wellbeing",
        "starts_on": D(2024, 4, 1),
        "ends_on": D(2024, 7, 31),
        "phase": 5,
        "themes": (
            "Adolescent mental health",
            "Voice of the child",
            "Information sharing",
            "Recording and supervision",
        ),
        "why": "Whilst mental health is not the main reason for referrals to Children's Social Care, mental health difficulties of parents, young people "
        "or children are a common and prominent factor in many referrals and were identified in all of our local learning.",
        "key_line_of_enquiry": "How do we identify families at the earliest opportunity for support, looking at the journey of a family that have gone into "
        "crisis and whether there was an opportunity to offer any intervention or support earlier to prevent families reaching crisis point?",
        "methodologies": [Methodology.PRACTITIONER_LED_AUDIT, Methodology.SURVEY],
        "key_findings": "Recording: discrepancies between partner agencies' systems; mothers' partners recorded as fathers. Information was limited on "
        "non-resident parents: none of the three deep dives had a multi-agency chronology. Information sharing: limited, including when "
        "children moved into Durham. Multi-agency response: low TAF attendance; some agencies struggled with complex health needs; "
        "parents felt their parenting was questioned.",
        "areas_of_development": "A mapping exercise with the Mental Health and Wellbeing Board; a communication plan for the 'Information Sharing: How we work "
        "in Durham' training; a Durham multi-agency self-harm pathway; an appreciative inquiry on the Rapid Response team; a briefing on "
        "professional escalation and healthy challenge; Voice of the Child and Lived Experience guidance.",
        "voices": [
            (
                Speaker.YOUNG_PERSON,
                None,
                "Deep dive",
                "Always tell the truth to young people, what you tell the parent you tell the young person. "
                "Let people take it at their own pace to talk and get better. Being consistent with young people, making them feel comforted and listened to.",
            ),
            (
                Speaker.YOUNG_PERSON,
                None,
                "Deep dive",
                "Professionals to be open minded, you don't know everything straight away, take time to "
                "learn this. We don't need someone to fix everything, but we do need them to listen and to help. Look underneath what is happening on the "
                "surface and treat everyone with kindness.",
            ),
            (
                Speaker.FAMILY,
                None,
                "Survey",
                "There should be more awareness and knowledge about receiving help... I went into it blind not knowing "
                "at all how the processes worked. It was very daunting.",
            ),
            (
                Speaker.FAMILY,
                None,
                "Survey",
                "Professionals didn't try to understand us as a family. We weren't involved in decision making, weren't "
                "listened to when I said there was a decline in his mental health, and it was getting worse. They could have helped before it got to the stage it did.",
            ),
        ],
        "actions": [
            "Develop a DSCP briefing on professional escalation and healthy challenge.",
            "Launch the Voice of the Child and Lived Experience guidance.",
            "Develop a Durham multi-agency self-harm pathway with the Mental Health and Wellbeing Board.",
        ],
    },
    {
        "priority": 1,
        "title": "Domestic abuse: the impact of early intervention",
        "starts_on": D(2024, 8, 1),
        "ends_on": D(2024, 11, 30),
        "phase": 5,
        "themes": ("Domestic abuse", "Voice of the child", "Professional curiosity"),
        "why": "1 in 5 children experience domestic abuse in their family home in their lifetime in the UK. Domestic abuse remained the highest factor for "
        "Durham Children's Social Care safeguarding referrals during 2022/23 at 24%. Domestic abuse re-referrals to Children's Social Care rose 27% "
        "and police repeat incidents rose 27% on the previous year. 40% of domestic abuse crimes closed due to victims not supporting prosecution.",
        "key_line_of_enquiry": "Look at the journey of a family to understand those early stages and opportunities for support, i.e. Early Help, Education, "
        "Health, Early Years provision.",
        "methodologies": [Methodology.DEEP_DIVE_AUDIT],
        "key_findings": "Practitioners are not consistently seeing incidents of domestic abuse through the eyes of the child. Practitioners need increased "
        "awareness that abuse does not necessarily end when people stop living together and may escalate. Risk of harm to the children "
        "was not seen to be reduced through assessment of the risks perpetrators pose: targeted interventions were offered to adult "
        "victims but not to the perpetrator.",
        "areas_of_development": "A Domestic Abuse Practice Lead role; a refresh of Operation Encompass; a 'briefing refresh' on children as victims in their "
        "own right; promoting 'The Monster Who Came to Tea'; Tier 1 information sharing guidance and training; a linked-up "
        "multi-agency domestic abuse system.",
        "difference_made": "A monthly newsletter focus on domestic abuse; awareness sessions for all partners with a focus on the child as a victim; a "
        "briefing developed, shared and on the website; data records that follow the journey of a young person and family; training "
        "delivered across the partnership; domestic abuse ambassadors trained.",
        "voices": [
            (
                Speaker.CHILD,
                11,
                "Deep dive",
                "But when he tried to break in, we had to move house. I don't talk to anyone, not even mam because it makes her sad.",
            ),
            (
                Speaker.CHILD,
                9,
                "Deep dive",
                "I am scared when mam's boyfriend visits the house. To feel safe, I need him to stay away.",
            ),
        ],
        "actions": [
            "Refresh the briefing for staff on seeing children as victims of domestic abuse in their own right (Domestic Abuse Act 2021).",
            "Relaunch Operation Encompass for September 2025, including school-based EYFS staff and six DSL training sessions a year.",
            "Coordinate a plan for all frontline children and family practitioners to watch 'The Monster Who Came to Tea' and discuss it in team meetings.",
        ],
    },
    {
        "priority": 2,
        "title": "Harm outside the home: mapping the offer",
        "starts_on": D(2024, 12, 1),
        "ends_on": D(2025, 3, 31),
        "phase": 5,
        "themes": ("Child exploitation", "Children missing from home, school or care"),
        "why": "Children at risk of harm outside the home are not always visible to practitioners. Children scored on the Child Exploitation Vulnerability "
        "Tracker rose to 23 in Q1 2024/25 from 14 (Q2) and 7 (Q3); referrals for sexual exploitation rose to 14 in Q1 2024/25 from 1 in Q3 and Q4 "
        "2023/24; 15 Children's Social Care referrals (1.19%) had the contact issue of exploitation in Q1 2024/25.",
        "key_line_of_enquiry": "How can we support the partnership to map and improve the Durham Harm Outside the Home offer, identifying what this is "
        "throughout every service?",
        "methodologies": [Methodology.INTERVIEWS, Methodology.GAP_ANALYSIS],
        "key_findings": "The IDG identified many strengths and gaps in practice across the partnership. Single agency action plans were developed to look "
        "at the gaps, and the strengths were taken into the HOTH priority work starting April 2025.",
    },
]


@loader
def load_learning_cycles(partnership, result) -> None:
    priorities = _priorities(partnership, result)
    for spec in CYCLES:
        spec = dict(spec)
        priority = priorities[spec.pop("priority")]
        voices, actions, themes = spec.pop("voices", ()), spec.pop("actions", ()), spec.pop("themes", ())
        cycle = LearningCycle._base_manager.filter(
            partnership=partnership, priority=priority, title=spec["title"]
        ).first()
        if cycle is None:
            cycle = result.add(
                "learning cycles",
                services.cycle_create(
                    actor=None, partnership=partnership, priority=priority, themes=_themes(partnership, *themes), **spec
                ),
            )
        for speaker, age, context, words in voices:
            if not Voice._base_manager.filter(cycle=cycle, words=words).exists():
                result.add(
                    "voices",
                    services.voice_add(actor=None, cycle=cycle, speaker=speaker, age=age, context=context, words=words),
                )
        source_type = ContentType.objects.get_for_model(LearningCycle)
        for description in actions:
            if not LearningAction._base_manager.filter(
                source_type=source_type, source_id=cycle.pk, description=description
            ).exists():
                result.add(
                    "actions",
                    action_raise(
                        actor=None,
                        partnership=partnership,
                        source=cycle,
                        description=description,
                        raised_on=cycle.ends_on,
                        due_on=dates.add_months(cycle.ends_on, 12),
                        themes=list(cycle.themes.all()),
                        plan_priorities=[priority],
                    ),
                )


# Horizon scanning and briefings -----------------------------------------------------------------

HORIZON = [
    (
        "Working Together to Safeguard Children 2023",
        "Department for Education",
        D(2023, 12, 15),
        "Statutory guidance on multi-agency working: the roles of lead and delegated safeguarding partners, the independent scrutineer, and the "
        "arrangements for serious incident notifications, rapid reviews and local child safeguarding practice reviews.",
        ("Information sharing",),
        "The partnership's arrangements were revised; the PLG established the SIN/CSPR panel and the Durham Learning Together model.",
    ),
    (
        "Child Safeguarding Practice Review Panel annual report",
        "Child Safeguarding Practice Review Panel",
        D(2024, 11, 28),
        "Themes from serious incident notifications and rapid reviews nationally, including information sharing, professional curiosity and the "
        "voice of the child.",
        ("Information sharing", "Professional curiosity", "Voice of the child"),
        "Themes compared with local learning in the PLG; used in planning the multi-agency training programme.",
    ),
    (
        "Sudden unexpected death in infancy: national learning",
        "Child Safeguarding Practice Review Panel",
        D(2024, 6, 12),
        "Learning on safer sleep for babies in families where there are additional risks.",
        ("The first 1001 days",),
        "Shared with the IDG's first 1001 days work; SUDI campaign video launched with the ICB.",
    ),
]

BRIEFINGS = [
    {
        "title": "Clarify, Verify, Reflect: staying curious",
        "audience": "All practitioners and managers",
        "published_on": D(2024, 9, 2),
        "summary": "A short guide to professional curiosity: clarify what you have been told, verify it with other agencies, and reflect on what it means for the child.",
        "themes": ("Professional curiosity", "Information sharing"),
        "cycles": ("First 1001 days",),
    },
    {
        "title": "Key learning briefing: Amara (rapid review)",
        "audience": "All practitioners and managers",
        "published_on": D(2025, 3, 10),
        "summary": "Learning from the rapid review following the death of Amara, aged 12: sharing information and professional collaboration, multi-agency "
        "working, professional curiosity, and race, ethnicity and culture. Please discuss this briefing in team meetings and supervision.",
        "body": "Create a safe, reflective space in your agency to think about what racism is and its impact. Access training on anti-racist and culturally "
        "sensitive practice. Ask curious questions, observe and share information so you can identify intersectionality. Involve all key "
        "practitioners who know the child and family in strategy discussions and assessments. Consider the child and family's history and how it "
        "may still be affecting them.",
        "themes": ("Information sharing", "Professional curiosity", "Intersectionality"),
        "reviews": ("DSCP-2024-09",),
    },
    {
        "title": "Domestic abuse: the child as a victim in their own right",
        "audience": "Frontline children and family practitioners",
        "published_on": D(2025, 2, 3),
        "summary": "Seeing domestic abuse through the eyes of the child, and remembering that abuse may not end, and may escalate, when people separate.",
        "themes": ("Domestic abuse", "Voice of the child"),
        "cycles": ("Domestic abuse: the impact of early intervention",),
    },
    {
        "title": "Priority work: harm outside the home",
        "audience": "All practitioners",
        "published_on": D(2024, 5, 20),
        "summary": "What young people told us in the survey and focus group about feeling safe in places and spaces outside the home.",
        "themes": ("Child exploitation",),
        "cycles": ("Harm outside the home",),
    },
    {
        "title": "Professional escalation and healthy challenge",
        "audience": "All practitioners and managers",
        "published_on": None,
        "summary": "Draft: how and when to escalate a professional disagreement, and why healthy challenge keeps children safe.",
        "themes": ("Recording and supervision",),
        "cycles": ("Mental health and wellbeing",),
    },
]


@loader
def load_horizon_and_briefings(partnership, result) -> None:
    for title, source, published_on, summary, themes, response in HORIZON:
        if not HorizonScanItem._base_manager.filter(partnership=partnership, title=title).exists():
            result.add(
                "horizon scanning items",
                services.horizon_item_create(
                    actor=None,
                    partnership=partnership,
                    title=title,
                    source=source,
                    published_on=published_on,
                    summary=summary,
                    themes=_themes(partnership, *themes),
                    response=response,
                ),
            )
    for spec in BRIEFINGS:
        if Briefing._base_manager.filter(partnership=partnership, title=spec["title"]).exists():
            continue
        result.add(
            "briefings",
            services.briefing_create(
                actor=None,
                partnership=partnership,
                title=spec["title"],
                audience=spec["audience"],
                summary=spec["summary"],
                body=spec.get("body", ""),
                is_published=spec["published_on"] is not None,
                published_on=spec["published_on"],
                themes=_themes(partnership, *spec["themes"]),
                reviews=list(
                    CaseReview._base_manager.filter(partnership=partnership, reference__in=spec.get("reviews", ()))
                ),
                cycles=list(
                    LearningCycle._base_manager.filter(partnership=partnership, title__in=spec.get("cycles", ()))
                ),
            ),
        )
