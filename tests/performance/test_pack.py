"""Dashboards, the think-tank pack (page and PDF), sessions and their actions, the report figures."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

from django.urls import reverse

from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Role
from jigsaw.performance import services
from jigsaw.performance.models import ThinkTankSession


def _returns(world, rhi):
    for start, numerator in (
        (datetime.date(2023, 4, 1), 160),
        (datetime.date(2024, 1, 1), 180),
        (datetime.date(2024, 4, 1), 185),
    ):
        services.value_submit(
            actor=None,
            partnership=world.partnership,
            indicator=rhi,
            agency=world.council,
            period_start=start,
            numerator=Decimal(numerator),
            denominator=Decimal(192),
            commentary=f"Commentary for {start:%B %Y}",
        )


def test_the_pack_page_reads_each_indicator_for_the_quarter(world, rhi):
    _returns(world, rhi)
    page = (
        world.client(Role.SCRUTINEER).get(reverse("performance:pack", args=["durham", "2024-25-Q1"])).content.decode()
    )
    assert "Think tank pack, Q1 2024/25" in page
    assert (
        "MC-1: Return home interviews offered" in page
        and "DA-3: Repeat domestic abuse incidents recorded by police" in page
    )
    assert "96.35%" in page
    assert "Commentary for April 2024" in page
    assert "Why are repeat incidents up?" in page  # the question raised in the World's session
    assert 'data-vega-spec="chart-mc-1' in page  # a chart with its table and summary


def test_the_pack_pdf_opens_and_holds_the_indicator_titles(world, rhi):
    from pypdf import PdfReader

    _returns(world, rhi)
    response = world.client(Role.BUSINESS_UNIT).get(reverse("performance:pack-pdf", args=["durham", "2024-25-Q1"]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Return home interviews offered" in text and "Repeat domestic abuse incidents recorded by police" in text
    assert "Why are repeat incidents up?" in text


def test_the_pdf_fetcher_refuses_anything_but_static_files():
    import pytest

    from jigsaw.performance.pdf import BASE_URL, _static_fetcher

    fetcher = _static_fetcher()
    assert fetcher.fetch(BASE_URL + "static/performance/pack.css").status == 200
    for url in (
        "https://example.com/x.css",
        "file:///etc/passwd",
        BASE_URL + "durham/",
        BASE_URL + "static/../settings.py",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_choosing_a_quarter_goes_to_its_pack(world):
    response = world.client(Role.BUSINESS_UNIT).get(
        reverse("performance:pack-choose", args=["durham"]), {"quarter": "2024-25-Q1"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/think-tank/pack/2024-25-Q1/")


def test_theme_and_priority_dashboards_show_rag_and_direction(world):
    services.value_submit(
        actor=None,
        partnership=world.partnership,
        indicator=world.indicator,
        agency=world.police,
        period_start=datetime.date(2023, 4, 1),
        value=Decimal(210),
    )
    client = world.client(Role.MEMBER)
    page = client.get(reverse("performance:theme", args=["durham", "domestic_abuse"])).content.decode()
    assert (
        "Q1 2024/25" in page and "Red" in page and "Worsening" in page
    )  # 265 against 230 ± 20; up from 210 a year earlier
    priority_page = client.get(
        reverse("performance:priority", args=["durham", world.indicator.priority_id])
    ).content.decode()
    assert "DA-3" in priority_page
    assert client.get(reverse("performance:theme", args=["durham", "not-a-theme"])).status_code == 404


def test_a_session_raises_an_action_into_the_learning_log(world):
    client = world.client(Role.BUSINESS_UNIT)
    session = world.think_tank_session
    url = reverse("performance:session-action", args=["durham", session.pk])
    response = client.post(
        url,
        {
            "description": "Bring attendance data for multi-agency meetings into the Think Tank.",
            "owner_agency": world.council.pk,
            "due_on_day": "31",
            "due_on_month": "10",
            "due_on_year": "2024",
        },
        follow=True,
    )
    assert "Action raised in the learning log" in response.content.decode()
    page = world.client(Role.SCRUTINEER).get(session.get_absolute_url()).content.decode()
    assert "Bring attendance data for multi-agency meetings" in page and "Durham County Council" in page


def test_a_session_is_recorded_with_its_themes(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("performance:session-create", args=["durham"]),
        {
            "held_on_day": "24",
            "held_on_month": "10",
            "held_on_year": "2024",
            "quarter": "2024-25-Q2",
            "themes_discussed": ["harm_outside_home", "education"],
            "questions": "Is there a link with children missing education?",
        },
        follow=True,
    )
    assert response.status_code == 200
    session = ThinkTankSession.objects.get(held_on=datetime.date(2024, 10, 24))
    assert session.quarter.label == "Q2 2024/25" and session.theme_labels == [
        "Harm outside the home",
        "Children missing education and electively home educated",
    ]


def test_late_returns_are_listed_per_agency(world):
    page = (
        world.client(Role.AGENCY_LEAD)
        .get(reverse("performance:late", args=["durham"]), {"year": "2024-25"})
        .content.decode()
    )
    # DA-3 from the police: Q1 2024/25 made today (long after 30 July 2024), Q2 to Q4 still missing.
    assert "Durham Constabulary: 4 late" in page and page.count("Missing") == 3


def test_the_report_block_gives_rag_counts_and_each_indicator(world, rhi):
    from jigsaw.performance.figures import indicators

    _returns(world, rhi)
    block = indicators(world.partnership, FinancialYear(2024))
    assert block.figures["performance.indicator.MC-1"] == 96.35
    assert block.figures["performance.indicator.DA-3"] == 265
    assert block.figures["performance.indicators.rag_counts"] == {"green": 1, "amber": 0, "red": 1, "not_rated": 0}
    assert [row[0] for row in block.table.rows] == [
        "DA-3: Repeat domestic abuse incidents recorded by police",
        "MC-1: Return home interviews offered",
    ]


def test_late_returns_open_on_the_latest_finished_year_with_returns_and_offer_the_one_picker(world):
    page = world.client(Role.AGENCY_LEAD).get(reverse("performance:late", args=["durham"])).content.decode()
    offered = re.findall(r'<option value="(\d{4}-\d{2})"( selected)?', page)
    assert offered, page[:3000]
    selected = [label for label, chosen in offered if chosen]
    # World's returns are for 2024/25; that year is over, so it is the one shown.
    assert selected == ["2024-25"] and "Late returns, 2024/25" in page
    assert "Durham Constabulary: 4 late" in page
