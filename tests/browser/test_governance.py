"""A business unit user runs a meeting in the browser: creates it, records attendance and sees
the attendance rate move, with no WCAG 2.2 AA violations on the way."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Role
from jigsaw.governance import services
from jigsaw.governance.models import MembershipRole

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_meeting_flow(axe_page, world, axe, sign_in):
    page = axe_page
    today = datetime.date.today()
    services.membership_add(
        actor=None,
        partnership=world.partnership,
        group=world.plg,
        person=world.users[Role.AGENCY_LEAD].person,
        role=MembershipRole.CHAIR,
        starts_on=datetime.date(2024, 4, 1),
    )
    sign_in(page, world.users[Role.BUSINESS_UNIT].email)

    page.goto("/durham/governance/structure/")
    expect(page.get_by_role("link", name="Performance and Learning Group (PLG)")).to_be_visible()
    axe(page)

    page.goto("/durham/governance/meetings/new/")
    page.get_by_label("Group").select_option(label="Performance and Learning Group")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting on")
    expect(page.locator("#meeting-attendance-rate")).to_have_text("Not recorded yet")
    axe(page)

    page.get_by_role("link", name="Record attendance").click()
    axe(page)
    page.get_by_role("group", name="Group member Person").get_by_label("Present").check()
    page.get_by_role("group", name="Agency lead Person").get_by_label("Sent a deputy").check()
    page.get_by_label("Deputy for Agency lead Person").fill("Dee Deputy")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#meeting-attendance-rate")).to_contain_text("100%")
    expect(page.get_by_text("Sent a deputy: Dee Deputy")).to_be_visible()

    page.get_by_role("link", name="Record attendance").click()
    page.get_by_role("group", name="Group member Person").get_by_label("Apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#meeting-attendance-rate")).to_contain_text("50%")
    axe(page)

    # The page opens on the latest year that has ended; today's meeting is in the current year.
    year = FinancialYear.containing(today, world.partnership.financial_year_start_month)
    page.goto(f"/durham/governance/attendance/?year={year.label}")
    expect(page.get_by_role("row", name="Performance and Learning Group")).to_be_visible()
    axe(page)


def test_budget_page_has_no_violations(axe_page, world, axe, sign_in):
    sign_in(axe_page, world.users[Role.SCRUTINEER].email)
    axe_page.goto("/durham/governance/budget/?year=2024-25")
    expect(axe_page.locator("#budget-total")).to_have_text("100")
    axe(axe_page)
