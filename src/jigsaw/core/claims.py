"""An email sent once however many runs send it, even two at the same moment: each run claims the
email first, by inserting its row (unique on what the email is: a booking and days before, a
request and kind, a person and day) with `claimed_at`, and only the run that inserted it sends.
The row's `sent_at` is set once sent; a failed email deletes its row, so the next run tries again.
A claim left by a run that died before sending is taken over once it is older than the timeout.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def claim(model, *, key: dict, also: dict | None = None, timeout: datetime.timedelta = CLAIM_TIMEOUT) -> bool:
    """Whether this run may send the email `key` names; `also` is written on the claim either way
    (the digest's count of actions)."""
    also = also or {}
    try:
        with transaction.atomic():
            model.objects.create(**key, **also)
        return True
    except IntegrityError:  # another run has it (sending, or sent)
        now = timezone.now()
        stale = model.objects.filter(**key, sent_at__isnull=True, claimed_at__lt=now - timeout)
        return bool(stale.update(claimed_at=now, **also))
