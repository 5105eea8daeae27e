"""The home page's work queue: what needs the viewer now, each item linking to where to act.

Each capability app registers a provider in `ready()`: `work.register(provider)`, where
`provider(access, today)` returns WorkItems. A count is the linked page's own query (the same
queryset, filter form or helper that page uses), so the number on home is the number there.
An item whose page the viewer's role may not open is dropped here, whatever the provider says.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from . import navigation


@dataclass(frozen=True)
class WorkItem:
    heading: str  # the group on the home page: "Actions", "Case reviews"...
    text: str  # "3 of your agency's actions are overdue"
    url_name: str
    query: str = ""  # "?agency=4&due=overdue": the linked page's own filter
    count: int | None = None
    urgent: bool = False  # overdue: shown first, with a red tag
    args: tuple = ()

    def url(self, slug: str) -> str:
        return reverse(self.url_name, args=[slug, *self.args]) + self.query


_providers: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def queue_for(access, today: datetime.date) -> list[dict]:
    """[{heading, items: [{text, url, count, urgent}]}], urgent items first within each heading."""
    groups: dict[str, list[dict]] = {}
    for provider in _providers:
        for item in provider(access, today):
            if item.count == 0 or not navigation.may_open(access, item.url_name):
                continue
            groups.setdefault(item.heading, []).append(
                {
                    "text": item.text,
                    "url": item.url(access.partnership.slug),
                    "count": item.count,
                    "urgent": item.urgent,
                }
            )
    return [
        {"heading": heading, "items": sorted(items, key=lambda i: not i["urgent"])} for heading, items in groups.items()
    ]


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
