"""core.bulk.create: records written in bulk leave what a service's save() of each leaves (the
record's checks, its audit entry in the partnership's trail, the freshness stamp), and a bad
record saves none of them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jigsaw.core import bulk, services
from jigsaw.core.audit import AuditEntry
from jigsaw.core.models import Agency, Sector, StatutoryRole, Theme
from jigsaw.core.scoping import Role
from jigsaw.training.models import Course, DeliveryMode

from .test_freshness import stamp


def _entry(record) -> AuditEntry:
    return AuditEntry.objects.get(content_type__model=record._meta.model_name, object_pk=str(record.pk))


@pytest.mark.django_db
def test_records_made_in_bulk_are_audited_as_a_service_records_them(world):
    actor = world.users[Role.BUSINESS_UNIT]
    one = services.agency_create(
        actor=actor,
        partnership=world.partnership,
        name="Harbour by the service",
        sector=Sector.DOMESTIC_ABUSE,
        statutory_role=StatutoryRole.RELEVANT_AGENCY,
    )
    before = stamp(world.partnership.pk, "core")
    made = bulk.create(
        [
            Agency(
                partnership=world.partnership,
                name=f"Harbour in bulk {n}",
                sector=Sector.DOMESTIC_ABUSE,
                statutory_role=StatutoryRole.RELEVANT_AGENCY,
            )
            for n in (1, 2)
        ],
        actor=actor,
    )
    assert all(agency.pk for agency in made)
    assert stamp(world.partnership.pk, "core") != before  # figures reading agencies are computed again
    by_service, in_bulk = _entry(one), _entry(made[0])
    assert in_bulk.action == by_service.action == AuditEntry.Action.CREATE
    assert in_bulk.actor == actor
    assert set(in_bulk.changes_dict) == set(by_service.changes_dict)
    assert in_bulk.changes_dict["name"] == ["None", "Harbour in bulk 1"]
    assert in_bulk.changes_dict["sector"] == by_service.changes_dict["sector"]

    # In the partnership's trail (its indexed column), as the business unit reads it; not in another's.
    page = world.client(Role.BUSINESS_UNIT).get(reverse("core:audit", args=["durham"]), {"q": "Harbour"})
    assert {entry.object_repr for entry in page.context["object_list"]} == {
        "Harbour by the service",
        "Harbour in bulk 1",
        "Harbour in bulk 2",
    }
    assert not AuditEntry.objects.filter(partnership_index__partnership=world.other, object_repr__startswith="Harbour")


@pytest.mark.django_db
def test_many_to_many_values_are_saved_with_the_records(world):
    themes = bulk.create(
        [Theme(partnership=world.partnership, name=name) for name in ("Neglect in bulk", "Voice in bulk")]
    )
    (course,) = bulk.create(
        [
            Course(
                partnership=world.partnership,
                title="Bulk course",
                mode=DeliveryMode.ELEARNING,
                runs_from=datetime.date(2024, 4, 1),
            )
        ],
        many=[{"themes": themes}],
    )
    assert set(Course._base_manager.get(pk=course.pk).themes.all()) == set(themes)


@pytest.mark.django_db
def test_a_record_failing_its_checks_saves_none_of_the_batch(world):
    good = Course(
        partnership=world.partnership,
        title="Good course",
        mode=DeliveryMode.ELEARNING,
        runs_from=datetime.date(2024, 4, 1),
    )
    ends_first = Course(
        partnership=world.partnership,
        title="Ends before it starts",
        mode=DeliveryMode.ELEARNING,
        runs_from=datetime.date(2024, 4, 1),
        runs_until=datetime.date(2024, 3, 1),
    )
    with pytest.raises(ValidationError) as refused:
        bulk.create([good, ends_first])
    assert "runs_until" in refused.value.message_dict

    other_theme = Theme._base_manager.filter(partnership=world.other).first() or services.theme_create(
        actor=None, partnership=world.other, name="Darlington theme"
    )
    crossing = Course(
        partnership=world.partnership,
        title="Crossing",
        mode=DeliveryMode.ELEARNING,
        runs_from=datetime.date(2024, 4, 1),
    )
    with pytest.raises(ValidationError) as refused:
        bulk.create([good, crossing], many=[{}, {"themes": [other_theme]}])
    assert "themes" in refused.value.message_dict

    bad_choice = Agency(partnership=world.partnership, name="Nowhere", sector="not-a-sector")
    with pytest.raises(ValidationError) as refused:
        bulk.create([bad_choice])
    assert "sector" in refused.value.message_dict

    assert not Course._base_manager.filter(title__in=["Good course", "Ends before it starts", "Crossing"]).exists()
    assert not Agency._base_manager.filter(name="Nowhere").exists()
    assert not AuditEntry.objects.filter(object_repr__in=["Good course", "Nowhere"]).exists()
