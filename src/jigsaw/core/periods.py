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
