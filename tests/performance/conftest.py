from __future__ import annotations

from decimal import Decimal

import pytest

from jigsaw.performance import services
from jigsaw.performance.models import Polarity, ThinkTankTheme, Unit


@pytest.fixture
def rhi(world):
    """MC-1: return home interviews offered, a percentage worked out from two counts."""
    return services.indicator_create(
        actor=None,
        partnership=world.partnership,
        code="MC-1",
        title="Return home interviews offered",
        definition="Missing episodes followed by an offer of a return home interview.",
        theme=ThinkTankTheme.MISSING,
        unit=Unit.PERCENTAGE,
        numerator_definition="Episodes followed by an offer",
        denominator_definition="Missing episodes",
        polarity=Polarity.HIGHER,
        target=Decimal(95),
        tolerance=Decimal(5),
        source_agency=world.council,
    )
