"""Who may open case reviews, and who sees the special-category characteristics."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jigsaw.core import services as core_services
from jigsaw.core.scoping import Role
from jigsaw.governance import services as governance
from jigsaw.governance.models import GroupKind


@pytest.fixture(autouse=True)
def panel(world):
    """The group member sits on the case review panel; the group chair does not."""
    world.panel = governance.group_create(
        actor=None, partnership=world.partnership, name="Serious incident notification panel", kind=GroupKind.PANEL
    )
    governance.membership_add(
        actor=None,
        partnership=world.partnership,
        group=world.panel,
        person=world.users[Role.MEMBER].person,
        starts_on=datetime.date(2024, 4, 1),
    )
    return world.panel


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "sees_characteristics"),
    [
        (Role.BUSINESS_UNIT, 200, True),
        (Role.MEMBER, 200, True),  # sits on the case review panel (the fixture above)
        (Role.GROUP_CHAIR, 404, False),  # chairs no panel: the review does not exist for them
        (Role.SCRUTINEER, 200, False),
        (Role.AGENCY_LEAD, 404, False),
        (Role.PRACTITIONER, 403, False),
    ],
)
def test_a_review_opens_only_for_the_design_roles(world, role, status, sees_characteristics):
    response = world.client(role).get(world.review.get_absolute_url())
    assert response.status_code == status
    page = response.content.decode()
    assert ("Mixed Indian and Caribbean heritage" in page) is sees_characteristics
    if status == 200:
        assert "Change the referral" in page if role == Role.BUSINESS_UNIT else "Change the referral" not in page


@pytest.mark.django_db
def test_a_seat_on_the_panel_that_has_ended_closes_the_reviews(world):
    from jigsaw.governance.models import Membership

    membership = Membership.objects.get(group=world.panel)
    governance.membership_update(actor=None, membership=membership, ends_on=datetime.date(2024, 12, 31))
    assert world.client(Role.MEMBER).get(world.review.get_absolute_url()).status_code == 404
    assert (
        "Case reviews" not in world.client(Role.MEMBER).get(reverse("learning:home", args=["durham"])).content.decode()
    )


@pytest.mark.django_db
def test_the_public_and_other_partnerships_never_see_a_review(world):
    assert world.client(None).get(world.review.get_absolute_url()).status_code == 302
    assert world.client("outsider").get(world.review.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_api_hides_characteristics_from_the_scrutineer(world):
    _, raw = core_services.api_token_create(user=world.users[Role.SCRUTINEER], name="s")
    row = (
        world.client(None)
        .get("/api/partnerships/durham/case-reviews/", HTTP_AUTHORIZATION=f"Bearer {raw}")
        .json()["results"][0]
    )
    assert "relevant_characteristics" not in row
    _, raw = core_services.api_token_create(user=world.users[Role.AGENCY_LEAD], name="a")
    assert (
        world.client(None)
        .get("/api/partnerships/durham/case-reviews/", HTTP_AUTHORIZATION=f"Bearer {raw}")
        .json()["results"]
        == []
    )


@pytest.mark.django_db
def test_the_referral_form_does_not_offer_characteristics_to_roles_that_may_not_see_them(world):
    page = world.client(Role.BUSINESS_UNIT).get(reverse("learning:review-refer", args=["durham"])).content.decode()
    assert 'name="relevant_characteristics"' in page and 'name="pseudonym"' in page


@pytest.mark.django_db
def test_the_audit_trail_never_holds_the_characteristics(world):
    from jigsaw.core.audit import AuditEntry

    entries = AuditEntry._base_manager.filter(object_pk=str(world.review.pk), content_type__model="casereview")
    assert entries.exists()
    assert all("heritage" not in str(entry.changes) for entry in entries)
