"""Markdown to safe HTML for procedure bodies and digests.

markdown-it runs with raw HTML switched off (a <script> in the text stays text), headings get
ids so a section can be linked to, GOV.UK classes are added, and nh3 cleans the result as a
second line of defence (only the tags, attributes and classes listed here survive).
"""

from __future__ import annotations

import nh3
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "tr": "govuk-table__row",
    "blockquote": "govuk-inset-text",
}
HEADING_CLASSES = {
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
}
TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _decorate(tokens) -> None:
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            # The page's own title is the h1: a '#' in the body is a section (h2).
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"
            tokens[index + 2].tag = token.tag  # the matching heading_close
            base = slugify(tokens[index + 1].content) or "section"
            seen[base] = seen.get(base, 0) + 1
            token.attrSet("id", base if seen[base] == 1 else f"{base}-{seen[base]}")
            token.attrSet("class", HEADING_CLASSES[token.tag])
        elif token.type.endswith("_open") and token.tag in CLASSES:
            token.attrSet("class", CLASSES[token.tag])
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open":
                    child.attrSet("class", CLASSES["a"])


def render(text: str) -> str:
    """Safe HTML for the Markdown `text`."""
    parser = _parser()
    tokens = parser.parse(text or "")
    _decorate(tokens)
    html = parser.renderer.render(tokens, parser.options, {})
    allowed_classes = {tag: set(classes.split()) for tag, classes in {**CLASSES, **HEADING_CLASSES}.items()}
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes={**{tag: {"id"} for tag in HEADING_CLASSES}, "a": {"href", "title"}, "th": {"scope"}, "td": set()},
        allowed_classes=allowed_classes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)


def headings(text: str) -> list[tuple[str, str]]:
    """(id, text) of each section heading, for a contents list."""
    parser = _parser()
    tokens = parser.parse(text or "")
    _decorate(tokens)
    return [
        (token.attrGet("id"), tokens[i + 1].content)
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h2"
    ]


def plain_text(text: str) -> str:
    """The words of the Markdown without markup: what the search index holds."""
    parser = _parser()
    words = []
    for token in parser.parse(text or ""):
        if token.type == "inline":
            words.append(
                "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline"))
            )
        elif token.type in ("fence", "code_block"):
            words.append(token.content)
    return "\n".join(w for w in words if w)
