"""Procedure reviews in the home work queue: the reviews page's own list, counted."""

from __future__ import annotations

from jigsaw.core.scoping import Role
from jigsaw.core.work import WorkItem, plural

from . import queries


def work(access, today):
    if not access.has_role(Role.BUSINESS_UNIT):
        return []
    due = queries.reviews(access, today)
    late = due.filter(review_due_on__lt=today).count()
    return [
        WorkItem(
            "Procedures",
            f"{plural(late, 'procedure', 'procedures')} overdue for review",
            "policies:reviews",
            count=late,
            urgent=True,
        ),
        WorkItem(
            "Procedures",
            f"{plural(due.count() - late, 'procedure', 'procedures')} due for review soon",
            "policies:reviews",
            count=due.count() - late,
        ),
    ]
