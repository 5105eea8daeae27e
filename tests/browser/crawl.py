"""A role's crawl of the site: every page reachable from home by links, one page per URL pattern.

Used by test_accessibility.py (axe on each page) and runnable by hand against a server:
`python -m tests.browser.crawl http://127.0.0.1:8000 business.unit@durham.example`.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlsplit

# Not pages: files, feeds and exports (axe reads HTML), and what signs the crawler out.
SKIP = (
    "/accounts/sign-out/",
    "/static/",
    "/media/",
    "/api/",
    ".csv",
    ".xlsx",
    ".ics",
    "/feed/",
    "/files/",
    "/file/",
    "/evidence/",
    "/attachments/",
    "/papers/",
    "/export",
    "/download",
    "/builds/",
    "figures.json",
)
LINKS = "() => Array.from(document.querySelectorAll('main a[href], header a[href], footer a[href], nav a[href]')).map(a => a.href)"


def pattern_of(path: str) -> str:
    """One page per route: /durham/actions/12/ and /durham/actions/13/ are the same page."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.route


def crawl(page, start: str, visit, limit: int = 80, skip: frozenset[str] = frozenset()) -> list[str]:
    """Open `start`, then every same-site link not yet seen by pattern, nor in `skip` (patterns
    another crawl has opened); `visit(page)` on each page."""
    origin = urlsplit(page.url if page.url.startswith("http") else start).netloc
    queue, seen, visited = deque([start]), set(), []
    while queue and len(visited) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != origin:
            continue
        path = parts.path
        if any(skip in path for skip in SKIP) or parts.query:
            continue
        key = pattern_of(path)
        if key in seen or (key in skip and visited):  # the start is always opened
            continue
        seen.add(key)
        response = page.goto(url)
        if (
            response is None
            or response.status != 200
            or "text/html" not in (response.headers.get("content-type") or "")
        ):
            continue
        visited.append(path)
        visit(page)
        for href in page.evaluate(LINKS):
            href = urljoin(page.url, href).split("#")[0]
            if urlsplit(href).netloc == origin:
                queue.append(href)
    return visited
