"""Learning cycles with their voices, and briefings on the public page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jigsaw.core.publications import recent
from jigsaw.core.scoping import Role
from jigsaw.learning import services
from jigsaw.learning.models import Voice


@pytest.mark.django_db
def test_a_voice_warns_to_anonymise_and_records_who_entered_it(world):
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("learning:voice-add", args=["durham", world.cycle.pk])
    assert "Voices must be anonymised" in client.get(url).content.decode()
    response = client.post(
        url, {"speaker": "young_person", "age": "15", "words": "Listen to me.", "context": "Focus group"}
    )
    assert response.status_code == 302
    voice = Voice.objects.get(words="Listen to me.")
    assert voice.entered_by == world.users[Role.BUSINESS_UNIT]
    page = client.get(world.cycle.get_absolute_url()).content.decode()
    assert (
        "Listen to me." in page
        and "Young person, age 15" in page
        and f"Entered by {world.users[Role.BUSINESS_UNIT].display_name}" in page
    )


@pytest.mark.django_db
def test_the_timeline_shows_a_plans_cycles_side_by_side(world):
    page = world.client(Role.AGENCY_LEAD).get(reverse("learning:cycles", args=["durham"])).content.decode()
    assert (
        world.priority.plan.title in page
        and "Priority 1: Domestic Abuse" in page
        and "Domestic abuse: early intervention" in page
    )
    assert world.client(Role.PRACTITIONER).get(reverse("learning:cycles", args=["durham"])).status_code == 403


@pytest.mark.django_db
def test_a_cycle_ending_before_it_starts_is_refused_naming_the_field(world):
    response = world.client(Role.BUSINESS_UNIT).post(
        reverse("learning:cycle-create", args=["durham"]),
        {
            "priority": world.priority.pk,
            "title": "Backwards",
            "phase": "1",
            "starts_on_day": "1",
            "starts_on_month": "8",
            "starts_on_year": "2024",
            "ends_on_day": "1",
            "ends_on_month": "7",
            "ends_on_year": "2024",
        },
    )
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "The end of the period cannot be before its start" in page
        and 'href="#id_ends_on' in page
    )


@pytest.mark.django_db
def test_the_public_page_shows_only_published_briefings(world):
    client = world.client(None)
    page = client.get(reverse("learning:public-briefings", args=["durham"])).content.decode()
    assert "Clarify, Verify, Reflect" in page and "escalation and healthy challenge" not in page
    assert client.get(reverse("learning:public-briefing", args=["durham", world.briefing.pk])).status_code == 200
    assert client.get(reverse("learning:public-briefing", args=["durham", world.draft_briefing.pk])).status_code == 404
    # Signed-in staff other than the business unit do not see drafts either.
    staff = world.client(Role.MEMBER).get(reverse("learning:briefings", args=["durham"])).content.decode()
    assert "Clarify, Verify, Reflect" in staff and "escalation and healthy challenge" not in staff


@pytest.mark.django_db
def test_published_briefings_reach_whats_new(world):
    items = [item for item in recent(world.partnership) if item.kind == "learning briefings"]
    assert [item.title for item in items] == ["Clarify, Verify, Reflect"]
    assert items[0].url == reverse("learning:public-briefing", args=["durham", world.briefing.pk])
    services.briefing_update(
        actor=None, briefing=world.draft_briefing, is_published=True, published_on=datetime.date(2025, 2, 1)
    )
    assert (
        len(
            [
                item
                for item in recent(world.partnership, since=datetime.date(2025, 1, 25))
                if item.kind == "learning briefings"
            ]
        )
        == 1
    )


@pytest.mark.django_db
def test_publishing_without_a_date_is_refused(world):
    response = world.client(Role.BUSINESS_UNIT).post(
        reverse("learning:briefing-update", args=["durham", world.draft_briefing.pk]),
        {
            "title": "Draft",
            "audience": "All",
            "summary": "S",
            "is_published": "on",
        },
    )
    assert "Enter the date it was published." in response.content.decode()
