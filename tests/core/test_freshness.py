"""Figures computed once per change: kept until a record they read changes, never stale.

Every kind of record is saved once and must move its partnership's stamp for its app; each way
records are written in bulk (imports, bulk services) must move the figure on the next request.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.core import freshness
from jigsaw.core.figures import build_named, registry
from jigsaw.core.models import Sector, StatutoryRole
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Role

YEAR = FinancialYear.parse("2024-25")
NOT_RECORDS = {"FiguresStamp", "AuditIndex"}


def stamp(partnership_id, app):
    from jigsaw.core.models import FiguresStamp

    row = FiguresStamp.objects.filter(partnership_key=partnership_id or freshness.EVERYWHERE, app=app).first()
    return row.version if row else None


def jigsaw_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in freshness.jigsaw_apps()
        and not model._meta.proxy
        and model.__name__ not in NOT_RECORDS
    ]


@pytest.mark.django_db
def test_saving_or_deleting_any_kind_of_record_moves_its_partnerships_stamp(world):
    saved, absent = [], []
    for model in jigsaw_models():
        instance = model._base_manager.order_by("pk").first()
        if instance is None:
            absent.append(model._meta.label)
            continue
        partnership, app = freshness.partnership_of(instance), model._meta.app_label
        before = stamp(partnership, app)
        instance.save()
        assert stamp(partnership, app) not in (None, before), model._meta.label
        saved.append(model._meta.label)
    # The World holds a record of nearly every kind; the check must have covered most of them.
    assert len(saved) > 3 * len(absent), absent

    from jigsaw.core.models import Agency

    agency = Agency.objects.create(
        partnership=world.partnership,
        name="Short-lived",
        sector=Sector.ADULT_HEALTH,
        statutory_role=StatutoryRole.RELEVANT_AGENCY,
    )
    before = stamp(world.partnership.pk, "core")
    agency.delete()
    assert stamp(world.partnership.pk, "core") != before
    assert stamp(world.other.pk, "core") is None or stamp(world.other.pk, "core") != stamp(world.partnership.pk, "core")


@pytest.mark.django_db
def test_a_figure_is_computed_once_then_read_from_the_cache(world):
    build_named(["training.completions.total"], world.partnership, YEAR)
    with CaptureQueriesContext(connection) as again:
        build_named(["training.completions.total"], world.partnership, YEAR)
    tables = " ".join(query["sql"] for query in again)
    assert "training_completion" not in tables  # read from the cache, not computed again
    assert len(again) == 2  # the cached figures and the partnership's stamps


@pytest.mark.django_db
def test_a_write_in_another_partnership_keeps_this_ones_figures(world):
    build_named(["training.completions.total"], world.partnership, YEAR)
    from jigsaw.core import services

    services.agency_create(
        actor=None,
        partnership=world.other,
        name="Elsewhere",
        sector=Sector.ADULT_HEALTH,
        statutory_role=StatutoryRole.RELEVANT_AGENCY,
    )
    with CaptureQueriesContext(connection) as again:
        build_named(["training.completions.total"], world.partnership, YEAR)
    assert "training_completion" not in " ".join(query["sql"] for query in again)


def total(world) -> int:
    return build_named(["training.completions.total"], world.partnership, YEAR)["training.completions.total"].figures[
        "training.completions.total"
    ]


@pytest.mark.django_db
def test_the_completions_import_moves_the_total_on_the_next_request(world):
    from jigsaw.training.imports import completions_import

    client = world.client(Role.BUSINESS_UNIT)
    before = total(world)
    page = client.get("/durham/training/analysis/?year=2024-25")
    assert page.status_code == 200
    content = (
        b"Learner,Email,Organisation,Course,Completion date\n"
        b"Ann Able,ann@school.example,Schools,Safeguarding Children Awareness,02/05/2024\n"
        b"Bob Baker,bob@police.example,Durham Police,Safeguarding Children Awareness,2024-06-03\n"
    )
    result = completions_import(
        actor=world.users[Role.BUSINESS_UNIT], partnership=world.partnership, file_name="x.csv", content=content
    )
    assert result.ok and result.added == 2
    assert total(world) == before + 2
    after = client.get("/durham/training/analysis/?year=2024-25")
    assert after.context["blocks"][0]["block"].figures["training.completions.total"] == before + 2


@pytest.mark.django_db
def test_bulk_services_move_the_figures_they_feed(world):
    from jigsaw.assurance import services as assurance
    from jigsaw.training import services as training
    from jigsaw.training.models import Completion, Evaluation, ImpactAnswer

    def figure(block, name):
        return build_named([block], world.partnership, YEAR)[block].figures[name]

    incidents = figure("assurance.restraint", "assurance.restraint.incidents")
    assurance.restraint_import(
        actor=None,
        partnership=world.partnership,
        setting=world.council,
        file_name="r.csv",
        file=io.BytesIO(
            b"reference,date,young_person,restraint_type,injury_level\nFR-1,2024-05-01,YP-9001,standing,0\nFR-2,2024-06-01,YP-9002,standing,1"
        ),
    )
    assert figure("assurance.restraint", "assurance.restraint.incidents") == incidents + 2

    completion = (
        Completion.objects.filter(partnership=world.partnership, evaluation__isnull=True)
        .select_related("course")
        .first()
    )
    if completion is not None:
        ratings = figure("training.evaluations.content_rating_by_mode", "training.evaluations.content_rating_by_mode")
        training.evaluations_bulk_record(
            actor=None,
            partnership=world.partnership,
            evaluations=[
                Evaluation(
                    partnership=world.partnership,
                    completion=completion,
                    course=completion.course,
                    submitted_on=datetime.date(2024, 7, 1),
                    content_rating=5,
                    knowledge_before=2,
                    knowledge_after=9,
                    impact=ImpactAnswer.values[0],
                ),
            ],
        )
        assert (
            figure("training.evaluations.content_rating_by_mode", "training.evaluations.content_rating_by_mode")
            != ratings
        )


@pytest.mark.django_db
def test_every_registered_block_is_cached_with_the_apps_it_reads(world):
    from django.core.cache import cache

    names = list(registry())
    build_named(names, world.partnership, YEAR)
    entries = cache.get_many([freshness.key(world.partnership, YEAR, name) for name in names])
    assert set(entries) == {freshness.key(world.partnership, YEAR, name) for name in names}
    for name, _spec in registry().items():
        app = name.split(".")[0]
        assert app in entries[freshness.key(world.partnership, YEAR, name)]["apps"], name


def overdue_on_home(client, whose: str) -> int:
    """The home work queue's count of overdue actions (an item with none is not shown)."""
    import re

    page = client.get("/durham/")
    assert page.status_code == 200
    found = re.search(rf"([\d,]+) actions? overdue: {re.escape(whose)}", page.content.decode().replace("&#x27;", "'"))
    return int(found.group(1).replace(",", "")) if found else 0


@pytest.mark.django_db
def test_the_home_work_queue_is_kept_until_a_write_and_moves_on_the_next_request(world):
    from jigsaw.actions import services as actions

    business_unit, lead = world.client(Role.BUSINESS_UNIT), world.client(Role.AGENCY_LEAD)
    partnership_count = overdue_on_home(business_unit, "the partnership's")
    agency_count = overdue_on_home(lead, f"your agency's ({world.police.name})")
    with CaptureQueriesContext(connection) as again:
        assert overdue_on_home(business_unit, "the partnership's") == partnership_count
    assert "actions_learningaction" not in " ".join(query["sql"] for query in again)  # from the cache

    actions.action_raise(
        actor=None,
        partnership=world.partnership,
        description="Share the referral threshold guidance with every school",
        owner_agency=world.police,
        raised_on=datetime.date(2024, 1, 8),
        due_on=datetime.date(2024, 3, 1),
    )
    assert overdue_on_home(business_unit, "the partnership's") == partnership_count + 1
    assert overdue_on_home(lead, f"your agency's ({world.police.name})") == agency_count + 1
    # The linked page lists the same number.
    listing = business_unit.get("/durham/actions/?due=overdue").content.decode()
    assert listing.count('<tr class="govuk-table__row">') - 1 == min(partnership_count + 1, 50)
