"""GOV.UK's timeout warning, in chromium with the Content Security Policy enforced: it appears
before an idle sign-out, takes the focus, 'Stay signed in' and Escape keep the session, and doing
nothing signs the person out with a message saying why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jigsaw.core.scoping import Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_timeout_warning_keeps_or_ends_the_session(page, world, sign_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_TIMEOUT_WARNING = 5
    sign_in(page, world.users[Role.MEMBER].email)
    dialog = page.get_by_role("dialog", name="You're about to be signed out")
    expect(dialog).to_be_hidden()

    expect(dialog).to_be_visible(timeout=10_000)
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog).to_contain_text("we will sign you out in")
    stay.click()
    expect(dialog).to_be_hidden()

    expect(dialog).to_be_visible(timeout=10_000)  # the clock started again
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.goto("/durham/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")  # still signed in: both kept the session

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Jigsaw", timeout=20_000)
    expect(page.get_by_text("You were signed out because you had not used Jigsaw")).to_be_visible(timeout=10_000)
    assert not page.page_errors
    assert not [m for m in page.console_messages if "Content Security Policy" in m.text]
