"""Background work: the managers' 3-month question and its one reminder."""

from __future__ import annotations

from django_tasks import task


@task()
def send_manager_assurance(day: str | None = None) -> dict:
    """Run daily: ask each named line manager, once, whether training changed practice; remind once.

    `day` (ISO date) is for re-running a missed day; by default today."""
    import datetime

    from .services import manager_emails_send

    return manager_emails_send(datetime.date.fromisoformat(day) if day else None).as_dict()
