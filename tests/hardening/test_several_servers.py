"""Several servers on one database (issue 23): two web servers (`jigsaw serve --no-task-worker`,
gunicorn) and two task workers (`jigsaw db_worker`) against one PostgreSQL test database and
one S3 store (moto's server on 127.0.0.1), each process with a media folder of its own that must
stay empty. Someone signs in through one server and carries on through the other; a file uploaded
through one downloads through the other; a report build, a completions import and the reminder
digest, each asked for twice at once (through both servers, or by two cron hosts), are each done
exactly once, by one worker.

PostgreSQL only: on SQLite each process would open its own copy of the test database.
All the processes are started once for the module (one test: a flush between tests would leave
the running servers with stale content types)."""

from __future__ import annotations

import collections
import datetime
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.urls import reverse

from jigsaw.actions import services as action_services
from jigsaw.core import services as core_services
from jigsaw.core.scoping import Role
from jigsaw.reports import services as report_services
from jigsaw.reports.models import Build
from jigsaw.training.models import Completion, ImportBatch, ImportOutcome
from tests.files import pdf_bytes
from tests.s3 import free_port

from .faults import (
    LEARNER_DOMAIN,
    PARTNERSHIP,
    LiveDatabase,
    MailSink,
    require_static_files,
    training_partnership,
    write_export,
)

pytestmark = [
    pytest.mark.xdist_group("faults"),
    pytest.mark.skipif(
        "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
        reason="PostgreSQL only: on SQLite each server would open its own copy of the test database",
    ),
]

PASSWORD = "several-servers-2026"
IMPORT_ROWS = 300
OWNERS = 4


class Processes:
    """Every process started, each with its own log and media folder; all stopped at the end."""

    def __init__(self, live: LiveDatabase, tmp_path: Path, env: dict):
        self.live, self.tmp, self.env = live, tmp_path, env
        self.started: dict[str, subprocess.Popen] = {}
        self.media: dict[str, Path] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen:
        media = self.tmp / f"{name}-media"
        media.mkdir()
        self.media[name] = media
        with open(self.tmp / f"{name}.log", "w") as log:
            self.started[name] = subprocess.Popen(
                [sys.executable, "-m", "jigsaw.cli", *args],
                env=self.live.env(**self.env, MEDIA_ROOT=media),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self.started[name]

    def web(self, name: str) -> str:
        port = free_port()
        self.start(name, "serve", "--no-task-worker", "--bind", f"127.0.0.1:{port}", "--workers", "2")
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            self.check_alive(name)
            try:
                if requests.get(url + "/healthz", timeout=2).status_code == 200:
                    return url
            except requests.RequestException:
                time.sleep(0.3)
        raise AssertionError(f"{name} did not answer within 90 s:\n{self.log(name)}")

    def check_alive(self, *names: str) -> None:
        for name in names or self.started:
            if self.started[name].poll() is not None:
                raise AssertionError(f"{name} exited ({self.started[name].returncode}):\n{self.log(name)}")

    def log(self, name: str) -> str:
        return "\n".join((self.tmp / f"{name}.log").read_text(errors="replace").splitlines()[-40:])

    def stop(self) -> None:
        for popen in self.started.values():
            if popen.poll() is None:
                popen.terminate()
        for popen in self.started.values():
            try:
                popen.wait(timeout=40)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait()


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _post(session: requests.Session, url: str, data=None, files=None, form: str | None = None) -> requests.Response:
    """A form sent as a browser sends it: its page first (for the CSRF token), then the post."""
    token = _csrf(session, form or url)
    return session.post(url, data={**(data or {}), "csrfmiddlewaretoken": token}, files=files, timeout=60)


def _both_at_once(*calls):
    """Each call in its own thread, released together: two clicks on two servers at one moment."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(n, call):
        barrier.wait()
        results[n] = call()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _wait_for(what: str, check, processes: Processes, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        processes.check_alive()
        time.sleep(0.5)
    raise AssertionError(
        f"{what} not done within {timeout} s\n"
        + "\n".join(f"--- {name}\n{processes.log(name)}" for name in processes.started)
    )


def _task_runs(task_name: str) -> list:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path__endswith=task_name).order_by("pk"))


@pytest.fixture
def live_db(transactional_db, tmp_path) -> LiveDatabase:
    return LiveDatabase(tmp_path)


def test_two_servers_and_two_workers_share_one_database_and_one_file_store(live_db, tmp_path, moto_server, settings):
    require_static_files()
    # One partnership, a business unit that signs in with a password, actions with owners to remind.
    partnership, _ = training_partnership()
    person = core_services.person_create(
        actor=None, partnership=partnership, name="Sam Signin", email="sam@durham.example"
    )
    # Hashed as the servers hash (the suite's fast MD5 is not one they accept).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = core_services.user_create(email=person.email, password=PASSWORD, person=person)
    core_services.role_assign(actor=None, user=user, partnership=partnership, role=Role.BUSINESS_UNIT)
    action = action_services.action_raise(
        actor=None, partnership=partnership, description="Audit the front door", owner_person=person
    )
    owners = []
    for n in range(OWNERS):
        owner = core_services.person_create(
            actor=None, partnership=partnership, name=f"Owner {n}", email=f"owner{n}@durham.example"
        )
        action_services.action_raise(
            actor=None,
            partnership=partnership,
            raised_on=datetime.date(2024, 4, 1),
            description=f"Overdue action {n}",
            owner_person=owner,
            due_on=datetime.date(2025, 3, 1),
        )
        owners.append(owner.email)
    report = report_services.report_create(actor=user, partnership=partnership, year="2024-25")
    first, *rest = report.sections.all()
    for section in rest:  # one short section: the build's cost is the processes, not the figures
        report_services.section_delete(actor=user, section=section)
    report_services.section_update(actor=user, section=first, body="The partnership's year, in brief.")
    export = write_export(tmp_path / "export.csv", IMPORT_ROWS)

    bucket = moto_server.new_bucket()
    sink = MailSink()
    env = {
        **moto_server.env(bucket),
        **sink.env(),
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
    }
    processes = Processes(live_db, tmp_path, env)
    try:
        for name in ("worker-1", "worker-2"):
            processes.start(name, "db_worker", "--interval", "0.5", "--worker-id", name, "--no-startup-delay")
        one, two = processes.web("web-1"), processes.web("web-2")

        # Signed in through one server, carrying on through the other.
        browser = requests.Session()
        signed_in = _post(browser, one + "/accounts/sign-in/", {"username": person.email, "password": PASSWORD})
        assert signed_in.status_code == 200 and "Sign out" in signed_in.text, signed_in.text[-2000:]
        home = browser.get(f"{two}/{PARTNERSHIP}/", timeout=30)
        assert home.status_code == 200 and "Sign out" in home.text and home.url.startswith(two)

        # Uploaded through one, downloaded through the other: the file is in the bucket, on no disk.
        evidence = pdf_bytes("front door audit")
        completed = _post(
            browser,
            f"{one}/{PARTNERSHIP}/actions/{action.pk}/progress/",
            {"status": "completed", "evidence": "Audit done."},
            files={"files": ("audit.pdf", evidence, "application/pdf")},
        )
        assert completed.status_code == 200 and action.evidence_files.exists(), completed.text[-2000:]
        stored = action.evidence_files.get()
        download = browser.get(two + stored.get_absolute_url(), timeout=30)
        assert download.status_code == 200 and download.content == evidence
        assert moto_server.keys(bucket) == {stored.file.name: evidence}

        # A report build asked for through both servers at once: one build, run once, served by either.
        build_url = reverse("reports:build-create", args=[PARTNERSHIP, report.pk])
        token = _csrf(browser, f"{one}{report.get_absolute_url()}")
        _both_at_once(
            *(
                lambda base=base: browser.post(base + build_url, data={"csrfmiddlewaretoken": token}, timeout=60)
                for base in (one, two)
            )
        )
        build = _wait_for(
            "the report build",
            lambda: Build.objects.filter(report=report, status__in=("succeeded", "failed")).first(),
            processes,
        )
        assert build.status == "succeeded", build.error
        assert Build.objects.filter(report=report).count() == 1
        pdf = browser.get(two + reverse("reports:build-file", args=[PARTNERSHIP, build.pk, "pdf"]), timeout=30)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert pdf.content == moto_server.keys(bucket)[f"{build.output_dir}/report.pdf"]

        # A completions import uploaded through one server, confirmed through both at once: imported once.
        with open(export, "rb") as handle:
            checked = _post(
                browser,
                f"{one}/{PARTNERSHIP}/training/imports/new/",
                files={"file": ("export.csv", handle.read(), "text/csv")},
            )
        batch = ImportBatch.objects.get(partnership=partnership)
        assert batch.outcome == ImportOutcome.CHECKED, checked.text[-2000:]
        assert batch.stored_as in moto_server.keys(bucket)
        confirm_url = reverse("training:import-confirm", args=[PARTNERSHIP, batch.pk])
        token = _csrf(browser, f"{two}{batch.get_absolute_url()}")
        _both_at_once(
            *(
                lambda base=base: browser.post(base + confirm_url, data={"csrfmiddlewaretoken": token}, timeout=60)
                for base in (two, one)
            )
        )
        _wait_for(
            "the import",
            lambda: ImportBatch.objects.filter(pk=batch.pk, outcome=ImportOutcome.IMPORTED).exists(),
            processes,
        )
        batch.refresh_from_db()
        assert batch.added == IMPORT_ROWS
        assert Completion.objects.filter(learner__email__endswith="@" + LEARNER_DOMAIN).count() == IMPORT_ROWS
        assert batch.stored_as not in moto_server.keys(bucket)  # kept only until imported

        # The reminder digest queued twice, as two cron hosts would: each owner emailed once.
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        from jigsaw.actions.tasks import send_action_reminders

        for _ in range(2):
            send_action_reminders.enqueue("2025-03-10")
        _wait_for(
            "both digest runs",
            lambda: (
                all(r.status == "SUCCESSFUL" for r in _task_runs("send_action_reminders"))
                and len(_task_runs("send_action_reminders")) == 2
            ),
            processes,
        )
        received = collections.Counter(sink.recipients)
        assert received == collections.Counter(owners), dict(received)

        # Each task done once, by one worker; between them the two workers did the work.
        runs = {name: _task_runs(name) for name in ("run_build", "import_completions", "send_action_reminders")}
        assert [len(runs["run_build"]), len(runs["import_completions"])] == [1, 1]
        for name, results in runs.items():
            for result in results:
                assert result.status == "SUCCESSFUL" and len(result.worker_ids) == 1, (name, result.worker_ids)
        workers = {result.worker_ids[0] for results in runs.values() for result in results}
        assert workers <= {"worker-1", "worker-2"}
        processes.check_alive()
        # Nothing landed on any process's own disk: every file went to the shared store.
        assert all(not any(media.iterdir()) for media in processes.media.values())
    finally:
        processes.stop()
        sink.close()
