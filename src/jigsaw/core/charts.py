"""Charts: a Vega-Lite spec (built with Altair) plus the table and sentence it stands for.

The same spec is drawn on the page by vega-embed and rendered to SVG by vl-convert for the PDF
and Word report, so what a reader sees is one chart everywhere. A chart is never the only
carrier of its figures: the template always prints the summary and the table.

    chart = Chart(title="Completions by mode", spec=altair_chart.to_dict(), table=Table(...), summary="...")
    {% chart chart %}   (built-in tag: jigsaw.core.templatetags.records)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jigsaw.core.figures import Table


@dataclass
class Chart:
    title: str
    spec: dict
    table: Table
    summary: str = ""
    # The charted figures, when the table shows them as text (1.19%, 12 days); else the table's.
    figures: list | None = None

    @property
    def has_data(self) -> bool:
        """Whether any figure is other than zero: no chart is drawn of nothing."""
        cells = self.figures if self.figures is not None else [cell for row in self.table.rows for cell in row[1:]]
        return any(isinstance(cell, (int, float, Decimal)) and not isinstance(cell, bool) and cell for cell in cells)

    @property
    def dom_id(self) -> str:
        return "chart-" + "".join(c if c.isalnum() else "-" for c in self.title.lower())[:60]


# Helpers for the charts most pages need. Each returns a Chart whose table carries the same
# figures, so a reader who cannot see the chart loses nothing. GOV.UK colours.
BLUE, RED, GREY = "#1d70b8", "#d4351c", "#505a5f"
WIDTH, HEIGHT = 560, 240


def line_chart(
    *,
    title: str,
    rows: list[dict],
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    target: float | None = None,
    target_label: str = "Target",
    summary: str = "",
    table: Table | None = None,
) -> Chart:
    """A series over periods (rows in order, x as ordinal labels), with an optional dashed
    target line: `line_chart(title=..., rows=[{"period": "Q1 2024/25", "value": 23}], x="period", y="value", ...)`."""
    arguments = json.dumps([title, rows, x, y, x_title, y_title, target, target_label])
    spec = json.loads(_line_spec(arguments))
    if table is None:
        columns = [x_title, y_title] + ([target_label] if target is not None else [])
        table = Table(
            columns=columns, rows=[[row[x], row[y]] + ([float(target)] if target is not None else []) for row in rows]
        )
    return Chart(title=title, spec=spec, table=table, summary=summary, figures=[row[y] for row in rows])


@lru_cache(maxsize=1024)
def _line_spec(arguments: str) -> str:
    """The line chart's Vega-Lite spec (as JSON) for its arguments (as JSON): Altair takes longer
    to build one than the rest of an indicator's page, and the same chart is asked for again and
    again until its figures change."""
    import altair as alt

    title, rows, x, y, x_title, y_title, target, target_label = json.loads(arguments)
    order = [row[x] for row in rows]
    line = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True, color=BLUE)
        .encode(
            x=alt.X(f"{x}:O", sort=order, title=x_title, axis=alt.Axis(labelAngle=0)), y=alt.Y(f"{y}:Q", title=y_title)
        )
    )
    layers = [line]
    if target is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"target": float(target), "label": target_label}]))
            .mark_rule(color=RED, strokeDash=[6, 4], strokeWidth=2)
            .encode(y="target:Q")
        )
    return json.dumps(alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=title).to_dict(validate=False))


def bar_chart(
    rows: list[dict],
    *,
    value: str,
    category: str,
    title: str,
    colour: str | None = None,
    order: list | None = None,
    value_title: str | None = None,
    category_title: str | None = None,
) -> dict:
    """Bars across the page, one a category (down the side, so long names read), longest first
    unless `order` gives the categories' order; `colour` groups them (side by side). Returns the
    Vega-Lite spec for a report block, whose table carries the same figures:
    `Block(table=..., chart=bar_chart(rows, value="Completions", category="Mode", title=...))`."""
    import altair as alt

    encoding = {
        "x": alt.X(f"{value}:Q", title=value_title or value),
        "y": alt.Y(f"{category}:N", title=category_title, sort=order or "-x"),
        "tooltip": [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q")]
        + ([alt.Tooltip(f"{colour}:N")] if colour else []),
    }
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N", title=colour)
        encoding["yOffset"] = alt.YOffset(f"{colour}:N")
    return (
        alt.Chart(alt.Data(values=rows), title=title)
        .mark_bar()
        .encode(**encoding)
        .properties(width=480)
        .to_dict(validate=False)
    )


def change_sentence(subject: str, before: int, before_label: str, now: int, now_label: str, unit: str = "") -> str:
    """A year-on-year comparison said as what happened: a rise, a fall, or no change.

    change_sentence("Completions", 12956, "2023/24", 17954, "2024/25")
    -> "Completions increased from 12,956 in 2023/24 to 17,954 in 2024/25, an increase of 38%."
    """
    unit = f" {unit}" if unit else ""
    if now == before:
        return f"{subject} stayed at {now:,}{unit} in both {before_label} and {now_label}."
    verb, noun = ("increased", "an increase") if now > before else ("fell", "a fall")
    sentence = f"{subject} {verb} from {before:,}{unit} in {before_label} to {now:,}{unit} in {now_label}"
    if before:
        sentence += (
            f", {noun} of {abs(now - before) * 100 // before}%"  # whole percent, rounded down as the report does
        )
    return sentence + "."


def to_svg(chart: Chart) -> str:
    """The chart as SVG, for PDF and Word documents (the same spec vega-embed draws on the page)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.spec)
