"""The audit trail: who changed what, when, before and after, on every record with personal data.

django-auditlog writes one LogEntry per change. Each audited model returns its partnership in
`get_additional_data()`, so the trail is scoped like everything else (see AuditEntry).
"""

from __future__ import annotations

import contextlib

from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.core.exceptions import FieldDoesNotExist, ValidationError
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

    def _get_changes_display_for_fk_field(self, field, value):
        """A related record's name from the names fetched for the whole page (see with_related_names)."""
        names = getattr(self, "_related_names", None)
        if names is None or value == "None" or field.related_model not in names:
            return super()._get_changes_display_for_fk_field(field, value)
        try:
            pk = field.related_model._meta.pk.to_python(value)
        except ValidationError:
            return value
        return names[field.related_model].get(pk, f"Deleted '{field.related_model.__name__}' ({value})")

    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field, before, after) for each field the change touched, as a person reads them:
        choice labels rather than codes, the related record's name rather than its id."""
        shown = lambda value: "" if value in ("None", None) else value  # noqa: E731
        return [
            (str(name).capitalize(), shown(values[0]), shown(values[1]))
            for name, values in self.changes_display_dict.items()
        ]


def with_related_names(entries: list[AuditEntry]) -> list[AuditEntry]:
    """The names of every record the entries' changes point to, in one query per kind of record,
    so a page of the trail costs the same queries however many entries and changes it shows."""
    wanted: dict[type, set] = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name in (entry.changes_dict or {}) if model else ():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_one or field.one_to_one:
                for value in entry.changes_dict[name]:
                    if value not in (None, "None"):
                        try:
                            wanted.setdefault(field.related_model, set()).add(
                                field.related_model._meta.pk.to_python(value)
                            )
                        except ValidationError:
                            pass
    # A record's name may read its required relations (an event is named by its course): joined
    # in the same query, so names cost one query per kind whatever records they are.
    names = {
        model: {pk: str(record) for pk, record in model._base_manager.select_related().in_bulk(pks).items()}
        for model, pks in wanted.items()
    }
    for entry in entries:
        entry._related_names = names
    return entries


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


def index_row(entry):
    """The entry's row in the partnership index (its indexed column), or None for an entry of no
    partnership, such as a sign-in's own changes, which stays out of every partnership's trail."""
    from .models import AuditIndex

    partnership = (entry.additional_data or {}).get("partnership")
    return AuditIndex(entry=entry, partnership_id=partnership, timestamp=entry.timestamp) if partnership else None


def _index(sender, instance, created, **kwargs):
    """Each new entry saved one by one; bulk writes (core.bulk.create) index theirs with index_row too."""
    if created and (row := index_row(instance)):
        row.save()


def connect_index() -> None:
    from django.db.models.signals import post_save

    post_save.connect(_index, sender=LogEntry, dispatch_uid="jigsaw-audit-index")
