"""Reads of the learning log, always through the scoping helper."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet

from jigsaw.core.scoping import Action

from .models import ActionEvent, AssuranceReview, EvidenceFile, LearningAction, Status

OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
REMINDER_DAYS = 14


def actions_for_source(source, access):
    """The actions a record raised, as far as `access` may see them."""
    return (
        LearningAction.objects.restrict(access, Action.VIEW)
        .filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)
        .select_related("partnership", "owner_agency", "owner_person")
    )


def log(access, action: str = Action.VIEW) -> QuerySet:
    """The log as `access` may read it, ready for a table or an export (no per-row queries)."""
    return (
        LearningAction.objects.restrict(access, action)
        .select_related("partnership", "owner_agency", "owner_person", "escalated_to", "source_type")
        .prefetch_related("themes")
        .annotate(next_review_on=Min("reviews__due_on", filter=Q(reviews__reviewed_on__isnull=True)))
    )


def overdue(queryset: QuerySet, today: datetime.date) -> QuerySet:
    return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def due_soon(queryset: QuerySet, today: datetime.date, days: int = REMINDER_DAYS) -> QuerySet:
    return queryset.filter(
        status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
    )


def review_due(queryset: QuerySet, today: datetime.date, days: int = REMINDER_DAYS) -> QuerySet:
    """Completed actions with an unrecorded review due within `days` (or already late)."""
    return queryset.filter(status=Status.COMPLETED, next_review_on__lte=today + datetime.timedelta(days=days))


def source_types(access) -> list[ContentType]:
    """The kinds of record that have raised actions, for the 'source' filter."""
    ids = (
        LearningAction.objects.restrict(access)
        .exclude(source_type=None)
        .values_list("source_type", flat=True)
        .distinct()
    )
    return sorted(
        ContentType.objects.filter(pk__in=set(ids)),
        key=lambda ct: str(ct.model_class()._meta.verbose_name if ct.model_class() else ct.model),
    )


def detail(access, action: LearningAction) -> dict:
    """What the detail page shows besides the action: history, reviews, evidence."""
    return {
        "events": ActionEvent.objects.restrict(access).filter(action=action).select_related("actor__person"),
        "reviews": AssuranceReview.objects.restrict(access).filter(action=action).select_related("reviewer"),
        "evidence_files": EvidenceFile.objects.restrict(access)
        .filter(action=action)
        .defer("content")
        .select_related("uploaded_by__person"),
    }


def summary_by_theme(access) -> tuple[list[str], list[list]]:
    """Theme × status counts, one aggregate query; actions with no theme in their own row."""
    statuses = list(Status)
    counts = (
        LearningAction.objects.restrict(access)
        .values("themes__name", "status")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    table: dict[str, dict[str, int]] = {}
    for row in counts:
        table.setdefault(row["themes__name"] or "No theme", {})[row["status"]] = row["n"]
    names = sorted(name for name in table if name != "No theme") + (["No theme"] if "No theme" in table else [])
    rows = []
    for name in names:
        values = [table[name].get(status.value, 0) for status in statuses]
        rows.append([name, *values, sum(values)])
    return ["Theme", *[status.label for status in statuses], "Total"], rows


def log_for_system() -> QuerySet:
    """Every partnership's log, for platform jobs (the reminder digest) that act for no user."""
    return (
        LearningAction.objects.all()
        .select_related("partnership", "owner_agency", "owner_person")
        .annotate(next_review_on=Min("reviews__due_on", filter=Q(reviews__reviewed_on__isnull=True)))
        .order_by("due_on", "pk")
    )
