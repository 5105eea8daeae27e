"""Example training records in the World, so the permission matrix reaches every training page."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jigsaw.core.models import Sector
from jigsaw.core.scoping import Role
from jigsaw.training import services
from jigsaw.training.imports import completions_check_and_keep, completions_import
from jigsaw.training.models import (
    Completion,
    DeliveryMode,
    ImportBatch,
    Judgement,
    OrganisationCategory,
)


def populate(world) -> None:
    p = world.partnership
    services.organisation_categories_ensure(actor=None, partnership=p)
    schools = OrganisationCategory.objects.get(partnership=p, sector=Sector.SCHOOLS)
    world.training_alias = services.organisation_alias_create(
        actor=None,
        partnership=p,
        name="Durham Police",
        category=OrganisationCategory.objects.get(partnership=p, sector=Sector.POLICE),
        agency=world.police,
    )
    world.course = services.course_create(
        actor=None,
        partnership=p,
        title="Safeguarding Children Awareness",
        mode=DeliveryMode.ELEARNING,
        runs_from=datetime.date(2023, 4, 1),
        themes=[world.theme],
    )
    world.face_to_face = services.course_create(
        actor=None,
        partnership=p,
        title="Working with Resistance",
        mode=DeliveryMode.PROGRAMME,
        runs_from=datetime.date(2023, 4, 1),
    )
    world.programme = services.programme_create(
        actor=None,
        partnership=p,
        name="Safeguarding Week 2024",
        theme=world.theme,
        starts_on=datetime.date(2024, 10, 14),
        ends_on=datetime.date(2024, 10, 18),
    )
    start = (timezone.now() + datetime.timedelta(days=30)).replace(microsecond=0)
    world.event = services.event_create(
        actor=None,
        partnership=p,
        course=world.face_to_face,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=10,
        venue="County Hall",
        trainer=world.users[Role.MEMBER].person,
    )
    world.booking = services.booking_create(
        partnership=p, event=world.event, name="Bea Booker", email="bea@school.example", organisation="Schools"
    )
    content = b"Learner,Email,Organisation,Course,Completion date\nLee Learner,lee@police.example,Durham Police,Safeguarding Children Awareness,01/05/2024\n"
    completions_import(actor=world.users[Role.BUSINESS_UNIT], partnership=p, file_name="world.csv", content=content)
    world.completion = Completion.objects.get(partnership=p)
    world.learner = world.completion.learner
    world.import_batch = ImportBatch.objects.get(partnership=p)
    # A checked export waiting to be imported, kept in the file store (its download is a page).
    waiting = content.replace(b"01/05/2024", b"02/05/2024")
    world.waiting_import = completions_check_and_keep(
        actor=world.users[Role.BUSINESS_UNIT], partnership=p, file_name="waiting.csv", content=waiting
    ).batch
    world.evaluation = services.evaluation_submit(
        partnership=p,
        completion=world.completion,
        content_rating=5,
        knowledge_before=4,
        knowledge_after=8,
        impact="yes",
    )
    world.follow_up = services.follow_ups_bulk_record(
        actor=None,
        partnership=p,
        follow_ups=[
            services.ImpactFollowUp(
                partnership=p, completion=world.completion, months=3, sent_on=datetime.date(2024, 8, 1)
            )
        ],
    )
    world.observation = services.observation_create(
        actor=None,
        partnership=p,
        course=world.face_to_face,
        observer=world.users[Role.MEMBER].person,
        observed_on=datetime.date(2024, 6, 1),
        content=Judgement.GOOD,
        delivery=Judgement.GOOD,
        multi_agency_messages=Judgement.GOOD,
    )
    world.url_arguments["booking_code"] = lambda world, target: world.booking.code
    # The link as emailed: the follow-up was sent long ago, so its bare code has closed.
    world.url_arguments["follow_up_code"] = lambda world, target: services.FOLLOW_UP_LINK.token(
        services.ImpactFollowUp.objects.get(partnership=world.partnership)
    )
    world.url_arguments["block"] = lambda world, target: "training.completions.by_mode"
    assert schools
    from django.core import mail

    if hasattr(mail, "outbox"):
        mail.outbox.clear()  # the booking's confirmation is not what other apps' tests look for
