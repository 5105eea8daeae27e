"""The regional comparison page's cost: wall time, CPU time and queries per request, as a member of
Durham, against the database in DATABASE_URL (the demo, with `jigsaw demo --scale N` partnerships
in the North East region).

    python benchmarks/regional.py                      the region as it is
    python benchmarks/regional.py --members 150        first top the region up to 150 partnerships

--members adds partnerships (named 'Bench NNN') to the region, each sharing the figures of one of
the generated partnerships already in it, copied with a small random change: generating 150
partnerships takes hours, and the page reads only the shared figure rows, so their number and
shape, not the records behind them, is what the page's cost depends on. They are left in place.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigsaw.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from jigsaw.core import services as core_services  # noqa: E402
from jigsaw.core.models import Partnership, User  # noqa: E402
from jigsaw.governance import services  # noqa: E402
from jigsaw.governance.models import Region, RegionalFigure, RegionMembership  # noqa: E402


def top_up(region: Region, members: int) -> None:
    have = RegionMembership.objects.filter(region=region).count()
    models = list(
        RegionMembership.objects.filter(region=region, partnership__slug__startswith="scale-").select_related(
            "partnership"
        )
    ) or list(RegionMembership.objects.filter(region=region).select_related("partnership"))
    rng = random.Random(7)
    for n in range(have, members):
        model = models[n % len(models)]
        with transaction.atomic():
            partnership = core_services.partnership_create(
                name=f"Bench Partnership {n:03d}", slug=f"bench-{n:03d}", area=f"Bench {n:03d}"
            )
            membership = services.region_join(
                actor=None, partnership=partnership, region=region, shared=model.shared, workforce=model.workforce
            )
            rows = [
                RegionalFigure(
                    partnership=partnership,
                    region=region,
                    family=figure.family,
                    label=figure.label,
                    position=figure.position,
                    value=None
                    if figure.value is None
                    else (figure.value * Decimal(rng.uniform(0.8, 1.2))).quantize(Decimal("0.1")),
                    year=figure.year,
                    computed_at=figure.computed_at,
                )
                for figure in RegionalFigure.objects.filter(partnership=model.partnership, region=region)
            ]
            RegionalFigure.objects.bulk_create(rows)
            RegionMembership.objects.filter(pk=membership.pk).update(
                computed_at=model.computed_at, computed_year=model.computed_year
            )


def measure(path: str, repeat: int = 7) -> dict:
    client = Client()
    client.force_login(User.objects.get(email="member@durham.example"))
    client.get(path)  # the first request warms imports and caches
    walls, cpus, queries = [], [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, response.status_code
        queries.append(len(captured))
    return {
        "wall_ms": round(statistics.median(walls) * 1000),
        "cpu_ms": round(statistics.median(cpus) * 1000),
        "queries": max(queries),
        "bytes": len(response.content),
    }


def main(argv: list[str]) -> None:
    region = Region.objects.get(slug="north-east")
    if "--members" in argv:
        top_up(region, int(argv[argv.index("--members") + 1]))
    durham = Partnership.objects.get(slug="durham")
    members = RegionMembership.objects.filter(region=region).count()
    figures = RegionalFigure.objects.filter(region=region).count()
    print(f"{members} partnerships in {region}, {figures} shared figure rows; load {os.getloadavg()[0]:.1f}")
    for name, path in (
        ("page", f"/{durham.slug}/governance/region/"),
        ("CSV", f"/{durham.slug}/governance/region/download/"),
        ("API (first page)", f"/api/partnerships/{durham.slug}/governance/regional-figures/"),
    ):
        print(f"{name}: {measure(path)}")


if __name__ == "__main__":
    main(sys.argv[1:])
