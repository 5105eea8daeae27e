"""The statutory clocks with real dates: weekends, Christmas 2024, Easter 2025, bank-holiday Mondays."""

from __future__ import annotations

import datetime

import pytest

from jigsaw.learning import clocks
from jigsaw.learning.clocks import ClockState

D = datetime.date


@pytest.mark.parametrize(
    ("aware", "due"),
    [
        (D(2024, 6, 3), D(2024, 6, 10)),  # Monday: five working days later is the next Monday
        (D(2024, 6, 7), D(2024, 6, 14)),  # Friday: the weekend does not count
        (D(2024, 6, 8), D(2024, 6, 14)),  # aware on a Saturday: day 1 is the Monday
        (D(2024, 12, 20), D(2024, 12, 31)),  # Christmas Day and Boxing Day skipped
        (D(2024, 12, 24), D(2025, 1, 3)),  # Christmas Eve is a working day; the 25th, 26th and 1st are not
        (D(2025, 4, 15), D(2025, 4, 24)),  # Good Friday 18 April and Easter Monday 21 April 2025 skipped
        (D(2024, 5, 24), D(2024, 6, 3)),  # Spring bank holiday Monday 27 May 2024 skipped
        (D(2024, 8, 23), D(2024, 9, 2)),  # Late summer bank holiday Monday 26 August 2024 skipped
        (D(2026, 12, 23), D(2027, 1, 4)),  # Boxing Day 2026 is a Saturday: its substitute Monday 28th is skipped
    ],
)
def test_notification_is_due_five_working_days_after_awareness(aware, due):
    assert clocks.notification_due(aware) == due


@pytest.mark.parametrize(
    ("aware", "due"),
    [
        (D(2024, 6, 3), D(2024, 6, 24)),  # three calendar weeks
        (D(2024, 12, 16), D(2025, 1, 9)),  # across Christmas and New Year 2024
        (D(2025, 4, 7), D(2025, 4, 30)),  # across Easter 2025
        (D(2025, 5, 1), D(2025, 5, 23)),  # across the early May bank holiday (5 May 2025)
    ],
)
def test_rapid_review_is_due_fifteen_working_days_after_awareness(aware, due):
    assert clocks.rapid_review_due(aware) == due


@pytest.mark.parametrize(
    ("commissioned", "due"),
    [
        (D(2025, 1, 15), D(2025, 7, 15)),
        (D(2024, 8, 31), D(2025, 2, 28)),  # no 31 February: the month's last day
        (D(2023, 8, 31), D(2024, 2, 29)),  # a leap year
        (D(2024, 10, 1), D(2025, 4, 1)),  # across the year end
    ],
)
def test_practice_review_publication_is_due_six_calendar_months_after_commissioning(commissioned, due):
    assert clocks.publication_due(commissioned) == due


def test_bank_holidays_are_not_working_days():
    for holiday in (
        D(2024, 12, 25),
        D(2024, 12, 26),
        D(2025, 1, 1),
        D(2025, 4, 18),
        D(2025, 4, 21),
        D(2025, 5, 26),
        D(2025, 8, 25),
    ):
        assert not clocks.is_working_day(holiday), holiday
    assert clocks.is_working_day(D(2024, 12, 24))
    assert not clocks.is_working_day(D(2024, 12, 28))  # a Saturday
    assert clocks.working_days_between(D(2024, 12, 20), D(2025, 1, 2)) == 6


def test_states():
    due = D(2025, 1, 9)
    assert clocks.state(due, None, today=D(2025, 1, 8)) == ClockState.DUE
    assert clocks.state(due, None, today=due) == ClockState.DUE_TODAY
    assert clocks.state(due, None, today=D(2025, 1, 10)) == ClockState.OVERDUE
    assert clocks.state(due, D(2025, 1, 9), today=D(2025, 3, 1)) == ClockState.DONE
    assert clocks.state(due, D(2025, 1, 10), today=D(2025, 3, 1)) == ClockState.DONE_LATE
    assert ClockState.DONE_LATE.label == "Done late" and ClockState.DUE_TODAY.label == "Due today"
