"""A retention run and a subject access request in the World, so the permission matrix reaches
every privacy page."""

from __future__ import annotations

from jigsaw.core.scoping import Role
from jigsaw.privacy import services


def populate(world) -> None:
    bu = world.users[Role.BUSINESS_UNIT]
    world.retention_run = services.retention_apply(partnership=world.partnership, actor=bu)
    world.subject_access_request = services.subject_access_request(
        actor=bu, partnership=world.partnership, subject="lee@police.example", reference="SAR-1"
    )
    world.url_arguments["retention_kind"] = lambda world, target: "learners"
