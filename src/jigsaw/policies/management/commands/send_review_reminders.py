from django.core.management.base import BaseCommand, CommandError

from jigsaw.core.models import Partnership
from jigsaw.policies.tasks import send_review_reminders


class Command(BaseCommand):
    help = "Email each procedure owner whose review is due within 30 days or overdue, once per due date. Safe to run daily."

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnership", help="Only this partnership's short name, e.g. durham (default: every partnership)."
        )

    def handle(self, *args, **options):
        partnerships = Partnership.objects.order_by("slug")
        if options["partnership"]:
            partnerships = partnerships.filter(slug=options["partnership"])
            if not partnerships.exists():
                raise CommandError(f"No partnership '{options['partnership']}'.")
        for partnership in partnerships:
            sent = send_review_reminders.call(partnership.pk)
            self.stdout.write(f"{partnership.name}: {sent} review reminders sent.")
