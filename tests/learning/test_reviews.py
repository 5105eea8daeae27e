"""Case reviews as the business unit records them: referral, decision, notification, rapid review."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jigsaw.actions.models import LearningAction
from jigsaw.core import services as core_services
from jigsaw.core.scoping import Access, Role
from jigsaw.learning import clocks, queries, services
from jigsaw.learning.models import CaseReview, Incident, LearningRoute

D = datetime.date


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _referral(world, **overrides) -> dict:
    data = {
        "reference": "DSCP-2025-11",
        "pseudonym": "Robin",
        "age_at_incident": "9",
        "incident": Incident.SERIOUS_HARM,
        **_date("aware_on", D(2025, 1, 6)),
        "referring_agency": world.police.pk,
        "agencies_involved": [world.police.pk, world.council.pk],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_referral_decision_notification_and_rapid_review_through_the_pages(world):
    client = world.client(Role.BUSINESS_UNIT)
    form = client.get(reverse("learning:review-refer", args=["durham"])).content.decode()
    assert "Never enter the child&#x27;s real name" in form and 'name="name"' not in form
    response = client.post(reverse("learning:review-refer", args=["durham"]), _referral(world))
    assert response.status_code == 302, response.content.decode()
    review = CaseReview.objects.get(reference="DSCP-2025-11")
    assert review.notification_due == D(2025, 1, 13) and review.rapid_review_due == D(2025, 1, 27)

    url = lambda name: reverse(f"learning:{name}", args=["durham", review.pk])  # noqa: E731
    assert (
        client.post(
            url("review-decide"),
            {**_date("decided_on", D(2025, 1, 8)), "meets_criteria": "True", "decision_reason": "Criteria met."},
        ).status_code
        == 302
    )
    assert client.post(url("review-notify"), _date("notified_on", D(2025, 1, 14))).status_code == 302
    response = client.post(
        url("review-rapid-review"),
        {
            **_date("rapid_review_completed_on", D(2025, 1, 24)),
            **_date("rapid_review_sent_on", D(2025, 1, 27)),
            "practice_review_recommended": "False",
            "rapid_review_reasons": "All the learning was found in the rapid review.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    states = {clock.name: clock.state_label for clock in review.clocks()}
    assert states == {"notification": "Done late", "rapid_review": "Done"}
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Done late" in page and "13 January 2025" in page and "27 January 2025" in page
    assert "All the learning was found in the rapid review." in page


@pytest.mark.django_db
def test_an_aware_date_in_the_future_is_refused_naming_the_field(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = world.client(Role.BUSINESS_UNIT).post(
        reverse("learning:review-refer", args=["durham"]), _referral(world, **_date("aware_on", tomorrow))
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_aware_on_day"' in page or 'href="#id_aware_on"' in page
    assert "cannot be in the future" in page
    assert not CaseReview.objects.filter(reference="DSCP-2025-11").exists()


@pytest.mark.django_db
def test_a_decision_without_a_reason_is_refused_and_nothing_is_saved(world):
    review = world.review
    response = world.client(Role.BUSINESS_UNIT).post(
        reverse("learning:review-decide", args=["durham", review.pk]),
        {**_date("decided_on", D(2024, 12, 18)), "meets_criteria": "False", "learning_route": ""},
    )
    page = response.content.decode()
    assert "Give the reason for the decision." in page
    review.refresh_from_db()
    assert review.decided_on is None and review.meets_criteria is None
    with pytest.raises(ValidationError) as error:
        services.review_decide(
            actor=None,
            review=review,
            decided_on=D(2024, 12, 18),
            meets_criteria=False,
            decision_reason="No new learning.",
        )
    assert "learning_route" in error.value.message_dict
    assert CaseReview.objects.get(pk=review.pk).decided_on is None


@pytest.mark.django_db
def test_a_step_dated_before_the_one_it_depends_on_is_refused(world):
    review = services.review_decide(
        actor=None, review=world.review, decided_on=D(2024, 12, 17), meets_criteria=True, decision_reason="Met."
    )
    with pytest.raises(ValidationError) as error:
        services.review_notify(actor=None, review=review, notified_on=D(2024, 12, 10))
    assert "notified_on" in error.value.message_dict
    services.review_notify(actor=None, review=CaseReview.objects.get(pk=review.pk), notified_on=D(2024, 12, 18))
    response = world.client(Role.BUSINESS_UNIT).post(
        reverse("learning:review-rapid-review", args=["durham", review.pk]),
        {**_date("rapid_review_completed_on", D(2025, 1, 7)), **_date("rapid_review_sent_on", D(2025, 1, 6))},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Sending the rapid review cannot be before its completion" in page
    assert CaseReview.objects.get(pk=review.pk).rapid_review_completed_on is None
    with pytest.raises(ValidationError) as error:
        services.review_decide(
            actor=None,
            review=CaseReview.objects.get(pk=review.pk),
            decided_on=D(2024, 12, 1),
            meets_criteria=True,
            decision_reason="Met.",
        )
    assert "decided_on" in error.value.message_dict


@pytest.mark.django_db
def test_the_dashboard_lists_overdue_and_upcoming_steps(world):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=60)
    recent = today - datetime.timedelta(days=1)
    services.review_refer(
        actor=None,
        partnership=world.partnership,
        reference="OLD",
        pseudonym="Pat",
        age_at_incident=4,
        incident=Incident.DEATH,
        aware_on=long_ago,
        referring_agency=world.police,
    )
    services.review_refer(
        actor=None,
        partnership=world.partnership,
        reference="NEW",
        pseudonym="Jo",
        age_at_incident=4,
        incident=Incident.SERIOUS_HARM,
        aware_on=recent,
        referring_agency=world.police,
    )
    not_met = services.review_refer(
        actor=None,
        partnership=world.partnership,
        reference="NOT",
        pseudonym="Lou",
        age_at_incident=4,
        incident=Incident.SERIOUS_HARM,
        aware_on=long_ago,
        referring_agency=world.police,
    )
    services.review_decide(
        actor=None,
        review=not_met,
        decided_on=long_ago,
        meets_criteria=False,
        decision_reason="No.",
        learning_route=LearningRoute.EXISTING_LEARNING,
    )
    overdue, upcoming = queries.clock_dashboard(Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership))
    assert {(item.review.reference, item.clock.name) for item in overdue} >= {
        ("OLD", "notification"),
        ("OLD", "rapid_review"),
    }
    assert "NOT" not in {item.review.reference for item in overdue + upcoming}
    assert ("NEW", "notification") in {(item.review.reference, item.clock.name) for item in upcoming}
    assert clocks.notification_due(recent) in {item.clock.due for item in upcoming}
    page = world.client(Role.BUSINESS_UNIT).get(reverse("learning:clocks", args=["durham"])).content.decode()
    assert "Overdue" in page and "OLD (Pat)" in page and "NEW (Jo)" in page and "NOT (Lou)" not in page


@pytest.mark.django_db
def test_actions_raised_from_a_review_are_listed_on_it(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("learning:review-raise-action", args=["durham", world.review.pk]),
        {"description": "Update the Cumulative Harm guidance.", "owner_agency": world.council.pk},
    )
    assert response.status_code == 302
    action = LearningAction.objects.get(description="Update the Cumulative Harm guidance.")
    assert action.source == world.review
    assert "Update the Cumulative Harm guidance." in client.get(world.review.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_api_returns_iso_due_dates(world):
    _, raw = core_services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="bu")
    response = world.client(None).get("/api/partnerships/durham/case-reviews/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert (
        row["notification_due"] == "2024-12-23"
        and row["rapid_review_due"] == "2025-01-09"
        and row["publication_due"] is None
    )
    assert row["relevant_characteristics"]


@pytest.mark.django_db
def test_publication_is_due_six_months_after_commissioning(world):
    review = services.review_decide(
        actor=None, review=world.review, decided_on=D(2024, 12, 17), meets_criteria=True, decision_reason="Met."
    )
    review = services.review_notify(actor=None, review=review, notified_on=D(2024, 12, 18))
    review = services.review_record_rapid_review(
        actor=None,
        review=review,
        rapid_review_completed_on=D(2025, 1, 7),
        rapid_review_sent_on=D(2025, 1, 8),
        practice_review_recommended=True,
        rapid_review_reasons="Wider learning needs a practice review.",
    )
    review = services.review_record_practice_review(
        actor=None, review=review, practice_review_commissioned_on=D(2025, 1, 20)
    )
    assert review.publication_due == D(2025, 7, 20)
    assert [clock.name for clock in review.clocks()] == ["notification", "rapid_review", "publication"]
