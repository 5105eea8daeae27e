"""Faults, with real processes on the real database (issue 10): a worker killed in the middle
of an import leaves no partial batch; the database restarting under load fails only the
requests in flight and the server recovers by itself; the reminder job run twice, even twice
at once, sends each email once.

The fast tests run in `make test`; those marked `soak` (`make soak`) repeat the faults at
random points for longer (JIGSAW_SOAK_SECONDS, JIGSAW_SOAK_SEED, JIGSAW_SOAK_IMPORT_ROWS).
"""

from __future__ import annotations

import collections
import datetime
import os
import random
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jigsaw.actions import services as action_services
from jigsaw.actions.models import ReminderLog
from jigsaw.core import services as core_services
from jigsaw.training.models import IMPORT_STALE_AFTER, Completion, ImportBatch, ImportOutcome, Learner

from .faults import (
    LEARNER_DOMAIN,
    PARTNERSHIP,
    LiveDatabase,
    Load,
    MailSink,
    Server,
    get,
    require_static_files,
    session_for,
    soak_seconds,
    terminate_backends,
    training_partnership,
    write_export,
)

# Subprocesses and a server on the test database: one worker runs them all, one at a time.
pytestmark = pytest.mark.xdist_group("faults")

IMPORT_ROWS = 12_000  # a few seconds to import here: learners, then six chunks of 2,000 completions


@pytest.fixture
def live_db(transactional_db, tmp_path) -> LiveDatabase:
    return LiveDatabase(tmp_path)


def _learners_from_file() -> int:
    return Learner.objects.filter(email__endswith="@" + LEARNER_DOMAIN).count()


def _pretend_minutes_pass() -> None:
    """IMPORT_STALE_AFTER later: the stopped import has shown no sign of life since."""
    ImportBatch.objects.filter(outcome=ImportOutcome.RUNNING).update(
        progress_at=timezone.now() - IMPORT_STALE_AFTER - datetime.timedelta(minutes=1)
    )


def _import(live_db: LiveDatabase, export, *args) -> str:
    result = live_db.jigsaw("import_completions", "--partnership", PARTNERSHIP, *args, str(export))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# 1. A worker killed in the middle of an import ------------------------------------------------


def test_an_import_killed_while_saving_leaves_nothing_and_imports_in_full_again(live_db, tmp_path):
    """Seen failing: without the transaction around the inserts, 2,000 completions of the killed import stayed; with a stopped batch never shown as failed, the list said 'Importing'."""
    _, user = training_partnership()
    export = write_export(tmp_path / "export.csv", IMPORT_ROWS)
    live_db.publish()

    importer = live_db.start("import_completions", "--partnership", PARTNERSHIP, "-v", "2", str(export))
    # Past every check and inside the saving transaction: learners and a first chunk of completions written.
    written = importer.wait_for(lambda line: line.startswith("Wrote") and "completions" in line)
    importer.kill()
    live_db.wait_until_released()
    live_db.collect()

    assert Completion.objects.count() == 0, (
        f"killed after '{written}': completions of a half-saved import are in the database"
    )
    assert _learners_from_file() == 0, f"killed after '{written}': learners of a half-saved import are in the database"
    batch = ImportBatch.objects.get()
    assert batch.outcome == ImportOutcome.RUNNING and batch.added == 0 and batch.rows == IMPORT_ROWS

    # Nobody is told it imported. Once it has been silent for longer than any import takes, the
    # business unit sees it failed, with nothing saved, and the page stops polling.
    client = Client()
    client.force_login(user)
    _pretend_minutes_pass()
    listing = client.get(reverse("training:imports", args=[PARTNERSHIP])).content.decode()
    assert "Not imported: the import stopped before it finished" in listing and ">Importing<" not in listing
    detail = client.get(batch.get_absolute_url()).content.decode()
    assert "Nothing from this file was saved" in detail and "hx-get" not in detail

    # The same file again imports in full, and records the stopped batch as failed.
    live_db.publish()
    out = _import(live_db, export)
    assert f"{IMPORT_ROWS} rows: {IMPORT_ROWS} completions added, 0 were already held" in out
    live_db.collect()
    assert Completion.objects.count() == IMPORT_ROWS
    assert dict(ImportBatch.objects.values_list("pk", "outcome")) == {
        batch.pk: ImportOutcome.FAILED,
        ImportBatch.objects.latest("uploaded_at").pk: ImportOutcome.IMPORTED,
    }


def _kill_points(rows: int) -> list[tuple[str, int]]:
    """Where a kill can land, as the -v 2 lines announce them: (line prefix, nth such line)."""
    checks = rows // 10_000
    chunks = -(-rows // 2000)
    return (
        [("Checked", n) for n in range(1, checks + 1)]
        + [("Every row is good", 1), ("Wrote", 1)]
        + [("Wrote", n) for n in range(2, chunks + 2)]
    )  # "Wrote" 1 is the learners; the last is the final chunk, just before commit


def _nth(prefix: str, nth: int):
    """A predicate true on the nth line starting with `prefix`."""
    seen = 0

    def predicate(line: str) -> bool:
        nonlocal seen
        seen += line.startswith(prefix)
        return line.startswith(prefix) and seen >= nth

    return predicate


def _reset_imports() -> None:
    with connection.cursor() as cursor:
        for model in (Completion, Learner, ImportBatch):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


@pytest.mark.soak
def test_soak_imports_killed_at_random_points_are_all_or_nothing(live_db, tmp_path):
    """Repeated SIGKILLs at random points of a larger import (checking, saving each chunk, just before the commit): every time all of the file or none of it."""
    seed = int(os.environ.get("JIGSAW_SOAK_SEED") or random.SystemRandom().randrange(10**6))
    rows = int(os.environ.get("JIGSAW_SOAK_IMPORT_ROWS", "50000"))
    print(f"\nsoak: imports killed at random points, JIGSAW_SOAK_SEED={seed}, {rows} rows")
    rng = random.Random(seed)
    training_partnership()
    export = write_export(tmp_path / "export.csv", rows, seed=seed)
    deadline = time.monotonic() + soak_seconds(75)
    kills = 0
    while kills < 2 or time.monotonic() < deadline:
        prefix, nth = rng.choice(_kill_points(rows))
        delay = rng.uniform(0, 0.3)
        live_db.publish()
        importer = live_db.start("import_completions", "--partnership", PARTNERSHIP, "-v", "2", str(export))
        line = importer.wait_for(_nth(prefix, nth))
        time.sleep(delay)
        importer.kill()
        kills += 1
        live_db.wait_until_released()
        live_db.collect()
        completions, learners = Completion.objects.count(), _learners_from_file()
        print(f"  kill {kills}: {delay:.2f} s after '{line}': {completions} completions, {learners} learners")
        assert (completions, learners) == (0, 0) or completions == rows, (
            f"seed {seed}: a partial import survived the kill after '{line}'"
        )
        if completions:  # the kill came after the commit: the batch says so
            assert ImportBatch.objects.latest("uploaded_at").outcome == ImportOutcome.IMPORTED
            _reset_imports()
        else:
            assert not ImportBatch.objects.filter(outcome=ImportOutcome.IMPORTED).exists()
    _pretend_minutes_pass()
    live_db.publish()
    assert f"{rows} rows: {rows} completions added" in _import(live_db, export)
    live_db.collect()
    assert Completion.objects.count() == rows
    assert not ImportBatch.objects.filter(outcome=ImportOutcome.RUNNING).exists()
    print(f"  {kills} kills, then a complete import of {rows} rows")


# 2. The database restarting under load -------------------------------------------------------


def _pages() -> list[str]:
    return [
        reverse("core:partnership", args=[PARTNERSHIP]),
        reverse("core:people", args=[PARTNERSHIP]),
        reverse("actions:list", args=[PARTNERSHIP]) + "?status=open",
        reverse("training:imports", args=[PARTNERSHIP]),
    ]


def _postgresql_only(live_db: LiveDatabase) -> None:
    if live_db.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: SQLite has no database server to restart (each request opens the database file itself)"
        )
    require_static_files()


def _restart_under_load(
    live_db: LiveDatabase,
    tmp_path,
    *,
    restarts: int,
    seconds_between: tuple[float, float],
    rng: random.Random,
    threads: int = 6,
):
    _postgresql_only(live_db)
    _, user = training_partnership(courses=3)
    session = session_for(user)
    server = Server(live_db, tmp_path / "server.log")
    report = []
    try:
        for path in _pages():
            status, _ = get(server.url + path, session)
            assert status == 200, f"{path} answered {status} before any fault:\n{server.tail()}"
        with Load(server.url, _pages(), session, threads=threads) as load:
            time.sleep(rng.uniform(*seconds_between))
            for n in range(restarts):
                ending = time.monotonic()
                ended = terminate_backends(live_db)
                ended_at = time.monotonic()
                time.sleep(rng.uniform(*seconds_between))
                report.append((n + 1, ending, ended_at, len(ended)))
        results = load.results
        pid = server.popen.pid
        assert server.alive(), f"the server died:\n{server.tail()}"
    finally:
        server.stop()

    failures = [r for r in results if r[3] != 200]
    for n, ending, ended_at, sessions in report:
        in_flight = [r for r in results if r[0] < ended_at and r[1] > ending]
        # Begun once the sessions had ended, and over before the next restart began.
        after = [r for r in results if r[0] >= ended_at and (n == len(report) or r[1] < report[n][1])]
        failed_in_flight = [r for r in in_flight if r[3] != 200]
        print(
            f"\nrestart {n}: {sessions} database sessions ended; {len(failed_in_flight)} of {len(in_flight)} requests in flight failed; "
            f"{len(after)} requests after it, {sum(r[3] != 200 for r in after)} failed"
        )
        assert sessions > 0, "the server held no database session to lose: nothing was tested"
        assert len(after) >= 10, f"too few requests after restart {n} to judge the recovery"
        # Only requests in flight may fail: every one begun after the sessions ended succeeds.
        bad = collections.Counter((r[2], r[3]) for r in after if r[3] != 200)
        assert not bad, f"restart {n}: requests begun after the database came back failed: {dict(bad)}\n{server.tail()}"
    before = [r for r in results if r[1] < report[0][1]]
    assert before and all(r[3] == 200 for r in before)
    return pid, len(results), len(failures)


def test_the_server_recovers_from_a_database_restart_by_itself(live_db, tmp_path):
    """Seen failing: with conn_health_checks=False, 2 and 4 requests begun after the restart got 500 (idle threads reused their dead persistent connections)."""
    # Four clients on the server's eight threads (2 workers x 4): some idle threads hold a persistent
    # connection the restart has killed, and a request begun after the restart reaches one.
    pid, requests, failures = _restart_under_load(
        live_db, tmp_path, restarts=1, seconds_between=(2.0, 2.0), rng=random.Random(0), threads=4
    )
    print(f"{requests} requests, {failures} failed (in flight), one server process ({pid}) throughout")


@pytest.mark.soak
def test_soak_repeated_database_restarts_under_load(live_db, tmp_path):
    """Several restarts at random moments during a longer load, more threads: after each, only requests in flight fail."""
    _postgresql_only(live_db)
    seed = int(os.environ.get("JIGSAW_SOAK_SEED") or random.SystemRandom().randrange(10**6))
    seconds = soak_seconds(60)
    restarts = max(2, int(seconds // 8))
    print(f"\nsoak: {restarts} database restarts under load, JIGSAW_SOAK_SEED={seed}")
    _restart_under_load(
        live_db,
        tmp_path,
        restarts=restarts,
        seconds_between=(2.0, 2 * seconds / restarts - 2.0),
        rng=random.Random(seed),
        threads=10,
    )


# 3. The reminder job run twice -----------------------------------------------------------------

DAY = "2025-03-10"
OWNERS = 8


def _owners() -> list[str]:
    p = core_services.partnership_create(
        name="Durham Safeguarding Children Partnership", slug=PARTNERSHIP, area="County Durham"
    )
    emails = []
    for n in range(OWNERS):
        person = core_services.person_create(
            actor=None, partnership=p, name=f"Owner {n}", email=f"owner{n}@durham.example"
        )
        action_services.action_raise(
            actor=None,
            partnership=p,
            raised_on=datetime.date(2024, 4, 1),
            description=f"Overdue action {n}",
            owner_person=person,
            due_on=datetime.date(2025, 3, 1),
        )
        emails.append(person.email)
    return emails


def test_overlapping_reminder_runs_send_each_digest_once(live_db):
    """Seen failing: with the ReminderLog written after sending (the old service), both overlapping runs sent all 8 digests: every owner got 2."""
    emails = _owners()
    live_db.publish()
    # A slow mail server: the first digest is held until the other run is sending too.
    sink = MailSink(hold_first=20)
    try:
        runs = [live_db.start("send_action_reminders", "--date", DAY, **sink.env()) for _ in range(2)]
        codes = [run.wait(timeout=120) for run in runs]
        output = "\n".join(line for run in runs for line in run.output)
        assert codes == [0, 0], output
        assert sink.overlapped, "the two runs did not overlap: nothing was tested"
        received = collections.Counter(sink.recipients)
        assert received == collections.Counter(emails), (
            f"each owner must get exactly one digest: {dict(received)}\n{output}"
        )

        # A third run, later the same day, sends nothing.
        third = live_db.jigsaw("send_action_reminders", "--date", DAY, **sink.env())
        assert third.returncode == 0, third.stderr
        assert f"0 sent, 0 failed (will retry next run), {OWNERS} already sent today" in third.stdout
        assert collections.Counter(sink.recipients) == collections.Counter(emails)
    finally:
        sink.close()
    live_db.collect()
    assert ReminderLog.objects.filter(sent_on=DAY, sent_at__isnull=False).count() == OWNERS
