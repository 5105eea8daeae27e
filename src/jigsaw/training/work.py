"""Completions imports in the home work queue: the newest import, when it waits for organisation names to be mapped."""

from __future__ import annotations

from jigsaw.core.scoping import Role
from jigsaw.core.work import WorkItem, plural

from .models import ImportBatch, ImportOutcome


def work(access, today):
    if not access.has_role(Role.BUSINESS_UNIT):
        return []
    latest = ImportBatch.objects.restrict(access).order_by("-uploaded_at").first()
    if latest is None or latest.outcome != ImportOutcome.REJECTED or not latest.unknown_organisations:
        return []
    names = len(latest.unknown_organisations)
    return [
        WorkItem(
            "Training",
            f"The import of {latest.file_name} waits for {plural(names, 'organisation name', 'organisation names')} to be mapped",
            "training:import",
            urgent=True,
            args=(latest.pk,),
        )
    ]
