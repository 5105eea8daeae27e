"""The business unit takes a procedure from draft through consultation and approval to the
public site; the public pages and the feed show only published material; no axe violations."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from jigsaw.core.scoping import Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def fill_date(page, name, day):
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def test_a_procedure_goes_from_draft_to_the_public_site(page, world, sign_in):
    today = datetime.date.today()
    sign_in(page, world.users[Role.BUSINESS_UNIT].email)
    page.goto("/durham/procedures/")
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Title").fill("Forced Marriage")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forced Marriage")
    page.get_by_role("link", name="Write a new version").click()
    page.get_by_label("Body").fill(
        "# Recognising forced marriage\n\nConsent is not given.\n\n# What to do\n\nNever attempt mediation."
    )
    fill_date(page, "effective_on", today)
    page.get_by_label("What changed and why").fill("Updated after the national learning on forced marriage.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record what triggered it").click()
    page.get_by_label("Description").fill("Horizon scanning: national forced marriage learning")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Open for consultation").click()
    page.get_by_label("Durham Constabulary").check()
    fill_date(page, "closes_on", today + datetime.timedelta(days=14))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Consultation opened.")).to_be_visible()
    page.get_by_role("link", name="Record an agency's comment").click()
    page.get_by_label("Agency").select_option(label="Durham Constabulary")
    page.get_by_label("Comment").fill("Add the Forced Marriage Unit's number.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Add the Forced Marriage Unit's number.")).to_be_visible()
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.get_by_text("Version 1 approved.")).to_be_visible()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 published on the public site.")).to_be_visible()
    expect(page.get_by_role("cell", name="Horizon scanning: national forced marriage learning")).to_be_visible()

    page.get_by_role("link", name="See it on the public site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forced Marriage")
    expect(page.get_by_text("Updated after the national learning on forced marriage.")).to_be_visible()
    page.get_by_role("link", name="What to do").click()
    assert page.url.endswith("#what-to-do")


def test_public_pages_show_only_published_material_without_axe_violations(axe_page, world, axe):
    for path in (
        "/durham/public/",
        "/durham/public/procedures/",
        "/durham/public/procedures/?q=section",
        "/durham/public/whats-new/",
        "/durham/public/newsletter/",
    ):
        response = axe_page.goto(path)
        assert response is not None and response.status == 200
        assert "Referrals" not in axe_page.locator("main").inner_text()  # the draft out for consultation
        axe(axe_page)
    axe_page.get_by_label("Email address").fill("not an email")
    axe_page.get_by_label("Procedures and practice guidance").check()
    axe_page.get_by_role("button", name="Subscribe").click()
    expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
    axe(axe_page)
    axe_page.goto("/durham/public/procedures/")
    axe_page.get_by_role("link", name="Child protection enquiries").click()
    expect(axe_page.get_by_role("heading", level=1)).to_have_text("Child protection enquiries")
    axe(axe_page)
    feed = axe_page.request.get("/durham/public/feed/")
    assert feed.ok and "Child protection enquiries" in feed.text() and "Referrals" not in feed.text()


def test_signed_in_pages_have_no_axe_violations(axe_page, world, axe, sign_in):
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    for path in (
        "/durham/procedures/",
        "/durham/procedures/reviews/",
        "/durham/newsletter/",
        "/durham/newsletter/digests/new/",
        "/durham/disagreements/",
        "/durham/disagreements/new/",
    ):
        response = axe_page.goto(path)
        assert response is not None and response.status == 200, path
        axe(axe_page)
    axe_page.goto("/durham/procedures/")
    axe_page.get_by_role("link", name="Referrals").click()
    axe(axe_page)
