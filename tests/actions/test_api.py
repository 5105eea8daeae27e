"""The learning log's API: list, raise, update status, add a review; agency leads only their own."""

import pytest

from jigsaw.actions.models import LearningAction, Status
from jigsaw.core import services as core_services
from jigsaw.core.scoping import Role

pytestmark = pytest.mark.django_db


def client_for(world, role):
    _, raw = core_services.api_token_create(user=world.users[role], name="api")
    client = world.client(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_list_and_filter(world):
    client = client_for(world, Role.MEMBER)
    results = client.get("/api/partnerships/durham/actions/").json()["results"]
    assert {row["reference"] for row in results} == {world.action.reference, world.council_action.reference}
    only_police = client.get(f"/api/partnerships/durham/actions/?owner_agency={world.police.pk}").json()["results"]
    assert [row["id"] for row in only_police] == [world.action.pk]
    assert client.get("/api/partnerships/darlington/actions/").status_code == 404


def test_raise_with_bad_dates_names_the_field(world):
    client = client_for(world, Role.BUSINESS_UNIT)
    bad = client.post(
        "/api/partnerships/durham/actions/",
        {"description": "x", "raised_on": "2025-04-01", "due_on": "2025-03-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "due_on" in bad.json()
    good = client.post(
        "/api/partnerships/durham/actions/",
        {
            "description": "Publish the neglect briefing",
            "raised_on": "2025-04-01",
            "due_on": "2025-06-01",
            "themes": [world.theme.pk],
            "owner_agency": world.council.pk,
        },
        content_type="application/json",
    )
    assert good.status_code == 201, good.json()
    assert good.json()["reference"].startswith("LL-2025-")


def test_an_owner_from_another_partnership_is_refused(world):
    client = client_for(world, Role.BUSINESS_UNIT)
    response = client.post(
        "/api/partnerships/durham/actions/",
        {"description": "x", "raised_on": "2025-04-01", "owner_agency": world.other_agency.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "owner_agency" in response.json()


def test_agency_lead_updates_status_of_their_own_action_only(world):
    client = client_for(world, Role.AGENCY_LEAD)
    refused = client.patch(
        f"/api/partnerships/durham/actions/{world.council_action.pk}/",
        {"status": "in_progress"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    world.council_action.refresh_from_db()
    assert world.council_action.status == Status.OPEN
    own = LearningAction.objects.create(
        partnership=world.partnership,
        description="Police own",
        owner_agency=world.police,
        raised_on="2025-01-01",
        reference="LL-X",
    )
    missing = client.patch(
        f"/api/partnerships/durham/actions/{own.pk}/", {"status": "completed"}, content_type="application/json"
    )
    assert missing.status_code == 400 and "evidence" in missing.json()
    done = client.patch(
        f"/api/partnerships/durham/actions/{own.pk}/",
        {"status": "completed", "evidence": "All done."},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert own.reviews.count() == 2
    assured = client.patch(
        f"/api/partnerships/durham/actions/{own.pk}/", {"status": "assured"}, content_type="application/json"
    )
    assert assured.status_code == 400 and "12-month review" in assured.json()["status"][0]


def test_add_a_review(world):
    lead = client_for(world, Role.AGENCY_LEAD)
    body = {
        "action": world.action.pk,
        "kind": "six_month",
        "rag": "green",
        "what_changed": "Embedded.",
        "evidence": "Audit.",
        "assurance_given": True,
        "reviewed_on": "2025-03-01",
    }
    assert (
        lead.post("/api/partnerships/durham/action-reviews/", body, content_type="application/json").status_code == 403
    )
    business_unit = client_for(world, Role.BUSINESS_UNIT)
    response = business_unit.post("/api/partnerships/durham/action-reviews/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    twelve = business_unit.post(
        "/api/partnerships/durham/action-reviews/",
        {**body, "kind": "twelve_month", "reviewed_on": "2025-09-01"},
        content_type="application/json",
    )
    assert twelve.status_code == 201
    world.action.refresh_from_db()
    assert world.action.status == Status.ASSURED
    not_completed = business_unit.post(
        "/api/partnerships/durham/action-reviews/",
        {**body, "action": world.council_action.pk},
        content_type="application/json",
    )
    assert not_completed.status_code == 400 and "action" in not_completed.json()
