"""Generated learning from reviews for `jigsaw demo --scale`: about a dozen referrals a year
(at volume 1) taken through the panel's decision, notification, rapid review and sometimes a
practice review, each step on its statutory clock; and a learning cycle a year for each
business plan priority, with the voices heard in it. Children are made-up pseudonyms.
"""

from __future__ import annotations

import datetime

from jigsaw.actions.services import action_raise
from jigsaw.core import bulk
from jigsaw.core.models import Theme
from jigsaw.core.scale import CHILDRENS_SOCIAL_CARE, LAST_YEAR, POLICE, Context, agencies, generator
from jigsaw.governance.scale import plan_for

from . import clocks, services
from .models import CaseReview, Incident, LearningCycle, LearningRoute, Methodology, Speaker, Voice

PSEUDONYMS = [
    "Ash",
    "Bailey",
    "Casey",
    "Drew",
    "Eden",
    "Frankie",
    "Harley",
    "Indy",
    "Jesse",
    "Kai",
    "Lennon",
    "Marley",
    "Nico",
    "Oakley",
    "Parker",
    "Reese",
    "Rowan",
    "Sage",
    "Tate",
    "Vale",
]
# What the panel decided: not notified (and where the learning went), notified with another
# route, or notified and taken to rapid review.
OUTCOMES = [
    ("not_notified", 0.35),
    ("learning_from_practice", 0.15),
    ("notified_other_route", 0.15),
    ("rapid_review", 0.35),
]
NOT_NOTIFIED_ROUTES = [
    LearningRoute.EXISTING_LEARNING,
    LearningRoute.CHILD_EXPLOITATION_GROUP,
    LearningRoute.YOUTH_JUSTICE_BOARD,
]
REVIEW_ACTIONS = [
    "Share the rapid review's learning on {theme} in a seven-minute briefing.",
    "Check the multi-agency procedure covers what the rapid review found about {theme}.",
]


@generator
def case_reviews(ctx: Context) -> None:
    if CaseReview._base_manager.filter(
        partnership=ctx.partnership, aware_on__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    by_name = agencies(ctx.partnership)
    everyone = sorted(by_name.values(), key=lambda agency: agency.name)
    referrers = [
        by_name[CHILDRENS_SOCIAL_CARE.format(area=ctx.area)],
        by_name[POLICE.format(area=ctx.area)],
    ] + ctx.random.sample(everyone, 3)
    themes = list(Theme._base_manager.filter(partnership=ctx.partnership).order_by("name"))
    count = ctx.scaled(12, floor=3)
    days = sorted(ctx.day() for _ in range(count))
    for number, aware_on in enumerate(days, start=1):
        outcome = ctx.pick(OUTCOMES)
        care_leaver = outcome == "notified_other_route"
        review = services.review_refer(
            actor=None,
            partnership=ctx.partnership,
            reference=f"{ctx.area.replace(' ', '')}-{ctx.year.start_year}-{number:02d}",
            pseudonym=ctx.random.choice(PSEUDONYMS),
            age_at_incident=ctx.random.randrange(18, 22) if care_leaver else ctx.random.randrange(0, 18),
            care_leaver=care_leaver,
            incident=Incident.DEATH
            if care_leaver
            else ctx.random.choice(
                [Incident.SERIOUS_HARM, Incident.SERIOUS_HARM, Incident.DEATH, Incident.OTHER_LEARNING]
            ),
            aware_on=aware_on,
            referring_agency=ctx.random.choice(referrers),
            agencies_involved=ctx.random.sample(everyone, ctx.random.randrange(2, 5)),
            themes=ctx.random.sample(themes, ctx.random.randrange(1, 4)),
            summary="A made-up case for the scaled dataset.",
        )
        decided_on = clocks.add_working_days(aware_on, ctx.random.randrange(2, 5))
        if outcome == "not_notified":
            services.review_decide(
                actor=None,
                review=review,
                decided_on=decided_on,
                meets_criteria=False,
                learning_route=ctx.random.choice(NOT_NOTIFIED_ROUTES),
                decision_reason="The criteria for a serious incident notification are not met; the learning is taken forward elsewhere.",
            )
        elif outcome == "learning_from_practice":
            services.review_decide(
                actor=None,
                review=review,
                decided_on=decided_on,
                meets_criteria=False,
                learning_route=LearningRoute.LEARNING_FROM_PRACTICE,
                decision_reason="Taken forward as a learning-from-practice review.",
            )
        else:
            services.review_decide(
                actor=None,
                review=review,
                decided_on=decided_on,
                meets_criteria=True,
                learning_route=ctx.random.choice(
                    [LearningRoute.CARE_LEAVER_DEATH, LearningRoute.DOMESTIC_HOMICIDE_REVIEW]
                )
                if care_leaver
                else "",
                decision_reason="Abuse or neglect is known or suspected: the criteria for a serious incident notification are met.",
            )
            services.review_notify(
                actor=None, review=review, notified_on=clocks.add_working_days(decided_on, ctx.random.randrange(0, 2))
            )
            if outcome == "rapid_review":
                _rapid_review(ctx, review, themes=list(review.themes.all()))
        ctx.add("case reviews")


def _rapid_review(ctx: Context, review: CaseReview, themes: list[Theme]) -> None:
    completed_on = clocks.add_working_days(review.notified_on, ctx.random.randrange(8, 14))
    recommended = ctx.random.random() < 0.25
    services.review_record_rapid_review(
        actor=None,
        review=review,
        rapid_review_completed_on=completed_on,
        rapid_review_sent_on=clocks.add_working_days(completed_on, 1),
        practice_review_recommended=recommended,
        rapid_review_reasons="A local child safeguarding practice review would add learning."
        if recommended
        else "The learning was fully understood through the rapid review.",
    )
    if recommended:
        commissioned_on = completed_on + datetime.timedelta(days=30)
        services.review_record_practice_review(
            actor=None,
            review=review,
            practice_review_commissioned_on=commissioned_on,
            practice_review_published_on=commissioned_on + datetime.timedelta(days=ctx.random.randrange(150, 200)),
        )
    for description in REVIEW_ACTIONS:
        owner = ctx.random.choice(list(review.agencies_involved.order_by("name")) or [None])
        action_raise(
            actor=None,
            partnership=ctx.partnership,
            source=review,
            description=description.format(theme=themes[0].name.lower()),
            owner_agency=owner,
            raised_on=review.rapid_review_sent_on,
            due_on=review.rapid_review_sent_on + datetime.timedelta(days=180),
            priority="high",
            themes=themes,
        )
        ctx.add("actions")


VOICES = [
    (Speaker.CHILD, "I want people to listen to me the first time."),
    (Speaker.YOUNG_PERSON, "It helped when the same worker stayed with me."),
    (Speaker.FAMILY, "We were asked the same questions by everyone."),
    (Speaker.PRACTITIONER, "Meeting the other agencies face to face made the difference."),
]


@generator
def learning_cycles(ctx: Context) -> None:
    """One cycle a year for each priority of the plan, a quarter each. Earlier years' cycles have
    had their 12-month assurance; the last year's are part way through."""
    if LearningCycle._base_manager.filter(
        partnership=ctx.partnership, starts_on__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    themes = list(Theme._base_manager.filter(partnership=ctx.partnership).order_by("name"))
    voices = []
    for priority in plan_for(ctx, ctx.year).priorities.order_by("number"):
        starts_on = datetime.date(ctx.year.start_year, 4, 1) + datetime.timedelta(days=91 * (priority.number - 1))
        ends_on = starts_on + datetime.timedelta(days=90)
        assured = ctx.year < LAST_YEAR
        cycle = services.cycle_create(
            actor=None,
            partnership=ctx.partnership,
            priority=priority,
            title=f"{priority.title} {ctx.year.title}",
            starts_on=starts_on,
            ends_on=ends_on,
            phase=6 if assured else ctx.random.randrange(3, 6),
            why=f"Local data on {priority.title.lower()}.",
            key_line_of_enquiry=f"How well do partners work together on {priority.title.lower()}?",
            methodologies=ctx.random.sample(Methodology.values, 2),
            key_findings="Strengths in relationships with families; gaps in information sharing.",
            assurance="Practice has changed in the cases sampled." if assured else "",
            assured_on=ends_on + datetime.timedelta(days=300) if assured else None,
            themes=ctx.random.sample(themes, 2),
        )
        ctx.add("learning cycles")
        for speaker, words in ctx.random.sample(VOICES, ctx.random.randrange(1, 4)):
            voices.append(
                Voice(
                    cycle=cycle,
                    speaker=speaker,
                    words=words,
                    age=ctx.random.randrange(8, 17) if speaker in (Speaker.CHILD, Speaker.YOUNG_PERSON) else None,
                )
            )
    ctx.add("voices", len(bulk.create(voices)))
