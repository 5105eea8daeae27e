"""`jigsaw demo --scale`: generated partnerships fill every app, the same seed gives the same
records, a second run adds nothing, the report's figures compute in a fixed number of queries
whatever the volume, and one generated partnership cannot see another's records.

Kept small (volume 0.01: a few hundred completions a year) so the module runs in seconds."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jigsaw.actions.models import LearningAction
from jigsaw.core.models import Partnership, Person, User
from jigsaw.core.scale import LAST_YEAR, Plan, generate
from jigsaw.core.scoping import Access
from jigsaw.reports import build
from jigsaw.reports.models import Report
from jigsaw.training.models import Completion

SMALL = {"years": 2, "volume": 0.01, "scale_only": True}
# A model of each app that a generated year must fill.
EVERY_APP = [
    "core.Agency",
    "core.Person",
    "core.Theme",
    "core.RoleAssignment",
    "governance.Group",
    "governance.Meeting",
    "governance.Attendance",
    "governance.Membership",
    "governance.Priority",
    "governance.Contribution",
    "actions.LearningAction",
    "actions.AssuranceReview",
    "learning.CaseReview",
    "learning.LearningCycle",
    "assurance.Round",
    "assurance.Return",
    "assurance.Answer",
    "assurance.RestraintIncident",
    "assurance.ObservedMeeting",
    "performance.Indicator",
    "performance.IndicatorValue",
    "training.Course",
    "training.Event",
    "training.Learner",
    "training.Completion",
    "training.Evaluation",
    "training.Booking",
    "policies.Document",
    "policies.Escalation",
    "reports.Report",
]


class Undo(Exception):
    """Raised to roll a block back."""


def partnership_rows(slug: str) -> dict[str, int]:
    """Rows of every Jigsaw model that belong to the partnership, by model."""
    counts = {}
    for model in apps.get_models():
        if not model.__module__.startswith("jigsaw.") or model._meta.proxy:
            continue
        path = getattr(model, "partnership_path", "partnership")
        if path is None:
            continue
        lookup = "slug" if path == "pk" else f"{path}__slug"
        try:
            counts[model._meta.label] = model._base_manager.filter(**{lookup: slug}).count()
        except FieldError:
            continue  # a model that does not belong to a partnership
    return counts


# Ordered values of the high-volume and drawn records. Ids are left out (PostgreSQL does not roll
# its sequences back), and so are the references the services number by id (LL-2024-088, PD-…).
VALUES = [
    ("core.Person", ["email", "name", "job_title", "agency__name"]),
    ("governance.Attendance", ["meeting__group__name", "meeting__held_on", "person__email", "status"]),
    ("actions.LearningAction", ["description", "status", "raised_on", "due_on", "owner_agency__name", "completed_on"]),
    ("learning.CaseReview", ["reference", "pseudonym", "aware_on", "meets_criteria", "learning_route", "notified_on"]),
    (
        "assurance.Answer",
        ["assessment_return__participant__email", "question__section__number", "question__number", "rating"],
    ),
    ("performance.IndicatorValue", ["indicator__code", "agency__name", "period_start", "value"]),
    ("training.Completion", ["learner__email", "course__title", "completed_on", "category__name"]),
    (
        "training.Evaluation",
        [
            "completion__learner__email",
            "course__title",
            "submitted_on",
            "content_rating",
            "knowledge_before",
            "knowledge_after",
            "impact",
        ],
    ),
    ("policies.Escalation", ["child_reference", "raising_agency__name", "stage", "stage1_on", "resolved_on"]),
]


def fingerprint(slug: str) -> tuple[dict[str, int], str]:
    digest = hashlib.sha256()
    for label, fields in VALUES:
        model = apps.get_model(label)
        path = getattr(model, "partnership_path", "partnership")
        rows = model._base_manager.filter(**{f"{path}__slug": slug}).order_by(*fields).values_list(*fields)
        for row in rows:
            digest.update(repr(row).encode())
    return partnership_rows(slug), digest.hexdigest()


def generated(number: int, plan: Plan, then=None):
    """Generate partnership `number`, return `then(partnership)` (its fingerprint by default) and undo it all."""
    then = then or (lambda partnership: fingerprint(partnership.slug))
    try:
        with transaction.atomic():
            result = then(generate(number, plan).partnership)
            raise Undo
    except Undo:
        return result


@pytest.fixture(scope="module")
def two(django_db_setup, django_db_blocker):
    """scale-001 and scale-002, generated once for the module's read-only tests and rolled back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command("demo", scale=2, stdout=out, **SMALL)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_every_app_gets_records_in_each_partnership(two, db):
    for slug in ("scale-001", "scale-002"):
        rows = partnership_rows(slug)
        empty = [label for label in EVERY_APP if not rows[label]]
        assert not empty, f"{slug} has no {empty}"
    # Each generated year: the report year's completions are about 20,000 x volume.
    assert (
        150
        <= Completion.objects.filter(
            partnership__slug="scale-001", completed_on__range=(LAST_YEAR.start, LAST_YEAR.end)
        ).count()
        <= 200
    )
    assert "scale-001:" in two and "training completions" in two and " s. Created:" in two


def test_a_second_run_adds_nothing(two, db):
    before = {
        **partnership_rows("scale-001"),
        **partnership_rows("scale-002"),
        "audit entries": LogEntry.objects.count(),
        "users": User.objects.count(),
    }
    out = StringIO()
    call_command("demo", scale=2, stdout=out, **SMALL)
    after = {
        **partnership_rows("scale-001"),
        **partnership_rows("scale-002"),
        "audit entries": LogEntry.objects.count(),
        "users": User.objects.count(),
    }
    assert after == before
    assert out.getvalue().count("already generated, nothing to add") == 2


def test_the_same_seed_gives_the_same_records_and_another_seed_others(db):
    plan = Plan(years=1, volume=0.01, seed=7)
    first = generated(3, plan)
    assert generated(3, plan) == first
    other = generated(3, Plan(years=1, volume=0.01, seed=8))
    assert other[1] != first[1]


def test_the_generated_report_year_has_training_and_action_figures(two, db):
    report = Report.objects.get(partnership__slug="scale-001", year=LAST_YEAR.label)
    blocks = build.compute_blocks(report, build.report_block_names(list(report.sections.all())))
    figures = build.figures_document(report, blocks, timezone.now())["figures"]
    assert figures["training.completions.total"] > 0
    assert figures["training.completions.total_previous"] > 0
    assert sum(figures["training.evaluations.impact"].values()) > 0
    assert figures["actions.log.raised"] > 0
    assert figures["learning.reviews.referrals"] > 0
    assert figures["assurance.self_assessment.invited"] > 0
    assert figures["governance.attendance.rate"] > 0


def figures_queries(partnership) -> int:
    """Queries to compute the report year's figures.json (after one warm-up, so caches such as
    content types count the same at every volume)."""
    report = Report.objects.get(partnership=partnership, year=LAST_YEAR.label)
    sections = list(report.sections.all())
    build.compute_blocks(report, build.report_block_names(sections))
    cache.clear()  # count the computation, not the cached figures
    with CaptureQueriesContext(connection) as queries:
        blocks = build.compute_blocks(report, build.report_block_names(sections))
        build.figures_document(report, blocks, timezone.now())
    return len(queries)


def test_figures_take_the_same_queries_at_ten_times_the_data(db):
    """No per-row queries: the count must not grow with the data."""
    small = generated(
        4,
        Plan(years=1, volume=0.01),
        then=lambda p: (figures_queries(p), Completion.objects.filter(partnership=p).count()),
    )
    large = generated(
        4,
        Plan(years=1, volume=0.1),
        then=lambda p: (figures_queries(p), Completion.objects.filter(partnership=p).count()),
    )
    assert large[1] >= 9 * small[1]
    assert large[0] == small[0]


def test_a_user_of_one_generated_partnership_cannot_see_anothers_records(two, db):
    first, second = Partnership.objects.get(slug="scale-001"), Partnership.objects.get(slug="scale-002")
    user = User.objects.get(email="business.unit@scale-001.example")
    own, other = Access.for_user(user, first), Access.for_user(user, second)
    assert (
        LearningAction.objects.restrict(own).count()
        == LearningAction._base_manager.filter(partnership=first).count()
        > 0
    )
    assert not LearningAction.objects.restrict(own).filter(partnership=second).exists()
    for model in (LearningAction, Completion, Person):
        assert not model.objects.restrict(other).exists()
    client = Client()
    client.force_login(user)
    assert client.get("/scale-001/").status_code == 200
    assert client.get("/scale-002/").status_code == 404


def test_a_service_answering_again_starts_from_last_years_answers_and_says_what_moved(db):
    """A service invited to a round after answering an earlier one gets its answers carried
    forward by the invitation; the generator answers those again (it once inserted a second
    answer to the same question and the partnership failed). Seed 1, partnership 3: a service
    is invited in two of the three years."""
    from jigsaw.assurance.models import Answer, Return, ReturnStatus

    made = generate(3, Plan(years=3, volume=0.02))
    carried = Answer._base_manager.filter(partnership=made.partnership).exclude(previous_rating="")
    assert carried.exists()
    assert carried.exclude(rating=F("previous_rating")).exists()  # some ratings moved
    again = Return._base_manager.filter(partnership=made.partnership, carried_from__isnull=False)
    assert again.filter(status=ReturnStatus.SUBMITTED).exists()
