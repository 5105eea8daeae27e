"""What the fault tests share: the test database as other processes see it, the partnership an
import needs, a realistic export, `jigsaw` run as an operator runs it, the production server,
and a mail server that records what it is sent.

Real processes against the real database; nothing under test is mocked."""

from __future__ import annotations

import csv
import datetime
import os
import queue
import random
import signal
import socket
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from jigsaw.core import services as core_services
from jigsaw.core.models import Sector, StatutoryRole
from jigsaw.core.scoping import Role
from jigsaw.training import services as training_services
from jigsaw.training.models import DeliveryMode, OrganisationCategory

PARTNERSHIP = "durham"
LEARNER_DOMAIN = "faults.example"


def soak_seconds(default: int) -> float:
    """How long a soak test runs: JIGSAW_SOAK_SECONDS lengthens (or shortens) every one of them."""
    return float(os.environ.get("JIGSAW_SOAK_SECONDS", default))


# The database ------------------------------------------------------------------------------


class LiveDatabase:
    """The test database, committed, as a subprocess sees it.

    PostgreSQL: the test database itself (pytest-django's `transactional_db` commits). SQLite:
    the suite's test database is in memory, so `publish()` copies it to a file with SQLite's
    online backup and `collect()` copies the file back once the subprocesses are done, so the
    test reads what they left with the ORM either way."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        self.path = tmp_path / "live.sqlite3"
        config = connection.settings_dict
        if self.vendor == "postgresql":
            auth = quote(config["USER"] or "", safe="") + (
                ":" + quote(config["PASSWORD"], safe="") if config["PASSWORD"] else ""
            )
            self.url = f"postgres://{auth}@{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}/{config['NAME']}"
        elif self.vendor == "sqlite":
            self.url = f"sqlite:///{self.path}"
        else:  # pragma: no cover - Jigsaw runs on these two
            pytest.skip(f"no fault tests for {self.vendor}")

    def publish(self) -> None:
        if self.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()

    def collect(self) -> None:
        if self.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(self.path)  # recovers the journal a killed writer left, as a restart would
            try:
                source.backup(connection.connection)
            finally:
                source.close()

    def env(self, **extra) -> dict:
        """The operator's environment (whatever this run has: PYTHONPATH, JIGSAW_DATA_DIR…) on this database."""
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "jigsaw.settings",
            "PYTHONUNBUFFERED": "1",
        }
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def jigsaw(self, *args, timeout: float = 300, **env) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "jigsaw.cli", *args],
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *args, **env) -> Process:
        return Process([sys.executable, "-m", "jigsaw.cli", *args], self.env(**env))

    def backends(self) -> list[int]:
        """PostgreSQL: the other sessions on this database (not the test's own)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [pid for (pid,) in cursor.fetchall()]

    def wait_until_released(self, timeout: float = 30) -> None:
        """After a kill: PostgreSQL ends the dead client's session (rolling its transaction back)
        when it notices the socket closed. Wait for that, as a restarted worker would."""
        if self.vendor != "postgresql":
            return
        deadline = time.monotonic() + timeout
        while self.backends():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"sessions still open {timeout} s after their process was killed: {self.backends()}"
                )
            time.sleep(0.1)


class Process:
    """A subprocess whose output lines are read as they come (a thread drains them)."""

    def __init__(self, argv, env):
        self.popen = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        self.lines: queue.Queue = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.popen.stdout:
            self.output.append(line.rstrip("\n"))
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, predicate, timeout: float = 120) -> str:
        """The first output line that satisfies `predicate`; fails if the process ends first."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no such line within {timeout} s; output so far:\n" + "\n".join(self.output[-20:])
                ) from None
            if line is None:
                raise AssertionError(
                    f"the process ended ({self.popen.wait()}) first; output:\n" + "\n".join(self.output[-20:])
                )
            if predicate(line):
                return line

    def kill(self) -> None:
        """SIGKILL: no handler runs, no transaction is closed, nothing is flushed."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def wait(self, timeout: float = 300) -> int:
        return self.popen.wait(timeout=timeout)


# What an import needs ------------------------------------------------------------------------


def training_partnership(courses: int = 12):
    """A partnership with a business-unit user, the report's categories, a few organisation
    aliases and `courses` eLearning courses: what `jigsaw import_completions` looks up."""
    p = core_services.partnership_create(
        name="Durham Safeguarding Children Partnership", slug=PARTNERSHIP, area="County Durham"
    )
    police = core_services.agency_create(
        actor=None, partnership=p, name="Durham Constabulary", sector=Sector.POLICE, statutory_role=StatutoryRole.POLICE
    )
    council = core_services.agency_create(
        actor=None,
        partnership=p,
        name="Durham County Council",
        sector=Sector.CHILDREN_SOCIAL_CARE,
        statutory_role=StatutoryRole.LOCAL_AUTHORITY,
    )
    person = core_services.person_create(
        actor=None, partnership=p, name="Bea Business", email="bu@durham.example", agency=council
    )
    user = core_services.user_create(email=person.email, person=person)
    core_services.role_assign(actor=None, user=user, partnership=p, role=Role.BUSINESS_UNIT)
    training_services.organisation_categories_ensure(actor=None, partnership=p)
    categories = {c.sector: c for c in OrganisationCategory.objects.filter(partnership=p)}
    for name, sector, agency in [
        ("Durham Police", Sector.POLICE, police),
        ("DCC Children's Services", Sector.CHILDREN_SOCIAL_CARE, council),
        ("Belmont Primary", Sector.SCHOOLS, None),
        ("CDDFT", Sector.NHS_TRUSTS, None),
    ]:
        training_services.organisation_alias_create(
            actor=None, partnership=p, name=name, category=categories[sector], agency=agency
        )
    for n in range(courses):
        training_services.course_create(
            actor=None,
            partnership=p,
            title=f"Safeguarding module {n + 1:02d}",
            mode=DeliveryMode.ELEARNING,
            runs_from=datetime.date(2021, 4, 1),
        )
    return p, user


def write_export(path: Path, rows: int, *, seed: int = 0, start: datetime.date = datetime.date(2022, 4, 1)) -> Path:
    """A realistic eLearning export, like benchmarks/workloads.py writes: repeat learners, the
    partnership's course titles, organisation names as typed (aliases and category names),
    dates over a year, no completion twice."""
    from jigsaw.training.models import Course, OrganisationAlias

    rng = random.Random(seed)
    courses = list(Course.objects.order_by("pk").values_list("title", flat=True))
    organisations = list(OrganisationAlias.objects.order_by("pk").values_list("name", flat=True)) + [
        "Schools",
        "durham  police",
    ]
    learners = max(rows // 3, 1)
    seen = set()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Learner", "Email", "Organisation", "Course", "Completion date"])
        while len(seen) < rows:
            who, course, day = rng.randrange(learners), rng.randrange(len(courses)), rng.randrange(365)
            if (who, course, day) in seen:
                continue
            seen.add((who, course, day))
            writer.writerow(
                [
                    f"Learner {who:06d}",
                    f"learner{who:06d}@{LEARNER_DOMAIN}",
                    organisations[who % len(organisations)],
                    courses[course],
                    (start + datetime.timedelta(days=day)).strftime("%d/%m/%Y"),
                ]
            )
    return path


# The production server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_static_files() -> None:
    """`jigsaw serve` serves the collected, hashed static files (`make assets`, which `make test` runs)."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        reason = f"{manifest} is missing: run `make assets` (collectstatic) before the server tests"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true, so this test cannot be skipped)", pytrace=False)
        pytest.skip(reason)


class Server:
    """`jigsaw serve` (gunicorn, the production configuration) on a free port."""

    def __init__(self, live: LiveDatabase, log: Path, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with open(log, "w") as out:
            self.popen = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jigsaw.cli",
                    "serve",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(workers),
                ],
                env=live.env(
                    SECRET_KEY=settings.SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", DEBUG="false", LOG_LEVEL="ERROR"
                ),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise AssertionError(f"jigsaw serve exited ({self.popen.returncode}):\n{self.tail()}")
            try:
                if get(self.url + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"jigsaw serve did not answer within 60 s:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()  # gunicorn's graceful stop (the arbiter and its workers)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)


def get(url: str, session: str | None = None, timeout: float = 15) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"} if session else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def session_for(user) -> str:
    """A signed-in session in the database, as the sign-in form leaves one."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Load:
    """Threads requesting signed-in pages as fast as the server answers; every request's
    (start, end, status or error) is kept."""

    def __init__(self, base: str, paths: list[str], session: str, threads: int = 6):
        self.base, self.paths, self.session = base, paths, session
        self.results: list[tuple[float, float, str, int | str]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def _run(self, n: int):
        i = n
        while not self.stopping.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            started = time.monotonic()
            try:
                status: int | str = get(self.base + path, self.session)[0]
            except (OSError, urllib.error.URLError) as error:
                status = type(error).__name__
            with self.lock:
                self.results.append((started, time.monotonic(), path, status))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def between(self, start: float, end: float) -> list:
        with self.lock:
            return [r for r in self.results if start <= r[0] and r[1] <= end]

    def since(self, moment: float) -> list:
        with self.lock:
            return [r for r in self.results if r[0] >= moment]


def terminate_backends(live: LiveDatabase) -> list[int]:
    """What a database restart does to the app: every session on its database is ended (from
    a separate connection). The shared PostgreSQL server itself keeps running: other test runs
    use it. Returns the sessions ended, once they have all gone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 15
        while True:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
            if cursor.fetchone()[0] == 0:
                return pids
            if time.monotonic() > deadline:
                raise AssertionError("terminated sessions did not end within 15 s")
            time.sleep(0.05)


# A mail server ---------------------------------------------------------------------------------


class MailSink(socketserver.ThreadingTCPServer):
    """A small SMTP server on a free port recording every message's recipients.

    With `hold_first`, the first message is not accepted until a second client has connected
    (or `hold_first` seconds pass): a slow mail server, so two overlapping runs of a job are
    certainly sending at the same moment."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hold_first: float = 0):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.port = self.server_address[1]
        self.hold_first = hold_first
        self.recipients: list[str] = []
        self.lock = threading.Lock()
        self.clients = 0
        self.messages = 0
        self.second_client = threading.Event()
        self.overlapped = False  # a second client connected while the first message was held
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def env(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": "false",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def close(self):
        self.shutdown()
        self.server_close()


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        sink: MailSink = self.server
        with sink.lock:
            sink.clients += 1
            if sink.clients >= 2:
                sink.second_client.set()
        self.reply("220 sink.example ESMTP")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink.example")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").split(">")[0].lower())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                with sink.lock:
                    sink.messages += 1
                    first = sink.messages == 1
                    sink.recipients.extend(recipients)
                if first and sink.hold_first:
                    sink.overlapped = sink.second_client.wait(sink.hold_first)
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")
