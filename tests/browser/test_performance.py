"""A business-unit user builds a think-tank pack in the browser: the charts draw under the strict
Content Security Policy, the PDF downloads, and the performance pages pass axe."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from jigsaw.core.scoping import Role
from jigsaw.performance import services

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _series(world):
    for start, value in (
        (datetime.date(2023, 4, 1), 210),
        (datetime.date(2023, 7, 1), 205),
        (datetime.date(2024, 1, 1), 215),
        (datetime.date(2024, 4, 1), 265),
    ):
        services.value_submit(
            actor=None,
            partnership=world.partnership,
            indicator=world.indicator,
            agency=world.police,
            period_start=start,
            value=Decimal(value),
            commentary="Repeat incidents are up 27% on last year.",
        )


def test_business_unit_builds_a_think_tank_pack_and_its_chart_draws(page, world, sign_in):
    _series(world)
    sign_in(page, world.users[Role.BUSINESS_UNIT].email)
    page.goto("/durham/performance/")
    page.get_by_label("Quarter").select_option("2024-25-Q1")
    page.get_by_role("button", name="Build the pack").click()
    expect(page.get_by_role("heading", name="Think tank pack, Q1 2024/25")).to_be_visible()
    # vega-embed drew the chart (SVG) inside the chart's div, with the CSP enforced.
    chart = page.locator("div[data-vega-spec] svg").first
    expect(chart).to_be_visible()
    assert page.locator("div[data-vega-spec] svg .mark-line path").count() >= 1
    expect(page.get_by_text("Repeat incidents are up 27% on last year.").first).to_be_visible()
    problems = [m.text for m in page.console_messages if m.type in ("error", "warning")]
    assert not problems, problems
    assert not page.page_errors and not page.failed_static
    pdf = page.request.get(page.get_by_role("link", name="Download the pack as a PDF").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    "path",
    [
        "/durham/performance/",
        "/durham/performance/think-tank/pack/2024-25-Q1/",
        "/durham/performance/indicators/",
        "/durham/performance/returns/upload/",
        "/durham/performance/returns/new/",
        "/durham/performance/returns/late/",
    ],
    ids=["home", "pack", "indicators", "upload", "return", "late"],
)
def test_performance_pages_have_no_axe_violations(axe_page, world, axe, sign_in, path):
    _series(world)
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    response = axe_page.goto(path)
    assert response is not None and response.status == 200
    if "pack" in path:
        expect(axe_page.locator("div[data-vega-spec] svg").first).to_be_visible()
    axe(axe_page)


def test_indicator_and_session_pages_have_no_axe_violations(axe_page, world, axe, sign_in):
    _series(world)
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    axe_page.goto(world.indicator.get_absolute_url())
    expect(axe_page.locator("div[data-vega-spec] svg").first).to_be_visible()
    axe(axe_page)
    axe_page.goto(world.think_tank_session.get_absolute_url())
    axe(axe_page)
