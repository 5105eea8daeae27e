"""Demo training records that reproduce the report's training section through the app's own queries.

Learners, completions and evaluations are generated one by one with a fixed seed and pushed
through the completions import (as the eLearning platform's exports and the trainers'
registers would be), so the report's figures come out of records, never typed totals:
the counts per training option and per organisation category are the report's; the
evaluation ratings are drawn so their averages are the report's.
"""

from __future__ import annotations

import csv
import datetime
import io
import random

from django.db.models import Q

from jigsaw.core import dates
from jigsaw.core import services as core_services
from jigsaw.core.demo import loader
from jigsaw.core.models import Agency, Person, Sector, Theme
from jigsaw.core.periods import FinancialYear

from . import services
from .imports import completions_import
from .models import (
    MODE_ORDER,
    Completion,
    Course,
    DeliveryMode,
    Evaluation,
    Event,
    ImpactAnswer,
    ImpactFollowUp,
    ImportBatch,
    ImportOutcome,
    Judgement,
    OrganisationAlias,
    OrganisationCategory,
    Programme,
    TrainingObservation,
)

SEED = 2425
YEAR = FinancialYear(2024)
PREVIOUS = YEAR.previous()

# The report's overview of course completions, 2024/25.
COMPLETIONS_BY_MODE = {
    "elearning": 17_954,
    "programme": 692,
    "safeguarding_week": 1_021,
    "development_day": 187,
    "bespoke": 202,
}
# 2023/24 as the report compares: 12,956 eLearning, 420 at safeguarding week, 14,793 in all
# (the report does not split the other 1,417; this split is the demo's).
PREVIOUS_BY_MODE = {
    "elearning": 12_956,
    "programme": 1_065,
    "safeguarding_week": 420,
    "development_day": 210,
    "bespoke": 142,
}

# Course completions by agency, 2024/25: the report's table.
COMPLETIONS_BY_SECTOR = {
    Sector.ADULT_HEALTH: 133,
    Sector.ALTERNATIVE_EDUCATION: 930,
    Sector.CAFCASS: 6,
    Sector.CHILDREN_SOCIAL_CARE: 4_717,
    Sector.COLLEGES: 150,
    Sector.DOMESTIC_ABUSE: 69,
    Sector.DRUG_ALCOHOL: 156,
    Sector.EARLY_HELP: 485,
    Sector.EARLY_YEARS: 1_578,
    Sector.EDUCATION_SKILLS: 474,
    Sector.FAITH: 14,
    Sector.FIRE: 37,
    Sector.FOSTER_CARERS: 438,
    Sector.HOUSING: 32,
    Sector.ICB: 95,
    Sector.PASSENGER_TRANSPORT: 1_476,
    Sector.LA_OTHER: 353,
    Sector.NHS_TRUSTS: 1_698,
    Sector.AMBULANCE: 2,
    Sector.OUTSIDE_AREA: 9,
    Sector.POLICE: 70,
    Sector.PRIMARY_CARE: 273,
    Sector.PRISON: 115,
    Sector.PRIVATE_HOUSING: 76,
    Sector.PRIVATE: 533,
    Sector.PROBATION: 24,
    Sector.REGENERATION: 37,
    Sector.SCHOOLS: 4_231,
    Sector.UNIVERSITIES: 4,
    Sector.VOLUNTARY: 1_557,
    Sector.YOUTH_JUSTICE: 284,
}

# Post-course evaluation averages per option: content out of 5, knowledge before and after out of 10.
CONTENT = {"elearning": 4.73, "programme": 4.83, "safeguarding_week": 4.64, "development_day": 4.81, "bespoke": 4.95}
KNOWLEDGE = {
    "elearning": (5.2, 8.6),
    "programme": (6.2, 8.7),
    "safeguarding_week": (5.5, 8.1),
    "development_day": (5.7, 8.9),
    "bespoke": (6.2, 9.1),
}

# Organisation names as learners type them, with the partner agency where there is one.
TYPED_NAMES = {
    Sector.ADULT_HEALTH: [
        ("Adult Health Services", None),
        ("Public Health DCC", "Public Health, Durham County Council"),
    ],
    Sector.ALTERNATIVE_EDUCATION: [
        ("Alternative Provision", "Durham Alternative Provision providers"),
        ("Alternative education provider", None),
    ],
    Sector.CAFCASS: [("Cafcass", "Cafcass")],
    Sector.CHILDREN_SOCIAL_CARE: [
        ("Durham County Council - Children's Social Care", "Durham Children's Social Care"),
        ("DCC Childrens Services", "Durham Children's Social Care"),
        ("Aycliffe Secure Centre", "Aycliffe Secure Centre"),
    ],
    Sector.COLLEGES: [("New College Durham", None), ("FE College", None)],
    Sector.DOMESTIC_ABUSE: [("Harbour Support Services", "Harbour")],
    Sector.DRUG_ALCOHOL: [("Waythrough", "Waythrough"), ("Drug and alcohol recovery service", None)],
    Sector.EARLY_HELP: [("Early Help Team", "Durham Early Help"), ("Family Hub", "Durham Early Help")],
    Sector.EARLY_YEARS: [("Little Acorns Nursery", None), ("Childminder", None), ("Out of school club", None)],
    Sector.EDUCATION_SKILLS: [("Education and Skills DCC", None), ("Virtual School", "Durham Virtual School")],
    Sector.FAITH: [("Diocese of Durham", None)],
    Sector.FIRE: [
        ("County Durham and Darlington Fire and Rescue", "County Durham and Darlington Fire and Rescue Service")
    ],
    Sector.FOSTER_CARERS: [("Foster carer", "Durham foster carers")],
    Sector.HOUSING: [("Housing Solutions", "County Durham social housing providers")],
    Sector.ICB: [("NENC ICB", "North East and North Cumbria Integrated Care Board")],
    Sector.PASSENGER_TRANSPORT: [("Home to School Transport", "Home to School Transport"), ("Taxi driver", None)],
    Sector.LA_OTHER: [("Durham County Council", "Durham County Council")],
    Sector.NHS_TRUSTS: [
        ("CDDFT", "County Durham and Darlington NHS Foundation Trust"),
        ("TEWV", "Tees, Esk and Wear Valleys NHS Foundation Trust"),
        ("Harrogate and District NHS FT", "Harrogate and District NHS Foundation Trust"),
    ],
    Sector.AMBULANCE: [("NEAS", "North East Ambulance Service NHS Foundation Trust")],
    Sector.OUTSIDE_AREA: [("Darlington Borough Council", None)],
    Sector.POLICE: [("Durham Constabulary", "Durham Constabulary"), ("Durham Police", "Durham Constabulary")],
    Sector.PRIMARY_CARE: [("GP Practice", "County Durham GP practices")],
    Sector.PRISON: [("HMP Durham", "HM Prison Service")],
    Sector.PRIVATE_HOUSING: [("Private landlord", "Private landlords and letting agents")],
    Sector.PRIVATE: [("Independent school", None), ("Private children's home", None)],
    Sector.PROBATION: [("Probation Service", "Probation Service")],
    Sector.REGENERATION: [("Regeneration and Local Services", "Regeneration and Local Services")],
    Sector.SCHOOLS: [
        ("Primary school", "Durham Schools (maintained and academies)"),
        ("Secondary academy", "Durham Schools (maintained and academies)"),
        ("Schools", None),
    ],
    Sector.UNIVERSITIES: [("Durham University", None)],
    Sector.VOLUNTARY: [
        ("Community centre", None),
        ("Sports club", "County Durham Sport"),
        ("Registered charity", None),
    ],
    Sector.YOUTH_JUSTICE: [("County Durham Youth Justice Service", "County Durham Youth Justice Service")],
}

ELEARNING_2023 = [
    "Safeguarding Children Awareness",
    "Child Sexual Exploitation",
    "Child Criminal Exploitation",
    "Neglect Awareness",
    "Domestic Abuse and Children",
    "Prevent Awareness",
    "Female Genital Mutilation",
    "Honour Based Abuse",
    "Online Safety",
    "Self-harm and Suicide Prevention",
    "Hidden Harm: Parental Substance Misuse",
    "Parental Mental Health",
    "Safer Recruitment",
    "Working Together to Safeguard Children",
    "Information Sharing",
    "Professional Curiosity",
    "Voice of the Child",
    "Harmful Sexual Behaviour",
    "Child Trafficking and Modern Slavery",
    "Fabricated or Induced Illness",
    "Bruising in Non-mobile Babies",
    "Private Fostering",
    "Children Missing Education",
    "Young Carers",
    "Forced Marriage",
    "Radicalisation and Extremism",
    "County Lines",
    "Understanding Trauma",
    "Adverse Childhood Experiences",
    "Safeguarding Disabled Children",
]
ELEARNING_2024 = [
    "Neglect and Poverty",
    "Trauma Informed Practice",
    "Harm Outside the Home",
    "Professional Disagreement and Escalation",
    "Contextual Safeguarding",
    "Recording with the Child in Mind",
    "Safe Sleep",
    "Concealed Pregnancy Awareness",
    "Think Family",
    "Intersectionality in Safeguarding",
    "Cumulative Harm",
    "Adolescent Mental Health",
    "Transitions to Adulthood",
    "Children Missing from Home and Care",
    "Reflective Supervision",
]
PROGRAMME_OLD = [
    "Multi-agency Child Protection",
    "Neglect: Using the Graded Care Profile",
    "Domestic Abuse: Children as Victims",
    "Working with Resistance",
    "Child Exploitation Pathway",
    "Harmful Sexual Behaviour: AIM Approach",
    "Safeguarding Adolescents",
    "Understanding Thresholds",
]
PROGRAMME_NEW = [
    "Information Sharing: Consent versus Public Task",
    "Child Sexual Abuse Awareness",
    "Parental Conflict",
    "Child Protection Conferences",
    "Learning from Practice Reviews",
    "Online Harms for Practitioners",
]
WEEK_2024 = [
    "Father inclusive practice",
    "Working in a strengths based, relational way with unaccompanied asylum-seeking young people",
    "Whole Family Approach",
    "Identifying and meeting the needs of Children and Young People with neurodivergent needs",
    "LGBT+ Awareness",
    "Adultification",
    "Cultural Competence",
    "Inclusive Safeguarding for Disabled Children",
    "Young Carers: Hidden Inclusion",
    "Gypsy, Roma and Traveller Communities",
    "Language that Includes",
    "Poverty Proofing",
    "Children with Special Educational Needs",
    "Faith and Safeguarding",
    "Racism and Safeguarding",
    "Unconscious Bias",
    "Care Experienced Young People",
    "Deaf Children and Safeguarding",
    "Young People in the Justice System",
    "Inclusive Recording",
    "Inclusion and the Voice of the Child",
]
WEEK_2023 = [
    "Safeguarding Week 2023: Professional Curiosity",
    "Safeguarding Week 2023: Neglect",
    "Safeguarding Week 2023: Exploitation",
    "Safeguarding Week 2023: Online Safety",
    "Safeguarding Week 2023: Domestic Abuse",
    "Safeguarding Week 2023: Mental Health",
]
DEVELOPMENT_2024 = [
    "Concealed Pregnancy",
    "Safe Sleeping/Safe Handling",
    "Pieces of the jigsaw (learning from practice reviews)",
    "Enhance Parenting Pathway Program",
    "Whole Family Approach/Family Networks",
]
DEVELOPMENT_2023 = [
    "Development Day 2023: Hearing the Child",
    "Development Day 2023: Neglect",
    "Development Day 2023: Exploitation",
]
BESPOKE_2024 = [
    "Bespoke: Alternative Provision",
    "Bespoke: Community Centres",
    "Bespoke: Community Cultural Charity",
    "Bespoke: Independent School",
    "Bespoke: Social Housing",
    "Bespoke: Residential Care",
    "Bespoke: Schools",
]
BESPOKE_2023 = ["Bespoke: Sports Clubs", "Bespoke: Faith Groups", "Bespoke: Early Years Settings"]

FIRST = [
    "Amy",
    "Ben",
    "Chloe",
    "Dan",
    "Ellie",
    "Faye",
    "Gary",
    "Hannah",
    "Ian",
    "Jade",
    "Kieran",
    "Laura",
    "Mark",
    "Nadia",
    "Owen",
    "Priya",
    "Ryan",
    "Sara",
    "Tom",
    "Zoe",
]
LAST = [
    "Armstrong",
    "Bell",
    "Charlton",
    "Dixon",
    "Elliott",
    "Forster",
    "Gibson",
    "Hall",
    "Irving",
    "Jackson",
    "Kirk",
    "Lamb",
    "Milburn",
    "Nixon",
    "Oliver",
    "Pearson",
    "Robson",
    "Scott",
    "Thompson",
    "Walton",
]

IMPACT_ANSWERS = [
    "Made me think about the language I used when recording and how this can impact young people if they read their records.",
    "I have introduced elements of this training into the organisation to raise awareness of certain issues. This has enabled the volunteers to be much more alert and aware of situations what can come up and to ask curious questions.",
    "I have a greater understanding about the safeguarding partnership and other agencies to speak to for information or support. I was able to pick the phone up and have a conversation with another agency to share information which I would never have done before.",
    "I have been able to identify worries, signs and symptoms at a much earlier opportunity and I was confident of what I needed to do next.",
    "On the day of the training, it was exactly the training we needed and particularly good to be able to talk through grey areas, real life scenarios, and understand the support and advice available.",
    "The course was an absolute eyeopener and I went away from the training feeling like I have another level of understanding about harm outside the home.",
]


# Which learning themes a course carries, by words in its title.
THEME_WORDS = {
    "Child exploitation": ("Exploitation", "County Lines", "Trafficking", "Harm Outside"),
    "Neglect": ("Neglect", "Poverty"),
    "Domestic abuse": ("Domestic Abuse", "Parental Conflict"),
    "Information sharing": ("Information Sharing",),
    "Professional curiosity": ("Curiosity", "Resistance"),
    "Voice of the child": ("Voice of the Child", "Recording"),
    "Adolescent mental health": ("Mental Health", "Self-harm"),
    "Children missing from home, school or care": ("Missing",),
    "The first 1001 days": ("Sleep", "Pregnancy", "Bruising", "Parenting"),
    "Children with disabilities": ("Disab", "Special Educational", "neurodivergent", "Deaf"),
    "Transitions": ("Transition",),
    "Think family": ("Family", "Father"),
    "Recording and supervision": ("Supervision",),
    "Cumulative harm": ("Cumulative",),
    "Intersectionality": ("Intersectionality", "Racism", "Cultural", "Inclusi", "LGBT", "Adultification", "Bias"),
}


def _courses(partnership, result):
    themes = {t.name: t for t in Theme.objects.filter(partnership=partnership)}

    def course(title, mode, runs_from, runs_until=None, provider="DSCP", minutes=60):
        existing = Course.objects.filter(partnership=partnership, title=title).first()
        tagged = [
            themes[name]
            for name, words in THEME_WORDS.items()
            if name in themes and any(w.lower() in title.lower() for w in words)
        ]
        return existing or result.add(
            "training courses",
            services.course_create(
                actor=None,
                partnership=partnership,
                title=title,
                mode=mode,
                provider=provider,
                duration_minutes=minutes,
                runs_from=runs_from,
                runs_until=runs_until,
                themes=tagged,
            ),
        )

    d = datetime.date
    catalogue = {mode: {"previous": [], "year": []} for mode in MODE_ORDER}
    for title in ELEARNING_2023:
        c = course(title, DeliveryMode.ELEARNING, d(2022, 4, 1), provider="Me Learning", minutes=45)
        catalogue["elearning"]["previous"].append(c)
        catalogue["elearning"]["year"].append(c)
    # Added part way through 2024/25, when the partnership changed eLearning platforms.
    catalogue["elearning"]["new"] = [
        course(t, DeliveryMode.ELEARNING, d(2024, 9, 2), provider="Me Learning", minutes=45) for t in ELEARNING_2024
    ]
    catalogue["elearning"]["year"] += catalogue["elearning"]["new"]
    old = [course(t, DeliveryMode.PROGRAMME, d(2023, 4, 1), minutes=180) for t in PROGRAMME_OLD]
    catalogue["programme"] = {
        "previous": old,
        "year": old + [course(t, DeliveryMode.PROGRAMME, d(2024, 4, 1), minutes=180) for t in PROGRAMME_NEW],
    }
    catalogue["safeguarding_week"] = {
        "previous": [course(t, DeliveryMode.SAFEGUARDING_WEEK, d(2023, 10, 9), d(2023, 10, 13)) for t in WEEK_2023],
        "year": [course(t, DeliveryMode.SAFEGUARDING_WEEK, d(2024, 10, 14), d(2024, 10, 18)) for t in WEEK_2024],
    }
    catalogue["development_day"] = {
        "previous": [
            course(t, DeliveryMode.DEVELOPMENT_DAY, d(2023, 11, 15), d(2023, 11, 15), minutes=50)
            for t in DEVELOPMENT_2023
        ],
        "year": [
            course(t, DeliveryMode.DEVELOPMENT_DAY, d(2024, 11, 20), d(2024, 11, 20), minutes=50)
            for t in DEVELOPMENT_2024
        ],
    }
    catalogue["bespoke"] = {
        "previous": [course(t, DeliveryMode.BESPOKE, d(2023, 6, 1), d(2024, 3, 31), minutes=120) for t in BESPOKE_2023],
        "year": [course(t, DeliveryMode.BESPOKE, d(2024, 5, 1), minutes=120) for t in BESPOKE_2024],
    }
    return catalogue


def _day_for(rng, course, year) -> datetime.date:
    start = max(year.start, course.runs_from)
    end = min(year.end, course.runs_until or year.end)
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _rows(rng, categories, learners, catalogue, by_mode, year, sectors_for):
    """One CSV row per completion: (learner, email, organisation, course, date)."""
    modes = [mode for mode in MODE_ORDER for _ in range(by_mode[mode])]
    sectors = sectors_for(len(modes))
    rng.shuffle(modes)
    seen = set()
    rows = []
    for mode, sector in zip(modes, sectors):
        pool = learners[sector]
        courses = catalogue[mode]["year" if year == YEAR else "previous"]
        while True:
            name, email, organisation = pool[rng.randrange(len(pool))]
            course = courses[rng.randrange(len(courses))]
            day = _day_for(rng, course, year)
            if (email, course.title, day) not in seen:
                seen.add((email, course.title, day))
                break
        rows.append((name, email, organisation, course.title, day.strftime("%d/%m/%Y")))
    return rows


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Learner", "Email", "Organisation", "Course", "Completion date"])
    writer.writerows(rows)
    return out.getvalue().encode()


def _exact(rng, n: int, mean: float, lo: int, hi: int, spread: float) -> list[int]:
    """n whole-number answers in [lo, hi] whose average is `mean` to the report's precision."""
    values = [min(hi, max(lo, round(rng.gauss(mean, spread)))) for _ in range(n)]
    difference = round(mean * n) - sum(values)
    step = 1 if difference > 0 else -1
    while difference:
        i = rng.randrange(n)
        if lo <= values[i] + step <= hi:
            values[i] += step
            difference -= step
    return values


@loader
def load_training(partnership, result) -> None:
    rng = random.Random(SEED)
    services.organisation_categories_ensure(actor=None, partnership=partnership)
    categories = {c.sector: c for c in OrganisationCategory.objects.filter(partnership=partnership)}
    agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership)}
    for sector, names in TYPED_NAMES.items():
        for typed, agency in names:
            if (
                not OrganisationAlias.objects.filter(partnership=partnership, name=typed).exists()
                and typed != categories[sector].name
            ):
                result.add(
                    "organisation aliases",
                    services.organisation_alias_create(
                        actor=None,
                        partnership=partnership,
                        name=typed,
                        category=categories[sector],
                        agency=agencies.get(agency),
                    ),
                )
    catalogue = _courses(partnership, result)
    _programmes(partnership, result, catalogue)

    # Learners: a pool per category, each typing one of the category's organisation names.
    learners = {}
    number = 0
    for sector, count in COMPLETIONS_BY_SECTOR.items():
        pool = []
        for _ in range(max(1, round(count / 2.2))):
            number += 1
            first, last = FIRST[rng.randrange(20)], LAST[rng.randrange(20)]
            typed = TYPED_NAMES[sector][rng.randrange(len(TYPED_NAMES[sector]))][0]
            pool.append((f"{first} {last}", f"{first}.{last}{number}@learners.example".lower(), typed))
        learners[sector] = pool

    def exact_sectors(n):
        sectors = [sector for sector, count in COMPLETIONS_BY_SECTOR.items() for _ in range(count)]
        rng.shuffle(sectors)
        return sectors

    def weighted_sectors(n):
        population, weights = zip(*COMPLETIONS_BY_SECTOR.items())
        return rng.choices(population, weights=weights, k=n)

    for year, by_mode, sectors_for in (
        (PREVIOUS, PREVIOUS_BY_MODE, weighted_sectors),
        (YEAR, COMPLETIONS_BY_MODE, exact_sectors),
    ):
        file_name = f"completions-{year.label}.csv"
        content = _csv(_rows(rng, categories, learners, catalogue, by_mode, year, sectors_for))
        if not ImportBatch.objects.filter(
            partnership=partnership, file_name=file_name, outcome=ImportOutcome.IMPORTED
        ).exists():
            imported = completions_import(actor=None, partnership=partnership, file_name=file_name, content=content)
            assert imported.ok, (imported.problems[:5], imported.unknown_organisations[:5])
            result.created["training completions"] += imported.added
    _evaluations(partnership, result, rng)
    _follow_ups(partnership, result, rng)
    _upcoming_events(partnership, result)
    _observations(partnership, result, catalogue)


def _theme(partnership, name):
    return Theme.objects.filter(partnership=partnership, name__iexact=name).first() or core_services.theme_create(
        actor=None, partnership=partnership, name=name
    )


def _programmes(partnership, result, catalogue):
    tz = datetime.UTC
    plans = [
        (
            "Safeguarding Week 2024",
            "Inclusion",
            datetime.date(2024, 10, 14),
            datetime.date(2024, 10, 18),
            catalogue["safeguarding_week"]["year"],
        ),
        (
            "Development Day 2024",
            "The first 1001 days",
            datetime.date(2024, 11, 20),
            datetime.date(2024, 11, 20),
            catalogue["development_day"]["year"],
        ),
    ]
    for name, theme, starts, ends, courses in plans:
        if Programme.objects.filter(partnership=partnership, name=name).exists():
            continue
        programme = result.add(
            "training programmes",
            services.programme_create(
                actor=None,
                partnership=partnership,
                name=name,
                theme=_theme(partnership, theme),
                starts_on=starts,
                ends_on=ends,
            ),
        )
        for i, course in enumerate(courses):
            day = starts + datetime.timedelta(days=i % ((ends - starts).days + 1))
            # Bitesize briefings over the extended lunch and twilight periods.
            hour = (12, 16, 18)[i % 3]
            result.add(
                "training events",
                services.event_create(
                    actor=None,
                    partnership=partnership,
                    course=course,
                    programme=programme,
                    starts_at=datetime.datetime.combine(day, datetime.time(hour), tz),
                    ends_at=datetime.datetime.combine(day, datetime.time(hour, 55), tz),
                    capacity=100,
                    online_link="https://teams.example/dscp",
                    is_published=False,
                ),
            )


def _evaluations(partnership, result, rng):
    """One evaluation per 2024/25 completion (the report's 100% return rate), drawn so each
    option's averages are the report's."""
    completions = (
        Completion.objects.filter(
            partnership=partnership, completed_on__gte=YEAR.start, completed_on__lte=YEAR.end, evaluation__isnull=True
        )
        .order_by("pk")
        .values_list("pk", "course_id", "course__mode", "completed_on")
    )
    by_mode = {mode: [] for mode in MODE_ORDER}
    for row in completions:
        by_mode[row[2]].append(row)
    if Evaluation.objects.filter(partnership=partnership, submitted_on__gte=YEAR.start).exists():
        return  # loaded before
    evaluations = []
    for mode, rows in by_mode.items():
        n = len(rows)
        if not n:
            continue
        content = _exact(rng, n, CONTENT[mode], 1, 5, 0.5)
        before = _exact(rng, n, KNOWLEDGE[mode][0], 1, 10, 1.6)
        after = _exact(rng, n, KNOWLEDGE[mode][1], 1, 10, 1.0)
        impact = rng.choices([ImpactAnswer.YES, ImpactAnswer.NOT_SURE, ImpactAnswer.NO], weights=[93, 6, 1], k=n)
        for i, (pk, course_id, _, day) in enumerate(rows):
            evaluations.append(
                Evaluation(
                    partnership=partnership,
                    course_id=course_id,
                    completion_id=pk,
                    submitted_on=day,
                    content_rating=content[i],
                    knowledge_before=before[i],
                    knowledge_after=after[i],
                    impact=impact[i],
                )
            )
    result.created["training evaluations"] += services.evaluations_bulk_record(
        actor=None, partnership=partnership, evaluations=evaluations
    )


def _follow_ups(partnership, result, rng):
    if ImpactFollowUp.objects.filter(partnership=partnership).exists():
        return
    candidates = list(
        Completion.objects.filter(
            partnership=partnership, completed_on__gte=YEAR.start, completed_on__lte=datetime.date(2024, 12, 31)
        )
        .exclude(course__mode="elearning")
        .order_by("pk")
        .values_list("pk", "completed_on")[:400]
    )
    follow_ups = []
    for i, (pk, day) in enumerate(candidates):
        for months, answered_share in ((3, 0.31), (6, 0.22)):
            sent = dates.add_months(day, months)
            answered = rng.random() < answered_share
            follow_ups.append(
                ImpactFollowUp(
                    partnership=partnership,
                    completion_id=pk,
                    months=months,
                    sent_on=sent,
                    answer=IMPACT_ANSWERS[i % len(IMPACT_ANSWERS)] if answered else "",
                    answered_on=sent + datetime.timedelta(days=rng.randrange(1, 20)) if answered else None,
                )
            )
    result.created["training follow-ups"] += services.follow_ups_bulk_record(
        actor=None, partnership=partnership, follow_ups=follow_ups
    )


def _upcoming_events(partnership, result):
    """A few dated runs ahead of today for the public calendar (added once, not on every load)."""
    from django.utils import timezone

    now = timezone.now()
    titles = ["Multi-agency Child Protection", "Child Sexual Abuse Awareness", "Learning from Practice Reviews"]
    for i, title in enumerate(titles):
        course = Course.objects.get(partnership=partnership, title=title)
        if Event.objects.filter(partnership=partnership, course=course, starts_at__gt=now).exists():
            continue
        day = (now + datetime.timedelta(days=21 + 14 * i)).replace(hour=9, minute=30, second=0, microsecond=0)
        event = result.add(
            "training events",
            services.event_create(
                actor=None,
                partnership=partnership,
                course=course,
                starts_at=day,
                ends_at=day + datetime.timedelta(hours=3),
                capacity=20 if i else 2,
                venue="Durham County Hall, Room 2" if i != 1 else "",
                online_link="https://teams.example/dscp" if i == 1 else "",
            ),
        )
        if i == 0:
            # A full event: the third person is on the waiting list; the private provider pays the fee.
            for name, organisation in (
                ("Alex Rowe", "Primary school"),
                ("Sam Bell", "Private children's home"),
                ("Jo Hart", "Early Help Team"),
            ):
                result.add(
                    "training bookings",
                    services.booking_create(
                        partnership=partnership,
                        event=event,
                        name=name,
                        email=f"{name.lower().replace(' ', '.')}@learners.example",
                        organisation=organisation,
                    ),
                )


def _observations(partnership, result, catalogue):
    observer = (
        Person.objects.filter(partnership=partnership)
        .filter(Q(job_title__icontains="Safeguarding") | Q(name__startswith="Demo"))
        .order_by("name")
        .first()
    )
    if observer is None or TrainingObservation.objects.filter(partnership=partnership).exists():
        return
    plans = [
        (
            catalogue["programme"]["year"][0],
            datetime.date(2024, 6, 12),
            False,
            Judgement.GOOD,
            Judgement.OUTSTANDING,
            Judgement.GOOD,
            "Clear links to local practice reviews.",
        ),
        (
            catalogue["safeguarding_week"]["year"][0],
            datetime.date(2024, 10, 14),
            False,
            Judgement.OUTSTANDING,
            Judgement.OUTSTANDING,
            Judgement.OUTSTANDING,
            "Bitesize format worked well over lunch.",
        ),
        (
            catalogue["elearning"]["year"][4],
            datetime.date(2025, 1, 22),
            True,
            Judgement.GOOD,
            Judgement.GOOD,
            Judgement.REQUIRES_IMPROVEMENT,
            "Single-agency course repeats the partnership's Prevent eLearning; agreed to signpost instead.",
        ),
    ]
    for course, day, single, content, delivery, messages, notes in plans:
        result.add(
            "training observations",
            services.observation_create(
                actor=None,
                partnership=partnership,
                course=course,
                observer=observer,
                observed_on=day,
                single_agency=single,
                content=content,
                delivery=delivery,
                multi_agency_messages=messages,
                duplicates_other_training=single,
                notes=notes,
            ),
        )
