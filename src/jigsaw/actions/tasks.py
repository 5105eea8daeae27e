"""Background tasks of the learning log (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_action_reminders(day: str | None = None) -> dict:
    """Email each owner one digest of their actions due in 14 days, overdue or with a review due.

    `day` (ISO date) is for re-running a missed day; by default today."""
    import datetime

    from .reminders import send_due

    return send_due(datetime.date.fromisoformat(day) if day else None).as_dict()
