"""The published annual report, for the public site's what's new, its feed and the newsletter."""

from __future__ import annotations

import datetime

from jigsaw.core.publications import Publication
from jigsaw.core.scoping import Access

from .models import Report, ReportStatus


def published(partnership, since: datetime.date | None) -> list[Publication]:
    reports = Report.objects.restrict(Access.public(partnership)).filter(
        status=ReportStatus.PUBLISHED, published_on__isnull=False
    )
    if since is not None:
        reports = reports.filter(published_on__gte=since)
    return [
        Publication(
            kind="reports",
            title=f"{partnership.name}: {report.title}"
            + (f" (version {report.version})" if report.version > 1 else ""),
            url=report.get_public_url(),
            published_on=report.published_on,
            summary=f"The partnership's annual report for {report.financial_year.title}: what the partners did, what they learnt and how effective it was.",
        )
        for report in reports.select_related("partnership").order_by("-published_on", "-version")
    ]
