"""Charts: a Vega-Lite spec (built with Altair) plus the table and sentence it stands for.

The same spec is drawn on the page by vega-embed and rendered to SVG by vl-convert for the PDF
and Word report, so what a reader sees is one chart everywhere. A chart is never the only
carrier of its figures: the template always prints the summary and the table.

    chart = Chart(title="Completions by mode", spec=altair_chart.to_dict(), table=Table(...), summary="...")
    {% chart chart %}   (built-in tag: jigsaw.core.templatetags.records)
"""

from __future__ import annotations

from dataclasses import dataclass

from jigsaw.reports.blocks import Table


@dataclass
class Chart:
    title: str
    spec: dict
    table: Table
    summary: str = ""

    @property
    def dom_id(self) -> str:
        return "chart-" + "".join(c if c.isalnum() else "-" for c in self.title.lower())[:60]
