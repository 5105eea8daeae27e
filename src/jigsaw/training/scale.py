"""Generated workforce training for `jigsaw demo --scale`: a course catalogue, and each year's
safeguarding week and development day, events with their bookings, about 20,000 course
completions (at volume 1, fewer in earlier years as take-up grows), a post-course evaluation
for most of them and the 3- and 6-month impact follow-ups.

Completions are spread over the training options and organisation categories as the demo's
(Durham's) year is; evaluations are drawn around the demo's averages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from jigsaw.core import bulk, dates
from jigsaw.core.models import Agency, Sector, Theme
from jigsaw.core.scale import FULL_VOLUME_COMPLETIONS, LAST_YEAR, Context, agencies, generator, insert_rows, staff

from . import services
from .demo import (
    BESPOKE_2024,
    COMPLETIONS_BY_MODE,
    COMPLETIONS_BY_SECTOR,
    CONTENT,
    ELEARNING_2023,
    ELEARNING_2024,
    FIRST,
    IMPACT_ANSWERS,
    KNOWLEDGE,
    LAST,
    PROGRAMME_NEW,
    PROGRAMME_OLD,
    THEME_WORDS,
    WEEK_2024,
)
from .models import (
    MODE_ORDER,
    Attendance,
    Booking,
    BookingStatus,
    Completion,
    Course,
    DeliveryMode,
    Evaluation,
    Event,
    ImpactAnswer,
    ImpactFollowUp,
    Learner,
    OrganisationAlias,
    OrganisationCategory,
    learner_key,
)

CATALOGUE_FROM = datetime.date(2015, 4, 1)  # the standing catalogue predates every generated year
GROWTH = 0.85  # each earlier year had this share of the next year's completions
EVENT_MODES = [mode for mode in MODE_ORDER if mode != DeliveryMode.ELEARNING]
EVALUATED = {DeliveryMode.ELEARNING: 0.95}  # the platform asks at the end; events a little less often
EVENT_EVALUATED = 0.8


def _themes_for(title: str, themes: dict[str, Theme]) -> list[Theme]:
    return [
        themes[name]
        for name, words in THEME_WORDS.items()
        if name in themes and any(word.lower() in title.lower() for word in words)
    ]


def _course(
    ctx: Context,
    themes,
    title: str,
    mode: str,
    runs_from: datetime.date,
    runs_until: datetime.date | None = None,
    minutes: int = 60,
) -> tuple[Course, dict]:
    """A course and its themes, for _save_courses."""
    course = Course(
        partnership=ctx.partnership,
        title=title,
        mode=mode,
        provider="Partnership training",
        duration_minutes=minutes,
        runs_from=runs_from,
        runs_until=runs_until,
    )
    return course, {"themes": _themes_for(title, themes)}


def _save_courses(ctx: Context, courses: list[tuple[Course, dict]]) -> None:
    ctx.add("training courses", len(bulk.create([c for c, _ in courses], many=[m for _, m in courses])))


@generator(once=True)
def catalogue(ctx: Context) -> None:
    """Organisation categories, a name learners type for each agency, and the standing courses."""
    services.organisation_categories_ensure(actor=None, partnership=ctx.partnership)
    categories = {
        category.sector: category for category in OrganisationCategory._base_manager.filter(partnership=ctx.partnership)
    }
    typed = set(OrganisationAlias._base_manager.filter(partnership=ctx.partnership).values_list("name", flat=True))
    aliases = [
        OrganisationAlias(
            partnership=ctx.partnership, name=agency.name, category=categories[agency.sector], agency=agency
        )
        for agency in sorted(agencies(ctx.partnership).values(), key=lambda a: a.name)
        if agency.name not in typed
    ]
    ctx.add("organisation aliases", len(bulk.create(aliases)))
    themes = {theme.name: theme for theme in Theme._base_manager.filter(partnership=ctx.partnership)}
    have = set(Course._base_manager.filter(partnership=ctx.partnership).values_list("title", flat=True))
    _save_courses(
        ctx,
        [
            _course(ctx, themes, title, mode, CATALOGUE_FROM, minutes=minutes)
            for titles, mode, minutes in (
                (ELEARNING_2023, DeliveryMode.ELEARNING, 45),
                (PROGRAMME_OLD + PROGRAMME_NEW, DeliveryMode.PROGRAMME, 180),
                (BESPOKE_2024, DeliveryMode.BESPOKE, 120),
            )
            for title in titles
            if title not in have
        ],
    )


def _week_start(year) -> datetime.date:
    day = datetime.date(year.start_year, 10, 14)
    return day - datetime.timedelta(days=day.weekday())


@generator
def courses_and_events(ctx: Context) -> None:
    """The year's new eLearning modules, its safeguarding week and development day, and dated
    runs of every course taught in a room or online."""
    if Event._base_manager.filter(
        partnership=ctx.partnership, starts_at__date__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    themes = {theme.name: theme for theme in Theme._base_manager.filter(partnership=ctx.partnership)}
    offset = ctx.year.start_year - 2020
    new = [
        _course(ctx, themes, title, DeliveryMode.ELEARNING, ctx.year.start + datetime.timedelta(days=150), minutes=45)
        for title in (ELEARNING_2024[3 * offset : 3 * offset + 3] if offset >= 0 else [])
    ]
    week = _week_start(ctx.year)
    programme = services.programme_create(
        actor=None,
        partnership=ctx.partnership,
        name=f"Safeguarding Week {ctx.year.start_year}",
        starts_on=week,
        ends_on=week + datetime.timedelta(days=4),
    )
    # A week has its eight topics however large the partnership (fewer only in a smaller one).
    for topic in ctx.random.sample(WEEK_2024, min(8, ctx.scaled(8, floor=2))):
        new.append(
            _course(
                ctx,
                themes,
                f"Safeguarding Week {ctx.year.start_year}: {topic}",
                DeliveryMode.SAFEGUARDING_WEEK,
                week,
                week + datetime.timedelta(days=4),
            )
        )
    development_day = datetime.date(ctx.year.start_year, 11, 20)
    for topic in ("Hearing the child", "Learning from practice reviews", "Whole family working"):
        new.append(
            _course(
                ctx,
                themes,
                f"Development Day {ctx.year.start_year}: {topic}",
                DeliveryMode.DEVELOPMENT_DAY,
                development_day,
                development_day,
                minutes=50,
            )
        )
    _save_courses(ctx, new)
    trainers = staff(ctx.partnership)
    offered = Course._base_manager.filter(
        partnership=ctx.partnership, mode__in=EVENT_MODES, runs_from__lte=ctx.year.end
    ).order_by("title")
    events = []
    for course in offered:
        if course.runs_until and course.runs_until < ctx.year.start:
            continue
        first, last = max(course.runs_from, ctx.year.start), min(course.runs_until or ctx.year.end, ctx.year.end)
        # A week or development day session is run once for a big audience; a course a few times.
        once = course.mode in (DeliveryMode.SAFEGUARDING_WEEK, DeliveryMode.DEVELOPMENT_DAY)
        capacity = ctx.scaled(200 if once else 40, floor=20)
        for _ in range(1 if once else ctx.scaled(3, floor=1)):
            day = ctx.day(first, last)
            starts_at = datetime.datetime.combine(day, datetime.time(ctx.random.choice([9, 13, 16])), datetime.UTC)
            events.append(
                Event(
                    partnership=ctx.partnership,
                    course=course,
                    programme=programme if course.mode == DeliveryMode.SAFEGUARDING_WEEK else None,
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(minutes=course.duration_minutes or 60),
                    capacity=capacity,
                    venue="" if course.mode == DeliveryMode.SAFEGUARDING_WEEK else "Partnership training room",
                    online_link="https://teams.example/scale" if course.mode == DeliveryMode.SAFEGUARDING_WEEK else "",
                    trainer=ctx.random.choice(trainers),
                    is_published=False,
                )
            )
    ctx.add("training events", len(bulk.create(events)))
    if trainers:
        course = offered.first()
        services.observation_create(
            actor=None,
            partnership=ctx.partnership,
            course=course,
            observer=ctx.random.choice(trainers),
            observed_on=ctx.day(),
            content="good",
            delivery="good",
            multi_agency_messages="good",
            notes="Clear links to local practice reviews.",
        )
        ctx.add("training observations")


def _learner_pool(ctx: Context) -> list[tuple[str, str, Agency]]:
    """Everyone who may train, (name, email, agency): the same people every year (a learner's
    details depend only on the seed, the partnership and the volume), spread over the sectors
    as the demo's completions are."""
    drawn = ctx.random_for("learners")
    by_sector: dict[str, list[Agency]] = {}
    for agency in sorted(agencies(ctx.partnership).values(), key=lambda a: a.name):
        by_sector.setdefault(agency.sector, []).append(agency)
    sectors, weights = zip(*[(sector, count) for sector, count in COMPLETIONS_BY_SECTOR.items() if sector in by_sector])
    size = max(20, round(FULL_VOLUME_COMPLETIONS / 2.2 * ctx.plan.volume))
    pool = []
    for number, sector in enumerate(drawn.choices(sectors, weights=weights, k=size), start=1):
        first, last = drawn.choice(FIRST), drawn.choice(LAST)
        pool.append(
            (
                f"{first} {last}",
                f"{first}.{last}.{number}@learners.{ctx.domain}".lower(),
                drawn.choice(by_sector[sector]),
            )
        )
    return pool


def _learners(ctx: Context, chosen: list[tuple[str, str, Agency]], categories) -> dict[str, int]:
    """The ids of the year's learners, by email; those not held yet are added."""
    chosen = list({learner[1]: learner for learner in chosen}.values())
    keys = {email: learner_key(ctx.partnership.pk, email) for _, email, _ in chosen}
    held = set(
        Learner._base_manager.filter(partnership=ctx.partnership, key__in=list(keys.values())).values_list(
            "key", flat=True
        )
    )
    new = [
        (ctx.partnership.pk, keys[email], name, email, agency.name, categories[agency.sector].pk, agency.pk)
        for name, email, agency in chosen
        if keys[email] not in held
    ]
    ctx.add(
        "learners",
        insert_rows(Learner, ["partnership", "key", "name", "email", "organisation", "category", "agency"], new),
    )
    ids = dict(
        Learner._base_manager.filter(partnership=ctx.partnership, key__in=list(keys.values())).values_list("key", "pk")
    )
    return {email: ids[key] for email, key in keys.items()}


def _rating(ctx: Context, mean: float, lo: int, hi: int, spread: float) -> int:
    return min(hi, max(lo, round(ctx.random.gauss(mean, spread))))


ELEARNING = DeliveryMode.ELEARNING.value
IMPACT, IMPACT_CUMULATIVE = ImpactAnswer.values, [93, 94, 100]  # yes 93%, no 1%, not sure 6%


@generator
def completions(ctx: Context) -> None:
    """The year's completions with their evaluations, bookings and impact follow-ups.

    The loops below draw hundreds of thousands of values in a large year, so they work on plain
    ids, dates and tuples rather than model instances."""
    first_day, last_day = ctx.year.start, ctx.year.end
    if Completion._base_manager.filter(partnership=ctx.partnership, completed_on__range=(first_day, last_day)).exists():
        return
    draw = ctx.random
    categories = {
        category.sector: category for category in OrganisationCategory._base_manager.filter(partnership=ctx.partnership)
    }
    # eLearning modules offered in the year: (course id, first day it could be done, days it was open).
    elearning = [
        (course.pk, max(first_day, course.runs_from), (last_day - max(first_day, course.runs_from)).days + 1)
        for course in Course._base_manager.filter(partnership=ctx.partnership, mode=ELEARNING).order_by("title")
        if course.runs_from <= last_day and (course.runs_until is None or course.runs_until >= first_day)
    ]
    events: dict[str, list[Event]] = {mode: [] for mode in EVENT_MODES}
    for event in (
        Event._base_manager.filter(partnership=ctx.partnership, starts_at__date__range=(first_day, last_day))
        .select_related("course")
        .order_by("starts_at", "pk")
    ):
        events[event.course.mode].append(event)
    pool = _learner_pool(ctx)
    total = ctx.scaled(FULL_VOLUME_COMPLETIONS * GROWTH ** (LAST_YEAR.start_year - ctx.year.start_year), floor=20)
    modes = draw.choices(MODE_ORDER, weights=[COMPLETIONS_BY_MODE[mode] for mode in MODE_ORDER], k=total)

    # Who completed what, when: (learner, mode, course id, event, day). An eLearning module on any
    # day it was open, or an event on its day.
    rows, seen = [], set()
    for mode in modes:
        if mode != ELEARNING and not events[mode]:
            mode = ELEARNING
        for _ in range(10):  # a learner completes a course at most once a day (the model's rule)
            learner = draw.choice(pool)
            if mode == ELEARNING:
                course_id, opens, days = draw.choice(elearning)
                event, day = None, opens + datetime.timedelta(days=draw.randrange(days))
            else:
                event = draw.choice(events[mode])
                course_id, day = event.course_id, event.starts_at.date()
            if (learner[1], course_id, day) not in seen:
                seen.add((learner[1], course_id, day))
                rows.append((learner, mode, course_id, event, day))
                break
    learner_ids = _learners(ctx, [row[0] for row in rows], categories)
    # Plain rows, as the completions import writes them in bulk: tens of thousands a year.
    # Not individually audited.
    ctx.add(
        "training completions",
        insert_rows(
            Completion,
            ["partnership", "learner", "course", "completed_on", "category", "event"],
            [
                (
                    ctx.partnership.pk,
                    learner_ids[learner[1]],
                    course_id,
                    day,
                    categories[learner[2].sector].pk,
                    event.pk if event else None,
                )
                for learner, _, course_id, event, day in rows
            ],
        ),
    )
    completion_ids = {
        (learner, course, day): pk
        for pk, learner, course, day in Completion._base_manager.filter(
            partnership=ctx.partnership, completed_on__range=(first_day, last_day)
        ).values_list("pk", "learner_id", "course_id", "completed_on")
    }

    evaluations, follow_ups, bookings = [], [], []
    for learner, mode, course_id, event, day in rows:
        completion_id = completion_ids[(learner_ids[learner[1]], course_id, day)]
        if draw.random() < EVALUATED.get(mode, EVENT_EVALUATED):
            before, after = KNOWLEDGE[mode]
            evaluations.append(
                (
                    ctx.partnership.pk,
                    course_id,
                    completion_id,
                    event.pk if event else None,
                    day,
                    _rating(ctx, CONTENT[mode], 1, 5, 0.5),
                    _rating(ctx, before, 1, 10, 1.6),
                    _rating(ctx, after, 1, 10, 1.0),
                    draw.choices(IMPACT, cum_weights=IMPACT_CUMULATIVE)[0],
                    "",
                )
            )
        if event is not None:
            bookings.append(_booking(ctx, event, learner, categories, Attendance.ATTENDED))
            for months, answered in ((3, 0.31), (6, 0.22)):
                if draw.random() < 0.2:
                    sent_on = dates.add_months(day, months)
                    is_answered = draw.random() < answered
                    follow_ups.append(
                        ImpactFollowUp(
                            partnership=ctx.partnership,
                            completion_id=completion_id,
                            months=months,
                            sent_on=sent_on,
                            answer=draw.choice(IMPACT_ANSWERS) if is_answered else "",
                            answered_on=sent_on + datetime.timedelta(days=draw.randrange(1, 20))
                            if is_answered
                            else None,
                        )
                    )
    # Places booked and not taken up: no-shows and late cancellations pay the charge.
    for mode in EVENT_MODES:
        for event in events[mode]:
            for _ in range(draw.randrange(0, 3)):
                bookings.append(
                    _booking(ctx, event, draw.choice(pool), categories, draw.choice([Attendance.NO_SHOW, None]))
                )
    ctx.add(
        "training evaluations",
        insert_rows(
            Evaluation,
            [
                "partnership",
                "course",
                "completion",
                "event",
                "submitted_on",
                "content_rating",
                "knowledge_before",
                "knowledge_after",
                "impact",
                "comments",
            ],
            evaluations,
        ),
    )
    # Bookings and follow-ups carry a secret code each (the model's default): through the ORM.
    ctx.add("training follow-ups", len(ImpactFollowUp.objects.bulk_create(follow_ups, batch_size=2000)))
    ctx.add("training bookings", len(Booking.objects.bulk_create(bookings, batch_size=2000)))


def _booking(ctx: Context, event: Event, learner, categories, attendance: str | None) -> Booking:
    """A booking: attended, not attended, or (attendance None) cancelled late."""
    name, email, agency = learner
    category = categories[agency.sector]
    booking = Booking(
        partnership=ctx.partnership,
        event=event,
        name=name,
        email=email,
        organisation=agency.name,
        category=category,
        agency=agency,
        registration_fee=Decimal(30) if agency.sector == Sector.PRIVATE else Decimal(0),
    )
    if attendance is None:
        booking.status, booking.late_cancellation, booking.cancelled_at = (
            BookingStatus.CANCELLED,
            True,
            event.starts_at - datetime.timedelta(days=2),
        )
        booking.non_attendance_charge = Decimal(50)
    else:
        booking.attendance = attendance
        booking.non_attendance_charge = Decimal(50) if attendance == Attendance.NO_SHOW else Decimal(0)
    return booking
