import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from jigsaw.core.models import Partnership
from jigsaw.privacy.kinds import KINDS
from jigsaw.privacy.services import BATCH_SIZE, retention_apply
from jigsaw.privacy.tasks import apply_retention


class Command(BaseCommand):
    help = (
        "Apply each partnership's retention schedule (run daily): records past their period are pseudonymised "
        "or deleted, in batches; a run that stopped part-way is carried on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="One partnership's short name (default: every partnership).")
        parser.add_argument("--date", help="Count the periods back from this day, as 2025-03-31 (default: today).")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"Records per transaction (default {BATCH_SIZE})."
        )
        parser.add_argument(
            "--pause",
            type=float,
            default=0,
            help="Seconds to wait after each batch, to spread the load on a busy database (default 0).",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the job to the task worker instead of running it here."
        )

    def handle(self, *args, **options):
        day = options.get("date")
        if day:
            try:
                datetime.date.fromisoformat(day)
            except ValueError as error:
                raise CommandError(f"--date {day!r} is not a date: write it as 2025-03-31.") from error
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["enqueue"]:
            if options.get("partnership"):
                raise CommandError("--enqueue runs every partnership; leave out --partnership.")
            result = apply_retention.enqueue(day)
            self.stdout.write(f"Queued the retention run ({result.id}).")
            return
        partnerships = Partnership.objects.order_by("pk")
        if options.get("partnership"):
            partnerships = partnerships.filter(slug=options["partnership"])
            if not partnerships:
                raise CommandError(f"No partnership has the short name {options['partnership']!r}.")
        for partnership in partnerships:
            run = retention_apply(
                partnership=partnership,
                today=datetime.date.fromisoformat(day) if day else None,
                batch_size=options["batch_size"],
                after_batch=self._progress(partnership, options),
            )
            counts = {t.kind: t.count for t in run.tallies.all()}
            handled = [f"{kind.label.lower()} {counts[code]}" for code, kind in KINDS.items() if counts.get(code)]
            resumed = f" (carried on a run stopped part-way, started {run.as_of:%-d %B %Y})" if run.resumed else ""
            self.stdout.write(
                f"{partnership.slug}: {', '.join(handled) if handled else 'nothing past its period'}{resumed}."
            )

    def _progress(self, partnership, options):
        done: dict[str, int] = {}

        def after_batch(kind, count):
            done[kind.code] = done.get(kind.code, 0) + count
            if options["verbosity"] >= 2:
                self.stdout.write(
                    f"{partnership.slug}: {kind.label.lower()}, {done[kind.code]} so far (batch committed)"
                )
                self.stdout.flush()
            if options["pause"]:
                time.sleep(options["pause"])

        return after_batch
