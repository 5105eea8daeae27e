"""What a partnership has published, gathered from every app for the public site's 'what's new'
page, its Atom feed and the newsletter digest.

An app that publishes things (procedures, learning briefings, training events, the annual
report) has a `publications.py` module with

    def published(partnership, since: datetime.date | None) -> list[Publication]

returning only what is published and public (never a draft), newest first, in a fixed number of
queries. `recent()` merges them.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass
from importlib.util import find_spec

from django.apps import apps


@dataclass(frozen=True)
class Publication:
    kind: str  # the newsletter topic: "procedures", "learning briefings", "training", "reports"
    title: str
    url: str  # a public URL, reachable without signing in
    published_on: datetime.date
    summary: str = ""


def recent(partnership, since: datetime.date | None = None, kinds: set[str] | None = None) -> list[Publication]:
    items: list[Publication] = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.publications"
        if config.name.startswith("jigsaw.") and config.label != "core" and find_spec(module_name):
            items.extend(importlib.import_module(module_name).published(partnership, since))
    if kinds is not None:
        items = [item for item in items if item.kind in kinds]
    return sorted(items, key=lambda item: (item.published_on, item.title), reverse=True)
