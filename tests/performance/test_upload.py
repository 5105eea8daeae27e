"""Uploading a returns file: all or nothing, every bad row listed, a preview before saving."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jigsaw.core import imports
from jigsaw.core.scoping import Role
from jigsaw.performance.models import IndicatorValue

HEADER = "indicator,period,agency,value,numerator,denominator,commentary,data_quality\n"


def upload(client, world, text: str, name="returns.csv"):
    url = reverse("performance:upload", args=[world.partnership.slug])
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)})


def test_a_file_with_mixed_bad_rows_lists_each_and_saves_nothing(world, rhi):
    text = HEADER + "\n".join(
        [
            "MC-1,Q1 2024/25,Durham County Council,,185,192,Good,confirmed",  # row 2: fine
            "MC-1,Q2 2024/25,Durham County Council,,15,,,",  # row 3: no denominator
            "MC-1,Q3 2024/25,Durham County Council,,15,0,,",  # row 4: denominator zero
            "DA-3,Q1 2099/00,Durham Constabulary,12,,,,",  # row 5: future
            "DA-3,Q1 2024/25,Durham Constabulary,12.5,,,,",  # row 6: wrong unit
            "NOPE,Q1 2024/25,Durham Constabulary,1,,,,",  # row 7: unknown indicator
            "MC-1,Q1 2024/25,Durham County Council,,180,192,,",  # row 8: duplicate of row 2
        ]
    )
    response = upload(world.client(Role.BUSINESS_UNIT), world, text)
    page = response.content.decode()
    assert "Nothing from the file has been saved" in page
    for number in (3, 4, 5, 6):  # each named with its column
        assert f"Row {number}, column " in page
    assert "Unknown indicator &#x27;NOPE&#x27; (row 7)" in page
    assert "Row 8: repeats row 2 (the same indicator, period and agency)" in page
    assert "Row 2" not in page
    assert (
        "Row 3, column &#x27;denominator&#x27;" in page
        and "is zero" in page
        and "whole number" in page
        and "Row 5, column &#x27;period&#x27;" in page
    )
    assert not IndicatorValue.objects.filter(indicator=rhi).exists()


def test_a_good_file_is_previewed_then_saved_whole(world, rhi):
    client = world.client(Role.BUSINESS_UNIT)
    text = (
        HEADER
        + "MC-1,Q1 2024/25,Durham County Council,,185,192,More offered,confirmed\nMC-1,2024-25 Q2,durham county council,,188,193,,provisional\nDA-3,Q1 2024/25,Durham Constabulary,266,,,,\n"
    )
    preview = upload(client, world, text).content.decode()
    assert (
        "Check the returns in returns.csv" in preview
        and "96.35%" in preview
        and "Replaces the earlier return" in preview
    )  # World has DA-3 for Q1
    assert IndicatorValue.objects.filter(indicator=rhi).count() == 0
    saved = client.post(
        reverse("performance:upload", args=[world.partnership.slug]), {"confirm": "1"}, follow=True
    ).content.decode()
    assert "3 returns saved from returns.csv" in saved
    assert IndicatorValue.objects.filter(indicator=rhi).count() == 2


def test_an_xlsx_file_is_read(world, rhi):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "period", "agency", "value", "numerator", "denominator"])
    sheet.append(["MC-1", "Q1 2024/25", "Durham County Council", None, 185, 192])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(world.client(Role.BUSINESS_UNIT), world, buffer.getvalue(), name="returns.xlsx").content.decode()
    assert "Check the returns in returns.xlsx" in preview and "96.35%" in preview


def test_an_agency_lead_cannot_upload_another_agencys_rows(world, rhi):
    text = HEADER + "DA-3,Q2 2024/25,Durham Constabulary,262,,,,\nMC-1,Q1 2024/25,Durham County Council,,185,192,,\n"
    page = upload(world.client(Role.AGENCY_LEAD), world, text).content.decode()
    assert "Row 3, column &#x27;agency&#x27;: you can only make returns for your own agency" in page
    assert "Row 2" not in page
    assert not IndicatorValue.objects.filter(period_start__month=7).exists()


def test_a_file_that_is_not_a_returns_file_is_refused(world):
    page = upload(world.client(Role.BUSINESS_UNIT), world, "name,age\nx,1\n").content.decode()
    assert "missing: indicator, period, agency" in page
    page = upload(world.client(Role.BUSINESS_UNIT), world, "hello", name="returns.pdf").content.decode()
    assert "Upload a .csv or .xlsx file" in page


def test_a_csv_with_a_nul_character_is_refused_not_saved_as_a_database_error(world, rhi):
    # `make soak` found NUL reaching PostgreSQL (whose text columns cannot hold it) from the completions import.
    client = world.client(Role.BUSINESS_UNIT)
    page = upload(
        client, world, HEADER + "MC-1,Q1 2024/25,Durham County Council,,185,192,More\x00offered,confirmed\n"
    ).content.decode()
    assert "not a CSV text file" in page
    client.post(reverse("performance:upload", args=[world.partnership.slug]), {"confirm": "1"})
    assert not IndicatorValue.objects.filter(indicator=rhi).exists()


def test_the_indicator_history_register_is_taken_by_the_returns_upload(world, rhi):
    client = world.client(Role.BUSINESS_UNIT)
    register = reverse("core:import", args=[world.partnership.slug, "indicator-history"])
    returns_upload = reverse("performance:upload", args=[world.partnership.slug])
    for response in (client.get(register), client.post(register, {"confirm": "1"})):
        assert response.status_code == 302 and response["Location"] == returns_upload
    # The register's export, in its template's headings, goes back in through the upload.
    history = imports.get("indicator-history")
    held = IndicatorValue.objects.filter(partnership=world.partnership).count()
    export = imports.to_csv(history, history.export(world.partnership))
    preview = upload(client, world, export, name="indicator-history.csv").content.decode()
    assert "Check the returns in indicator-history.csv" in preview
    assert preview.count("Replaces the earlier return") == held > 0
    assert IndicatorValue.objects.filter(partnership=world.partnership).count() == held  # nothing saved yet
