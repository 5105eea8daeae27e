"""Figures: the data blocks an annual report inserts by name, computed from records, and the
`Table` every page draws its figure tables with (`{% figures_table table %}`).

Core owns the registry so that capabilities and the report depend on core, never on each other:
the report only consumes it.

Each capability app declares its blocks in its own `figures.py`:

    from jigsaw.core.figures import Block, Table, block

    @block("training.completions.by_mode", title="Training completions by delivery mode")
    def completions_by_mode(partnership, year):
        rows = ...  # one aggregate query, never one per row
        return Block(
            table=Table(columns=["Mode", str(year.previous()), str(year), "Change"], rows=rows),
            figures={"training.completions.by_mode": {...}, "training.completions.total": 20056},
            chart=spec,  # optional Vega-Lite dict (see jigsaw.core.charts)
            summary="Completions rose by 35% to 20,056.",
        )

`name` is what a report section writes to insert the block (`{{ block training.completions.by_mode }}`);
`figures` are the values written to figures.json under stable dotted names (documented in the
README). A block function takes the partnership and a `jigsaw.core.periods.FinancialYear`, reads
through aggregate queries (the benchmark counts queries at 1x and 10x data: the count must not
grow with the data) and returns a Block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

from . import freshness


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]
    numeric: list[bool] | None = None  # per column; right-aligned and formatted with thousands separators
    footer: list[Any] | None = None  # a totals row, when the table has one

    def __post_init__(self) -> None:
        if self.numeric is None:
            self.numeric = [
                bool(self.rows) and all(isinstance(row[i], (int, float)) or row[i] is None for row in self.rows)
                for i in range(len(self.columns))
            ]


@dataclass
class Block:
    table: Table | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    chart: dict | None = None
    summary: str = ""
    title: str = ""  # filled from the registration when left blank


@dataclass(frozen=True)
class BlockSpec:
    name: str
    title: str
    description: str
    function: Callable[..., Block]

    def build(self, partnership, year) -> Block:
        """The block as the records stand now: the cached one while nothing it read has changed."""
        return build_blocks([self], partnership, year)[self.name]

    def compute(self, partnership, year) -> Block:
        result = self.function(partnership, year)
        if not result.title:
            result.title = self.title
        return result


REGISTRY: dict[str, BlockSpec] = {}


def block(name: str, *, title: str, description: str = ""):
    def register(function: Callable[..., Block]) -> Callable[..., Block]:
        if name in REGISTRY and REGISTRY[name].function is not function:
            raise ValueError(f"Two data blocks are called {name}.")
        REGISTRY[name] = BlockSpec(
            name=name, title=title, description=description or (function.__doc__ or "").strip(), function=function
        )
        return function

    return register


def registry() -> dict[str, BlockSpec]:
    """Every block of every installed app, by name."""
    autodiscover_modules("figures")
    return dict(sorted(REGISTRY.items()))


def build_blocks(specs: list[BlockSpec], partnership, year) -> dict[str, Block]:
    """Each block for the partnership's year, computed once per change to the records it reads and
    shared by pages, the API, figures.json and the report. One cache read and one read of the
    partnership's change stamps answer every block that is still fresh."""
    cached = freshness.cache_get_many([freshness.key(partnership, year, spec.name) for spec in specs])
    stamps = freshness.stamps(partnership)
    built: dict[str, Block] = {}
    fresh: dict[str, object] = {}
    for spec in specs:
        entry = cached.get(freshness.key(partnership, year, spec.name))
        if entry is not None and freshness.still_fresh(entry, stamps):
            built[spec.name] = entry["block"]
            continue
        with freshness.reading() as read:
            block = spec.compute(partnership, year)
        built[spec.name] = block
        fresh[freshness.key(partnership, year, spec.name)] = freshness.entry(block, read.apps, stamps)
    if fresh:
        freshness.cache_set_many(fresh)
    return built


def build_named(names: list[str], partnership, year) -> dict[str, Block]:
    """`build_blocks` by block name."""
    available = registry()
    return build_blocks([available[name] for name in names], partnership, year)
