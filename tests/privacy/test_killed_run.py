"""A real `jigsaw apply_retention` process SIGKILLed between batches, on the real database (the
suite's own; on SQLite copied to a file and back): what it committed is done and counted, nothing
else is, and the next run carries the same run on to the end without counting anything twice."""

from __future__ import annotations

import datetime

import pytest

from jigsaw.privacy.models import RetentionRun
from jigsaw.training.imports import completions_import
from jigsaw.training.models import Learner
from tests.hardening.faults import LEARNER_DOMAIN, PARTNERSHIP, LiveDatabase, training_partnership, write_export

pytestmark = pytest.mark.xdist_group("faults")

# The export's completions fall between 1 April 2022 and 31 March 2023; counted back 36 months
# from this day, the period starts on 1 January 2024.
RUN_DAY = "2027-01-01"


@pytest.fixture
def live_db(transactional_db, tmp_path) -> LiveDatabase:
    return LiveDatabase(tmp_path)


def test_a_run_killed_between_batches_is_carried_on_without_loss(live_db, tmp_path):
    partnership, user = training_partnership()
    export = write_export(tmp_path / "export.csv", 900)
    completions_import(actor=user, partnership=partnership, file_name="export.csv", content=export.read_bytes())
    kept = b"Learner,Email,Organisation,Course,Completion date\nKim Kept,kim@kept.example,Durham Police,"
    course = partnership.courses.order_by("pk").first().title
    completions_import(
        actor=user, partnership=partnership, file_name="kept.csv", content=kept + f"{course},02/01/2024\n".encode()
    )
    past = Learner.objects.filter(email__endswith="@" + LEARNER_DOMAIN).count()
    assert past > 200  # about a third of the rows: repeat learners
    live_db.publish()

    run = live_db.start(
        "apply_retention",
        "--partnership",
        PARTNERSHIP,
        "--date",
        RUN_DAY,
        "--batch-size",
        "50",
        "--pause",
        "30",
        "-v",
        "2",
    )
    line = run.wait_for(lambda line: "learners, 50 so far" in line)
    run.kill()  # during the pause after the first batch: no handler runs, nothing is flushed
    live_db.wait_until_released()
    live_db.collect()

    stopped = RetentionRun.objects.get(finished_at__isnull=True)
    assert stopped.tallies.get(kind="learners").count == 50, line
    assert Learner.objects.filter(email__endswith="@" + LEARNER_DOMAIN).count() == past - 50
    assert Learner.objects.filter(name="Pseudonymised learner").count() == 50

    live_db.publish()
    result = live_db.jigsaw(
        "apply_retention", "--partnership", PARTNERSHIP, "--date", "2027-01-02", "--batch-size", "50"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"learners {past} (carried on a run stopped part-way, started 1 January 2027)" in result.stdout
    live_db.collect()

    finished = RetentionRun.objects.get()
    assert finished.pk == stopped.pk and finished.finished_at and finished.resumed == 1
    tally = finished.tallies.get(kind="learners")
    assert (tally.count, tally.batches, tally.cutoff) == (past, -(-past // 50), datetime.date(2024, 1, 1))
    assert Learner.objects.filter(name="Pseudonymised learner").count() == past
    assert Learner.objects.get(email="kim@kept.example").name == "Kim Kept"  # inside its period: kept
