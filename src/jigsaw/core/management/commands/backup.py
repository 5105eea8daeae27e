from pathlib import Path

from django.core.management.base import BaseCommand

from jigsaw.core.backup import backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", type=Path, help="Where to write the archive, for example backups/jigsaw-2026-11-25.tar.gz"
        )

    def handle(self, *args, archive: Path, **options):
        manifest = backup(archive)
        self.stdout.write(
            f"Backed up the {manifest['vendor']} database and {manifest['files']} uploaded files to {archive}."
        )
