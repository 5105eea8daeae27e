"""The business unit defines indicators on the page; the rules of a definition are enforced."""

from __future__ import annotations

from django.urls import reverse

from jigsaw.core.scoping import Role
from jigsaw.performance.models import Indicator

FORM = {
    "code": "MC-2",
    "title": "Return home interviews held within 72 hours",
    "definition": "Interviews held within 72 hours of return.",
    "theme": "missing",
    "unit": "percentage",
    "numerator_definition": "Held within 72 hours",
    "denominator_definition": "Offered",
    "polarity": "higher",
    "target": "80",
    "tolerance": "10",
    "frequency": "quarterly",
    "is_active": "on",
}


def test_the_business_unit_adds_an_indicator(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("performance:indicator-create", args=["durham"]),
        {**FORM, "source_agency": world.council.pk},
        follow=True,
    )
    assert "MC-2: Return home interviews held within 72 hours added." in response.content.decode()
    assert Indicator.objects.get(code="MC-2").source_agency == world.council


def test_a_percentage_needs_its_definitions_and_a_neutral_indicator_no_target(world):
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("performance:indicator-create", args=["durham"])
    page = client.post(url, {**FORM, "denominator_definition": ""}).content.decode()
    assert "Say what the denominator counts" in page
    page = client.post(url, {**FORM, "polarity": "neutral"}).content.decode()
    assert "has no target" in page
    page = client.post(url, {**FORM, "code": "mc 2"}).content.decode()
    assert "capitals, digits and hyphens" in page
    assert not Indicator.objects.filter(title=FORM["title"]).exists()


def test_an_agency_lead_cannot_add_or_change_indicators(world):
    client = world.client(Role.AGENCY_LEAD)
    assert client.get(reverse("performance:indicator-create", args=["durham"])).status_code == 403
    assert (
        client.post(reverse("performance:indicator-update", args=["durham", world.indicator.pk]), FORM).status_code
        == 403
    )
