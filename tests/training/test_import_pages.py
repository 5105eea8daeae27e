"""A real export through the import pages: exact repeats counted once, unknown courses one line a
title with a step to add them, and the lists updating as names are mapped and courses added."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.core.audit import AuditEntry
from jigsaw.core.models import Sector
from jigsaw.core.scoping import Role
from jigsaw.training.models import Completion, Course, ImportBatch, ImportOutcome, OrganisationCategory

pytestmark = pytest.mark.django_db
HEADER = "Learner,Email,Organisation,Course,Completion date\n"
UNKNOWN = ["Trauma Informed Practice", "Neglect Toolkit Briefing", "Online Harms for Parents"]


def _upload(client, content: bytes, name="export.csv"):
    response = client.post("/durham/training/imports/new/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.latest("pk")


def _rows(page: str, caption: str) -> int:
    """Body rows of the table with this caption (0 when the table is not on the page)."""
    match = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", page, re.S)
    return len(re.findall(r'<tr class="govuk-table__row">', match.group(1))) - 1 if match else 0


def test_exact_repeats_are_counted_once_with_a_warning_not_refused(world):
    client = world.client(Role.BUSINESS_UNIT)
    unique = [
        f"Learner {i},learner{i}@school.example,Schools,Safeguarding Children Awareness,02/05/2024" for i in range(200)
    ]
    content = (HEADER + "\n".join(unique + unique[:50]) + "\n").encode()  # the platform exported 50 rows twice
    batch = _upload(client, content)
    assert batch.outcome == ImportOutcome.CHECKED and batch.rows == 250 and len(batch.warnings) == 50
    page = client.get(batch.get_absolute_url()).content.decode()
    assert (
        "50 rows repeat an earlier row exactly" in page
        and "counted once" in page
        and "Import these completions" in page
    )
    client.post(f"/durham/training/imports/{batch.pk}/import/")
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED and batch.added == 200
    assert Completion.objects.filter(batch=batch).count() == 200
    entries = AuditEntry.objects.filter(object_pk=str(batch.pk), content_type__model="importbatch")
    assert [
        e.changes.get("exact repeats counted once") for e in entries if "completions added" in (e.changes or {})
    ] == [["", "50"]]


def test_a_row_repeating_learner_course_and_date_with_other_details_is_still_a_problem(world):
    content = (
        HEADER + "Ann Able,ann@school.example,Schools,Safeguarding Children Awareness,02/05/2024\n"
        "Ann Able,ann@school.example,Durham Police,Safeguarding Children Awareness,02/05/2024\n"
    ).encode()
    batch = _upload(world.client(Role.BUSINESS_UNIT), content)
    assert (
        batch.outcome == ImportOutcome.REJECTED
        and batch.problems[0][0] == 3
        and "different name or organisation" in batch.problems[0][1]
    )


def test_unknown_courses_are_one_line_a_title_and_added_from_the_import_then_the_file_is_checked_again(world):
    client = world.client(Role.BUSINESS_UNIT)
    lines = [
        f"Learner {i},learner{i}@school.example,{'Shildon Boxing Club' if i % 100 == 0 else 'Schools'},{UNKNOWN[i % 3]},{1 + i % 28:02d}/05/2024"
        for i in range(3800)
    ]
    lines += ["Known Learner,known@school.example,Schools,Safeguarding Children Awareness,02/05/2024"]
    batch = _upload(client, (HEADER + "\n".join(lines) + "\n").encode())
    assert batch.outcome == ImportOutcome.REJECTED and batch.problems == []
    page = client.get(batch.get_absolute_url()).content.decode()
    assert _rows(page, "Courses not found") == 3 and _rows(page, "Rows with problems") == 0
    assert "3 courses to add" in page
    for title, rows in zip(UNKNOWN, ("1,267", "1,267", "1,266")):
        assert (
            f'<td class="govuk-table__cell">{title}</td><td class="govuk-table__cell govuk-table__cell--numeric">{rows}</td>'
            in page
        )
    assert _rows(page, "Organisation names not mapped") == 1

    # Add the first course from the import: the form is filled in from the file; the delivery mode is chosen.
    link = re.search(r'href="(/durham/training/courses/new/\?title=Trauma[^"]+)"', page).group(1).replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert 'value="Trauma Informed Practice"' in form
    runs_from = re.search(r"runs_from=(\d{4})-(\d{2})-(\d{2})", link).groups()
    response = client.post(
        link,
        {
            "title": "Trauma Informed Practice",
            "mode": "elearning",
            "runs_from_year": runs_from[0],
            "runs_from_month": runs_from[1],
            "runs_from_day": runs_from[2],
        },
    )
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert _rows(page, "Courses not found") == 2 and "Trauma Informed Practice</td>" not in page

    # Map the organisation: it drops off the list straight away.
    voluntary = OrganisationCategory.objects.get(partnership=world.partnership, sector=Sector.VOLUNTARY)
    response = client.post(
        f"/durham/training/organisations/new/?batch={batch.pk}",
        {"name": "Shildon Boxing Club", "category": voluntary.pk},
    )
    page = client.get(response["Location"]).content.decode()
    assert _rows(page, "Organisation names not mapped") == 0 and "Shildon Boxing Club</td>" not in page

    for title in UNKNOWN[1:]:
        client.post(
            f"/durham/training/courses/new/?batch={batch.pk}",
            {
                "title": title,
                "mode": "programme",
                "runs_from_year": "2024",
                "runs_from_month": "4",
                "runs_from_day": "1",
            },
        )
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Every organisation name is now mapped and every course added." in page and "Check the file again" in page
    client.post(f"/durham/training/imports/{batch.pk}/check-again/")
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.CHECKED and batch.unknown_courses == [] and batch.unknown_organisations == []
    client.post(f"/durham/training/imports/{batch.pk}/import/")
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED and batch.added == 3801
    assert Course.objects.get(partnership=world.partnership, title="Trauma Informed Practice").mode == "elearning"
