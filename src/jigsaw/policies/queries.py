"""Reads for the library, the review cycle and escalations: through the scoping helper, in a
fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch
from django.utils import timezone

from jigsaw.core.scoping import Action

from .models import Attachment, Document, Escalation, Status, Version, VersionStatus, VersionTrigger

REVIEW_WARNING_DAYS = 60


def library(access):
    return Document.objects.restrict(access, Action.VIEW).select_related("owning_group", "current_version", "owner")


def reviews(access, today: datetime.date | None = None):
    """Documents in force whose review is overdue or due soon, soonest first."""
    today = today or timezone.localdate()
    return (
        library(access)
        .exclude(status=Status.WITHDRAWN)
        .filter(review_due_on__lte=today + datetime.timedelta(days=REVIEW_WARNING_DAYS))
        .order_by("review_due_on")
    )


def versions_with_trail(document: Document, access):
    """Every version the access may see, with its triggers and attachments: the 'why it changed' trail."""
    return (
        Version.objects.restrict(access, Action.VIEW)
        .filter(document=document)
        .select_related("approved_by", "approved_by__person")
        .prefetch_related(
            Prefetch(
                "triggers", queryset=VersionTrigger.objects.restrict(access, Action.VIEW).select_related("source_type")
            ),
            Prefetch("attachments", queryset=Attachment.objects.restrict(access, Action.VIEW)),
        )
        .order_by("-number")
    )


def public_documents(access, kind: str | None = None):
    documents = Document.objects.restrict(access, Action.VIEW).filter(
        status=Status.PUBLISHED, current_version__isnull=False
    )
    if kind:
        documents = documents.filter(kind=kind)
    return documents.select_related("current_version").order_by("title")


def updated_in(documents, start: datetime.date, end: datetime.date):
    """Documents with a version published in the period: the report's 'published/updated' list."""
    return (
        documents.filter(
            versions__published_on__range=(start, end),
            versions__status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED],
        )
        .exclude(status=Status.WITHDRAWN)
        .distinct()
        .order_by("title")
    )


def escalations(access):
    return Escalation.objects.restrict(access, Action.VIEW).select_related(
        "raising_agency", "receiving_agency", "theme"
    )


def escalation_counts(queryset) -> dict:
    """Counts by stage, theme and agency pair, and days from stage 1 to resolution."""
    by_stage = dict(queryset.values_list("stage").annotate(n=Count("pk")).order_by("stage"))
    by_theme = list(queryset.values("theme__name").annotate(n=Count("pk")).order_by("-n", "theme__name"))
    pairs = list(
        queryset.values("raising_agency__name", "receiving_agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "raising_agency__name", "receiving_agency__name")
    )
    resolved = list(queryset.filter(resolved_on__isnull=False).values_list("stage1_on", "resolved_on"))
    days = sorted((end - start).days for start, end in resolved)
    return {
        "total": sum(by_stage.values()),
        "by_stage": {stage: by_stage.get(stage, 0) for stage in range(1, 5)},
        "by_theme": [(row["theme__name"] or "No theme", row["n"]) for row in by_theme],
        "by_pair": [(row["raising_agency__name"], row["receiving_agency__name"], row["n"]) for row in pairs],
        "resolved": len(days),
        "open": sum(by_stage.values()) - len(days),
        "median_days": days[len(days) // 2] if days else None,
        "mean_days": round(sum(days) / len(days), 1) if days else None,
    }
