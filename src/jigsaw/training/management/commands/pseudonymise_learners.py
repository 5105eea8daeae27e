from django.core.management.base import BaseCommand

from jigsaw.core.models import Partnership
from jigsaw.training.services import learners_pseudonymise


class Command(BaseCommand):
    help = "Remove the names and emails of learners past the partnership's retention period (run monthly)."

    def handle(self, *args, **options):
        for partnership in Partnership.objects.all():
            count = learners_pseudonymise(actor=None, partnership=partnership)
            self.stdout.write(f"{partnership.slug}: {count} learners pseudonymised.")
