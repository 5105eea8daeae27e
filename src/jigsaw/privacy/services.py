"""Writes for the retention schedule, its daily run and subject access requests.

A run handles each kind's records past their period in batches, each batch one transaction that
also counts it in the run's tally: stopped anywhere (killed, the database gone), what committed is
done and counted, what did not is still due, and the next run carries the same run on. A record is
due only while its date is before the period's start counted back from the run's day, so a record
the schedule keeps is never touched.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from jigsaw.core import freshness
from jigsaw.core.audit import attributed_to
from jigsaw.core.dates import add_months
from jigsaw.core.services import save

from .kinds import KINDS, REMOVED, SCHEDULE, Kind
from .models import Outcome, RetentionRule, RetentionRun, RetentionTally, SubjectAccessRequest

BATCH_SIZE = 500


@dataclass(frozen=True)
class Rule:
    """A kind's period and outcome in one partnership: its own rule, or the default."""

    kind: Kind
    months: int
    outcome: str
    reason: str = ""
    is_default: bool = True

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    def cutoff(self, as_of: datetime.date) -> datetime.date:
        """Records dated before this day are past their period on `as_of`: one dated exactly
        `months` before is on its last day, and kept."""
        return add_months(as_of, -self.months)


def schedule(partnership) -> list[Rule]:
    own = {rule.kind: rule for rule in RetentionRule.objects.filter(partnership=partnership)}
    return [_rule(kind, own.get(kind.code)) for kind in SCHEDULE]


def rule_for(partnership, kind: Kind) -> Rule:
    return _rule(kind, RetentionRule.objects.filter(partnership=partnership, kind=kind.code).first())


def _rule(kind: Kind, own: RetentionRule | None) -> Rule:
    if own is None:
        return Rule(kind, kind.default_months, kind.default_outcome)
    return Rule(kind, own.months, own.outcome, own.reason, is_default=False)


def rule_update(*, actor, partnership, kind: Kind, months: int, outcome: str, reason: str = "") -> RetentionRule:
    """The partnership's own period and outcome for a kind (audited); the default's values are
    kept as a row too, so the trail shows the change back."""
    if outcome not in kind.outcomes:
        raise ValidationError({"outcome": f"{kind.label} can only be: {', '.join(kind.outcomes)}."})
    rule = RetentionRule.objects.filter(partnership=partnership, kind=kind.code).first() or RetentionRule(
        partnership=partnership, kind=kind.code
    )
    return save(rule, actor=actor, fields={"months": months, "outcome": outcome, "reason": reason.strip()})


# The run ---------------------------------------------------------------------------------------


def retention_apply(
    *,
    partnership,
    actor=None,
    today: datetime.date | None = None,
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[Kind, int], None] | None = None,
) -> RetentionRun:
    """Apply the schedule to one partnership, carrying on a run that stopped before finishing.

    `after_batch(kind, count)` is called after each committed batch (the tests stop a run there)."""
    run = _open_run(partnership, actor, today or timezone.localdate())
    for kind in SCHEDULE:
        rule = rule_for(partnership, kind)
        cutoff = rule.cutoff(run.as_of)
        tally, _ = RetentionTally.objects.update_or_create(
            run=run, kind=kind.code, defaults={"months": rule.months, "outcome": rule.outcome, "cutoff": cutoff}
        )
        while True:
            with transaction.atomic():
                # Holding the run's row: a second run of the same partnership waits here, then
                # finds these records handled and counts nothing twice.
                RetentionRun.objects.select_for_update().filter(pk=run.pk).first()
                ids = list(kind.due(partnership, cutoff).order_by("pk").values_list("pk", flat=True)[:batch_size])
                if not ids:
                    break
                _handle(kind, rule.outcome, ids, run.as_of)
                RetentionTally.objects.filter(pk=tally.pk).update(count=F("count") + len(ids), batches=F("batches") + 1)
                freshness.record_changed(partnership.pk, kind.model._meta.app_label)
            if after_batch:
                after_batch(kind, len(ids))
    return _finish(run, actor)


def _open_run(partnership, actor, today) -> RetentionRun:
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().filter(partnership=partnership, finished_at__isnull=True).first()
        if run is not None:
            # Carried on from the day it started: counting back from a later day would only
            # reach further, and the tally would mix two days' cutoffs.
            RetentionRun.objects.filter(pk=run.pk).update(resumed=F("resumed") + 1)
            run.refresh_from_db()
            return run
        try:
            with transaction.atomic(), attributed_to(actor):
                return RetentionRun.objects.create(
                    partnership=partnership,
                    as_of=today,
                    started_at=timezone.now(),
                    started_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:  # another run opened one a moment ago: carry that one on
            return RetentionRun.objects.get(partnership=partnership, finished_at__isnull=True)


def _finish(run: RetentionRun, actor) -> RetentionRun:
    tallies = {tally.kind: tally for tally in run.tallies.all()}
    parts = [
        f"{KINDS[code].label}: {tallies[code].count} {Outcome(tallies[code].outcome).label.lower()}d"
        for code in KINDS
        if code in tallies and tallies[code].count
    ]
    resumed = f" (carried on {run.resumed} time{'s' if run.resumed != 1 else ''} after stopping)" if run.resumed else ""
    fields = {
        "finished_at": timezone.now(),
        "summary": ("; ".join(parts) or "Nothing was past its period") + resumed + ".",
    }
    # The finishing change is the run's audit entry: what it did, per kind.
    return save(run, actor=actor, fields=fields)


def _handle(kind: Kind, outcome: str, ids: list, today: datetime.date) -> None:
    model = kind.model
    records = model._base_manager.filter(pk__in=ids)
    if outcome == Outcome.PSEUDONYMISE:
        kind.pseudonymise(records, today)
        names = {pk: str(record) for pk, record in model._base_manager.in_bulk(ids).items()}
        redact_history(model, ids, kind.personal_fields, names=names)
        for label, lookup in kind.also_redact.items():
            other = apps.get_model(label)
            other_names = {r.pk: str(r) for r in other._base_manager.filter(**{lookup: ids})}
            redact_history(other, list(other_names), ("email",), names=other_names, as_actor=True)
        return
    if kind.delete is not None:
        kind.delete(records)
        names = {pk: str(record) for pk, record in model._base_manager.in_bulk(ids).items()}
        redact_history(model, ids, kind.personal_fields, names=names)
        return
    _delete_files(records)
    # Each row's deletion is not copied into the audit trail (it would keep what is erased); the
    # run's tally and its audit entry say how many went. The record's history loses its values.
    with disable_auditlog():
        records.delete()
    if model is not LogEntry and not issubclass(model, LogEntry):
        redact_history(model, ids, None, names={})


def _delete_files(records) -> None:
    file_fields = [f for f in records.model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields:
        return
    for record in records.only("pk", *(f.name for f in file_fields)):
        for f in file_fields:
            stored = getattr(record, f.name)
            if stored:
                stored.delete(save=False)


def redact_history(model, ids, fields, *, names: dict, as_actor: bool = False) -> int:
    """Remove from the audit trail what retention erased: each of the records' entries keeps when,
    who and which fields changed, not the values of `fields` (every value when None, for a record
    deleted). `as_actor`: the entries they wrote lose the email kept beside the actor too."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    entries = list(LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in ids]))
    for entry in entries:
        changes = entry.changes
        if isinstance(changes, str):
            changes = json.loads(changes or "{}")
        changes = changes or {}
        for name in list(changes):
            if fields is None or name in fields:
                changes[name] = [REMOVED if value not in (None, "None", "") else value for value in changes[name]]
        entry.changes = changes
        entry.changes_text = ""
        entry.serialized_data = None
        pk = model._meta.pk.to_python(entry.object_pk)
        entry.object_repr = (
            names.get(pk) or f"{model._meta.verbose_name.capitalize()} removed after its retention period"
        )
    LogEntry.objects.bulk_update(entries, ["changes", "changes_text", "serialized_data", "object_repr"])
    if as_actor:
        LogEntry.objects.filter(actor_id__in=ids).exclude(actor_email=None).update(actor_email=REMOVED)
    return len(entries)


def retention_apply_all(*, actor=None, today: datetime.date | None = None) -> list[RetentionRun]:
    from jigsaw.core.models import Partnership

    return [retention_apply(partnership=p, actor=actor, today=today) for p in Partnership.objects.order_by("pk")]


# Subject access --------------------------------------------------------------------------------


def subject_access_request(*, actor, partnership, subject: str, reference: str = "") -> SubjectAccessRequest:
    from .subject_access import find

    subject = " ".join((subject or "").split())
    if len(subject) < 3:
        raise ValidationError({"subject": "Enter the person's email address or full name."})
    found = find(partnership, subject)
    return save(
        SubjectAccessRequest(partnership=partnership),
        actor=actor,
        fields={
            "subject": subject,
            "reference": reference.strip(),
            "requested_by": actor if getattr(actor, "is_authenticated", False) else None,
            "requested_at": timezone.now(),
            "found": found.counts(),
        },
    )


def subject_access_download(*, actor, request: SubjectAccessRequest) -> tuple[str, bytes]:
    """The export as it stands now, as (file name, zip); the download is in the audit trail."""
    from .subject_access import export, find

    content = export(find(request.partnership, request.subject), request)
    with transaction.atomic(), attributed_to(actor):
        SubjectAccessRequest.objects.filter(pk=request.pk).update(
            downloads=F("downloads") + 1, last_downloaded_at=timezone.now()
        )
        LogEntry.objects.log_create(
            request,
            action=LogEntry.Action.ACCESS,
            force_log=True,
            changes={"downloaded": ["", f"{len(content)} bytes"]},
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return f"subject-access-{request.partnership.slug}-{request.pk}.zip", content
