"""Writes for case reviews, learning cycles, voices, horizon scanning and briefings.

Every write validates the whole record (so a step dated before the one it depends on is
refused, naming the field) inside one transaction attributed to the actor.
"""

from __future__ import annotations

from jigsaw.core.services import save

from .models import Briefing, CaseReview, HorizonScanItem, LearningCycle, Voice


# Case reviews: the referral, then each step on the same record.
def review_refer(*, actor, partnership, **fields) -> CaseReview:
    return save(CaseReview(partnership=partnership), actor=actor, fields=fields)


def review_update(*, actor, review: CaseReview, **fields) -> CaseReview:
    return save(review, actor=actor, fields=fields)


def review_decide(
    *, actor, review: CaseReview, decided_on, meets_criteria: bool, decision_reason: str, learning_route: str = ""
) -> CaseReview:
    return save(
        review,
        actor=actor,
        fields={
            "decided_on": decided_on,
            "meets_criteria": meets_criteria,
            "decision_reason": decision_reason,
            "learning_route": learning_route or "",
        },
    )


def review_notify(*, actor, review: CaseReview, notified_on) -> CaseReview:
    return save(review, actor=actor, fields={"notified_on": notified_on})


def review_record_rapid_review(
    *,
    actor,
    review: CaseReview,
    rapid_review_completed_on,
    rapid_review_sent_on=None,
    practice_review_recommended=None,
    rapid_review_reasons: str = "",
) -> CaseReview:
    return save(
        review,
        actor=actor,
        fields={
            "rapid_review_completed_on": rapid_review_completed_on,
            "rapid_review_sent_on": rapid_review_sent_on,
            "practice_review_recommended": practice_review_recommended,
            "rapid_review_reasons": rapid_review_reasons or "",
        },
    )


def review_record_practice_review(
    *, actor, review: CaseReview, practice_review_commissioned_on, practice_review_published_on=None
) -> CaseReview:
    return save(
        review,
        actor=actor,
        fields={
            "practice_review_commissioned_on": practice_review_commissioned_on,
            "practice_review_published_on": practice_review_published_on,
        },
    )


# Learning cycles and the voices heard in them.
def cycle_create(*, actor, partnership, **fields) -> LearningCycle:
    return save(LearningCycle(partnership=partnership), actor=actor, fields=fields)


def cycle_update(*, actor, cycle: LearningCycle, **fields) -> LearningCycle:
    return save(cycle, actor=actor, fields=fields)


def voice_add(*, actor, cycle: LearningCycle, speaker: str, words: str, age=None, context: str = "") -> Voice:
    """The record keeps who entered the words: a name inside them cannot be detected reliably."""
    return save(
        Voice(cycle=cycle),
        actor=actor,
        fields={
            "speaker": speaker,
            "words": words,
            "age": age,
            "context": context,
            "entered_by": actor,
        },
    )


# Horizon scanning and briefings.
def horizon_item_create(*, actor, partnership, **fields) -> HorizonScanItem:
    return save(HorizonScanItem(partnership=partnership), actor=actor, fields=fields)


def horizon_item_update(*, actor, item: HorizonScanItem, **fields) -> HorizonScanItem:
    return save(item, actor=actor, fields=fields)


def briefing_create(*, actor, partnership, **fields) -> Briefing:
    return save(Briefing(partnership=partnership), actor=actor, fields=fields)


def briefing_update(*, actor, briefing: Briefing, **fields) -> Briefing:
    return save(briefing, actor=actor, fields=fields)
