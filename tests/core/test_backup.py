"""`jigsaw backup` and `jigsaw restore`, run as an operator runs them: the demo partnership and an
uploaded file round-trip with every record and byte equal, on the database this suite runs on."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("backup")


def _database_url(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path}/jigsaw.sqlite3"
        return
    import psycopg

    name = f"jigsaw_backup_{secrets.token_hex(4)}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def operator(tmp_path):
    generator = _database_url(tmp_path)
    database_url = next(generator)
    base = {**os.environ, "DATABASE_URL": database_url, "JIGSAW_DATA_DIR": str(tmp_path / "data")}
    base.pop("DJANGO_SETTINGS_MODULE", None)

    def jigsaw(*args, stdin=None, env=None):
        result = subprocess.run(
            [sys.executable, "-m", "jigsaw.cli", *args],
            env={**base, **(env or {})},
            capture_output=True,
            text=True,
            input=stdin,
            timeout=300,
        )
        return result

    yield jigsaw, tmp_path / "data" / "media"
    next(generator, None)


# Both dumps in one process: each `jigsaw` started costs a Django start-up.
DUMP = (
    "import io, json; from django.core.management import call_command; out = {}\n"
    "for name, args in (('records', ['--exclude', 'sessions', '--exclude', 'auditlog']), ('audit', ['auditlog'])):\n"
    "    buffer = io.StringIO(); call_command('dumpdata', *args, stdout=buffer); out[name] = json.loads(buffer.getvalue())\n"
    "print(json.dumps(out))"
)


def _snapshot(jigsaw, media: Path):
    dump = jigsaw("shell", "--no-imports", "-c", DUMP)
    assert dump.returncode == 0, dump.stderr
    found = json.loads(dump.stdout)
    files = {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*"))
        if p.is_file()
    }
    return found["records"], len(found["audit"]), files


def test_backup_and_restore_round_trip_the_demo_partnership(operator, tmp_path):
    jigsaw, media = operator
    assert jigsaw("migrate", "--no-input").returncode == 0
    assert jigsaw("demo").returncode == 0
    (media / "papers").mkdir(parents=True)
    (media / "papers" / "minutes.pdf").write_bytes(b"%PDF-1.7\n" + secrets.token_bytes(2048))
    before = _snapshot(jigsaw, media)
    assert len(before[0]) > 50 and before[2]

    archive = tmp_path / "backups" / "jigsaw.tar.gz"
    result = jigsaw("backup", str(archive))
    assert result.returncode == 0, result.stderr
    assert "2 uploaded files" in result.stdout  # the paper and the demo partnership's logo

    # Things go wrong after the backup: a record changed, a file lost, a stray file added.
    changed = jigsaw(
        "shell",
        "-c",
        "from jigsaw.core.models import Agency; Agency.objects.filter(name='Durham Constabulary').update(name='Renamed'); Agency.objects.filter(name='ERASE Team').delete()",
    )
    assert changed.returncode == 0, changed.stderr
    (media / "papers" / "minutes.pdf").unlink()
    (media / "stray.txt").write_text("not in the backup")
    assert _snapshot(jigsaw, media) != before

    refused = jigsaw("restore", str(archive), stdin="no\n")
    assert refused.returncode != 0 and "Nothing restored" in refused.stderr
    restored = jigsaw("restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert _snapshot(jigsaw, media) == before


def test_restore_refuses_what_is_not_a_backup(operator, tmp_path):
    jigsaw, _ = operator
    missing = jigsaw("restore", str(tmp_path / "nothing.tar.gz"), "--yes")
    assert missing.returncode != 0 and "does not exist" in missing.stderr


def test_backup_and_restore_take_the_files_from_and_back_to_the_object_store(operator, tmp_path, moto_server):
    jigsaw, _ = operator
    bucket = moto_server.new_bucket()
    store = moto_server.env(bucket)
    run = lambda *args, **kw: jigsaw(*args, env=store, **kw)  # noqa: E731
    assert run("migrate", "--no-input").returncode == 0
    made = run(
        "shell",
        "-c",
        "from django.core.files.uploadedfile import SimpleUploadedFile as F; "
        "from jigsaw.core.services import partnership_create; from jigsaw.actions.services import action_raise, evidence_add; "
        "p = partnership_create(name='Durham', slug='durham', area='County Durham'); "
        "a = action_raise(actor=None, partnership=p, description='Audit'); "
        "from tests.files import pdf_bytes; evidence_add(actor=None, action=a, files=[F('audit.pdf', pdf_bytes('kept'))])",
    )
    assert made.returncode == 0, made.stderr
    objects = moto_server.keys(bucket)
    assert len(objects) == 1

    archive = tmp_path / "jigsaw.tar.gz"
    result = run("backup", str(archive))
    assert result.returncode == 0 and "1 uploaded files" in result.stdout, result.stderr
    moto_server.client().delete_object(Bucket=bucket, Key=next(iter(objects)))
    assert moto_server.keys(bucket) == {}
    restored = run("restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert moto_server.keys(bucket) == objects
