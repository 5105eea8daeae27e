"""Writes to the learning log. Other apps raise actions only through `action_raise`."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from jigsaw.core.audit import attributed_to

from .models import LearningAction


def action_raise(*, actor, partnership, description: str, source=None, owner_agency=None, owner_person=None,
                 due_on: datetime.date | None = None, raised_on: datetime.date | None = None, priority: str = "medium",
                 themes=(), plan_priorities=(), golden_threads=()) -> LearningAction:
    """Raise an action in the log, from `source` (any record of this partnership) when given."""
    action = LearningAction(
        partnership=partnership, description=description, owner_agency=owner_agency, owner_person=owner_person,
        due_on=due_on, raised_on=raised_on or timezone.localdate(), priority=priority,
    )
    if source is not None:
        action.source_type = ContentType.objects.get_for_model(source)
        action.source_id = source.pk
        action.source_label = str(source)[:300]
    action.full_clean()
    with transaction.atomic(), attributed_to(actor):
        action.save()
        if not action.reference:
            action.reference = f"LL-{action.raised_on.year}-{action.pk:03d}"
            action.save(update_fields=["reference"])
        action.themes.set(themes)
        action.plan_priorities.set(plan_priorities)
        action.golden_threads.set(golden_threads)
    return action
