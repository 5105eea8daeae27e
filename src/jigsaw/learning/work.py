"""Statutory clocks in the home work queue: the clock dashboard's own two lists, counted."""

from __future__ import annotations

from jigsaw.core.scoping import Role
from jigsaw.core.work import WorkItem, plural

from . import queries


def work(access, today):
    if not access.has_role(Role.BUSINESS_UNIT, Role.GROUP_CHAIR, Role.SCRUTINEER):
        return []
    overdue, upcoming = queries.clock_dashboard(access, today)
    return [
        WorkItem(
            "Case reviews",
            f"{plural(len(overdue), 'statutory step', 'statutory steps')} overdue",
            "learning:clocks",
            count=len(overdue),
            urgent=True,
        ),
        WorkItem(
            "Case reviews",
            f"{plural(len(upcoming), 'statutory step', 'statutory steps')} due in the next 10 working days",
            "learning:clocks",
            count=len(upcoming),
        ),
    ]
