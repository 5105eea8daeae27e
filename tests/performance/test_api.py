"""A partner's system submits returns through the API, scoped like the pages."""

from __future__ import annotations

from rest_framework.test import APIClient

from jigsaw.core.scoping import Role
from jigsaw.performance.models import IndicatorValue, ReturnRoute

URL = "/api/partnerships/durham/indicator-values/"


def client_for(world, role):
    client = APIClient()
    client.force_authenticate(world.outsider if role == "outsider" else world.users[role])
    return client


def test_an_agency_lead_submits_a_quarter_for_their_own_agency(world):
    client = client_for(world, Role.AGENCY_LEAD)
    response = client.post(
        URL,
        {
            "indicator": "DA-3",
            "agency": world.police.pk,
            "period": "Q2 2024/25",
            "value": "262",
            "commentary": "Up on last year",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["period_label"] == "Q2 2024/25" and response.json()["replaced"] is False
    assert IndicatorValue.objects.get(pk=response.json()["id"]).route == ReturnRoute.API
    again = client.post(
        URL, {"indicator": "DA-3", "agency": world.police.pk, "period": "Q2 2024/25", "value": "263"}, format="json"
    )
    assert again.status_code == 201 and again.json()["replaced"] is True


def test_an_agency_lead_cannot_submit_for_another_agency(world, rhi):
    response = client_for(world, Role.AGENCY_LEAD).post(
        URL,
        {"indicator": "MC-1", "agency": world.council.pk, "period": "Q1 2024/25", "numerator": 1, "denominator": 2},
        format="json",
    )
    assert response.status_code == 400
    assert "your own agency" in response.json()["agency"][0]
    assert not IndicatorValue.objects.filter(indicator=rhi).exists()


def test_roles_that_do_not_make_returns_are_refused_and_others_read(world):
    for role in (Role.PRACTITIONER, Role.SCRUTINEER, Role.MEMBER):
        client = client_for(world, role)
        assert (
            client.post(
                URL, {"indicator": "DA-3", "agency": world.police.pk, "period": "Q2 2024/25", "value": 1}, format="json"
            ).status_code
            == 403
        )
        listing = client.get(URL + "?indicator=DA-3")
        if role == Role.PRACTITIONER:  # indicator returns are the partners' (docs/access.md)
            assert listing.status_code == 200 and listing.json()["results"] == []
        else:
            assert listing.status_code == 200 and listing.json()["results"][0]["value"] == "265.0000"
    assert client_for(world, "outsider").get(URL).status_code == 404


def test_bad_api_returns_name_the_field(world, rhi):
    client = client_for(world, Role.BUSINESS_UNIT)
    no_denominator = client.post(
        URL, {"indicator": "MC-1", "agency": world.council.pk, "period": "Q1 2024/25", "numerator": 15}, format="json"
    )
    assert no_denominator.status_code == 400 and "denominator" in no_denominator.json()
    typed = client.post(
        URL, {"indicator": "MC-1", "agency": world.council.pk, "period": "Q1 2024/25", "value": "1.19"}, format="json"
    )
    assert typed.status_code == 400 and "value" in typed.json()
    bad_period = client.post(
        URL,
        {"indicator": "MC-1", "agency": world.council.pk, "period": "first quarter", "numerator": 1, "denominator": 2},
        format="json",
    )
    assert bad_period.status_code == 400 and "Q1 2024/25" in bad_period.json()["period"][0]
    made = client.post(
        URL,
        {"indicator": "MC-1", "agency": world.council.pk, "period": "Q1 2024/25", "numerator": 15, "denominator": 1261},
        format="json",
    )
    assert made.status_code == 201 and made.json()["value"] == "1.1895"


def test_indicators_are_read_by_the_partners_and_added_by_the_business_unit(world):
    url = "/api/partnerships/durham/indicators/"
    assert client_for(world, Role.MEMBER).get(url).json()["results"][0]["code"] == "DA-3"
    assert client_for(world, Role.PRACTITIONER).get(url).json()["results"] == []
    body = {
        "code": "HOTH-1",
        "title": "Children scored on the CEVT",
        "definition": "Children with a CEVT score.",
        "theme": "harm_outside_home",
        "unit": "count",
        "polarity": "neutral",
        "frequency": "quarterly",
    }
    assert client_for(world, Role.AGENCY_LEAD).post(url, body, format="json").status_code == 403
    assert client_for(world, Role.BUSINESS_UNIT).post(url, body, format="json").status_code == 201


def test_an_indicator_code_is_looked_up_in_this_partnership_only(world):
    from decimal import Decimal

    from jigsaw.performance import services as performance
    from jigsaw.performance.models import Polarity, ThinkTankTheme, Unit

    performance.indicator_create(
        actor=None,
        partnership=world.other,
        code="DA-3",
        title="Darlington's own",
        definition="x",
        theme=ThinkTankTheme.DOMESTIC_ABUSE,
        unit=Unit.COUNT,
        polarity=Polarity.LOWER,
        target=Decimal(1),
    )
    response = client_for(world, Role.AGENCY_LEAD).post(
        URL, {"indicator": "DA-3", "agency": world.police.pk, "period": "Q3 2024/25", "value": 280}, format="json"
    )
    assert response.status_code == 201
    assert IndicatorValue.objects.get(pk=response.json()["id"]).indicator == world.indicator
    other_agency = client_for(world, Role.BUSINESS_UNIT).post(
        URL, {"indicator": "DA-3", "agency": world.other_agency.pk, "period": "Q3 2024/25", "value": 1}, format="json"
    )
    assert other_agency.status_code == 400 and "agency" in other_agency.json()
