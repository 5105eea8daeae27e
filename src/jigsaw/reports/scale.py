"""Generated annual reports for `jigsaw demo --scale`: a draft report for each year, started
from the template with every data block, ready to build (the benchmark builds them)."""

from __future__ import annotations

from jigsaw.core.scale import Context, generator

from . import services
from .models import Report


@generator
def annual_report(ctx: Context) -> None:
    if not Report.objects.filter(partnership=ctx.partnership, year=ctx.year.label).exists():
        services.report_create(actor=None, partnership=ctx.partnership, year=ctx.year.label)
        ctx.add("annual reports")
