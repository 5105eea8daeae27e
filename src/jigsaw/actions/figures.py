"""The learning log's report data blocks: actions raised in the year, by status and by theme."""

from __future__ import annotations

from django.db.models import Count

from jigsaw.core.charts import bar_chart
from jigsaw.core.figures import Block, Table, block
from jigsaw.core.scoping import Access

from .models import LearningAction, Status


def _raised_in(partnership, year):
    return LearningAction.objects.restrict(Access.for_report(partnership)).filter(
        raised_on__gte=year.start, raised_on__lte=year.end
    )


@block("actions.log.by_status", title="Learning log actions by status")
def by_status(partnership, year) -> Block:
    """Actions raised in the year, by where they have got to now; how many are assured."""
    counts = dict(_raised_in(partnership, year).values_list("status").annotate(n=Count("pk")).order_by())
    rows = [[status.label, counts.get(status.value, 0)] for status in Status]
    total = sum(counts.values())
    assured = counts.get(Status.ASSURED, 0)
    done = assured + counts.get(Status.COMPLETED, 0)
    summary = (
        f"{total} action{'s' if total != 1 else ''} were added to the themed learning log in {year.title}; "
        f"{done} {'have' if done != 1 else 'has'} been completed, of which {assured} {'are' if assured != 1 else 'is'} assured by a 12-month review."
        if total
        else f"No actions were added to the themed learning log in {year.title}."
    )
    return Block(
        table=Table(columns=["Status", f"Actions raised in {year.title}"], rows=rows, footer=["Total", total]),
        figures={
            "actions.log.by_status": {status.label: counts.get(status.value, 0) for status in Status},
            "actions.log.raised": total,
            "actions.log.assured": assured,
        },
        summary=summary,
    )


@block("actions.log.by_theme", title="Learning log actions by learning theme")
def by_theme(partnership, year) -> Block:
    """Actions raised in the year under each learning theme (an action with two themes counts under both)."""
    counts = (
        _raised_in(partnership, year)
        .filter(themes__isnull=False)
        .values_list("themes__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "themes__name")
    )
    rows = [[name, n] for name, n in counts]
    chart = (
        bar_chart(
            [{"Learning theme": name, "Actions raised": n} for name, n in rows],
            value="Actions raised",
            category="Learning theme",
            category_title="Learning theme",
            title=f"Learning log actions by theme, {year.title}",
        )
        if rows
        else None
    )
    top = rows[0][0] if rows else ""
    return Block(
        table=Table(columns=["Learning theme", f"Actions raised in {year.title}"], rows=rows),
        figures={"actions.log.by_theme": {name: n for name, n in rows}},
        chart=chart,
        summary=f"The most common theme was {top.lower()} ({rows[0][1]} actions)."
        if rows
        else f"No themed actions were raised in {year.title}.",
    )
