"""Signing in with the organisation's account, in chromium, against a real OpenID provider
(tests/oidc_provider.mjs) started on 127.0.0.1 for this module: in and out, an email Jigsaw does
not know, and a provider that asserts no MFA where the partnership requires it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from jigsaw.core import services
from jigsaw.core.scoping import Role
from tests.oidc import PROVIDER_NAME, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SIGN_IN = "/accounts/sign-in/"


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


@pytest.fixture(scope="module")
def idp(live_server):
    with running_provider([f"{live_server.url}/accounts/sign-in/with/county/done/"]) as provider:
        yield provider


@pytest.fixture
def county(idp, settings, world):
    settings.OIDC_PROVIDERS = {"county": idp.settings()}
    services.partnership_update(actor=None, partnership=world.partnership, sign_in_providers=["county"])


def sign_in_with_provider(page, idp, login: str, start: str = "/durham/people/") -> None:
    page.goto(start)
    assert path_of(page).startswith(SIGN_IN)
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    # The provider's own page, on its own address.
    page.wait_for_url(re.compile(re.escape(idp.issuer) + "/interaction/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider")
    page.get_by_label("Account").fill(login)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: not url.startswith(idp.issuer))
    page.wait_for_load_state()


def test_sign_in_with_the_organisations_account_and_sign_out(page, world, idp, county):
    user = world.users[Role.BUSINESS_UNIT]
    sign_in_with_provider(page, idp, "bu-mfa")

    assert path_of(page) == "/durham/people/"
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=user.display_name)).to_be_visible()

    header.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(re.escape(SIGN_IN) + "$"))
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/durham/people/")
    assert path_of(page).startswith(SIGN_IN)
    expect(page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}")).to_be_visible()
    assert page.page_errors == []


def test_an_email_jigsaw_does_not_know_is_refused(page, world, idp, county):
    sign_in_with_provider(page, idp, "stranger")

    assert path_of(page) == SIGN_IN
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_contain_text(
        f"There is no Jigsaw account for stranger@durham.example in a partnership that signs in with {PROVIDER_NAME}"
    )
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/durham/people/")
    assert path_of(page).startswith(SIGN_IN)


def test_a_provider_asserting_no_mfa_where_the_partnership_requires_it_is_refused(page, world, idp, county):
    services.partnership_update(actor=None, partnership=world.partnership, require_two_factor_for_business_unit=True)

    sign_in_with_provider(page, idp, "bu-password-only")

    assert path_of(page) == SIGN_IN
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"{PROVIDER_NAME} did not confirm that you used multi-factor authentication, which your partnership requires"
    )
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_have_count(0)

    # The same person, with the organisation's MFA this time (signed out of the provider first), is in.
    page.context.clear_cookies()
    sign_in_with_provider(page, idp, "bu-mfa")
    assert path_of(page) == "/durham/people/"
    expect(page.get_by_role("heading", level=1)).to_have_text("People")


def test_the_sign_in_page_with_providers_meets_wcag_22_aa(axe_page, axe, world, idp, county):
    axe_page.goto(SIGN_IN + "?partnership=durham")
    expect(axe_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}")).to_be_visible()
    expect(axe_page.get_by_label("Email address")).to_be_visible()
    axe(axe_page)
