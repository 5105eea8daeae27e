"""The core pages as the business unit and the other roles use them."""

import pytest
from django.core import mail
from django.urls import reverse

from jigsaw.core.models import Agency, Person, RoleAssignment, User
from jigsaw.core.scoping import Role


@pytest.mark.django_db
def test_adding_an_agency_with_bad_input_names_the_field_and_saves_nothing(world):
    client = world.client(Role.BUSINESS_UNIT)
    before = Agency.objects.count()
    response = client.post(
        reverse("core:agency-create", args=["durham"]), {"name": "", "sector": "spaceships", "statutory_role": "other"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#id_name"' in page and 'href="#id_sector"' in page
    assert "<title>Error: " in page
    assert Agency.objects.count() == before


@pytest.mark.django_db
def test_an_agency_name_is_unique_within_the_partnership_only(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("core:agency-create", args=["durham"]),
        {"name": "Durham Constabulary", "sector": "police", "statutory_role": "police"},
    )
    assert "already exists" in response.content.decode()
    response = client.post(
        reverse("core:agency-create", args=["durham"]),
        {"name": "Darlington Borough Council", "sector": "la_other", "statutory_role": "local_authority"},
    )
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert (
        "Darlington Borough Council" in follow.content.decode() and "Local Authority Other" in follow.content.decode()
    )


@pytest.mark.django_db
def test_a_person_cannot_be_linked_to_another_partnerships_agency(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("core:person-create", args=["durham"]), {"name": "Wrong Agency", "agency": world.other_agency.pk}
    )
    assert "Choose from this partnership&#x27;s agencies." in response.content.decode()
    assert not Person.objects.filter(name="Wrong Agency").exists()


@pytest.mark.django_db
def test_giving_a_person_access_creates_a_sign_in_and_emails_a_link(world):
    client = world.client(Role.BUSINESS_UNIT)
    person = Person.objects.create(
        partnership=world.partnership, name="Priya Lead", email="priya@durham.example", agency=world.police
    )
    response = client.post(
        reverse("core:person-grant-access", args=["durham", person.pk]), {"role": Role.AGENCY_LEAD, "agency": ""}
    )
    assert response.status_code == 302
    user = User.objects.get(email="priya@durham.example")
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.role == Role.AGENCY_LEAD and assignment.agency == world.police  # defaults to their own agency
    assert len(mail.outbox) == 1 and "/accounts/password-reset/" in mail.outbox[0].body
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Agency lead (Durham Constabulary)" in page


@pytest.mark.django_db
def test_giving_access_needs_an_email_address(world):
    client = world.client(Role.BUSINESS_UNIT)
    person = Person.objects.create(partnership=world.partnership, name="No Email")
    response = client.post(reverse("core:person-grant-access", args=["durham", person.pk]), {"role": Role.MEMBER})
    assert "Add an email address for this person" in response.content.decode()
    assert not User.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_an_agency_lead_changes_people_of_their_own_agency_only(world):
    client = world.client(Role.AGENCY_LEAD)
    own = world.users[Role.PRACTITIONER].person  # works for the police, like the lead
    other = world.users[Role.MEMBER].person  # works for the council
    edit = client.post(
        reverse("core:person-update", args=["durham", own.pk]),
        {"name": own.name, "email": own.email, "job_title": "PC", "agency": own.agency_id},
    )
    assert edit.status_code == 302
    assert client.get(reverse("core:person-update", args=["durham", other.pk])).status_code == 403
    assert "Change" not in client.get(other.get_absolute_url()).content.decode().split("<main")[1].split("History")[0]


@pytest.mark.django_db
def test_people_list_is_searchable_and_shows_only_what_the_role_may_see(world):
    bu = world.client(Role.BUSINESS_UNIT).get(reverse("core:people", args=["durham"]), {"q": "scrutineer"})
    assert [p.name for p in bu.context["object_list"]] == ["Independent scrutineer Person"]
    practitioner = world.client(Role.PRACTITIONER).get(reverse("core:people", args=["durham"]))
    assert [p.name for p in practitioner.context["object_list"]] == ["Practitioner Person"]


@pytest.mark.django_db
def test_service_navigation_shows_only_what_the_role_may_open(world):
    bu = world.client(Role.BUSINESS_UNIT).get("/durham/agencies/")
    labels = [item["label"] for item in bu.context["navigation"]]
    assert labels[-1] == "Partnership"
    assert {"Agencies", "People", "Learning themes", "Audit trail", "Settings"} <= {
        item["label"] for item in bu.context["section_navigation"]
    }
    assert [item["label"] for item in bu.context["navigation"] if item["active"]] == ["Partnership"]
    assert [item["label"] for item in bu.context["section_navigation"] if item["active"]] == ["Agencies"]
    practitioner = world.client(Role.PRACTITIONER).get("/durham/")
    assert [item["label"] for item in practitioner.context["navigation"]] == ["Learning", "Training", "Procedures"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_navigation_link_opens_for_the_role_it_is_shown_to(world, role):
    client = world.client(role)
    for item in client.get("/durham/").context["navigation"]:
        page = client.get(item["url"])
        assert page.status_code == 200, f"{role} is shown {item['label']} but cannot open it"
        for sub in page.context["section_navigation"]:
            assert client.get(sub["url"]).status_code == 200, (
                f"{role} is shown {sub['label']} under {item['label']} but cannot open it"
            )


@pytest.mark.django_db
def test_settings_can_require_two_factor_and_the_change_is_audited(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("core:settings", args=["durham"]),
        {"name": world.partnership.name, "area": "County Durham", "financial_year_start_month": "13"},
    )
    assert "Ensure this value is less than or equal to 12" in response.content.decode()
    client.post(
        reverse("core:settings", args=["durham"]),
        {
            "name": world.partnership.name,
            "area": "County Durham",
            "financial_year_start_month": "4",
            "require_two_factor_for_business_unit": "on",
        },
    )
    world.partnership.refresh_from_db()
    assert world.partnership.require_two_factor_for_business_unit
    history = world.client(Role.SCRUTINEER).get(
        reverse("core:record-history", args=["durham", "core.partnership", world.partnership.pk])
    )
    assert "Require two factor for business unit" in history.content.decode()


@pytest.mark.django_db
def test_an_agency_lead_cannot_add_or_move_someone_into_another_agency(world):
    client = world.client(Role.AGENCY_LEAD)
    response = client.post(
        reverse("core:person-create", args=["durham"]), {"name": "Council Worker", "agency": world.council.pk}
    )
    assert "Your role does not let you save this record with these details" in response.content.decode()
    assert not Person.objects.filter(name="Council Worker").exists()
    assert (
        client.post(
            reverse("core:person-create", args=["durham"]), {"name": "Police Worker", "agency": world.police.pk}
        ).status_code
        == 302
    )
    mover = Person.objects.get(name="Police Worker")
    client.post(
        reverse("core:person-update", args=["durham", mover.pk]), {"name": "Police Worker", "agency": world.council.pk}
    )
    mover.refresh_from_db()
    assert mover.agency == world.police


@pytest.mark.django_db
def test_switching_off_a_leavers_sign_in_ends_their_session_and_tokens(world):
    from jigsaw.core import services

    leaver = world.users[Role.MEMBER]
    _, raw = services.api_token_create(user=leaver, name="reports")
    leaver_client = world.client(Role.MEMBER)
    assert leaver_client.get("/durham/").status_code == 200
    bu = world.client(Role.BUSINESS_UNIT)
    response = bu.post(reverse("core:person-sign-in-switch", args=["durham", leaver.person.pk]), follow=True)
    assert "sign-in is now off" in response.content.decode()
    assert leaver_client.get("/durham/").status_code == 302  # signed out
    assert world.client(None).get("/api/partnerships/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    bu.post(reverse("core:person-sign-in-switch", args=["durham", leaver.person.pk]))
    leaver.refresh_from_db()
    assert leaver.is_active


@pytest.mark.django_db
def test_the_business_unit_cannot_switch_off_its_own_sign_in(world):
    me = world.users[Role.BUSINESS_UNIT]
    response = world.client(Role.BUSINESS_UNIT).post(
        reverse("core:person-sign-in-switch", args=["durham", me.person.pk]), follow=True
    )
    assert "You cannot switch off your own sign-in" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active
