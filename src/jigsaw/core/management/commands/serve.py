import os
import sys

from django.core.management.base import BaseCommand

from jigsaw.core.access_log import FORMAT


class Command(BaseCommand):
    help = "Serve Jigsaw with gunicorn, the production web server (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIGSAW_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))

    def handle(self, *args, **options):
        argv = [
            "gunicorn", "jigsaw.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", "4",
            "--access-logfile", "-",
            # Method, path and status only: no query strings, referrers or codes (jigsaw.core.access_log).
            "--logger-class", "jigsaw.core.access_log.AccessLogger",
            "--access-logformat", FORMAT,
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        sys.stdout.flush()
        os.execvp(sys.executable, [sys.executable, "-m", *argv])
