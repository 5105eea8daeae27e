"""Each role's navigation and home work queue, on the demo partnership (what users have).

Seen failing against the build before this change: the practitioner was offered Governance,
Assurance, Performance, Agencies and People, and the agency lead's home had no overdue actions.
"""

from __future__ import annotations

import re
from html import unescape

from django.test import Client

from jigsaw.core.models import User
from jigsaw.core.scoping import Role

DEMO_EMAILS = {
    Role.BUSINESS_UNIT: "business.unit",
    Role.GROUP_CHAIR: "group.chair",
    Role.MEMBER: "member",
    Role.AGENCY_LEAD: "agency.lead",
    Role.SCRUTINEER: "scrutineer",
    Role.PRACTITIONER: "practitioner",
}
NAV_LINK = re.compile(r'class="govuk-service-navigation__link" href="([^"]+)"[^>]*>(?:<strong[^>]*>)?([^<]+)')
SECTION_LINK = re.compile(r'<nav class="jigsaw-section-navigation".*?</nav>', re.S)
WORK_ITEM = re.compile(r'<li>(?:<strong[^>]*>[^<]*</strong> )?<a class="govuk-link" href="([^"]+)">([^<]+)</a>')


def _client(role) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=f"{DEMO_EMAILS[role]}@durham.example"))
    return client


def _home(client) -> str:
    response = client.get("/durham/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_roles_navigation_and_home_on_the_demo(demo, db):
    """Both checks on the shared demo (see tests/conftest.py `demo`)."""
    _every_navigation_link_opens_for_the_role_it_is_shown_to()
    _home_lists_what_needs_the_viewer_with_the_linked_pages_counts()


def _every_navigation_link_opens_for_the_role_it_is_shown_to():
    offered = {}
    for role in DEMO_EMAILS:
        client = _client(role)
        html = _home(client)
        links = {label.strip(): unescape(url) for url, label in NAV_LINK.findall(html)}
        offered[role] = list(links)
        for label, url in links.items():
            page = client.get(url)
            assert page.status_code == 200, f"{role}: '{label}' ({url}) answered {page.status_code}"
            for section in SECTION_LINK.findall(page.content.decode()):
                for sub_url in re.findall(r'href="([^"]+)"', section):
                    assert client.get(unescape(sub_url)).status_code == 200, f"{role}: {sub_url} under '{label}'"
    assert offered[Role.PRACTITIONER] == ["Learning", "Training", "Procedures"]
    assert offered[Role.BUSINESS_UNIT] == [
        "Governance",
        "Learning",
        "Assurance",
        "Performance",
        "Training",
        "Procedures",
        "Annual report",
        "Partnership",
    ]
    assert "Partnership" in offered[Role.AGENCY_LEAD] and "Governance" in offered[Role.MEMBER]


def _home_lists_what_needs_the_viewer_with_the_linked_pages_counts():
    lead = _client(Role.AGENCY_LEAD)
    items = {unescape(text): unescape(url) for url, text in WORK_ITEM.findall(_home(lead))}
    overdue = next((text, url) for text, url in items.items() if "overdue: your agency" in text)
    count = int(overdue[0].split()[0])
    listing = lead.get(overdue[1]).content.decode()
    assert listing.count('<tr class="govuk-table__row">') - 1 == count, (
        f"home says '{overdue[0]}'; {overdue[1]} lists another number"
    )
    assert any("Section 11" in text or "/assurance/returns/" in url for text, url in items.items())
    for url in items.values():
        assert lead.get(url).status_code == 200

    business_unit = {
        unescape(text): unescape(url) for url, text in WORK_ITEM.findall(_home(_client(Role.BUSINESS_UNIT)))
    }
    assert any("procedures overdue for review" in text for text in business_unit)
    assert any(text.startswith("Annual Report") for text in business_unit)
    practitioner = _home(_client(Role.PRACTITIONER))
    assert "/actions/" not in practitioner.split("The partnership</h2>")[0], (
        "a practitioner cannot open the learning log"
    )
