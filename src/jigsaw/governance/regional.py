"""The regional comparison: each kind of aggregate figure a partnership may share with its region,
computed from the partnership's own figures (the registry the annual report reads) for one year.

Only these aggregates cross: a label and a number per figure, never a record. Each function takes
the partnership, its region membership and the year, and returns [(label, value)] in the order a
reader compares them; a figure the partnership has no data for is left out, not shown as zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from jigsaw.core.figures import build_named
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access

from .models import RegionalFigureFamily as Family

ONE_DP = Decimal("0.1")


def _rate(part, whole, per: int) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * per / Decimal(whole)).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def indicators(partnership, membership, year: FinancialYear) -> list[tuple[str, Decimal | None]]:
    """Each indicator the partnership measures per 10,000 children, by its code and title."""
    from jigsaw.performance.models import Indicator, Unit

    figures = build_named(["performance.indicators"], partnership, year)["performance.indicators"].figures
    rates = Indicator.objects.restrict(Access.for_report(partnership)).filter(unit=Unit.RATE, is_active=True)
    return [
        (f"{indicator.code}: {indicator.title}", _number(figures.get(f"performance.indicator.{indicator.code}")))
        for indicator in rates.order_by("code")
        if f"performance.indicator.{indicator.code}" in figures
    ]


def self_assessment(partnership, membership, year: FinancialYear) -> list[tuple[str, Decimal | None]]:
    figures = build_named(["assurance.self_assessment"], partnership, year)["assurance.self_assessment"].figures
    if not figures:
        return []
    rows = [("Section 11 return rate (%)", _number(figures.get("assurance.self_assessment.return_rate_pct")))]
    by_section = figures.get("assurance.self_assessment.green_pct_by_section") or {}
    rows += [(f"Section 11 green: {title} (%)", _number(pct)) for title, pct in sorted(by_section.items())]
    return rows


def training(partnership, membership, year: FinancialYear) -> list[tuple[str, Decimal | None]]:
    block = build_named(["training.completions.total"], partnership, year)["training.completions.total"]
    total = block.figures.get("training.completions.total")
    return [("Training completions per 1,000 of the workforce", _rate(total, membership.workforce, 1000))]


def clocks(partnership, membership, year: FinancialYear) -> list[tuple[str, Decimal | None]]:
    """Notifications made within 5 working days and rapid reviews completed within 15 working days
    of the local authority becoming aware, of those made or completed in the year (%)."""
    from jigsaw.learning import clocks as working_days
    from jigsaw.learning.models import CaseReview

    reviews = CaseReview.objects.restrict(Access.for_report(partnership))
    notified = reviews.filter(notified_on__range=(year.start, year.end)).values_list("aware_on", "notified_on")
    completed = reviews.filter(rapid_review_completed_on__range=(year.start, year.end)).values_list(
        "aware_on", "rapid_review_completed_on"
    )
    notified, completed = list(notified), list(completed)
    on_time_notified = sum(1 for aware, done in notified if done <= working_days.notification_due(aware))
    on_time_reviews = sum(1 for aware, done in completed if done <= working_days.rapid_review_due(aware))
    return [
        ("Notifications within 5 working days (%)", _rate(on_time_notified, len(notified), 100)),
        ("Rapid reviews within 15 working days (%)", _rate(on_time_reviews, len(completed), 100)),
    ]


def actions(partnership, membership, year: FinancialYear) -> list[tuple[str, Decimal | None]]:
    figures = build_named(["actions.log.by_status"], partnership, year)["actions.log.by_status"].figures
    return [
        (
            "Actions raised in the year now assured (%)",
            _rate(figures.get("actions.log.assured"), figures.get("actions.log.raised"), 100),
        )
    ]


FAMILIES = {
    Family.INDICATORS: indicators,
    Family.SELF_ASSESSMENT: self_assessment,
    Family.TRAINING: training,
    Family.CLOCKS: clocks,
    Family.ACTIONS: actions,
}
