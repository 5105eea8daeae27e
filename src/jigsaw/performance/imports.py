"""Reading a returns file (CSV or XLSX): one file may carry many indicators, periods and agencies.

Every row is checked before anything is saved; the file is accepted whole or not at all, and
every bad row is listed by its number with the reason. The file is read by core's safe table
reader (size, zip bombs, XML entities, rows counted while streaming).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from jigsaw.core import tables, uploads
from jigsaw.core.models import Agency
from jigsaw.core.scoping import Role

from .models import DataQuality, Indicator, ReturnRoute
from .periods import Period
from .services import ImportRow, _prepared_value

COLUMNS = ["indicator", "period", "agency", "value", "numerator", "denominator", "commentary", "data_quality"]
REQUIRED = ["indicator", "period", "agency"]
MAX_ROWS = uploads.RETURNS_TABLE.max_rows


@dataclass
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    previews: list[dict] = field(default_factory=list)


def _cells(upload) -> list[list[str]]:
    rows = tables.read_table(upload.name or "", upload, limits=uploads.RETURNS_TABLE, field=None)
    return [["" if cell is None else str(cell).strip() for cell in cells] for _, cells in rows]


def _decimal(text: str, column: str) -> Decimal | None:
    if text == "":
        return None
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{column} '{text}' is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{column} '{text}' is not a number")
    return number


def parse(upload, *, partnership, access) -> ParsedFile:
    """Check every row of the file against the same rules as a single return."""
    result = ParsedFile()
    table = [row for row in _cells(upload) if any(row)]
    if not table:
        raise ValidationError("The file is empty.")
    heading = [cell.lower().replace(" ", "_") for cell in table[0]]
    missing = [column for column in REQUIRED if column not in heading]
    if missing:
        raise ValidationError(
            f"The first row must name the columns; missing: {', '.join(missing)}. Expected: {', '.join(COLUMNS)}."
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationError(f"The file has more than {MAX_ROWS} rows: split it into smaller files.")
    indicators = {
        i.code.upper(): i
        for i in Indicator.objects.restrict(access).filter(partnership=partnership).select_related("partnership")
    }
    agencies = {a.name.lower(): a for a in Agency.objects.restrict(access).filter(partnership=partnership)}
    business_unit = access.has_role(Role.BUSINESS_UNIT)
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        row = dict(zip(heading, cells + [""] * (len(heading) - len(cells))))
        problems = []
        indicator = indicators.get(row.get("indicator", "").upper())
        if indicator is None:
            problems.append(f"no indicator with the code '{row.get('indicator', '')}'")
        agency = agencies.get(row.get("agency", "").lower())
        if agency is None:
            problems.append(f"no agency called '{row.get('agency', '')}'")
        elif not business_unit and agency.pk not in access.agency_ids:
            problems.append(f"you can only make returns for your own agency, not {agency.name}")
        period = None
        if indicator is not None:
            try:
                period = Period.parse(
                    row.get("period", ""), indicator.frequency, partnership.financial_year_start_month
                )
            except ValueError as error:
                problems.append(str(error).rstrip("."))
        numbers = {}
        for column in ("value", "numerator", "denominator"):
            try:
                numbers[column] = _decimal(row.get(column, ""), column)
            except ValueError as error:
                problems.append(str(error))
        quality = (row.get("data_quality") or DataQuality.CONFIRMED).lower().replace(" ", "_")
        if quality not in DataQuality.values:
            problems.append(f"data_quality '{row.get('data_quality')}' is not one of {', '.join(DataQuality.values)}")
        if period is not None and agency is not None:
            key = (indicator.pk, period.start, agency.pk)
            if key in seen:
                problems.append(f"the same indicator, period and agency as row {seen[key]}")
            seen.setdefault(key, number)
        if not problems:
            fields = {**numbers, "commentary": row.get("commentary", ""), "data_quality": quality}
            try:
                record = _prepared_value(
                    partnership=partnership,
                    indicator=indicator,
                    agency=agency,
                    period_start=period.start,
                    route=ReturnRoute.UPLOAD,
                    actor=access.user,
                    **fields,
                )
            except ValidationError as error:
                problems.extend(
                    " ".join(messages)
                    for messages in (error.message_dict.values() if hasattr(error, "error_dict") else [error.messages])
                )
            else:
                result.rows.append(ImportRow(number, indicator, agency, period.start, fields))
                result.previews.append(
                    {
                        "number": number,
                        "indicator": indicator,
                        "period": period,
                        "agency": agency,
                        "value": record.value,
                        "numerator": record.numerator,
                        "denominator": record.denominator,
                        "commentary": record.commentary,
                        "data_quality": record.get_data_quality_display(),
                        "replaces": record.replaces,
                    }
                )
        if problems:
            result.errors.append(f"Row {number}: {'; '.join(problem.rstrip('.') for problem in problems)}.")
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
