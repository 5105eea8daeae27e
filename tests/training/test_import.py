"""The completions import: mapping, idempotency, all-or-nothing, unsafe files."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from jigsaw.core.audit import AuditEntry
from jigsaw.core.models import Sector
from jigsaw.core.scoping import Role
from jigsaw.training import services
from jigsaw.training.imports import completions_import
from jigsaw.training.models import Completion, ImportBatch, ImportOutcome, Learner, OrganisationCategory

HEADER = "Learner,Email,Organisation,Course,Completion date\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def run(world, content: bytes, name: str = "export.csv", **kwargs):
    return completions_import(
        actor=world.users[Role.BUSINESS_UNIT], partnership=world.partnership, file_name=name, content=content, **kwargs
    )


GOOD = [
    "Ann Able,ann@school.example,Schools,Safeguarding Children Awareness,02/05/2024",
    "Bob Baker,bob@police.example,durham  police,Safeguarding Children Awareness,2024-06-03",
    "Ann Able,ann@school.example,Schools,Working with Resistance,03/05/2024",
]


def test_a_clean_file_imports_every_row_and_maps_organisations(world):
    result = run(world, csv_bytes(*GOOD))
    assert result.ok and result.added == 3 and result.learners_added == 2
    bob = Completion.objects.get(learner__email="bob@police.example")
    # 'durham  police' is the alias 'Durham Police' (case and spacing ignored): Police, linked to the agency.
    assert bob.category.sector == Sector.POLICE and bob.learner.agency == world.police
    assert ImportBatch.objects.get(pk=result.batch.pk).outcome == ImportOutcome.IMPORTED


def test_importing_the_same_file_twice_adds_nothing(world):
    run(world, csv_bytes(*GOOD))
    before = Completion.objects.count(), Learner.objects.count()
    again = run(world, csv_bytes(*GOOD))
    assert again.ok and again.added == 0 and again.already_held == 3
    assert (Completion.objects.count(), Learner.objects.count()) == before


def test_bad_rows_are_all_listed_and_nothing_is_saved(world):
    future = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    content = csv_bytes(
        GOOD[0],
        "Cat Cole,cat@school.example,Schools,No Such Course,02/05/2024",
        f"Dan Dee,dan@school.example,Schools,Safeguarding Children Awareness,{future}",
        "Eve Ey,eve@school.example,Schools,Safeguarding Children Awareness,31/02/2024",
        "Ann Able,ann@school.example,Durham Police,Safeguarding Children Awareness,02/05/2024",
        "Fay,,Schools,Safeguarding Children Awareness,02/05/2024",
    )
    before = Completion.objects.count()
    result = run(world, content)
    problems = dict(result.problems)
    assert not result.ok and result.added == 0 and Completion.objects.count() == before
    assert set(problems) == {4, 5, 6, 7}
    assert result.unknown_courses == [("No Such Course", 1, "2024-05-02")]  # one line per title, not a problem per row
    assert "in the future" in problems[4]
    assert "is not a date" in problems[5]
    assert problems[6].startswith("Duplicates row 2") and "different name or organisation" in problems[6]
    assert problems[7] == "Blank email."
    assert ImportBatch.objects.get(pk=result.batch.pk).outcome == ImportOutcome.REJECTED


def test_unknown_organisations_are_listed_and_the_import_runs_once_they_are_mapped(world):
    content = csv_bytes("Gus Gray,gus@club.example,Shildon Boxing Club,Safeguarding Children Awareness,02/05/2024")
    first = run(world, content)
    assert not first.ok and first.unknown_organisations == [("Shildon Boxing Club", 1)] and first.added == 0
    voluntary = OrganisationCategory.objects.get(partnership=world.partnership, sector=Sector.VOLUNTARY)
    services.organisation_alias_create(
        actor=world.users[Role.BUSINESS_UNIT],
        partnership=world.partnership,
        name="Shildon Boxing Club",
        category=voluntary,
    )
    second = run(world, content)
    assert second.ok and second.added == 1
    assert Completion.objects.get(learner__email="gus@club.example").category == voluntary


def test_a_checked_preview_saves_no_completions(world):
    result = run(world, csv_bytes(*GOOD), commit=False)
    assert result.ok and result.added == 0 and result.batch.outcome == ImportOutcome.CHECKED
    assert not Completion.objects.filter(learner__email="ann@school.example").exists()


def test_one_audit_entry_records_the_batch_and_its_counts(world):
    result = run(world, csv_bytes(*GOOD))
    entries = AuditEntry.objects.filter(object_pk=str(result.batch.pk), content_type__model="importbatch")
    assert any((e.changes or {}).get("completions added") == ["", "3"] for e in entries)
    assert entries.first().actor == world.users[Role.BUSINESS_UNIT]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_export_imports_with_real_dates(world):
    content = xlsx_bytes(
        [
            ["Learner", "Email", "Organisation", "Course", "Completion date"],
            [
                "Hal Hope",
                "hal@school.example",
                "Schools",
                "Safeguarding Children Awareness",
                datetime.datetime(2024, 7, 1, 10, 30),
            ],
        ]
    )
    result = run(world, content, name="export.xlsx")
    assert result.ok and result.added == 1
    assert Completion.objects.get(learner__email="hal@school.example").completed_on == datetime.date(2024, 7, 1)


def _refused(world, content, name):
    before = Completion.objects.count(), ImportBatch.objects.count()
    with pytest.raises(ValidationError) as raised:
        run(world, content, name=name)
    assert (Completion.objects.count(), ImportBatch.objects.count()) == before
    return " ".join(raised.value.message_dict["file"])


def test_files_that_are_not_csv_or_xlsx_are_refused(world):
    assert "a CSV text file or an Excel workbook" in _refused(world, b"%PDF-1.4", "export.pdf")
    assert "not an Excel workbook" in _refused(world, b"Learner,Email", "export.xlsx")
    assert "not a CSV" in _refused(world, xlsx_bytes([["a"]]), "export.csv")


def test_a_file_over_50_mb_is_refused(world):
    assert "larger than 50 MB" in _refused(world, b"x" * (50 * 1024 * 1024 + 1), "export.csv")


def test_a_zip_bomb_is_refused(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * (20 * 1024 * 1024) + b"</a>")
    assert "zip bomb" in _refused(world, out.getvalue(), "bomb.xlsx")


def test_an_xlsx_with_external_entities_is_refused(world):
    content = xlsx_bytes(
        [
            ["Learner", "Email", "Organisation", "Course", "Completion date"],
            ["A", "a@b.example", "Schools", "Safeguarding Children Awareness", "01/05/2024"],
        ]
    )
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                declaration, _, rest = data.partition(b"?>")
                data = declaration + b'?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + rest
            archive.writestr(item, data)
    assert "entities" in _refused(world, out.getvalue(), "xxe.xlsx")


def test_missing_columns_are_named(world):
    assert "missing: course, completion date" in _refused(
        world, b"Learner,Email,Organisation\nA,a@b.example,Schools\n", "export.csv"
    )


def test_the_command_imports_a_file(world, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(*GOOD))
    call_command("import_completions", "--partnership", "durham", str(path))
    assert "3 completions added" in capsys.readouterr().out


def test_an_import_that_raises_while_saving_is_recorded_as_failed_with_nothing_saved(world, monkeypatch):
    from jigsaw.training import imports

    def broken(*args, **kwargs):
        Learner.objects.create(
            partnership=world.partnership,
            key="k",
            name="Half Saved",
            email="half@school.example",
            organisation="Schools",
            category=OrganisationCategory.objects.filter(partnership=world.partnership).first(),
        )
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "_insert", broken)
    with pytest.raises(RuntimeError):
        run(world, csv_bytes(*GOOD))
    batch = ImportBatch.objects.latest("pk")
    assert batch.outcome == ImportOutcome.FAILED and batch.failed and not batch.in_progress
    assert "the database went away" in batch.problems[0][1]
    assert not Learner.objects.filter(email="half@school.example").exists()


def test_a_silent_running_import_is_shown_then_recorded_as_failed(world):
    import datetime as dt

    from django.utils import timezone

    from jigsaw.training.imports import fail_stopped_imports
    from jigsaw.training.models import IMPORT_STALE_AFTER

    batch = ImportBatch.objects.create(
        partnership=world.partnership,
        file_name="killed.csv",
        file_hash="x",
        outcome=ImportOutcome.RUNNING,
        rows=10,
        rows_checked=10,
        progress_at=timezone.now(),
    )
    assert batch.in_progress and batch.saving and not batch.failed and fail_stopped_imports(world.partnership) == 0
    ImportBatch.objects.filter(pk=batch.pk).update(
        progress_at=timezone.now() - IMPORT_STALE_AFTER - dt.timedelta(seconds=1)
    )
    batch.refresh_from_db()
    assert batch.stopped and batch.failed and not batch.in_progress and batch.outcome_label.startswith("Not imported")
    page = world.client(Role.BUSINESS_UNIT).get(batch.get_absolute_url()).content.decode()
    assert "Nothing from this file was saved" in page and "hx-get" not in page
    run(world, csv_bytes(*GOOD))  # the next import records it
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.FAILED and batch.finished_at is not None


def test_the_command_reports_progress_with_verbosity_2(world, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(*GOOD))
    call_command("import_completions", "--partnership", "durham", "-v", "2", str(path))
    out = capsys.readouterr().out
    assert (
        "saving 3 rows in one transaction" in out
        and "Wrote 3 of 3 completions (not committed yet)" in out
        and "3 completions added" in out
    )


def test_a_csv_with_a_nul_character_anywhere_is_refused_not_a_database_error(world):
    # Found by `make soak`: a NUL after the first 8 KB reached a problem message, which
    # PostgreSQL's JSON cannot hold (a database error, not a message).
    content = csv_bytes(
        *GOOD,
        *[
            f"Ann Able,ann@school.example,Schools,Safeguarding Children Awareness,{n % 28 + 1:02d}/01/2024"
            for n in range(400)
        ],
        "Zed,zed@school.example,Schools,Safeguarding Children Awareness,\x00",
    )
    assert len(content) > 8192
    with pytest.raises(ValidationError, match="not a CSV text file"):
        run(world, content)
    assert not Completion.objects.filter(learner__email="ann@school.example").exists()
