"""Returns made on the form and through the service: every bad input refused with a message
naming the field, nothing half-saved, a duplicate replacing the earlier return with an audit record."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jigsaw.core.audit import AuditEntry
from jigsaw.core.scoping import Role
from jigsaw.performance import services
from jigsaw.performance.models import IndicatorValue

Q1 = datetime.date(2024, 4, 1)


def submit(world, indicator, **fields):
    return services.value_submit(
        actor=world.users[Role.BUSINESS_UNIT],
        partnership=world.partnership,
        indicator=indicator,
        agency=fields.pop("agency", world.council),
        period_start=fields.pop("period_start", Q1),
        **fields,
    )


def test_percentage_is_worked_out_from_numerator_and_denominator(world, rhi):
    value = submit(world, rhi, numerator=Decimal(185), denominator=Decimal(192))
    assert value.value == Decimal("96.3542")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"numerator": Decimal(15)}, "denominator", "without one cannot be worked out"),
        ({"numerator": Decimal(15), "denominator": Decimal(0)}, "denominator", "denominator is zero"),
        ({"value": Decimal("1.19")}, "value", "worked out from the numerator and denominator"),
        ({"numerator": Decimal(20), "denominator": Decimal(15)}, "numerator", "cannot be over 100%"),
    ],
)
def test_bad_percentage_returns_are_refused(world, rhi, fields, field, message):
    with pytest.raises(ValidationError) as error:
        submit(world, rhi, **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert not IndicatorValue.objects.filter(indicator=rhi).exists()


def test_a_count_must_be_a_whole_number_without_numerator(world):
    with pytest.raises(ValidationError, match="whole number"):
        submit(
            world, world.indicator, agency=world.police, period_start=datetime.date(2024, 7, 1), value=Decimal("26.5")
        )
    with pytest.raises(ValidationError, match="enter the value only"):
        submit(
            world,
            world.indicator,
            agency=world.police,
            period_start=datetime.date(2024, 7, 1),
            numerator=Decimal(3),
            denominator=Decimal(4),
        )


def test_a_period_that_has_not_ended_is_refused(world, rhi):
    today = datetime.date.today()
    from jigsaw.performance.periods import QUARTERLY, Period

    current = Period.containing(today, QUARTERLY)
    with pytest.raises(ValidationError, match="has not ended yet"):
        submit(world, rhi, period_start=current.start, numerator=Decimal(1), denominator=Decimal(2))
    with pytest.raises(ValidationError, match="first day of a financial quarter"):
        submit(world, rhi, period_start=datetime.date(2024, 5, 1), numerator=Decimal(1), denominator=Decimal(2))


def test_a_duplicate_return_replaces_the_first_and_the_audit_trail_keeps_it(world, rhi):
    first = submit(world, rhi, numerator=Decimal(180), denominator=Decimal(192))
    second = submit(world, rhi, numerator=Decimal(185), denominator=Decimal(192), commentary="Corrected count")
    assert second.pk == first.pk and second.replaces
    assert IndicatorValue.objects.filter(indicator=rhi).count() == 1
    entries = AuditEntry.objects.filter(object_pk=str(first.pk), content_type__model="indicatorvalue").order_by(
        "timestamp"
    )
    assert [e.action for e in entries] == [0, 1]
    assert "180" in str(entries.last().changes)


def test_an_agency_lead_makes_a_return_for_their_own_agency_only(world):
    client = world.client(Role.AGENCY_LEAD)
    url = reverse("performance:value-create", args=[world.partnership.slug])
    page = client.get(url)
    assert world.police.name in page.content.decode() and world.council.name not in page.content.decode()
    data = {
        "indicator": world.indicator.pk,
        "agency": world.police.pk,
        "period": "Q2 2024/25",
        "value": "262",
        "data_quality": "confirmed",
    }
    response = client.post(url, data, follow=True)
    assert "Return saved: DA-3 for Q2 2024/25" in response.content.decode()
    refused = client.post(url, {**data, "agency": world.council.pk})
    assert refused.status_code == 200 and "Choose from this partnership&#x27;s agencies." in refused.content.decode()
    again = client.post(url, {**data, "value": "263"}, follow=True)
    assert "Return replaced" in again.content.decode() and "keeps the figure it replaced" in again.content.decode()
    assert IndicatorValue.objects.get(indicator=world.indicator, period_start=datetime.date(2024, 7, 1)).value == 263


def test_the_form_names_the_field_for_a_future_period(world):
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("performance:value-create", args=[world.partnership.slug])
    response = client.post(
        url,
        {
            "indicator": world.indicator.pk,
            "agency": world.police.pk,
            "period": "Q4 2099/00",
            "value": "1",
            "data_quality": "confirmed",
        },
    )
    assert response.status_code == 200
    assert "is not a financial year" in response.content.decode() or "has not ended" in response.content.decode()
    response = client.post(
        url,
        {
            "indicator": world.indicator.pk,
            "agency": world.police.pk,
            "period": "Q4 2098/99",
            "value": "1",
            "data_quality": "confirmed",
        },
    )
    assert "has not ended yet" in response.content.decode()
