"""Writes to the learning log. Other apps raise actions only through `action_raise`.

The status rules live here: an action moves open → in progress → completed (with evidence) →
assured (only by its 12-month review), or is closed without assurance with a reason. Completing
an action schedules its 6- and 12-month assurance reviews. Every write is validated, saved in
one transaction and attributed to the actor; a refusal names the field and saves nothing.
"""

from __future__ import annotations

import datetime
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from jigsaw.core import boundary, dates, uploads
from jigsaw.core import files as file_store
from jigsaw.core.audit import attributed_to
from jigsaw.core.scoping import Access, Action, Role, permits
from jigsaw.core.services import save, validate

from .models import ActionEvent, AssuranceReview, EvidenceFile, LearningAction, ReviewKind, Status, _evidence_path

REVIEW_MONTHS = {ReviewKind.SIX_MONTH: 6, ReviewKind.TWELVE_MONTH: 12}
EDITABLE_FIELDS = ("description", "source_label", "owner_agency", "owner_person", "priority", "due_on", "raised_on")
MANY_FIELDS = ("themes", "plan_priorities", "golden_threads")


def _access(actor, action: LearningAction) -> Access | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None  # a system job (the demo loader, a task)
    return Access.for_user(actor, action.partnership)


def _check_may_change(actor, action: LearningAction) -> None:
    """The pages and the API check first; this keeps the rule when a service is called directly:
    an agency lead may change only their own agency's actions."""
    access = _access(actor, action)
    if access is not None and not permits(access, Action.CHANGE, action):
        raise ValidationError(
            {
                "owner_agency": "This action belongs to another agency: only its own agency lead or the business unit can update it."
            }
        )


def _check_new_owner(actor, action: LearningAction) -> None:
    """An agency lead cannot hand an action to another agency (or make it partnership-wide)."""
    access = _access(actor, action)
    if (
        access is not None
        and not access.has_role(Role.BUSINESS_UNIT)
        and action.owner_agency_id not in access.agency_ids
    ):
        raise ValidationError(
            {"owner_agency": "Choose your own agency: you can only hold actions for the agency you lead."}
        )


def _event(
    action: LearningAction, kind: str, summary: str, *, actor=None, on: datetime.date | None = None
) -> ActionEvent:
    event = ActionEvent(
        action=action,
        kind=kind,
        summary=summary,
        happened_on=on or timezone.localdate(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event.save()
    return event


def action_raise(
    *,
    actor,
    partnership,
    description: str,
    source=None,
    owner_agency=None,
    owner_person=None,
    due_on: datetime.date | None = None,
    raised_on: datetime.date | None = None,
    priority: str = "medium",
    themes=(),
    plan_priorities=(),
    golden_threads=(),
    source_label: str = "",
) -> LearningAction:
    """Raise an action in the log, from `source` (any record of this partnership) when given."""
    action = LearningAction(
        partnership=partnership,
        description=description,
        owner_agency=owner_agency,
        owner_person=owner_person,
        due_on=due_on,
        raised_on=raised_on or timezone.localdate(),
        priority=priority,
        source_label=source_label[:300],
    )
    if source is not None:
        boundary.require(partnership, source=source)
        action.source_type = ContentType.objects.get_for_model(source)
        action.source_id = source.pk
        action.source_label = (source_label or str(source))[:300]
    themes, plan_priorities, golden_threads = list(themes), list(plan_priorities), list(golden_threads)
    validate(action, {"themes": themes, "plan_priorities": plan_priorities, "golden_threads": golden_threads})
    with transaction.atomic(), attributed_to(actor):
        action.save()
        if not action.reference:
            action.reference = f"LL-{action.raised_on.year}-{action.pk:03d}"
            action.save(update_fields=["reference"])
        action.themes.set(themes)
        action.plan_priorities.set(plan_priorities)
        action.golden_threads.set(golden_threads)
        _event(
            action,
            ActionEvent.Kind.RAISED,
            f"Raised{' from ' + action.source_label if action.source_label else ''}.",
            actor=actor,
            on=action.raised_on,
        )
    return action


def action_update(*, actor, action: LearningAction, note: str = "", **fields) -> LearningAction:
    """Change what must change, its owner, due date, priority, themes or plan links."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - set(MANY_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This cannot be changed here."))
    if action.is_final:
        raise ValidationError(
            {"status": f"This action is {action.get_status_display().lower()}: it can no longer be changed."}
        )
    _check_may_change(actor, action)
    many = {name: list(fields.pop(name)) for name in MANY_FIELDS if name in fields}
    before = {name: getattr(action, name) for name in fields}
    for name, value in fields.items():
        setattr(action, name, value)
    validate(action, many)
    _check_new_owner(actor, action)
    changed = [LearningAction._meta.get_field(name).verbose_name for name in fields if before[name] != fields[name]]
    with transaction.atomic(), attributed_to(actor):
        action.save()
        for name, records in many.items():
            if set(getattr(action, name).all()) != set(records):
                changed.append(LearningAction._meta.get_field(name).verbose_name)
                getattr(action, name).set(records)
        if changed or note:
            summary = f"Changed {', '.join(changed)}." if changed else ""
            _event(action, ActionEvent.Kind.UPDATED, " ".join(filter(None, [summary, note.strip()])), actor=actor)
    return action


def _check_evidence_file(upload) -> uploads.Kind:
    """Documents and images people actually send, shown to be so by their content (core's upload policy)."""
    try:
        return uploads.LEARNING_EVIDENCE.check(upload)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None


def evidence_add(*, actor, action: LearningAction, files=(), note: str = "") -> list[EvidenceFile]:
    """Attach evidence files to an action (type and size checked before anything is saved)."""
    files = list(files)
    kinds = [_check_evidence_file(upload) for upload in files]
    if action.is_final:
        raise ValidationError({"files": "This action is closed: evidence can no longer be added."})
    _check_may_change(actor, action)
    saved = []
    with file_store.saving("files") as storing, transaction.atomic(), attributed_to(actor):
        for upload, kind in zip(files, kinds):
            upload.seek(0)
            record = EvidenceFile(
                action=action,
                name=PurePath(upload.name).name[:200],
                size=upload.size,
                file=upload,
                content_type=kind.content_type,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            storing.watch(record.file)
            record.save()
            saved.append(record)
        if saved or note.strip():
            names = ", ".join(record.name for record in saved)
            _event(
                action,
                ActionEvent.Kind.EVIDENCE,
                " ".join(filter(None, [note.strip(), f"Files: {names}." if names else ""])),
                actor=actor,
            )
    return saved


def evidence_move_into_store(place) -> int:
    """Move evidence kept in its own row (uploaded before the file store) into the store: one row
    per transaction, under a name fixed by the row, so a run stopped half-way is finished by the
    next (`jigsaw move_files`). Not audited as a change: the evidence is the same file."""
    moved = 0
    pending = list(EvidenceFile._base_manager.filter(file="").exclude(content=b"").values_list("pk", flat=True))
    for pk in pending:
        with transaction.atomic():
            record = (
                EvidenceFile._base_manager.select_for_update()
                .select_related("action")
                .filter(pk=pk, file="")
                .exclude(content=b"")
                .first()
            )
            if record is None:  # moved by another run meanwhile
                continue
            content = bytes(record.content)
            name = _evidence_path(record, f"{record.pk}-{get_valid_filename(record.name) or 'evidence'}")
            place(name, ContentFile(content), len(content))
            EvidenceFile._base_manager.filter(pk=pk).update(file=name, content=b"")
            moved += 1
    return moved


# Which status may follow which. 'Assured' is never set by hand: only the 12-month review sets it.
ALLOWED = {
    Status.OPEN: {Status.IN_PROGRESS, Status.COMPLETED, Status.CLOSED_WITHOUT_ASSURANCE},
    Status.IN_PROGRESS: {Status.OPEN, Status.COMPLETED, Status.CLOSED_WITHOUT_ASSURANCE},
    Status.COMPLETED: {Status.CLOSED_WITHOUT_ASSURANCE},
    Status.ASSURED: set(),
    Status.CLOSED_WITHOUT_ASSURANCE: set(),
}


def review_dates(completed_on: datetime.date) -> dict[str, datetime.date]:
    """6 and 12 calendar months after completion (31 Aug → 28 Feb and 31 Aug)."""
    return dates.review_dates(completed_on, REVIEW_MONTHS)


def action_set_status(
    *,
    actor,
    action: LearningAction,
    status: str,
    evidence: str = "",
    closure_reason: str = "",
    note: str = "",
    files=(),
    on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    reviews_from: datetime.date | None = None,
) -> LearningAction:
    """Move an action on. Completing it needs evidence and a completion date (`completed_on`, else
    `on`, else today: never after today, never before it was raised); its assurance reviews fall 6
    and 12 months after that date, or after `reviews_from` when the source counts from its own
    sign-off. Closing without assurance needs a reason."""
    today = timezone.localdate()
    on = on or today
    if status == Status.ASSURED:
        raise ValidationError(
            {"status": "An action is assured only when its 12-month review gives assurance: record the review instead."}
        )
    if status not in Status.values:
        raise ValidationError({"status": "Choose a status from the list."})
    if status != action.status and status not in ALLOWED[Status(action.status)]:
        raise ValidationError(
            {"status": f"A {action.get_status_display().lower()} action cannot be made {Status(status).label.lower()}."}
        )
    if status == Status.COMPLETED and not (evidence or action.evidence).strip():
        raise ValidationError({"evidence": "Describe the evidence that the action is complete."})
    if status == Status.CLOSED_WITHOUT_ASSURANCE and not closure_reason.strip():
        raise ValidationError({"closure_reason": "Say why the action is closed without assurance."})
    completing = status == Status.COMPLETED and action.status != Status.COMPLETED
    if completed_on is not None and not completing:
        raise ValidationError({"completed_on": "A completion date is given only when the action is completed."})
    completed_on = completed_on or on
    if completing and completed_on > today:
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    files = list(files)
    for upload in files:
        _check_evidence_file(upload)
    _check_may_change(actor, action)
    previous = action.status
    action.status = status
    if evidence.strip():
        action.evidence = evidence.strip()
    if completing:
        action.completed_on = completed_on
    if status == Status.CLOSED_WITHOUT_ASSURANCE:
        action.closure_reason = closure_reason.strip()
    validate(action)
    with transaction.atomic(), attributed_to(actor):
        action.save()
        if status != previous:
            detail = {Status.COMPLETED: action.evidence, Status.CLOSED_WITHOUT_ASSURANCE: action.closure_reason}.get(
                status, ""
            )
            summary = f"{Status(previous).label} → {Status(status).label}." + (f" {detail}" if detail else "")
            _event(action, ActionEvent.Kind.STATUS, " ".join(filter(None, [summary, note.strip()])), actor=actor, on=on)
        elif note.strip():
            _event(action, ActionEvent.Kind.UPDATED, note.strip(), actor=actor, on=on)
        if completing:
            for kind, due_on in review_dates(reviews_from or completed_on).items():
                AssuranceReview.objects.update_or_create(action=action, kind=kind, defaults={"due_on": due_on})
        if files:
            evidence_add(actor=actor, action=action, files=files)
    return action


def action_escalate(
    *, actor, action: LearningAction, group, reason: str, on: datetime.date | None = None
) -> LearningAction:
    """Escalate an action that is stuck to a group (the executive, the performance and learning group)."""
    on = on or timezone.localdate()
    if group is None:
        raise ValidationError({"group": "Choose the group the action is escalated to."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action is escalated."})
    if action.is_final:
        raise ValidationError({"group": "This action is closed: it cannot be escalated."})
    _check_may_change(actor, action)
    action.escalated_to, action.escalated_on, action.escalation_reason = group, on, reason.strip()
    try:
        validate(action)
    except ValidationError as error:  # name the form's fields, not the model's
        renamed = {"escalated_to": "group", "escalated_on": "on", "escalation_reason": "reason"}
        raise ValidationError({renamed.get(k, k): v for k, v in error.message_dict.items()}) from error
    with transaction.atomic(), attributed_to(actor):
        action.save()
        _event(
            action, ActionEvent.Kind.ESCALATED, f"Escalated to {group}: {action.escalation_reason}", actor=actor, on=on
        )
    return action


def review_record(
    *,
    actor,
    review: AssuranceReview,
    rag: str,
    what_changed: str,
    evidence: str = "",
    assurance_given: bool,
    reviewed_on: datetime.date | None = None,
    reviewer=None,
) -> AssuranceReview:
    """Record a 6- or 12-month review. A 12-month review that gives assurance makes the action assured."""
    action = review.action
    if action.status != Status.COMPLETED:
        raise ValidationError(
            {"action": f"Reviews are recorded on completed actions; this one is {action.get_status_display().lower()}."}
        )
    if not rag:
        raise ValidationError({"rag": "Choose a RAG rating."})
    if not what_changed.strip():
        raise ValidationError({"what_changed": "Describe what has changed in practice."})
    if assurance_given is None:
        raise ValidationError({"assurance_given": "Say whether assurance is given."})
    if review.kind == ReviewKind.TWELVE_MONTH:
        six = action.reviews.filter(kind=ReviewKind.SIX_MONTH).first()
        if six is not None and not six.is_recorded:
            raise ValidationError({"kind": "Record the 6-month review first."})
    review.rag, review.what_changed, review.evidence = rag, what_changed.strip(), evidence.strip()
    review.assurance_given, review.reviewed_on, review.reviewer = (
        assurance_given,
        reviewed_on or timezone.localdate(),
        reviewer,
    )
    validate(review)
    with transaction.atomic(), attributed_to(actor):
        review.save()
        verdict = "assurance given" if assurance_given else "assurance not given"
        _event(
            action,
            ActionEvent.Kind.REVIEWED,
            f"{review.get_kind_display()}: {review.get_rag_display()}, {verdict}. {review.what_changed}",
            actor=actor,
            on=review.reviewed_on,
        )
        if review.kind == ReviewKind.TWELVE_MONTH and assurance_given:
            save(action, actor=actor, fields={"status": Status.ASSURED})
            _event(
                action,
                ActionEvent.Kind.STATUS,
                "Completed → Assured, by the 12-month review.",
                actor=actor,
                on=review.reviewed_on,
            )
    return review


def review_add(*, actor, partnership, action: LearningAction, kind: str, **fields) -> AssuranceReview:
    """Record the review of `kind` on `action` (the API's 'add a review'): the scheduled one."""
    boundary.require(partnership, action=action)
    if kind not in ReviewKind.values:
        raise ValidationError({"kind": "Choose a 6-month or a 12-month review."})
    review = action.reviews.filter(kind=kind).first()
    if review is None:
        raise ValidationError(
            {"action": f"Reviews are recorded on completed actions; this one is {action.get_status_display().lower()}."}
        )
    return review_record(actor=actor, review=review, **fields)
