"""The annual report's pages in a browser: no WCAG 2.2 AA violations (axe), public and signed in."""

from __future__ import annotations

import datetime

import pytest

from jigsaw.core import files as file_store
from jigsaw.core.scoping import Role
from jigsaw.reports import services
from jigsaw.reports.models import LEAD_PARTNERS
from tests.reports.conftest import example_blocks  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def published(world, example_blocks, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    actor = world.users[Role.BUSINESS_UNIT]
    report = services.report_create(actor=actor, partnership=world.partnership, year="2023-24")
    section = report.sections.get(heading="Training")
    services.section_update(
        actor=actor,
        section=section,
        body=(
            "This was a **very** successful year. <script>alert('x')</script>\n\n"
            "- eLearning grew\n- Safeguarding week grew\n\n{{ block example.counts }}\n\n> A practitioner: it was what we needed."
        ),
    )
    build = services.build_request(actor=actor, report=report)
    services.report_submit_for_review(actor=actor, report=report)
    for role in LEAD_PARTNERS:
        services.sign_off_record(
            actor=actor, report=report, lead_partner=role, person=actor.person, signed_on=datetime.date(2024, 9, 1)
        )
    report.refresh_from_db()
    build.refresh_from_db()
    assert build.status == "succeeded", build.error
    return services.report_publish(actor=actor, report=report)


def test_the_public_report_has_no_violations(axe_page, axe, published):
    response = axe_page.goto(f"/durham/annual-report/{published.year}/")
    assert response is not None and response.status == 200
    # The template put the block in the appendix too: each place shows it.
    assert axe_page.get_by_role("heading", name="Completions by mode").count() == 2
    assert axe_page.get_by_role("img", name="Completions rose to 18,975.", exact=False).count() == 2
    assert "<script>alert('x')</script>" in axe_page.locator("main").inner_text()  # shown as text
    axe(axe_page)


def test_the_public_list_has_no_violations(axe_page, axe, published):
    axe_page.goto("/durham/annual-report/")
    axe(axe_page)


@pytest.mark.parametrize("page_name", ["report", "checklist", "section", "section-edit", "build"])
def test_the_editor_pages_have_no_violations(axe_page, axe, sign_in, world, published, page_name):
    actor = world.users[Role.BUSINESS_UNIT]
    draft = services.report_new_version(actor=actor, report=published)
    section = draft.sections.get(heading="Training")
    paths = {
        "report": f"/durham/reports/{draft.pk}/",
        "checklist": f"/durham/reports/{draft.pk}/checklist/",
        "section": f"/durham/reports/sections/{section.pk}/",
        "section-edit": f"/durham/reports/sections/{section.pk}/edit/",
        "build": f"/durham/reports/builds/{published.published_build.pk}/",
    }
    sign_in(axe_page, actor.email)
    response = axe_page.goto(paths[page_name])
    assert response is not None and response.status == 200
    if page_name == "section-edit":
        axe_page.get_by_role("button", name="Preview with today's figures").click()
        axe_page.wait_for_load_state()
        assert axe_page.get_by_role("heading", name="Preview: Training").count() == 1
    axe(axe_page)


def test_the_standalone_web_page_has_no_violations(axe_page, axe, published, tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(file_store.read(published.published_build.output_name("html")))
    axe_page.goto(path.as_uri())
    assert axe_page.get_by_role("heading", name="Contents").count() == 1
    axe(axe_page)
