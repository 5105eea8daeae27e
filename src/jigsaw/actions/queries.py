"""Reads of the learning log, always through the scoping helper."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from jigsaw.core.scoping import Action

from .models import LearningAction


def actions_for_source(source, access):
    """The actions a record raised, as far as `access` may see them."""
    return (
        LearningAction.objects.restrict(access, Action.VIEW)
        .filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)
        .select_related("owner_agency", "owner_person")
    )
