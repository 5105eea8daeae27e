"""The assurance week's summary, and the demo reproducing the report's figures from records."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jigsaw.assurance import queries, services
from jigsaw.assurance.models import ObservedMeeting
from jigsaw.core.demo import load_demo
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Role
from jigsaw.reports.blocks import registry

D = datetime.date


def test_week_summary_by_type(world):
    week = world.week  # one CICR, observed
    services.meeting_identify(actor=None, week=week, meeting_type="cicr", held_on=D(2024, 10, 1), consent="declined")
    services.meeting_identify(actor=None, week=week, meeting_type="rcpc", held_on=D(2024, 10, 2), consent="given", moved_outside_window=True)
    services.meeting_identify(actor=None, week=week, meeting_type="rcpc", held_on=D(2024, 10, 3), consent="given", observer="Sam Bell")
    rows = {r.meeting_type: (r.identified, r.declined, r.moved, r.observed) for r in queries.week_by_type(ObservedMeeting.objects.filter(week=week))}
    assert rows == {"cicr": (2, 1, 0, 1), "rcpc": (2, 0, 1, 1)}
    page = world.client(Role.SCRUTINEER).get(reverse("assurance:week", args=["durham", week.pk])).content.decode()
    assert "4 meetings identified; 2 observed by 2 observers" in page


def test_a_meeting_from_another_partnership_agency_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="this partnership"):
        services.meeting_identify(actor=None, week=world.week, meeting_type="taf", held_on=D(2024, 10, 1), observer_agency=world.other_agency)


@pytest.mark.django_db
def test_the_demo_reproduces_the_reports_figures_through_the_report_blocks():
    result = load_demo()
    blocks = registry()
    year = FinancialYear(2024)
    figures = {}
    for name in ("assurance.self_assessment", "assurance.assurance_week", "assurance.restraint"):
        figures.update(blocks[name].build(result.partnership, year).figures)
    assert figures["assurance.self_assessment.invited"] == 38
    assert figures["assurance.self_assessment.returned"] == 24
    assert figures["assurance.self_assessment.return_rate_pct"] == 63
    assert figures["assurance.self_assessment.services"] == 8
    assert list(figures["assurance.self_assessment.green_pct_by_section"].values()) == [89, 88, 84, 81, 80, 76, 75, 74, 71]
    assert list(figures["assurance.self_assessment.green_pct_by_section"])[0] == "Multi agency training and development"
    by_type = figures["assurance.assurance_week.by_type"]
    assert sum(t["identified"] for t in by_type.values()) == 33
    assert sum(t["declined"] for t in by_type.values()) == 5
    assert sum(t["moved"] for t in by_type.values()) == 3
    assert {k: v["observed"] for k, v in by_type.items()} == {"cicr": 5, "icpc": 2, "rcpc": 4, "marac": 5, "strategy": 6, "taf": 4}
    assert figures["assurance.assurance_week.observers"] == 26
    assert figures["assurance.restraint.incidents"] == 184
    assert figures["assurance.restraint.no_injury_pct"] == 84
    assert figures["assurance.restraint.by_injury_level"] == {"0": 155, "1": 27, "2": 1, "3": 1}
    assert figures["assurance.restraint.level1_pct_of_injuries"] == 93
    assert not load_demo().created  # loading again adds nothing


def test_audits_jtai_scrutiny_and_presentations_through_the_pages(world):
    from jigsaw.assurance.models import JtaiEvaluation

    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(reverse("assurance:jtai-evaluate", args=["durham", world.jtai.pk]), {
        "criterion": "Leaders understand demand at the front door.", "judgement": "improve", "evidence": "Demand data is not yet shared.",
        "evaluated_on_day": "1", "evaluated_on_month": "2", "evaluated_on_year": "2025",
    })
    assert response.status_code == 302
    page = client.get(reverse("assurance:jtai", args=["durham", world.jtai.pk])).content.decode()
    assert "Demand data is not yet shared." in page and "Area to improve" in page
    # A criterion that is not the theme's is refused.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="evaluation criteria"):
        services.jtai_evaluate(actor=None, theme=world.jtai, criterion="Something else", judgement="strength", evidence="x", evaluated_on=D(2025, 2, 1))
    assert JtaiEvaluation.objects.filter(theme=world.jtai).count() == 2
    overview = world.client(Role.SCRUTINEER).get(reverse("assurance:scrutiny", args=["durham"])).content.decode()
    assert "Front Door audit" in overview and "Scrutiny of rapid reviews" in overview and "Front Door assurance" in overview
    assert world.client(Role.SCRUTINEER).get(reverse("assurance:audit-create", args=["durham"])).status_code == 403
