"""The service navigation: each capability app registers its entries when it is ready.

Only capabilities that exist appear, and only to the roles that may open them: an entry is
shown when the registration names one of the viewer's roles (what the role has use for) *and*
the page's view declares it (what the role may open), so no link leads to "forbidden" whoever
tightens a page's roles later. Entries sharing a `group` are one item of the top bar (linking to
the group's first page the viewer may use); the group's pages are listed under the bar while
the viewer is in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, resolve, reverse

from . import reversing


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int
    group: str = ""

    @property
    def group_label(self) -> str:
        return self.group or self.label


_entries: list[NavEntry] = []


def register(label: str, url_name: str, *, roles, order: int, group: str = "") -> None:
    entry = NavEntry(label, url_name, frozenset(roles), order, group)
    if entry not in _entries:
        _entries.append(entry)
        _entries.sort(key=lambda e: e.order)


@cache
def _view_roles(url_name: str):
    """The roles the page's view declares (None: the page says nothing, so the entry decides)."""
    from .generic import PUBLIC

    for args in (["x"], ["x", 1]):  # a partnership's page, or one of its records
        try:
            url = reverse(url_name, args=args)
            break
        except NoReverseMatch:
            continue
    view_class = getattr(resolve(url).func, "view_class", None)
    roles = getattr(view_class, "roles", None)
    return None if roles in (None, PUBLIC) else frozenset(roles)


def may_open(access, url_name: str) -> bool:
    """Whether the page's view lets one of the viewer's roles in."""
    roles = _view_roles(url_name)
    return roles is None or bool(access.roles & roles)


def visible_entries(access) -> list[NavEntry]:
    """The entries this viewer is offered, in order."""
    if access is None or access.partnership is None or not access.roles:
        return []
    return [entry for entry in _entries if access.roles & entry.roles and may_open(access, entry.url_name)]


def _is_current(path: str, url: str, home: str) -> bool:
    return path == url if url == home else path.startswith(url)


def menus_for(request) -> tuple[list[dict], list[dict]]:
    """(the top bar's items, the current group's pages when it has more than one)."""
    access = getattr(request, "access", None)
    entries = visible_entries(access)
    if not entries:
        return [], []
    slug = access.partnership.slug
    home = reversing.reverse("core:partnership", args=[slug])
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        url = reversing.reverse(entry.url_name, args=[slug])
        groups.setdefault(entry.group_label, []).append(
            {"label": entry.label, "url": url, "active": _is_current(request.path, url, home)}
        )
    # The longest matching address is the current page (Procedures' reviews sit under its library).
    matches = [page for pages in groups.values() for page in pages if page["active"]]
    current = max(matches, key=lambda page: len(page["url"]), default=None)
    top, section = [], []
    for label, pages in groups.items():
        for page in pages:
            page["active"] = page is current
        active = any(page["active"] for page in pages)
        top.append({"label": label, "url": pages[0]["url"], "active": active})
        if active and len(pages) > 1:
            section = pages
    return top, section


def items_for(request) -> list[dict]:
    return menus_for(request)[0]
