"""Published learning briefings for the public site's 'what's new', its feed and the newsletter."""

from __future__ import annotations

import datetime

from jigsaw.core.publications import Publication
from jigsaw.core.scoping import Access, Action

from .models import Briefing


def published(partnership, since: datetime.date | None = None) -> list[Publication]:
    briefings = Briefing.objects.restrict(Access.public(partnership), Action.VIEW).filter(is_published=True)
    if since is not None:
        briefings = briefings.filter(published_on__gte=since)
    return [
        Publication(
            kind="learning briefings",
            title=briefing.title,
            url=briefing.get_public_url(),
            published_on=briefing.published_on,
            summary=briefing.summary,
        )
        for briefing in briefings.select_related("partnership").order_by("-published_on", "-pk")
    ]
