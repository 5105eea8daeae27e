"""Reads of indicators and returns, always through the scoping helper, in a fixed number of
queries whatever the number of indicators or returns."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from jigsaw.core.charts import Chart, line_chart
from jigsaw.core.figures import Table
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Action

from . import analysis
from .models import (
    COMPUTED_UNITS,
    RETURN_DUE_DAYS,
    DataQuality,
    Indicator,
    IndicatorValue,
    ThinkTankSession,
    ThinkTankTheme,
    Unit,
)
from .periods import QUARTERLY, Period


@dataclass
class PeriodFigure:
    """The partnership's figure for one indicator and period, from every agency's return:
    counts are added up, percentages and rates worked out again from the summed numerators
    and denominators, days averaged."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    returns: list = field(default_factory=list)
    commentary: list[tuple[str, str]] = field(default_factory=list)
    quality_concerns: list[str] = field(default_factory=list)


def _combine(indicator: Indicator, returns: list[IndicatorValue]) -> PeriodFigure:
    figure = PeriodFigure(returns=returns)
    if indicator.unit in COMPUTED_UNITS:
        figure.numerator = sum(r.numerator for r in returns)
        figure.denominator = sum(r.denominator for r in returns)
        if figure.denominator:
            figure.value = (figure.numerator * COMPUTED_UNITS[indicator.unit] / figure.denominator).quantize(
                Decimal("0.01")
            )
    elif indicator.unit == Unit.DAYS:
        figure.value = (sum(r.value for r in returns) / len(returns)).quantize(Decimal("0.1"))
    else:
        figure.value = sum(r.value for r in returns).quantize(Decimal("1"))
    figure.commentary = [(r.agency.name, r.commentary) for r in returns if r.commentary.strip()]
    figure.quality_concerns = [r.agency.name for r in returns if r.data_quality != DataQuality.CONFIRMED]
    return figure


def indicators(access, *, theme: str | None = None, priority=None, active_only: bool = True):
    queryset = Indicator.objects.restrict(access, Action.VIEW).select_related(
        "partnership", "priority", "source_agency"
    )
    if theme:
        queryset = queryset.filter(theme=theme)
    if priority is not None:
        queryset = queryset.filter(priority=priority)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset


def series(access, indicator_list) -> dict[int, dict[datetime.date, PeriodFigure]]:
    """{indicator id: {period start: PeriodFigure}} for the indicators, in one query."""
    by_id = {indicator.pk: indicator for indicator in indicator_list}
    grouped: dict[int, dict[datetime.date, list]] = defaultdict(lambda: defaultdict(list))
    values = (
        IndicatorValue.objects.restrict(access, Action.VIEW)
        .filter(indicator_id__in=list(by_id))
        .select_related("agency")
        .order_by("period_start", "agency__name")
    )
    for value in values:
        grouped[value.indicator_id][value.period_start].append(value)
    return {
        pk: {start: _combine(by_id[pk], returns) for start, returns in sorted(periods.items())}
        for pk, periods in grouped.items()
    }


def latest_readings(access, indicator_list, *, until: datetime.date | None = None) -> list[analysis.Reading]:
    """Each indicator at its latest returned period (up to `until`, when given)."""
    indicator_list = list(indicator_list)
    all_series = series(access, indicator_list)
    result = []
    for indicator in indicator_list:
        figures = all_series.get(indicator.pk, {})
        starts = [start for start in figures if until is None or start <= until]
        period = (
            indicator.period(max(starts))
            if starts
            else indicator.period(
                Period.containing(
                    timezone.localdate(), indicator.frequency, indicator.partnership.financial_year_start_month
                ).start
            )
        )
        result.append(analysis.read(indicator, period, figures if starts else {}))
    return result


def rag_counts(readings_list) -> dict[str, int]:
    counts = {rag.value: 0 for rag in analysis.Rag}
    for reading in readings_list:
        counts[reading.rag.value] += 1
    return counts


def _number(value) -> float | int | None:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def indicator_chart(
    indicator: Indicator,
    figures: dict[datetime.date, PeriodFigure],
    *,
    until: datetime.date | None = None,
    last: int = 8,
) -> Chart:
    """The indicator's series (the last `last` periods) with its target line, the table behind it
    and a sentence on the trend."""
    starts = [start for start in figures if until is None or start <= until][-last:]
    unit = indicator.get_unit_display()
    rows = [{"period": indicator.period(start).label, "value": _number(figures[start].value)} for start in starts]
    # The table shows figures as the indicator states them (1.19%, not 1.2): text, right-aligned.
    columns = ["Period", unit] + (["Target"] if indicator.target is not None else [])
    table_rows = []
    for start in starts:
        row = [indicator.period(start).label, _shown(indicator, figures[start].value)]
        if indicator.target is not None:
            row.append(_shown(indicator, indicator.target))
        table_rows.append(row)
    if indicator.is_computed:
        columns[2:2] = ["Numerator", "Denominator"]
        for row, start in zip(table_rows, starts):
            row[2:2] = [_number(figures[start].numerator), _number(figures[start].denominator)]
    return line_chart(
        title=f"{indicator.code}: {indicator.title}",
        rows=rows,
        x="period",
        y="value",
        x_title="Period",
        y_title=unit,
        target=float(indicator.target) if indicator.target is not None else None,
        summary=trend_summary(indicator, figures, starts),
        table=Table(columns=columns, rows=table_rows, numeric=[False] + [True] * (len(columns) - 1)),
    )


def _shown(indicator: Indicator, value) -> str:
    number = _number(value)
    text = f"{number:,}" if isinstance(number, int) else f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if indicator.unit == Unit.PERCENTAGE else f"{text} days" if indicator.unit == Unit.DAYS else text


def trend_summary(indicator: Indicator, figures, starts) -> str:
    """The trend in words, for the reader who does not see the chart."""
    if not starts:
        return "No returns yet."
    first, last = starts[0], starts[-1]
    latest = figures[last].value
    text = f"{_shown(indicator, latest)} in {indicator.period(last).label}"
    if len(starts) > 1:
        text = f"{_shown(indicator, figures[first].value)} in {indicator.period(first).label}, {text}"
        movement = analysis.direction(latest, figures[first].value, indicator.polarity)
        text = f"{text} ({movement.label.lower()} over the period shown)"
    if indicator.target is not None:
        state = analysis.rag(latest, indicator.target, indicator.tolerance, indicator.polarity)
        text = f"{text}; target {_shown(indicator, indicator.target)}, rated {state.label.lower()}"
    return text + "."


def sessions_for_quarter(access, period: Period):
    return (
        ThinkTankSession.objects.restrict(access, Action.VIEW)
        .filter(quarter_start=period.start)
        .select_related("partnership")
    )


@dataclass
class LateReturn:
    indicator: Indicator
    period: Period
    due_on: datetime.date
    submitted_on: datetime.date | None  # None: still missing

    @property
    def days_late(self) -> int:
        return ((self.submitted_on or timezone.localdate()) - self.due_on).days


def return_years(access) -> list[FinancialYear]:
    """The financial years in which indicator returns fall, for the year picker."""
    start_month = access.partnership.financial_year_start_month
    starts = IndicatorValue.objects.restrict(access, Action.VIEW).values_list("period_start", flat=True).distinct()
    return sorted({FinancialYear.containing(day, start_month) for day in starts}, reverse=True)


def late_returns(access, year, *, today: datetime.date | None = None) -> dict[str, list[LateReturn]]:
    """Per source agency, the returns due in `year` that are missing past their due date or
    came in after it. Two queries."""
    today = today or timezone.localdate()
    indicator_list = list(indicators(access).filter(source_agency__isnull=False))
    source_of = {indicator.pk: indicator.source_agency_id for indicator in indicator_list}
    values = (
        IndicatorValue.objects.restrict(access, Action.VIEW)
        .filter(
            indicator__in=indicator_list,
            agency_id__in=set(source_of.values()),
            period_start__gte=year.start,
            period_start__lte=year.end,
        )
        .only("indicator_id", "period_start", "submitted_at", "agency_id")
    )
    received = {
        (v.indicator_id, v.period_start): timezone.localtime(v.submitted_at).date()
        for v in values
        if v.agency_id == source_of[v.indicator_id]  # the return expected, not another agency's
    }
    by_agency: dict[str, list[LateReturn]] = defaultdict(list)
    for indicator in indicator_list:
        for period in Period.in_year(year, indicator.frequency):
            due = period.end + datetime.timedelta(days=RETURN_DUE_DAYS)
            submitted = received.get((indicator.pk, period.start))
            if (submitted is None and due < today) or (submitted is not None and submitted > due):
                by_agency[indicator.source_agency.name].append(LateReturn(indicator, period, due, submitted))
    return dict(sorted(by_agency.items()))


def default_quarter(partnership) -> Period:
    """The latest quarter with a quarterly return, or else the latest quarter that has ended."""
    latest = (
        IndicatorValue._base_manager.filter(
            partnership=partnership, indicator__frequency=QUARTERLY, period_start__lte=timezone.localdate()
        )
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    if latest is not None:
        return Period(latest, QUARTERLY, partnership.financial_year_start_month)
    return Period.containing(timezone.localdate(), QUARTERLY, partnership.financial_year_start_month).previous()


@dataclass
class PackEntry:
    reading: analysis.Reading
    chart: Chart


@dataclass
class Pack:
    period: Period
    themes: list[tuple[str, list[PackEntry]]]
    sessions: list
    rag_counts: dict[str, int]

    @property
    def entries(self) -> list[PackEntry]:
        return [entry for _, entries in self.themes for entry in entries]

    @property
    def readings(self) -> list[analysis.Reading]:
        return [entry.reading for entry in self.entries]


def dashboard(
    access, indicator_list, *, until: datetime.date | None = None, quarter: Period | None = None
) -> list[PackEntry]:
    """Each indicator at its latest period (up to `until`) with its chart, in one query for all.
    With `quarter`, quarterly indicators are read at that quarter exactly, returned or not."""
    indicator_list = list(indicator_list)
    all_series = series(access, indicator_list)
    entries = []
    for indicator in indicator_list:
        figures = all_series.get(indicator.pk, {})
        starts = [start for start in figures if until is None or start <= until]
        if quarter is not None and indicator.frequency == QUARTERLY:
            period = indicator.period(quarter.start)
        elif starts:
            period = indicator.period(max(starts))
        else:
            period = Period.containing(
                until or timezone.localdate(), indicator.frequency, indicator.partnership.financial_year_start_month
            )
        entries.append(
            PackEntry(analysis.read(indicator, period, figures), indicator_chart(indicator, figures, until=until))
        )
    return entries


def think_tank_pack(access, period: Period) -> Pack:
    """What the think tank reads for a quarter: every active indicator by theme, read at the
    quarter (monthly ones at their latest month to date, annual ones at their latest year), with
    commentary, data-quality flags, and the questions raised in that quarter's sessions."""
    entries = dashboard(access, indicators(access), until=period.start, quarter=period)
    themes: dict[str, list[PackEntry]] = {}
    order = list(ThinkTankTheme.values)
    for entry in sorted(entries, key=lambda e: (order.index(e.reading.indicator.theme), e.reading.indicator.code)):
        themes.setdefault(entry.reading.indicator.get_theme_display(), []).append(entry)
    return Pack(
        period=period,
        themes=list(themes.items()),
        sessions=list(sessions_for_quarter(access, period)),
        rag_counts=rag_counts([e.reading for e in entries]),
    )
