"""The think tank's reading rules, with real figures: RAG against target with tolerance and
polarity, and direction of travel read with polarity."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jigsaw.performance.analysis import Direction, Rag, change_percent, direction, rag
from jigsaw.performance.models import Polarity
from jigsaw.performance.periods import ANNUAL, MONTHLY, QUARTERLY, Period


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (98.4, Rag.GREEN),  # MC-1 Q4 2024/25: 190 of 193 offered, target 95%
        (95, Rag.GREEN),  # exactly on target is met
        (92.1, Rag.AMBER),  # Q3 2023/24: short by 2.9, within the tolerance of 5
        (90, Rag.AMBER),  # short by exactly the tolerance
        (84.2, Rag.RED),  # Q1 2023/24: short by 10.8
    ],
)
def test_rag_when_higher_is_better(value, expected):
    assert rag(value, target=95, tolerance=5, polarity=Polarity.HIGHER) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (30, Rag.GREEN),  # DA-2 re-referrals in Q4 2023/24, target at most 32
        (32, Rag.GREEN),
        (36, Rag.AMBER),  # over by 4, the tolerance
        (37, Rag.RED),  # Q1 2024/25: over by 5
        (39, Rag.RED),
    ],
)
def test_rag_when_lower_is_better(value, expected):
    assert rag(Decimal(value), target=Decimal(32), tolerance=Decimal(4), polarity=Polarity.LOWER) is expected


def test_no_target_neutral_polarity_or_no_value_is_not_rated():
    assert rag(23, target=None, tolerance=0, polarity=Polarity.HIGHER) is Rag.NOT_RATED
    assert rag(23, target=20, tolerance=0, polarity=Polarity.NEUTRAL) is Rag.NOT_RATED
    assert rag(None, target=95, tolerance=5, polarity=Polarity.HIGHER) is Rag.NOT_RATED


def test_zero_tolerance_means_any_shortfall_is_red():
    assert rag(94.9, target=95, tolerance=0, polarity=Polarity.HIGHER) is Rag.RED


@pytest.mark.parametrize(
    ("current", "earlier", "polarity", "expected"),
    [
        (23, 14, Polarity.NEUTRAL, Direction.UP),  # CEVT scored children: 14 -> 23, neither way better
        (5, 12, Polarity.NEUTRAL, Direction.DOWN),  # criminal exploitation referrals 12 -> 5
        (152, 120, Polarity.LOWER, Direction.WORSENING),  # re-referrals up 27%: worse when lower is better
        (28, 30, Polarity.LOWER, Direction.IMPROVING),
        (87.9, 75, Polarity.HIGHER, Direction.IMPROVING),  # RHIs within 72 hours
        (60, 75, Polarity.HIGHER, Direction.WORSENING),
        (30, 30, Polarity.HIGHER, Direction.NO_CHANGE),
        (30, None, Polarity.HIGHER, Direction.NO_COMPARISON),
        (None, 30, Polarity.LOWER, Direction.NO_COMPARISON),
    ],
)
def test_direction_of_travel_reads_polarity(current, earlier, polarity, expected):
    assert direction(current, earlier, polarity) is expected


def test_change_percent_matches_the_report():
    assert round(change_percent(152, 120)) == 27  # 'an increase of 27% in re-referrals'
    assert change_percent(5, 0) is None


def test_quarters_are_financial_quarters():
    q1 = Period.parse("Q1 2024/25", QUARTERLY)
    assert q1.start == datetime.date(2024, 4, 1) and q1.end == datetime.date(2024, 6, 30)
    assert q1.label == "Q1 2024/25" and q1.key == "2024-25-Q1"
    assert Period.parse("2024-25-Q1", QUARTERLY) == q1 == Period.parse("2024/25 q1", QUARTERLY)
    assert q1.previous().label == "Q4 2023/24"
    assert q1.a_year_earlier().label == "Q1 2023/24"
    q4 = Period.parse("Q4 2024/25", QUARTERLY)
    assert q4.start == datetime.date(2025, 1, 1) and q4.year.label == "2024-25"
    assert Period.containing(datetime.date(2025, 2, 14), QUARTERLY) == q4


def test_months_and_years_parse_and_bad_periods_say_what_is_expected():
    assert Period.parse("April 2024", MONTHLY).start == datetime.date(2024, 4, 1)
    assert Period.parse("2024-04", MONTHLY).label == "April 2024"
    assert Period.parse("2024/25", ANNUAL).end == datetime.date(2025, 3, 31)
    with pytest.raises(ValueError, match="write it as Q1 2024/25"):
        Period.parse("Q5 2024/25", QUARTERLY)
    with pytest.raises(ValueError, match="not a month"):
        Period.parse("Smarch 2024", MONTHLY)
    assert not Period(datetime.date(2024, 5, 1), QUARTERLY).is_aligned()
