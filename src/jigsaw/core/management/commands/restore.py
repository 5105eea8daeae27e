from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jigsaw.core.backup import restore


class Command(BaseCommand):
    help = "Restore the database and uploaded files from a `jigsaw backup` archive (replaces both)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, archive: Path, yes: bool, **options):
        if not archive.exists():
            raise CommandError(f"{archive} does not exist.")
        if (
            not yes
            and input(f"This replaces every record and uploaded file with {archive}. Type 'restore' to go on: ").strip()
            != "restore"
        ):
            raise CommandError("Nothing restored.")
        try:
            manifest = restore(archive)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the database and {manifest['files']} uploaded files from {archive} (taken {manifest['created']})."
        )
