"""`jigsaw serve` runs the task worker beside the web server: a queued task is done with no
worker started separately, and stopping the command stops both.

Seen failing against the build before this change (serve exec'd gunicorn alone): the import
stayed "Waiting to import" until the deadline."""

from __future__ import annotations

import time

import pytest
from django_tasks_db.models import DBTaskResult

from jigsaw.training.imports import completions_import
from jigsaw.training.models import ImportBatch, ImportOutcome
from tests.hardening.faults import LiveDatabase, Server, require_static_files, training_partnership, write_export

pytestmark = pytest.mark.xdist_group("faults")


def test_serve_processes_a_queued_task_without_a_separately_started_worker(transactional_db, tmp_path, settings):
    require_static_files()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    partnership, user = training_partnership(courses=2)
    export = write_export(tmp_path / "export.csv", 20)
    checked = completions_import(
        actor=user, partnership=partnership, file_name="export.csv", content=export.read_bytes(), commit=False
    )
    assert checked.ok, checked.problems
    from jigsaw.training.tasks import import_completions

    batch = checked.batch
    ImportBatch.objects.filter(pk=batch.pk).update(outcome=ImportOutcome.QUEUED)
    result = import_completions.enqueue(batch.pk, user.pk)
    assert result.status == "READY", "the test needs the database queue, not the immediate backend"

    live = LiveDatabase(tmp_path)
    live.publish()
    server = Server(live, tmp_path / "server.log", workers=1)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if live.vendor == "sqlite":
                live.collect()
            if ImportBatch.objects.get(pk=batch.pk).outcome not in (ImportOutcome.QUEUED, ImportOutcome.RUNNING):
                break
            time.sleep(1)
        assert ImportBatch.objects.get(pk=batch.pk).outcome not in (ImportOutcome.QUEUED, ImportOutcome.RUNNING), (
            f"no worker ran the import:\n{server.tail()}"
        )
        assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
        assert server.alive()
    finally:
        server.stop()
    assert server.popen.returncode is not None
    log = server.log.read_text()
    assert "task worker" in log, log[-2000:]
