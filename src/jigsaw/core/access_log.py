"""gunicorn's access log without what a log must not keep (`jigsaw serve` uses it).

A line holds the method, the path and the status, never the query string (search terms, filters
that name people) or the referrer (which carries the previous page's query); and the secrets
people reach pages with — booking and impact-survey codes, newsletter and password-reset tokens —
are cut out of the path, found by the URL pattern's own parameter names, so a new page with a
`…_code` or `token` parameter is covered without anyone remembering to.
"""

from __future__ import annotations

import logging

from django.urls import Resolver404, resolve
from gunicorn.glogging import Logger

FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(D)sus'
SECRET_PARAMETERS = ("code", "token", "uidb64")
REDACTED = "[redacted]"


def redacted_path(path: str) -> str:
    try:
        match = resolve(path)
    except (Resolver404, Exception):  # a path no page answers holds nothing of ours
        return path
    for name, value in match.kwargs.items():
        if name.endswith(SECRET_PARAMETERS) and isinstance(value, str) and value:
            path = path.replace(f"/{value}/", f"/{REDACTED}/")
    return path


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redacted_path(atoms.get("U") or getattr(req, "path", None) or "-")
        atoms["U"] = path
        atoms["r"] = f"{atoms.get('m', '-')} {path} {atoms.get('H', '-')}"
        atoms["q"] = ""
        atoms["f"] = "-"
        return atoms


class RedactPaths(logging.Filter):
    """Django logs each 4xx and 5xx answer as 'Not Found: /path' (django.request): the same codes
    are cut out of those paths, and no query string is logged there either."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple):
            record.args = tuple(redacted_path(arg) if arg == path else arg for arg in record.args)
        return True
