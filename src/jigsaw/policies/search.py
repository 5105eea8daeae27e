"""Full-text search over published documents, ranked, with the passage that matched.

On PostgreSQL: its own full-text search (SearchVector, SearchQuery, SearchRank, SearchHeadline).
On SQLite: an FTS5 virtual table `policies_search` (created by migration 0002), kept in step
by `index_document`, which the publishing and withdrawing services call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

from jigsaw.core.scoping import Action

from .models import Document, Status

START, STOP = "\ue000", "\ue001"  # private-use characters: never in real text
FTS_TABLE = "policies_search"


@dataclass
class Hit:
    document: Document
    passage: str  # safe HTML: the matching words marked


def _passage(raw: str) -> str:
    text = escape(raw or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


def index_document(document: Document) -> None:
    """Put the document's public text in the SQLite index, or take it out when not public."""
    if connection.vendor != "sqlite":
        return  # PostgreSQL searches the tables themselves
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])
        if document.is_public:
            version = document.current_version
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, partnership_id) VALUES (%s, %s, %s, %s)",
                [document.pk, document.title, f"{document.summary}\n{version.plain_text}", document.partnership_id],
            )


def search(access, query: str, limit: int = 20) -> list[Hit]:
    """Published documents of the access's partnership matching `query`, best first."""
    words = re.findall(r"\w+", query or "")
    if not words:
        return []
    published = Document.objects.restrict(access, Action.VIEW).filter(
        status=Status.PUBLISHED, current_version__isnull=False
    )
    if connection.vendor == "postgresql":
        return _search_postgresql(published, " ".join(words), limit)
    return _search_sqlite(published, access.partnership.pk, words, limit)


def _search_postgresql(published, text: str, limit: int) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("current_version__plain_text", weight="C", config="english")
    )
    query = SearchQuery(text, search_type="websearch", config="english")
    rows = (
        published.annotate(search=vector)
        .filter(search=query)
        .annotate(
            rank=SearchRank(vector, query),
            passage=SearchHeadline(
                "current_version__plain_text",
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=1,
            ),
        )
        .select_related("current_version")
        .order_by("-rank", "title")[:limit]
    )
    return [Hit(document, _passage(document.passage)) for document in rows]


def _search_sqlite(published, partnership_id: int, words: list[str], limit: int) -> list[Hit]:
    match = " ".join('"' + word.replace('"', "") + '"' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, '…', 32) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND partnership_id = %s ORDER BY bm25({FTS_TABLE}, 10.0, 1.0) LIMIT %s",
            [START, STOP, match, partnership_id, limit],
        )
        ranked = cursor.fetchall()
    # The index says where the words are; the scoped query says what may be shown.
    documents = published.select_related("current_version").in_bulk([pk for pk, _ in ranked])
    return [Hit(documents[pk], _passage(snippet)) for pk, snippet in ranked if pk in documents]
