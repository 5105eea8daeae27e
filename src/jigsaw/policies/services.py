"""Writes for the procedures library, the newsletter and escalations.

Every service is keyword-only, validates with full_clean() inside one transaction and
attributes the audit entry to `actor`. Bad input raises ValidationError naming the field.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jigsaw.core import boundary, uploads
from jigsaw.core import files as file_store
from jigsaw.core.dates import add_months
from jigsaw.core.services import save
from jigsaw.governance.models import Group

from . import rendering, search
from .models import (
    MAPP_GROUP,
    Attachment,
    AttachmentKind,
    Consultation,
    ConsultationComment,
    Digest,
    DigestStatus,
    Document,
    Escalation,
    SitePage,
    Status,
    Subscriber,
    Version,
    VersionStatus,
    VersionTrigger,
)

# Documents and versions -------------------------------------------------------------------


def default_group(partnership) -> Group | None:
    return Group.objects.filter(partnership=partnership, name__iexact=MAPP_GROUP).first()


def document_create(
    *, actor, partnership, title: str, kind: str = "procedure", owning_group=None, **fields
) -> Document:
    document = Document(
        partnership=partnership, title=title.strip(), kind=kind, owning_group=owning_group or default_group(partnership)
    )
    return save(document, actor=actor, fields=fields)


def document_update(*, actor, document: Document, **fields) -> Document:
    if "owning_group" in fields and fields["owning_group"] is None:
        fields["owning_group"] = default_group(document.partnership)
    return save(document, actor=actor, fields=fields)


def _document_status(document: Document) -> str:
    """A published document stays published while its next version is worked on (the public
    keep the version in force); otherwise it is where its latest version is."""
    if document.status == Status.WITHDRAWN:
        return Status.WITHDRAWN
    if document.current_version_id:
        return Status.PUBLISHED
    latest = document.versions.order_by("-number").first()
    return latest.status if latest else Status.DRAFT


def _refresh(document: Document, *, actor) -> Document:
    document.status = _document_status(document)
    save(document, actor=actor)
    search.index_document(document)
    return document


def version_create(
    *, actor, document: Document, body: str = "", effective_on: datetime.date, what_changed: str
) -> Version:
    if document.versions.filter(
        status__in=[VersionStatus.DRAFT, VersionStatus.CONSULTATION, VersionStatus.APPROVED]
    ).exists():
        raise ValidationError({"body": "This document already has a version being worked on: change that one."})
    with transaction.atomic():
        number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = Version(
            document=document,
            number=number,
            body=body,
            plain_text=rendering.plain_text(body),
            effective_on=effective_on,
            what_changed=what_changed,
        )
        save(version, actor=actor)
        _refresh(document, actor=actor)
    return version


def version_update(*, actor, version: Version, **fields) -> Version:
    if not version.is_editable:
        raise ValidationError({"body": "Only a draft or a version out for consultation can be changed."})
    if "body" in fields:
        fields["plain_text"] = rendering.plain_text(fields["body"])
    return save(version, actor=actor, fields=fields)


def version_approve(*, actor, version: Version, approved_on: datetime.date | None = None) -> Version:
    if not version.is_editable:
        raise ValidationError(
            {
                "status": f"This version is {version.get_status_display().lower()}: only a draft or a consulted version can be approved."
            }
        )
    if not (version.body.strip() or version.attachments.exists()):
        raise ValidationError({"body": "Write the body or attach the document before approving it."})
    with transaction.atomic():
        save(
            version,
            actor=actor,
            fields={
                "status": VersionStatus.APPROVED,
                "approved_by": actor,
                "approved_on": approved_on or timezone.localdate(),
            },
        )
        _refresh(version.document, actor=actor)
    return version


def version_publish(*, actor, version: Version, published_on: datetime.date | None = None) -> Version:
    """Make an approved version the one in force on the public site; the previous one is superseded."""
    if version.status != VersionStatus.APPROVED or not version.approved_on:
        raise ValidationError({"status": "A version must be approved before it is published."})
    document = version.document
    with transaction.atomic():
        document.versions.filter(status=VersionStatus.PUBLISHED).exclude(pk=version.pk).update(
            status=VersionStatus.SUPERSEDED
        )
        save(
            version,
            actor=actor,
            fields={"status": VersionStatus.PUBLISHED, "published_on": published_on or timezone.localdate()},
        )
        document.current_version = version
        document.status = Status.PUBLISHED
        document.review_due_on = add_months(version.effective_on, document.review_interval_months)
        _refresh(document, actor=actor)
    return version


def document_withdraw(*, actor, document: Document) -> Document:
    with transaction.atomic():
        document.status = Status.WITHDRAWN
        save(document, actor=actor)
        search.index_document(document)
    return document


def _attachment_kind(upload) -> str:
    """What the file is, shown by its content (core's upload policy), not its name."""
    try:
        kind = uploads.PROCEDURE_ATTACHMENTS.check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    return AttachmentKind.PDF if kind is uploads.PDF else AttachmentKind.DOCX


def attachment_add(*, actor, version: Version, title: str, file) -> Attachment:
    if not version.is_editable:
        raise ValidationError({"file": "Attach files to a draft version, not to an approved or published one."})
    kind = _attachment_kind(file)
    attachment = Attachment(version=version, title=title.strip(), file=file, kind=kind, size=file.size)
    with file_store.saving("file") as storing:
        storing.watch(attachment.file)
        return save(attachment, actor=actor)


def trigger_add(
    *,
    actor,
    version: Version,
    label: str,
    source=None,
    source_type: ContentType | None = None,
    source_id: int | None = None,
) -> VersionTrigger:
    if source is not None:
        source_type, source_id = ContentType.objects.get_for_model(source), source.pk
        label = label or str(source)
    elif source_type is not None and source_id and not (label or "").strip():
        # Named after the record, kept as text so the trail reads well if the record is archived.
        record = source_type.model_class()._base_manager.filter(pk=source_id).first()
        label = str(record)[:300] if record is not None else ""
        if record is None:
            raise ValidationError({"source_id": boundary.not_ours(source_type.model_class())})
    return save(
        VersionTrigger(version=version, label=(label or "").strip(), source_type=source_type, source_id=source_id),
        actor=actor,
    )


# Review cycle ------------------------------------------------------------------------------


def reminders_send(*, partnership, today: datetime.date | None = None, within_days: int = 30) -> int:
    """Remind each owner whose document's review is due within `within_days` (or overdue).
    A reminder row per document and due date is written before the email, so each goes once."""
    from django.core.mail import send_mail
    from django.db import IntegrityError

    from .models import ReviewReminder

    today = today or timezone.localdate()
    due = (
        Document.objects.filter(
            partnership=partnership,
            review_due_on__lte=today + datetime.timedelta(days=within_days),
            owner__email__gt="",
        )
        .exclude(status=Status.WITHDRAWN)
        .exclude(reminders__review_due_on=F("review_due_on"))
        .select_related("owner", "partnership")
    )
    sent = 0
    for document in due:
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(
                    document=document, review_due_on=document.review_due_on, sent_to=document.owner.email
                )
                send_mail(
                    f"Review due: {document.title}",
                    f"{document.title} is due for review on {document.review_due_on:%-d %B %Y}.\n\n"
                    f"Open it in Jigsaw: {settings.SITE_URL}{document.get_absolute_url()}\n",
                    None,
                    [document.owner.email],
                )
        except IntegrityError:
            continue  # another run sent it
        sent += 1
    return sent


# Consultation ------------------------------------------------------------------------------


def consultation_open(*, actor, version: Version, agencies, closes_on: datetime.date) -> Consultation:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError({"closes_on": "Only a draft version can be opened for consultation."})
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": "Name at least one agency to consult."})
    with transaction.atomic():
        consultation = save(
            Consultation(version=version, closes_on=closes_on), actor=actor, fields={"agencies": agencies}
        )
        save(version, actor=actor, fields={"status": VersionStatus.CONSULTATION})
        _refresh(version.document, actor=actor)
    return consultation


def comment_add(*, actor, consultation: Consultation, agency, comment: str) -> ConsultationComment:
    if not consultation.is_open:
        raise ValidationError({"comment": "The consultation has closed."})
    return save(
        ConsultationComment(consultation=consultation, agency=agency, comment=comment, made_by=actor), actor=actor
    )


def comment_answer(*, actor, comment: ConsultationComment, answer: str) -> ConsultationComment:
    if not (answer or "").strip():
        raise ValidationError({"answer": "Write the answer."})
    return save(comment, actor=actor, fields={"answer": answer, "answered_by": actor, "answered_at": timezone.now()})


# Newsletter --------------------------------------------------------------------------------

CONFIRM_SALT = "jigsaw.policies.newsletter.confirm"
UNSUBSCRIBE_SALT = "jigsaw.policies.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": "Enter an email address in the correct format, like name@example.com."}
        ) from None
    return email


def subscribe(*, partnership, email: str, topics: list[str]) -> tuple[Subscriber, str]:
    """Record the request and return the signed confirmation token to email (double opt-in)."""
    email = _normalise_email(email)
    subscriber = Subscriber.objects.filter(partnership=partnership, email=email).first()
    if subscriber and subscriber.is_active:
        raise ValidationError(
            {
                "email": "This email address is already subscribed. Use the unsubscribe link in any newsletter to change it."
            }
        )
    subscriber = subscriber or Subscriber(partnership=partnership, email=email)
    subscriber.topics = list(topics)
    subscriber.unsubscribed_at = None
    subscriber.confirmed_at = None
    save(subscriber, actor=None)
    return subscriber, signing.dumps({"s": subscriber.pk, "e": email}, salt=CONFIRM_SALT)


def subscription_confirm(*, partnership, token: str) -> Subscriber:
    data = _unsign(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    subscriber = Subscriber.objects.filter(partnership=partnership, pk=data.get("s"), email=data.get("e")).first()
    if subscriber is None:
        raise ValidationError({"token": "This confirmation link is not valid. Subscribe again to get a new one."})
    if subscriber.confirmed_at is None:
        save(subscriber, actor=None, fields={"confirmed_at": timezone.now()})
    return subscriber


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_check(*, partnership, token: str) -> Subscriber:
    """The subscriber an unsubscribe link is for; a forged or expired link raises."""
    data = _unsign(token, UNSUBSCRIBE_SALT, UNSUBSCRIBE_MAX_AGE)
    subscriber = Subscriber.objects.filter(partnership=partnership, pk=data.get("s")).first()
    if subscriber is None:
        raise ValidationError({"token": "This unsubscribe link is not valid."})
    return subscriber


def unsubscribe(*, partnership, token: str) -> Subscriber:
    subscriber = unsubscribe_check(partnership=partnership, token=token)
    if subscriber.unsubscribed_at is None:
        save(subscriber, actor=None, fields={"unsubscribed_at": timezone.now()})
    return subscriber


def _unsign(token: str, salt: str, max_age: int) -> dict:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            {"token": "This link has expired. Subscribe again, or use the link in a more recent newsletter."}
        ) from None
    except signing.BadSignature:
        raise ValidationError({"token": "This link is not valid: it may have been copied wrongly."}) from None
    return data if isinstance(data, dict) else {}


def digest_create(*, actor, partnership, **fields) -> Digest:
    return save(Digest(partnership=partnership), actor=actor, fields=fields)


def digest_update(*, actor, digest: Digest, **fields) -> Digest:
    if digest.status != DigestStatus.DRAFT:
        raise ValidationError({"body": "This digest has been sent and cannot be changed."})
    return save(digest, actor=actor, fields=fields)


def digest_send(*, actor, digest: Digest, base_url: str = "") -> Digest:
    """Queue the digest; the task sends it in batches, once per subscriber."""
    from .tasks import send_digest

    if digest.status == DigestStatus.SENT:
        raise ValidationError({"status": "This digest has already been sent."})
    save(digest, actor=actor, fields={"status": DigestStatus.SENDING})
    send_digest.enqueue(digest.pk, base_url)
    return digest


# Escalations -------------------------------------------------------------------------------


def escalation_create(*, actor, partnership, **fields) -> Escalation:
    fields.setdefault("stage", 1)
    with transaction.atomic():
        escalation = save(Escalation(partnership=partnership), actor=actor, fields=fields)
        escalation.reference = f"PD-{escalation.stage1_on.year}-{escalation.pk:03d}"
        save(escalation, actor=actor)
    return escalation


def escalation_update(*, actor, escalation: Escalation, **fields) -> Escalation:
    return save(escalation, actor=actor, fields=fields)


def escalation_move(*, actor, escalation: Escalation, stage: int, reached_on: datetime.date) -> Escalation:
    """Move to a later stage (stages only go forward; stage 4 reaches the independent scrutineer)."""
    stage = int(stage)
    if stage <= escalation.stage:
        raise ValidationError(
            {"stage": f"This disagreement is already at stage {escalation.stage}: stages only move forward."}
        )
    if stage > 4:
        raise ValidationError({"stage": "There are four stages."})
    if escalation.resolved_on:
        raise ValidationError({"stage": "This disagreement has been resolved."})
    fields = {"stage": stage, f"stage{stage}_on": reached_on}
    errors_name = f"stage{stage}_on"
    try:
        return save(escalation, actor=actor, fields=fields)
    except ValidationError as error:
        escalation.refresh_from_db()
        messages = error.message_dict
        raise ValidationError(
            {"reached_on": messages.get(errors_name) or [m for ms in messages.values() for m in ms]}
        ) from None


def escalation_resolve(*, actor, escalation: Escalation, resolved_on: datetime.date, outcome: str) -> Escalation:
    if not (outcome or "").strip():
        raise ValidationError({"outcome": "Say how the disagreement was resolved."})
    try:
        return save(escalation, actor=actor, fields={"resolved_on": resolved_on, "outcome": outcome})
    except ValidationError:
        escalation.refresh_from_db()
        raise


def site_page_save(*, actor, partnership, kind: str, body: str) -> SitePage:
    """Write or rewrite one of the public site's footer pages."""
    page = SitePage.objects.filter(partnership=partnership, kind=kind).first() or SitePage(
        partnership=partnership, kind=kind
    )
    with transaction.atomic():
        return save(page, actor=actor, fields={"body": body})
