"""axe-core finds no WCAG 2.2 AA violations on the pages everyone uses first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jigsaw.core.scoping import Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_sign_in_page(axe_page, axe):
    axe_page.goto("/accounts/sign-in/")
    axe(axe_page)


def test_sign_in_page_with_errors(axe_page, world, axe, sign_in):
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email, "not-the-password")
    expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
    axe(axe_page)


def test_sign_in_page_with_empty_fields(axe_page, axe):
    axe_page.goto("/accounts/sign-in/")
    axe_page.get_by_role("button", name="Sign in").click()
    axe_page.wait_for_load_state()
    expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
    axe(axe_page)


@pytest.mark.parametrize("path", ["/durham/", "/durham/agencies/", "/durham/people/"], ids=["partnership", "agencies", "people"])
def test_business_unit_pages(axe_page, world, axe, sign_in, path):
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    response = axe_page.goto(path)
    assert response is not None and response.status == 200
    axe(axe_page)
