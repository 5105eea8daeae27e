"""The report over the API reads the same cached figures as the pages, and never stale ones."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.core.scoping import Role
from jigsaw.reports import services
from jigsaw.reports.models import Report
from jigsaw.training.imports import completions_import

COMPLETIONS = (
    b"Learner,Email,Organisation,Course,Completion date\n"
    b"Ann Able,ann@school.example,Schools,Safeguarding Children Awareness,02/05/2024\n"
    b"Bob Baker,bob@police.example,Durham Police,Safeguarding Children Awareness,2024-06-03\n"
)


@pytest.fixture
def report(world):
    published = Report.objects.filter(partnership=world.partnership, year="2024-25").order_by("-version").first()
    report = services.report_new_version(actor=world.users[Role.BUSINESS_UNIT], report=published)
    services.section_update(
        actor=world.users[Role.BUSINESS_UNIT],
        section=report.sections.first(),
        body="Our year.\n\n{{ block training.completions.total }}",
    )
    return report


def test_a_report_read_alone_carries_todays_figures_and_the_next_read_after_an_import_moves(world, report):
    client = world.client(Role.BUSINESS_UNIT)
    url = f"/api/partnerships/durham/reports/{report.pk}/"
    before = client.get(url).json()["figures"]
    assert before["partnership"] == "durham" and before["year"] == "2024-25"
    total = before["figures"]["training.completions.total"]
    # The page shows the same figure: both read the one cache.
    page = client.get("/durham/training/analysis/?year=2024-25")
    assert page.context["blocks"][0]["block"].figures["training.completions.total"] == total

    with CaptureQueriesContext(connection) as again:
        assert client.get(url).json()["figures"]["figures"]["training.completions.total"] == total
    assert "training_completion" not in " ".join(q["sql"] for q in again)  # from the cache

    result = completions_import(
        actor=world.users[Role.BUSINESS_UNIT], partnership=world.partnership, file_name="x.csv", content=COMPLETIONS
    )
    assert result.ok and result.added == 2
    assert client.get(url).json()["figures"]["figures"]["training.completions.total"] == total + 2


def test_the_list_of_reports_leaves_the_figures_to_the_report_read_alone(world, report):
    listed = world.client(Role.BUSINESS_UNIT).get("/api/partnerships/durham/reports/").json()["results"]
    assert report.pk in [r["id"] for r in listed] and not any("figures" in r for r in listed)


def test_the_figures_are_only_for_those_who_may_read_the_draft(world, report):
    assert world.client(Role.BUSINESS_UNIT).get(f"/api/partnerships/darlington/reports/{report.pk}/").status_code == 404


def test_a_published_version_carries_the_figures_it_was_published_with(world):
    published = Report.objects.filter(partnership=world.partnership, year="2024-25").order_by("-version").first()
    assert published.is_frozen and published.published_build_id
    client = world.client(Role.BUSINESS_UNIT)
    figures = client.get(f"/api/partnerships/durham/reports/{published.pk}/").json()["figures"]
    assert figures == published.published_build.figures
