"""`make bench`: Jigsaw's speed and memory figures, each printed beside the baseline it is
measured against in the same run, on SQLite and on PostgreSQL.

Never part of `make test`. Bounded: BENCH_SECONDS (default 30) per load scenario, so a default
run of both databases stays under ten minutes.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
USERS = 20
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "jigsaw_bench"


@dataclass
class Figure:
    database: str
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    note: str = ""

    @property
    def ratio(self) -> str:
        if self.value is None or not self.baseline:
            return ""
        return f"{self.value / self.baseline:.2f}"


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str
    returncode: int


def run(args, env, *, check=True) -> Run:
    """Run a command to completion, with its wall time and its own peak RSS (wait4, not the
    children-wide maximum, so one figure is not inflated by another)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen([str(a) for a in args], env=env, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(elapsed, usage.ru_maxrss / 1024, out.read(), err.read(), process.returncode)
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_postgres() -> str | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable ({error}); measuring SQLite only.", file=sys.stderr)
        return None
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def environment(database_url: str, data_dir: Path) -> dict:
    return {
        **os.environ,
        "JIGSAW_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "JIGSAW_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "jigsaw.settings",
        "JIGSAW_ALLOW_UNSENT_EMAIL": "true",  # production's deploy check: a benchmark sends no email
    }


def get(url: str, session: str | None = None) -> int:
    headers = {"X-Forwarded-Proto": "https"}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Server:
    """The production server configuration: gunicorn as `jigsaw serve` starts it."""

    def __init__(self, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [BIN / "jigsaw", "serve", "--bind", f"127.0.0.1:{self.port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )

    def __enter__(self):
        deadline = time.time() + 120  # a loaded shared machine can take a minute to boot the workers
        while time.time() < deadline:
            try:
                if get(self.url + "/healthz") == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("The server did not start within 120 s.")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(url: str, paths: list[str], sessions: list[str], seconds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "paths").write_text("\n".join(paths) + "\n")
        (Path(tmp) / "sessions").write_text("\n".join(sessions) + "\n")
        env = {**os.environ, "BENCH_PATHS": f"{tmp}/paths", "BENCH_SESSIONS": f"{tmp}/sessions"}
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{USERS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(Path(__file__).with_name("load.lua")),
                url,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    stats["rps"] = stats["requests"] / stats["seconds"]
    return stats


def web_under_load(database: str, env) -> list[Figure]:
    prepared = json.loads(run([BIN / "python", Path(__file__).with_name("prepare.py"), USERS], env).stdout)
    pages, sessions = prepared["pages"], prepared["sessions"]
    figures = []
    with Server(env) as server:
        for label, path in pages.items():
            status = get(server.url + path, sessions[0])
            if status != 200:
                raise SystemExit(f"{label} ({path}) answered {status} before the load test; fix that first.")
        baseline = wrk(server.url, ["/healthz"], sessions, SECONDS)
        mix = wrk(server.url, list(pages.values()), sessions, SECONDS)
    note = f"{USERS} signed-in users, {SECONDS} s, {load()}, pages: {', '.join(pages)}"
    if prepared["missing"]:
        note += f" (not built yet: {', '.join(prepared['missing'])})"
    figures.append(
        Figure(
            database,
            "Web: main pages, requests/s",
            mix["rps"],
            "req/s",
            baseline["rps"],
            "trivial view (healthz), same server",
            note,
        )
    )
    for p in ("p50", "p95", "p99"):
        figures.append(
            Figure(database, f"Web: main pages, {p} latency", mix[f"{p}_ms"], "ms", baseline[f"{p}_ms"], "trivial view")
        )
    figures.append(
        Figure(
            database,
            "Web: errors (socket + non-2xx)",
            mix["errors"] + mix["non_2xx"],
            "count",
            baseline["errors"] + baseline["non_2xx"],
            "trivial view",
        )
    )
    return figures


def pages(database: str, env, slug: str = "durham", label: str = "") -> list[Figure]:
    """Each main page of each role on its own: median server time and its queries. The value is
    CPU time (the process's own, so SQLite's work is in it and PostgreSQL's server side is not):
    on a shared machine wall time also counts the time spent waiting for a core."""
    measured, _ = workload(env, "pages", slug)
    figures = [
        Figure(
            database,
            f"Page{label}: {name}",
            result["median_cpu_ms"],
            "ms CPU",
            None,
            "",
            f"{result['queries']} queries, wall {result['median_ms']:.0f} ms",
        )
        for name, result in measured.items()
    ]
    cpu = sorted(result["median_cpu_ms"] for result in measured.values())
    wall = sorted(result["median_ms"] for result in measured.values())
    figures.append(
        Figure(
            database,
            f"Pages{label}: median of the pages' CPU medians (target <= 20 ms)",
            cpu[len(cpu) // 2],
            "ms CPU",
            None,
            "",
            f"{len(cpu)} pages x roles; slowest {cpu[-1]:.0f} ms CPU; wall median {wall[len(wall) // 2]:.0f} ms ({load()})",
        )
    )
    return figures


def load() -> str:
    return "load " + os.getloadavg().__repr__().strip("()").split(",")[0]


IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
# The report is built for generated partnerships (`jigsaw demo --scale`): one at volume 1 (a
# large partnership's year, about 20,000 completions and evaluations) and one at GROWTH times it.
SCALE_GROWTH = float(os.environ.get("BENCH_SCALE_GROWTH", "10"))
SCALE_YEARS = int(os.environ.get("BENCH_SCALE_YEARS", "1"))
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
WORKLOADS = Path(__file__).with_name("workloads.py")
STAGES = ("figures.json", "HTML", "PDF", "Word")


def workload(env, *args) -> tuple[dict, Run]:
    result = run([BIN / "python", WORKLOADS, *args], env)
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def generate(env, partnerships: int, volume: float) -> Run:
    """Generated partnerships 1..`partnerships`: those already there are complete and are skipped,
    so each call adds one more, at `volume`."""
    return run(
        [
            BIN / "jigsaw",
            "demo",
            "--scale-only",
            "--quiet",
            "--scale",
            partnerships,
            "--years",
            SCALE_YEARS,
            "--volume",
            volume,
        ],
        env,
    )


def reports_at_scale(database: str, env, data_dir: Path) -> list[Figure]:
    """The 2024-25 report of a generated large partnership at 1x, then of one with GROWTH times
    the data, each stage side by side, with the queries figures.json takes (the same at both:
    no per-row queries)."""
    small_run = generate(env, 1, 1)
    small, small_report = workload(env, "report", data_dir / "report-1x", "scale-001")
    large_run = generate(env, 2, SCALE_GROWTH)
    large, large_report = workload(env, "report", data_dir / "report-10x", "scale-002")
    growth = f"{SCALE_GROWTH:g}x"
    years = f"{SCALE_YEARS} year{'s' if SCALE_YEARS > 1 else ''}"
    figures = [
        Figure(
            database,
            f"Generate a partnership ({years}) at {growth}",
            large_run.seconds,
            "s",
            small_run.seconds,
            "the same at 1x",
            f"peak RSS {large_run.peak_rss_mb:.0f} MB vs {small_run.peak_rss_mb:.0f} MB",
        )
    ]
    for stage in STAGES:
        note = (
            f"{large['completions']:,} vs {small['completions']:,} completions, {large['blocks']} data blocks"
            if stage == "figures.json"
            else ""
        )
        figures.append(
            Figure(
                database,
                f"Report build 2024-25 at {growth}: {stage}",
                large["stages"][stage],
                "s",
                small["stages"][stage],
                "the same at 1x",
                note,
            )
        )
    figures.append(
        Figure(
            database,
            f"figures.json queries at {growth}",
            large["figure_queries"],
            "queries",
            small["figure_queries"],
            "at 1x (must be equal)",
        )
    )
    for size, result in ((growth, large), ("1x", small)):
        whole = sum(result["stages"][stage] for stage in STAGES)
        figures.append(
            Figure(
                database,
                f"Whole report at {size} (figures, HTML, PDF, Word) / WeasyPrint alone (target <= 1.5)",
                whole,
                "s",
                result["stages"]["WeasyPrint alone"],
                "WeasyPrint's own HTML -> PDF of the final HTML",
            )
        )
    figures.append(
        Figure(
            database,
            f"Report build at {growth}: peak RSS",
            large_report.peak_rss_mb,
            "MB",
            small_report.peak_rss_mb,
            "at 1x",
        )
    )
    return figures


def import_completions(database: str, env, data_dir: Path) -> list[Figure]:
    """The year's file through the real import path, against the floor of the same machine."""
    figures = []
    export = data_dir / "completions.csv"
    workload(env, "csv", IMPORT_ROWS, export, 2024)
    floor, _ = workload(env, "floor", export)
    indexed, _ = workload(env, "floor-indexed", export)
    imported, import_run = workload(env, "import", export)
    assert imported["added"] > 0, imported
    figures.append(
        Figure(
            database,
            f"Import {IMPORT_ROWS:,} completions: rows/s",
            IMPORT_ROWS / imported["seconds"],
            "rows/s",
            IMPORT_ROWS / indexed["seconds"],
            "csv module + one insert into the completions table's shape (indexes, unique constraint)",
            f"{imported['seconds']:.1f} s vs floor {indexed['seconds']:.1f} s ({load()})",
        )
    )
    figures.append(
        Figure(
            database,
            "Import time / indexed floor time (target <= 2)",
            imported["seconds"] / indexed["seconds"],
            "x",
            # CPU of the importing process too: all of SQLite's work, only the client's on PostgreSQL.
            note=f"CPU {imported['cpu_seconds']:.1f} s vs {indexed['cpu_seconds']:.1f} s "
            f"({imported['cpu_seconds'] / indexed['cpu_seconds']:.1f}x)",
        )
    )
    figures.append(
        Figure(
            database,
            "Import time / no-index floor time",
            imported["seconds"] / floor["seconds"],
            "x",
            note=f"floor without indexes {floor['seconds']:.1f} s",
        )
    )
    figures.append(Figure(database, "Import: peak RSS", import_run.peak_rss_mb, "MB"))
    again, _ = workload(env, "import", export)
    figures.append(
        Figure(
            database,
            "Same file again (adds nothing)",
            again["seconds"],
            "s",
            imported["seconds"],
            "first import",
            f"{again['added']} added, {again['already_held']:,} already held",
        )
    )
    return figures


# The national run (PostgreSQL): the demo plus NATIONAL generated partnerships of NATIONAL_YEARS
# years. Volume 1 would take hours to generate on the benchmark machine, so a year is generated at
# NATIONAL_VOLUME (every report table still filled): about 3 s of CPU per partnership of 3 years,
# so the 150 take some 8 minutes on a quiet 2-core machine; BENCH_NATIONAL=0 skips the run.
NATIONAL = int(os.environ.get("BENCH_NATIONAL", "150"))
NATIONAL_YEARS = int(os.environ.get("BENCH_NATIONAL_YEARS", "3"))
NATIONAL_VOLUME = float(os.environ.get("BENCH_NATIONAL_VOLUME", "0.02"))


def national(database: str, env, alone: dict) -> list[Figure]:
    """Main pages under load and Durham's figures.json with NATIONAL partnerships in the database,
    against the same measured earlier in this run with Durham alone."""
    generated = run(
        [
            BIN / "jigsaw",
            "demo",
            "--scale-only",
            "--quiet",
            "--scale",
            NATIONAL,
            "--years",
            NATIONAL_YEARS,
            "--volume",
            NATIONAL_VOLUME,
        ],
        env,
    )
    counted, _ = workload(env, "partnerships")
    if counted["generated"] < NATIONAL:
        raise SystemExit(f"Only {counted['generated']} of {NATIONAL} partnerships were generated.")
    label = f"{counted['partnerships']} partnerships"
    figures = [
        Figure(
            database,
            f"Generate {NATIONAL} partnerships ({NATIONAL_YEARS} years, volume {NATIONAL_VOLUME:g})",
            generated.seconds,
            "s",
            note=f"{counted['partnerships']} partnerships in the database, {counted['completions']:,} completions, "
            f"{counted['audit_entries']:,} audit entries ({load()})",
        )
    ]
    web = web_under_load(database, env)
    figures.append(
        Figure(
            database,
            f"{label}: main pages requests/s (target >= 0.8x)",
            web[0].value,
            "req/s",
            alone["rps"],
            "Durham alone in the database",
            load(),
        )
    )
    computed, _ = workload(env, "figures", "durham")
    for stage in ("computed", "cached"):
        figures.append(
            Figure(
                database,
                f"{label}: Durham's figures.json {stage} (target <= 1.2x)",
                computed[stage]["seconds"],
                "s",
                alone["figures"][stage]["seconds"],
                "Durham alone",
                f"{computed[stage]['queries']} vs {alone['figures'][stage]['queries']} queries",
            )
        )
    figures += pages(database, env, "durham", f" ({label})")
    return figures


def bench_database(database: str, database_url: str | None) -> list[Figure]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"jigsaw-bench-{database.lower()}-"))
    try:
        env = environment(database_url or f"sqlite:///{data_dir}/jigsaw.sqlite3", data_dir)
        run([BIN / "jigsaw", "migrate", "--no-input", "--verbosity", "0"], env)
        run([BIN / "jigsaw", "collectstatic", "--no-input", "--verbosity", "0"], env)
        demo = run([BIN / "jigsaw", "demo"], env)
        figures = [
            Figure(database, "Demo partnership load", demo.seconds, "s", note=f"peak RSS {demo.peak_rss_mb:.0f} MB")
        ]
        web = web_under_load(database, env)
        figures += web
        alone, _ = workload(env, "figures", "durham")
        figures += [
            Figure(
                database,
                f"Durham's figures.json {stage}",
                alone[stage]["seconds"],
                "s",
                note=f"{alone[stage]['queries']} queries",
            )
            for stage in alone
        ]
        figures += pages(database, env)
        figures += reports_at_scale(database, env, data_dir)
        figures += import_completions(database, env, data_dir)
        if database == "PostgreSQL" and NATIONAL:
            figures += national(database, env, {"rps": web[0].value, "figures": alone})
        return figures
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    memory = (
        int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            )
        )
        / 1024
        / 1024
    )
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {sys.version.split()[0]}"


def print_table(figures: list[Figure]) -> None:
    header = ("Database", "Figure", "Value", "Unit", "Baseline", "Ratio", "Baseline is", "Note")
    rows = [
        (
            f.database,
            f.name,
            "n/a" if f.value is None else f"{f.value:,.2f}",
            f.unit,
            "" if f.baseline is None else f"{f.baseline:,.2f}",
            f.ratio,
            f.baseline_name,
            f.note,
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        print(
            "  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row[:-1]))
            + ("  " + row[-1] if row[-1] else "")
        )


def main() -> None:
    started = time.perf_counter()
    figures = []
    targets = [("SQLite", None)] if "sqlite" in DATABASES else []
    pg = fresh_postgres() if "postgresql" in DATABASES else None
    if pg:
        targets.append(("PostgreSQL", pg))
    for database, url in targets:
        print(f"== {database}", file=sys.stderr, flush=True)
        figures += bench_database(database, url)
    print(f"\nJigsaw benchmarks on {machine()}; {time.perf_counter() - started:.0f} s in all\n")
    print_table(figures)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps([f.__dict__ for f in figures], indent=2))


if __name__ == "__main__":
    main()
