"""The annual report's counts of learning from reviews and of the learning cycles, by year."""

from __future__ import annotations

from django.db.models import Count, Q

from jigsaw.core.figures import Block, Table, block
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access

from .models import CaseReview, LearningCycle, LearningRoute


def _in(field: str, year: FinancialYear) -> Q:
    return Q(**{f"{field}__gte": year.start, f"{field}__lte": year.end})


@block("learning.reviews", title="Learning from reviews")
def reviews(partnership, year: FinancialYear) -> Block:
    """Referrals received (by the date the local authority became aware), notifications,
    rapid reviews, practice reviews commissioned, and where each referral's learning went."""
    base = CaseReview.objects.restrict(Access.for_report(partnership))
    totals = base.aggregate(
        referrals=Count("pk", filter=_in("aware_on", year)),
        notifications=Count("pk", filter=_in("notified_on", year)),
        rapid_reviews=Count("pk", filter=_in("rapid_review_completed_on", year)),
        practice_reviews=Count("pk", filter=_in("practice_review_commissioned_on", year)),
        practice_reviews_published=Count("pk", filter=_in("practice_review_published_on", year)),
        care_leaver_deaths=Count("pk", filter=_in("notified_on", year) & Q(care_leaver=True, incident="death")),
        not_progressed=Count(
            "pk",
            filter=_in("aware_on", year)
            & Q(meets_criteria=False)
            & ~Q(learning_route=LearningRoute.LEARNING_FROM_PRACTICE),
        ),
    )
    routes = {value: {"not_notified": 0, "notified": 0} for value in LearningRoute.values}
    rows = (
        base.filter(_in("aware_on", year))
        .exclude(learning_route="")
        .values("learning_route", "meets_criteria")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        routes[row["learning_route"]]["notified" if row["meets_criteria"] else "not_notified"] += row["n"]
    by_route = {value: counts["not_notified"] + counts["notified"] for value, counts in routes.items()}
    labels = dict(LearningRoute.choices)
    table_rows = [
        ["Referrals received", totals["referrals"]],
        ["Serious incident notifications", totals["notifications"]],
        ["  of which deaths of care leavers", totals["care_leaver_deaths"]],
        ["Rapid reviews", totals["rapid_reviews"]],
        ["Local child safeguarding practice reviews commissioned", totals["practice_reviews"]],
        *[[f"Learning route: {labels[value]}", count] for value, count in by_route.items()],
    ]
    figures = {f"learning.reviews.{name}": value for name, value in totals.items()}
    figures["learning.reviews.by_route"] = by_route
    figures["learning.reviews.by_route_not_notified"] = {
        value: counts["not_notified"] for value, counts in routes.items()
    }
    figures["learning.reviews.by_route_after_notification"] = {
        value: counts["notified"] for value, counts in routes.items()
    }
    summary = (
        f"{totals['referrals']} referrals for learning; serious incident notifications were made for {totals['notifications']} "
        f"children or young people ({totals['care_leaver_deaths']} deaths of care leavers); {totals['rapid_reviews']} rapid reviews; "
        f"{totals['practice_reviews']} local child safeguarding practice reviews commissioned."
    )
    return Block(
        table=Table(columns=["Learning from reviews", str(year.title)], rows=table_rows),
        figures=figures,
        summary=summary,
    )


@block("learning.cycles", title="Learning cycles")
def cycles(partnership, year: FinancialYear) -> Block:
    """The learning cycles worked on in the year (their period overlaps it, or their phase 6
    assurance fell in it), with their findings and the voices heard."""
    active = (
        LearningCycle.objects.restrict(Access.for_report(partnership))
        .filter(Q(starts_on__lte=year.end, ends_on__gte=year.start) | _in("assured_on", year))
        .select_related("priority")
        .annotate(voice_count=Count("voices"))
        .order_by("priority__number", "starts_on")
    )
    rows, with_findings, with_voices, voices, assured = [], 0, 0, 0, 0
    for cycle in active:
        has_findings = bool(cycle.key_findings.strip())
        with_findings += has_findings
        with_voices += cycle.voice_count > 0
        voices += cycle.voice_count
        assured_in_year = cycle.assured_on is not None and cycle.assured_on in year
        assured += assured_in_year
        rows.append(
            [
                str(cycle.priority),
                cycle.title,
                f"{cycle.starts_on:%B %Y} to {cycle.ends_on:%B %Y}",
                cycle.phase,
                "Yes" if has_findings else "No",
                cycle.voice_count,
            ]
        )
    figures = {
        "learning.cycles.active": len(rows),
        "learning.cycles.with_findings": with_findings,
        "learning.cycles.with_voices": with_voices,
        "learning.cycles.voices": voices,
        "learning.cycles.phase6_assured": assured,
    }
    summary = (
        f"{len(rows)} learning cycles worked on; {with_findings} reported key findings, {with_voices} heard the voices of children, "
        f"young people or families ({voices} voices); {assured} completed phase 6 assurance."
    )
    table = Table(
        columns=["Priority", "Learning cycle", "Period", "Phase", "Key findings", "Voices"],
        rows=rows,
        numeric=[False, False, False, True, False, True],
    )
    return Block(table=table, figures=figures, summary=summary)
