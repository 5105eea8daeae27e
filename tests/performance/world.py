"""Example performance records for the permission matrix (tests/core/test_permission_matrix.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from jigsaw.governance.models import BusinessPlan, Priority
from jigsaw.performance import services
from jigsaw.performance.models import Polarity, ThinkTankTheme, Unit


def populate(world) -> None:
    partnership = world.partnership
    priority = Priority.objects.filter(partnership=partnership).first()
    if priority is None:
        plan = BusinessPlan.objects.filter(partnership=partnership).first() or BusinessPlan.objects.create(
            partnership=partnership,
            title="Business Plan 2023-2025",
            starts_on=datetime.date(2023, 4, 1),
            ends_on=datetime.date(2025, 3, 31),
        )
        priority = Priority.objects.create(partnership=partnership, plan=plan, number=1, title="Domestic Abuse")
    world.indicator = services.indicator_create(
        actor=None,
        partnership=partnership,
        code="DA-3",
        title="Repeat domestic abuse incidents recorded by police",
        definition="Incidents at an address with one in the previous 12 months.",
        theme=ThinkTankTheme.DOMESTIC_ABUSE,
        priority=priority,
        unit=Unit.COUNT,
        polarity=Polarity.LOWER,
        target=Decimal(230),
        tolerance=Decimal(20),
        source_agency=world.police,
    )
    world.indicator_value = services.value_submit(
        actor=None,
        partnership=partnership,
        indicator=world.indicator,
        agency=world.police,
        period_start=datetime.date(2024, 4, 1),
        value=Decimal(265),
    )
    world.think_tank_session = services.session_create(
        actor=None,
        partnership=partnership,
        held_on=datetime.date(2024, 7, 25),
        quarter_start=datetime.date(2024, 4, 1),
        themes_discussed=[ThinkTankTheme.DOMESTIC_ABUSE],
        questions="Why are repeat incidents up?",
    )
    world.url_arguments["theme"] = lambda world, target: ThinkTankTheme.DOMESTIC_ABUSE.value
    world.url_arguments["quarter"] = lambda world, target: "2024-25-Q1"
