"""Financial years: the period the annual report, the budget and most counts are kept in."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A partnership's financial year, named by the calendar year it starts in ('2024-25')."""

    start_year: int
    start_month: int = 4

    @classmethod
    def parse(cls, label: str, start_month: int = 4) -> FinancialYear:
        match = re.fullmatch(r"(\d{4})(?:[-/](\d{2}|\d{4}))?", label.strip())
        if not match:
            raise ValueError(f"'{label}' is not a financial year: write it as 2024-25.")
        start = int(match.group(1))
        if match.group(2):
            end = int(match.group(2)) if len(match.group(2)) == 4 else (start // 100) * 100 + int(match.group(2))
            if end != start + 1:
                raise ValueError(f"'{label}' is not a financial year: the second year must follow the first.")
        return cls(start, start_month)

    @classmethod
    def containing(cls, day: datetime.date, start_month: int = 4) -> FinancialYear:
        return cls(day.year if day.month >= start_month else day.year - 1, start_month)

    @classmethod
    def of(cls, partnership, label: str) -> FinancialYear:
        return cls.parse(label, partnership.financial_year_start_month)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.start_year, self.start_month, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the year (inclusive)."""
        return FinancialYear(self.start_year + 1, self.start_month).start - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.start_month == 1:
            return str(self.start_year)
        return f"{self.start_year}-{str(self.start_year + 1)[-2:]}"

    @property
    def title(self) -> str:
        """As the report writes it: 2024/25."""
        return self.label.replace("-", "/")

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1, self.start_month)

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1, self.start_month)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def years_between(first: datetime.date | None, last: datetime.date | None, start_month: int = 4) -> list[FinancialYear]:
    """Every financial year from the one holding `first` to the one holding `last`, newest first."""
    if first is None or last is None:
        return []
    year, end = FinancialYear.containing(first, start_month), FinancialYear.containing(last, start_month)
    years = []
    while year <= end:
        years.append(year)
        year = year.next()
    return years[::-1]


@dataclass
class YearChoice:
    """The year a page shows and the years it offers: `{% year_picker year_choice %}` draws the picker."""

    year: FinancialYear
    years: list[FinancialYear]


def choose_year(
    request, partnership, years_with_data: list[FinancialYear], today: datetime.date | None = None
) -> YearChoice:
    """The year in ?year= when it is one of the offered years; else the latest year with data that
    has ended (a year's figures are read once it is over, as the annual report reads them), else
    the latest with data, else the current year. The offered years are those with data plus the
    current one, newest first, so a page never opens on an empty year while a full one exists."""
    start_month = partnership.financial_year_start_month
    today = today or datetime.date.today()
    current = FinancialYear.containing(today, start_month)
    offered = sorted(set(years_with_data) | {current}, reverse=True)
    label = request.GET.get("year", "") if request is not None else ""
    try:
        asked = FinancialYear.parse(label, start_month) if label else None
    except ValueError:
        asked = None
    if asked is not None:
        if asked not in offered:
            offered = sorted({*offered, asked}, reverse=True)
        return YearChoice(asked, offered)
    ended = [y for y in years_with_data if y.end < today]
    default = max(ended) if ended else (max(years_with_data) if years_with_data else current)
    return YearChoice(default, offered)
