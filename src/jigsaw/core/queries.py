"""Reads: summaries and searches, always over querysets already scoped by the caller."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from .models import Agency, Partnership, Person, RoleAssignment
from .scoping import Access, Role


def partnership_summary(access: Access) -> dict[str, int]:
    return {
        "agencies": Agency.objects.restrict(access).count(),
        "people": Person.objects.restrict(access).count(),
    }


def own_role_assignments(user) -> QuerySet:
    """A user's own roles in every partnership, for their account page. Reading one's own
    roles needs no scope: it is the input to every scope."""
    return RoleAssignment._base_manager.filter(user=user).select_related("partnership", "agency")


def with_people_counts(agencies: QuerySet) -> QuerySet:
    # A GROUP BY query drops Meta.ordering, so the order is restated for stable pages.
    return agencies.annotate(people_count=Count("people")).order_by("name")


def audited_record_types() -> list[tuple[str, str]]:
    from auditlog.registry import auditlog

    models = sorted(auditlog.get_models(), key=lambda m: str(m._meta.verbose_name))
    return [(m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in models]


def filter_audit(
    entries: QuerySet, *, q: str = "", actor: str = "", record_type: str = "", since=None, until=None
) -> QuerySet:
    if q:
        # object_repr names the record; changes holds the before and after values as JSON.
        entries = entries.annotate(changes_as_text=Cast("changes", TextField())).filter(
            Q(object_repr__icontains=q) | Q(changes_as_text__icontains=q)
        )
    if actor:
        entries = entries.filter(actor__email__icontains=actor)
    if record_type:
        app_label, _, model = record_type.partition(".")
        model_class = apps.get_model(app_label, model)
        entries = entries.filter(content_type=ContentType.objects.get_for_model(model_class))
    if since:
        entries = entries.filter(timestamp__gte=_start_of(since))
    if until:
        entries = entries.filter(timestamp__lt=_start_of(until + datetime.timedelta(days=1)))
    return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def partnerships_for_site_admin(access: Access):
    """Every partnership on the site, with how many business-unit sign-ins each has: what the
    hosting organisation's site administrator sees (never a partnership's records)."""
    if access.user is None or not access.is_site_admin:
        return Partnership.objects.none()
    return Partnership._base_manager.annotate(
        business_unit=Count("role_assignments", filter=Q(role_assignments__role=Role.BUSINESS_UNIT))
    ).order_by("name")
