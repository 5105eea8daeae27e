"""The SQLite full-text index of published documents (FTS5). PostgreSQL searches the tables
with its own full-text search, so there is nothing to create there."""

from django.db import migrations

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS policies_search USING fts5("
    "title, body, partnership_id UNINDEXED, tokenize = 'porter unicode61')"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS policies_search")


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
