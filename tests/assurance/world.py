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
    _shared_return(world)


TRUST = "Durham Constabulary"  # the force serves both partnerships: one organisation behind each agency


def _trust_agency(partnership):
    """The force's agency record in a partnership, one organisation behind each: the World's
    police in its own partnership (linked, not added, so the World's counts stay as they are)."""
    from jigsaw.core import services as core_services
    from jigsaw.core.models import Agency, Organisation, Sector

    organisation, _ = Organisation.objects.get_or_create(name=TRUST)
    agency = Agency.objects.filter(partnership=partnership, organisation=organisation).first()
    if agency is not None:
        return agency
    named = Agency.objects.filter(partnership=partnership, name=TRUST).first()
    if named is not None:
        return core_services.agency_update(actor=None, agency=named, organisation=organisation)
    return core_services.agency_create(
        actor=None, partnership=partnership, name=TRUST, sector=Sector.POLICE, organisation=organisation
    )


def _shared_return(world) -> None:
    """The force answers in this partnership (a round of its own, a year earlier, so the round the
    other tests read is unchanged) and shares the return with the other partnership, which
    invited the force's agency there."""
    from jigsaw.assurance.models import Framework
    from jigsaw.core.models import Person
    from jigsaw.core.scoping import Role

    here, there = _trust_agency(world.partnership), _trust_agency(world.other)
    round = services.round_create(
        actor=None,
        partnership=world.partnership,
        title="2023 round",
        framework=world.framework,
        period_start=D(2023, 4, 1),
        period_end=D(2023, 8, 31),
        deadline=D(2023, 9, 6),
    )
    lead = world.users[Role.AGENCY_LEAD].person
    source = services.participant_invite(actor=None, round=round, participant=lead, agency=here, service="Force-wide")
    services.return_save_answers(
        actor=None, assessment_return=source, answers={world.question: {"rating": "green", "evidence": "Audit."}}
    )
    services.return_submit(actor=None, assessment_return=source)
    # The other partnership's own tool, its question mapped to this one's by a shared reference.
    services.question_update(actor=None, question=world.question, code="S11-1.1")
    name = "Shared section 11 tool"
    framework = Framework.objects.filter(partnership=world.other, name=name).first()
    if framework is None:
        framework = services.framework_create(actor=None, partnership=world.other, name=name)
        section = services.section_add(actor=None, framework=framework, title=world.section.title)
        services.question_add(actor=None, section=section, text=world.question.text, code="S11-1.1")
    their_round = services.round_create(
        actor=None,
        partnership=world.other,
        title="Shared round",
        framework=framework,
        period_start=D(2023, 4, 1),
        period_end=D(2023, 8, 31),
        deadline=D(2023, 9, 6),
    )
    their_lead = Person.objects.filter(partnership=world.other).order_by("pk").first()
    services.participant_invite(
        actor=None, round=their_round, participant=their_lead, agency=there, service="Force-wide"
    )
    world.return_share = services.return_share(actor=None, assessment_return=source, partnership=world.other)
