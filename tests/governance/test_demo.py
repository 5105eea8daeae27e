"""The demo governance matches the annual report: its structure, chairs, plans, budget and agreement."""

from __future__ import annotations

import datetime

import pytest

from jigsaw.core.demo import load_demo
from jigsaw.core.periods import FinancialYear
from jigsaw.governance import figures
from jigsaw.governance.models import Attendance, Group, GroupKind, Meeting, Membership, Priority

pytestmark = pytest.mark.django_db
YEAR = FinancialYear(2024)


@pytest.fixture(scope="module")  # module scope: set up before each test's own savepoint
def demo(demo):
    return demo.partnership


def test_loading_twice_adds_no_governance_records(demo):
    counts = [model._base_manager.count() for model in (Group, Membership, Meeting, Attendance, Priority)]
    again = load_demo()
    assert [model._base_manager.count() for model in (Group, Membership, Meeting, Attendance, Priority)] == counts
    assert not again.created


def test_the_budget_table_is_the_reports_appendix(demo):
    block = figures.budget(demo, YEAR)
    assert block.figures["governance.budget.total"] == 346_257
    assert block.figures["governance.budget.by_agency"] == {
        "Durham County Council": 191_604,
        "North East and North Cumbria Integrated Care Board": 105_135,
        "Durham Constabulary": 39_285,
        "Probation Service": 4_873,
        "County Durham and Darlington NHS Foundation Trust": 2_680,
        "Harrogate and District NHS Foundation Trust": 2_680,
    }
    assert block.figures["governance.budget.other_income"] == 6_000
    assert block.table.footer == ["Total", 346_257]


def test_the_structure_is_the_reports(demo):
    block = figures.structure(demo, YEAR)
    [top] = block.figures["governance.structure"]
    assert top["short_name"] == "LSP"
    [executive] = top["children"]
    assert executive["chair"] == "John Pearce"  # April 2024 to March 2025
    under_executive = {child["short_name"]: child for child in executive["children"]}
    assert set(under_executive) == {"PLG", "CEG"}
    assert under_executive["CEG"]["joint_with"] == "Darlington Safeguarding Partnership"
    # The five subgroups, and the case review panel the PLG established (the learning demo adds it).
    assert {child["short_name"] for child in under_executive["PLG"]["children"]} == {
        "IDG",
        "Policy and Procedure",
        "JTAI",
        "Think Tank",
        "WLD",
        "SIN/CSPR panel",
    }
    assert block.figures["governance.structure.subgroups"] == 7
    assert Group._base_manager.filter(partnership=demo, kind=GroupKind.SUBGROUP).count() == 7


def test_the_executive_chair_rotates_in_april_2025(demo):
    next_year = figures.structure(demo, YEAR.next()).figures["governance.structure"][0]["children"][0]
    assert next_year["chair"] == "Nicola Lawrence"


def test_every_group_met_in_the_year_with_high_attendance(demo):
    block = figures.attendance_by_group(demo, YEAR)
    rates = block.figures["governance.attendance.by_group"]
    assert len(rates) == 9
    assert all(rate >= 65 for rate in rates.values()), rates
    assert block.figures["governance.attendance.rate"] >= 85


def test_plans_priorities_and_golden_threads(demo):
    titles = list(
        Priority._base_manager.filter(plan__title="Strategic Business Plan 2025-2027").values_list("number", "title")
    )
    assert titles == [
        (1, "Harm Outside the Home"),
        (2, "Safeguarding Through Early Identification and Intervention"),
        (3, "Trauma Informed Practice"),
        (4, "Working Together and Towards Reform Action Plan"),
    ]
    from jigsaw.governance.models import BusinessPlan

    plan = BusinessPlan._base_manager.get(title="Strategic Business Plan 2025-2027")
    assert plan.golden_threads.count() == 7 and plan.golden_threads.last().title == "Mental Health and Wellbeing"


def test_twelve_partners_committed_to_the_tier_1_agreement(demo):
    block = figures.committed_partners(demo, YEAR)
    assert block.figures["governance.information_sharing.committed_partners"] == 12


def test_the_blocks_use_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    for function in (figures.budget, figures.attendance_by_group, figures.structure, figures.committed_partners):
        with django_assert_max_num_queries(6):
            function(demo, YEAR)


def test_the_demo_meetings_fall_in_2024_25(demo):
    dates = Meeting._base_manager.filter(partnership=demo).values_list("held_on", flat=True)
    assert all(datetime.date(2024, 4, 1) <= day <= datetime.date(2025, 3, 31) for day in dates)


def test_darlingtons_member_sits_on_the_joint_child_exploitation_group_and_sees_its_meetings_only(demo):
    """The demo's joint group with a Darlington member seated: signed in as them, the group's
    meetings are theirs to read; Durham's other groups' meetings are not found."""
    from django.test import Client

    from jigsaw.core.demo import DEMO_PASSWORD
    from jigsaw.governance.demo_together import DARLINGTON_MEMBER

    group = Group._base_manager.get(partnership=demo, name="Strategic Child Exploitation Group")
    seat = Membership._base_manager.get(group=group, person__email=DARLINGTON_MEMBER)
    assert seat.partnership.slug == "darlington" and seat.is_current()
    client = Client()
    client.post("/accounts/sign-in/", {"username": DARLINGTON_MEMBER, "password": DEMO_PASSWORD})
    page = client.get(f"/darlington/governance/groups/{group.pk}/").content.decode()
    assert "Sam Lowther" in page and "Durham Safeguarding Children Partnership (where it is kept)" in page
    meeting = Meeting._base_manager.filter(group=group).first()
    assert client.get(f"/darlington/governance/meetings/{meeting.pk}/").status_code == 200
    other = Meeting._base_manager.filter(partnership=demo).exclude(group=group).first()
    assert client.get(f"/darlington/governance/meetings/{other.pk}/").status_code == 404
    assert client.get(f"/durham/governance/meetings/{meeting.pk}/").status_code == 404
