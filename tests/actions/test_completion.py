"""Completing an action as people do it on the progress page and through the API: the date it
was done, the evidence it needs, and a source linked only for those who can open it."""

import datetime
import re

import pytest
from django.utils import timezone

from jigsaw.actions import services
from jigsaw.actions.models import ReviewKind, Status
from jigsaw.core.scoping import Role

from .test_api import client_for

pytestmark = pytest.mark.django_db


def _date(prefix, day: datetime.date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def test_the_reviews_are_counted_from_the_date_the_work_was_done(world):
    action = world.council_action  # raised 1 July 2024
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        f"/durham/actions/{action.pk}/progress/",
        {"status": "completed", "evidence": "Audit done.", **_date("completed_on", datetime.date(2024, 11, 30))},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.completed_on == datetime.date(2024, 11, 30)
    due = dict(action.reviews.values_list("kind", "due_on"))
    assert due == {
        ReviewKind.SIX_MONTH: datetime.date(2025, 5, 30),
        ReviewKind.TWELVE_MONTH: datetime.date(2025, 11, 30),
    }
    page = client.get(action.get_absolute_url()).content.decode()
    assert "30 November 2024" in page and "30 May 2025" in page


def test_a_completion_date_left_blank_is_today(world):
    action = world.council_action
    world.client(Role.BUSINESS_UNIT).post(
        f"/durham/actions/{action.pk}/progress/", {"status": "completed", "evidence": "Audit done."}
    )
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()


@pytest.mark.parametrize(
    "day, message",
    [
        (timezone.localdate() + datetime.timedelta(days=1), "The completion date cannot be in the future."),
        (datetime.date(2024, 6, 30), "The completion date cannot be before the action was raised."),
    ],
)
def test_a_completion_date_in_the_future_or_before_it_was_raised_is_refused_on_the_field(world, day, message):
    action = world.council_action
    response = world.client(Role.BUSINESS_UNIT).post(
        f"/durham/actions/{action.pk}/progress/",
        {"status": "completed", "evidence": "Audit done.", **_date("completed_on", day)},
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'href="#id_completed_on_day"' in page  # the error summary points at the date field
    action.refresh_from_db()
    assert action.status == Status.OPEN and action.completed_on is None and not action.reviews.exists()


def test_evidence_is_not_labelled_optional_where_it_is_needed(world):
    page = world.client(Role.BUSINESS_UNIT).get(f"/durham/actions/{world.council_action.pk}/progress/").content.decode()
    labels = {
        re.sub(r"\s+", " ", label).strip()
        for label in re.findall(r'<label class="govuk-label govuk-label--s"[^>]*>(.*?)</label>', page, re.S)
    }
    assert "Evidence of completion" in labels and "Why it is closed without assurance" in labels
    assert "Progress note (optional)" in labels  # a field that really is optional still says so
    refused = world.client(Role.BUSINESS_UNIT).post(
        f"/durham/actions/{world.council_action.pk}/progress/", {"status": "in_progress"}
    )
    assert refused.status_code == 302  # moving on without completing needs no evidence


def test_the_source_is_a_link_only_for_viewers_who_can_open_it(world):
    action = services.action_raise(
        actor=None,
        partnership=world.partnership,
        description="Strengthen strategy discussions",
        source=world.review,
        owner_agency=world.police,
        raised_on=datetime.date(2025, 1, 10),
    )
    link = f'href="{world.review.get_absolute_url()}"'
    business_unit = world.client(Role.BUSINESS_UNIT)
    assert link in business_unit.get(action.get_absolute_url()).content.decode()
    assert business_unit.get(world.review.get_absolute_url()).status_code == 200
    lead = world.client(Role.AGENCY_LEAD)
    page = lead.get(action.get_absolute_url()).content.decode()
    assert action.source_label in page and link not in page
    assert lead.get(world.review.get_absolute_url()).status_code == 404


def test_the_api_takes_the_completion_date(world):
    client = client_for(world, Role.BUSINESS_UNIT)
    url = f"/api/partnerships/durham/actions/{world.council_action.pk}/"
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    refused = client.patch(
        url, {"status": "completed", "evidence": "Done", "completed_on": future}, content_type="application/json"
    )
    assert refused.status_code == 400 and "completed_on" in refused.json()
    done = client.patch(
        url, {"status": "completed", "evidence": "Done", "completed_on": "2024-12-02"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["completed_on"] == "2024-12-02"
    assert world.council_action.reviews.get(kind=ReviewKind.SIX_MONTH).due_on == datetime.date(2025, 6, 2)


def test_the_completion_date_is_offered_as_today_and_not_as_optional(world):
    action = world.council_action
    page = world.client(Role.BUSINESS_UNIT).get(f"/durham/actions/{action.pk}/progress/").content.decode()
    today = timezone.localdate()
    assert "Date completed" in page and "Date completed (optional)" not in page
    fields = {name: value for name, value in re.findall(r'name="(completed_on_\w+)"[^>]*value="(\d+)"', page)}
    assert fields == {
        "completed_on_day": str(today.day),
        "completed_on_month": str(today.month),
        "completed_on_year": str(today.year),
    }


def test_moving_an_action_on_without_completing_it_ignores_the_prefilled_date(world):
    action = world.council_action
    world.client(Role.BUSINESS_UNIT).post(
        f"/durham/actions/{action.pk}/progress/",
        {"status": "in_progress", "evidence": "", **_date("completed_on", timezone.localdate())},
    )
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS and action.completed_on is None
