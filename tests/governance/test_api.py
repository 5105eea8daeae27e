"""The governance API: the same rules and scoping as the pages."""

from __future__ import annotations

import pytest

from jigsaw.core import services as core_services
from jigsaw.core.scoping import PARTNERS, Role
from jigsaw.governance.models import Attendance, Contribution, Meeting, Membership

pytestmark = pytest.mark.django_db
BASE = "/api/partnerships/durham/governance"


def api(world, role):
    _, raw = core_services.api_token_create(user=world.users[role], name="test")
    client = world.client(None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    class Api:
        def get(self, path):
            return client.get(BASE + path, **headers)

        def post(self, path, data):
            return client.post(BASE + path, data, content_type="application/json", **headers)

        def patch(self, path, data):
            return client.patch(BASE + path, data, content_type="application/json", **headers)

    return Api()


def test_partners_read_groups_priorities_and_agreements_and_the_meetings_of_their_groups(world):
    # docs/access.md: the structure, business plan and agreements are every partner's; meetings and
    # their attendance are the business unit's and scrutineer's, and otherwise those of the groups one
    # sits on (in the World only the member sits on the PLG); a practitioner sees none of them.
    sees_the_meeting = {Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.MEMBER}
    for role in Role.values:
        client = api(world, role)
        for path in ("/groups/", "/meetings/", "/attendance/", "/priorities/", "/sharing-agreements/"):
            response = client.get(path)
            sees = role in (sees_the_meeting if path in ("/meetings/", "/attendance/") else PARTNERS)
            assert response.status_code == 200 and (response.json()["count"] >= 1) == sees, (role, path)
    agreement = api(world, Role.MEMBER).get("/sharing-agreements/").json()["results"][0]
    assert agreement["committed_partners"] == 1 and agreement["signatories"][0]["agency_name"] == "Durham Constabulary"


def test_contributions_are_for_the_business_unit_and_scrutineer(world):
    for role in Role.values:
        count = api(world, role).get("/contributions/").json()["count"]
        assert count == (1 if role in (Role.BUSINESS_UNIT, Role.SCRUTINEER) else 0), role


def test_a_meeting_without_a_group_is_refused(world):
    before = Meeting.objects.count()
    response = api(world, Role.BUSINESS_UNIT).post("/meetings/", {"held_on": "2024-09-10"})
    assert response.status_code == 400 and "group" in response.json()
    assert Meeting.objects.count() == before
    created = api(world, Role.BUSINESS_UNIT).post("/meetings/", {"group": world.plg.pk, "held_on": "2024-09-10"})
    assert created.status_code == 201


def test_attendance_for_a_person_not_in_the_partnership_is_refused(world):
    before = Attendance.objects.count()
    response = api(world, Role.BUSINESS_UNIT).post(
        "/attendance/", {"meeting": world.meeting.pk, "person": world.other_person.pk, "status": "present"}
    )
    assert response.status_code == 400 and "person" in response.json()
    assert Attendance.objects.count() == before


def test_a_deputy_without_a_name_is_refused(world):
    person = world.users[Role.SCRUTINEER].person
    response = api(world, Role.BUSINESS_UNIT).post(
        "/attendance/", {"meeting": world.meeting.pk, "person": person.pk, "status": "deputy"}
    )
    assert response.status_code == 400 and "deputy_name" in response.json()
    ok = api(world, Role.BUSINESS_UNIT).post(
        "/attendance/", {"meeting": world.meeting.pk, "person": person.pk, "status": "deputy", "deputy_name": "Pat"}
    )
    assert ok.status_code == 201 and ok.json()["agency"] == world.council.pk


def test_bad_contributions_are_refused(world):
    client = api(world, Role.BUSINESS_UNIT)
    before = Contribution.objects.count()
    foreign = client.post(
        "/contributions/", {"agency": world.other_agency.pk, "financial_year": "2024-25", "amount": "10"}
    )
    assert foreign.status_code == 400 and "agency" in foreign.json()
    negative = client.post("/contributions/", {"agency": world.police.pk, "financial_year": "2024-25", "amount": "-10"})
    assert negative.status_code == 400 and "amount" in negative.json()
    assert Contribution.objects.count() == before
    assert (
        api(world, Role.SCRUTINEER)
        .post("/contributions/", {"agency": world.police.pk, "financial_year": "2024-25", "amount": "10"})
        .status_code
        == 403
    )


def test_a_member_may_not_record_a_meeting(world):
    response = api(world, Role.MEMBER).post("/meetings/", {"group": world.plg.pk, "held_on": "2024-09-10"})
    assert response.status_code == 403


def test_another_partnerships_records_are_not_found(world):
    response = api(world, Role.BUSINESS_UNIT).get(f"/meetings/{world.meeting.pk}/")
    assert response.status_code == 200
    other = world.client("outsider")
    assert other.get(f"{BASE}/meetings/{world.meeting.pk}/").status_code in (403, 404)


def test_a_priority_for_another_partnerships_plan_is_refused(world):
    from jigsaw.governance import services

    theirs = services.plan_create(
        actor=None, partnership=world.other, title="Their plan", starts_on="2023-04-01", ends_on="2025-03-31"
    )
    response = api(world, Role.BUSINESS_UNIT).post("/priorities/", {"plan": theirs.pk, "number": 9, "title": "Theirs"})
    assert response.status_code == 400 and "plan" in response.json()
    ok = api(world, Role.BUSINESS_UNIT).post(
        "/priorities/", {"plan": world.plan.pk, "number": 2, "title": "Harm Outside the Home"}
    )
    assert ok.status_code == 201


def test_overlapping_chairs_are_not_reachable_through_groups_api_but_groups_validate(world):
    response = api(world, Role.BUSINESS_UNIT).patch(f"/groups/{world.executive.pk}/", {"parent": world.plg.pk})
    assert response.status_code == 400 and "parent" in response.json()
    assert Membership.objects.count() == 1
