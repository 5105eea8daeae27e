"""The API: published documents readable by anyone; versions and escalations scoped."""

from __future__ import annotations

import pytest

from jigsaw.core import services as core_services
from jigsaw.core.scoping import Role
from jigsaw.policies.models import Escalation


@pytest.mark.django_db
def test_anyone_reads_published_documents_and_only_those(world):
    response = world.client(None).get("/api/partnerships/durham/documents/")
    assert response.status_code == 200
    assert [d["title"] for d in response.json()["results"]] == ["Child protection enquiries"]
    staff = world.client(Role.MEMBER).get("/api/partnerships/durham/documents/").json()["results"]
    assert {d["title"] for d in staff} == {"Child protection enquiries", "Referrals"}
    assert world.client(None).get("/api/partnerships/durham/document-versions/").status_code in (401, 403)


@pytest.mark.django_db
def test_escalations_through_the_api_are_scoped_and_validated(world):
    _, raw = core_services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="bu")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = world.client(None)
    url = "/api/partnerships/durham/escalations/"
    bad = client.post(
        url,
        {
            "raising_agency": world.police.pk,
            "receiving_agency": world.other_agency.pk,
            "practitioner_role": "PC",
            "child_reference": "C-9",
            "stage1_on": "2024-05-01",
        },
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and "receiving_agency" in bad.json()
    good = client.post(
        url,
        {
            "raising_agency": world.police.pk,
            "receiving_agency": world.council.pk,
            "practitioner_role": "PC",
            "child_reference": "C-9",
            "stage1_on": "2024-05-01",
        },
        content_type="application/json",
        **auth,
    )
    assert good.status_code == 201 and good.json()["reference"].startswith("PD-2024-")
    assert Escalation.objects.filter(child_reference="C-9").count() == 1
    assert world.client(Role.PRACTITIONER).get(url).json()["results"] == []


@pytest.mark.django_db
def test_the_business_unit_adds_a_document_and_a_draft_version_through_the_api(world):
    _, raw = core_services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="bu")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = world.client(None)
    created = client.post(
        "/api/partnerships/durham/documents/",
        {"title": "Forced Marriage", "kind": "procedure"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    version = client.post(
        "/api/partnerships/durham/document-versions/",
        {"document": created.json()["id"], "body": "Text", "effective_on": "2025-01-01", "what_changed": "New"},
        content_type="application/json",
        **auth,
    )
    assert version.status_code == 201 and version.json()["number"] == 1
    assert world.client(None).post(
        "/api/partnerships/durham/documents/", {"title": "X", "kind": "procedure"}, content_type="application/json"
    ).status_code in (401, 403)
    assert "Forced Marriage" not in str(world.client(None).get("/api/partnerships/durham/documents/").json())
