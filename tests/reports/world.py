"""The report's records for the permission matrix: one published report (frozen, so the
matrix's empty POSTs cannot change it), a section, a comment, sign-offs and its build."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jigsaw.core.scoping import Role
from jigsaw.reports import services
from jigsaw.reports.models import LEAD_PARTNERS, Build, BuildStatus


def published_report(world, year: str = "2024-25"):
    actor = world.users[Role.BUSINESS_UNIT]
    report = services.report_create(actor=actor, partnership=world.partnership, year=year)
    services.comment_add(
        actor=world.users[Role.SCRUTINEER],
        section=report.sections.first(),
        body="Say more about the difference this made.",
    )
    services.report_submit_for_review(actor=actor, report=report)
    for role in LEAD_PARTNERS:
        services.sign_off_record(
            actor=actor,
            report=report,
            lead_partner=role,
            person=world.users[Role.BUSINESS_UNIT].person,
            signed_on=datetime.date(2025, 9, 1),
        )
    now = timezone.now()
    Build.objects.create(
        report=report,
        requested_by=actor,
        started_at=now,
        finished_at=now,
        status=BuildStatus.SUCCEEDED,
        progress=100,
        figures={"partnership": "durham", "year": year, "figures": {"example.total": 1}},
        blocks={},
    )
    report.refresh_from_db()
    return services.report_publish(actor=actor, report=report)


def populate(world) -> None:
    world.report = published_report(world)
    world.url_arguments["report_year"] = lambda world, target: world.report.year
    world.url_arguments["document"] = lambda world, target: "json"
