"""Governance records for the permission matrix: one of every model a <pk> URL targets."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from jigsaw.governance import services
from jigsaw.governance.models import GroupKind, MembershipRole
from tests.files import pdf_bytes


def populate(world) -> None:
    p = world.partnership
    world.executive = services.group_create(
        actor=None, partnership=p, name="Executive Group", kind=GroupKind.EXECUTIVE, chair_term_months=12
    )
    world.plg = services.group_create(
        actor=None,
        partnership=p,
        name="Performance and Learning Group",
        short_name="PLG",
        kind=GroupKind.SUBGROUP,
        parent=world.executive,
    )
    member = world.users["member"].person
    world.seat = services.membership_add(
        actor=None,
        partnership=p,
        group=world.plg,
        person=member,
        role=MembershipRole.MEMBER,
        starts_on=datetime.date(2024, 4, 1),
    )
    world.meeting = services.meeting_create(
        actor=None, partnership=p, group=world.plg, held_on=datetime.date(2024, 6, 12)
    )
    services.attendance_record(actor=None, meeting=world.meeting, person=member, status="present")
    services.paper_add(
        actor=None,
        meeting=world.meeting,
        title="Performance report",
        file=ContentFile(pdf_bytes("world"), name="world.pdf"),
    )
    world.plan = services.plan_create(
        actor=None,
        partnership=p,
        title="Business Plan 2023-2025",
        starts_on=datetime.date(2023, 4, 1),
        ends_on=datetime.date(2025, 3, 31),
    )
    services.priority_add(actor=None, plan=world.plan, number=1, title="Domestic Abuse")
    services.contribution_create(actor=None, partnership=p, agency=world.council, financial_year="2024-25", amount=100)
    world.agreement = services.agreement_create(
        actor=None,
        partnership=p,
        title="Tier 1 information sharing agreement",
        tier=1,
        topic="All safeguarding information",
    )
    services.signatory_add(
        actor=None,
        agreement=world.agreement,
        agency=world.police,
        signed_on=datetime.date(2024, 9, 1),
        signatory_name="Chief Constable",
    )
    populate_region(world)


def populate_region(world) -> None:
    """The partnership opts in to a region of its own (so the other partnership's figures stay
    unseen in the matrix) and shares two kinds of figure."""
    from jigsaw.core.periods import FinancialYear
    from jigsaw.governance.models import Region

    region, _ = Region.objects.get_or_create(
        name=f"{world.partnership.area} region", slug=f"{world.partnership.slug}-region"
    )
    world.region_membership = services.region_join(
        actor=None, partnership=world.partnership, region=region, shared=["self_assessment", "actions"]
    )
    services.region_figures_compute(actor=None, membership=world.region_membership, year=FinancialYear(2024))
