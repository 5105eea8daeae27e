"""Scaled data: `jigsaw demo --scale N` generates N made-up partnerships, each with several
years of records in every app, for benchmarks and for trying Jigsaw at a national size.

Each app adds its records with a `scale.py` module holding functions decorated with
`@generator` (core's are below). The driver runs them in INSTALLED_APPS order, year by year,
for one partnership at a time inside one transaction, so a partnership is either complete or
absent. A generator gets a Context whose `random` is seeded from (seed, partnership number,
year, generator): the stream one generator draws from does not depend on any other, on the
order they run in or on which apps are installed, so the same seed gives the same records.

Volume 1.0 is a large partnership's year (about 20,000 course completions and as many
evaluations); other counts follow with floors, so a small volume still fills every report
table. The years are fixed (the last is 2024-25, the demo's report year), never taken from
today's date, so a dataset can be generated again years later and come out the same.

Running again is safe: structural records are looked up by their natural key first, and a
per-year generator that finds its year already generated adds nothing (a new year or a newly
installed app's records are added: the partnership is topped up). The volume applies to what
is generated in that run; a year already there is kept as it is.
"""

from __future__ import annotations

import datetime
import functools
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from . import bulk, freshness, services
from .bulk import insert_rows  # noqa: F401 - the apps' generators import it from here
from .demo import DEMO_PASSWORD, THEMES
from .models import Agency, Partnership, Person, RoleAssignment, Sector, StatutoryRole, Theme, User
from .periods import FinancialYear
from .scoping import Role

LAST_YEAR = FinancialYear(2024)  # the demo's report year: the benchmark builds this year's report
FULL_VOLUME_COMPLETIONS = 20_000  # course completions in a large partnership's year (Durham: 20,056)


@dataclass(frozen=True)
class Plan:
    """What a run generates: how many years per partnership, how much a year holds, the seed."""

    years: int = 3
    volume: float = 1.0
    seed: int = 1

    @property
    def financial_years(self) -> list[FinancialYear]:
        """Oldest first, ending with LAST_YEAR."""
        return [FinancialYear(LAST_YEAR.start_year - back) for back in reversed(range(self.years))]


def slug(number: int) -> str:
    return f"scale-{number:03d}"


def area(number: int) -> str:
    """A made-up area name that can never be mistaken for a real one."""
    return f"Scale {number:03d}"


def domain(number: int) -> str:
    return f"{slug(number)}.example"  # .example is reserved (RFC 2606): no real inbox


@dataclass
class Context:
    """What a generator gets: the partnership, the year (None for a once-per-partnership
    generator), its own random stream, and somewhere to count what it made."""

    partnership: Partnership
    number: int
    year: FinancialYear | None
    plan: Plan
    random: random.Random
    created: Counter
    agencies: dict[str, Agency] | None = None

    @property
    def area(self) -> str:
        return area(self.number)

    @property
    def domain(self) -> str:
        return domain(self.number)

    def add(self, kind: str, count: int = 1) -> int:
        if count:
            self.created[kind] += count
        return count

    def scaled(self, full: float, floor: int = 1) -> int:
        """`full` at volume 1, in proportion to the volume, never fewer than `floor`."""
        return max(floor, round(full * self.plan.volume))

    def pick(self, shares):
        """One of the values of [(value, share), ...], drawn in proportion to its share."""
        values, weights = zip(*shares)
        return self.random.choices(values, weights=weights)[0]

    def day(self, start: datetime.date | None = None, end: datetime.date | None = None) -> datetime.date:
        """A random day from `start` to `end` (both included), by default within the year."""
        start, end = start or self.year.start, end or self.year.end
        return start + datetime.timedelta(days=self.random.randrange((end - start).days + 1))

    def random_for(self, name: str) -> random.Random:
        """A stream for something shared between years (a business plan, the learners), seeded by
        its own name, so it is the same whichever year happens to make it first."""
        return random.Random(f"{self.plan.seed}/{self.number}/{name}")


Generate = Callable[[Context], None]


@dataclass(frozen=True)
class Generator:
    function: Generate
    once: bool  # once per partnership (before its years), or once per year
    # Once per partnership after every year of every app (it reads what they made: a region's
    # figures), given the last year.
    last: bool = False

    @property
    def name(self) -> str:
        return f"{self.function.__module__.removeprefix('jigsaw.').removesuffix('.scale')}.{self.function.__name__}"


GENERATORS: list[Generator] = []


def generator(function: Generate | None = None, *, once: bool = False, last: bool = False):
    """Register a generator: `@generator` runs for each year, `@generator(once=True)` once per
    partnership, before any year (structure: agencies, groups, indicators, courses), and
    `@generator(last=True)` once after every year, with the last."""

    def register(function: Generate) -> Generate:
        GENERATORS.append(Generator(function, once, last))
        return function

    return register(function) if function is not None else register


@dataclass
class Generated:
    partnership: Partnership
    created: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def generate(number: int, plan: Plan) -> Generated:
    """Generate (or top up) partnership `number`, all or nothing."""
    autodiscover_modules("scale")  # imports each app's scale.py, registering its generators
    started = time.perf_counter()
    created: Counter = Counter()
    # A partnership's stamps are bumped once per app when it is complete, not once per record.
    with transaction.atomic(), freshness.batched():
        partnership = Partnership.objects.filter(slug=slug(number)).first()
        if partnership is None:
            partnership = services.partnership_create(
                name=f"Scale Partnership {number:03d}", slug=slug(number), area=f"{area(number)} area"
            )
            created["partnerships"] += 1
        steps = [(step, None) for step in GENERATORS if step.once]
        steps += [(step, year) for year in plan.financial_years for step in GENERATORS if not (step.once or step.last)]
        steps += [(step, plan.financial_years[-1]) for step in GENERATORS if step.last]
        for step, year in steps:
            stream = random.Random(f"{plan.seed}/{number}/{year.label if year else 'structure'}/{step.name}")
            step.function(Context(partnership, number, year, plan, stream, created))
    return Generated(partnership, created, time.perf_counter() - started)


# --- Core: agencies, people, learning themes and sign-ins ----------------------------------------

# One agency per sector, named as such an agency is, in a made-up area. The three statutory
# partners first.
AGENCIES = [
    ("{area} Council", Sector.LA_OTHER, StatutoryRole.LOCAL_AUTHORITY),
    ("{area} Integrated Care Board", Sector.ICB, StatutoryRole.ICB),
    ("{area} Police", Sector.POLICE, StatutoryRole.POLICE),
    ("{area} Children's Social Care", Sector.CHILDREN_SOCIAL_CARE, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Secure Children's Home", Sector.CHILDREN_SOCIAL_CARE, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Early Help", Sector.EARLY_HELP, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Virtual School", Sector.EDUCATION_SKILLS, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Public Health", Sector.ADULT_HEALTH, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Hospitals NHS Foundation Trust", Sector.NHS_TRUSTS, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Mental Health NHS Foundation Trust", Sector.NHS_TRUSTS, StatutoryRole.RELEVANT_AGENCY),
    ("{area} GP practices", Sector.PRIMARY_CARE, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Probation Delivery Unit", Sector.PROBATION, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Prison", Sector.PRISON, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Domestic Abuse Service", Sector.DOMESTIC_ABUSE, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Drug and Alcohol Service", Sector.DRUG_ALCOHOL, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Youth Justice Service", Sector.YOUTH_JUSTICE, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Voluntary Sector Network", Sector.VOLUNTARY, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Schools", Sector.SCHOOLS, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Alternative Provision", Sector.ALTERNATIVE_EDUCATION, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Early Years and Childcare providers", Sector.EARLY_YEARS, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Housing Association", Sector.HOUSING, StatutoryRole.RELEVANT_AGENCY),
    ("Cafcass ({area})", Sector.CAFCASS, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Neighbouring Partnership", Sector.OUTSIDE_AREA, StatutoryRole.OTHER),
    ("{area} Fire and Rescue Service", Sector.FIRE, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Ambulance Service", Sector.AMBULANCE, StatutoryRole.RELEVANT_AGENCY),
    ("{area} College", Sector.COLLEGES, StatutoryRole.RELEVANT_AGENCY),
    ("{area} University", Sector.UNIVERSITIES, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Faith Forum", Sector.FAITH, StatutoryRole.RELEVANT_AGENCY),
    ("{area} foster carers", Sector.FOSTER_CARERS, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Home to School Transport", Sector.PASSENGER_TRANSPORT, StatutoryRole.RELEVANT_AGENCY),
    ("{area} private landlords", Sector.PRIVATE_HOUSING, StatutoryRole.RELEVANT_AGENCY),
    ("{area} independent settings", Sector.PRIVATE, StatutoryRole.RELEVANT_AGENCY),
    ("{area} Regeneration and Local Services", Sector.REGENERATION, StatutoryRole.RELEVANT_AGENCY),
]
COUNCIL, ICB, POLICE, CHILDRENS_SOCIAL_CARE, SECURE_HOME = (name for name, _, _ in AGENCIES[:5])

# Made-up people: first names and surnames drawn separately, with a number in the email.
FIRST_NAMES = [
    "Alex",
    "Bea",
    "Cal",
    "Dani",
    "Eli",
    "Fran",
    "Gus",
    "Hana",
    "Ira",
    "Jo",
    "Kit",
    "Lou",
    "Max",
    "Nia",
    "Oli",
    "Pat",
    "Quinn",
    "Rae",
    "Sam",
    "Tess",
    "Uma",
    "Vic",
    "Wren",
    "Yas",
    "Zac",
]
SURNAMES = [
    "Ashby",
    "Birch",
    "Coleman",
    "Dale",
    "Easton",
    "Fenwick",
    "Garside",
    "Heslop",
    "Ingham",
    "Jessop",
    "Kendall",
    "Lowther",
    "Marsden",
    "Norgate",
    "Oakley",
    "Pennock",
    "Redfern",
    "Stainton",
    "Thorne",
    "Umpleby",
    "Varley",
    "Whitfield",
    "Yarrow",
]
JOB_TITLES = [
    "Safeguarding Lead",
    "Designated Safeguarding Lead",
    "Head of Service",
    "Team Manager",
    "Senior Practitioner",
    "Named Nurse for Safeguarding",
    "Detective Inspector",
    "Service Manager",
]

SIGN_INS = [
    (Role.BUSINESS_UNIT, "business.unit", "Partnership Business Manager"),
    (Role.GROUP_CHAIR, "group.chair", "Chair, Workforce Learning and Development Group"),
    (Role.MEMBER, "member", "Safeguarding Practice Lead"),
    (Role.AGENCY_LEAD, "agency.lead", "Head of Safeguarding"),
    (Role.SCRUTINEER, "scrutineer", "Independent Scrutineer"),
    (Role.PRACTITIONER, "practitioner", "Designated Safeguarding Lead"),
]


def agencies(partnership: Partnership) -> dict[str, Agency]:
    """The partnership's agencies by name."""
    return {agency.name: agency for agency in Agency._base_manager.filter(partnership=partnership)}


def agency_named(ctx: Context, template: str) -> Agency:
    if ctx.agencies is None:  # read once per generator rather than once per record
        ctx.agencies = agencies(ctx.partnership)
    return ctx.agencies[template.format(area=ctx.area)]


def staff(partnership: Partnership) -> list[Person]:
    """The partnership's people with an agency, in a stable order (what generators draw from)."""
    return list(
        Person._base_manager.filter(partnership=partnership, agency__isnull=False)
        .select_related("agency")
        .order_by("email")
    )


@generator(once=True)
def agencies_and_people(ctx: Context) -> None:
    have = set(Agency._base_manager.filter(partnership=ctx.partnership).values_list("name", flat=True))
    new = [
        Agency(
            partnership=ctx.partnership,
            name=template.format(area=ctx.area),
            sector=sector,
            statutory_role=statutory_role,
        )
        for template, sector, statutory_role in AGENCIES
        if template.format(area=ctx.area) not in have
    ]
    ctx.add("agencies", len(bulk.create(new)))
    # Staff who sit on groups, answer the self-assessment and own actions: more in a bigger
    # partnership. Made with the partnership: a later run at another volume adds none.
    if Person._base_manager.filter(partnership=ctx.partnership).exists():
        return
    number, people = 0, []
    for agency in sorted(agencies(ctx.partnership).values(), key=lambda a: a.name):
        for _ in range(2 + round(2 * ctx.plan.volume)):
            number += 1
            first, last = ctx.random.choice(FIRST_NAMES), ctx.random.choice(SURNAMES)
            people.append(
                Person(
                    partnership=ctx.partnership,
                    name=f"{first} {last}",
                    email=f"{first}.{last}.{number}@{ctx.domain}".lower(),
                    job_title=ctx.random.choice(JOB_TITLES),
                    agency=agency,
                )
            )
    ctx.add("people", len(bulk.create(people)))


@generator(once=True)
def themes(ctx: Context) -> None:
    have = set(Theme._base_manager.filter(partnership=ctx.partnership).values_list("name", flat=True))
    new = [
        Theme(partnership=ctx.partnership, name=name, description=description)
        for name, description in THEMES  # the demo's taxonomy
        if name not in have
    ]
    ctx.add("themes", len(bulk.create(new)))


@functools.cache
def _demo_password_hash() -> str:
    # Argon2 is slow on purpose: hash the demo password once per run and share the hash, rather
    # than six times for each of 150 partnerships. These are demo accounts.
    return make_password(DEMO_PASSWORD)


@generator(once=True)
def sign_ins(ctx: Context) -> None:
    """One sign-in per role (password: the demo's), so each view of a generated partnership can be tried."""
    police = agency_named(ctx, POLICE)
    for role, local_part, job_title in SIGN_INS:
        email = f"{local_part}@{ctx.domain}"
        user = User.objects.filter(email=email).first()
        if user is None:
            person = services.person_create(
                actor=None,
                partnership=ctx.partnership,
                name=f"Scale {Role(role).label} {ctx.number:03d}",
                email=email,
                job_title=job_title,
                agency=None if role in (Role.BUSINESS_UNIT, Role.SCRUTINEER) else police,
            )
            user = services.user_create(email=email, person=person)
            User.objects.filter(pk=user.pk).update(password=_demo_password_hash())
            ctx.add("users")
        agency = police if role == Role.AGENCY_LEAD else None
        if not RoleAssignment._base_manager.filter(
            user=user, partnership=ctx.partnership, role=role, agency=agency
        ).exists():
            services.role_assign(actor=None, user=user, partnership=ctx.partnership, role=role, agency=agency)
            ctx.add("role assignments")
