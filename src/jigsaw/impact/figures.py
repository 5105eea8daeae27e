"""The evidence matrix and the managers' assurance of training, as report blocks: the annual
report (HTML, PDF, Word) and figures.json carry them as they carry every other table."""

from __future__ import annotations

from collections import Counter

from jigsaw.assurance.queries import percent
from jigsaw.core.figures import Block, Table, block
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access

from . import queries
from .strength import Strength


@block("impact.evidence_chain", title="The evidence chain: what difference it made")
def evidence_chain(partnership, year: FinancialYear) -> Block:
    """Each outcome of each priority of the year's business plan, rated by the strength of its
    evidence (none / activity only / outcome measured / outcome improving), with what the
    evidence shows and the gaps the executive can challenge."""
    report = Access.for_report(partnership)
    chains = [queries.chain(priority, year) for priority in queries.plan_priorities(report, year)]
    rows = []
    for chain in chains:
        if not chain.outcomes:
            rows.append(
                [
                    str(chain.priority),
                    "No outcomes in the framework",
                    Strength.NONE.label,
                    "",
                    "No framework outcome to rate.",
                ]
            )
        for rated in chain.outcomes:
            rows.append(
                [
                    str(chain.priority),
                    rated.outcome.short_term,
                    rated.strength.label,
                    " ".join(finding for signal in rated.signals for finding in signal.findings),
                    " ".join(rated.rating.gaps),
                ]
            )
    counts = Counter(rated.strength.value for chain in chains for rated in chain.outcomes)
    by_strength = {strength.label: counts.get(strength.value, 0) for strength in Strength}
    figures = {
        "impact.evidence_chain.by_priority": {str(chain.priority): chain.strength.label for chain in chains},
        "impact.evidence_chain.outcomes_by_strength": by_strength,
        "impact.evidence_chain.outcomes": sum(counts.values()),
        "impact.evidence_chain.gaps": sum(len(chain.gaps) for chain in chains),
    }
    summary = (
        f"{sum(counts.values())} outcomes across {len(chains)} priorities: "
        + ", ".join(f"{n} {label.lower()}" for label, n in by_strength.items())
        + "."
        if chains
        else "No business plan runs in the year."
    )
    return Block(
        table=Table(
            columns=["Priority", "Outcome", "Strength of evidence", "What the evidence shows", "Gaps"],
            rows=rows,
            numeric=[False] * 5,
        ),
        figures=figures,
        summary=summary,
    )


@block("impact.manager_assurance", title="Managers' assurance of training impact")
def manager_assurance(partnership, year: FinancialYear) -> Block:
    """Three months after training, line managers asked whether practice changed: asked,
    answered, response rate and practice changed, per course and agency."""
    rows = queries.manager_answers(year, partnership)
    asked = sum(r.counts.asked for r in rows)
    answered = sum(r.counts.answered for r in rows)
    changed = sum(r.counts.changed for r in rows)
    rate = percent(answered, asked)
    return Block(
        table=Table(
            columns=["Course", "Agency", "Managers asked", "Answered", "Response rate (%)", "Practice changed"],
            rows=[
                [r.course, r.agency, r.counts.asked, r.counts.answered, r.counts.response_pct, r.counts.changed]
                for r in rows
            ],
            numeric=[False, False, True, True, True, True],
            footer=["Total", "", asked, answered, rate, changed] if rows else None,
        ),
        figures={
            "impact.manager_assurance.asked": asked,
            "impact.manager_assurance.answered": answered,
            "impact.manager_assurance.response_rate": rate,
            "impact.manager_assurance.practice_changed": changed,
        },
        summary=(
            f"{asked} line managers were asked whether practice changed three months after training; {answered} answered ({rate}%), "
            f"and {changed} said it had."
            if asked
            else "No line manager was asked in the year."
        ),
    )
