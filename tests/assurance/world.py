"""Assurance records for the permission matrix: one of every model a <pk> URL targets."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.assurance import services
from jigsaw.core.scoping import Role
from tests.files import pdf_bytes

D = datetime.date


def populate(world) -> None:
    partnership = world.partnership
    framework = services.framework_create(
        actor=None, partnership=partnership, name="Organisational Safeguarding Assessment"
    )
    section = services.section_add(actor=None, framework=framework, title="Leadership, supervision and accountability")
    question = services.question_add(
        actor=None,
        section=section,
        text="Leaders make sure safeguarding responsibilities are clear.",
        guidance="Think about the last year.",
        evidence_expected="Supervision notes.",
    )
    round = services.round_create(
        actor=None,
        partnership=partnership,
        title="2024 round",
        framework=framework,
        period_start=D(2024, 4, 1),
        period_end=D(2024, 8, 31),
        deadline=D(2024, 9, 6),
    )
    # The practitioner (of the police) is invited: their agency lead and they may complete it.
    practitioner = world.users[Role.PRACTITIONER].person
    world.assessment_return = services.participant_invite(
        actor=None, round=round, participant=practitioner, service="Safeguarding Unit South", locality="South Durham"
    )
    services.return_save_answers(
        actor=None,
        assessment_return=world.assessment_return,
        answers={
            question: {
                "rating": "amber",
                "evidence": "Partly.",
                "evidence_file": SimpleUploadedFile("audit summary.pdf", pdf_bytes("audit summary")),
            }
        },
    )
    services.session_create(
        actor=None, round=round, kind="reflect_and_challenge", held_on=D(2024, 9, 27), outcome="Agreed the plan."
    )
    world.framework, world.section, world.question, world.round = framework, section, question, round
    world.url_arguments["section_number"] = lambda world, target: world.section.number

    incident = services.incident_create(
        actor=None,
        partnership=partnership,
        setting=world.council,
        reference="ASC-0001",
        occurred_on=D(2024, 6, 1),
        young_person="YP-0001",
        restraint_type="standing",
        injury_level=1,
    )
    services.cctv_sample_draw(
        actor=None,
        partnership=partnership,
        setting=world.council,
        period_start=D(2024, 4, 1),
        period_end=D(2025, 3, 31),
        per_level=2,
        seed=7,
    )
    services.cctv_review_record(actor=None, incident=incident, reviewed_on=D(2025, 5, 19), conclusion="proportionate")
    services.site_visit_record(
        actor=None,
        partnership=partnership,
        setting=world.council,
        visited_on=D(2025, 5, 19),
        findings="Appropriate restraint used.",
    )
    world.incident = incident

    week = services.week_create(
        actor=None,
        partnership=partnership,
        title="Assurance week 2024",
        starts_on=D(2024, 9, 30),
        ends_on=D(2024, 10, 4),
    )
    services.meeting_identify(
        actor=None,
        week=week,
        meeting_type="cicr",
        held_on=D(2024, 9, 30),
        consent="given",
        observer="Alex Robson",
        observer_agency=world.police,
    )
    world.week = week

    world.audit = services.audit_save(
        actor=None,
        partnership=partnership,
        title="Front Door audit",
        started_on=D(2024, 6, 1),
        cases_audited=12,
        themes=[world.theme],
    )
    world.jtai = services.jtai_theme_save(
        actor=None,
        partnership=partnership,
        title="The multi-agency response to identification of initial need and risk",
        year="2024-25",
        criteria="Leaders understand demand at the front door.\nThresholds are understood by partners.",
    )
    services.jtai_evaluate(
        actor=None,
        theme=world.jtai,
        criterion="Thresholds are understood by partners.",
        judgement="strength",
        evidence="Front Door audit.",
        evaluated_on=D(2025, 1, 10),
    )
    services.scrutiny_activity_save(
        actor=None,
        partnership=partnership,
        title="Scrutiny of rapid reviews",
        planned_for=D(2024, 7, 1),
        status="complete",
    )
    services.presentation_save(
        actor=None,
        partnership=partnership,
        title="Front Door assurance",
        presenting_agency=world.council,
        presented_on=D(2024, 11, 20),
        outcome="Assured.",
    )
