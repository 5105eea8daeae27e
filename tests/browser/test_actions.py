"""An agency lead updates their agency's action and adds evidence; axe finds nothing on the way."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from jigsaw.actions import services
from jigsaw.actions.models import LearningAction, Status
from jigsaw.core.scoping import Role
from tests.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_agency_lead_updates_an_action_and_adds_evidence(axe_page, world, axe, sign_in):
    page = axe_page
    action = services.action_raise(
        actor=None,
        partnership=world.partnership,
        description="Brief response officers on the voice of the child at domestic abuse incidents",
        owner_agency=world.police,
        raised_on=datetime.date(2025, 4, 1),
        due_on=datetime.date(2025, 6, 30),
        themes=[world.theme],
    )
    sign_in(page, world.users[Role.AGENCY_LEAD].email)

    page.goto("/durham/actions/my-agency/")
    expect(page.get_by_role("heading", name="My agency's actions")).to_be_visible()
    expect(page.get_by_text("Audit return home interviews")).to_have_count(0)  # the council's action is not theirs
    axe(page)

    page.get_by_role("link", name=action.reference).click()
    page.get_by_role("link", name=f"Update progress of {action.reference}").click()
    expect(page.get_by_role("heading", name="Update progress")).to_be_visible()
    axe(page)

    # Completing without evidence is refused, naming the field.
    page.get_by_label("Completed").check()
    page.get_by_role("button", name="Save progress").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Describe the evidence that the action is complete.")
    axe(page)

    page.get_by_label("Completed").check()
    page.get_by_label("Evidence of completion").fill("All 14 response teams briefed; the briefing is attached.")
    page.get_by_label("Evidence files").set_input_files(
        files=[{"name": "briefing-note.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("briefing")}]
    )
    page.get_by_role("button", name="Save progress").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Action {action.reference} updated.")
    expect(page.get_by_role("link", name="briefing-note.pdf")).to_be_visible()
    expect(page.get_by_role("rowheader", name="6-month review")).to_be_visible()
    axe(page)
    action.refresh_from_db()
    assert action.status == Status.COMPLETED and action.evidence_files.count() == 1
    assert LearningAction.objects.get(pk=world.council_action.pk).status == Status.OPEN


@pytest.mark.parametrize(
    "path",
    [
        "/durham/actions/",
        "/durham/actions/?status=open&sort=priority",
        "/durham/actions/by-theme/",
        "/durham/actions/new/",
        "/durham/actions/reviews-due/",
    ],
    ids=["log", "filtered", "by-theme", "raise", "reviews-due"],
)
def test_business_unit_log_pages(axe_page, world, axe, sign_in, path):
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    response = axe_page.goto(path)
    assert response is not None and response.status == 200
    axe(axe_page)


def test_business_unit_records_a_review(axe_page, world, axe, sign_in):
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    review = world.action.reviews.get(kind="six_month")
    axe_page.goto(f"/durham/actions/reviews/{review.pk}/")
    axe(axe_page)
    axe_page.get_by_role("button", name="Record the review").click()
    expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
    axe(axe_page)
    axe_page.get_by_label("Green").check()
    axe_page.get_by_label("What has changed in practice").fill("Strategy meetings now hear from schools.")
    axe_page.get_by_label("Yes").check()
    axe_page.get_by_label("Evidence").fill("Audit of 12 strategy meetings.")
    axe_page.get_by_role("button", name="Record the review").click()
    expect(axe_page.locator(".govuk-notification-banner--success")).to_contain_text("6-month review")
    axe(axe_page)
