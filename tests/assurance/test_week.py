"""The assurance week's summary; audits, JTAI, scrutiny and presentations through the pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jigsaw.assurance import queries, services
from jigsaw.assurance.models import ObservedMeeting
from jigsaw.core.scoping import Role

D = datetime.date


def test_week_summary_by_type(world):
    week = world.week  # one CICR, observed
    services.meeting_identify(actor=None, week=week, meeting_type="cicr", held_on=D(2024, 10, 1), consent="declined")
    services.meeting_identify(
        actor=None, week=week, meeting_type="rcpc", held_on=D(2024, 10, 2), consent="given", moved_outside_window=True
    )
    services.meeting_identify(
        actor=None, week=week, meeting_type="rcpc", held_on=D(2024, 10, 3), consent="given", observer="Sam Bell"
    )
    rows = {
        r.meeting_type: (r.identified, r.declined, r.moved, r.observed)
        for r in queries.week_by_type(ObservedMeeting.objects.filter(week=week))
    }
    assert rows == {"cicr": (2, 1, 0, 1), "rcpc": (2, 0, 1, 1)}
    page = world.client(Role.SCRUTINEER).get(reverse("assurance:week", args=["durham", week.pk])).content.decode()
    assert "4 meetings identified; 2 observed by 2 observers" in page


def test_a_meeting_from_another_partnership_agency_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="this partnership"):
        services.meeting_identify(
            actor=None, week=world.week, meeting_type="taf", held_on=D(2024, 10, 1), observer_agency=world.other_agency
        )


def test_audits_jtai_scrutiny_and_presentations_through_the_pages(world):
    from jigsaw.assurance.models import JtaiEvaluation

    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("assurance:jtai-evaluate", args=["durham", world.jtai.pk]),
        {
            "criterion": "Leaders understand demand at the front door.",
            "judgement": "improve",
            "evidence": "Demand data is not yet shared.",
            "evaluated_on_day": "1",
            "evaluated_on_month": "2",
            "evaluated_on_year": "2025",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("assurance:jtai", args=["durham", world.jtai.pk])).content.decode()
    assert "Demand data is not yet shared." in page and "Area to improve" in page
    # A criterion that is not the theme's is refused.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="evaluation criteria"):
        services.jtai_evaluate(
            actor=None,
            theme=world.jtai,
            criterion="Something else",
            judgement="strength",
            evidence="x",
            evaluated_on=D(2025, 2, 1),
        )
    assert JtaiEvaluation.objects.filter(theme=world.jtai).count() == 2
    overview = world.client(Role.SCRUTINEER).get(reverse("assurance:scrutiny", args=["durham"])).content.decode()
    assert (
        "Front Door audit" in overview
        and "Scrutiny of rapid reviews" in overview
        and "Front Door assurance" in overview
    )
    assert world.client(Role.SCRUTINEER).get(reverse("assurance:audit-create", args=["durham"])).status_code == 403
