"""The business unit records a referral, the panel decision and the rapid review in a browser;
axe-core finds no WCAG 2.2 AA violations on any page of the flow."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jigsaw.core.scoping import Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_referral_decision_and_rapid_review(axe_page, world, axe, sign_in):
    page = axe_page
    sign_in(page, world.users[Role.BUSINESS_UNIT].email)
    page.goto("/durham/learning/")
    axe(page)
    page.get_by_role("link", name="Case reviews").first.click()
    page.get_by_role("link", name="Refer a case for learning").click()
    expect(page.get_by_text("Never enter the child's real name", exact=False).first).to_be_visible()
    axe(page)

    # Submitting with nothing filled in names the fields.
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page)

    page.get_by_label("Partnership reference").fill("DSCP-2025-20")
    page.get_by_label("Pseudonym").fill("Robin")
    page.get_by_label("Age at incident").fill("9")
    page.get_by_label("Serious harm").check()
    _fill_date(page, "Date the local authority became aware", "6", "1", "2025")
    page.get_by_label("Referring agency").select_option(label="Durham Constabulary")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DSCP-2025-20: Robin")
    expect(page.get_by_text("13 January 2025").first).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Record the panel decision").click()
    _fill_date(page, "Date of the panel decision", "8", "1", "2025")
    page.get_by_role("group", name="Does it meet the criteria for a serious incident notification?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Reason for the decision").fill("Serious harm where abuse is suspected.")
    axe(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Panel decision recorded.")).to_be_visible()

    page.get_by_role("link", name="Record the notification").click()
    _fill_date(page, "Date the national panel was notified", "10", "1", "2025")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Notification recorded.")).to_be_visible()

    page.get_by_role("link", name="Record the rapid review").click()
    _fill_date(page, "Date the rapid review was completed", "24", "1", "2025")
    _fill_date(page, "Date the rapid review was sent to the national panel", "27", "1", "2025")
    page.get_by_role(
        "group", name="Does the rapid review recommend a local child safeguarding practice review?"
    ).get_by_label("No").check()
    page.get_by_label("Reasons for the recommendation").fill("All the learning was found through the rapid review.")
    axe(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Rapid review recorded.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Done")).to_have_count(2)
    axe(page)
