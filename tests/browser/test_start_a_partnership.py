"""Done when: from an empty database, a partnership is started on the command line, its business
unit sets a password from the email, signs in, follows the first-run checklist importing a
sample of each register (tests/core/fixtures/registers, shaped like real exports) and ends with
the learning log, the section 11 results and a draft annual report showing those records."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from tests.core.test_register_imports import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "a-new-partnership-2026"


def test_from_an_empty_database_to_a_working_partnership(page, transactional_db, live_server, settings):
    settings.SITE_URL = live_server.url
    call_command(
        "partnership",
        "create",
        "--name=Newtown Safeguarding Children Partnership",
        "--slug=newtown",
        "--area=Newtown",
        "--financial-year-start=4",
        "--business-unit=bea@newtown.example",
        "--business-unit-name=Bea Unit",
        stdout=io.StringIO(),
    )
    link = re.search(r"https?://\S+/accounts/password-reset/\S+", mail.outbox[-1].body)[0]
    page.goto(link)
    page.locator("input[name=new_password1]").fill(PASSWORD)
    page.locator("input[name=new_password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill("bea@newtown.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/newtown/")

    # The checklist, step by step, each step's import from its link on the home page.
    steps = page.locator(".govuk-task-list__item")
    titles = [
        steps.nth(i).locator(".govuk-task-list__name-and-hint a").first.inner_text() for i in range(steps.count())
    ]
    assert titles[:3] == ["Agencies", "People and sign-ins", "Groups"]
    imported = 0
    for title in titles:
        link = page.get_by_role("link", name=f"Import {title.lower()} from a spreadsheet")
        href = link.get_attribute("href")
        key = href.rstrip("/").rsplit("/", 1)[-1]
        sample = next(iter(sorted(FIXTURES.glob(f"{key}.*"))), None)
        if sample is None:
            continue
        link.click()
        if page.get_by_role("heading", name="Upload returns").count():
            # Indicator history comes in through the returns upload, the one way into returns.
            page.get_by_label("Returns file").set_input_files(str(sample))
            page.get_by_role("button", name="Check the file").click()
            page.get_by_role("button", name=re.compile(r"^Save th")).click()
            assert page.locator(".govuk-notification-banner").filter(has_text=" saved from ").is_visible()
            page.goto("/newtown/")
        else:
            page.get_by_label("Spreadsheet").set_input_files(str(sample))
            page.get_by_role("button", name="Check the file").click()
            assert page.get_by_role("heading", name="Every row is right").is_visible(), page.locator(
                "main"
            ).inner_text()
            page.get_by_role("button", name=re.compile(r"^Import \d+ record")).click()
            assert page.locator(".govuk-notification-banner").filter(has_text=" added,").is_visible()
        imported += 1
        status = page.locator(".govuk-task-list__item").filter(has_text=title).locator(".govuk-task-list__status")
        if page.locator(".govuk-task-list").count():
            assert status.inner_text().strip() == "Done", title
    assert imported >= 12
    # Every step done: the checklist has gone from home.
    assert page.locator(".govuk-task-list").count() == 0

    page.goto("/newtown/actions/")
    log = page.locator("main").inner_text()
    assert "LL-2023-001" in log and "Refresh the neglect toolkit" in log

    page.goto("/newtown/assurance/self-assessment/")
    page.get_by_role("link", name="Section 11 2024").click()
    results = page.locator("main").inner_text()
    assert "Harbour Support Services" in results and "Durham Constabulary" in results

    page.goto("/newtown/reports/new/")
    page.get_by_label("Financial year").select_option("2024-25")
    page.get_by_role("button").filter(has_text=re.compile("Start|Save")).first.click()
    report_url = page.url
    text = _sections_text(page, report_url)
    # The learning log's action raised in 2024-25 (the others were raised the year before)...
    assert "1 action were added to the themed learning log in 2024/25" in text
    assert "The most common theme was domestic abuse" in text
    # ...the section 11 round's returns and % green by section...
    assert "provided to 2 services and a total of 2 participants, with an overall return rate of 100%" in text
    assert "Safer recruitment\t75" in text and "Leadership and accountability\t50" in text
    # ...and the procedures and indicators brought in.
    assert "Neglect procedure\tProcedure\t1 September 2024" in text
    assert "2 indicators returned in 2024/25" in text


def _sections_text(page, report_url) -> str:
    """The draft report's sections as shown with today's figures, one after the other."""
    links = [a.get_attribute("href") for a in page.locator("a[href*='/reports/sections/']").all()]
    text = []
    for href in dict.fromkeys(h for h in links if re.search(r"/sections/\d+/$", h)):
        page.goto(href)
        text.append(page.locator("main").inner_text())
    page.goto(report_url)
    return "\n".join(text)
