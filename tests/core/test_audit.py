"""The audit trail records who changed what, before and after, and shows it per record and as a list."""

import pytest
from django.urls import reverse

from jigsaw.core.audit import AuditEntry
from jigsaw.core.models import Person
from jigsaw.core.scoping import Role


@pytest.mark.django_db
def test_a_change_through_the_page_is_recorded_with_before_and_after(world):
    person = world.users[Role.MEMBER].person
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("core:person-update", args=["durham", person.pk]),
        {
            "name": "Member Person",
            "email": person.email,
            "job_title": "Designated safeguarding lead",
            "agency": person.agency_id,
        },
    )
    assert response.status_code == 302
    entry = (
        AuditEntry.objects.filter(object_pk=str(person.pk), content_type__model="person").order_by("-timestamp").first()
    )
    assert entry.actor == world.users[Role.BUSINESS_UNIT]
    assert entry.changes_dict["job_title"] == ["", "Designated safeguarding lead"]

    history = world.client(Role.SCRUTINEER).get(
        reverse("core:record-history", args=["durham", "core.person", person.pk])
    )
    assert history.status_code == 200
    page = history.content.decode()
    assert "Designated safeguarding lead" in page and "Business unit Person" in page


@pytest.mark.django_db
def test_the_audit_list_is_searchable(world):
    client = world.client(Role.BUSINESS_UNIT)
    client.post(
        reverse("core:agency-create", args=["durham"]),
        {"name": "Harbour", "sector": "domestic_abuse", "statutory_role": "relevant_agency", "locality": ""},
    )
    response = client.get(reverse("core:audit", args=["durham"]), {"q": "Harbour"})
    rows = response.context["object_list"]
    assert [e.object_repr for e in rows] == ["Harbour"]
    assert rows[0].actor == world.users[Role.BUSINESS_UNIT]
    by_kind = client.get(reverse("core:audit", args=["durham"]), {"record_type": "core.agency"}).context["object_list"]
    assert {e.content_type.model for e in by_kind} == {"agency"}
    bad = client.get(
        reverse("core:audit", args=["durham"]), {"since_day": "31", "since_month": "2", "since_year": "2026"}
    )
    assert "Enter a real date" in bad.content.decode()


@pytest.mark.django_db
def test_the_trail_never_shows_another_partnerships_changes(world):
    entries = AuditEntry.objects.all()
    assert entries.filter(object_repr="Dana Other").exists()
    response = world.client(Role.BUSINESS_UNIT).get(reverse("core:audit", args=["durham"]), {"q": "Dana"})
    assert list(response.context["object_list"]) == []


@pytest.mark.django_db
def test_api_writes_are_attributed_to_the_token_owner(world):
    from jigsaw.core import services

    _, raw = services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="sync")
    client = world.client(None)
    response = client.post(
        "/api/partnerships/durham/people/",
        {"name": "Api Added", "email": "api@durham.example"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(name="Api Added")
    entry = AuditEntry.objects.get(object_pk=str(person.pk), content_type__model="person")
    assert entry.actor == world.users[Role.BUSINESS_UNIT]
    assert entry.additional_data == {"partnership": world.partnership.pk}
