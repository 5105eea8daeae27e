"""The audit trail: who changed what, when, before and after, on every record with personal data.

django-auditlog writes one LogEntry per change. Each audited model returns its partnership in
`get_additional_data()`, so the trail is scoped like everything else (see AuditEntry).
"""

from __future__ import annotations

import contextlib

from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Q

from .scoping import NOTHING, Role, ScopedManager


class AuditEntry(LogEntry):
    """The audit trail as the business unit and the scrutineer read it: their partnership only."""

    objects = ScopedManager()
    partnership_path = None  # the partnership is in AuditIndex (its own indexed column), filtered by the rule below

    class Meta:
        proxy = True
        app_label = "core"
        ordering = ["-timestamp"]

    @classmethod
    def scope_rule(cls, access, action):
        if action != "view" or access.partnership is None:
            return NOTHING
        if not access.has_role(Role.BUSINESS_UNIT, Role.SCRUTINEER):
            return NOTHING
        return Q(partnership_index__partnership=access.partnership)

    @property
    def record_type(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def action_label(self) -> str:
        return {0: "Created", 1: "Changed", 2: "Deleted", 3: "Viewed"}.get(self.action, "Changed")

    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field, before, after) for each field the change touched, as a person reads them:
        choice labels rather than codes, the related record's name rather than its id."""
        shown = lambda value: "" if value in ("None", None) else value  # noqa: E731
        return [
            (str(name).capitalize(), shown(values[0]), shown(values[1]))
            for name, values in self.changes_display_dict.items()
        ]


@contextlib.contextmanager
def attributed_to(actor):
    """Attribute every audit entry written inside the block to `actor`.

    The request middleware does this for signed-in pages; services call it too so that writes
    from the API, the command line and background tasks are attributed just the same.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        yield
        return
    with set_actor(actor):
        yield


def register(model, *, exclude: tuple[str, ...] = (), mask: tuple[str, ...] = ()) -> None:
    """Audit a model's own fields (not its id, not reverse relations), less `exclude`."""
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in exclude]
    auditlog.register(model, include_fields=fields, mask_fields=list(mask))


def _index(sender, instance, created, **kwargs):
    """Each new entry's partnership into its indexed column (entries of no partnership, such as
    a sign-in's own changes, stay out of every partnership's trail, as before)."""
    partnership = (instance.additional_data or {}).get("partnership") if created else None
    if partnership:
        from .models import AuditIndex

        AuditIndex.objects.create(entry=instance, partnership_id=partnership, timestamp=instance.timestamp)


def connect_index() -> None:
    from django.db.models.signals import post_save

    post_save.connect(_index, sender=LogEntry, dispatch_uid="jigsaw-audit-index")
