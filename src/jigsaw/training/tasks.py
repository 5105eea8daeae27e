"""Background work: the confirmed import, and the 3- and 6-month impact follow-up emails."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from jigsaw.core import files as file_store
from jigsaw.core.models import Partnership, User

from .models import ImportBatch, ImportOutcome


@task()
def import_completions(batch_id: int, actor_id: int | None) -> int:
    """Import a checked file; the batch page polls the batch for progress."""
    from .imports import completions_import

    batch = ImportBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first()
    ImportBatch.objects.filter(pk=batch_id).update(
        outcome=ImportOutcome.RUNNING, rows_checked=0, progress_at=timezone.now()
    )
    try:
        content = file_store.read(batch.stored_as)
        result = completions_import(
            actor=actor, partnership=batch.partnership, file_name=batch.file_name, content=content, batch=batch
        )
    except file_store.Unavailable:
        # Nothing was imported and the file is still kept: the batch can be imported again.
        ImportBatch.objects.filter(pk=batch_id).update(
            outcome=ImportOutcome.FAILED,
            problems=[[0, "Jigsaw's file store did not answer, so nothing was imported. Import the file again."]],
            finished_at=timezone.now(),
        )
        return 0
    except (ValidationError, OSError) as error:
        ImportBatch.objects.filter(pk=batch_id).update(
            outcome=ImportOutcome.REJECTED,
            problems=[[0, " ".join(getattr(error, "messages", [str(error)]))]],
            finished_at=timezone.now(),
        )
        return 0
    file_store.delete_on_commit(batch.stored_as)  # once the import is kept: a rolled-back one still has its file
    return result.added


@task()
def send_impact_follow_ups(partnership_id: int | None = None) -> int:
    """Run daily: email everyone whose training was 3 or 6 months ago."""
    from .services import impact_follow_ups_send

    partnerships = Partnership.objects.filter(pk=partnership_id) if partnership_id else Partnership.objects.all()
    return sum(impact_follow_ups_send(partnership=p) for p in partnerships)


@task()
def send_booking_reminders(day: str | None = None) -> dict:
    """Run daily: remind everyone with a place 14 and 5 days before their event, each once.

    `day` (ISO date) is for re-running a missed day; by default today."""
    import datetime

    from .bookings import reminders_send

    return reminders_send(datetime.date.fromisoformat(day) if day else None).as_dict()
