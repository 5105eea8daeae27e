"""Example data blocks, registered for a test and removed after it, so the report's tests do not
depend on which apps have landed."""

from __future__ import annotations

from contextlib import contextmanager

import altair as alt
import pytest

from jigsaw.core import figures as blocks
from jigsaw.core.figures import Block, Table

CALLS: dict[str, int] = {}


def _counts(partnership, year):
    CALLS["example.counts"] = CALLS.get("example.counts", 0) + 1
    rows = [["eLearning", 12956, 17954], ["Safeguarding week", 420, 1021]]
    spec = (
        alt.Chart(alt.Data(values=[{"mode": r[0], "completions": r[2]} for r in rows]))
        .mark_bar()
        .encode(x=alt.X("completions:Q", title="Completions"), y=alt.Y("mode:N", title="Mode"))
        .properties(width=360, height=120)
        .to_dict()
    )
    return Block(
        table=Table(columns=["Mode", str(year.previous()), str(year)], rows=rows, footer=["Total", 13376, 18975]),
        figures={
            "example.counts.total": 18975,
            "example.counts.by_mode": {"eLearning": 17954, "Safeguarding week": 1021},
        },
        chart=spec,
        summary="Completions rose to 18,975.",
    )


def _budget(partnership, year):
    return Block(
        table=Table(columns=["Partner", "Contribution (£)"], rows=[["Council", 191604], ["Police", 39285]]),
        figures={"example.budget.total": 230889},
    )


def _broken(partnership, year):
    raise RuntimeError("the figures table is missing")


EXAMPLES = {"example.counts": ("Completions by mode", _counts), "example.budget": ("Budget", _budget)}


@contextmanager
def registered(added: dict):
    """The blocks of `added` (name -> (title, function)) in the registry, removed afterwards."""
    for name, (title, function) in added.items():
        blocks.block(name, title=title, description=f"{title} (an example block)")(function)
    try:
        yield list(added)
    finally:
        for name in added:
            blocks.REGISTRY.pop(name, None)


@pytest.fixture
def example_blocks():
    with registered(EXAMPLES) as names:
        CALLS.clear()
        yield names


@pytest.fixture
def broken_block():
    blocks.block("example.broken", title="Broken")(_broken)
    yield "example.broken"
    blocks.REGISTRY.pop("example.broken", None)
