"""Example learning-log records for the permission matrix: an action owned by the agency lead's
agency (police), completed, with its reviews scheduled and an evidence file."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.actions import services
from tests.files import pdf_bytes


def populate(world):
    action = services.action_raise(
        actor=None,
        partnership=world.partnership,
        description="Refresh the information-sharing protocol for strategy meetings",
        owner_agency=world.police,
        raised_on=datetime.date(2024, 6, 3),
        due_on=datetime.date(2024, 9, 30),
        themes=[world.theme],
        source_label="Rapid review: Child A",
    )
    services.action_set_status(
        actor=None,
        action=action,
        status="completed",
        evidence="Protocol revised and briefed.",
        on=datetime.date(2024, 8, 31),
        files=[SimpleUploadedFile("briefing.pdf", pdf_bytes("briefing"), content_type="application/pdf")],
    )
    world.action = action
    # One owned by another agency, so 'only your own agency' is exercised.
    world.council_action = services.action_raise(
        actor=None,
        partnership=world.partnership,
        description="Audit return home interviews",
        owner_agency=world.council,
        raised_on=datetime.date(2024, 7, 1),
        due_on=datetime.date(2025, 1, 31),
    )
