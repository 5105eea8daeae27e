"""The assurance API: rounds, returns and results, restraint incidents and imports, audits, with
the same rules and scoping as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.assurance.models import Answer, Audit, RestraintImport, RestraintIncident, Return, ReturnStatus
from jigsaw.core import services as core_services
from jigsaw.core.scoping import Role

pytestmark = pytest.mark.django_db
BASE = "/api/partnerships/durham/assurance"


class Api:
    def __init__(self, world, role):
        _, raw = core_services.api_token_create(user=world.users[role], name="test")
        self.client = world.client(None)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path):
        return self.client.get(BASE + path, **self.headers)

    def post(self, path, data, **kwargs):
        kwargs.setdefault("content_type", "application/json")
        if kwargs["content_type"] is None:
            del kwargs["content_type"]  # multipart
        return self.client.post(BASE + path, data, **kwargs, **self.headers)

    def patch(self, path, data):
        return self.client.patch(BASE + path, data, content_type="application/json", **self.headers)


def test_who_sees_which_returns_incidents_and_audits(world):
    seen = {}
    for role in Role.values:
        api = Api(world, role)
        seen[role] = tuple(
            api.get(path).json()["count"] for path in ("/rounds/", "/returns/", "/restraint-incidents/", "/audits/")
        )
    # The World's one return is a draft of the police practitioner: they and their agency lead see
    # it; a practitioner reads only their own return and the round they are invited to (docs/access.md:
    # section 11 rounds are "invited" for a practitioner); the incident is the council's setting. The
    # police's submitted return of the 2023 round (shared with the other partnership) is the second.
    assert seen == {
        Role.BUSINESS_UNIT: (2, 2, 1, 1),
        Role.GROUP_CHAIR: (2, 0, 0, 1),
        Role.MEMBER: (2, 0, 0, 1),
        Role.AGENCY_LEAD: (2, 2, 0, 1),
        Role.SCRUTINEER: (2, 1, 1, 1),  # drafts are not the scrutineer's to read
        Role.PRACTITIONER: (1, 1, 0, 0),
    }


def test_another_partnership_is_not_found(world):
    _, raw = core_services.api_token_create(user=world.outsider, name="test")
    response = world.client(None).get(BASE + "/rounds/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404


def test_the_participant_rates_and_submits_and_the_results_move(world):
    participant = Api(world, Role.PRACTITIONER)
    path = f"/returns/{world.assessment_return.pk}/"
    before = Api(world, Role.BUSINESS_UNIT).get(f"/rounds/{world.round.pk}/results/").json()
    assert (before["invited"], before["returned"], before["return_rate_pct"], before["sections"]) == (1, 0, 0, [])

    response = participant.patch(
        path, {"answers": [{"question": world.question.pk, "rating": "green", "evidence": "Audit."}], "submit": True}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["answers"] == [{"question": world.question.pk, "rating": "green", "evidence": "Audit."}]

    results = Api(world, Role.BUSINESS_UNIT).get(f"/rounds/{world.round.pk}/results/").json()
    assert (results["invited"], results["returned"], results["return_rate_pct"]) == (1, 1, 100)
    assert [(s["title"], s["green_pct"]) for s in results["sections"]] == [
        ("Leadership, supervision and accountability", 100)
    ]
    assert results["by_agency"] == [{"agency": "Durham Constabulary", "green_pct": [100]}]
    # Submitted once: changing it again is refused until the business unit reopens it.
    assert participant.patch(path, {"answers": [{"question": world.question.pk, "rating": "red"}]}).status_code == 403


def test_a_bad_rating_is_refused_naming_the_question_and_nothing_is_saved(world):
    path = f"/returns/{world.assessment_return.pk}/"
    response = Api(world, Role.PRACTITIONER).patch(
        path, {"answers": [{"question": world.question.pk, "rating": "purple"}], "submit": True}
    )
    assert response.status_code == 400
    assert "not 'purple'" in response.json()[f"question_{world.question.pk}"][0]
    assert Answer.objects.get(assessment_return=world.assessment_return).rating == "amber"
    assert Return.objects.get(pk=world.assessment_return.pk).status == ReturnStatus.DRAFT


def test_a_return_of_another_agency_is_not_found_for_an_agency_lead(world):
    other_lead = core_services.person_create(
        actor=None,
        partnership=world.partnership,
        name="Cara Council",
        email="cara@durham.example",
        agency=world.council,
    )
    user = core_services.user_create(email=other_lead.email, password="x-long-enough-password", person=other_lead)
    core_services.role_assign(
        actor=None, user=user, partnership=world.partnership, role=Role.AGENCY_LEAD, agency=world.council
    )
    _, raw = core_services.api_token_create(user=user, name="test")
    response = world.client(None).patch(
        BASE + f"/returns/{world.assessment_return.pk}/",
        {"submit": True},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 404


def test_the_business_unit_invites_and_no_one_else_does(world):
    invite = {"round": world.round.pk, "participant": world.users[Role.MEMBER].person.pk, "service": "Early Help South"}
    assert Api(world, Role.AGENCY_LEAD).post("/returns/", invite).status_code == 403
    assert Api(world, Role.BUSINESS_UNIT).post(
        "/returns/", {**invite, "participant": world.other_person.pk}
    ).json() == {"participant": ["Choose from this partnership's people."]}
    created = Api(world, Role.BUSINESS_UNIT).post("/returns/", invite)
    assert (
        created.status_code == 201
        and created.json()["status"] == "not_started"
        and created.json()["agency"] == world.council.pk
    )
    again = Api(world, Role.BUSINESS_UNIT).post("/returns/", invite)
    assert again.status_code == 400 and "already invited" in again.json()["participant"][0]


def test_a_round_is_started_on_the_partnerships_own_tool(world):
    body = {
        "title": "2025 round",
        "framework": world.framework.pk,
        "period_start": "2025-04-01",
        "period_end": "2025-08-31",
        "deadline": "2025-09-05",
    }
    assert Api(world, Role.MEMBER).post("/rounds/", body).status_code == 403
    backwards = Api(world, Role.BUSINESS_UNIT).post("/rounds/", {**body, "period_end": "2025-03-01"})
    assert backwards.status_code == 400 and "period_end" in backwards.json()
    assert Api(world, Role.BUSINESS_UNIT).post("/rounds/", body).status_code == 201


CSV_HEADER = b"reference,date,young_person,restraint_type,injury_level\n"


def _csv(*rows: bytes):
    return SimpleUploadedFile("return.csv", CSV_HEADER + b"\n".join(rows), content_type="text/csv")


def test_a_settings_return_is_imported_whole_or_not_at_all(world):
    api = Api(world, Role.BUSINESS_UNIT)
    before = RestraintIncident.objects.count()
    bad = api.post(
        "/restraint-incidents/imports/",
        {
            "setting": world.council.pk,
            "file": _csv(b"R-1,2024-05-01,YP-0001,standing,0", b"R-2,nope,YP-0002,standing,0"),
        },
        content_type=None,
    )
    assert bad.status_code == 400
    assert any(line.startswith("Row 3:") and "nope" in line for line in bad.json()["file"])
    assert RestraintIncident.objects.count() == before and not RestraintImport.objects.exists()

    good = api.post(
        "/restraint-incidents/imports/",
        {
            "setting": world.council.pk,
            "file": _csv(b"R-1,2024-05-01,YP-0001,standing,0", b"R-2,31/05/2024,YP-0002,seated,1"),
        },
        content_type=None,
    )
    assert good.status_code == 201, good.json()
    assert (good.json()["rows"], good.json()["file_name"], good.json()["setting"]) == (
        2,
        "return.csv",
        world.council.pk,
    )
    assert RestraintIncident.objects.count() == before + 2
    assert [row["rows"] for row in api.get("/restraint-incidents/imports/").json()["results"]] == [2]
    # Only the business unit keeps the data.
    refused = Api(world, Role.SCRUTINEER).post(
        "/restraint-incidents/imports/",
        {"setting": world.council.pk, "file": _csv(b"R-3,2024-05-01,YP-0003,standing,0")},
        content_type=None,
    )
    assert refused.status_code == 403


def test_an_incident_is_recorded_and_corrected(world):
    api = Api(world, Role.BUSINESS_UNIT)
    body = {
        "setting": world.council.pk,
        "reference": "ASC-0002",
        "occurred_on": "2024-07-01",
        "young_person": "YP-0002",
        "restraint_type": "standing",
        "injury_level": 0,
    }
    created = api.post("/restraint-incidents/", body)
    assert created.status_code == 201, created.json()
    assert api.post("/restraint-incidents/", {**body, "setting": world.other_agency.pk}).status_code == 400
    changed = api.patch(f"/restraint-incidents/{created.json()['id']}/", {"injury_level": 1})
    assert changed.status_code == 200 and RestraintIncident.objects.get(reference="ASC-0002").injury_level == 1


def test_audits_with_themes_of_the_partnership_only(world):
    api = Api(world, Role.BUSINESS_UNIT)
    other_theme = core_services.theme_create(actor=None, partnership=world.other, name="Neglect")
    body = {"title": "Neglect deep dive", "kind": "deep_dive", "started_on": "2024-10-01", "themes": [world.theme.pk]}
    assert Api(world, Role.MEMBER).post("/audits/", body).status_code == 403
    assert api.post("/audits/", {**body, "themes": [other_theme.pk]}).status_code == 400
    created = api.post("/audits/", body)
    assert created.status_code == 201 and created.json()["themes"] == [world.theme.pk]
    assert api.patch(f"/audits/{created.json()['id']}/", {"findings": "Good multi-agency working."}).status_code == 200
    assert Audit.objects.get(title="Neglect deep dive").findings == "Good multi-agency working."
