"""Example impact records in the World, so the permission matrix reaches every impact page."""

from __future__ import annotations

import datetime

from jigsaw.core.services import save
from jigsaw.governance.models import Priority
from jigsaw.impact import services
from jigsaw.impact.models import EvidenceKind, ManagerAssurance, Stage


def populate(world) -> None:
    p = world.partnership
    priority = Priority.objects.get(plan=world.plan, number=1)
    world.impact_framework = services.framework_create(
        actor=None, partnership=p, plan=world.plan, name="Quality Assurance Framework"
    )
    world.impact_outcome = services.outcome_add(
        actor=None,
        framework=world.impact_framework,
        priority=priority,
        activity="Domestic abuse awareness sessions",
        output="Practitioners trained",
        short_term="Practitioners see the child as a victim in their own right",
        long_term="Fewer children live with repeat domestic abuse",
    )
    world.impact_evidence = services.evidence_add(
        actor=None,
        outcome=world.impact_outcome,
        kind=EvidenceKind.COURSE_KNOWLEDGE,
        stage=Stage.SHORT_TERM,
        course=world.face_to_face,
    )
    # The World's booking is of an event to come: a request made by hand stands in for the job's.
    world.manager_assurance = save(
        ManagerAssurance(
            partnership=p,
            booking=world.booking,
            agency=world.police,
            due_on=datetime.date(2025, 1, 1),
        ),
        actor=None,
    )
    # The link as emailed: the request was due long ago, so its bare code has closed.
    world.url_arguments["manager_code"] = lambda world, target: services.MANAGER_LINK.token(
        ManagerAssurance.objects.get(partnership=world.partnership)
    )
