"""The training API: read scoped like the pages, bulk completions through the import service."""

from __future__ import annotations

from rest_framework.test import APIClient

from jigsaw.core.scoping import Role
from jigsaw.training.models import Completion, Evaluation

BASE = "/api/partnerships/durham/training"
ROW = {
    "learner": "Ann Able",
    "email": "ann@school.example",
    "organisation": "Schools",
    "course": "Safeguarding Children Awareness",
    "completion_date": "02/05/2024",
}


def api(world, role):
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def test_bulk_submit_imports_once_and_lists_bad_rows(world):
    client = api(world, Role.BUSINESS_UNIT)
    first = client.post(f"{BASE}/completions/", {"rows": [ROW]}, format="json")
    assert first.status_code == 201 and first.json()["added"] == 1
    again = client.post(f"{BASE}/completions/", {"rows": [ROW]}, format="json")
    assert again.json()["added"] == 0 and again.json()["already_held"] == 1
    bad = client.post(f"{BASE}/completions/", {"rows": [ROW, {**ROW, "course": "Nope"}]}, format="json")
    assert bad.status_code == 400 and bad.json()["unknown_courses"] == [
        {"title": "Nope", "rows": 1, "first_completion_date": "2024-05-02"}
    ]
    repeated = client.post(
        f"{BASE}/completions/",
        {
            "rows": [
                ROW,
                {**ROW, "course": "Nope", "email": "x@school.example"},
                {**ROW, "email": "y@school.example", "learner": "Y"},
                {**ROW, "email": "y@school.example", "learner": "Y"},
            ]
        },
        format="json",
    )
    body = repeated.json()
    assert body["problems"] == [] and body["warnings"] == [
        {"row": 4, "note": "Repeats row 4 exactly: counted once."}
    ]  # notes number rows as the file does (heading is row 1)


def test_only_the_business_unit_submits_and_sees_learner_names(world):
    assert api(world, Role.AGENCY_LEAD).post(f"{BASE}/completions/", {"rows": [ROW]}, format="json").status_code == 403
    lead = api(world, Role.AGENCY_LEAD).get(f"{BASE}/completions/").json()
    assert lead["results"][0]["learner"] is None if "results" in lead else lead[0]["learner"] is None
    unit = api(world, Role.BUSINESS_UNIT).get(f"{BASE}/completions/").json()
    rows = unit["results"] if "results" in unit else unit
    assert rows[0]["learner"] == "Lee Learner"
    assert Completion.objects.count() == 1


def test_an_evaluation_is_submitted_for_an_event(world):
    response = api(world, Role.BUSINESS_UNIT).post(
        f"{BASE}/evaluations/",
        {
            "event": world.event.pk,
            "content_rating": 4,
            "knowledge_before": 3,
            "knowledge_after": 7,
            "impact": "not_sure",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Evaluation.objects.get(pk=response.json()["id"]).course == world.event.course
    bad = api(world, Role.BUSINESS_UNIT).post(
        f"{BASE}/evaluations/",
        {"event": world.event.pk, "content_rating": 9, "knowledge_before": 3, "knowledge_after": 7, "impact": "yes"},
        format="json",
    )
    assert bad.status_code == 400 and "content_rating" in bad.json()


def test_courses_and_events_read(world):
    courses = api(world, Role.PRACTITIONER).get(f"{BASE}/courses/").json()
    titles = [c["title"] for c in (courses["results"] if "results" in courses else courses)]
    assert "Safeguarding Children Awareness" in titles
    assert api(world, Role.MEMBER).get(f"{BASE}/events/{world.event.pk}/").json()["capacity"] == 10
