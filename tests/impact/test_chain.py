"""The evidence chain from records: its strength as a user sees it, what an agency lead sees of
another agency's evidence, a review's learning over time, the framework's versions and the
report block."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from jigsaw.actions import services as action_services
from jigsaw.core.figures import registry
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Role
from jigsaw.core.services import save
from jigsaw.governance.models import Priority
from jigsaw.impact import services
from jigsaw.impact.models import Evidence, EvidenceKind, Framework, ManagerAssurance, Outcome, PracticeChanged, Stage
from jigsaw.performance import services as performance_services
from jigsaw.performance.models import Polarity, ThinkTankTheme, Unit
from jigsaw.reports.template import TEMPLATE, placement
from jigsaw.training import services as training_services

pytestmark = pytest.mark.django_db
YEAR = FinancialYear(2024)


def _priority(world):
    return Priority.objects.get(plan=world.plan, number=1)


def _indicator(world, code, figures, *, polarity=Polarity.LOWER, target=Decimal(30)):
    """A quarterly count with a figure for Q4 of 2023-24 and of 2024-25, linked to the outcome."""
    indicator = performance_services.indicator_create(
        actor=None,
        partnership=world.partnership,
        code=code,
        title=f"Indicator {code}",
        definition="Counted at the end of the quarter.",
        theme=ThinkTankTheme.DOMESTIC_ABUSE,
        priority=_priority(world),
        unit=Unit.COUNT,
        polarity=polarity,
        target=target,
        source_agency=world.police,
    )
    for start, value in zip((datetime.date(2024, 1, 1), datetime.date(2025, 1, 1)), figures, strict=True):
        performance_services.value_submit(
            actor=None,
            partnership=world.partnership,
            indicator=indicator,
            agency=world.police,
            period_start=start,
            value=value,
        )
    services.evidence_add(
        actor=world.users[Role.BUSINESS_UNIT],
        outcome=world.impact_outcome,
        kind=EvidenceKind.INDICATOR,
        stage=Stage.LONG_TERM,
        indicator=indicator,
    )
    return indicator


def _chain_page(world, role=Role.BUSINESS_UNIT) -> str:
    response = world.client(role).get(f"/durham/impact/priorities/{_priority(world).pk}/?year=2024-25")
    assert response.status_code == 200
    return response.content.decode()


def _strength(page: str) -> str:
    return (
        re.search(r"Weakest evidence across its outcomes: <strong class=\"govuk-tag[^\"]*\">([^<]+)<", page)
        .group(1)
        .strip()
    )


def test_the_chain_page_rates_the_outcome_from_the_records_and_lists_the_gaps(world):
    page = _chain_page(world)
    # The World's course had no one on it in 2024-25: linked, but nothing shows.
    assert _strength(page) == "None"
    assert "No one completed Working with Resistance in 2024/25." in page
    _indicator(world, "DA-9", [36, 28])  # fewer than a year earlier, under the target
    page = _chain_page(world)
    assert _strength(page) == "Outcome improving"
    assert "DA-9 28 in Q4 2024/25 against a target of 30 (green); a year earlier 36 (improving)." in page
    _indicator(world, "DA-8", [20, 40], target=Decimal(25))  # more than a year earlier, over the target
    page = _chain_page(world)
    assert _strength(page) == "Outcome measured"
    assert "Getting worse: Indicator DA-8." in page.replace("DA-8: Indicator DA-8", "Indicator DA-8")
    assert "DA-8 is red against its target." in page


def test_an_agency_lead_sees_the_partnerships_figures_but_only_their_own_agencys_managers_words(world):
    council_booking = training_services.booking_create(
        partnership=world.partnership,
        event=world.event,
        name="Cora Council",
        email="cora@council.example",
        organisation="Schools",
    )
    theirs = save(
        ManagerAssurance(
            partnership=world.partnership,
            booking=council_booking,
            agency=world.council,
            due_on=datetime.date(2025, 1, 1),
        ),
        actor=None,
    )
    services.manager_answer(
        request=theirs, practice_changed=PracticeChanged.YES, example="Cora now records the child's words."
    )
    services.manager_answer(
        request=world.manager_assurance, practice_changed=PracticeChanged.PARTLY, example="Bea asks about home life."
    )
    lead = world.client(Role.AGENCY_LEAD)
    page = lead.get("/durham/impact/managers/?year=2024-25").content.decode()
    # The counts of every agency, as the partnership's figures...
    assert world.council.name in page and world.police.name in page
    # ...but another agency's manager's words are not theirs to read.
    assert "Bea asks about home life." in page
    assert "Cora now records" not in page
    assert "What managers in your agency said" in page
    assert lead.get(f"/durham/impact/managers/{theirs.pk}/").status_code == 404
    assert lead.get(f"/durham/impact/managers/{world.manager_assurance.pk}/").status_code == 200
    # They cannot name a manager for another agency's learner, nor change an answered one.
    assert (
        lead.post(f"/durham/impact/managers/{theirs.pk}/name/", {"manager_email": "x@council.example"}).status_code
        == 404
    )
    assert (
        lead.post(
            f"/durham/impact/managers/{world.manager_assurance.pk}/name/", {"manager_email": "x@police.example"}
        ).status_code
        == 403
    )
    business_unit = world.client(Role.BUSINESS_UNIT).get("/durham/impact/managers/?year=2024-25").content.decode()
    assert "Cora now records" in business_unit and "Bea asks about home life." in business_unit
    # The chain is the partnership's: the same strength and evidence for the agency lead.
    _indicator(world, "DA-9", [36, 28])
    assert _strength(_chain_page(world, Role.AGENCY_LEAD)) == _strength(_chain_page(world)) == "Outcome improving"
    # Practitioners are not partners in the partnership's assurance.
    assert world.client(Role.PRACTITIONER).get(f"/durham/impact/priorities/{_priority(world).pk}/").status_code == 403


def test_a_review_says_plainly_when_impact_cannot_be_shown_yet_and_when_it_will_be_looked_at_again(world):
    url = world.review.get_absolute_url()
    business_unit = world.client(Role.BUSINESS_UNIT)
    page = business_unit.get(url).content.decode()
    assert "Impact of this learning over time" in page
    assert "No actions have been raised from this learning yet" in page
    today = timezone.localdate()
    action = action_services.action_raise(
        actor=world.users[Role.BUSINESS_UNIT],
        partnership=world.partnership,
        description="Check the previous local authority's records at the first visit.",
        source=world.review,
        due_on=today + datetime.timedelta(days=40),
    )
    page = business_unit.get(url).content.decode()
    when = f"{today + datetime.timedelta(days=40):%-d %B %Y}"
    assert f"It will be looked at again when the first is due, on {when}." in page
    action_services.action_set_status(actor=world.users[Role.BUSINESS_UNIT], action=action, status="in_progress")
    action_services.action_set_status(
        actor=world.users[Role.BUSINESS_UNIT], action=action, status="completed", evidence="Done in every team."
    )
    page = business_unit.get(url).content.decode()
    six = action.reviews.get(kind="six_month").due_on
    assert f"no action has reached its 6-month review. It will be looked at again on {six:%-d %B %Y}" in page
    assert f"Due {six:%-d %b %Y}" in page


def test_changing_an_adopted_framework_makes_the_next_version_and_the_chain_keeps_reading_the_adopted(world):
    framework = world.impact_framework
    business_unit = world.client(Role.BUSINESS_UNIT)
    business_unit.post(f"/durham/impact/frameworks/{framework.pk}/adopt/")
    framework.refresh_from_db()
    assert framework.adopted_on == timezone.localdate()
    response = business_unit.post(
        f"/durham/impact/frameworks/{framework.pk}/outcomes/new/",
        {
            "priority": _priority(world).pk,
            "position": 2,
            "activity": "Operation Encompass refreshed",
            "output": "Schools told the next morning",
            "short_term": "Schools support the child the day after an incident",
            "long_term": "Children feel safe at school",
        },
    )
    assert response.status_code == 302
    newer = Framework.objects.get(previous=framework)
    assert newer.version == 2 and newer.adopted_on is None
    assert Outcome.objects.filter(framework=framework).count() == 1
    assert Outcome.objects.filter(framework=newer).count() == 2
    assert newer.outcomes.get(position=1).evidence.count() == world.impact_outcome.evidence.count()
    page = _chain_page(world)
    assert f"{framework}" in page and "Schools support the child" not in page
    # Evidence that names a record of the wrong kind is refused, naming the field.
    response = business_unit.post(
        f"/durham/impact/outcomes/{newer.outcomes.get(position=2).pk}/evidence/new/",
        {"kind": EvidenceKind.INDICATOR, "stage": Stage.LONG_TERM, "course": world.face_to_face.pk},
    )
    page = response.content.decode()
    assert "Choose the indicator this evidence reads." in page
    assert "does not read a course: leave it blank." in page


def test_a_change_to_an_older_version_of_the_framework_is_refused_with_nothing_written(world):
    framework = world.impact_framework
    business_unit = world.client(Role.BUSINESS_UNIT)
    business_unit.post(f"/durham/impact/frameworks/{framework.pk}/adopt/")
    outcome = {
        "priority": _priority(world).pk,
        "position": 1,
        "activity": "Awareness sessions, refreshed",
        "output": "Practitioners trained",
        "short_term": "Practitioners see the child as a victim in their own right",
        "long_term": "Fewer children live with repeat domestic abuse",
    }
    assert business_unit.post(f"/durham/impact/outcomes/{world.impact_outcome.pk}/edit/", outcome).status_code == 302
    newer = Framework.objects.get(previous=framework)
    copied = newer.outcomes.get()
    assert copied.activity == "Awareness sessions, refreshed"
    assert [(e.kind, e.course_id) for e in copied.evidence.all()] == [
        (EvidenceKind.COURSE_KNOWLEDGE, world.face_to_face.pk)
    ]

    def held():
        return (
            list(Framework.objects.values_list("pk", "version", "name")),
            list(Outcome.objects.values_list("pk", "framework_id", "activity")),
            list(Evidence.objects.values_list("pk", "outcome_id", "kind")),
        )

    before = held()
    refusal = "A newer version of this framework exists: change that one instead."
    page = business_unit.post(
        f"/durham/impact/outcomes/{world.impact_outcome.pk}/edit/", {**outcome, "activity": "Again"}
    ).content.decode()
    assert refusal in page
    page = business_unit.post(
        f"/durham/impact/frameworks/{framework.pk}/outcomes/new/", {**outcome, "position": 2}
    ).content.decode()
    assert refusal in page
    response = business_unit.post(f"/durham/impact/evidence/{world.impact_evidence.pk}/remove/", follow=True)
    assert refusal in response.content.decode()
    assert held() == before


def test_the_report_block_carries_every_outcome_with_its_strength_and_gaps(world):
    _indicator(world, "DA-9", [36, 28])
    block = registry()["impact.evidence_chain"].build(world.partnership, YEAR)
    assert block.table.columns == ["Priority", "Outcome", "Strength of evidence", "What the evidence shows", "Gaps"]
    row = block.table.rows[0]
    assert row[:3] == [str(_priority(world)), world.impact_outcome.short_term, "Outcome improving"]
    assert "DA-9 28 in Q4 2024/25" in row[3]
    assert block.figures["impact.evidence_chain.by_priority"] == {str(_priority(world)): "Outcome improving"}
    sections = dict(zip([s.heading for s in TEMPLATE], placement(list(registry())), strict=True))
    assert "impact.evidence_chain" in sections["Safeguarding partnership subgroups"]
    assert "impact.manager_assurance" in sections["Training"]
