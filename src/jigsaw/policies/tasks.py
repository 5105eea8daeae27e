"""Background jobs: review reminders and the newsletter digest (django-tasks).

The digest is sent in batches. Each subscriber gets a Delivery row (unique per digest and
subscriber) that is claimed before the email goes and marked sent after, so a job that runs
twice, or is interrupted and started again, sends nobody the digest twice. A claim left by a
run that died is taken over once it is older than CLAIM_TIMEOUT.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks import task

from jigsaw.core.models import Partnership

from . import rendering, services
from .models import Delivery, Digest, DigestStatus, Subscriber

BATCH_SIZE = 50
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)


@task()
def send_review_reminders(partnership_id: int) -> int:
    return services.reminders_send(partnership=Partnership.objects.get(pk=partnership_id))


@task()
def send_digest(digest_id: int, base_url: str = "") -> int:
    return deliver_digest(Digest.objects.get(pk=digest_id), base_url=base_url)


def _recipients(digest: Digest):
    topics = Q()
    for topic in digest.topics:
        topics |= Q(topics__icontains=f'"{topic}"')  # JSON list of topic names, portable across databases
    return Subscriber.objects.filter(
        partnership=digest.partnership, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).filter(topics)


def deliver_digest(digest: Digest, *, base_url: str = "", batch_size: int = BATCH_SIZE, connection=None) -> int:
    """Send what has not been sent; returns how many emails this run sent."""
    run = uuid.uuid4().hex
    # One row per recipient; the unique constraint makes a second run add none.
    Delivery.objects.bulk_create(
        [Delivery(digest=digest, subscriber=s) for s in _recipients(digest)], ignore_conflicts=True
    )
    sent = 0
    while True:
        stale = timezone.now() - CLAIM_TIMEOUT
        free = Delivery.objects.filter(digest=digest, sent_at__isnull=True).filter(
            Q(claim="") | Q(claimed_at__lt=stale)
        )
        ids = list(free.values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        # Claim the batch in one conditional update: a row another run claimed meanwhile is not ours.
        free.filter(pk__in=ids).update(claim=run, claimed_at=timezone.now())
        for delivery in Delivery.objects.filter(pk__in=ids, claim=run, sent_at__isnull=True).select_related(
            "subscriber"
        ):
            _email(digest, delivery.subscriber, base_url, connection)
            Delivery.objects.filter(pk=delivery.pk, claim=run).update(sent_at=timezone.now())
            sent += 1
    with transaction.atomic():
        if not Delivery.objects.filter(digest=digest, sent_at__isnull=True).exists():
            Digest.objects.filter(pk=digest.pk).update(status=DigestStatus.SENT, sent_at=timezone.now())
    return sent


def _email(digest: Digest, subscriber: Subscriber, base_url: str, connection=None) -> None:
    slug = digest.partnership.slug
    unsubscribe = base_url.rstrip("/") + reverse(
        "policies:public-unsubscribe", args=[slug, services.unsubscribe_token(subscriber)]
    )
    text = f"{digest.body}\n\n---\nYou get this because you subscribed to {digest.partnership.name}'s newsletter.\nUnsubscribe: {unsubscribe}\n"
    html = f'{rendering.render(digest.body)}<hr><p>You get this because you subscribed to {escape(digest.partnership.name)}\'s newsletter. <a href="{unsubscribe}">Unsubscribe</a></p>'
    message = EmailMultiAlternatives(
        digest.subject,
        text,
        None,
        [subscriber.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    message.send()
