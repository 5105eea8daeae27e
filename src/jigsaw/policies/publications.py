"""What the procedures library has published, for 'what's new', the feed and the newsletter."""

from __future__ import annotations

import datetime

from jigsaw.core.publications import Publication

from .models import Status, Version, VersionStatus


def published(partnership, since: datetime.date | None) -> list[Publication]:
    """Each version that went public (published, or published then superseded by a newer one),
    for documents still published: never a draft, a consultation or a withdrawn document."""
    versions = Version.objects.filter(
        document__partnership=partnership,
        document__status=Status.PUBLISHED,
        document__current_version__isnull=False,
        status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED],
        published_on__isnull=False,
    ).select_related("document", "document__partnership")
    if since is not None:
        versions = versions.filter(published_on__gte=since)
    items = [
        Publication(
            kind="procedures",
            title=version.document.title if version.number == 1 else f"{version.document.title} (updated)",
            url=version.document.get_public_url(),
            published_on=version.published_on,
            summary=version.what_changed,
        )
        for version in versions.order_by("-published_on", "document__title")
    ]
    return items
