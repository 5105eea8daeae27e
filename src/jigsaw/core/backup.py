"""Backup and restore: the database and the uploaded files in one archive.

On PostgreSQL the database goes through PostgreSQL's own tools (pg_dump custom format,
pg_restore --clean), so a restore is exactly what the server holds; on SQLite through SQLite's
online backup API, which copies a consistent snapshot while the service keeps running.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, connections

from . import files as file_store

FORMAT = 1


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = [
        "--host",
        db.get("HOST") or "localhost",
        "--port",
        str(db.get("PORT") or 5432),
        "--username",
        db.get("USER") or "postgres",
    ]
    return args, env


def backup(archive: Path) -> dict:
    """Write `archive` (.tar.gz) with the database and the uploaded files (MEDIA_ROOT, or every
    file the database names in the object store); returns its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if connection.vendor == "postgresql":
            args, env = _pg_env()
            subprocess.run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(work / "database.pgdump"),
                    settings.DATABASES["default"]["NAME"],
                ],
                env=env,
                check=True,
            )
            database_file = "database.pgdump"
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(work / "database.sqlite3") as target:
                connection.connection.backup(target)
            database_file = "database.sqlite3"
        else:  # pragma: no cover - Jigsaw supports these two
            raise RuntimeError(f"No backup method for {connection.vendor}.")
        if file_store.is_local_store(media):
            files = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []
        else:
            # An object store (S3, Azure): every file the database names, fetched into the archive.
            media = work / "media"
            files = []
            for name in file_store.stored_names():
                try:
                    content = file_store.read(name)
                except FileNotFoundError:
                    continue  # named but gone: nothing to keep (`jigsaw move_files` lists these)
                (media / name).parent.mkdir(parents=True, exist_ok=True)
                (media / name).write_bytes(content)
                files.append(name)
        manifest = {
            "format": FORMAT,
            "vendor": connection.vendor,
            "database": database_file,
            "files": len(files),
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", "manifest.json")
            tar.add(work / database_file, database_file)
            for name in files:
                tar.add(media / name, f"media/{name}")
        partial.replace(archive)  # a half-written archive is never mistaken for a backup
    return manifest


def restore(archive: Path) -> dict:
    """Replace the database and the uploaded files (MEDIA_ROOT, or the object store's copies of the
    archive's files) with the archive's contents."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths and ../ escapes
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{archive} is not a Jigsaw backup this version can read.")
        if manifest["vendor"] != connection.vendor:
            raise ValueError(
                f"{archive} was taken on {manifest['vendor']}; this database is {connection.vendor}. Use dumpdata/loaddata to move between databases."
            )
        if connection.vendor == "postgresql":
            connections.close_all()
            args, env = _pg_env()
            subprocess.run(
                [
                    "pg_restore",
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    settings.DATABASES["default"]["NAME"],
                    str(work / manifest["database"]),
                ],
                env=env,
                check=True,
            )
        else:
            connection.ensure_connection()
            with sqlite3.connect(work / manifest["database"]) as source:
                source.backup(connection.connection)
        media = Path(settings.MEDIA_ROOT)
        if not file_store.is_local_store(media):
            # An object store: the archive's files put back under their names (others are left).
            for path in sorted((work / "media").rglob("*")) if (work / "media").exists() else []:
                if path.is_file():
                    with path.open("rb") as handle:
                        file_store.put(str(path.relative_to(work / "media")), File(handle, name=path.name))
            return manifest
        if media.exists():
            shutil.rmtree(media)
        if (work / "media").exists():
            shutil.copytree(work / "media", media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    return manifest
