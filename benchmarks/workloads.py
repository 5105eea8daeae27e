"""The measured workloads, each run in its own process inside a benchmark database (so its
peak RSS is its own). Prints one JSON object.

    python benchmarks/workloads.py csv ROWS FILE [YEAR]   write a completions export
    python benchmarks/workloads.py import FILE            the real import path
    python benchmarks/workloads.py floor FILE             csv module + one bulk insert
    python benchmarks/workloads.py report OUT [SLUG]      the report build, stage by stage (default: durham)
"""

import csv
import datetime
import io
import json
import os
import random
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigsaw.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from jigsaw.core.models import Partnership  # noqa: E402

PARTNERSHIP = Partnership.objects.filter(slug="durham").first()  # the demo: the import's courses and organisations


def write_csv(rows: int, path: str, start_year: int = 2022) -> dict:
    """A realistic eLearning export: repeat learners, the partnership's own course titles and
    organisation names as learners type them, dates spread over one year."""
    from jigsaw.training.models import Course, OrganisationAlias

    rng = random.Random(rows)
    courses = list(Course.objects.filter(partnership=PARTNERSHIP).values_list("title", flat=True))
    organisations = list(OrganisationAlias.objects.filter(partnership=PARTNERSHIP).values_list("name", flat=True))
    start = datetime.date(start_year, 4, 1)
    learners = max(rows // 3, 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Learner", "Email", "Organisation", "Course", "Completion date"])
        seen = set()
        while len(seen) < rows:
            who, course, day = rng.randrange(learners), rng.randrange(len(courses)), rng.randrange(365)
            if (who, course, day) in seen:  # an export never repeats a completion
                continue
            seen.add((who, course, day))
            writer.writerow([f"Learner {who:06d}", f"learner{who:06d}@bench.example", organisations[who % len(organisations)],
                             courses[course], (start + datetime.timedelta(days=day)).strftime("%d/%m/%Y")])
    return {"rows": rows, "bytes": os.path.getsize(path)}


def run_import(path: str) -> dict:
    from jigsaw.training.imports import completions_import

    content = open(path, "rb").read()
    started = time.perf_counter()
    result = completions_import(actor=None, partnership=PARTNERSHIP, file_name=os.path.basename(path), content=content)
    seconds = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"The benchmark file was refused: {result.problems[:5]} {result.unknown_organisations[:5]} {result.unknown_courses[:5]}")
    return {"seconds": seconds, "rows": result.rows, "added": result.added, "already_held": result.already_held}


def run_floor(path: str) -> dict:
    """The least any import of this file can cost here: parse it with the csv module and
    insert every row, once, in one transaction, into a table of the same columns."""
    content = open(path, "rb").read()
    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (learner varchar(200), email varchar(254), organisation varchar(300), course varchar(300), completed varchar(20))")
        cursor.executemany("INSERT INTO bench_floor VALUES (%s, %s, %s, %s, %s)", rows)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return {"seconds": seconds, "rows": len(rows)}


def run_report(out: str, slug: str = "durham") -> dict:
    from jigsaw.core.periods import FinancialYear
    from jigsaw.reports import build, services
    from jigsaw.reports.models import Report
    from jigsaw.training.models import Completion

    partnership = Partnership.objects.get(slug=slug)
    year = FinancialYear(2024)
    report = Report.objects.filter(partnership=partnership, year=year.label).order_by("-version").first() or services.report_create(actor=None, partnership=partnership, year=year.label)
    completions = Completion.objects.filter(partnership=partnership, completed_on__range=(year.start, year.end)).count()
    sections = list(report.sections.all())
    stages = {}
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        blocks = build.compute_blocks(report, build.report_block_names(sections))
        figures = build.figures_document(report, blocks, timezone.now())
        json.dumps(figures, ensure_ascii=False)
    stages["figures.json"] = time.perf_counter() - started
    figure_queries = len(queries)
    started = time.perf_counter()
    rendered = build.document_sections(sections, blocks)
    html = build.render_document(report, rendered, timezone.now(), medium="html")
    stages["HTML"] = time.perf_counter() - started
    os.makedirs(out, exist_ok=True)
    started = time.perf_counter()
    build.write_pdf(build.render_document(report, rendered, timezone.now(), medium="pdf"), Path(out) / "report.pdf")
    stages["PDF"] = time.perf_counter() - started
    started = time.perf_counter()
    build.write_docx(report, sections, blocks, timezone.now(), Path(out) / "report.docx")
    stages["Word"] = time.perf_counter() - started
    return {"stages": stages, "figure_queries": figure_queries, "blocks": len(blocks), "html_bytes": len(html), "completions": completions}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "csv":
        output = write_csv(int(args[0]), args[1], int(args[2]) if len(args) > 2 else 2022)
    elif command == "import":
        output = run_import(args[0])
    elif command == "floor":
        output = run_floor(args[0])
    elif command == "report":
        output = run_report(*args)
    else:
        raise SystemExit(__doc__)
    print(json.dumps(output))
