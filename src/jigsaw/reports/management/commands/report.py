"""`jigsaw report build --partnership SLUG --year 2024-25 --out DIR`"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jigsaw.core.models import Partnership
from jigsaw.core.periods import FinancialYear


class Command(BaseCommand):
    help = "Build a partnership's annual report: report.html, report.pdf, report.docx and figures.json."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="build")
        build = commands.add_parser("build", help="Build the latest version of a year's report into a directory.")
        build.add_argument("--partnership", required=True, help="The partnership's short name, for example durham.")
        build.add_argument("--year", required=True, help="The financial year, for example 2024-25.")
        build.add_argument(
            "--out",
            required=True,
            help="The directory to write the four files to (replaced only if the build succeeds).",
        )

    def handle(self, *args, subcommand, **options):
        from jigsaw.reports import services
        from jigsaw.reports.build import BuildError, build_report
        from jigsaw.reports.models import Report

        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"There is no partnership called '{options['partnership']}'.")
        try:
            year = FinancialYear.of(partnership, options["year"]).label
        except ValueError as error:
            raise CommandError(str(error)) from error
        report = Report.objects.filter(partnership=partnership, year=year).order_by("-version").first()
        if report is None:
            try:
                report = services.report_create(actor=None, partnership=partnership, year=year)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            self.stdout.write(f"No report for {year} yet: started one from the template.")
        out = Path(options["out"]).resolve()

        def progress(percent: int, step: str) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{percent:3d}% {step}")

        try:
            output = build_report(report, out, progress=progress)
        except BuildError as error:
            raise CommandError(f"The build failed, so {out} was left as it was: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {report} into {out}: {', '.join(output.files)} ({len(output.figures['figures'])} figures from {len(output.blocks)} data blocks)."
            )
        )
