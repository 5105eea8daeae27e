"""The training section of the annual report, as data blocks computed from the records.

Each block is a fixed number of aggregate queries, whatever the number of completions.
Percentage changes are whole percentages rounded down, as the report writes them
(12,956 to 17,954 is 'an increase of 38%').
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Sum

from jigsaw.core.charts import Chart, bar_chart, change_sentence
from jigsaw.core.figures import Block, Table, block
from jigsaw.core.scoping import Access

from .models import (
    MODE_ORDER,
    Attendance,
    Booking,
    BookingStatus,
    Completion,
    Course,
    DeliveryMode,
    Evaluation,
    ImpactAnswer,
    ImpactFollowUp,
    OrganisationCategory,
)


def change_percent(now: int, before: int) -> int | None:
    if not before:
        return None
    return math.floor((now - before) * 100 / before)


def _places(value, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _completions(partnership):
    return Completion.objects.restrict(Access.for_report(partnership))


def _in(year) -> Q:
    return Q(completed_on__gte=year.start, completed_on__lte=year.end)


@block("training.completions.total", title="Course completions")
def completions_total(partnership, year) -> Block:
    """All course completions in the year and the year before, across every training option."""
    previous = year.previous()
    counts = _completions(partnership).aggregate(
        now=Count("pk", filter=_in(year)), before=Count("pk", filter=_in(previous))
    )
    change = change_percent(counts["now"], counts["before"])
    table = Table(
        columns=["Year", "Course completions"],
        rows=[[previous.title, counts["before"]], [year.title, counts["now"]]],
        numeric=[False, True],
    )
    return Block(
        table=table,
        figures={
            "training.completions.total": counts["now"],
            "training.completions.total_previous": counts["before"],
            "training.completions.total_change_percent": change,
        },
        summary=f"{counts['now']:,} courses completed in {year.title} compared to {counts['before']:,} in {previous.title}.",
    )


def mode_counts(partnership, year) -> dict[str, tuple[int, int]]:
    """Completions per delivery mode: {mode: (this year, previous year)}, one query."""
    previous = year.previous()
    rows = (
        _completions(partnership)
        .filter(completed_on__gte=previous.start, completed_on__lte=year.end)
        .values("course__mode")
        .annotate(now=Count("pk", filter=_in(year)), before=Count("pk", filter=_in(previous)))
    )
    found = {row["course__mode"]: (row["now"], row["before"]) for row in rows}
    return {mode: found.get(mode, (0, 0)) for mode in MODE_ORDER}


@block("training.completions.by_mode", title="Overview of course completions")
def completions_by_mode(partnership, year) -> Block:
    """Completions by delivery mode, with the previous year and the change."""
    previous = year.previous()
    counts = mode_counts(partnership, year)
    rows, figures, chart_rows = [], {}, []
    for mode in MODE_ORDER:
        now, before = counts[mode]
        change = change_percent(now, before)
        label = DeliveryMode(mode).label
        rows.append([label, before, now, f"{change}%" if change is not None else "New"])
        figures[mode] = {"year": now, "previous": before, "change_percent": change}
        chart_rows += [
            {"Mode": label, "Year": previous.title, "Completions": before},
            {"Mode": label, "Year": year.title, "Completions": now},
        ]
    total_now, total_before = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
    table = Table(
        columns=["Training option", previous.title, year.title, "Change"],
        rows=rows,
        numeric=[False, True, True, True],
        footer=[
            "Total",
            total_before,
            total_now,
            f"{change_percent(total_now, total_before)}%" if total_before else "",
        ],
    )
    elearning = figures["elearning"]
    labels = {mode: DeliveryMode(mode).label for mode in MODE_ORDER}
    summary = change_sentence(
        "Me-Learning course completions", elearning["previous"], previous.title, elearning["year"], year.title
    )
    return Block(
        table=table,
        figures={
            "training.completions.by_mode": {labels[m]: figures[m]["year"] for m in MODE_ORDER},
            "training.completions.by_mode_previous": {labels[m]: figures[m]["previous"] for m in MODE_ORDER},
            "training.completions.by_mode_change_percent": {
                labels[m]: figures[m]["change_percent"] for m in MODE_ORDER
            },
            "training.completions.total": total_now,
        },
        chart=bar_chart(
            chart_rows,
            value="Completions",
            category="Mode",
            colour="Year",
            title="Course completions by training option",
            order=[DeliveryMode(m).label for m in MODE_ORDER],
        ),
        summary=summary,
    )


@block("training.completions.by_category", title="Course completions by agency")
def completions_by_category(partnership, year) -> Block:
    """Completions across every training option by the learner's organisation category."""
    categories = list(
        OrganisationCategory.objects.restrict(Access.for_report(partnership)).order_by("name").values_list("pk", "name")
    )
    counts = dict(
        _completions(partnership)
        .filter(_in(year))
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    rows = [[name, counts.get(pk, 0)] for pk, name in categories]
    total = sum(counts.values())
    return Block(
        table=Table(columns=["Organisation Name", "Total"], rows=rows, numeric=[False, True], footer=["Total", total]),
        figures={
            "training.completions.by_category": {name: n for name, n in rows},
            "training.completions.by_category_total": total,
        },
        chart=bar_chart(
            [{"Organisation": name, "Completions": n} for name, n in rows],
            value="Completions",
            category="Organisation",
            title="Course completions by organisation category",
        ),
        summary=f"{total:,} course completions in {year.title} across {sum(1 for _, n in rows if n)} organisation categories.",
    )


@block("training.completions.by_course", title="Course completions by course")
def completions_by_course(partnership, year) -> Block:
    rows = list(
        _completions(partnership)
        .filter(_in(year))
        .values("course__title", "course__mode")
        .annotate(n=Count("pk"))
        .order_by("-n", "course__title")
    )
    table_rows = [[row["course__title"], DeliveryMode(row["course__mode"]).label, row["n"]] for row in rows]
    return Block(
        table=Table(
            columns=["Course", "Training option", "Completions"], rows=table_rows, numeric=[False, False, True]
        ),
        figures={"training.completions.by_course": {row["course__title"]: row["n"] for row in rows}},
        summary=f"{len(rows)} courses were completed at least once in {year.title}.",
    )


def _evaluations(partnership, year):
    return Evaluation.objects.restrict(Access.for_report(partnership)).filter(
        submitted_on__gte=year.start, submitted_on__lte=year.end
    )


@block(
    "training.evaluations.content_rating_by_mode",
    title="Post course evaluation: course content average rating out of 5",
)
def content_rating_by_mode(partnership, year) -> Block:
    """Average course-content rating per training option; the overall figure is the mean of
    the five options' averages (as the report computes its 4.79), not of every evaluation."""
    found = {
        row["course__mode"]: row
        for row in _evaluations(partnership, year)
        .values("course__mode")
        .annotate(n=Count("pk"), rating=Avg("content_rating"))
    }
    rows, averages = [], {}
    for mode in MODE_ORDER:
        row = found.get(mode)
        average = _places(row["rating"], 2) if row else None
        averages[mode] = average
        rows.append([DeliveryMode(mode).label, row["n"] if row else 0, average])
    rated = [a for a in averages.values() if a is not None]
    overall = _places(sum(rated) / len(rated), 2) if rated else None
    working = " + ".join(str(a) for a in rated)
    summary = (
        f"Overall average across all training is {overall} out of 5: the mean of the {len(rated)} training options' averages, ({working}) ÷ {len(rated)}."
        if rated
        else "No evaluations yet."
    )
    return Block(
        table=Table(
            columns=["Training option", "Evaluations", "Average rating out of 5"],
            rows=rows,
            numeric=[False, True, True],
            footer=[f"Overall (mean of the {len(rated)} options)", sum(r[1] for r in rows), overall] if rated else None,
        ),
        figures={
            "training.evaluations.content_rating_by_mode": {
                DeliveryMode(mode).label: float(a) if a is not None else None for mode, a in averages.items()
            },
            "training.evaluations.content_rating_overall": float(overall) if overall is not None else None,
        },
        chart=bar_chart(
            [{"Training option": r[0], "Average rating": float(r[2])} for r in rows if r[2] is not None],
            value="Average rating",
            category="Training option",
            title="Average course content rating out of 5",
            order=[DeliveryMode(m).label for m in MODE_ORDER],
        ),
        summary=summary,
    )


@block(
    "training.evaluations.knowledge_by_mode",
    title="Level of knowledge on this subject prior and on completion of training",
)
def knowledge_by_mode(partnership, year) -> Block:
    """Average self-rated knowledge before and after, 1 being limited and 10 in depth."""
    found = {
        row["course__mode"]: row
        for row in _evaluations(partnership, year)
        .values("course__mode")
        .annotate(before=Avg("knowledge_before"), after=Avg("knowledge_after"))
    }
    rows, figures, chart_rows = [], {}, []
    for mode in MODE_ORDER:
        row = found.get(mode) or {"before": None, "after": None}
        before, after = _places(row["before"], 1), _places(row["after"], 1)
        label = DeliveryMode(mode).label
        rows.append([label, before, after])
        figures[mode] = {
            "before": float(before) if before is not None else None,
            "after": float(after) if after is not None else None,
        }
        if before is not None:
            chart_rows += [
                {"Training option": label, "When": "Before", "Knowledge": float(before)},
                {"Training option": label, "When": "After", "Knowledge": float(after)},
            ]
    return Block(
        table=Table(columns=["Training option", "Before", "After"], rows=rows, numeric=[False, True, True]),
        figures={"training.evaluations.knowledge_by_mode": figures},
        chart=bar_chart(
            chart_rows,
            value="Knowledge",
            category="Training option",
            colour="When",
            title="Knowledge before and after training (1 to 10)",
            order=[DeliveryMode(m).label for m in MODE_ORDER],
        ),
        summary="1 being limited knowledge and 10 being in depth knowledge; the average of every evaluation returned for each training option.",
    )


@block(
    "training.evaluations.impact",
    title="Do you think this training will have impact on your practice with children, young people, and families?",
)
def impact(partnership, year) -> Block:
    counts = dict(
        _evaluations(partnership, year).values_list("impact").annotate(n=Count("pk")).values_list("impact", "n")
    )
    total = sum(counts.values())
    rows = [
        [
            answer.label,
            counts.get(answer.value, 0),
            _places(counts.get(answer.value, 0) * 100 / total, 1) if total else None,
        ]
        for answer in ImpactAnswer
    ]
    return Block(
        table=Table(
            columns=["Answer", "Evaluations", "Percentage"],
            rows=rows,
            numeric=[False, True, True],
            footer=["Total", total, Decimal(100) if total else None],
        ),
        figures={"training.evaluations.impact": {answer.value: counts.get(answer.value, 0) for answer in ImpactAnswer}},
        chart=bar_chart(
            [{"Answer": r[0], "Evaluations": r[1]} for r in rows],
            value="Evaluations",
            category="Answer",
            title="Will this training have an impact on your practice?",
            order=[a.label for a in ImpactAnswer],
        ),
        summary=(
            f"{rows[0][2]}% of {total:,} people who evaluated their training said it will have an impact on their practice."
            if total
            else "No evaluations yet."
        ),
    )


@block("training.evaluations.return_rate_by_mode", title="Evaluation return rate by training option")
def return_rate_by_mode(partnership, year) -> Block:
    """Evaluations returned for the year's completions, per training option."""
    rows_found = {
        row["course__mode"]: row
        for row in _completions(partnership)
        .filter(_in(year))
        .values("course__mode")
        .annotate(n=Count("pk"), returned=Count("evaluation"))
    }
    rows, figures = [], {}
    for mode in MODE_ORDER:
        row = rows_found.get(mode) or {"n": 0, "returned": 0}
        rate = _places(row["returned"] * 100 / row["n"], 1) if row["n"] else None
        rows.append([DeliveryMode(mode).label, row["n"], row["returned"], rate])
        figures[mode] = float(rate) if rate is not None else None
    return Block(
        table=Table(
            columns=["Training option", "Completions", "Evaluations returned", "Return rate (%)"],
            rows=rows,
            numeric=[False, True, True, True],
        ),
        figures={"training.evaluations.return_rate_by_mode": figures},
        summary="The share of the year's completions with a post-course evaluation.",
    )


@block("training.follow_ups.response_rate", title="Impact follow-up at 3 and 6 months")
def follow_up_response_rate(partnership, year) -> Block:
    rows_found = {
        row["months"]: row
        for row in ImpactFollowUp.objects.restrict(Access.for_report(partnership))
        .filter(sent_on__gte=year.start, sent_on__lte=year.end)
        .values("months")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_on__isnull=False)))
    }
    rows, figures = [], {}
    for months in (3, 6):
        row = rows_found.get(months) or {"sent": 0, "answered": 0}
        rate = _places(row["answered"] * 100 / row["sent"], 1) if row["sent"] else None
        rows.append([f"{months} months", row["sent"], row["answered"], rate])
        figures[f"{months}_months"] = {
            "sent": row["sent"],
            "answered": row["answered"],
            "response_rate": float(rate) if rate is not None else None,
        }
    return Block(
        table=Table(
            columns=["Follow-up", "Sent", "Answered", "Response rate (%)"], rows=rows, numeric=[False, True, True, True]
        ),
        figures={"training.follow_ups.response_rate": figures},
        summary=ImpactFollowUp.QUESTION,
    )


@block("training.elearning.courses", title="Me-Learning courses offered")
def elearning_courses(partnership, year) -> Block:
    """eLearning courses offered at any time in the year (by the dates each course ran)."""
    previous = year.previous()

    def offered(y) -> Q:
        return Q(runs_from__lte=y.end) & (Q(runs_until__isnull=True) | Q(runs_until__gte=y.start))

    counts = (
        Course.objects.restrict(Access.for_report(partnership))
        .filter(mode=DeliveryMode.ELEARNING)
        .aggregate(now=Count("pk", filter=offered(year)), before=Count("pk", filter=offered(previous)))
    )
    return Block(
        table=Table(
            columns=["Year", "Me-Learning courses"],
            rows=[[previous.title, counts["before"]], [year.title, counts["now"]]],
            numeric=[False, True],
        ),
        figures={
            "training.elearning.courses": {
                "year": counts["now"],
                "previous": counts["before"],
                "added": counts["now"] - counts["before"],
            }
        },
        summary=change_sentence(
            "Me-Learning courses offered", counts["before"], previous.title, counts["now"], year.title, unit="courses"
        ),
    )


@block("training.completions.by_theme", title="Course completions by learning theme")
def completions_by_theme(partnership, year) -> Block:
    """A course may carry several themes: a completion counts once under each of its course's themes."""
    rows = list(
        _completions(partnership)
        .filter(_in(year), course__themes__isnull=False)
        .values("course__themes__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "course__themes__name")
    )
    return Block(
        table=Table(
            columns=["Learning theme", "Completions"],
            rows=[[r["course__themes__name"], r["n"]] for r in rows],
            numeric=[False, True],
        ),
        figures={"training.completions.by_theme": {r["course__themes__name"]: r["n"] for r in rows}},
        summary="Completions of courses tagged with each learning theme.",
    )


def _bookings(partnership, year):
    return Booking.objects.restrict(Access.for_report(partnership)).filter(
        event__starts_at__date__gte=year.start, event__starts_at__date__lte=year.end
    )


@block("training.bookings.attendance", title="Attendance at training events by organisation category")
def attendance(partnership, year) -> Block:
    """Places booked, attended, not attended and cancelled late, per organisation category."""
    found = list(
        _bookings(partnership, year)
        .values("category__name")
        .annotate(
            booked=Count("pk", filter=Q(status=BookingStatus.BOOKED)),
            attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
            no_shows=Count("pk", filter=Q(attendance=Attendance.NO_SHOW)),
            late=Count("pk", filter=Q(late_cancellation=True)),
        )
        .order_by("category__name")
    )
    rows = []
    for row in found:
        marked = row["attended"] + row["no_shows"]
        rate = _places(row["attended"] * 100 / marked, 1) if marked else None
        rows.append(
            [
                row["category__name"] or "Not yet mapped",
                row["booked"],
                row["attended"],
                row["no_shows"],
                row["late"],
                rate,
            ]
        )
    totals = [sum(r[i] for r in rows) for i in range(1, 5)]
    marked = totals[1] + totals[2]
    overall = _places(totals[1] * 100 / marked, 1) if marked else None
    return Block(
        table=Table(
            columns=[
                "Organisation category",
                "Places",
                "Attended",
                "Did not attend",
                "Late cancellations",
                "Attendance rate (%)",
            ],
            rows=rows,
            numeric=[False, True, True, True, True, True],
            footer=["Total", *totals, overall],
        ),
        figures={
            "training.bookings.attendance": {
                "places": totals[0],
                "attended": totals[1],
                "no_shows": totals[2],
                "late_cancellations": totals[3],
                "attendance_rate": float(overall) if overall is not None else None,
            }
        },
        summary="Attendance rate: attended as a share of the places whose attendance the trainer marked.",
    )


@block("training.income", title="Training income")
def income(partnership, year) -> Block:
    """Registration fees from profit-making organisations and non-attendance charges, for the year's events."""
    totals = _bookings(partnership, year).aggregate(fees=Sum("registration_fee"), charges=Sum("non_attendance_charge"))
    fees, charges = totals["fees"] or 0, totals["charges"] or 0
    return Block(
        table=Table(
            columns=["Income", "£"],
            rows=[["Registration fees", fees], ["Non-attendance and late cancellation charges", charges]],
            numeric=[False, True],
            footer=["Total", fees + charges],
        ),
        figures={
            "training.income": {
                "registration_fees": float(fees),
                "non_attendance_charges": float(charges),
                "total": float(fees + charges),
            }
        },
        summary=f"£{fees + charges:,.2f} raised under the charging policy.",
    )


ANALYSIS_BLOCKS = [
    "training.completions.total",
    "training.completions.by_mode",
    "training.elearning.courses",
    "training.completions.by_category",
    "training.evaluations.content_rating_by_mode",
    "training.evaluations.knowledge_by_mode",
    "training.evaluations.impact",
    "training.evaluations.return_rate_by_mode",
    "training.follow_ups.response_rate",
    "training.completions.by_theme",
    "training.bookings.attendance",
    "training.income",
    "training.completions.by_course",
]


def chart_for(built: Block) -> Chart | None:
    if built.chart is None:
        return None
    return Chart(title=built.title, spec=built.chart, table=built.table, summary=built.summary)
