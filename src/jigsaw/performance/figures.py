"""Report data blocks from performance returns (see jigsaw.core.figures)."""

from __future__ import annotations

from jigsaw.core.figures import Block, Table, block
from jigsaw.core.scoping import Access

from . import queries
from .models import Indicator


@block("performance.indicators", title="Performance indicators")
def indicators(partnership, year) -> Block:
    """Each indicator with its latest figure in the year, its RAG rating and its direction of travel."""
    access = Access.for_report(partnership)
    indicator_list = list(Indicator.objects.restrict(access).filter(is_active=True).select_related("partnership"))
    readings = queries.latest_readings(access, indicator_list, until=year.end)
    readings = [r for r in readings if r.value is not None and r.period.start >= year.start]
    rows, figures = [], {}
    for reading in readings:
        indicator = reading.indicator
        rows.append(
            [
                f"{indicator.code}: {indicator.title}",
                reading.period.label,
                queries._shown(indicator, reading.value),
                reading.rag.label,
                reading.since_previous.label,
                reading.since_last_year.label,
            ]
        )
        figures[f"performance.indicator.{indicator.code}"] = queries._number(reading.value)
    counts = queries.rag_counts(readings)
    figures["performance.indicators.rag_counts"] = counts
    summary = (
        f"{len(readings)} indicators returned in {year.title}: {counts['green']} green, {counts['amber']} amber, "
        f"{counts['red']} red and {counts['not_rated']} monitored without a target."
    )
    table = Table(
        columns=["Indicator", "Latest period", "Figure", "RAG", "Since previous period", "Since a year earlier"],
        rows=rows,
        numeric=[False, False, True, False, False, False],
    )
    return Block(table=table, figures=figures, summary=summary)
