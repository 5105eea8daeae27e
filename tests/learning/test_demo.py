"""The demo's learning records give the report's 2024/25 counts."""

from __future__ import annotations

import pytest

from jigsaw.core.demo import load_demo
from jigsaw.core.periods import FinancialYear
from jigsaw.learning.figures import cycles, reviews
from jigsaw.learning.models import Briefing, CaseReview, LearningCycle, Voice


@pytest.mark.django_db
def test_the_demo_matches_the_report_and_loads_once(demo):
    result = demo
    partnership = result.partnership
    year = FinancialYear(2024)
    figures = reviews(partnership, year).figures
    assert figures["learning.reviews.referrals"] == 12
    assert figures["learning.reviews.notifications"] == 5
    assert figures["learning.reviews.care_leaver_deaths"] == 3
    assert figures["learning.reviews.rapid_reviews"] == 2
    assert figures["learning.reviews.practice_reviews"] == 0
    assert figures["learning.reviews.by_route_not_notified"] == {
        "existing_learning": 1,
        "child_exploitation_group": 2,
        "youth_justice_board": 2,
        "domestic_homicide_review": 0,
        "care_leaver_death": 0,
        "learning_from_practice": 2,
    }
    assert figures["learning.reviews.by_route_after_notification"] == {
        "existing_learning": 0,
        "child_exploitation_group": 1,
        "youth_justice_board": 0,
        "domestic_homicide_review": 1,
        "care_leaver_death": 1,
        "learning_from_practice": 0,
    }
    amara = CaseReview.objects.get(partnership=partnership, pseudonym="Amara")
    assert amara.practice_review_recommended is False and {c.state_label for c in amara.clocks()} == {"Done"}
    from django.contrib.contenttypes.models import ContentType

    from jigsaw.actions.models import LearningAction

    assert (
        LearningAction._base_manager.filter(
            source_type=ContentType.objects.get_for_model(CaseReview), source_id=amara.pk
        ).count()
        == 4
    )

    cycle_figures = cycles(partnership, year).figures
    assert cycle_figures["learning.cycles.with_findings"] == 4  # one per priority
    assert cycle_figures["learning.cycles.with_voices"] == 2 and cycle_figures["learning.cycles.voices"] == 6
    assert (
        cycle_figures["learning.cycles.phase6_assured"] == 2
    )  # CAPVA (December 2024) and first 1001 days (March 2025)

    from jigsaw.governance.models import BusinessPlan

    assert (
        BusinessPlan._base_manager.filter(partnership=partnership, starts_on__year=2023).count() == 1
    )  # the governance demo's plan, reused

    counts = [model._base_manager.count() for model in (CaseReview, LearningCycle, Voice, Briefing)]
    again = load_demo()
    assert [model._base_manager.count() for model in (CaseReview, LearningCycle, Voice, Briefing)] == counts
    assert not again.created
