"""The demo partnership: complete, safe to load again, and every demo sign-in works."""

from __future__ import annotations

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client

from jigsaw.core.demo import DEMO_PASSWORD, POLICE, SIGN_INS, load_demo
from jigsaw.core.models import Agency, Partnership, Person, RoleAssignment, Sector, User
from jigsaw.core.scoping import Role

COUNTED = [Partnership, Agency, Person, User, RoleAssignment, LogEntry]


def counts() -> dict[str, int]:
    return {model.__name__: model._base_manager.count() for model in COUNTED}


pytestmark = pytest.mark.django_db


def test_loading_twice_adds_nothing(demo):
    after_first = counts()
    second = load_demo()

    assert counts() == after_first
    assert demo.created["agencies"] == after_first["Agency"]
    assert not second.created
    assert second.sign_ins == demo.sign_ins


def test_every_sector_has_an_agency(demo):
    covered = set(Agency._base_manager.values_list("sector", flat=True))
    assert set(Sector.values) - covered == set()


def test_agency_lead_leads_for_durham_constabulary(demo):
    lead = RoleAssignment._base_manager.get(
        role=Role.AGENCY_LEAD, user__email="agency.lead@durham.example", partnership__slug="durham"
    )
    assert lead.agency.name == POLICE


def test_the_demos_agency_lead_switches_to_darlington_where_the_trusts_return_is_shared(demo):
    """Partnerships together in the demo: the lead holds the role in Darlington too (the header's
    switcher), Darlington's round results hold the trust's return answered in Durham, and the child
    exploitation group is one record Darlington's business unit reads."""
    client = Client()
    client.post("/accounts/sign-in/", {"username": "agency.lead@durham.example", "password": DEMO_PASSWORD})
    assert "Switch to Darlington Safeguarding Partnership" in client.get("/durham/").content.decode()
    darlington = Client()
    darlington.post("/accounts/sign-in/", {"username": "business.unit@darlington.example", "password": DEMO_PASSWORD})
    rounds = darlington.get("/darlington/assurance/self-assessment/").content.decode()
    assert "Section 11 self-assessment 2024" in rounds
    from jigsaw.assurance.models import Return
    from jigsaw.governance.models import Group

    shared = Return._base_manager.get(partnership__slug="darlington", agency__name__contains="NHS Foundation Trust")
    page = darlington.get(shared.get_absolute_url()).content.decode()
    assert "given once by County Durham and Darlington NHS Foundation Trust in Durham" in page
    group = Group._base_manager.get(partnership__slug="durham", name="Strategic Child Exploitation Group")
    assert darlington.get(f"/darlington/governance/groups/{group.pk}/").status_code == 200
    region = darlington.get("/darlington/governance/region/").content.decode()
    assert "Regional comparison: North East" in region and "Durham Safeguarding Children Partnership" in region


@pytest.mark.parametrize("email", [sign_in.email for sign_in in SIGN_INS])
def test_each_demo_user_can_sign_in(demo, email):
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]

    page = client.get("/durham/")
    assert page.status_code == 200
    assert "Durham Safeguarding Children Partnership" in page.content.decode()


def test_command_prints_every_sign_in():
    out = StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()

    assert "Sign in at http://127.0.0.1:8000/accounts/sign-in/ as:" in printed
    assert DEMO_PASSWORD in printed
    for sign_in in SIGN_INS:
        assert sign_in.email in printed


def test_command_quiet_prints_nothing(demo):
    out = StringIO()
    call_command("demo", "--quiet", stdout=out)
    assert out.getvalue() == ""
    assert Partnership._base_manager.filter(slug="durham").exists()
