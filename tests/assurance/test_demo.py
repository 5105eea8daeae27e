"""The demo reproduces the report's assurance figures from records, through the report blocks."""

from __future__ import annotations

import pytest

from jigsaw.core.demo import load_demo
from jigsaw.core.figures import registry
from jigsaw.core.periods import FinancialYear


@pytest.mark.django_db
def test_the_demo_reproduces_the_reports_figures_through_the_report_blocks(demo):
    result = demo
    blocks = registry()
    year = FinancialYear(2024)
    figures = {}
    for name in ("assurance.self_assessment", "assurance.assurance_week", "assurance.restraint"):
        figures.update(blocks[name].build(result.partnership, year).figures)
    assert figures["assurance.self_assessment.invited"] == 38
    assert figures["assurance.self_assessment.returned"] == 24
    assert figures["assurance.self_assessment.return_rate_pct"] == 63
    assert figures["assurance.self_assessment.services"] == 8
    assert list(figures["assurance.self_assessment.green_pct_by_section"].values()) == [
        89,
        88,
        84,
        81,
        80,
        76,
        75,
        74,
        71,
    ]
    assert (
        next(iter(figures["assurance.self_assessment.green_pct_by_section"])) == "Multi agency training and development"
    )
    by_type = figures["assurance.assurance_week.by_type"]
    assert sum(t["identified"] for t in by_type.values()) == 33
    assert sum(t["declined"] for t in by_type.values()) == 5
    assert sum(t["moved"] for t in by_type.values()) == 3
    assert {k: v["observed"] for k, v in by_type.items()} == {
        "cicr": 5,
        "icpc": 2,
        "rcpc": 4,
        "marac": 5,
        "strategy": 6,
        "taf": 4,
    }
    assert figures["assurance.assurance_week.observers"] == 26
    assert figures["assurance.restraint.incidents"] == 184
    assert figures["assurance.restraint.no_injury_pct"] == 84
    assert figures["assurance.restraint.by_injury_level"] == {"0": 155, "1": 27, "2": 1, "3": 1}
    assert figures["assurance.restraint.level1_pct_of_injuries"] == 93
    assert not load_demo().created  # loading again adds nothing


@pytest.mark.django_db
def test_darlingtons_second_version_of_the_tool_is_mapped_to_the_first(demo):
    from jigsaw.assurance.models import Framework, Question

    version = Framework._base_manager.get(partnership__slug="darlington", version=2)
    assert version.mapped_at is not None
    questions = Question._base_manager.filter(section__framework=version)
    assert questions.filter(equivalent__isnull=True).count() == 1  # the question added in version 2
    assert all(q.equivalent.section.framework_id == version.previous_id for q in questions.exclude(equivalent=None))
