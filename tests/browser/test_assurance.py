"""An agency lead completes a section 11 return in the browser, section by section from the home page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from jigsaw.assurance import services
from jigsaw.assurance.models import ReturnStatus
from jigsaw.core.scoping import Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_agency_lead_completes_a_section_11_return_section_by_section_from_the_home_page(axe_page, world, axe, sign_in):
    lead = world.users[Role.AGENCY_LEAD]
    framework = services.framework_create(actor=None, partnership=world.partnership, name="Section 11 tool")
    for title in ("Leadership and accountability", "Voice of the child"):
        section = services.section_add(actor=None, framework=framework, title=title)
        for number in (1, 2):
            services.question_add(
                actor=None,
                section=section,
                text=f"{title}: standard {number} is met.",
                evidence_expected="Audit results.",
            )
    round = services.round_create(
        actor=None,
        partnership=world.partnership,
        title="Section 11 2025",
        framework=framework,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 8, 31),
        deadline=datetime.date(2025, 9, 30),
    )
    assessment_return = services.participant_invite(
        actor=None, round=round, participant=lead.person, service="Police Safeguarding Hub"
    )

    page = axe_page
    sign_in(page, lead.email)
    page.goto("/durham/")
    page.get_by_role("link", name="Assurance", exact=True).first.click()
    page.get_by_role("link", name="Police Safeguarding Hub", exact=False).click()
    expect(page.locator(".govuk-task-list")).to_contain_text("Cannot start yet")
    axe(page)

    # Section 1: one answer, then save and come back later.
    page.get_by_role("link", name="1. Leadership and accountability").click()
    expect(page.locator(".govuk-caption-l")).to_contain_text("section 1 of 2")
    axe(page)
    page.get_by_role("group", name="1.1 Leadership and accountability: standard 1 is met.").get_by_label(
        "Green"
    ).check()
    page.get_by_label("Evidence for 1.1").fill("Supervision audit in March: every case had a named safeguarding lead.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    expect(page.locator("#section-1-status")).to_have_text("In progress")
    expect(page.locator("#section-2-status")).to_have_text("Not started")

    # Back to it: save and continue without rating 1.2 names the question.
    page.get_by_role("link", name="1. Leadership and accountability").click()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rate question 1.2: choose red, amber or green")
    axe(page)
    page.get_by_role("group", name="1.2 Leadership and accountability: standard 2 is met.").get_by_label(
        "Amber"
    ).check()
    page.get_by_role("button", name="Save and continue").click()

    # Straight on to section 2, then to check your answers.
    expect(page.locator("h1")).to_have_text("Voice of the child")
    page.get_by_role("group", name="2.1 Voice of the child: standard 1 is met.").get_by_label("Green").check()
    page.get_by_role("group", name="2.2 Voice of the child: standard 2 is met.").get_by_label("Red").check()
    page.get_by_label("Evidence for 2.2").fill("No feedback from children collected this year.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before submitting your return")
    expect(page.locator("main")).to_contain_text("Supervision audit in March")
    axe(page)

    # Change one answer from the summary, and come back to check.
    page.get_by_role("link", name="Change the answer to 2.2").click()
    page.get_by_role("group", name="2.2 Voice of the child: standard 2 is met.").get_by_label("Amber").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before submitting your return")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Return submitted")
    expect(page.locator("#return-status")).to_contain_text("Submitted")
    axe(page)
    assessment_return.refresh_from_db()
    assert assessment_return.status == ReturnStatus.SUBMITTED
    assert sorted(assessment_return.answers.values_list("question__section__number", "question__number", "rating")) == [
        (1, 1, "green"),
        (1, 2, "amber"),
        (2, 1, "green"),
        (2, 2, "amber"),
    ]


def test_business_unit_assurance_pages_have_no_axe_violations(axe_page, world, axe, sign_in):
    page = axe_page
    sign_in(page, world.users[Role.BUSINESS_UNIT].email)
    for url in [
        f"/durham/assurance/self-assessment/{world.round.pk}/",
        f"/durham/assurance/tools/{world.framework.pk}/",
        "/durham/assurance/restraint/",
        f"/durham/assurance/assurance-weeks/{world.week.pk}/",
        "/durham/assurance/scrutiny/",
        f"/durham/assurance/jtai/{world.jtai.pk}/",
        "/durham/assurance/restraint/import/",
    ]:
        page.goto(url)
        axe(page)
