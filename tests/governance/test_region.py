"""The regional comparison: partnerships opt in, choose which aggregate figures to share, and see
each other's shared figures only (page, CSV and API the same); nothing else crosses."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access, Role
from jigsaw.governance import queries, services
from jigsaw.governance.models import RegionalFigure, RegionMembership

YEAR = FinancialYear(2024)


@pytest.fixture
def region(world):
    """Darlington joins Durham's region, sharing the actions figure but not the self-assessment."""
    from jigsaw.assurance import services as assurance

    assurance.return_submit(actor=None, assessment_return=world.assessment_return)  # a return rate of 100%
    membership = world.region_membership
    services.region_figures_compute(actor=None, membership=membership, year=YEAR)
    theirs = services.region_join(actor=None, partnership=world.other, region=membership.region, shared=["actions"])
    services.region_figures_compute(actor=None, membership=theirs, year=YEAR)
    return membership.region, theirs


def _durham_access(world):
    return Access.for_user(world.users[Role.MEMBER], world.partnership)


def test_the_page_shows_each_shared_figure_against_the_region(world, region):
    page = world.client(Role.MEMBER).get(reverse("governance:region", args=[world.partnership.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    table = html.split('id="regional-table"')[1].split("</table>")[0]
    assert "Actions raised in the year now assured (%)" in table
    assert str(world.other) in html.split('id="region-members"')[1]
    assert "Last computed" in html and "2024-25" in html
    assert 'id="regional-chart"' in html
    chosen = world.client(Role.MEMBER).get(
        reverse("governance:region", args=[world.partnership.slug]),
        {"figure": "self_assessment:Section 11 return rate (%)"},
    )
    chart = chosen.content.decode().split('id="regional-chart"')[1]
    assert "Section 11 return rate (%) across the region" in chart and "data-vega-spec" in chart
    assert f"the regional median is 100 and {world.partnership} has 100" in chart


def test_a_figure_not_shared_never_crosses(world, region):
    durham = _durham_access(world)
    seen = RegionalFigure.objects.restrict(durham).filter(partnership=world.other)
    assert set(seen.values_list("family", flat=True)) <= {"actions"}
    darlington = Access.for_user(world.outsider, world.other)
    assert set(
        RegionalFigure.objects.restrict(darlington)
        .filter(partnership=world.partnership)
        .values_list("family", flat=True)
    ) <= {"self_assessment", "actions"}
    # Durham stops sharing the self-assessment: gone from the region at once.
    services.region_sharing_update(actor=None, membership=world.region_membership, shared=["actions"])
    assert not RegionalFigure.objects.restrict(darlington).filter(family="self_assessment").exists()


def test_outside_the_region_nothing_is_seen(world):
    theirs = services.region_join(
        actor=None,
        partnership=world.other,
        region=services.region_create(actor=None, name="Elsewhere", slug="elsewhere"),
        shared=["actions"],
    )
    services.region_figures_compute(actor=None, membership=theirs, year=YEAR)
    durham = _durham_access(world)
    assert not RegionalFigure.objects.restrict(durham).filter(partnership=world.other).exists()
    assert not RegionMembership.objects.restrict(durham).filter(partnership=world.other).exists()
    page = world.client(Role.MEMBER).get(reverse("governance:region", args=[world.partnership.slug]))
    assert str(world.other) not in page.content.decode()
    api = world.client(Role.MEMBER).get(
        f"/api/partnerships/{world.partnership.slug}/governance/regional-figures/?partner={world.other.slug}"
    )
    assert api.status_code == 404


def test_the_api_and_the_csv_give_the_page_figures_and_refuse_an_opt_out_figure(world, region):
    client = world.client(Role.MEMBER)
    base = f"/api/partnerships/{world.partnership.slug}/governance/regional-figures/"
    listed = client.get(base).json()
    api_rows = {(r["partnership_name"], r["label"], r["value"]) for r in listed["results"]}
    download = client.get(reverse("governance:region-download", args=[world.partnership.slug]))
    reader = csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")))
    csv_rows = {(r["Partnership"], r["Figure"], r["Value"] or None) for r in reader}
    assert api_rows == csv_rows and api_rows
    refused = client.get(f"{base}?partner={world.other.slug}&family=self_assessment")
    assert refused.status_code == 403
    assert "does not share 'Section 11: % green by section and return rate'" in refused.json()["detail"]
    shared = client.get(f"{base}?partner={world.other.slug}&family=actions").json()
    assert {r["partnership"] for r in shared["results"]} == {world.other.slug}
    assert client.get(f"{base}?family=nonsense").status_code == 400


def test_opting_in_with_an_unknown_figure_is_refused_and_nothing_written(world):
    before = RegionMembership.objects.count()
    with pytest.raises(ValidationError, match="Choose from the figures listed"):
        services.region_join(
            actor=None, partnership=world.other, region=world.region_membership.region, shared=["children_names"]
        )
    assert RegionMembership.objects.count() == before


def test_the_business_unit_opts_in_through_the_page(world):
    region = services.region_create(actor=None, name="North East", slug="north-east")
    client = world.client("outsider")  # Darlington's business unit
    url = reverse("governance:region-sharing", args=[world.other.slug])
    refused = client.post(url, {"region": region.pk, "shared": ["training"]})
    assert "Give the size of the children" in refused.content.decode()
    assert not RegionMembership.objects.filter(partnership=world.other).exists()
    response = client.post(url, {"region": region.pk, "shared": ["training", "actions"], "workforce": "12000"})
    assert response.status_code == 302
    membership = RegionMembership.objects.get(partnership=world.other)
    assert membership.computed_at is not None and sorted(membership.shared) == ["actions", "training"]
    assert world.client(Role.MEMBER).get(url).status_code == 404  # not their partnership
    durham = reverse("governance:region-sharing", args=[world.partnership.slug])
    assert world.client(Role.MEMBER).get(durham).status_code == 403  # the business unit's page


def test_the_regional_page_costs_the_same_queries_whatever_the_number_of_partnerships(world, region):
    rows = queries.regional_comparison(_durham_access(world), region[0])
    assert rows
    client = world.client(Role.MEMBER)
    url = reverse("governance:region", args=[world.partnership.slug])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(url)
    from jigsaw.core import services as core_services

    for n in range(5):
        extra = core_services.partnership_create(name=f"Extra {n}", slug=f"extra-{n}", area=f"Extra {n}")
        membership = services.region_join(actor=None, partnership=extra, region=region[0], shared=["actions"])
        services.region_figures_compute(actor=None, membership=membership, year=YEAR)
    with CaptureQueriesContext(connection) as seven:
        client.get(url)
    assert len(seven) == len(two)
