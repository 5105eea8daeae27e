"""The statutory clocks of Working Together to Safeguard Children 2023.

Counted in working days, England and Wales bank holidays excluded (from the maintained
`holidays` calendar, which knows Easter and the substitute days when Christmas falls at a
weekend). The day the local authority became aware is day 0, so 'within 5 working days' is
the fifth working day after it.

- notification to the national panel: 5 working days after becoming aware;
- rapid review completed and sent to the national panel: 15 working days after becoming aware;
- local child safeguarding practice review published: 6 calendar months after the decision
  to commission it.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import holidays
from django.db import models
from django.utils import timezone

from jigsaw.core.dates import add_months

NOTIFICATION_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15
PUBLICATION_MONTHS = 6
DASHBOARD_WORKING_DAYS = 10


@functools.lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales share their bank holidays; subdivision ENG is that calendar.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`th working day after `start` (start itself is day 0, whatever day it is)."""
    day = start
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def notification_due(aware_on: datetime.date) -> datetime.date:
    return add_working_days(aware_on, NOTIFICATION_WORKING_DAYS)


def rapid_review_due(aware_on: datetime.date) -> datetime.date:
    return add_working_days(aware_on, RAPID_REVIEW_WORKING_DAYS)


def publication_due(commissioned_on: datetime.date) -> datetime.date:
    return add_months(commissioned_on, PUBLICATION_MONTHS)


class ClockState(models.TextChoices):
    DUE = "due", "Due"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    DONE = "done", "Done"
    DONE_LATE = "done_late", "Done late"


# GOV.UK tag colours for each state.
TAG_CLASSES = {
    ClockState.DUE: "govuk-tag--blue",
    ClockState.DUE_TODAY: "govuk-tag--yellow",
    ClockState.OVERDUE: "govuk-tag--red",
    ClockState.DONE: "govuk-tag--green",
    ClockState.DONE_LATE: "govuk-tag--orange",
}


def state(due: datetime.date, done_on: datetime.date | None, today: datetime.date | None = None) -> ClockState:
    if done_on is not None:
        return ClockState.DONE if done_on <= due else ClockState.DONE_LATE
    today = today or timezone.localdate()
    if today < due:
        return ClockState.DUE
    return ClockState.DUE_TODAY if today == due else ClockState.OVERDUE


@dataclass(frozen=True)
class Clock:
    """One statutory step of one review: when it is due, when it was done, and so its state."""

    name: str  # notification, rapid_review, publication
    label: str
    due: datetime.date
    done_on: datetime.date | None
    today: datetime.date | None = None

    @property
    def state(self) -> ClockState:
        return state(self.due, self.done_on, self.today)

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.state]

    @property
    def is_open(self) -> bool:
        return self.done_on is None
