"""Reads for the learning pages, always through the scoping helper."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from jigsaw.core.scoping import Action

from . import clocks
from .models import Briefing, CaseReview, HorizonScanItem, LearningCycle


def reviews(access):
    return CaseReview.objects.restrict(access, Action.VIEW).select_related("referring_agency")


@dataclass(frozen=True)
class DueItem:
    review: CaseReview
    clock: clocks.Clock


def clock_dashboard(access, today: datetime.date | None = None) -> tuple[list[DueItem], list[DueItem]]:
    """(overdue, due in the next 10 working days) across the reviews `access` may see.

    Only reviews with a step still open are read (one query); their clocks are computed here.
    """
    today = today or timezone.localdate()
    horizon = clocks.add_working_days(today, clocks.DASHBOARD_WORKING_DAYS)
    open_steps = (
        Q(rapid_review_sent_on__isnull=True, meets_criteria__isnull=True)
        | Q(meets_criteria=True, notified_on__isnull=True)
        | Q(meets_criteria=True, learning_route="", rapid_review_sent_on__isnull=True)
        | Q(practice_review_commissioned_on__isnull=False, practice_review_published_on__isnull=True)
    )
    overdue, upcoming = [], []
    for review in reviews(access).filter(open_steps):
        for clock in review.clocks(today):
            if not clock.is_open:
                continue
            if clock.due < today:
                overdue.append(DueItem(review, clock))
            elif clock.due <= horizon:
                upcoming.append(DueItem(review, clock))
    overdue.sort(key=lambda item: item.clock.due)
    upcoming.sort(key=lambda item: item.clock.due)
    return overdue, upcoming


def cycles(access):
    return (
        LearningCycle.objects.restrict(access, Action.VIEW)
        .select_related("priority", "priority__plan")
        .annotate(voice_count=Count("voices"))
    )


def plan_timeline(access, plan) -> dict:
    """A plan's cycles side by side: one row per priority, each cycle placed by month."""
    rows = {}
    for priority in plan.priorities.all():
        rows[priority.pk] = {"priority": priority, "cycles": []}
    for cycle in cycles(access).filter(priority__plan=plan):
        rows.setdefault(cycle.priority_id, {"priority": cycle.priority, "cycles": []})["cycles"].append(cycle)
    return {"plan": plan, "rows": list(rows.values())}


def horizon_items(access):
    return HorizonScanItem.objects.restrict(access, Action.VIEW).prefetch_related("themes")


def briefings(access):
    return Briefing.objects.restrict(access, Action.VIEW).prefetch_related("themes")
