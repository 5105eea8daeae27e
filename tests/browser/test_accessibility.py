"""axe-core finds no WCAG 2.2 AA violations on the pages everyone uses first."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize(
    "path",
    ["/durham/", "/durham/agencies/", "/durham/people/", "/durham/governance/region/"],
    ids=["partnership", "agencies", "people", "regional-comparison"],
)
def test_business_unit_pages(axe_page, world, axe, sign_in, path):
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    response = axe_page.goto(path)
    assert response is not None and response.status == 200
    axe(axe_page)


def test_regional_comparison_with_its_chart(axe_page, world, axe, sign_in):
    """The regional page with a figure that has data, so vega-embed draws the chart axe checks."""
    from jigsaw.assurance import services as assurance
    from jigsaw.core.periods import FinancialYear
    from jigsaw.governance import services as governance

    assurance.return_submit(actor=None, assessment_return=world.assessment_return)
    governance.region_figures_compute(actor=None, membership=world.region_membership, year=FinancialYear(2024))
    sign_in(axe_page, world.users[Role.MEMBER].email)
    response = axe_page.goto("/durham/governance/region/?figure=self_assessment:Section 11 return rate (%25)")
    assert response is not None and response.status == 200
    expect(axe_page.locator(".jigsaw-chart__canvas svg, .jigsaw-chart__canvas canvas").first).to_be_visible()
    axe(axe_page)


def test_running_a_group_jointly_and_its_shared_pages(axe_page, world, axe, sign_in):
    """The business unit's form to run a group jointly (with an error shown), the group as the
    partner partnership reads it, and the partner's page seating its own people."""
    from jigsaw.core import services as core_services
    from jigsaw.governance import services as governance

    stranger = core_services.partnership_create(
        name="Cornwall Safeguarding Partnership", slug="cornwall", area="Cornwall"
    )
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    response = axe_page.goto(f"/durham/governance/groups/{world.plg.pk}/joint/")
    assert response is not None and response.status == 200
    axe(axe_page)
    # A choice the form does not offer, as a tampered request would send it: the error summary.
    axe_page.evaluate(
        "(pk) => { const box = document.querySelector('input[name=partners]'); box.value = pk; box.checked = true; }",
        stranger.pk,
    )
    axe_page.get_by_role("button", name="Save").click()
    axe_page.wait_for_load_state()
    expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
    axe(axe_page)
    governance.group_run_jointly(actor=None, group=world.plg, partners=[world.other])
    axe_page.context.clear_cookies()
    sign_in(axe_page, world.outsider.email)
    for path in (
        f"/darlington/governance/groups/{world.plg.pk}/",
        f"/darlington/governance/groups/{world.plg.pk}/members/ours/",
        f"/darlington/governance/meetings/{world.meeting.pk}/",
    ):
        response = axe_page.goto(path)
        assert response is not None and response.status == 200, path
        axe(axe_page)


def test_mapping_two_versions_of_the_tool(axe_page, world, axe, sign_in):
    """The mapping page, as first offered and with the errors naming each question."""
    from jigsaw.assurance import services as assurance
    from jigsaw.assurance.models import Framework

    assurance.question_update(actor=None, question=world.question, text="Leaders make responsibilities clear to all.")
    version = Framework.objects.get(previous=world.framework)
    sign_in(axe_page, world.users[Role.BUSINESS_UNIT].email)
    for path in (version.get_absolute_url(), f"/durham/assurance/tools/{version.pk}/mapping/"):
        response = axe_page.goto(path)
        assert response is not None and response.status == 200, path
        axe(axe_page)
    # The reworded question keeps its shared reference, so it is offered as its predecessor: left
    # unchosen, the error names it.
    axe_page.get_by_label(re.compile(r"^Question 1\.1:")).select_option("")
    axe_page.get_by_role("button", name="Save the mapping").click()
    axe_page.wait_for_load_state()
    expect(axe_page.locator(".govuk-error-summary")).to_contain_text("Question 1.1")
    axe(axe_page)


ROLE_EMAILS = {
    Role.BUSINESS_UNIT: "business.unit",
    Role.GROUP_CHAIR: "group.chair",
    Role.MEMBER: "member",
    Role.AGENCY_LEAD: "agency.lead",
    Role.SCRUTINEER: "scrutineer",
    Role.PRACTITIONER: "practitioner",
    "public": None,
}
PAGES_PER_ROLE = 30  # one page per URL pattern, breadth first from home: the kinds of page a role reaches first


def test_every_roles_crawl_of_the_demo_has_no_axe_violations(
    axe_page, transactional_db, live_server, settings, sign_in
):
    """Each role (and the public) from their home page, following links: axe's WCAG 2.2 AA rules on
    each role's home (its navigation is its own) and on every page whose URL pattern no role before
    it has opened: a pattern is one template, so checking it again as the next role finds what the
    first found, and the crawl stays within the suite's time budget.

    Seen failing before this change: 'region' on every page (the phase banner outside any landmark)."""
    from urllib.parse import urlsplit

    from jigsaw.core.demo import DEMO_PASSWORD, load_demo
    from tests.browser.conftest import AXE_SCRIPT, WCAG_22_AA
    from tests.browser.crawl import crawl, pattern_of

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_demo()
    problems, crawled, checked = [], {}, set()
    for role, email in ROLE_EMAILS.items():
        axe_page.context.clear_cookies()
        if email:
            sign_in(axe_page, f"{email}@durham.example", DEMO_PASSWORD)

        def visit(page, role=role):
            checked.add(pattern_of(urlsplit(page.url).path))
            page.add_script_tag(path=str(AXE_SCRIPT))
            results = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
            for violation in results["violations"]:
                problems.append(f"{role} {page.url}: {violation['id']} at {violation['nodes'][0]['target']}")

        home = live_server.url + ("/durham/" if email else "/")
        crawled[role] = crawl(axe_page, home, visit, limit=PAGES_PER_ROLE, skip=frozenset(checked))
    opened = {role: len(pages) for role, pages in crawled.items()}
    print(f"\naxe checked {len(checked)} URL patterns; pages opened per role: {opened}")
    assert all(opened.values()) and len(checked) > 40, opened
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
