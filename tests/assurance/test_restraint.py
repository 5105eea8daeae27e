"""Use of restraint: the CSV import's all-or-nothing rule, the reproducible CCTV sample, the summary."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jigsaw.assurance import queries, services
from jigsaw.assurance.models import RestraintImport, RestraintIncident
from jigsaw.core.scoping import Role

D = datetime.date
HEADER = "reference,date,young_person,restraint_type,injury_level"


def _csv(*rows: str) -> io.BytesIO:
    return io.BytesIO("\n".join([HEADER, *rows]).encode())


def _import(world, *rows):
    return services.restraint_import(
        actor=None, partnership=world.partnership, setting=world.council, file=_csv(*rows), file_name="return.csv"
    )


def test_a_good_file_is_imported_with_one_audit_record_for_the_batch(world):
    batch = _import(world, "R-1,2024-05-01,YP-0001,standing,0", "R-2,31/05/2024,YP-0002,Seated restraint,1")
    assert batch.rows == 2
    assert RestraintIncident.objects.filter(reference__in=["R-1", "R-2"]).count() == 2
    assert RestraintImport.objects.filter(pk=batch.pk).exists()


def test_a_file_with_bad_rows_is_refused_whole_and_every_bad_row_is_listed(world):
    before = RestraintIncident.objects.count()
    with pytest.raises(ValidationError) as error:
        _import(
            world,
            "R-10,2024-05-01,YP-0001,standing,0",  # row 2: good
            "R-11,2024-13-01,YP-0002,standing,0",  # row 3: no such date
            "R-12,2024-05-02,YP-0003,standing,4",  # row 4: injury level 4
            "R-13,2024-05-03,Jane Smith,seated,1",  # row 5: a name, not a reference
            "R-10,2024-05-04,YP-0004,cuddle,1",  # row 6: repeated reference and unknown type
        )
    messages = error.value.message_dict["file"]
    assert messages[0].startswith("Nothing was imported: 4 rows")
    assert [m.split(":")[0] for m in messages[1:]] == ["Row 3", "Row 4", "Row 5", "Row 6"]
    assert "injury level '4'" in messages[2]
    assert "also on row 2" in messages[4] and "cuddle" in messages[4]
    assert RestraintIncident.objects.count() == before


def test_an_incident_already_recorded_is_a_bad_row(world):
    # world.incident is ASC-0001 at the council's setting.
    with pytest.raises(ValidationError, match="ASC-0001 is already recorded"):
        _import(world, "ASC-0001,2024-05-01,YP-0001,standing,0")


def test_too_large_or_headless_files_are_refused(world, monkeypatch):
    row = "R-1,2024-05-01,YP-0001,standing,0\n"
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        _import(world, row * (2 * 1024 * 1024 // len(row) + 1))
    with pytest.raises(ValidationError, match="no column young_person, restraint_type, injury_level"):
        services.restraint_import(
            actor=None,
            partnership=world.partnership,
            setting=world.council,
            file=io.BytesIO(b"reference,date\nR-1,2024-05-01"),
        )


def test_injury_level_4_is_refused_on_the_form_too(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("assurance:incident-create", args=["durham"]),
        {
            "setting": world.council.pk,
            "reference": "R-99",
            "occurred_on_day": "1",
            "occurred_on_month": "5",
            "occurred_on_year": "2024",
            "young_person": "YP-0009",
            "restraint_type": "standing",
            "injury_level": "4",
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not RestraintIncident.objects.filter(reference="R-99").exists()
    with pytest.raises(ValidationError):
        services.incident_create(
            actor=None,
            partnership=world.partnership,
            setting=world.council,
            reference="R-98",
            occurred_on=D(2024, 5, 1),
            young_person="YP-0009",
            restraint_type="standing",
            injury_level=4,
        )


def test_the_import_page_lists_every_bad_row(world):
    client = world.client(Role.BUSINESS_UNIT)
    upload = SimpleUploadedFile(
        "return.csv",
        b"\n".join([HEADER.encode(), b"R-1,2024-05-01,YP-0001,standing,9", b"R-2,nope,YP-0001,standing,0"]),
        content_type="text/csv",
    )
    page = client.post(
        reverse("assurance:incident-import", args=["durham"]), {"setting": world.council.pk, "file": upload}
    ).content.decode()
    assert "Row 2:" in page and "Row 3:" in page


def _many(world, levels):
    rows = [f"S-{n:03d},2024-06-{1 + n % 28:02d},YP-{n % 9 + 1:04d},standing,{level}" for n, level in enumerate(levels)]
    _import(world, *rows)


def test_the_cctv_sample_is_stratified_and_reproducible_from_its_seed(world):
    _many(world, [0] * 30 + [1] * 6 + [2] + [3])
    kwargs = {
        "actor": None,
        "partnership": world.partnership,
        "setting": world.council,
        "period_start": D(2024, 4, 1),
        "period_end": D(2025, 3, 31),
        "per_level": 3,
    }
    first = services.cctv_sample_draw(seed=12345, **kwargs)
    again = services.cctv_sample_draw(seed=12345, **kwargs)
    other = services.cctv_sample_draw(seed=54321, **kwargs)
    chosen = set(first.incidents.values_list("pk", flat=True))
    assert chosen == set(again.incidents.values_list("pk", flat=True))
    assert chosen != set(other.incidents.values_list("pk", flat=True))
    # Up to 3 at each level: level 0 and 1 give 3 each; level 2 and 3 their only incident; level 1 includes world.incident.
    levels = sorted(first.incidents.values_list("injury_level", flat=True))
    assert levels == [0, 0, 0, 1, 1, 1, 2, 3]
    assert first.seed == 12345 and services.sample_verify(first)
    page = world.client(Role.SCRUTINEER).get(first.get_absolute_url()).content.decode()
    assert "gives the same incidents" in page


def test_summary_arithmetic(world):
    _many(world, [0] * 15 + [1] * 3 + [3])  # plus world.incident at level 1
    summary = queries.restraint_summary(RestraintIncident.objects.filter(partnership=world.partnership))
    assert (summary.incidents, summary.no_injury, summary.injuries) == (20, 15, 5)
    assert (summary.no_injury_pct, summary.level1_pct_of_injuries) == (75, 80)
    assert summary.by_level == {0: 15, 1: 4, 2: 0, 3: 1}


def test_a_file_with_nul_characters_is_refused_not_a_database_error(world):
    # Found by `make soak` (the fuzzer on PostgreSQL, whose text columns cannot hold NUL).
    with pytest.raises(ValidationError, match="not a CSV text file"):
        _import(world, "R-1\x00,2024-05-01,YP-0001,standing,0")
