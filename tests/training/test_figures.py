"""Every table and figure of the report's training section, from the demo's records."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jigsaw.core.demo import load_demo
from jigsaw.core.figures import registry
from jigsaw.core.periods import FinancialYear

YEAR = FinancialYear(2024)


@pytest.fixture
def durham(demo):
    return demo.partnership


def build(name, partnership):
    return registry()[name].build(partnership, YEAR)


def test_overview_of_course_completions(durham, db):
    block = build("training.completions.by_mode", durham)
    figures = block.figures
    assert figures["training.completions.by_mode"] == {
        "Me-Learning (eLearning)": 17_954,
        "Training Programme": 692,
        "Safeguarding Week": 1_021,
        "Development Day": 187,
        "Bespoke Training": 202,
    }
    assert figures["training.completions.by_mode_previous"]["Me-Learning (eLearning)"] == 12_956
    assert figures["training.completions.by_mode_change_percent"]["Me-Learning (eLearning)"] == 38
    assert figures["training.completions.by_mode_previous"]["Safeguarding Week"] == 420
    assert figures["training.completions.by_mode_change_percent"]["Safeguarding Week"] == 143
    assert block.table.rows[0] == ["Me-Learning (eLearning)", 12_956, 17_954, "38%"]
    assert "an increase of 38%" in block.summary


def test_total_completions_and_the_year_before(durham, db):
    figures = build("training.completions.total", durham).figures
    assert figures["training.completions.total"] == 20_056
    assert figures["training.completions.total_previous"] == 14_793


def test_elearning_courses_45_against_30(durham, db):
    assert build("training.elearning.courses", durham).figures["training.elearning.courses"] == {
        "year": 45,
        "previous": 30,
        "added": 15,
    }


REPORT_TABLE = [
    ("Adult Health Services", 133),
    ("Alternative Education Provider", 930),
    ("CAFCASS", 6),
    ("Children Social Care", 4_717),
    ("Colleges (Further Education)", 150),
    ("Domestic Abuse Services", 69),
    ("Drug and Alcohol", 156),
    ("Early Help", 485),
    (
        "Early Years and Childcare (All Nurseries including private nurseries, Out of School Clubs and Childminders)",
        1_578,
    ),
    ("Education and Skills", 474),
    ("Faith based", 14),
    ("Fire Service", 37),
    ("Foster Carers", 438),
    ("Housing", 32),
    ("Integrated Care Board", 95),
    ("Integrated Passenger Transport (Home to School Transport including Taxi Drivers)", 1_476),
    ("Local Authority Other", 353),
    ("NHS Foundation Trusts", 1_698),
    ("North East Ambulance Service", 2),
    ("Organisations outside of County Durham", 9),
    ("Police", 70),
    ("Primary Care", 273),
    ("Prison Service", 115),
    ("Private Housing Providers", 76),
    (
        "Private Organisations (for profit organisations including Independent Schools, Private Children's Homes and Fostering Agencies)",
        533,
    ),
    ("Probation Service", 24),
    ("Regeneration and Local Services", 37),
    ("Schools", 4_231),
    ("Universities (Higher Education)", 4),
    ("Voluntary Sector (Community Interest Companies, Registered Charities, Volunteers)", 1_557),
    ("Youth Justice Service", 284),
]


def test_course_completions_by_agency_is_the_reports_table(durham, db):
    block = build("training.completions.by_category", durham)
    assert [tuple(row) for row in block.table.rows] == REPORT_TABLE
    assert block.table.footer == ["Total", 20_056]


def test_content_rating_by_option_and_overall(durham, db):
    block = build("training.evaluations.content_rating_by_mode", durham)
    assert block.figures["training.evaluations.content_rating_by_mode"] == {
        "Me-Learning (eLearning)": 4.73,
        "Training Programme": 4.83,
        "Safeguarding Week": 4.64,
        "Development Day": 4.81,
        "Bespoke Training": 4.95,
    }
    assert block.figures["training.evaluations.content_rating_overall"] == 4.79
    # How the overall is computed is shown with it.
    assert "(4.73 + 4.83 + 4.64 + 4.81 + 4.95) ÷ 5" in block.summary
    assert block.table.footer[2] == Decimal("4.79")


def test_knowledge_before_and_after(durham, db):
    figures = build("training.evaluations.knowledge_by_mode", durham).figures["training.evaluations.knowledge_by_mode"]
    assert figures == {
        "elearning": {"before": 5.2, "after": 8.6},
        "programme": {"before": 6.2, "after": 8.7},
        "safeguarding_week": {"before": 5.5, "after": 8.1},
        "development_day": {"before": 5.7, "after": 8.9},
        "bespoke": {"before": 6.2, "after": 9.1},
    }


def test_evaluation_return_rate_is_100_percent(durham, db):
    rates = build("training.evaluations.return_rate_by_mode", durham).figures[
        "training.evaluations.return_rate_by_mode"
    ]
    assert set(rates.values()) == {100.0}


def test_impact_answers_cover_every_evaluation(durham, db):
    impact = build("training.evaluations.impact", durham).figures["training.evaluations.impact"]
    assert sum(impact.values()) == 20_056 and impact["yes"] > impact["not_sure"] > impact["no"]


def test_follow_up_response_rates(durham, db):
    rates = build("training.follow_ups.response_rate", durham).figures["training.follow_ups.response_rate"]
    assert rates["3_months"]["sent"] > rates["3_months"]["answered"] > 0


def test_by_course_counts_add_up(durham, db):
    assert (
        sum(build("training.completions.by_course", durham).figures["training.completions.by_course"].values())
        == 20_056
    )


def test_loading_the_demo_again_adds_nothing(durham, db):
    assert not load_demo().created


def test_blocks_take_a_fixed_number_of_queries(durham, db):
    for name, spec in registry().items():
        if name.startswith("training."):
            with CaptureQueriesContext(connection) as queries:
                spec.compute(durham, YEAR)
            assert len(queries) <= 2, (name, len(queries))


def test_the_analysis_page_and_its_downloads(durham, db, client):
    from jigsaw.core.models import User

    client.force_login(User.objects.get(email="member@durham.example"))
    page = client.get("/durham/training/analysis/?year=2024-25").content.decode()
    for text in ("20,056", "17,954", "4,717", "4.79", "Table of the figures in this chart"):
        assert text in page
    download = client.get("/durham/training/analysis/training.completions.by_category.csv?year=2024-25")
    assert download["Content-Type"].startswith("text/csv") and "Children Social Care,4717" in download.content.decode()


def test_completions_by_theme_and_the_demo_bookings_income(durham, db):
    themes = build("training.completions.by_theme", durham).figures["training.completions.by_theme"]
    assert themes["Child exploitation"] > 0 and themes["Intersectionality"] > 0
    from jigsaw.training.models import Event

    # The demo's fee-paying bookings are for events still to come (past places are attended ones).
    upcoming = Event.objects.filter(partnership=durham, bookings__isnull=False, starts_at__gte=timezone.now()).first()
    year = FinancialYear.containing(upcoming.starts_at.date())
    income = registry()["training.income"].build(durham, year).figures["training.income"]
    assert income["registration_fees"] == 30.0
