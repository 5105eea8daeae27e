"""The indicator catalogue and its returns in core's one import pattern (jigsaw.core.imports).

A returns file has one reader, the indicator history register's: the same columns and headings,
every row checked before anything is saved, bad rows named by row and column, all or nothing.
It comes in two ways. The returns upload (performance:upload, from the performance pages) is the
one people use: an agency lead sends their own agency's rows, and a row for a period already
returned replaces it (the history of changes keeps the old figure). The export zip brings a
partnership's history back whole, leaving a held return as it is. The register's own import page
sends people to the upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from jigsaw.core import imports as registers
from jigsaw.core import uploads
from jigsaw.core.imports import Choice, Column, Importer, Known, Number, Problem, Text, normalise
from jigsaw.core.imports_core import agency_names
from jigsaw.core.models import Agency
from jigsaw.core.scoping import Role

from .models import (
    CODE_PATTERN,
    DataQuality,
    Frequency,
    Indicator,
    IndicatorValue,
    Polarity,
    ReturnRoute,
    ThinkTankTheme,
    Unit,
)
from .periods import Period
from .services import ImportRow, _prepared_value

VALUE_FIELDS = ("value", "numerator", "denominator", "commentary", "data_quality")


@dataclass
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    previews: list[dict] = field(default_factory=list)


def parse(upload, *, partnership, access) -> ParsedFile:
    """Check a returns upload as the indicator history register reads it, then what the upload
    adds: an agency lead's rows are their own agency's. Nothing is saved."""
    history = registers.get(IndicatorHistoryImporter.key)
    try:
        checked = registers.check(
            history, partnership, upload.name or "", upload.read(), limits=uploads.RETURNS_TABLE, one_register=True
        )
    except ValidationError as error:
        raise ValidationError(error.messages) from None
    if checked.missing:
        raise ValidationError(
            f"The first row must name the columns; missing: {', '.join(checked.missing)}. "
            f"Expected: {', '.join(history.headings)}."
        )
    result = ParsedFile()
    for values in checked.rows:
        agency = values["agency"]
        if not access.has_role(Role.BUSINESS_UNIT) and agency.pk not in access.agency_ids:
            checked.problems.append(
                Problem(values["_row"], "agency", f"you can only make returns for your own agency, not {agency.name}.")
            )
            continue
        record = values["_prepared"]
        result.rows.append(
            ImportRow(
                values["_row"],
                values["indicator"],
                agency,
                values["period_start"],
                {name: values[name] for name in VALUE_FIELDS},
            )
        )
        result.previews.append(
            {
                "number": values["_row"],
                "indicator": values["indicator"],
                "period": Period(
                    values["period_start"], values["indicator"].frequency, partnership.financial_year_start_month
                ),
                "agency": agency,
                "value": record.value,
                "data_quality": record.get_data_quality_display(),
                "replaces": record.replaces,
            }
        )
    checked.problems.sort(key=lambda problem: problem.row)
    result.errors = checked.message().splitlines()
    return result


def to_session(parsed: ParsedFile) -> list[dict]:
    """The checked rows, kept in the session between the preview and 'Save these returns'."""
    return [
        {
            "number": row.number,
            "indicator": row.indicator.pk,
            "agency": row.agency.pk,
            "period_start": row.period_start.isoformat(),
            "fields": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.fields.items()},
        }
        for row in parsed.rows
    ]


def from_session(data: list[dict], *, partnership, access) -> list[ImportRow]:
    """The rows back, re-fetched through the scoping helper (the session holds ids only)."""
    import datetime

    indicators = (
        Indicator.objects.restrict(access)
        .filter(partnership=partnership)
        .select_related("partnership")
        .in_bulk([r["indicator"] for r in data])
    )
    agencies = Agency.objects.restrict(access).filter(partnership=partnership).in_bulk([r["agency"] for r in data])
    rows = []
    for item in data:
        if item["indicator"] not in indicators or item["agency"] not in agencies:
            raise ValidationError(
                f"Row {item['number']}: the indicator or agency is no longer available. Upload the file again."
            )
        if not access.has_role(Role.BUSINESS_UNIT) and item["agency"] not in access.agency_ids:
            raise ValidationError(f"Row {item['number']}: you can only make returns for your own agency.")
        fields = {
            k: (Decimal(v) if k in ("value", "numerator", "denominator") and v is not None else v)
            for k, v in item["fields"].items()
        }
        rows.append(
            ImportRow(
                item["number"],
                indicators[item["indicator"]],
                agencies[item["agency"]],
                datetime.date.fromisoformat(item["period_start"]),
                fields,
            )
        )
    return rows


class IndicatorImporter(Importer):
    key = "indicators"
    model = Indicator
    title = "Indicators"
    description = (
        "The indicator catalogue: code, title, definition, think tank theme, unit, polarity, target, frequency."
    )
    order = 80
    page = "performance:indicators"
    columns = (
        Column("code", aliases=("indicator", "indicator code", "ref")),
        Column("title", aliases=("indicator title", "name", "measure"), read=Text(200)),
        Column("definition", aliases=("description",), read=Text()),
        Column(
            "theme",
            aliases=("think tank theme",),
            hint="for example Domestic abuse",
            read=Choice(ThinkTankTheme),
        ),
        Column("unit", hint="Count, Percentage, Rate per 10,000 children, Days", read=Choice(Unit)),
        Column(
            "polarity",
            False,
            hint="Higher is better, Lower is better",
            read=Choice(Polarity, default=Polarity.NEUTRAL),
        ),
        Column("target", False, read=Number()),
        Column("tolerance", False, read=Number()),
        Column(
            "frequency",
            False,
            hint="Monthly, Quarterly, Annual",
            read=Choice(Frequency, default=Frequency.QUARTERLY),
        ),
        Column("source agency", False, ("agency", "data owner"), read=Known("agencies", "agency")),
        Column("numerator", False, ("numerator definition",), field="numerator_definition", read=Text(300)),
        Column("denominator", False, ("denominator definition",), field="denominator_definition", read=Text(300)),
    )

    def lookups(self, partnership):
        return {"agencies": agency_names(partnership)}

    def clean(self, row, lookups):
        code = row.text("code").upper()
        if code and not CODE_PATTERN.match(code):
            row.problem("code", f"'{code}' is not a code: capitals, digits and hyphens, up to 20, for example DA-2.")
        values = {"code": code, **self.read(row, lookups)}
        values["tolerance"] = values["tolerance"] or Decimal(0)
        return values

    def key_of(self, values):
        return (values["code"],)

    def describe_key(self):
        return "the same code"

    def held(self, partnership):
        return {(c.upper(),) for c in Indicator.objects.filter(partnership=partnership).values_list("code", flat=True)}

    def add(self, *, actor, partnership, values, lookups):
        from .services import indicator_create

        indicator_create(
            actor=actor, partnership=partnership, **{k: v for k, v in values.items() if not k.startswith("_")}
        )

    def export(self, partnership):
        indicators = Indicator.objects.filter(partnership=partnership).select_related("source_agency")
        for i in indicators.order_by("code"):
            yield [
                i.code,
                i.title,
                i.definition,
                i.get_theme_display(),
                i.get_unit_display(),
                i.get_polarity_display(),
                i.target,
                i.tolerance,
                i.get_frequency_display(),
                i.source_agency.name if i.source_agency_id else "",
                i.numerator_definition,
                i.denominator_definition,
            ]


class IndicatorHistoryImporter(Importer):
    key = "indicator-history"
    model = IndicatorValue
    title = "Indicator history"
    description = (
        "Returns, past and present: one row an indicator's figure for a period and an agency, uploaded as returns."
    )
    order = 85
    page = "performance:indicators"
    upload_page = "performance:upload"
    columns = (
        Column("indicator", aliases=("code", "indicator code"), read=Known("indicators", "indicator")),
        Column("period", hint="Q1 2024/25, April 2024 or 2024/25"),
        Column("agency", aliases=("organisation",), read=Known("agencies", "agency")),
        Column("value", False, ("figure",), read=Number()),
        Column("numerator", False, read=Number()),
        Column("denominator", False, read=Number()),
        Column("commentary", False, ("so what", "comment"), read=Text()),
        Column(
            "data quality",
            False,
            ("data_quality", "quality"),
            read=Choice(DataQuality, default=DataQuality.CONFIRMED),
        ),
    )

    def lookups(self, partnership):
        return {
            "indicators": {
                normalise(i.code): i
                for i in Indicator.objects.filter(partnership=partnership).select_related("partnership")
            },
            "agencies": agency_names(partnership),
            "partnership": partnership,
        }

    def clean(self, row, lookups):
        values = {**self.read(row, lookups), "period_start": None}
        indicator = values["indicator"]
        period = row.text("period")
        if indicator is not None and period:
            try:
                parsed = Period.parse(period, indicator.frequency, lookups["partnership"].financial_year_start_month)
            except ValueError as error:
                row.problem("period", str(error))
            else:
                values["period_start"] = parsed.start
                if parsed.start > row._check.today:
                    row.problem("period", f"{period} has not started yet: a past return cannot be for it.")
        if row.ok and values["agency"] is not None:
            fields = {name: values[name] for name in VALUE_FIELDS}
            try:
                values["_prepared"] = _prepared_value(
                    partnership=lookups["partnership"],
                    indicator=indicator,
                    agency=values["agency"],
                    period_start=values["period_start"],
                    route=ReturnRoute.UPLOAD,
                    actor=None,
                    **fields,
                )
            except ValidationError as error:
                row.problems_from(error)
        return values

    def key_of(self, values):
        return (values["indicator"].pk, values["period_start"], values["agency"].pk)

    def describe_key(self):
        return "the same indicator, period and agency"

    def held(self, partnership):
        return set(
            IndicatorValue.objects.filter(partnership=partnership).values_list(
                "indicator_id", "period_start", "agency_id"
            )
        )

    def add(self, *, actor, partnership, values, lookups):
        from .services import value_submit

        value_submit(
            actor=actor,
            partnership=partnership,
            indicator=values["indicator"],
            agency=values["agency"],
            period_start=values["period_start"],
            route=ReturnRoute.UPLOAD,
            **{name: values[name] for name in VALUE_FIELDS},
        )

    def export(self, partnership):
        rows = IndicatorValue.objects.filter(partnership=partnership).select_related("indicator", "agency")
        start = partnership.financial_year_start_month
        for v in rows.order_by("indicator__code", "period_start", "agency__name"):
            yield [
                v.indicator.code,
                Period(v.period_start, v.indicator.frequency, start).label,
                v.agency.name,
                v.value if not v.indicator.is_computed else None,
                v.numerator,
                v.denominator,
                v.commentary,
                v.get_data_quality_display(),
            ]


IMPORTERS = (IndicatorImporter, IndicatorHistoryImporter)
COLUMNS = [column.name for column in IndicatorHistoryImporter.columns]  # a returns file's headings
