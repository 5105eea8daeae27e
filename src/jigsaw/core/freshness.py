"""When a partnership's records last changed, per app: what keeps cached figures honest.

Every write to a Jigsaw record bumps its (partnership, app) stamp in the writer's own
transaction, from one place: a model signal for every Jigsaw model (save, delete, many-to-many
change) and the audit trail's entry, which every bulk write records (bulk inserts and
`update()` send no model signal, so each service that uses them writes one audit entry for the
batch; `core.bulk.insert_rows` bumps its table's app itself). A cached figure remembers which
apps' tables it read (seen in its SQL) and the stamps it was computed under; it is reused only
while those stamps are unchanged, so the next request after any write computes it again.

A stamp is a random token rather than a counter, so a rolled-back or restored database can
never meet a cached figure that happens to carry the same number.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone

EVERYWHERE = 0  # the partnership key of a change whose partnership is not known
TIMEOUT = 2 * 24 * 3600  # a day's figures are keyed by the day (figures may count "overdue"), so two days is plenty


def jigsaw_apps() -> set[str]:
    return {config.label for config in apps.get_app_configs() if config.name.startswith("jigsaw.")}


_batch: contextvars.ContextVar[set | None] = contextvars.ContextVar("jigsaw_figures_batch", default=None)


@contextlib.contextmanager
def batched():
    """Bump each (partnership, app) stamp once when the block ends instead of at every write in
    it: an import saving thousands of records through the services (in one transaction, which
    the block must sit inside) writes each stamp once."""
    if _batch.get() is not None:
        yield
        return
    pending: set = set()
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    for partnership_id, app in sorted(pending, key=lambda item: (item[0] or 0, item[1])):
        record_changed(partnership_id, app)


def record_changed(partnership_id: int | None, app: str) -> None:
    """Bump the stamp of `app`'s records in the partnership (in the caller's transaction)."""
    from .models import FiguresStamp

    pending = _batch.get()
    if pending is not None:
        pending.add((partnership_id, app))
        return
    key, token = partnership_id or EVERYWHERE, uuid.uuid4().hex
    if not FiguresStamp.objects.filter(partnership_key=key, app=app).update(version=token):
        FiguresStamp.objects.bulk_create(
            [FiguresStamp(partnership_key=key, app=app, version=token)], ignore_conflicts=True
        )
        FiguresStamp.objects.filter(partnership_key=key, app=app).update(
            version=token
        )  # if another writer made the row first


def partnership_of(instance) -> int | None:
    if hasattr(instance, "partnership_id"):
        return instance.partnership_id
    if getattr(type(instance), "partnership_path", None) == "pk":
        return instance.pk
    additional = getattr(instance, "get_additional_data", None)
    if additional is not None:
        try:
            return (additional() or {}).get("partnership")
        except Exception:  # a half-deleted record can no longer reach its partnership: count it everywhere
            return None
    return None


def stamps(partnership) -> dict[tuple[int, str], str]:
    from .models import FiguresStamp

    rows = FiguresStamp.objects.filter(partnership_key__in=[EVERYWHERE, partnership.pk]).values_list(
        "partnership_key", "app", "version"
    )
    return {(key, app): version for key, app, version in rows}


# Cached figures -------------------------------------------------------------------------------


def key(partnership, year, name: str) -> str:
    today = timezone.localdate().isoformat()
    return f"figures:{partnership.pk}:{year.start.isoformat()}:{name}:{today}"


def entry(block, apps_read: set[str], all_stamps: dict) -> dict:
    """What the cache keeps: the block, the apps it read and their stamps when it was computed
    (taken before computing, so a write during the computation makes it stale at once)."""
    return {
        "apps": sorted(apps_read),
        "stamps": {k: v for k, v in all_stamps.items() if k[1] in apps_read},
        "block": block,
    }


def still_fresh(cached: dict, all_stamps: dict) -> bool:
    apps_read = set(cached["apps"])
    return cached["stamps"] == {k: v for k, v in all_stamps.items() if k[1] in apps_read}


def cache_get_many(keys: list[str]) -> dict:
    return cache.get_many(keys)


def cache_set_many(entries: dict) -> None:
    cache.set_many(entries, timeout=TIMEOUT)


def remembered(partnership, computations: dict[str, Callable[[], object]]) -> dict[str, object]:
    """Each computation's value under its cache key, computed again only after a write to the
    records it read: one cache read and one read of the partnership's change stamps answer
    every value that is still fresh (the home page's work queue, checklist and counts). A key
    must name everything else the value depends on (the viewer, the day)."""
    cached = cache_get_many(list(computations))
    all_stamps = stamps(partnership)
    values: dict[str, object] = {}
    fresh: dict[str, object] = {}
    for cache_key, compute in computations.items():
        kept = cached.get(cache_key)
        if kept is not None and still_fresh(kept, all_stamps):
            values[cache_key] = kept["block"]
            continue
        with reading() as read:
            values[cache_key] = compute()
        fresh[cache_key] = entry(values[cache_key], read.apps, all_stamps)
    if fresh:
        cache_set_many(fresh)
    return values


class _Reads:
    def __init__(self):
        self.sql: list[str] = []
        self.apps: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)


@contextlib.contextmanager
def reading():
    """Collect the apps whose tables the queries inside the block read."""
    reads = _Reads()
    with connection.execute_wrapper(reads):
        yield reads
    quote, text = connection.ops.quote_name, "\n".join(reads.sql)
    reads.apps = {app for table, app in _tables().items() if quote(table) in text}


def _tables() -> dict[str, str]:
    """Each Jigsaw table (many-to-many tables too) and its app."""
    if not _TABLES:
        _TABLES.update(
            {
                model._meta.db_table: model._meta.app_label
                for model in apps.get_models(include_auto_created=True)
                if model._meta.app_label in _APPS
            }
        )
    return _TABLES


# The one place writes pass through ------------------------------------------------------------


def _saved(sender, instance, **kwargs):
    label = sender._meta.app_label
    if label not in _APPS or sender.__name__ in _NOT_RECORDS:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # signing in changes no figure
    record_changed(partnership_of(instance), label)
    shared = getattr(sender, "shared_path", None)
    if shared and instance.pk is not None:
        # A record shared into other partnerships (a joint group's meeting) is in their figures too.
        for path in (shared,) if isinstance(shared, str) else shared:
            for partnership_id in set(sender._base_manager.filter(pk=instance.pk).values_list(path, flat=True)):
                if partnership_id is not None:
                    record_changed(partnership_id, label)


def _m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _saved(type(instance), instance)
        from .models import Partnership

        if kwargs.get("model") is Partnership and type(instance) is not Partnership:
            # Partnerships added to or removed from a record's sharing (a joint group's partners).
            for partnership_id in kwargs.get("pk_set") or ():
                record_changed(partnership_id, type(instance)._meta.app_label)


def _audited(sender, instance, created, **kwargs):
    """Bulk writes skip model signals but each records one audit entry: it carries the app."""
    if created and instance.content_type_id:
        record_changed((instance.additional_data or {}).get("partnership"), instance.content_type.app_label)


_APPS: set[str] = set()
_TABLES: dict[str, str] = {}
_NOT_RECORDS = {"FiguresStamp", "AuditIndex"}


def connect() -> None:
    from auditlog.models import LogEntry

    _APPS.update(jigsaw_apps())
    post_save.connect(_saved, dispatch_uid="jigsaw-freshness-save")
    post_delete.connect(_saved, dispatch_uid="jigsaw-freshness-delete")
    m2m_changed.connect(_m2m, dispatch_uid="jigsaw-freshness-m2m")
    post_save.connect(_audited, sender=LogEntry, dispatch_uid="jigsaw-freshness-audit")
    post_migrate.connect(_new_code, dispatch_uid="jigsaw-freshness-migrate")


def _new_code(sender, **kwargs):
    """A deployment migrates: figures computed by the code before it are dropped."""
    if sender.label == "core":
        from django.db.utils import DatabaseError

        with contextlib.suppress(
            DatabaseError
        ):  # the cache table is made by a migration; absent on a fresh database until then
            cache.clear()
