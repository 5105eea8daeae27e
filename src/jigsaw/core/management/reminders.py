"""The one shape of a daily reminder command: `--date` to send for another day, `--enqueue` to hand
the job to the task worker, and a line saying what was sent. Each app names its task and its words;
core imports no app, so the task is given, not looked up."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError


class ReminderCommand(BaseCommand):
    """Subclasses set `task` (a django-tasks task taking the day as 2025-03-31 or None, returning
    {"day", "sent", "failed", "already_sent"}), `what` ("booking reminders") and, when a second
    run on the same day sends nothing for another reason, `already` ("already sent today")."""

    task = None
    what = "reminders"
    already = "already sent"

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
            result = self.task.enqueue(day)
            self.stdout.write(f"Queued the {self.what} job ({result.id}).")
            return
        self.stdout.write(self.summary(self.task.call(day)))

    def summary(self, outcome: dict) -> str:
        """The line saying what was sent; a job that counts more overrides it."""
        return (
            f"{self.what.capitalize()} for {outcome['day']}: {outcome['sent']} sent, "
            f"{outcome['failed']} failed (will retry next run), {outcome['already_sent']} {self.already}."
        )
