"""Plain-row inserts for the biggest tables (completions, learners, evaluations).

There bulk_create's preparation of a model instance per row costs several times the database's
own work: a 100,000-row import spent two thirds of its time building and preparing instances.
The rows written here have been checked already (the importer checks every row before it saves
any); nothing is validated, signalled or audited, so callers record one audit entry per batch.
"""

from __future__ import annotations

from django.db import connection


def insert_rows(model, fields: list[str], rows: list[tuple], *, analyze: bool = True) -> int:
    """Insert tuples into `model`'s table, in the transaction the caller holds. The values must
    already be what the columns hold (ids, dates, numbers, text), in the order of `fields`."""
    quote = connection.ops.quote_name
    table, columns = (
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(name).column) for name in fields),
    )
    with connection.cursor() as cursor:
        if hasattr(cursor.cursor, "copy"):  # PostgreSQL (psycopg 3): COPY is ten times faster than INSERTs
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if analyze:
                analyze_table(model)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])
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
