"""The daily retention run as a background task (django-tasks), beside `jigsaw apply_retention`."""

from __future__ import annotations

from django_tasks import task


@task()
def apply_retention(day: str | None = None) -> dict:
    """Apply every partnership's retention schedule; `day` (ISO date) counts the periods back from
    another day than today (a run that missed its day). Returns {partnership: {kind: count}}."""
    import datetime

    from .services import retention_apply_all

    runs = retention_apply_all(today=datetime.date.fromisoformat(day) if day else None)
    return {run.partnership.slug: {t.kind: t.count for t in run.tallies.all()} for run in runs}
