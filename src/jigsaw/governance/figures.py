"""Governance data blocks for the annual report: the budget, attendance, the structure and
information sharing. Each reads through the same queries as the pages, in a fixed number of
queries whatever the number of records."""

from __future__ import annotations

from jigsaw.core.figures import Block, Table, block
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access

from . import queries
from .models import GroupKind


@block("governance.budget", title="Partnership budget")
def budget(partnership, year: FinancialYear) -> Block:
    """Partners' financial contributions for the year (the report's budget appendix), other income and the total."""
    data = queries.budget(Access.for_report(partnership), year)
    rows = [[row["agency"], queries.whole(row["amount"])] for row in data.contributions]
    total = queries.whole(data.total)
    other = queries.whole(data.income_total)
    summary = f"Partners contributed £{total:,} in {year.title}."
    if data.change is not None:
        summary += f" That is £{abs(queries.whole(data.change)):,} {'more' if data.change >= 0 else 'less'} than in {year.previous().title}."
    if data.income:
        forecast = " (forecast)" if any(line.is_forecast for line in data.income) else ""
        summary += f" Other income{forecast}: £{other:,}."
    return Block(
        table=Table(columns=["Partner", "Contribution (£)"], rows=rows, numeric=[False, True], footer=["Total", total]),
        figures={
            "governance.budget.total": total,
            "governance.budget.by_agency": {row["agency"]: queries.whole(row["amount"]) for row in data.contributions},
            "governance.budget.previous_total": queries.whole(data.previous_total),
            "governance.budget.change": queries.whole(data.change),
            "governance.budget.other_income": other,
            "governance.budget.notes": {row["agency"]: row["note"] for row in data.contributions if row["note"]},
        },
        summary=summary,
    )


@block("governance.attendance.by_group", title="Attendance at partnership meetings")
def attendance_by_group(partnership, year: FinancialYear) -> Block:
    """Attendance rate (present or represented by a deputy, over expected) for each group over the year."""
    access = Access.for_report(partnership)
    rates = queries.attendance_by_group(access, year)
    overall = queries.attendance_overall(access, year)
    rows = [[rate.label, rate.expected, rate.attended, rate.rate] for rate in rates]
    return Block(
        table=Table(
            columns=["Group", "Expected attendances", "Attended (in person or by deputy)", "Attendance rate (%)"],
            rows=rows,
            numeric=[False, True, True, True],
            footer=["All groups", overall.expected, overall.attended, overall.rate] if rates else None,
        ),
        figures={
            "governance.attendance.by_group": {rate.label: rate.rate for rate in rates},
            "governance.attendance.rate": overall.rate,
        },
        summary=(
            f"Across {len(rates)} groups, {overall.rate:g}% of expected attendances in {year.title} were made in person or by a deputy."
            if overall.expected
            else f"No attendance was recorded in {year.title}."
        ),
    )


def _tree(node) -> dict:
    return {
        "name": node.group.name,
        "short_name": node.group.short_name,
        "kind": node.group.get_kind_display(),
        "chair": node.chair.person.name if node.chair else None,
        "joint_with": node.group.joint_with or None,
        "children": [_tree(child) for child in node.children],
    }


@block("governance.structure", title="How the partnership is structured")
def structure(partnership, year: FinancialYear) -> Block:
    """The structure chart: each group, what it reports to and who chaired it at the end of the year."""
    roots = queries.structure(Access.for_report(partnership), on=year.end)
    rows, subgroups = [], 0
    names = {node.group.pk: node.group.name for root in roots for _, node in root.walk()}
    for root in roots:
        for depth, node in root.walk():
            parent = names.get(node.group.parent_id, "None")
            rows.append(
                [
                    node.group.name,
                    depth + 1,
                    node.group.get_kind_display(),
                    parent,
                    node.chair.person.name if node.chair else "",
                    node.group.joint_with,
                ]
            )
            subgroups += node.group.kind == GroupKind.SUBGROUP
    return Block(
        table=Table(
            columns=["Group", "Layer", "Kind", "Reports to", f"Chair at {year.end:%-d %B %Y}", "Run jointly with"],
            rows=rows,
            numeric=[False, True, False, False, False, False],
        ),
        figures={"governance.structure": [_tree(root) for root in roots], "governance.structure.subgroups": subgroups},
        summary=f"{len(rows)} groups in {max((row[1] for row in rows), default=0)} layers, with {subgroups} principal subgroups.",
    )


@block("governance.information_sharing.committed_partners", title="Information sharing agreements")
def committed_partners(partnership, year: FinancialYear) -> Block:
    """Partners committed (signed up) to each information sharing agreement by the end of the year."""
    access = Access.for_report(partnership)
    agreements = list(queries.agreements(access).prefetch_related("signatories"))
    rows = []
    tier_1_agencies = set()
    for agreement in agreements:
        signed = [row for row in agreement.signatories.all() if row.signed_on and row.signed_on <= year.end]
        rows.append([agreement.title, agreement.tier, agreement.get_status_display(), len(signed)])
        if agreement.tier == 1:
            tier_1_agencies.update(row.agency_id for row in signed)
    return Block(
        table=Table(
            columns=["Agreement", "Tier", "Status", "Committed partners"], rows=rows, numeric=[False, True, False, True]
        ),
        figures={
            "governance.information_sharing.committed_partners": len(tier_1_agencies),
            "governance.information_sharing.by_agreement": {row[0]: row[3] for row in rows},
        },
        summary=f"{len(tier_1_agencies)} partners and relevant agencies have committed to the tier 1 information sharing agreement.",
    )
