"""Property-based fuzzing of the three importers (training completions, restraint returns,
indicator returns): whatever the file, the importer answers with a message (never a server
error), and a refused file saves nothing."""

from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jigsaw.assurance.models import RestraintIncident
from jigsaw.assurance.services import restraint_import
from jigsaw.core import tables, uploads
from jigsaw.core.scoping import Access, Role
from jigsaw.performance import imports as indicator_imports
from jigsaw.performance.models import IndicatorValue
from jigsaw.training.imports import completions_import
from jigsaw.training.models import Completion

# `make test` runs the same 40 examples every time; `make soak` (JIGSAW_FUZZ_PROFILE=soak) runs
# JIGSAW_FUZZ_EXAMPLES new ones, from the seed it prints (pytest --hypothesis-seed).
settings.register_profile(
    "jigsaw-fuzz-fast", max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
settings.register_profile(
    "jigsaw-fuzz-soak",
    max_examples=int(os.environ.get("JIGSAW_FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=False,
    database=None,
    print_blob=True,
)
FUZZ = settings(settings.get_profile(f"jigsaw-fuzz-{os.environ.get('JIGSAW_FUZZ_PROFILE', 'fast')}"))

# Cells an export can hold on a bad day: formulas, dates out of range, huge text, control
# characters, numbers where words belong, encodings that are not what they claim.
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "=1+1",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            '=HYPERLINK("http://x")',
            "31/02/2024",
            "0000-00-00",
            "9999-12-31",
            "1899-12-30",
            "2024-13-01",
            "",
            " ",
            "NaN",
            "inf",
            "-1",
            "4",
            "1e309",
            "\x00",
            "\u202e",
            "ÿþ",
        ]
    ),
    st.text(min_size=5000, max_size=20000, alphabet="ab"),
    st.integers(-(10**12), 10**12).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def files(headers):
    """Whole files: the right header with fuzzed rows, a wrong header, junk bytes, BOMs,
    other encodings and a fake spreadsheet."""
    good_header = st.just(headers)
    shuffled = st.permutations(headers).map(list)
    wrong = st.lists(st.text(max_size=12), max_size=8)
    rows = st.lists(st.lists(CELLS, min_size=0, max_size=len(headers) + 2), max_size=8)
    table = st.builds(_csv, st.one_of(good_header, shuffled, wrong), rows)
    return st.one_of(
        table,
        table.map(lambda b: b"\xef\xbb\xbf" + b),
        table.map(lambda b: b.decode("utf-8").encode("utf-16")),
        table.map(lambda b: b.decode("utf-8", "replace").encode("latin-1", "replace")),
        st.binary(max_size=2000),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    )


@pytest.fixture
def counts():
    return lambda: (Completion.objects.count(), RestraintIncident.objects.count(), IndicatorValue.objects.count())


@FUZZ
@given(content=files(["Learner", "Email", "Organisation", "Course", "Completion date"]), xlsx=st.booleans())
def test_completions_import_never_fails_badly(world, counts, content, xlsx):
    before = counts()
    try:
        result = completions_import(
            actor=world.users[Role.BUSINESS_UNIT],
            partnership=world.partnership,
            file_name="export.xlsx" if xlsx else "export.csv",
            content=content,
        )
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
        assert counts() == before
        return
    if not result.ok:
        assert result.problems or result.unknown_organisations or result.unknown_courses
        assert all(str(number).isdigit() and reason for number, reason in result.problems)
        assert counts() == before


@FUZZ
@given(content=files(["reference", "date", "young_person", "restraint_type", "injury_level"]))
def test_restraint_import_never_fails_badly(world, counts, content):
    before = counts()
    try:
        restraint_import(
            actor=world.users[Role.BUSINESS_UNIT],
            partnership=world.partnership,
            setting=world.police,
            file=io.BytesIO(content),
            file_name="return.csv",
        )
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
        assert counts() == before


@FUZZ
@given(content=files(indicator_imports.COLUMNS), xlsx=st.booleans())
def test_indicator_upload_never_fails_badly(world, counts, content, xlsx):
    before = counts()
    upload = SimpleUploadedFile("returns.xlsx" if xlsx else "returns.csv", content)
    access = Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership)
    try:
        parsed = indicator_imports.parse(upload, partnership=world.partnership, access=access)
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
    else:
        assert parsed.errors or parsed.rows or parsed.previews is not None
    assert counts() == before  # checking a file never saves anything


@FUZZ
@given(
    content=files(["a", "b", "c"]),
    name=st.sampled_from(["t.csv", "t.xlsx", "t.txt", "t"]),
    limits=st.sampled_from([uploads.COMPLETIONS_TABLE, uploads.RESTRAINT_TABLE, uploads.RETURNS_TABLE]),
)
def test_the_table_reader_never_fails_badly(content, name, limits):
    """The reader every importer uses: rows, or one clear message; never another exception."""
    try:
        for number, cells in tables.read_table(name, content, limits=limits):
            assert number >= 1 and isinstance(cells, list)
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=500).map(lambda b: b"%PDF-1.7\n" + b),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=500).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
    ),
    name=st.sampled_from(
        ["a.pdf", "a.docx", "a.xlsx", "a.pptx", "a.odt", "a.doc", "a.png", "a.jpg", "a.txt", "a.csv", "a.svg", "a"]
    ),
)
def test_the_upload_policy_never_fails_badly(content, name):
    for policy in uploads.FILE_POLICIES:
        try:
            assert policy.check(SimpleUploadedFile(name, content)) in policy.kinds
        except ValidationError as error:
            assert error.messages and all(message.strip() for message in error.messages)
