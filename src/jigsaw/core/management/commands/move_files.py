"""`jigsaw move_files`: put the files Jigsaw already holds into the configured file store.

Run once after switching JIGSAW_FILE_STORAGE (to s3 or azure), and again whenever you like: it
copies every file the database names from the old local folder (MEDIA_ROOT, or --from) into the
store under the same name, and moves learning-log evidence kept in database rows into the store,
one row per transaction. What the store already holds whole is left alone, so a run stopped
half-way is finished by running it again. The local copies are left for you to remove once the
store has been checked.
"""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from jigsaw.core import files


class Command(BaseCommand):
    help = "Move uploaded files and evidence kept in the database into the configured file store (safe to rerun)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source",
            type=Path,
            default=None,
            help="The folder the files are in now (default: MEDIA_ROOT).",
        )

    def handle(self, *args, source: Path | None, **options):
        source = Path(source or settings.MEDIA_ROOT)
        verbose = options["verbosity"] >= 2
        moved = present = 0
        missing = []
        try:
            if files.is_local_store(source):
                self.stdout.write(f"The file store is {source} itself: its files are already in place.")
            else:
                for name in files.stored_names():
                    local = source / name
                    if not local.is_file():
                        if not files.exists(name):
                            missing.append(name)
                        else:
                            present += 1
                        continue
                    with local.open("rb") as handle:
                        wrote = files.place(name, File(handle, name=local.name), local.stat().st_size)
                    moved += wrote
                    present += not wrote
                    if verbose and wrote:
                        self.stdout.write(f"  {name}")
            rows = sum(mover(files.place) for mover in files.ROW_MOVERS)
        except files.Unavailable as error:
            raise CommandError(
                f"The file store did not answer ({error.__cause__ or error}). Nothing is lost: run the command again."
            ) from error
        self.stdout.write(
            f"Moved {moved} file{'s' if moved != 1 else ''} and {rows} evidence file{'s' if rows != 1 else ''} kept in "
            f"the database into the file store; {present} already there."
        )
        if missing:
            self.stdout.write(
                f"{len(missing)} file{'s' if len(missing) != 1 else ''} named in the database "
                f"{'are' if len(missing) != 1 else 'is'} neither in {source} nor in the store:"
            )
            for name in missing:
                self.stdout.write(f"  {name}")
