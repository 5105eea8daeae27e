"""An agency lead completes a self-assessment return in the browser: draft, save, submit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jigsaw.assurance.models import Return, ReturnStatus
from jigsaw.core.scoping import Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_agency_lead_completes_a_return(axe_page, world, axe, sign_in):
    page = axe_page
    sign_in(page, world.users[Role.AGENCY_LEAD].email)
    page.goto("/durham/assurance/")
    axe(page)
    page.get_by_role("link", name="Safeguarding Unit South", exact=False).click()
    expect(page.locator("#return-status")).to_contain_text("Draft")
    axe(page)
    page.get_by_role("link", name="Continue the draft").click()
    axe(page)
    page.get_by_label("Green").check()
    page.get_by_label("Evidence for 1.1").fill("Supervision audit in March: every case had a named safeguarding lead.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft saved")
    expect(page.locator("#return-status")).to_contain_text("Draft")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator("#return-status")).to_contain_text("Submitted")
    axe(page)
    assert Return.objects.get(pk=world.assessment_return.pk).status == ReturnStatus.SUBMITTED
