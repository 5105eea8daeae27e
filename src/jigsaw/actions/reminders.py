"""The daily reminder digest: one email per owner per day listing their actions due in the
next 14 days, overdue, or with an assurance review due.

A run claims the ReminderLog row (person, day) before it sends, and the unique constraint lets
only one run have it: running the job twice, even two runs at the same moment (an overlapping
cron), sends each digest once. An email that failed gives its claim back and is tried again next
run; a claim whose run died before sending is taken over (core.claims).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jigsaw.core.claims import claim

from . import queries
from .models import ReminderLog, Status

logger = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    day: datetime.date
    sent: list[str] = field(default_factory=list)  # email addresses
    failed: list[str] = field(default_factory=list)
    already_sent: int = 0

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "sent": len(self.sent),
            "failed": len(self.failed),
            "already_sent": self.already_sent,
        }


def _site_url() -> str:
    return settings.SITE_URL


def digests(today: datetime.date) -> dict:
    """{person: {"overdue": [...], "due_soon": [...], "review_due": [...]}} for every owner with an email.

    A job of the platform, not of a user: it reads every partnership's log (one query)."""
    window = today + datetime.timedelta(days=queries.REMINDER_DAYS)
    actions = (
        queries.log_for_system()
        .filter(owner_person__isnull=False)
        .exclude(owner_person__email="")
        .select_related("owner_person__partnership")
    )
    due = actions.filter(status__in=queries.OPEN_STATUSES, due_on__lte=window)
    reviews = actions.filter(status=Status.COMPLETED, next_review_on__lte=window)
    found: dict = defaultdict(lambda: {"overdue": [], "due_soon": [], "review_due": []})
    for action in [*due, *reviews]:
        person = action.owner_person
        if action.status == Status.COMPLETED:
            found[person]["review_due"].append(action)
        elif action.due_on < today:
            found[person]["overdue"].append(action)
        else:
            found[person]["due_soon"].append(action)
    return found


def send_due(today: datetime.date | None = None) -> ReminderRun:
    today = today or timezone.localdate()
    run = ReminderRun(day=today)
    found = digests(today)
    sent = set(
        ReminderLog.objects.filter(sent_on=today, sent_at__isnull=False, person__in=[p.pk for p in found]).values_list(
            "person_id", flat=True
        )
    )
    for person, lists in sorted(found.items(), key=lambda item: item[0].pk):
        count = sum(len(items) for items in lists.values())
        if person.pk in sent or not claim(
            ReminderLog, key={"person": person, "sent_on": today}, also={"action_count": count}
        ):
            run.already_sent += 1
            continue
        context = {
            "person": person,
            "today": today,
            **lists,
            "count": count,
            "site_url": _site_url(),
            "log_url": _site_url() + reverse("actions:list", args=[person.partnership.slug]),
        }
        try:
            send_mail(
                subject=f"Learning log: {count} action{'s' if count != 1 else ''} need{'s' if count == 1 else ''} your attention",
                message=render_to_string("actions/reminder_email.txt", context),
                from_email=None,
                recipient_list=[person.email],
            )
        except Exception:  # any mail failure: log it, carry on, retry next run
            logger.exception(
                "Learning log reminder to %s (person %s) failed; it will be tried again next run.",
                person.email,
                person.pk,
            )
            ReminderLog.objects.filter(
                person=person, sent_on=today, sent_at__isnull=True
            ).delete()  # give the claim back
            run.failed.append(person.email)
            continue
        ReminderLog.objects.filter(person=person, sent_on=today).update(sent_at=timezone.now())
        run.sent.append(person.email)
    return run
