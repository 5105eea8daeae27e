"""Data blocks for the annual report: the self-assessment, the assurance week and restraint."""

from __future__ import annotations

from jigsaw.core.figures import Block, Table, block
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access

from . import queries
from .models import Answer, AssuranceWeek, ObservedMeeting, RestraintIncident, Return, Round


@block("assurance.self_assessment", title="Self-assessment RAG rating")
def self_assessment(partnership, year: FinancialYear) -> Block:
    """The organisational safeguarding assessment round that ended in the year: return rate and
    the partnership's % green per section, highest first."""
    access = Access.for_report(partnership)
    round = (
        Round.objects.restrict(access).filter(period_end__range=(year.start, year.end)).order_by("-period_end").first()
    )
    if round is None:
        return Block(
            table=Table(columns=["Section", "Overall partnership self-assessment rating of 'green' (%)"], rows=[]),
            summary="No self-assessment round ended in the year.",
        )
    rate = queries.return_rate(Return.objects.restrict(access).filter(round=round))
    sections = queries.green_by_section(Answer.objects.restrict(access).filter(assessment_return__round=round))
    services = Return.objects.restrict(access).filter(round=round).values("agency", "service").distinct().count()
    return Block(
        table=Table(
            columns=["Section", "Overall partnership self-assessment rating of 'green' (%)"],
            rows=[[s.title, s.green_pct] for s in sections],
            numeric=[False, True],
        ),
        figures={
            "assurance.self_assessment.green_pct_by_section": {s.title: s.green_pct for s in sections},
            "assurance.self_assessment.return_rate_pct": rate.pct,
            "assurance.self_assessment.invited": rate.invited,
            "assurance.self_assessment.returned": rate.returned,
            "assurance.self_assessment.services": services,
        },
        summary=f"The self-assessment tool was provided to {services} services and a total of {rate.invited} participants, with an overall return rate of {rate.pct}%.",
    )


@block("assurance.assurance_week", title="Multi-agency meeting assurance week")
def assurance_week(partnership, year: FinancialYear) -> Block:
    """Meetings identified, consent declined, moved and observed, by type, for the year's weeks."""
    access = Access.for_report(partnership)
    weeks = AssuranceWeek.objects.restrict(access).filter(starts_on__range=(year.start, year.end))
    meetings = ObservedMeeting.objects.restrict(access).filter(week__in=weeks)
    rows = queries.week_by_type(meetings)
    totals = [sum(getattr(r, name) for r in rows) for name in ("identified", "declined", "moved", "observed")]
    return Block(
        table=Table(
            columns=["Meeting", "Identified", "Consent declined", "Moved outside the week", "Observed"],
            rows=[[r.label, r.identified, r.declined, r.moved, r.observed] for r in rows],
            footer=["Total", *totals] if rows else None,
        ),
        figures={
            "assurance.assurance_week.by_type": {
                r.meeting_type: {
                    "identified": r.identified,
                    "declined": r.declined,
                    "moved": r.moved,
                    "observed": r.observed,
                }
                for r in rows
            },
            "assurance.assurance_week.identified": totals[0],
            "assurance.assurance_week.observed": totals[3],
            "assurance.assurance_week.observers": queries.week_observers(meetings),
        },
        summary=f"{totals[0]} multi-agency meetings were identified; {totals[3]} were observed."
        if rows
        else "No assurance week was held in the year.",
    )


@block("assurance.restraint", title="Use of restraint")
def restraint(partnership, year: FinancialYear) -> Block:
    """Restraint incidents recorded in the year by injury level (0 none to 3 hospital)."""
    summary = queries.restraint_summary(
        RestraintIncident.objects.restrict(Access.for_report(partnership)).filter(
            occurred_on__range=(year.start, year.end)
        )
    )
    return Block(
        table=Table(
            columns=["Injury level", "Incidents"],
            rows=[list(row) for row in summary.rows()],
            footer=["Total", summary.incidents],
        ),
        figures={
            "assurance.restraint.incidents": summary.incidents,
            "assurance.restraint.no_injury_pct": summary.no_injury_pct,
            "assurance.restraint.by_injury_level": {str(level): count for level, count in summary.by_level.items()},
            "assurance.restraint.level1_pct_of_injuries": summary.level1_pct_of_injuries,
        },
        summary=(
            f"Of the {summary.incidents} incidents of restraint recorded for the year, {summary.no_injury_pct}% ({summary.no_injury}) caused no injury at all, "
            f"whilst {summary.injury_pct}% ({summary.injuries}) resulted in injury; {summary.level1_pct_of_injuries}% of injuries were at level 1."
            if summary.incidents
            else "No restraint incidents were recorded in the year."
        ),
    )
