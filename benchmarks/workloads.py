"""The measured workloads, each run in its own process inside a benchmark database (so its
peak RSS is its own). Prints one JSON object.

    python benchmarks/workloads.py csv ROWS FILE [YEAR]   write a completions export
    python benchmarks/workloads.py import FILE            the real import path
    python benchmarks/workloads.py floor FILE             csv module + one bulk insert
    python benchmarks/workloads.py report OUT [SLUG]      the report build, stage by stage (default: durham)
    python benchmarks/workloads.py pages [SLUG]           each main page's median server time and queries, per role
    python benchmarks/workloads.py figures [SLUG]         figures.json computed (cache emptied) and then from the cache
    python benchmarks/workloads.py floor-indexed FILE     csv module + one insert into a copy of the completions table with its indexes
    python benchmarks/workloads.py partnerships           how many partnerships (and generated ones) the database holds
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
            writer.writerow(
                [
                    f"Learner {who:06d}",
                    f"learner{who:06d}@bench.example",
                    organisations[who % len(organisations)],
                    courses[course],
                    (start + datetime.timedelta(days=day)).strftime("%d/%m/%Y"),
                ]
            )
    return {"rows": rows, "bytes": os.path.getsize(path)}


def run_import(path: str) -> dict:
    from jigsaw.training.imports import completions_import

    content = open(path, "rb").read()
    started, started_cpu = time.perf_counter(), time.process_time()
    result = completions_import(actor=None, partnership=PARTNERSHIP, file_name=os.path.basename(path), content=content)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    if not result.ok:
        raise SystemExit(
            f"The benchmark file was refused: {result.problems[:5]} {result.unknown_organisations[:5]} {result.unknown_courses[:5]}"
        )
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rows": result.rows,
        "added": result.added,
        "already_held": result.already_held,
    }


def run_floor(path: str) -> dict:
    """The least any import of this file can cost here: parse it with the csv module and
    insert every row, once, in one transaction, into a table of the same columns."""
    content = open(path, "rb").read()
    started, started_cpu = time.perf_counter(), time.process_time()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_floor (learner varchar(200), email varchar(254), organisation varchar(300), course varchar(300), completed varchar(20))"
        )
        cursor.executemany("INSERT INTO bench_floor VALUES (%s, %s, %s, %s, %s)", rows)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": len(rows)}


PAGE_ROLES = {"business unit": "business.unit", "agency lead": "agency.lead", "practitioner": "practitioner"}


def main_pages(slug: str) -> dict[str, str]:
    """The main pages of each role (home, lists, analysis, charts, the report editor) by label."""
    from django.apps import apps
    from django.urls import reverse

    def pk(label):
        return (
            apps.get_model(label)
            ._base_manager.filter(**({"partnership__slug": slug} if label != "core.Partnership" else {}))
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )

    report = pk("reports.Report")
    indicator = pk("performance.Indicator")
    pages = {
        "home": reverse("core:partnership", args=[slug]),
        "people": reverse("core:people", args=[slug]),
        "agencies": reverse("core:agencies", args=[slug]),
        "audit trail": reverse("core:audit", args=[slug]),
        "learning log, filtered": reverse("actions:list", args=[slug]) + "?status=open",
        "case reviews": reverse("learning:reviews", args=[slug]),
        "training": reverse("training:home", args=[slug]),
        "training analysis": reverse("training:analysis", args=[slug]),
        "courses": reverse("training:courses", args=[slug]),
        "indicators": reverse("performance:indicators", args=[slug]),
        "indicator chart": reverse("performance:indicator", args=[slug, indicator]) if indicator else None,
        "meetings": reverse("governance:meetings", args=[slug]),
        "procedures": reverse("policies:library", args=[slug]),
        "report editor": reverse("reports:report", args=[slug, report]) if report else None,
    }
    return {label: path for label, path in pages.items() if path}


def run_pages(slug: str = "durham", repeat: int = 15) -> dict:
    """Each main page, as each role that may open it: median server time over `repeat` requests
    (after one to warm the cache) and the queries of one request, through Django's own handler."""
    import statistics

    from django.test import Client
    from django.test.utils import override_settings

    from jigsaw.core.models import User

    results = {}
    pages = main_pages(slug)
    domain = "durham.example" if slug == "durham" else f"{slug}.example"
    with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
        for role, local in PAGE_ROLES.items():
            user = (
                User.objects.filter(email=f"{local}@{domain}").first()
                or User.objects.filter(email__startswith=local.split(".")[0], email__endswith=domain).first()
            )
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            for label, path in pages.items():
                if client.get(path).status_code != 200:  # the warm-up; a page this role may not open is left out
                    continue
                queries = []  # counted by a wrapper: each request resets Django's own query log
                with connection.execute_wrapper(
                    lambda execute, sql, *args, queries=queries: queries.append(sql) or execute(sql, *args)
                ):
                    client.get(path)
                times, cpu = [], []
                for _ in range(repeat):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    client.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                # CPU time too: on a shared machine the wall time includes waiting for a core.
                results[f"{role}: {label}"] = {
                    "median_ms": statistics.median(times),
                    "median_cpu_ms": statistics.median(cpu),
                    "queries": len(queries),
                    "path": path,
                }
    return results


def run_figures(slug: str = "durham") -> dict:
    """figures.json of the 2024-25 report: computed with the cache emptied, then as the next
    request reads it (from the cache)."""
    from django.core.cache import cache

    from jigsaw.core.periods import FinancialYear
    from jigsaw.reports import build, services
    from jigsaw.reports.models import Report

    partnership = Partnership.objects.get(slug=slug)
    year = FinancialYear(2024)
    report = Report.objects.filter(partnership=partnership, year=year.label).order_by(
        "-version"
    ).first() or services.report_create(actor=None, partnership=partnership, year=year.label)
    names = build.report_block_names(list(report.sections.all()))
    out = {}
    for stage in ("computed", "cached"):
        if stage == "computed":
            cache.clear()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            json.dumps(build.figures_document(report, build.compute_blocks(report, names), timezone.now()))
        out[stage] = {"seconds": time.perf_counter() - started, "queries": len(queries)}
    return out


def run_floor_indexed(path: str) -> dict:
    """The floor on the real table's shape: parse with the csv module and insert every row, once,
    in one transaction, into a copy of the completions table with its indexes and unique
    constraint (no foreign keys: the ids are the file's own, numbered as read)."""
    from jigsaw.core.bulk import insert_rows  # noqa: F401  (the same insert path as the import: COPY on PostgreSQL)

    content = open(path, "rb").read()
    started, started_cpu = time.perf_counter(), time.process_time()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    learners, courses, categories = {}, {}, {}
    values = []
    for _learner, email, organisation, course, completed in rows:
        day, month, year = completed.split("/")
        values.append(
            (
                PARTNERSHIP.pk,
                learners.setdefault(email, len(learners) + 1),
                courses.setdefault(course, len(courses) + 1),
                f"{year}-{month}-{day}",
                categories.setdefault(organisation, len(categories) + 1),
                None,
            )
        )
    columns = "partnership_id, learner_id, course_id, completed_on, category_id, batch_id"
    with transaction.atomic(), connection.cursor() as cursor:
        _clone_completions_table(cursor, "bench_floor")
        if hasattr(cursor.cursor, "copy"):
            with cursor.cursor.copy(f"COPY bench_floor ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO bench_floor ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", values)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": len(rows)}


def _clone_completions_table(cursor, name: str) -> None:
    """The completions table's columns, indexes and unique constraint under another name."""
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE TABLE {name} (LIKE training_completion INCLUDING ALL)")
        return
    cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'training_completion' ORDER BY type DESC")
    statements = [row[0] for row in cursor.fetchall() if row[0]]
    for statement in statements:  # the table first ('table' sorts after 'index' descending), then its indexes
        statement = statement.replace('"training_completion"', f'"{name}"')
        if statement.startswith("CREATE TABLE"):
            statement = _without_foreign_keys(statement)
        else:
            statement = statement.replace('INDEX "', f'INDEX "{name}_', 1)
        cursor.execute(statement)


def _without_foreign_keys(create: str) -> str:
    import re

    return re.sub(r" REFERENCES \"[^\"]+\" \(\"id\"\) DEFERRABLE INITIALLY DEFERRED", "", create)


def run_report(out: str, slug: str = "durham") -> dict:
    from jigsaw.core.periods import FinancialYear
    from jigsaw.reports import build, services
    from jigsaw.reports.models import Report
    from jigsaw.training.models import Completion

    partnership = Partnership.objects.get(slug=slug)
    year = FinancialYear(2024)
    report = Report.objects.filter(partnership=partnership, year=year.label).order_by(
        "-version"
    ).first() or services.report_create(actor=None, partnership=partnership, year=year.label)
    completions = Completion.objects.filter(partnership=partnership, completed_on__range=(year.start, year.end)).count()
    sections = list(report.sections.all())
    stages = {}
    from django.core.cache import cache

    cache.clear()  # the figures computed, as after a change to the records (the cached read is `figures`)
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
    pdf_html = build.render_document(report, rendered, timezone.now(), medium="pdf")
    build.write_pdf(pdf_html, Path(out) / "report.pdf")
    stages["PDF"] = time.perf_counter() - started
    started = time.perf_counter()
    build.write_docx(report, sections, blocks, timezone.now(), Path(out) / "report.docx")
    stages["Word"] = time.perf_counter() - started
    # WeasyPrint alone on the final HTML: the floor of any PDF of this document.
    started = time.perf_counter()
    build.write_pdf(pdf_html, Path(out) / "floor.pdf")
    stages["WeasyPrint alone"] = time.perf_counter() - started
    return {
        "stages": stages,
        "figure_queries": figure_queries,
        "blocks": len(blocks),
        "html_bytes": len(html),
        "completions": completions,
    }


def count_partnerships() -> dict:
    from auditlog.models import LogEntry

    from jigsaw.training.models import Completion

    return {
        "partnerships": Partnership.objects.count(),
        "generated": Partnership.objects.filter(slug__startswith="scale-").count(),
        "completions": Completion._base_manager.count(),
        "audit_entries": LogEntry.objects.count(),
    }


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
    elif command == "pages":
        output = run_pages(args[0] if args else "durham", *(int(n) for n in args[1:2]))
    elif command == "figures":
        output = run_figures(*args)
    elif command == "partnerships":
        output = count_partnerships()
    elif command == "floor-indexed":
        output = run_floor_indexed(args[0])
    else:
        raise SystemExit(__doc__)
    print(json.dumps(output))
