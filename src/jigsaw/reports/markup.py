"""Narrative: Markdown written in the browser, rendered without raw HTML and then cleaned.

A line holding only `{{ block some.block.name }}` inserts a data block there. Anything else a
writer types, including <script> or HTML tags, comes out as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

BLOCK_LINE = re.compile(r"^[ \t]*\{\{\s*block\s+([^\s}]+)\s*\}\}[ \t]*$", re.MULTILINE)

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

# GOV.UK classes for what Markdown produces. Headings start at h3: the section heading is the h2.
GOVUK_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "table_open": "govuk-table",
    "blockquote_open": "govuk-inset-text",
}
HEADING_CLASSES = {"h3": "govuk-heading-m", "h4": "govuk-heading-s"}
ALLOWED_TAGS = {
    "p",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "code",
    "pre",
    "blockquote",
    "br",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"*": {"class"}, "a": {"href", "title"}, "th": {"scope"}}


def block_names(body: str) -> list[str]:
    """The data blocks a narrative inserts, in order, each once."""
    return list(dict.fromkeys(BLOCK_LINE.findall(body or "")))


@dataclass(frozen=True)
class Part:
    """A piece of a section: rendered narrative HTML, or the name of a data block."""

    html: str = ""
    block: str = ""


def heading_level(level: int) -> int:
    """Markdown # and ## and ### become h3, deeper ones h4: under the section's h2."""
    return 3 if level <= 3 else 4


def _prepare(tokens, govuk: bool) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{heading_level(int(token.tag[1]))}"
            if govuk and token.type == "heading_open":
                token.attrSet("class", HEADING_CLASSES[token.tag])
        elif token.type in ("th_open",):
            token.attrSet("scope", "col")
        if govuk and token.type in GOVUK_CLASSES:
            token.attrSet("class", GOVUK_CLASSES[token.type])


def render_markdown(text: str, *, govuk: bool = True) -> str:
    tokens = _markdown.parse(text or "")
    _prepare(tokens, govuk)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


def parts(body: str, *, govuk: bool = True) -> list[Part]:
    """The narrative split at its block lines, each text part rendered."""
    result: list[Part] = []
    position = 0
    for match in BLOCK_LINE.finditer(body or ""):
        text = body[position : match.start()]
        if text.strip():
            result.append(Part(html=render_markdown(text, govuk=govuk)))
        result.append(Part(block=match.group(1)))
        position = match.end()
    rest = (body or "")[position:]
    if rest.strip():
        result.append(Part(html=render_markdown(rest, govuk=govuk)))
    return result


def tokens(text: str):
    """Markdown tokens, for the Word document (which is not HTML)."""
    return _markdown.parse(text or "")
