"""`jigsaw serve`: the web server and the task worker, started and stopped together.

Report builds, completions imports, digests and reminders run on django-tasks' database queue;
a web server without its worker accepts those jobs and never finishes them. So one command runs
both, and neither outlives the other: Ctrl+C or SIGTERM stops both, and if one dies the other is
stopped and the command exits with an error, for a process manager to restart the pair.
"""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from jigsaw.core.access_log import FORMAT

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 30  # gunicorn's own graceful timeout; a running task gets as long


class Command(BaseCommand):
    help = "Serve Jigsaw: gunicorn (static files through WhiteNoise) and the task worker, stopped together."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIGSAW_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="Start the web server only (when `jigsaw db_worker` runs elsewhere).",
        )

    def handle(self, *args, **options):
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "jigsaw.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            # Method, path and status only: no query strings, referrers or codes (jigsaw.core.access_log).
            "--logger-class",
            "jigsaw.core.access_log.AccessLogger",
            "--access-logformat",
            FORMAT,
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        worker = [sys.executable, "-m", "jigsaw.cli", "db_worker"]
        sys.stdout.flush()
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        for signum in STOP_SIGNALS:
            signal.signal(signum, stop)
        processes = {"web server": subprocess.Popen(web)}
        if not options["no_task_worker"]:
            processes["task worker"] = subprocess.Popen(worker)
        self.stderr.write(f"Started {' and '.join(f'the {name} (pid {p.pid})' for name, p in processes.items())}.")

        ended = None
        while not stopping and ended is None:
            ended = next((name for name, p in processes.items() if p.poll() is not None), None)
            time.sleep(0.2)
        if ended:
            self.stderr.write(f"The {ended} stopped (exit {processes[ended].returncode}): stopping the rest.")
        _stop_all(processes.values())
        if ended:
            sys.exit(processes[ended].returncode or 1)


def _stop_all(processes) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
