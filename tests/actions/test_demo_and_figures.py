"""The demo log loads once, with a realistic spread; the report blocks count it."""

import pytest

from jigsaw.actions import figures, queries
from jigsaw.actions.models import AssuranceReview, LearningAction, Status
from jigsaw.core.demo import load_demo
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")  # module scope: set up before each test's own savepoint
def demo(demo):
    return demo.partnership


def test_demo_spread_and_idempotent(demo):
    actions = LearningAction.objects.filter(partnership=demo)
    statuses = set(actions.values_list("status", flat=True))
    assert {
        Status.OPEN,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.ASSURED,
        Status.CLOSED_WITHOUT_ASSURANCE,
    } <= statuses
    assert actions.filter(owner_agency=None).exists() and actions.exclude(owner_agency=None).exists()
    assert AssuranceReview.objects.filter(
        action__partnership=demo, kind="six_month", reviewed_on__isnull=False
    ).exists()
    assert actions.filter(status=Status.ASSURED).count() >= 3
    import datetime

    assert queries.overdue(actions, datetime.date(2025, 10, 1)).exists()
    assert actions.exclude(source_label="").count() == actions.count()
    before = actions.count()
    again = load_demo()
    assert LearningAction.objects.filter(partnership=demo).count() == before
    assert "learning log actions" not in again.created


def test_report_blocks_count_actions_raised_in_the_year(demo, django_assert_max_num_queries):
    year = FinancialYear(2024)
    raised = LearningAction.objects.filter(partnership=demo, raised_on__gte=year.start, raised_on__lte=year.end)
    with django_assert_max_num_queries(2):
        block = figures.by_status(demo, year)
    assert block.figures["actions.log.raised"] == raised.count()
    assert block.figures["actions.log.assured"] == raised.filter(status=Status.ASSURED).count() >= 3
    assert sum(block.figures["actions.log.by_status"].values()) == raised.count()
    themed = figures.by_theme(demo, year)
    assert (
        themed.figures["actions.log.by_theme"]["Voice of the child"]
        == raised.filter(themes__name="Voice of the child").count()
    )
    assert themed.chart is not None and themed.table.rows


def test_the_blocks_are_registered():
    from jigsaw.core.figures import registry

    assert {"actions.log.by_status", "actions.log.by_theme"} <= set(registry())


def test_the_summary_page_reads_the_demo(demo, client):
    from jigsaw.core.models import User

    user = User.objects.get(email="group.chair@durham.example")
    client.force_login(user)
    response = client.get("/durham/actions/by-theme/")
    assert response.status_code == 200 and "Voice of the child" in response.content.decode()
    assert queries.summary_by_theme(Access.for_user(user, demo))[1]


def test_demo_actions_are_raised_from_governance_meetings_when_there_are_some(demo):
    from jigsaw.governance.models import Meeting

    linked = LearningAction.objects.filter(partnership=demo, source_type__model="meeting")
    if Meeting.objects.filter(partnership=demo).exists():
        assert linked.exists()
        for action in linked:
            assert action.raised_on == action.source.held_on
