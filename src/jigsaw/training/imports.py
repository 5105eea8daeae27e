"""The completions import: eLearning platform exports (CSV or XLSX) into completions.

The file is read and every row checked before anything is saved; any bad row, or any
organisation name not yet mapped to a category, and nothing is imported (the result lists
them all by row number). A clean file is imported in one transaction with bulk inserts; what
is already held (same learner, course and day) is recognised with one query for the file's
date range and skipped, so importing the same export twice adds nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import operator
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jigsaw.core import files as file_store
from jigsaw.core import tables, uploads
from jigsaw.core.audit import attributed_to
from jigsaw.core.bulk import insert_rows
from jigsaw.core.services import save

from .models import (
    IMPORT_STALE_AFTER,
    IMPORT_STOPPED_MESSAGE,
    Completion,
    Course,
    ImportBatch,
    ImportOutcome,
    Learner,
    learner_key,
    normalise_organisation,
)
from .services import audit_bulk_change, organisation_categories_ensure, organisation_lookup

LIMITS = uploads.COMPLETIONS_TABLE
BATCH_SIZE = 2000
PROGRESS_EVERY = 10_000
logger = logging.getLogger(__name__)

# What each column may be headed, as the platforms we know write it.
COLUMNS = {
    "learner": ("learner", "name", "learner name", "full name", "user"),
    "email": ("email", "email address", "e-mail", "user email"),
    "organisation": ("organisation", "organization", "employer", "organisation name", "agency"),
    "course": ("course", "course title", "course name", "module"),
    "completion date": ("completion date", "completed", "date completed", "completed on", "date"),
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


@dataclass
class ImportResult:
    batch: ImportBatch
    rows: int = 0
    added: int = 0
    already_held: int = 0
    learners_added: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    unknown_organisations: list[tuple[str, int]] = field(default_factory=list)  # (name as typed, rows)
    unknown_courses: list[tuple[str, int, str]] = field(
        default_factory=list
    )  # (title as written, rows, first completion date ISO)
    warnings: list[tuple[int, str]] = field(
        default_factory=list
    )  # rows noted, not refused (exact repeats counted once)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unknown_organisations and not self.unknown_courses

    @property
    def waiting_for_mapping(self) -> bool:
        """Every row is good but names or courses must be added first: the file can be checked again as it is."""
        return not self.problems and not self.ok


@dataclass(slots=True)
class _Row:
    number: int
    name: str
    email: str
    organisation: str
    course_id: int
    completed_on: datetime.date
    key: str = ""
    normalised: str = ""  # the organisation as the alias table matches it


def refuse(message: str):
    raise ValidationError({"file": message})


# Reading ---------------------------------------------------------------------------------


def read_table(file_name: str, content: bytes):
    """(row number, cells) for every row, header first, through core's safe table reader."""
    return tables.read_table(file_name, content, limits=LIMITS)


# Checking --------------------------------------------------------------------------------


def _columns(header) -> dict[str, int]:
    normalised = [" ".join(str(cell).casefold().replace("_", " ").split()) for cell in header]
    found, missing = {}, []
    for column, names in COLUMNS.items():
        position = next((i for i, cell in enumerate(normalised) if cell in names), None)
        if position is None:
            missing.append(column)
        else:
            found[column] = position
    if missing:
        refuse(
            f"The first row must name the columns learner, email, organisation, course and completion date; missing: {', '.join(missing)}."
        )
    return found


class _Dates:
    """Parses dates as the exports write them, remembering each text it has seen."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.seen: dict[str, datetime.date | None] = {}

    def parse(self, value) -> datetime.date | None:
        if type(value) is str and value in self.seen:  # the common case first: a CSV's text, seen before
            return self.seen[value]
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if text in self.seen:
            return self.seen[text]
        parsed = None
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        self.seen[text] = parsed
        return parsed


def _text(value) -> str:
    if type(value) is str:  # a CSV's cells, hundreds of thousands of them: the quick test first
        return value.strip()
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


def open_rows(file_name: str, content: bytes):
    """(column positions, the rows after the header): refuses an unsafe file or missing columns."""
    rows = iter(read_table(file_name, content))
    header = next(((n, cells) for n, cells in rows if any(_text(c) for c in cells)), None)
    if header is None:
        refuse("The file is empty.")
    return _columns(header[1]), rows


@dataclass
class Checked:
    """What checking every row found: the good rows, and what stops or qualifies the import."""

    good: list[_Row] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unknown_organisations: list[tuple[str, int]] = field(default_factory=list)
    unknown_courses: list[tuple[str, int, str]] = field(default_factory=list)
    count: int = 0
    organisations: dict = field(default_factory=dict)


def check_rows(partnership, columns, rows, *, today: datetime.date, on_progress=None) -> Checked:
    """Every row checked against the partnership's courses and organisation names, in memory
    (three queries in all). A row repeating an earlier one exactly (a platform exports it twice)
    is counted once, with a warning; one naming the same learner, course and date with other
    details is a problem. Unknown courses and organisations are gathered, one line a name."""
    courses = {
        title.casefold(): pk for pk, title in Course.objects.filter(partnership=partnership).values_list("pk", "title")
    }
    organisations = organisation_lookup(partnership)
    dates = _Dates(today)
    checked = Checked(organisations=organisations)
    unknown: dict[str, list] = {}
    unknown_courses: dict[str, list] = {}
    seen: dict[tuple, tuple[int, tuple]] = {}  # (email, course, date) -> (first row, its details)
    # An export names the same few hundred organisations and courses, and each learner several
    # times, over tens of thousands of rows: each distinct text is worked out once.
    normalised_names: dict[str, str] = {}
    course_ids: dict[str, int | None] = {}
    emails: dict[str, bool] = {}
    count = 0
    positions = [columns[c] for c in COLUMNS]
    width = max(positions) + 1
    pick = operator.itemgetter(*positions)
    for number, cells in rows:
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        name, email, organisation, course, when = pick(cells)
        name, email, organisation, course_title = _text(name), _text(email).lower(), _text(organisation), _text(course)
        when_text = _text(when)
        if not (name and email and organisation and course_title and when_text):
            if not any(_text(c) for c in cells):
                continue  # blank lines at the end of an export
            blank = [
                column
                for column, value in zip(COLUMNS, (name, email, organisation, course_title, when_text))
                if not value
            ]
            count += 1
            if on_progress and count % PROGRESS_EVERY == 0:
                on_progress(count)
            checked.problems.append((number, f"Blank {', '.join(blank)}."))
            continue
        count += 1
        if on_progress and count % PROGRESS_EVERY == 0:
            on_progress(count)
        reasons = []
        is_email = emails.get(email)
        if is_email is None:
            is_email = emails[email] = EMAIL.match(email) is not None
        if not is_email:
            reasons.append(f"'{email}' is not an email address.")
        course_id = course_ids.get(course_title, 0)
        if course_id == 0:
            course_id = course_ids[course_title] = courses.get(course_title.casefold())
        completed_on = dates.parse(when)
        if completed_on is None:
            reasons.append(f"The completion date '{_text(when)}' is not a date: write it as 31/01/2025.")
        elif completed_on > today:
            reasons.append(f"The completion date {completed_on:%d/%m/%Y} is in the future.")
        if reasons:
            checked.problems.append((number, " ".join(reasons)))
            continue
        identity = (email, course_id or course_title.casefold(), completed_on)
        normalised = normalised_names.get(organisation)
        if normalised is None:
            normalised = normalised_names[organisation] = normalise_organisation(organisation)
        details = (name, normalised)
        if identity in seen:
            first, first_details = seen[identity]
            if first_details == details:
                checked.warnings.append((number, f"Repeats row {first} exactly: counted once."))
            else:
                checked.problems.append(
                    (
                        number,
                        f"Duplicates row {first} (same learner, course and date) with a different name or organisation: keep the right one.",
                    )
                )
            continue
        seen[identity] = (number, details)
        if normalised not in organisations:
            unknown.setdefault(normalised, [organisation, 0])[1] += 1
        if course_id is None:
            entry = unknown_courses.setdefault(course_title.casefold(), [course_title, 0, completed_on])
            entry[1] += 1
            entry[2] = min(entry[2], completed_on)
            continue
        checked.good.append(_Row(number, name, email, organisation, course_id, completed_on, "", normalised))
    if count == 0:
        refuse("The file has column headings but no rows.")
    checked.count = count
    checked.unknown_organisations = sorted((tuple(v) for v in unknown.values()), key=lambda item: item[0].casefold())
    checked.unknown_courses = sorted(
        ((title, rows, first.isoformat()) for title, rows, first in unknown_courses.values()),
        key=lambda item: item[0].casefold(),
    )
    return checked


# Importing -------------------------------------------------------------------------------


def completions_check_and_keep(*, actor, partnership, file_name: str, content: bytes) -> ImportResult:
    """Check an uploaded export (nothing imported) and keep the file in the file store while it
    can be imported: now, or once its names and courses are added, without uploading it again
    (deleted once imported). A store that does not answer undoes the check too: no batch is left
    that could not be imported (ValidationError on `file`)."""
    with file_store.saving("file") as storing, transaction.atomic():
        result = completions_import(
            actor=actor, partnership=partnership, file_name=file_name, content=content, commit=False
        )
        if result.ok or result.waiting_for_mapping:
            digest = hashlib.sha256(content).hexdigest()[:16]
            stored = storing.save(f"training-imports/{partnership.pk}/{result.batch.pk}-{digest}", content)
            save(result.batch, actor=actor, fields={"stored_as": stored})
    return result


def completions_import(
    *,
    actor,
    partnership,
    file_name: str,
    content: bytes,
    commit: bool = True,
    batch: ImportBatch | None = None,
    on_progress=None,
) -> ImportResult:
    """Check an export and, if every row is good and `commit`, import it all-or-nothing.

    A file that is not a CSV or a safe XLSX raises ValidationError({'file': ...}); bad rows
    and unmapped organisation names come back in the result, with nothing saved.
    `on_progress(stage, done, total)` hears "checked" every 10,000 rows, then "saving",
    "learners" and "completions" as the one transaction writes them (for the command line).
    """
    actor = actor if getattr(actor, "is_authenticated", False) else None
    columns, rows = open_rows(file_name, content)  # refuses unsafe files before any record is made
    file_hash = hashlib.sha256(content).hexdigest()
    organisation_categories_ensure(actor=actor, partnership=partnership)
    if commit:
        fail_stopped_imports(partnership)
    if batch is None:
        batch = save(
            ImportBatch(
                partnership=partnership,
                file_name=file_name[:255],
                file_hash=file_hash,
                uploaded_by=actor,
                outcome=ImportOutcome.RUNNING if commit else ImportOutcome.CHECKED,
                progress_at=timezone.now(),
            ),
            actor=actor,
        )
    report = on_progress or (lambda stage, done, total: None)
    try:
        return _check_and_import(actor, partnership, batch, columns, rows, commit, report)
    except ValidationError:
        raise
    except (
        BaseException
    ) as error:  # a database error, a bug, Ctrl+C: the batch must not look as if it were still importing
        if commit:
            _record_failure(batch, error)
        raise


def _check_and_import(actor, partnership, batch, columns, rows, commit, report) -> ImportResult:
    def progress(count):
        ImportBatch.objects.filter(pk=batch.pk).update(rows_checked=count, progress_at=timezone.now())
        report("checked", count, None)

    today = timezone.localdate()
    try:
        checked = check_rows(partnership, columns, rows, today=today, on_progress=progress)
    except ValidationError as error:
        save(
            batch,
            actor=actor,
            fields={
                "outcome": ImportOutcome.REJECTED,
                "problems": [[0, " ".join(error.messages)]],
                "finished_at": timezone.now(),
            },
        )
        raise
    good, count, organisations = checked.good, checked.count, checked.organisations
    result = ImportResult(
        batch=batch,
        rows=count,
        problems=checked.problems,
        unknown_organisations=checked.unknown_organisations,
        unknown_courses=checked.unknown_courses,
        warnings=checked.warnings,
    )
    batch.rows = batch.rows_checked = count
    batch.problems = [list(p) for p in checked.problems]
    batch.warnings = [list(w) for w in checked.warnings]
    batch.unknown_organisations = [list(u) for u in checked.unknown_organisations]
    batch.unknown_courses = [list(c) for c in checked.unknown_courses]
    batch.finished_at = None
    if not result.ok:
        batch.outcome = ImportOutcome.REJECTED
        batch.finished_at = timezone.now()
        save(batch, actor=actor)
        return result
    if not commit:
        batch.outcome = ImportOutcome.CHECKED
        result.already_held = _already_held(partnership, good)
        batch.already_held = result.already_held
        save(batch, actor=actor)
        return result
    # The last sign of life before the one transaction: every row checked, saving under way.
    batch.progress_at = timezone.now()
    ImportBatch.objects.filter(pk=batch.pk).update(rows=count, rows_checked=count, progress_at=batch.progress_at)
    report("saving", 0, len(good))
    with transaction.atomic(), attributed_to(actor):
        result.added, result.already_held, result.learners_added = _insert(
            partnership, batch, good, organisations, report
        )
        batch.added, batch.already_held, batch.learners_added = result.added, result.already_held, result.learners_added
        batch.outcome = ImportOutcome.IMPORTED
        batch.finished_at = timezone.now()
        save(batch, actor=actor)
        # The plain-row inserts write no audit entries: this one records the batch and its counts.
        audit_bulk_change(
            actor,
            batch,
            {
                "completions added": result.added,
                "already imported": result.already_held,
                "learners added": result.learners_added,
                "rows": count,
                "exact repeats counted once": len(checked.warnings),
            },
        )
    return result


def still_to_add(partnership, batch: ImportBatch) -> dict:
    """A refused file's organisation names and courses as they stand now: those mapped or added
    since it was checked drop off. Two queries."""
    lookup = organisation_lookup(partnership)
    titles = {
        title.casefold() for title in Course.objects.filter(partnership=partnership).values_list("title", flat=True)
    }
    unmapped = [
        (name, rows) for name, rows in batch.unknown_organisations if normalise_organisation(name) not in lookup
    ]
    courses = [(title, rows, first) for title, rows, first in batch.unknown_courses if title.casefold() not in titles]
    added = len(batch.unknown_organisations) - len(unmapped) + len(batch.unknown_courses) - len(courses)
    return {
        "unmapped": unmapped,
        "unknown_courses": courses,
        "added_since": added,
        "can_check_again": bool(batch.stored_as) and not batch.problems and not unmapped and not courses,
    }


def _record_failure(batch: ImportBatch, error: BaseException) -> None:
    """Mark a batch whose import raised as failed (its transaction saved nothing), if the database lets us."""
    reason = (
        f"{IMPORT_STOPPED_MESSAGE} ({type(error).__name__}: {str(error)[:200]})"
        if str(error)
        else IMPORT_STOPPED_MESSAGE
    )
    try:
        ImportBatch.objects.filter(pk=batch.pk, outcome=ImportOutcome.RUNNING).update(
            outcome=ImportOutcome.FAILED, problems=[[0, reason]], finished_at=timezone.now()
        )
    except Exception:  # the database itself is what failed: the batch will be found stale later
        logger.exception("Could not record import batch %s as failed.", batch.pk)


def fail_stopped_imports(partnership) -> int:
    """Record as failed the partnership's imports that stopped without a word (a killed process):
    each has shown no progress for longer than any import takes, and saved nothing."""
    cutoff = timezone.now() - IMPORT_STALE_AFTER
    silent = Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, uploaded_at__lt=cutoff)
    return ImportBatch.objects.filter(silent, partnership=partnership, outcome=ImportOutcome.RUNNING).update(
        outcome=ImportOutcome.FAILED, problems=[[0, IMPORT_STOPPED_MESSAGE]], finished_at=timezone.now()
    )


def _keys(partnership, good: list[_Row]) -> None:
    partnership_id, keys = partnership.pk, {}
    for row in good:
        key = keys.get(row.email)
        if key is None:
            key = keys[row.email] = learner_key(partnership_id, row.email)
        row.key = key


def _existing(partnership, good: list[_Row]):
    """The learners held (key -> id) and the completions held for the file's date range: two queries."""
    learners = dict(Learner.objects.filter(partnership=partnership).values_list("key", "pk"))
    first, last = min(r.completed_on for r in good), max(r.completed_on for r in good)
    held = set(
        Completion.objects.filter(partnership=partnership, completed_on__range=(first, last)).values_list(
            "learner_id", "course_id", "completed_on"
        )
    )
    return learners, held


def _already_held(partnership, good: list[_Row]) -> int:
    if not good:
        return 0
    _keys(partnership, good)
    learners, held = _existing(partnership, good)
    return sum(1 for r in good if (learners.get(r.key), r.course_id, r.completed_on) in held)


def _insert(partnership, batch, good: list[_Row], organisations, report) -> tuple[int, int, int]:
    if not good:
        return 0, 0, 0
    _keys(partnership, good)
    learners, held = _existing(partnership, good)
    partnership_id = partnership.pk
    new_learners: dict[str, tuple] = {}
    for row in good:
        if row.key not in learners and row.key not in new_learners:
            category_id, agency_id = organisations[row.normalised]
            new_learners[row.key] = (
                partnership_id,
                row.key,
                row.name[:200],
                row.email[:254],
                row.organisation[:300],
                category_id,
                agency_id,
            )
    insert_rows(
        Learner,
        ["partnership", "key", "name", "email", "organisation", "category", "agency"],
        list(new_learners.values()),
    )
    report("learners", len(new_learners), len(new_learners))
    if new_learners:  # their ids, in one query
        learners = dict(Learner.objects.filter(partnership=partnership).values_list("key", "pk"))
    completions = []
    batch_id = batch.pk
    for row in good:
        learner_id = learners[row.key]
        if (learner_id, row.course_id, row.completed_on) in held:
            continue
        completions.append(
            (partnership_id, learner_id, row.course_id, row.completed_on, organisations[row.normalised][0], batch_id)
        )
    insert_rows(
        Completion,
        ["partnership", "learner", "course", "completed_on", "category", "batch"],
        completions,
        on_progress=lambda done: report("completions", done, len(completions)),
        every=BATCH_SIZE,
    )
    return len(completions), len(good) - len(completions), len(new_learners)
