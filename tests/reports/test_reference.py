"""The demo's report against the reference report (Durham's 2024/25 annual report): every figure
the reference prints is in figures.json, given by a registered block, and equal, label by label.

A table's figures are compared label -> value, so two sections' % green swapped is a failure. Where
Jigsaw names a row more fully than the report prints it, the reference is written with Jigsaw's
label and the printed one beside it in a comment.
"""

from __future__ import annotations

import json

import pytest

from jigsaw.core.demo import load_demo
from jigsaw.core.figures import registry
from jigsaw.reports.build import build_report
from jigsaw.reports.models import Report

# "This year has been especially busy, and the following have been published/updated" (section 4).
PROCEDURES_UPDATED = [
    "Child Protection Enquiries: Section 47 Children Act",
    "Referrals",
    "Information Sharing",
    "Online Safety: Children Exposed to Abuse through the Digital Media",
    "Children from Abroad, including Victims of Modern Slavery, Trafficking and Exploitation",
    "So Called Honour Based Abuse",
    "Forced Marriage",
    "Female Genital Mutilation",
    "Safeguarding Children with a Social Worker, Children in Care and Children Previously in Care at School",
    "Child and Adolescent to Parent Violence and Abuse (CAPVA)",
    "Guidance for Safe recruitment, selection and retention for staff and volunteers",
    "Multi Agency Safeguarding Arrangements",
]

# Figures printed in the reference report, by the dotted names the issues give.
REFERENCE = {
    # 7 Training
    "training.completions.total": 20056,
    "training.completions.total_previous": 14793,
    # printed "Me-Learning" and "Bespoke"
    "training.completions.by_mode": {
        "Me-Learning (eLearning)": 17954,
        "Training Programme": 692,
        "Safeguarding Week": 1021,
        "Development Day": 187,
        "Bespoke Training": 202,
    },
    "training.completions.by_category_total": 20056,
    "training.evaluations.content_rating_overall": 4.79,
    # printed "Me Learning", "Training Programme", "Safeguarding Week", "Development Day", "Bespoke": keyed by mode code
    "training.evaluations.knowledge_by_mode": {
        "elearning": (5.2, 8.6),
        "programme": (6.2, 8.7),
        "safeguarding_week": (5.5, 8.1),
        "development_day": (5.7, 8.9),
        "bespoke": (6.2, 9.1),
    },
    "training.elearning.courses": {"year": 45, "previous": 30},
    "training.evaluations.content_rating_by_mode": {
        "Me-Learning (eLearning)": 4.73,
        "Training Programme": 4.83,
        "Safeguarding Week": 4.64,
        "Development Day": 4.81,
        "Bespoke Training": 4.95,
    },
    # 5 Organisational safeguarding assessment
    "assurance.self_assessment.return_rate_pct": 63,
    "assurance.self_assessment.services": 8,
    "assurance.self_assessment.invited": 38,
    "assurance.self_assessment.green_pct_by_section": {
        "Multi agency training and development": 89,
        "Use of policies and procedures to safeguard children": 88,
        "Leadership, supervision and accountability": 84,
        "Information sharing and data management": 81,
        # printed "1,001 Days", "Mental health and wellbeing", "Domestic abuse", "Harm outside the home": the tool names the priority
        "First 1001 Days (Priority Three)": 80,
        "The voice of children and young people": 76,
        "Mental Health and Wellbeing (Priority Four)": 75,
        "Domestic Abuse (Priority One)": 74,
        "Harm outside the home (Priority Two)": 71,
    },
    # 5 Multi-agency meeting assurance week
    "assurance.assurance_week.identified": 33,
    "assurance.assurance_week.observers": 26,
    # 6 Use of restraint
    "assurance.restraint.incidents": 184,
    "assurance.restraint.no_injury_pct": 84,
    "assurance.restraint.by_injury_level": {"0": 155, "1": 27, "2": 1, "3": 1},
    # Appendix: budget
    "governance.budget.total": 346257,
    # printed "Integrated Care Board (ICB)", "Probation", "HDFT", "CDDFT"
    "governance.budget.by_agency": {
        "Durham County Council": 191604,
        "North East and North Cumbria Integrated Care Board": 105135,
        "Durham Constabulary": 39285,
        "Probation Service": 4873,
        "Harrogate and District NHS Foundation Trust": 2680,
        "County Durham and Darlington NHS Foundation Trust": 2680,
    },
    "governance.budget.other_income": 6000,
    # Information sharing model: twelve partners committed to the Tier 1 agreement
    "governance.information_sharing.committed_partners": 12,
    # Multi-agency policy and procedure group: published or updated in the year
    "policies.procedures.updated.count": 12,
    "policies.procedures.updated": PROCEDURES_UPDATED,
    "policies.local_documents.updated.count": 4,
    # 4 Subgroups: seven principal sub-groups
    "governance.structure.subgroups": 7,
    # 5 Learning from reviews
    "learning.reviews.notifications": 5,
    "learning.reviews.rapid_reviews": 2,
}


def _value(value):
    """A figure's number: {'year': n, 'previous': …} is n for the year; (before, after) stays a pair."""
    if isinstance(value, dict):
        if "year" in value:
            return float(value["year"])
        if "before" in value and "after" in value:
            return (float(value["before"]), float(value["after"]))
    if isinstance(value, (tuple, list)):
        return tuple(float(v) for v in value)
    return float(value)


def _same(expected, actual) -> bool:
    if isinstance(expected, dict) and not ({"year", "previous"} >= set(expected)):
        # A table: the same labels, each with its own value (a row with no value is not printed).
        if not isinstance(actual, dict):
            return False
        return {label: _value(v) for label, v in expected.items()} == {
            label: _value(v) for label, v in actual.items() if v is not None
        }
    if isinstance(expected, dict):  # {"year": …, "previous": …}
        return isinstance(actual, dict) and all(actual.get(key) == value for key, value in expected.items())
    if isinstance(expected, list):  # a list of titles, in any order
        return isinstance(actual, list) and sorted(expected) == sorted(actual)
    if isinstance(expected, float):
        return actual is not None and round(float(actual), 2) == expected
    return actual == expected


def test_a_table_is_compared_label_by_label():
    sections = {"Domestic Abuse (Priority One)": 74, "Harm outside the home (Priority Two)": 71}
    assert _same(sections, dict(sections))
    assert not _same(sections, {"Domestic Abuse (Priority One)": 71, "Harm outside the home (Priority Two)": 74})
    assert not _same(sections, {"Domestic Abuse (Priority One)": 74})
    assert not _same(sections, {**sections, "Another section": 50})
    assert _same({"year": 45, "previous": 30}, {"year": 45, "previous": 30, "added": 15})
    assert not _same({"year": 45, "previous": 30}, {"year": 30, "previous": 45})


@pytest.mark.django_db
def test_figures_json_matches_the_reference_report_figure_by_figure(demo, tmp_path):
    result = demo
    report = Report.objects.get(partnership=result.partnership, year="2024-25")
    build_report(report, tmp_path / "out")
    built = json.loads((tmp_path / "out" / "figures.json").read_text())
    figures = built["figures"]
    given_by = {figure: name for name, block in built["blocks"].items() for figure in block["figures"]}

    blocks = registry()
    # Every registered block is in the demo report.
    used = {name for section in report.sections.all() for name in section.block_names}
    assert set(blocks) <= used

    wrong = []
    for name, expected in REFERENCE.items():
        if given_by.get(name) not in blocks:
            wrong.append(f"{name}: no registered block gives this figure")
        elif not _same(expected, figures[name]):
            wrong.append(f"{name}: reference {expected!r}, built {figures[name]!r}")
    assert not wrong, "\n".join(wrong)

    # The report names people of the partnership's records, never a demo sign-in.
    from docx import Document

    from jigsaw.core.demo import SIGN_INS

    html = (tmp_path / "out" / "report.html").read_text()
    word = Document(tmp_path / "out" / "report.docx")
    word_text = "\n".join(
        [p.text for p in word.paragraphs]
        + [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    )
    for sign_in in SIGN_INS:
        assert sign_in.name not in html and sign_in.name not in word_text, sign_in.name


@pytest.mark.django_db
def test_the_demo_report_is_loaded_once_with_the_reference_narrative(demo):
    first = demo
    second = load_demo()
    assert first.created["annual reports"] == 1
    assert not second.created
    report = Report.objects.get(partnership=first.partnership, year="2024-25")
    text = " ".join(section.body for section in report.sections.all())
    assert "putting together the pieces of the jigsaw" in text
    assert "Adrian Green" in text
