import datetime

from django.core.management.base import BaseCommand, CommandError

from jigsaw.impact.tasks import send_manager_assurance


class Command(BaseCommand):
    help = (
        "Ask each learner's line manager, three months after the training, whether it changed their practice "
        "(run daily). The question and its one reminder are each sent once, however often this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to send for, as 2025-03-31 (default: today).")
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
        if options["enqueue"]:
            result = send_manager_assurance.enqueue(day)
            self.stdout.write(f"Queued the managers' assurance job ({result.id}).")
            return
        outcome = send_manager_assurance.call(day)
        self.stdout.write(
            f"Managers' assurance for {outcome['day']}: {outcome['requests']} new requests, {outcome['sent']} asked, "
            f"{outcome['reminded']} reminded, {outcome['failed']} failed (will retry next run), "
            f"{outcome['already_sent']} already sent."
        )
