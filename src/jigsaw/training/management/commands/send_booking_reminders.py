import datetime

from django.core.management.base import BaseCommand, CommandError

from jigsaw.training.tasks import send_booking_reminders


class Command(BaseCommand):
    help = "Email everyone with a place on training a reminder 14 and 5 days before it (run daily). Each reminder is sent once, however often this runs."

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
            result = send_booking_reminders.enqueue(day)
            self.stdout.write(f"Queued the booking reminder job ({result.id}).")
            return
        outcome = send_booking_reminders.call(day)
        self.stdout.write(
            f"Booking reminders for {outcome['day']}: {outcome['sent']} sent, {outcome['failed']} failed (will retry next run), "
            f"{outcome['already_sent']} already sent."
        )
