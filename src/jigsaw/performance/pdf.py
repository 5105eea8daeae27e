"""The think-tank pack as a PDF (WeasyPrint).

The pack's HTML names only the project's own static files (its stylesheet); charts are inline
SVG rendered by vl-convert. The URL fetcher refuses everything else, so a commentary that holds
a link to an outside address cannot make the server fetch it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_URL = "https://jigsaw.invalid/"  # never fetched: only resolves relative links


def _static_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = unquote(parts.path)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if not (url.startswith(BASE_URL) and path.startswith(settings.STATIC_URL)) or ".." in path:
                raise ValueError(f"The PDF may only use Jigsaw's own static files, not {url}")
            found = finders.find(path[len(settings.STATIC_URL) :])
            if not found:
                raise ValueError(f"No static file {path}")
            body = Path(found).read_bytes()
            return URLFetcherResponse(
                url, body=body, headers={"Content-Type": mimetypes.guess_type(found)[0] or "application/octet-stream"}
            )

    return StaticOnlyFetcher()


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_static_fetcher()).write_pdf(pdf_variant="pdf/ua-1")
