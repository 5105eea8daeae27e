"""Bulk writes: records at volume (generated partnerships, imports) without a service's
per-record round trips.

`create()` saves new model instances as the services' save() leaves them (each record's own
checks, an audit entry per record with its partnership indexed, the freshness stamps), in a
few inserts instead of a dozen queries a record. `insert_rows()` is for the biggest tables
(completions, learners, evaluations): there even bulk_create's preparation of a model instance
per row costs several times the database's own work (a 100,000-row import spent two thirds of
its time building and preparing instances). Its rows have been checked already (the importer
checks every row before it saves any); nothing is validated, signalled or audited, so callers
record one audit entry per batch.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone


def insert_rows(
    model, fields: list[str], rows: list[tuple], *, analyze: bool = True, on_progress=None, every: int = 5000
) -> int:
    """Insert tuples into `model`'s table, in the transaction the caller holds. The values must
    already be what the columns hold (ids, dates, numbers, text), in the order of `fields`.
    `on_progress(rows written)` is called every `every` rows and at the end."""
    quote = connection.ops.quote_name
    table, columns = (
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(name).column) for name in fields),
    )
    report = on_progress or (lambda done: None)
    with connection.cursor() as cursor:
        if hasattr(cursor.cursor, "copy"):  # PostgreSQL (psycopg 3): COPY is ten times faster than INSERTs
            # One COPY for all the rows: each statement costs a round trip and its own finish.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(rows), every):
                    for row in rows[start : start + every]:
                        copy.write_row(row)
                    report(min(start + every, len(rows)))
            if analyze:
                analyze_table(model)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
            for start in range(0, len(rows), every):
                cursor.executemany(sql, rows[start : start + every])
                report(min(start + every, len(rows)))
    if rows:
        from .freshness import record_changed

        partnerships = {row[fields.index("partnership")] for row in rows} if "partnership" in fields else {None}
        for partnership in partnerships:
            record_changed(partnership, model._meta.app_label)
    return len(rows)


def analyze_table(model) -> None:
    """Fresh planner statistics after a bulk load, as PostgreSQL advises: without them (autovacuum
    off, or not yet run) the planner takes many new rows for a handful, and the report's averages
    by training option become nested loops of seconds. SQLite needs nothing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def create(instances: Iterable, *, actor=None, many: Iterable[dict] | None = None, batch_size: int = 500) -> list:
    """Save new records of one model in bulk, leaving what a service's save() of each leaves:

    - each record's own checks: its fields' (choices, lengths, blanks) and its clean(), which
      also fills derived fields; the partnership boundary between the record and the records it
      points to. Related records' existence is the database's foreign keys' to check, not a
      query per field;
    - one audit entry per record, as the trail writes it on a create (its changes, its
      partnership in the indexed column), attributed to `actor`;
    - many-to-many values (`many`: one dict per instance, field name -> records), one insert
      per relation;
    - each (partnership, app) freshness stamp bumped once.

    No model signals are sent. All or nothing: a record that fails its checks raises
    ValidationError before any is written. Records of one batch are not checked against each
    other (a clean() that looks for a clashing record sees only those saved before); the
    database's unique constraints still hold."""
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    from . import audit, boundary
    from .freshness import partnership_of, record_changed
    from .models import AuditIndex

    instances = list(instances)
    if not instances:
        return instances
    model = type(instances[0])
    many = list(many) if many is not None else [{} for _ in instances]
    related = [field.name for field in model._meta.concrete_fields if field.is_relation]
    for instance, values in zip(instances, many):
        boundary.enforce(instance, {name: list(records) for name, records in values.items()})
        instance.clean_fields(exclude=related)
        instance.clean()
    actor = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        model._base_manager.bulk_create(instances, batch_size=batch_size)
        for name in {name for values in many for name in values}:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            through._base_manager.bulk_create(
                [
                    through(**{f"{source}_id": instance.pk, f"{target}_id": record.pk})
                    for instance, values in zip(instances, many)
                    for record in values.get(name, ())
                ],
                batch_size=1000,
            )
        if auditlog.contains(model):
            content_type, now, cid = ContentType.objects.get_for_model(model), timezone.now(), get_cid()
            json_changes = settings.AUDITLOG_STORE_JSON_CHANGES
            entries = [
                LogEntry(
                    content_type=content_type,
                    object_pk=str(instance.pk),
                    object_id=instance.pk,
                    object_repr=smart_str(instance),
                    serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
                    action=LogEntry.Action.CREATE,
                    changes=model_instance_diff(None, instance, use_json_for_changes=json_changes),
                    additional_data=instance.get_additional_data()
                    if hasattr(instance, "get_additional_data")
                    else None,
                    cid=cid,
                    actor=actor,
                    actor_email=getattr(actor, "email", None),
                    timestamp=now,
                )
                for instance in instances
            ]
            LogEntry.objects.bulk_create(entries, batch_size=batch_size)
            AuditIndex.objects.bulk_create(
                [row for entry in entries if (row := audit.index_row(entry))],
                batch_size=1000,
            )
        for partnership_id in {partnership_of(instance) for instance in instances}:
            record_changed(partnership_id, model._meta.app_label)
    return instances
