"""Upcoming training on the public site's 'what's new', its feed and the newsletter."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from jigsaw.core.publications import Publication
from jigsaw.core.scoping import Access

from .models import Event


def published(partnership, since: datetime.date | None) -> list[Publication]:
    """Published events still to come, announced from the day they were added (one query)."""
    events = (
        Event.objects.restrict(Access.public(partnership))
        .filter(starts_at__gte=timezone.now())
        .select_related("course")
    )
    items = []
    for event in events:
        # The day the event went on the calendar: when it was announced.
        announced = timezone.localtime(event.created_at).date() if event.created_at else timezone.localdate()
        if since is not None and announced < since:
            continue
        items.append(
            Publication(
                kind="training",
                title=f"{event.course.title}, {timezone.localtime(event.starts_at):%-d %B %Y}",
                url=reverse("training:book", args=[partnership.slug, event.pk]),
                published_on=announced,
                summary=f"{event.course.get_mode_display()}: {event.venue or 'online'}. Book a place.",
            )
        )
    return sorted(items, key=lambda item: (item.published_on, item.title), reverse=True)
