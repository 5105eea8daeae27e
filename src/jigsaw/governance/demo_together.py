"""The demo's partnerships together: Darlington beside Durham, the organisations serving both
(one identity behind each agency record), the trust's section 11 return answered once in Durham
and shared with Darlington, and the North East region comparing the figures each chose to share.

Loaded after every app's demo (`late_loader`): the region's figures are computed from the
partnership's own, and the shared return is Durham's submitted one. Idempotent, through the services.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from jigsaw.core import services as core_services
from jigsaw.core.demo import DEMO_PASSWORD, POLICE, DemoResult, late_loader
from jigsaw.core.models import Agency, Organisation, Partnership, Person, RoleAssignment, Sector, StatutoryRole, User
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Role
from jigsaw.core.services import save

from . import services
from .models import Region, RegionalFigureFamily, RegionMembership

D = datetime.date
TRUST = "County Durham and Darlington NHS Foundation Trust"
ICB = "North East and North Cumbria Integrated Care Board"
# The organisations serving both partnerships, and their sector in Darlington.
SERVING_BOTH = [
    (TRUST, Sector.NHS_TRUSTS, StatutoryRole.RELEVANT_AGENCY),
    (POLICE, Sector.POLICE, StatutoryRole.POLICE),
    (ICB, Sector.ICB, StatutoryRole.ICB),
    ("County Durham and Darlington Fire and Rescue Service", Sector.FIRE, StatutoryRole.RELEVANT_AGENCY),
]
DARLINGTON = {"name": "Darlington Safeguarding Partnership", "slug": "darlington", "area": "Darlington"}
DARLINGTON_BU = "business.unit@darlington.example"
DARLINGTON_MEMBER = "ceg.member@darlington.example"
NORTH_EAST = {"name": "North East", "slug": "north-east"}
# Durham's children's workforce, for training completions per 1,000 of it (an illustrative figure).
DURHAM_WORKFORCE = 21_000
DARLINGTON_WORKFORCE = 4_800


def darlington(result: DemoResult) -> Partnership:
    return Partnership.objects.filter(slug=DARLINGTON["slug"]).first() or result.add(
        "partnerships", core_services.partnership_create(**DARLINGTON)
    )


def _organisations(durham: Partnership, there: Partnership, result: DemoResult) -> dict[str, Agency]:
    """Each organisation serving both: one identity behind Durham's agency and Darlington's."""
    agencies = {}
    for name, sector, statutory_role in SERVING_BOTH:
        organisation, _ = Organisation.objects.get_or_create(name=name)
        ours = Agency.objects.get(partnership=durham, name=name)
        if ours.organisation_id != organisation.pk:
            core_services.agency_update(actor=None, agency=ours, organisation=organisation)
        theirs = Agency.objects.filter(partnership=there, organisation=organisation).first()
        agencies[name] = theirs or result.add(
            "agencies",
            core_services.agency_create(
                actor=None,
                partnership=there,
                name=name,
                sector=sector,
                statutory_role=statutory_role,
                organisation=organisation,
            ),
        )
    if not Agency.objects.filter(partnership=there, name="Darlington Borough Council").exists():
        result.add(
            "agencies",
            core_services.agency_create(
                actor=None,
                partnership=there,
                name="Darlington Borough Council",
                sector=Sector.CHILDREN_SOCIAL_CARE,
                statutory_role=StatutoryRole.LOCAL_AUTHORITY,
            ),
        )
    return agencies


def _sign_ins(durham: Partnership, there: Partnership, agencies: dict[str, Agency]) -> None:
    """Darlington's business unit, and Durham's police agency lead leading for the police in
    Darlington too (the header's partnership switcher)."""
    person = Person.objects.filter(partnership=there, email=DARLINGTON_BU).first() or core_services.person_create(
        actor=None, partnership=there, name="Dee Darlington", email=DARLINGTON_BU, job_title="Business manager"
    )
    user = User.objects.filter(email=DARLINGTON_BU).first() or core_services.user_create(
        email=DARLINGTON_BU, password=DEMO_PASSWORD, person=person
    )
    core_services.role_assign(actor=None, user=user, partnership=there, role=Role.BUSINESS_UNIT)
    lead = RoleAssignment.objects.filter(partnership=durham, role=Role.AGENCY_LEAD).select_related("user").first()
    if lead is not None:
        core_services.role_assign(
            actor=None, user=lead.user, partnership=there, role=Role.AGENCY_LEAD, agency=agencies[POLICE]
        )


def _shared_return(durham: Partnership, there: Partnership, agencies: dict[str, Agency], result: DemoResult) -> None:
    """Darlington runs the same version of the tool, invites the trust, and the trust shares the
    return it submitted in Durham."""
    from jigsaw.assurance import services as assurance
    from jigsaw.assurance.demo import ROUND_TITLE
    from jigsaw.assurance.models import Framework, Return, ReturnShare, Round

    source = (
        Return.objects.filter(partnership=durham, round__title=ROUND_TITLE, agency__name=TRUST, status="submitted")
        .select_related("round__framework")
        .order_by("pk")
        .first()
    )
    if source is None or ReturnShare.objects.filter(source=source).exists():
        return
    tool = source.round.framework
    framework = Framework.objects.filter(partnership=there, name=tool.name, version=tool.version).first()
    if framework is None:
        framework = assurance.framework_create(
            actor=None, partnership=there, name=tool.name, introduction=tool.introduction
        )
        # The same version as Durham's: the same tool, so the answers carry question by question.
        framework = save(framework, actor=None, fields={"version": tool.version})
        for section in tool.sections.prefetch_related("questions"):
            copy = assurance.section_add(actor=None, framework=framework, title=section.title, number=section.number)
            for question in section.questions.all():
                assurance.question_add(
                    actor=None,
                    section=copy,
                    text=question.text,
                    guidance=question.guidance,
                    evidence_expected=question.evidence_expected,
                    number=question.number,
                )
    round = Round.objects.filter(
        partnership=there, title="Section 11 self-assessment 2024"
    ).first() or assurance.round_create(
        actor=None,
        partnership=there,
        title="Section 11 self-assessment 2024",
        framework=framework,
        period_start=D(2024, 4, 1),
        period_end=D(2024, 8, 31),
        deadline=D(2024, 9, 6),
    )
    trust = agencies[TRUST]
    lead = Person.objects.filter(partnership=there, agency=trust).first() or core_services.person_create(
        actor=None, partnership=there, name="Trust safeguarding lead", job_title="Named nurse", agency=trust
    )
    if not Return.objects.filter(round=round, participant=lead).exists():
        assurance.participant_invite(actor=None, round=round, participant=lead, service=source.service)
    council = Agency.objects.get(partnership=there, name="Darlington Borough Council")
    officer = Person.objects.filter(partnership=there, agency=council).first() or core_services.person_create(
        actor=None, partnership=there, name="Council safeguarding officer", agency=council
    )
    if not Return.objects.filter(round=round, participant=officer).exists():
        assurance.participant_invite(actor=None, round=round, participant=officer, service="Children's services")
    result.add("shared returns", assurance.return_share(actor=None, assessment_return=source, partnership=there))


def _next_tool_version(there: Partnership, result: DemoResult) -> None:
    """Darlington's version 2 of the tool (one question reworded, one added), its questions mapped
    to version 1 by the business unit, so a return on either version can be shared with it."""
    from jigsaw.assurance import services as assurance
    from jigsaw.assurance.models import Framework, Question

    first = Framework.objects.filter(partnership=there, version=1).order_by("pk").first()
    if first is None or Framework.objects.filter(previous=first).exists():
        return
    question = Question.objects.filter(section__framework=first).order_by("section__number", "number").first()
    assurance.question_update(
        actor=None, question=question, text=f"{question.text.rstrip('.')}, and staff can say who their lead is."
    )
    version = result.add("assessment frameworks", Framework.objects.get(previous=first))
    added = assurance.question_add(
        actor=None,
        section=version.sections.order_by("number").first(),
        text="Leaders hear from children and families about the service's safeguarding practice.",
    )
    older = {
        (q.section.number, q.number): q
        for q in Question.objects.filter(section__framework=first).select_related("section")
    }
    equivalents = {
        q.pk: None if q.pk == added.pk else older.get((q.section.number, q.number))
        for q in Question.objects.filter(section__framework=version).select_related("section")
    }
    assurance.framework_map_previous(actor=None, framework=version, equivalents=equivalents)


def _region(durham: Partnership, there: Partnership) -> None:
    region = Region.objects.filter(slug=NORTH_EAST["slug"]).first() or services.region_create(actor=None, **NORTH_EAST)
    year = FinancialYear(2024, durham.financial_year_start_month)
    for partnership, shared, workforce in (
        (durham, RegionalFigureFamily.values, DURHAM_WORKFORCE),
        (there, [RegionalFigureFamily.SELF_ASSESSMENT, RegionalFigureFamily.ACTIONS], DARLINGTON_WORKFORCE),
    ):
        membership = RegionMembership.objects.filter(partnership=partnership, region=region).first()
        if membership is None:
            membership = services.region_join(
                actor=None, partnership=partnership, region=region, shared=shared, workforce=workforce
            )
        if membership.computed_year != year.label:  # loading again adds nothing
            services.region_figures_compute(actor=None, membership=membership, year=year)


def _joint_groups(durham: Partnership, there: Partnership, result: DemoResult) -> None:
    """The child exploitation group, run jointly with Darlington: one record both see, and a seat
    Darlington holds on it for its exploitation lead (a sign-in of Darlington's). The seat starts
    with 2025-26, so Durham's 2024-25 attendance, as the report gives it, is as it was."""
    from .models import Group, Membership

    for group in Group.objects.filter(partnership=durham, joint_with=DARLINGTON["name"]):
        if not group.partners.filter(pk=there.pk).exists():
            services.group_run_jointly(actor=None, group=group, partners=[there])
        council = Agency.objects.get(partnership=there, name="Darlington Borough Council")
        person = Person.objects.filter(
            partnership=there, email=DARLINGTON_MEMBER
        ).first() or core_services.person_create(
            actor=None,
            partnership=there,
            name="Sam Lowther",
            email=DARLINGTON_MEMBER,
            job_title="Exploitation lead",
            agency=council,
        )
        user = User.objects.filter(email=DARLINGTON_MEMBER).first() or core_services.user_create(
            email=DARLINGTON_MEMBER, password=DEMO_PASSWORD, person=person
        )
        core_services.role_assign(actor=None, user=user, partnership=there, role=Role.MEMBER)
        if not Membership.objects.filter(group=group, person=person).exists():
            result.add(
                "memberships",
                services.membership_add(
                    actor=None, partnership=there, group=group, person=person, starts_on=D(2025, 4, 1)
                ),
            )


@late_loader
def load_partnerships_together(partnership: Partnership, result: DemoResult) -> None:
    with transaction.atomic():
        there = darlington(result)
        agencies = _organisations(partnership, there, result)
        _sign_ins(partnership, there, agencies)
        _shared_return(partnership, there, agencies, result)
        _joint_groups(partnership, there, result)
        _next_tool_version(there, result)
        _region(partnership, there)
    result.sign_ins.append(("Business unit (Darlington)", DARLINGTON_BU))
    result.sign_ins.append(("Group member (Darlington)", DARLINGTON_MEMBER))
