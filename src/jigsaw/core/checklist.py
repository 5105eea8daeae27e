"""The first-run checklist on the business unit's home, beside the work queue (work.py): what a
new partnership sets up, in order, each step done or not and linking to its page or import.

Every register with an import (jigsaw.core.imports) is a step, done once it holds a record; an
app adds a step with no import of its own (the business plan) by `register(Step(...))`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from . import imports, navigation
from .scoping import Role


@dataclass(frozen=True)
class Step:
    title: str
    order: int
    url_name: str  # the step's page, taking the partnership's slug
    done: Callable  # done(partnership) -> bool
    hint: str = ""


_steps: list[Step] = []


def register(step: Step) -> None:
    if all(s.title != step.title for s in _steps):
        _steps.append(step)


def steps_for(access) -> list[dict]:
    """The steps in order, [{title, hint, done, url, import_url}], for the business unit; empty
    for every other role (they do not set a partnership up)."""
    if not access.has_role(Role.BUSINESS_UNIT):
        return []
    partnership = access.partnership
    rows = []
    for importer in imports.importers():
        rows.append(
            (
                importer.order,
                importer.title,
                importer.description,
                importer.done(partnership),
                importer.page,
                reverse("core:import", args=[partnership.slug, importer.key]),
            )
        )
    for step in _steps:
        rows.append((step.order, step.title, step.hint, step.done(partnership), step.url_name, ""))
    return [
        {
            "title": title,
            "hint": hint,
            "done": done,
            "url": reverse(url_name, args=[partnership.slug]) if navigation.may_open(access, url_name) else "",
            "import_url": import_url,
        }
        for _, title, hint, done, url_name, import_url in sorted(rows, key=lambda r: r[0])
    ]


def for_home(access) -> dict | None:
    """The checklist while a partnership is still being set up (any step not done), else None."""
    steps = steps_for(access)
    if not steps or all(step["done"] for step in steps):
        return None
    return {"steps": steps, "done": sum(step["done"] for step in steps), "total": len(steps)}
