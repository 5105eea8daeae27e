"""Fixtures for the browser tests: Debian's chromium driven by Playwright's sync API against
pytest-django's live server.

The browser is never downloaded: the tests use /usr/bin/chromium. Without it they are skipped
on a developer's machine and fail in CI (CI=true), so a CI image that lost chromium is noticed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, World

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_DIR = Path(__file__).resolve().parents[2]
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 15_000


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where the browser tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so the browser tests cannot be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser(_durham, django_db_blocker) -> Iterator:
    """One chromium for all the browser tests.

    Playwright's sync API keeps an asyncio event loop running in this thread while it is
    started, so Django's ORM would raise SynchronousOnlyOperation for every query the tests
    make (creating the World, flushing the database between tests). DJANGO_ALLOW_ASYNC_UNSAFE
    is set for exactly as long as Playwright runs: package scope ends both when the last
    browser test has finished, so the rest of the suite keeps Django's async-safety check.
    """
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} is not installed: run `make chromium` (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test dependency
        _unavailable("the playwright Python package is not installed")

    # Every browser test commits (a database of its own). Roll back a World or demo another module
    # left open now: once Playwright's event loop runs in this thread, Django's connection is
    # another context's, and the open transaction could no longer be reached to roll it back.
    _durham.close(django_db_blocker)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def world(browser, transactional_db) -> World:
    """The shared World, committed to the database so the live server's thread can see it.

    Overrides tests/conftest.py's `world`, which uses the rolled-back `db` fixture.
    """
    return World()


def _open_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    # What went wrong in the browser, for the tests to assert on.
    page.console_messages = []
    page.page_errors = []
    page.failed_static = []
    page.on("console", lambda message: page.console_messages.append(message))
    page.on("pageerror", lambda error: page.page_errors.append(error))

    def on_response(response):
        if "/static/" in response.url and response.status >= 400:
            page.failed_static.append(f"{response.status} {response.url}")

    page.on("response", on_response)

    def on_failed(request):
        # A favicon fetch still in flight when the test moves on is aborted by the browser, not refused.
        if "/static/" in request.url and request.failure != "net::ERR_ABORTED":
            page.failed_static.append(f"failed {request.url}: {request.failure}")

    page.on("requestfailed", on_failed)
    return context, page


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser context (no cookies) with the Content Security Policy enforced."""
    context, page = _open_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def axe_page(browser, live_server) -> Iterator:
    """A fresh browser context that ignores the Content Security Policy, so axe-core can be
    injected into the page. Only for the accessibility tests."""
    context, page = _open_page(browser, live_server, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def sign_in() -> Callable:
    """Fill in and submit the sign-in form as a person would."""

    def sign_in(page, email: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/sign-in/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return sign_in


@pytest.fixture
def axe() -> Callable:
    """Run axe-core's WCAG 2.2 AA rules on the page and fail with every violation found."""
    if not AXE_SCRIPT.is_file():
        _unavailable(f"{AXE_SCRIPT} is missing: run `npm ci` to install axe-core")

    def check(page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_SCRIPT))
        results = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG_22_AA,
        )
        violations = results["violations"]
        lines = []
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
            for node in violation["nodes"]:
                target = " ".join(" >> ".join(part) if isinstance(part, list) else part for part in node["target"])
                lines.append(f"    at {target}")
                lines.extend(
                    f"       {line.strip()}"
                    for line in (node.get("failureSummary") or "").splitlines()[1:]
                    if line.strip()
                )
        report = "\n".join(lines)
        if violations:
            pytest.fail(f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {page.url}:\n{report}")

    return check
