"""Calendar arithmetic every capability shares, so a date rule is computed one way everywhere."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TypeVar

from dateutil.relativedelta import relativedelta

K = TypeVar("K")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later (or earlier, when negative); the month's last day when
    it is shorter: 31 Aug + 6 is 28 Feb (29 in a leap year), 31 Jan + 1 is 28 Feb."""
    return day + relativedelta(months=months)


def review_dates(start: datetime.date, schedule: Mapping[K, int]) -> dict[K, datetime.date]:
    """When each review in `schedule` (kind → months) falls due after `start`, by `add_months`: an action
    completed on 31 Aug owes its 6-month review on 28 Feb and its 12-month review on 31 Aug."""
    return {kind: add_months(start, months) for kind, months in schedule.items()}
