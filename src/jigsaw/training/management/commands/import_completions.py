"""jigsaw import_completions --partnership durham export.csv"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jigsaw.core.models import Partnership, User
from jigsaw.training.imports import completions_import


class Command(BaseCommand):
    help = "Import course completions from an eLearning platform export (CSV or XLSX), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's short name, e.g. durham.")
        parser.add_argument("--as", dest="actor", help="Email of the person the audit trail should name.")
        parser.add_argument("--check", action="store_true", help="Check the file and list problems without importing.")
        parser.add_argument("file")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership '{options['partnership']}'.")
        actor = User.objects.filter(email__iexact=options["actor"]).first() if options["actor"] else None
        path = Path(options["file"])
        progress = self.progress if options["verbosity"] >= 2 else None
        try:
            result = completions_import(
                actor=actor,
                partnership=partnership,
                file_name=path.name,
                content=path.read_bytes(),
                commit=not options["check"],
                on_progress=progress,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for row, reason in result.problems:
            self.stdout.write(f"Row {row}: {reason}")
        for name, rows in result.unknown_organisations:
            self.stdout.write(f"Organisation not mapped to a category: '{name}' ({rows} rows)")
        for title, rows, first in result.unknown_courses:
            self.stdout.write(
                f"Course not found (add it, choosing its delivery mode): '{title}' ({rows} rows, first completed {first})"
            )
        if result.warnings:
            self.stdout.write(
                f"{len(result.warnings)} rows repeat an earlier row exactly and are counted once (rows {', '.join(str(row) for row, _ in result.warnings[:20])}"
                f"{', …' if len(result.warnings) > 20 else ''})."
            )
        if not result.ok:
            raise CommandError(
                f"Nothing imported: {len(result.problems)} bad rows, {len(result.unknown_organisations)} unmapped organisations, "
                f"{len(result.unknown_courses)} courses not found."
            )
        verb = "would be" if options["check"] else "were"
        self.stdout.write(
            f"{result.rows} rows: {result.added} completions added, {result.already_held} {verb} already held, {result.learners_added} new learners."
        )

    def progress(self, stage: str, done: int, total: int | None) -> None:
        """With -v 2, a line per step of a long import (nothing is committed until the last)."""
        if stage == "checked":
            line = f"Checked {done:,} rows."
        elif stage == "saving":
            line = f"Every row is good: saving {total:,} rows in one transaction."
        elif stage == "learners":
            line = f"Wrote {done:,} new learners (not committed yet)."
        else:
            line = f"Wrote {done:,} of {total:,} completions (not committed yet)."
        self.stdout.write(line)
        self.stdout.flush()
