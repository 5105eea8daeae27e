"""One pattern for every register a partnership brings in from its spreadsheets.

Each app declares one small `Importer` per register (agencies, people, groups, the learning log,
the section 11 tool and results, indicator history, procedures, attendance) in its `imports.py`
and registers it in `ready()`. This module does the rest the same way for all of them, as the
completions import does it:

- the file is read by core's safe table reader (`tables.read_table`): CSV or XLSX, size and rows
  capped, encodings and zip bombs handled;
- the template is the importer's column headings, downloadable; a file whose headings differ is
  mapped column by column (the mapping is kept with the preview);
- a file that is another register's template is named as such, not read as this one;
- every row is checked before anything is saved: the preview lists every bad row (naming the row
  and the column) and every unknown name once, with the rows it was on;
- the import is all or nothing, in one transaction; a row whose natural key the partnership
  already holds is not added again, so a second run of the same file adds nothing;
- each batch is one audit entry (a `RegisterImport` record with its counts): the rows are
  written through the apps' services with the per-record trail paused, as the completions
  import's bulk inserts are.

The same columns export the partnership's records back (`export_zip`), so what went in comes out
in the template it came in by.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import freshness, tables, uploads
from .audit import attributed_to

REGISTER_TABLE = uploads.REGISTER_TABLE

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d %H:%M:%S")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise(heading) -> str:
    """A heading or a name as compared: case, spaces, underscores and a trailing '*' ignored."""
    return " ".join(str(heading or "").replace("_", " ").replace("*", " ").casefold().split())


@dataclass(frozen=True)
class Column:
    """One column of a register: its heading, the other headings a file may use, and how its cell
    is read (`read`, one of the cell checks below) into which value (`field`, by default the
    heading with underscores). A column without a `read` is one the importer reads in its own
    `clean`."""

    name: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    hint: str = ""  # what the template's reader should write: "31/01/2025", "one of ..."
    field: str = ""  # the heading with underscores unless it says
    read: Callable[[Row, str, dict], object] | None = None

    @property
    def value_name(self) -> str:
        return self.field or self.name.replace(" ", "_")

    def matches(self, heading: str) -> bool:
        return heading == normalise(self.name) or heading in {normalise(a) for a in self.aliases}


# The cell checks a column declares: each reads its cell through Row, whose problems name the row
# and the column ("Row 4, column 'starts': '31/02/2024' is not a date: write it as 31/01/2025.").


@dataclass(frozen=True)
class Text:
    max_length: int | None = None

    def __call__(self, row: Row, column: str, lookups: dict) -> str:
        return row.text(column, max_length=self.max_length)


@dataclass(frozen=True)
class Date:
    past: bool = False  # a date that has happened: a meeting held, a version approved

    def __call__(self, row: Row, column: str, lookups: dict) -> datetime.date | None:
        return row.date(column, past=self.past)


@dataclass(frozen=True)
class Whole:
    def __call__(self, row: Row, column: str, lookups: dict) -> int | None:
        return row.whole(column)


@dataclass(frozen=True)
class Number:
    def __call__(self, row: Row, column: str, lookups: dict) -> Decimal | None:
        return row.number_(column)


@dataclass(frozen=True)
class Choice:
    choices: type
    default: str = ""

    def __call__(self, row: Row, column: str, lookups: dict) -> str:
        return row.choice(column, self.choices, default=self.default)


@dataclass(frozen=True)
class Known:
    """A name of a record this partnership holds: `lookup` names the importer's lookups map."""

    lookup: str
    kind: str

    def __call__(self, row: Row, column: str, lookups: dict):
        return row.known(column, lookups[self.lookup], self.kind)


def names(records, *fields: str) -> dict:
    """Records by each of their names as compared (`normalise`), the first field first: the
    lookups a register's names are found in. A later record with the same first name replaces an
    earlier one (the newest version of a tool, when ordered by version)."""
    found = {}
    for record in records:
        found[normalise(getattr(record, fields[0]))] = record
        for name in fields[1:]:
            if value := getattr(record, name):
                found.setdefault(normalise(value), record)
    return found


def named(records, name: str, field: str = "title"):
    """The partnership's record with this name as compared, or None: a register's row names the
    plan, procedure or round it belongs to, made on the first row that names it."""
    wanted = normalise(name)
    return next((record for record in records if normalise(getattr(record, field)) == wanted), None)


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


class Row:
    """One row of the file, read through the helpers that check a cell and name its column."""

    def __init__(self, number: int, cells: dict[str, object], check: Check):
        self.number = number
        self.cells = cells
        self._check = check
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self._check.problems.append(Problem(self.number, column, message))

    def raw(self, column: str):
        return self.cells.get(column, "")

    def text(self, column: str, *, max_length: int | None = None) -> str:
        value = self.raw(column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else str(value).strip()
        if not text and self._check.importer.column(column).required:
            self.problem(column, "is blank.")
        elif max_length and len(text) > max_length:
            self.problem(column, f"is longer than {max_length} characters.")
        return text

    def date(self, column: str, *, past: bool = False) -> datetime.date | None:
        value = self.raw(column)
        if isinstance(value, datetime.datetime):
            parsed = value.date()
        elif isinstance(value, datetime.date):
            parsed = value
        else:
            text = self.text(column)
            if not text:
                return None
            parsed = parse_date(text)
            if parsed is None:
                self.problem(column, f"'{text}' is not a date: write it as 31/01/2025.")
                return None
        if past and parsed > self._check.today:
            self.problem(column, f"{parsed:%d/%m/%Y} is in the future, which it cannot be.")
        return parsed

    def number_(self, column: str) -> Decimal | None:
        text = self.text(column).replace(",", "").replace("£", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.problem(column, f"'{text}' is not a number.")
            return None
        return number

    def whole(self, column: str) -> int | None:
        number = self.number_(column)
        if number is None:
            return None
        if number != number.to_integral_value() or number < 0:
            self.problem(column, f"'{number}' is not a whole number.")
            return None
        return int(number)

    def choice(self, column: str, choices, *, default: str = "") -> str:
        """A value from a TextChoices, written as its label or its code."""
        text = self.text(column)
        if not text:
            return default
        lookup = {normalise(label): value for value, label in choices.choices}
        lookup.update({normalise(value): value for value in choices.values})
        found = lookup.get(normalise(text))
        if found is None:
            self.problem(column, f"'{text}' is not one of: {', '.join(str(label) for label in choices.labels)}.")
        return found or default

    def email(self, column: str) -> str:
        text = self.text(column).lower()
        if text and not EMAIL.match(text):
            self.problem(column, f"'{text}' is not an email address.")
        return text

    def in_order(self, first: str, last: str, values: dict, message: str, *, same_day: bool = True) -> None:
        """Column `last`'s date not before column `first`'s (nor on it, unless `same_day`), read
        into `values` by their fields; the problem is named on `last`."""
        importer = self._check.importer
        start, end = values[importer.column(first).value_name], values[importer.column(last).value_name]
        if start and end and (end < start or (end == start and not same_day)):
            self.problem(last, message)

    def problems_from(self, error: ValidationError) -> None:
        """A service's refusal of the row, each message on the column its field is read from."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for name, messages in by_field.items():
            self.problem(name.replace("_", " ") if name != "__all__" else "", " ".join(messages))

    def known(self, column: str, names: dict, kind: str):
        """The record a name refers to (`names` keyed by normalise(name)); an unknown name is
        listed once in the preview, with the rows it was on, and stops the import."""
        text = self.text(column)
        if not text:
            return None
        record = names.get(normalise(text))
        if record is None:
            self.ok = False
            self._check.unknown.setdefault(kind, {}).setdefault(normalise(text), [text, []])[1].append(self.number)
        return record


def parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


class Importer:
    """One register's import and export. Subclasses declare the columns and say how a row is
    checked (`clean`), what identifies it (`key`), what the partnership already holds (`held`),
    how a new row is saved (`add`, through the app's services) and how records are written back
    (`export`)."""

    key = ""  # in the URL: /<partnership>/imports/<key>/
    title = ""  # "Agencies"
    description = ""
    columns: tuple[Column, ...] = ()
    order = 100  # the checklist's order
    page = ""  # the register's own page (a URL name taking the partnership's slug)
    # The page that takes this register's file when an app has its own (the returns upload):
    # the register's import page sends people there, so a file has one way in from a page.
    upload_page = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def headings(self) -> list[str]:
        return [c.name for c in self.columns]

    def lookups(self, partnership) -> dict:
        """The names the rows may refer to, fetched once per check."""
        return {}

    def read(self, row: Row, lookups: dict) -> dict:
        """Every declared column's value, by its field, each cell checked as the column says."""
        return {c.value_name: c.read(row, c.name, lookups) for c in self.columns if c.read is not None}

    def clean(self, row: Row, lookups: dict) -> dict | None:
        """The row's values; an importer adds the checks across its columns."""
        return self.read(row, lookups)

    def key_of(self, values: dict) -> tuple:
        raise NotImplementedError

    def describe_key(self) -> str:
        return "the same details"

    def held(self, partnership) -> set[tuple]:
        raise NotImplementedError

    def add(self, *, actor, partnership, values: dict, lookups: dict) -> None:
        raise NotImplementedError

    model = None  # the register's records, counted for the checklist and the imports page
    partnership_path = "partnership"

    def records(self, partnership):
        return self.model._base_manager.filter(**{self.partnership_path: partnership})

    def count(self, partnership) -> int:
        return self.records(partnership).count()

    def done(self, partnership) -> bool:
        """The checklist's 'done': the register holds a record (one query, however many)."""
        return self.records(partnership).exists()

    def export(self, partnership) -> Iterable[list]:
        raise NotImplementedError

    def after_commit(self, *, actor, partnership, added: list[dict], request=None) -> None:
        """Anything sent once the batch is saved (the people import's invitations)."""


_registry: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _registry[importer.key] = importer
    return importer


def importers() -> list[Importer]:
    return sorted(_registry.values(), key=lambda i: (i.order, i.title))


def get(key: str) -> Importer | None:
    return _registry.get(key)


@dataclass
class Check:
    """What checking a file found. `ok` only when every row is good and every name known."""

    importer: Importer
    today: datetime.date
    headings: list[str] = field(default_factory=list)  # as the file writes them
    mapping: dict[str, int] = field(default_factory=dict)  # column -> position in the file
    missing: list[str] = field(default_factory=list)  # required columns not found: ask for a mapping
    problems: list[Problem] = field(default_factory=list)
    unknown: dict[str, dict[str, list]] = field(default_factory=dict)  # kind -> {name: [as written, rows]}
    rows: list[dict] = field(default_factory=list)  # the good rows' values, in file order
    new: list[dict] = field(default_factory=list)  # those the partnership does not hold yet
    count: int = 0

    @property
    def needs_mapping(self) -> bool:
        return bool(self.missing)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.problems and not self.unknown

    @property
    def already_held(self) -> int:
        return len(self.rows) - len(self.new)

    def unknown_names(self) -> list[tuple[str, str, list[int]]]:
        """(kind, name as first written, rows) once per name."""
        return [
            (kind, written, rows)
            for kind, names in sorted(self.unknown.items())
            for written, rows in sorted(names.values(), key=lambda item: item[0].casefold())
        ]

    def message(self) -> str:
        lines = [str(p) for p in self.problems]
        lines += [
            f"Unknown {kind} '{name}' (row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))})"
            for kind, name, rows in self.unknown_names()
        ]
        if self.missing:
            lines.insert(0, f"The file has no column for: {', '.join(self.missing)}.")
        return "\n".join(lines)


def _refuse(message: str):
    raise ValidationError({"file": message})


def _template_of(headings: list[str], importer: Importer) -> Importer | None:
    """Another register's template, recognised by its headings: exactly that register's columns
    (a template downloaded for it), or every one of its required columns and not all of this one's."""
    found = {normalise(h) for h in headings if normalise(h)}
    ours = {normalise(c.name) for c in importer.columns}
    for other in importers():
        if other.key == importer.key:
            continue
        theirs = {normalise(c.name) for c in other.columns}
        if found == theirs and found != ours:
            return other
        if all(any(c.matches(h) for h in found) for c in other.columns if c.required) and not all(
            any(c.matches(h) for h in found) for c in importer.columns if c.required
        ):
            return other
    return None


def check(
    importer: Importer,
    partnership,
    file_name: str,
    content: bytes,
    *,
    mapping: dict[str, str] | None = None,
    limits: uploads.TableLimits = REGISTER_TABLE,
    one_register: bool = False,
) -> Check:
    """Read and check a whole file; nothing is saved. Raises ValidationError({'file': ...}) for a
    file that cannot be read (type, encoding, size, another register's template)."""
    result = Check(importer=importer, today=timezone.localdate())
    rows = iter(tables.read_table(file_name, content, limits=limits))
    header = None
    for number, cells in rows:
        if any(str(c).strip() for c in cells):
            header = (number, cells)
            break
    if header is None:
        _refuse("The file is empty.")
    result.headings = [str(c).strip() for c in header[1]]
    normalised = [normalise(h) for h in result.headings]
    chosen = {normalise(k): v for k, v in (mapping or {}).items()}
    for column in importer.columns:
        wanted = chosen.get(normalise(column.name))
        if wanted:
            position = next((i for i, h in enumerate(result.headings) if h == wanted), None)
        else:
            position = next((i for i, h in enumerate(normalised) if column.matches(h)), None)
        if position is not None:
            result.mapping[column.name] = position
        elif column.required:
            result.missing.append(column.name)
    if not mapping and not one_register:  # a page that takes one register's files only says what is missing
        other = _template_of(result.headings, importer)
        if other is not None:
            _refuse(
                f"This is the template for {other.title.lower()}, not {importer.title.lower()}: "
                f"upload it as {other.title.lower()}, or choose the {importer.title.lower()} template."
            )
    if result.missing:
        return result
    lookups = importer.lookups(partnership)
    seen: dict[tuple, int] = {}
    for number, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue  # blank lines at the end of an export
        result.count += 1
        values = {name: (cells[position] if position < len(cells) else "") for name, position in result.mapping.items()}
        row = Row(number, values, result)
        cleaned = importer.clean(row, lookups)
        if not row.ok or cleaned is None:
            continue
        key = importer.key_of(cleaned)
        if key in seen:
            row.problem(
                "",
                f"repeats row {seen[key]} ({importer.describe_key()}): keep one of them.",
            )
            continue
        seen[key] = number
        cleaned["_row"] = number
        cleaned["_cells"] = [_cell(values.get(c.name, "")) for c in importer.columns]
        result.rows.append(cleaned)
    if result.count == 0:
        _refuse("The file has column headings but no rows.")
    result.problems.sort(key=lambda problem: problem.row)
    held = importer.held(partnership)
    result.new = [values for values in result.rows if importer.key_of(values) not in held]
    return result


def run(
    importer: Importer,
    *,
    actor,
    partnership,
    file_name: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
    request=None,
):
    """Check the file and, if every row is good, save what is new in one transaction. Raises
    ValidationError naming every bad row and unknown name when it is not: nothing is saved."""
    from .models import RegisterImport

    checked = check(importer, partnership, file_name, content, mapping=mapping)
    if not checked.ok:
        raise ValidationError({"file": checked.message()})
    actor = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic(), attributed_to(actor):
        lookups = importer.lookups(partnership)
        # Re-read what is held inside the transaction: a second run in flight adds nothing twice.
        held = importer.held(partnership)
        added = []
        with disable_auditlog(), freshness.batched():
            for values in checked.rows:
                key = importer.key_of(values)
                if key in held:
                    continue
                try:
                    importer.add(actor=actor, partnership=partnership, values=values, lookups=lookups)
                except ValidationError as error:
                    raise ValidationError(
                        {"file": f"Row {values['_row']}: {_flatten(error)} Nothing was saved."}
                    ) from error
                held.add(key)
                added.append(values)
        batch = RegisterImport(
            partnership=partnership,
            register=importer.key,
            file_name=file_name[:200],
            file_hash=hashlib.sha256(content).hexdigest(),
            rows=checked.count,
            added=len(added),
            already_held=checked.count - len(added),
            imported_by=actor,
        )
        from .services import save

        save(batch, actor=actor)  # the batch's one audit entry, with its counts
    transaction.on_commit(
        lambda: importer.after_commit(actor=actor, partnership=partnership, added=added, request=request)
    )
    return batch


def _flatten(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


# Templates and exports -------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return str(value)


def to_csv(importer: Importer, rows: Iterable[list] = ()) -> bytes:
    """The register's template (headings only) or its export: UTF-8 with a byte-order mark, so
    Excel opens it with its accents intact."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(importer.headings)
    for row in rows:
        writer.writerow([_formula_safe(_cell(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _formula_safe(text: str) -> str:
    # A cell starting = + - @ runs as a formula when the export is opened in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "@") or (text[:1] == "-" and not _is_number(text)) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def export_zip(*, actor, partnership) -> bytes:
    """Every register in its own template, one CSV each, in one zip; the export is audited."""
    buffer = io.BytesIO()
    counts = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, importer in enumerate(importers(), start=1):
            rows = list(importer.export(partnership))
            counts[importer.key] = len(rows)
            archive.writestr(f"{number:02d}-{importer.key}.csv", to_csv(importer, rows))
    _audit_export(actor, partnership, counts)
    return buffer.getvalue()


def _audit_export(actor, partnership, counts: dict) -> None:
    from auditlog.models import LogEntry

    with attributed_to(actor):
        LogEntry.objects.log_create(
            partnership,
            action=LogEntry.Action.ACCESS,
            force_log=True,
            changes={"exported": ["", ", ".join(f"{key}: {n}" for key, n in counts.items())]},
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )


def zip_members(content: bytes) -> list[tuple[Importer, str, bytes]]:
    """The registers of an export zip in the order they import (each named by its file)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        _refuse("The file is not a Jigsaw export zip.")
    found = []
    for info in archive.infolist():
        key = re.sub(r"^\d+-", "", info.filename.rsplit("/", 1)[-1]).removesuffix(".csv")
        importer = get(key)
        if importer is None:
            continue
        if info.file_size > REGISTER_TABLE.max_bytes:
            _refuse(f"{info.filename} is larger than {REGISTER_TABLE.size_label}.")
        data = archive.read(info)
        if len([line for line in data.decode("utf-8-sig", "replace").splitlines() if line.strip(", ")]) > 1:
            found.append((importer, info.filename, data))  # a register with no records exports its headings alone
    order = {i.key: n for n, i in enumerate(importers())}
    return sorted(found, key=lambda item: order[item[0].key])
