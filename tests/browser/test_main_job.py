"""The business unit's main job on `make run`'s own processes: from the home page, start the
year's annual report, build it, and download the PDF, with `jigsaw serve` (the web server and
its task worker in one command) as the only server. No worker is started by the test: if
`serve` stopped running one, the build would wait for ever and this test would fail."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from jigsaw.core.scoping import Role
from jigsaw.reports.models import Build, Report
from tests.conftest import PASSWORD
from tests.hardening.faults import LiveDatabase, Server, require_static_files

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BUILD_SECONDS = 180  # a loaded 2-core machine; the build itself takes seconds


@pytest.fixture
def served(world, tmp_path, settings):
    """`jigsaw serve` on the committed World, as `make run` starts it."""
    require_static_files()
    # The suite hashes with MD5 for speed; the server runs the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = world.users[Role.BUSINESS_UNIT]
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    live = LiveDatabase(tmp_path)
    live.publish()
    server = Server(live, tmp_path / "serve.log", workers=1)
    yield live, server
    server.stop()


def test_the_business_unit_builds_the_report_and_downloads_the_pdf_with_only_serve_running(
    browser, world, served, tmp_path
):
    live, server = served
    context = browser.new_context(base_url=server.url, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        page.goto("/accounts/sign-in/")
        page.get_by_label("Email address").fill(world.users[Role.BUSINESS_UNIT].email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        # From home, as a user would: the menu, then the report list.
        page.get_by_role("link", name="Annual report", exact=True).first.click()
        page.get_by_role("link", name="Start a report").click()
        year = page.get_by_label("Financial year the report covers")
        chosen = year.input_value()  # the year just finished, offered first
        page.get_by_role("button", name=re.compile("Save|Start|Continue")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Annual Report")

        page.get_by_role("button", name="Build the documents").click()
        # The build page polls; the worker inside `serve` takes the build and finishes it.
        pdf = page.get_by_role("link", name="PDF (tagged, accessible)")
        expect(pdf).to_be_visible(timeout=BUILD_SECONDS * 1000)
        with page.expect_download() as download_info:
            pdf.click()
        path = download_info.value.path()
        content = open(path, "rb").read()
        assert content.startswith(b"%PDF") and len(content) > 10_000, len(content)
    except Exception as error:  # the page the user was stuck on says why
        raise AssertionError(
            f"{error}\n{page.url}\n{page.locator('body').inner_text()[:3000]}\n{server.tail()}"
        ) from None
    finally:
        context.close()

    if live.vendor == "sqlite":
        live.collect()
    report = Report.objects.get(partnership=world.partnership, year=chosen)
    # One click, one build: nothing queued twice, and the worker in `serve` did it.
    assert list(Build.objects.filter(report=report).values_list("status", flat=True)) == ["succeeded"]
