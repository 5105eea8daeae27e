"""The service navigation: each capability app registers its entries when it is ready.

Only capabilities that exist appear, and only to the roles that may open them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int


_entries: list[NavEntry] = []


def register(label: str, url_name: str, *, roles, order: int) -> None:
    entry = NavEntry(label, url_name, frozenset(roles), order)
    if entry not in _entries:
        _entries.append(entry)
        _entries.sort(key=lambda e: e.order)


def items_for(request) -> list[dict]:
    access = getattr(request, "access", None)
    if access is None or access.partnership is None or not access.roles:
        return []
    items = []
    for entry in _entries:
        if access.roles & entry.roles:
            url = reverse(entry.url_name, args=[access.partnership.slug])
            items.append({"label": entry.label, "url": url, "active": request.path.startswith(url) and (url != f"/{access.partnership.slug}/" or request.path == url)})
    return items
