from django.core.management.base import BaseCommand

from jigsaw.training.tasks import send_impact_follow_ups


class Command(BaseCommand):
    help = "Queue the 3- and 6-month training impact follow-up emails (run daily)."

    def handle(self, *args, **options):
        send_impact_follow_ups.enqueue()
        self.stdout.write("Impact follow-ups queued.")
