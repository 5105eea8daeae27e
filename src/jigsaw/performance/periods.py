"""Reporting periods of an indicator: a month, a quarter of the financial year, or a year.

A return is stored against the first day of its period; the indicator's frequency says how long
the period is. Quarters are the partnership's financial quarters, as the report writes them:
'Q1 2024/25' is April to June 2024.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from jigsaw.core.dates import add_months
from jigsaw.core.periods import FinancialYear

MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    frequency: str = QUARTERLY
    start_month: int = 4  # the partnership's financial year

    @property
    def months(self) -> int:
        return {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}[self.frequency]

    @property
    def end(self) -> datetime.date:
        """The last day of the period (inclusive)."""
        return add_months(self.start, self.months) - datetime.timedelta(days=1)

    @property
    def year(self) -> FinancialYear:
        return FinancialYear.containing(self.start, self.start_month)

    @property
    def quarter(self) -> int:
        return ((self.start.month - self.start_month) % 12) // 3 + 1

    @property
    def label(self) -> str:
        if self.frequency == MONTHLY:
            return f"{calendar.month_name[self.start.month]} {self.start.year}"
        if self.frequency == QUARTERLY:
            return f"Q{self.quarter} {self.year.title}"
        return self.year.title

    @property
    def key(self) -> str:
        """For web addresses and files: 2024-25-Q1, 2024-04, 2024-25."""
        if self.frequency == MONTHLY:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.frequency == QUARTERLY:
            return f"{self.year.label}-Q{self.quarter}"
        return self.year.label

    def __str__(self) -> str:
        return self.label

    def is_aligned(self) -> bool:
        """Does the period start where a period of its frequency starts?"""
        if self.start.day != 1:
            return False
        return ((self.start.month - self.start_month) % self.months) == 0

    def previous(self) -> Period:
        return Period(add_months(self.start, -self.months), self.frequency, self.start_month)

    def next(self) -> Period:
        return Period(add_months(self.start, self.months), self.frequency, self.start_month)

    def a_year_earlier(self) -> Period:
        return Period(add_months(self.start, -12), self.frequency, self.start_month)

    @classmethod
    def containing(cls, day: datetime.date, frequency: str, start_month: int = 4) -> Period:
        months = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}[frequency]
        year_start = FinancialYear.containing(day, start_month).start
        offset = ((day.year - year_start.year) * 12 + day.month - year_start.month) // months * months
        return cls(add_months(year_start, offset), frequency, start_month)

    @classmethod
    def in_year(cls, year: FinancialYear, frequency: str) -> list[Period]:
        first = cls(year.start, frequency, year.start_month)
        periods = [first]
        while periods[-1].next().start <= year.end:
            periods.append(periods[-1].next())
        return periods

    @classmethod
    def parse(cls, text: str, frequency: str, start_month: int = 4) -> Period:
        """Read a period as people write it: 'Q1 2024/25', '2024-25 Q1', '2024-25-Q1',
        'April 2024', '2024-04', '2024/25'. Raises ValueError saying what is expected."""
        raw = " ".join(str(text).replace("_", " ").split())
        if frequency == QUARTERLY:
            match = re.fullmatch(r"(?i)q([1-4])[ -]?(\d{4}[-/]\d{2,4})|(\d{4}[-/]\d{2,4})[ -]?q([1-4])", raw)
            if not match:
                raise ValueError(f"'{text}' is not a quarter: write it as Q1 2024/25.")
            quarter = int(match.group(1) or match.group(4))
            year = FinancialYear.parse((match.group(2) or match.group(3)).replace("/", "-"), start_month)
            return cls(add_months(year.start, (quarter - 1) * 3), frequency, start_month)
        if frequency == MONTHLY:
            match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
            if match and 1 <= int(match.group(2)) <= 12:
                return cls(datetime.date(int(match.group(1)), int(match.group(2)), 1), frequency, start_month)
            match = re.fullmatch(r"([A-Za-z]+) (\d{4})", raw)
            if match and match.group(1).lower() in MONTHS:
                return cls(
                    datetime.date(int(match.group(2)), MONTHS[match.group(1).lower()], 1), frequency, start_month
                )
            raise ValueError(f"'{text}' is not a month: write it as April 2024 or 2024-04.")
        try:
            year = FinancialYear.parse(raw.replace("/", "-"), start_month)
        except ValueError:
            raise ValueError(f"'{text}' is not a financial year: write it as 2024/25.") from None
        return cls(year.start, frequency, start_month)


def quarters_back(day: datetime.date, count: int, start_month: int = 4) -> list[Period]:
    """The last `count` quarters that have ended by `day`, latest first (for choosing a pack)."""
    latest = Period.containing(day, QUARTERLY, start_month).previous()
    periods = [latest]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods
