"""Choosing a related record, on a page or through the API: one helper for both.

The choices are the records the viewer may see, fetched through the scoping helper
(`Model.objects.restrict(access)`), so another partnership's record is simply not among them.
An id that belongs to another partnership and an id that does not exist get the same answer,
`boundary.not_ours(model)`: not found is not found.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from rest_framework import serializers

from .boundary import not_ours
from .scoping import Access, Action, restrict


def choices(queryset: QuerySet, access: Access | None) -> QuerySet:
    """`queryset` narrowed to the records `access` may see (every filter it already has stays)."""
    if not hasattr(queryset.model, "scope_rule"):
        return queryset  # a list that belongs to no partnership (sign-ins, kinds of record)
    if access is None:
        return queryset.none()
    offered = restrict(queryset, access, Action.VIEW)
    tenant = getattr(queryset.model, "partnership_path", "partnership")
    if getattr(queryset.model, "shared_path", None) and tenant and tenant != "pk" and access.partnership is not None:
        # A record shared in from another partnership (a joint group, its meetings) is read here,
        # never chosen for a record of this one: its id gets the one 'not ours' answer.
        offered = offered.filter(**{tenant: access.partnership})
    return offered


def scope_form_field(field: forms.Field, access: Access, current=()) -> None:
    """Give a form's related-record field its scoped choices and the one 'not ours' answer.
    Records that can be retired (an `is_active` field: themes, indicators) are offered while
    active; `current`, the ids the record holds now, stay on offer (a retired theme on an old
    record is not dropped by saving it), but still only if the viewer may see them."""
    if not isinstance(field, forms.ModelChoiceField):
        return
    queryset = field.queryset
    if any(f.name == "is_active" for f in queryset.model._meta.concrete_fields):
        queryset = queryset.filter(is_active=True)
    current = [pk for pk in current if pk is not None]
    if current:
        queryset = queryset.model._default_manager.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=current))
    field.queryset = choices(queryset, access)
    message = not_ours(queryset.model)
    field.error_messages.update({"invalid_choice": message, "invalid_pk_value": message})


class _ScopedChoice:
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.queryset is not None:
            self.error_messages["does_not_exist"] = not_ours(self.queryset.model)

    def get_queryset(self):
        return choices(super().get_queryset(), self.context.get("access"))


class ScopedRelatedField(_ScopedChoice, serializers.PrimaryKeyRelatedField):
    """The API's related-record field: an id among the records the caller may see, else the
    same answer for another partnership's id and a missing one."""


class ScopedSlugRelatedField(_ScopedChoice, serializers.SlugRelatedField):
    """The same, for a record named by a slug (an indicator by its code)."""


class ScopedModelSerializer(serializers.ModelSerializer):
    """Base for the API's serializers: every related field it builds is a ScopedRelatedField.
    The viewset puts the caller's access in the context."""

    serializer_related_field = ScopedRelatedField
