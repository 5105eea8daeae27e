"""The demo partnership, modelled on Durham Safeguarding Children Partnership's 2024/25 annual report.

`jigsaw demo` loads it. Every record is written through the services, so it is validated and
audited like any other, and looked up by its natural key first, so loading again changes nothing.

Other apps add their own demo records with a `demo.py` module holding functions decorated with
`@loader`: each takes the partnership and the DemoResult, and runs after core's, in the order of
INSTALLED_APPS.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import models
from django.utils.module_loading import autodiscover_modules

from . import services
from .models import Agency, Partnership, Person, RoleAssignment, Sector, StatutoryRole, Theme, User
from .scoping import Role

DEMO_PASSWORD = "jigsaw-demo-2026"
DOMAIN = "durham.example"  # .example is reserved (RFC 2606): demo email can never reach a real inbox

PARTNERSHIP = {
    "slug": "durham",
    "name": "Durham Safeguarding Children Partnership",
    "area": "County Durham",
    "financial_year_start_month": 4,
}
# The reference report gives no telephone numbers for Durham's front door, so the demo's are
# Ofcom's numbers reserved for drama (never a real line), labelled as demo numbers.
FRONT_DOOR = {
    "front_door_name": "First Contact",
    "front_door_in_hours": "03069 990000 (demo number; Monday to Thursday 8.30am to 5pm, Friday 8.30am to 4.30pm)",
    "front_door_out_of_hours": "03069 990001 (demo number; the Emergency Duty Team, evenings, weekends and bank holidays)",
}


@dataclass(frozen=True)
class DemoAgency:
    name: str
    sector: str
    statutory_role: str = StatutoryRole.RELEVANT_AGENCY
    locality: str = ""  # blank: works across the area


COUNCIL = "Durham County Council"
ICB = "North East and North Cumbria Integrated Care Board"
POLICE = "Durham Constabulary"

# The report's partners first; a generic name stands in only where it names no one for a sector.
AGENCIES = [
    # The three statutory safeguarding partners.
    DemoAgency(COUNCIL, Sector.LA_OTHER, StatutoryRole.LOCAL_AUTHORITY),
    DemoAgency(ICB, Sector.ICB, StatutoryRole.ICB),
    DemoAgency(POLICE, Sector.POLICE, StatutoryRole.POLICE),
    # Named in the Performance Think Tank membership and elsewhere in the report.
    DemoAgency("Durham Children's Social Care", Sector.CHILDREN_SOCIAL_CARE),
    DemoAgency("Aycliffe Secure Centre", Sector.CHILDREN_SOCIAL_CARE, locality="South Durham"),
    DemoAgency("ERASE Team", Sector.CHILDREN_SOCIAL_CARE),
    DemoAgency("Durham Early Help", Sector.EARLY_HELP),
    DemoAgency("Durham Virtual School", Sector.EDUCATION_SKILLS),
    DemoAgency("Public Health, Durham County Council", Sector.ADULT_HEALTH),
    DemoAgency("County Durham and Darlington NHS Foundation Trust", Sector.NHS_TRUSTS),
    DemoAgency("Tees, Esk and Wear Valleys NHS Foundation Trust", Sector.NHS_TRUSTS),
    DemoAgency("Harrogate and District NHS Foundation Trust", Sector.NHS_TRUSTS),
    DemoAgency("County Durham GP practices", Sector.PRIMARY_CARE),
    DemoAgency("Probation Service", Sector.PROBATION),
    DemoAgency("HM Prison Service", Sector.PRISON),
    DemoAgency("Harbour", Sector.DOMESTIC_ABUSE),
    DemoAgency("Waythrough", Sector.DRUG_ALCOHOL),
    DemoAgency("County Durham Youth Justice Service", Sector.YOUTH_JUSTICE),
    DemoAgency("County Durham Sport", Sector.VOLUNTARY),
    DemoAgency("Durham Schools (maintained and academies)", Sector.SCHOOLS),
    DemoAgency("Durham Alternative Provision providers", Sector.ALTERNATIVE_EDUCATION),
    DemoAgency("County Durham Early Years and Childcare providers", Sector.EARLY_YEARS),
    DemoAgency("County Durham social housing providers", Sector.HOUSING),
    DemoAgency("Cafcass", Sector.CAFCASS),
    DemoAgency("Darlington Safeguarding Partnership", Sector.OUTSIDE_AREA, StatutoryRole.OTHER, "Darlington"),
    DemoAgency("Somerset Council", Sector.OUTSIDE_AREA, StatutoryRole.OTHER, "Somerset"),
    # Sectors of the training table the report names no organisation for.
    DemoAgency("County Durham and Darlington Fire and Rescue Service", Sector.FIRE),
    DemoAgency("North East Ambulance Service NHS Foundation Trust", Sector.AMBULANCE),
    DemoAgency("County Durham further education colleges", Sector.COLLEGES),
    DemoAgency("Universities in County Durham", Sector.UNIVERSITIES),
    DemoAgency("County Durham faith organisations", Sector.FAITH),
    DemoAgency("Durham foster carers", Sector.FOSTER_CARERS),
    DemoAgency("Home to School Transport", Sector.PASSENGER_TRANSPORT),
    DemoAgency("Private landlords and letting agents", Sector.PRIVATE_HOUSING),
    DemoAgency("Independent schools, children's homes and fostering agencies", Sector.PRIVATE),
    DemoAgency("Regeneration and Local Services", Sector.REGENERATION),
]


@dataclass(frozen=True)
class DemoPerson:
    name: str
    job_title: str
    agency: str | None  # an agency name from AGENCIES; None for the independent

    @property
    def email(self) -> str:
        return f"{self.name.lower().replace(' ', '.')}@{DOMAIN}"


# Everyone the report names in a partnership role. They have no sign-in.
PEOPLE = [
    DemoPerson("John Hewitt", "Chief Executive Officer", COUNCIL),
    DemoPerson("John Pearce", "Corporate Director of Children and Young People's Services", COUNCIL),
    DemoPerson("Samantha Allan", "Chief Executive", ICB),
    DemoPerson("Vicky Playforth", "Director of Nursing", ICB),
    DemoPerson("Rachel Bacon", "Chief Constable", POLICE),
    DemoPerson("Nicola Lawrence", "Detective Chief Superintendent", POLICE),
    DemoPerson("Adrian Green", "Independent Scrutineer", None),
]


@dataclass(frozen=True)
class DemoSignIn:
    role: str
    email: str
    name: str
    job_title: str
    agency: str | None


# One made-up person per role, so each view of Jigsaw can be tried.
SIGN_INS = [
    DemoSignIn(
        Role.BUSINESS_UNIT, f"business.unit@{DOMAIN}", "Demo Business Unit", "Partnership Business Manager", None
    ),
    DemoSignIn(
        Role.GROUP_CHAIR,
        f"group.chair@{DOMAIN}",
        "Demo Group Chair",
        "Chair, Workforce Learning and Development Group",
        "County Durham and Darlington NHS Foundation Trust",
    ),
    DemoSignIn(
        Role.MEMBER, f"member@{DOMAIN}", "Demo Member", "Safeguarding Practice Lead", "Durham Children's Social Care"
    ),
    DemoSignIn(Role.AGENCY_LEAD, f"agency.lead@{DOMAIN}", "Demo Agency Lead", "Head of Safeguarding", POLICE),
    DemoSignIn(Role.SCRUTINEER, f"scrutineer@{DOMAIN}", "Demo Scrutineer", "Independent Scrutineer", None),
    DemoSignIn(
        Role.PRACTITIONER,
        f"practitioner@{DOMAIN}",
        "Demo Practitioner",
        "Designated Safeguarding Lead",
        "Durham Schools (maintained and academies)",
    ),
]


@dataclass
class DemoResult:
    partnership: Partnership | None = None
    created: Counter = field(default_factory=Counter)  # {"agencies": 36, ...}; empty on a second run
    sign_ins: list[tuple[str, str]] = field(default_factory=list)  # (role label, email)
    password: str = DEMO_PASSWORD

    def add(self, kind: str, record: models.Model) -> models.Model:
        """Count a record just created, under `kind`, and hand it back."""
        self.created[kind] += 1
        return record


Loader = Callable[[Partnership, DemoResult], None]
LOADERS: list[Loader] = []


def loader(function: Loader) -> Loader:
    LOADERS.append(function)
    return function


# Loaders that read what every app's loaders made (a region's figures are computed from the
# partnership's own): run after all of them.
LATE_LOADERS: list[Loader] = []


def late_loader(function: Loader) -> Loader:
    LATE_LOADERS.append(function)
    return function


def _agency(partnership: Partnership, name: str | None) -> Agency | None:
    return Agency.objects.get(partnership=partnership, name=name) if name else None


def _person(
    partnership: Partnership, result: DemoResult, *, name: str, email: str, job_title: str, agency: str | None
) -> Person:
    # By email, or by name in case someone has since changed the address in Jigsaw.
    existing = (
        Person.objects.filter(partnership=partnership)
        .filter(models.Q(email__iexact=email) | models.Q(name=name))
        .first()
    )
    return existing or result.add(
        "people",
        services.person_create(
            actor=None,
            partnership=partnership,
            name=name,
            email=email,
            job_title=job_title,
            agency=_agency(partnership, agency),
        ),
    )


@loader
def load_agencies(partnership: Partnership, result: DemoResult) -> None:
    for agency in AGENCIES:
        if not Agency.objects.filter(partnership=partnership, name=agency.name).exists():
            result.add(
                "agencies",
                services.agency_create(
                    actor=None,
                    partnership=partnership,
                    name=agency.name,
                    sector=agency.sector,
                    statutory_role=agency.statutory_role,
                    locality=agency.locality,
                ),
            )


THEMES = [
    ("Information sharing", "Agencies sharing what they know, in time, with the right people."),
    ("Professional curiosity", "Looking beyond what is presented; respectful uncertainty."),
    ("Voice of the child", "The child's lived experience, wishes and feelings shaping the plan."),
    ("Intersectionality", "How race, disability, gender and other characteristics combine in a child's experience."),
    ("Cumulative harm", "Patterns of neglect and harm that build over time."),
    ("Child exploitation", "Criminal and sexual exploitation, including county lines."),
    ("Neglect", "Persistent failure to meet a child's basic needs."),
    ("Domestic abuse", "Children as victims of domestic abuse in their own right."),
    ("Adolescent mental health", "Emotional wellbeing, self-harm and suicide prevention."),
    ("Children missing from home, school or care", "Return home interviews and the risks behind going missing."),
    ("The first 1001 days", "Conception to age two: parents, infants and safe sleep."),
    ("Children with disabilities", "Safeguarding disabled children and children with SEND."),
    ("Transitions", "Moving between services: to adulthood, between schools, out of care."),
    ("Think family", "Working with the whole family, including adults' needs."),
    ("Recording and supervision", "Clear records and reflective supervision."),
]


@loader
def load_themes(partnership: Partnership, result: DemoResult) -> None:
    for name, description in THEMES:
        if not Theme.objects.filter(partnership=partnership, name=name).exists():
            result.add(
                "themes", services.theme_create(actor=None, partnership=partnership, name=name, description=description)
            )


@loader
def load_people(partnership: Partnership, result: DemoResult) -> None:
    for person in PEOPLE:
        _person(
            partnership, result, name=person.name, email=person.email, job_title=person.job_title, agency=person.agency
        )


@loader
def load_sign_ins(partnership: Partnership, result: DemoResult) -> None:
    for sign_in in SIGN_INS:
        person = _person(
            partnership,
            result,
            name=sign_in.name,
            email=sign_in.email,
            job_title=sign_in.job_title,
            agency=sign_in.agency,
        )
        user = User.objects.filter(email__iexact=sign_in.email).first() or result.add(
            "users",
            services.user_create(
                email=sign_in.email,
                password=DEMO_PASSWORD,
                person=person,
            ),
        )
        # Only the agency lead's role is tied to an agency: the one they lead for.
        agency = _agency(partnership, sign_in.agency) if sign_in.role == Role.AGENCY_LEAD else None
        if not RoleAssignment.objects.filter(
            user=user, partnership=partnership, role=sign_in.role, agency=agency
        ).exists():
            result.add(
                "role assignments",
                services.role_assign(
                    actor=None,
                    user=user,
                    partnership=partnership,
                    role=sign_in.role,
                    agency=agency,
                ),
            )
        result.sign_ins.append((Role(sign_in.role).label, sign_in.email))


def demo_logo() -> ContentFile:
    """An invented mark for the demo partnership (four pieces that fit together), drawn here so
    no image file is shipped: the partnership's logo slot is filled as a real one would be."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (96, 96), "white")
    draw = ImageDraw.Draw(image)
    for (x, y), colour in zip([(4, 4), (50, 4), (4, 50), (50, 50)], ["#1d70b8", "#00703c", "#f47738", "#4c2c92"]):
        draw.rounded_rectangle((x, y, x + 42, y + 42), radius=8, fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name="durham-logo.png")


def load_demo() -> DemoResult:
    """Load the demo partnership and every app's demo records. Safe to run again."""
    autodiscover_modules("demo")  # imports each app's demo.py, registering its loaders
    result = DemoResult()
    result.partnership = Partnership.objects.filter(slug=PARTNERSHIP["slug"]).first() or result.add(
        "partnerships", services.partnership_create(**PARTNERSHIP)
    )
    if not result.partnership.front_door_name:
        services.partnership_update(actor=None, partnership=result.partnership, **FRONT_DOOR)
    if not result.partnership.logo:
        services.partnership_update(actor=None, partnership=result.partnership, logo=demo_logo())
    for load in [*LOADERS, *LATE_LOADERS]:
        load(result.partnership, result)
    return result
