"""Example learning records for the permission matrix: one of each model a <pk> URL targets."""

from __future__ import annotations

import datetime

from jigsaw.core.services import save
from jigsaw.governance.models import BusinessPlan, Priority
from jigsaw.learning import services
from jigsaw.learning.models import Incident, Speaker


def populate(world) -> None:
    partnership = world.partnership
    # The governance world's plan and priority when it has made them (it runs first).
    plan = getattr(world, "plan", None) or save(
        BusinessPlan(
            partnership=partnership,
            title="Business Plan 2023-2025",
            starts_on=datetime.date(2023, 4, 1),
            ends_on=datetime.date(2025, 3, 31),
        ),
        actor=None,
    )
    world.priority = Priority._base_manager.filter(plan=plan, number=1).first() or save(
        Priority(partnership=partnership, plan=plan, number=1, title="Domestic Abuse"), actor=None
    )
    world.review = services.review_refer(
        actor=None,
        partnership=partnership,
        reference="DSCP-2024-01",
        pseudonym="Amara",
        age_at_incident=12,
        incident=Incident.DEATH,
        aware_on=datetime.date(2024, 12, 16),
        referring_agency=world.council,
        relevant_characteristics="Mixed Indian and Caribbean heritage",
        agencies_involved=[world.council, world.police],
        themes=[world.theme],  # a record with a theme: its Change page once answered 500
    )
    world.cycle = services.cycle_create(
        actor=None,
        partnership=partnership,
        priority=world.priority,
        title="Domestic abuse: early intervention",
        starts_on=datetime.date(2024, 8, 1),
        ends_on=datetime.date(2024, 11, 30),
        phase=5,
        themes=[world.theme],
    )
    world.voice = services.voice_add(
        actor=None, cycle=world.cycle, speaker=Speaker.CHILD, age=9, words="I am scared when he visits."
    )
    world.horizon_item = services.horizon_item_create(
        actor=None,
        partnership=partnership,
        title="Annual report of the national panel",
        source="Child Safeguarding Practice Review Panel",
        published_on=datetime.date(2024, 11, 1),
        summary="Themes from serious incident notifications.",
        themes=[world.theme],
    )
    # Published first: the public pages' matrix rows target the first briefing.
    world.briefing = services.briefing_create(
        actor=None,
        partnership=partnership,
        title="Clarify, Verify, Reflect",
        audience="All practitioners",
        summary="Staying curious.",
        is_published=True,
        published_on=datetime.date(2025, 1, 20),
        themes=[world.theme],
        reviews=[world.review],
        cycles=[world.cycle],
    )
    world.draft_briefing = services.briefing_create(
        actor=None,
        partnership=partnership,
        title="Draft: escalation and healthy challenge",
        audience="All practitioners",
        summary="Not yet agreed.",
    )
