"""The rules the think tank reads indicators by: RAG against target, and direction of travel.

Pure functions of numbers, so the rules are tested with real figures and used the same way by
pages, the pack, the API and the annual report's figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from .models import Polarity


class Rag(str, Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_RATED = "not_rated"

    @property
    def label(self) -> str:
        return {"green": "Green", "amber": "Amber", "red": "Red", "not_rated": "Not rated"}[self.value]

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour that shows it."""
        return {"green": "green", "amber": "orange", "red": "red", "not_rated": "grey"}[self.value]


def rag(value, target, tolerance, polarity: str) -> Rag:
    """Green when the target is met; amber when short of it by no more than the tolerance;
    red beyond that. An indicator with no target, or where neither direction is better, or with
    no value, is not rated."""
    if value is None or target is None or polarity == Polarity.NEUTRAL:
        return Rag.NOT_RATED
    value, target, tolerance = Decimal(value), Decimal(target), Decimal(tolerance or 0)
    shortfall = target - value if polarity == Polarity.HIGHER else value - target
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= tolerance:
        return Rag.AMBER
    return Rag.RED


class Direction(str, Enum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    UP = "up"  # neither direction is better: just say which way it moved
    DOWN = "down"
    NO_COMPARISON = "no_comparison"

    @property
    def label(self) -> str:
        return {
            "improving": "Improving",
            "worsening": "Worsening",
            "no_change": "No change",
            "up": "Up",
            "down": "Down",
            "no_comparison": "No earlier figure",
        }[self.value]

    @property
    def tag_colour(self) -> str:
        return {"improving": "green", "worsening": "red"}.get(self.value, "grey")


def direction(current, earlier, polarity: str) -> Direction:
    """Which way a figure has moved since an earlier one, read with the indicator's polarity."""
    if current is None or earlier is None:
        return Direction.NO_COMPARISON
    current, earlier = Decimal(current), Decimal(earlier)
    if current == earlier:
        return Direction.NO_CHANGE
    went_up = current > earlier
    if polarity == Polarity.NEUTRAL:
        return Direction.UP if went_up else Direction.DOWN
    return Direction.IMPROVING if went_up == (polarity == Polarity.HIGHER) else Direction.WORSENING


def change_percent(current, earlier) -> float | None:
    """The change as a percentage of the earlier figure (27% for 120 → 152), or None."""
    if current is None or earlier is None or Decimal(earlier) == 0:
        return None
    return float((Decimal(current) - Decimal(earlier)) * 100 / Decimal(earlier))


@dataclass
class Reading:
    """One indicator read for one period: its figure, RAG and both directions of travel."""

    indicator: object
    period: object
    value: Decimal | None
    previous: Decimal | None
    last_year: Decimal | None
    rag: Rag
    since_previous: Direction
    since_last_year: Direction
    commentary: list[tuple[str, str]]  # (agency, commentary)
    quality_concerns: list[str]  # agencies that flagged the figure


def read(indicator, period, series: dict) -> Reading:
    """Read `indicator` for `period` from its series ({period_start: PeriodFigure})."""
    now = series.get(period.start)
    before = series.get(period.previous().start)
    year_ago = series.get(period.a_year_earlier().start)
    value = now.value if now else None
    previous = before.value if before else None
    last_year = year_ago.value if year_ago else None
    return Reading(
        indicator=indicator,
        period=period,
        value=value,
        previous=previous,
        last_year=last_year,
        rag=rag(value, indicator.target, indicator.tolerance, indicator.polarity),
        since_previous=direction(value, previous, indicator.polarity),
        since_last_year=direction(value, last_year, indicator.polarity),
        commentary=now.commentary if now else [],
        quality_concerns=now.quality_concerns if now else [],
    )
