"""Signing in and out, wrong passwords, lockout and the 403 page, driven through chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from jigsaw.core.scoping import Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SIGN_IN = "/accounts/sign-in/"
SIGNED_IN_PAGE = "/durham/agencies/"  # /durham/ itself sends the public to the public site


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_sign_in_and_sign_out(page, world, sign_in):
    user = world.users[Role.BUSINESS_UNIT]

    sign_in(page, user.email)

    assert path_of(page) == "/durham/"
    expect(page.get_by_role("heading", level=1)).to_have_text(world.partnership.name)
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=user.display_name)).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()

    header.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(re.escape(SIGN_IN) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Jigsaw")
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_have_count(0)

    # The session is gone: a signed-in page sends the browser back to sign in (the partnership's
    # home now sends the public to its public site).
    page.goto(SIGNED_IN_PAGE)
    assert path_of(page).startswith(SIGN_IN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Jigsaw")


def test_wrong_password_shows_error_summary_and_signs_nobody_in(page, world, sign_in):
    sign_in(page, world.users[Role.BUSINESS_UNIT].email, "not-the-password")

    assert path_of(page) == SIGN_IN
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_contain_text("Enter the email address and password of your Jigsaw account")
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_have_count(0)
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}

    page.goto(SIGNED_IN_PAGE)
    assert path_of(page).startswith(SIGN_IN)


def test_lockout_after_five_failures_even_with_the_right_password(page, world, sign_in, settings):
    email = world.users[Role.BUSINESS_UNIT].email
    assert settings.AXES_FAILURE_LIMIT == 5

    for attempt in range(1, 5):
        sign_in(page, email, f"wrong-password-{attempt}")
        expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    # The fifth failure locks the address: axes answers it with the locked page already.
    sign_in(page, email, "wrong-password-5")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked for an hour")

    # And the right password no longer gets in.
    sign_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked for an hour")
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(SIGNED_IN_PAGE)
    assert path_of(page).startswith(SIGN_IN)


def test_practitioner_gets_the_403_page_for_the_audit_trail(page, world, sign_in):
    sign_in(page, world.users[Role.PRACTITIONER].email)
    assert path_of(page) == "/durham/"

    response = page.goto("/durham/audit/")

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")


def test_scripts_run_under_the_content_security_policy(page, world, sign_in):
    """Our module script runs from our own origin, and nothing on the page breaks the policy."""
    response = page.goto(SIGN_IN)
    assert response is not None
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    sign_in(page, world.users[Role.BUSINESS_UNIT].email)
    assert path_of(page) == "/durham/"
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")

    classes = page.evaluate("() => Array.from(document.body.classList)")
    assert "js-enabled" in classes
    assert "govuk-frontend-supported" in classes
    csp_messages = [message.text for message in page.console_messages if "Content Security Policy" in message.text]
    assert not csp_messages, "The page broke the Content Security Policy:\n" + "\n".join(csp_messages)
    assert not page.page_errors, f"JavaScript errors: {page.page_errors}"
    assert not page.failed_static, f"Static files did not load: {page.failed_static}"
