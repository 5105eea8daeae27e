"""The build: one source, four outputs.

`build_report(report, out_dir)` computes each data block the report inserts once, then writes

- figures.json: every figure keyed by its stable dotted name, with what was built and when;
- report.html: the report as one standalone, accessible web page;
- report.pdf: a tagged PDF (PDF/UA-1) with a cover, a contents page with page numbers,
  headings, tables with header cells and charts with text alternatives;
- report.docx: an editable Word document with real heading styles, tables and chart images
  with alt text.

Everything is written to a temporary directory next to `out_dir` and swapped in at the end, so
a build that fails leaves the previous outputs as they were.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import html
import itertools
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from jigsaw.core.figures import Block, build_blocks, registry

from . import markup

Progress = Callable[[int, str], None]


class BuildError(Exception):
    """A build that cannot finish, with a message a person can act on."""


def _plain(value):
    """A figure as JSON can hold it: Decimals become numbers, dates ISO strings."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def serialize(block: Block) -> dict:
    """A built block as stored with the build (and read back to show a published report)."""
    return _plain(
        {
            "title": block.title,
            "summary": block.summary,
            "table": asdict(block.table) if block.table is not None else None,
            "chart": block.chart,
            "figures": block.figures,
        }
    )


def compute_blocks(report, names: list[str], progress: Progress | None = None) -> dict[str, dict]:
    """Each named block built once for the report's partnership and year."""
    available = registry()
    year = report.financial_year
    missing = [name for name in names if name not in available]
    if missing:
        raise BuildError(f"The report inserts a data block that no longer exists: {missing[0]}.")
    if progress:
        progress(5, "Computing the figures")
    # The figures kept since their records last changed, in one read; only the stale ones are computed.
    try:
        with transaction.atomic():  # a savepoint: a failed query must not spoil the rest of the build
            cached = build_blocks([available[name] for name in names], report.partnership, year)
    except Exception:  # one block failed: compute them one by one to say which
        cached = {}
    built: dict[str, dict] = {}
    for position, name in enumerate(names):
        if progress and name not in cached:
            progress(5 + int(45 * position / max(len(names), 1)), f"Computing {available[name].title}")
        try:
            built[name] = serialize(cached[name] if name in cached else available[name].build(report.partnership, year))
        except Exception as error:  # any app's block may fail: say which, and stop
            raise BuildError(f"The data block {name} could not be computed: {error}") from error
    return built


def report_block_names(sections) -> list[str]:
    return list(dict.fromkeys(name for section in sections for name in section.block_names))


def figures_document(report, blocks: dict[str, dict], built_at: datetime.datetime) -> dict:
    figures: dict = {}
    for data in blocks.values():
        figures.update(data["figures"])
    return {
        "partnership": report.partnership.slug,
        "partnership_name": report.partnership.name,
        "year": report.year,
        "title": report.title,
        "version": report.version,
        "status": report.status,
        "built_at": built_at.isoformat(),
        "blocks": {name: {"title": data["title"], "figures": sorted(data["figures"])} for name, data in blocks.items()},
        "figures": dict(sorted(figures.items())),
    }


# Charts -------------------------------------------------------------------------------------


def chart_alt(data: dict) -> str:
    text = data.get("summary") or f"Chart: {data.get('title', '')}."
    return f"{text} The figures are in the table that follows."


CHART_WIDTH_PX = 560  # jigsaw.core.charts' width, for charts that do not say theirs
LABEL_LINE_PX = 13  # a line of Vega's 10 px axis labels
DOCUMENT_FONT = "DejaVu Sans"  # document.css's first font


def _category_values(spec: dict, field_name: str) -> list[str]:
    values = []
    for part in [spec, *spec.get("layer", [])]:
        for row in (part.get("data") or {}).get("values") or []:
            if isinstance(row, dict) and row.get(field_name) is not None:
                values.append(str(row[field_name]))
    return list(dict.fromkeys(values))


def wrap_category_labels(spec: dict) -> dict:
    """The spec with long category labels wrapped onto several lines instead of cut off with
    an ellipsis (Vega-Lite's default labelLimit): a labelExpr looks each label up in a table
    of its lines, worked out here from the chart's own data, and labelLimit is lifted."""
    import copy
    import json
    import textwrap

    spec = copy.deepcopy(spec)
    width = spec.get("width") if isinstance(spec.get("width"), (int, float)) else CHART_WIDTH_PX
    for part in [spec, *spec.get("layer", [])]:
        for channel, encoding in (part.get("encoding") or {}).items():
            if (
                channel not in ("x", "y")
                or not isinstance(encoding, dict)
                or encoding.get("type") not in ("nominal", "ordinal")
            ):
                continue
            labels = _category_values(spec, encoding.get("field", ""))
            if not labels:
                continue
            # Across the bottom each label has its band; down the side, a column of 50 characters.
            chars = max(8, int(width / max(len(labels), 1) / 6.5)) if channel == "x" else 50
            lines = {label: textwrap.wrap(label, chars, break_long_words=False) or [label] for label in labels}
            if all(len(wrapped) == 1 for wrapped in lines.values()):
                continue
            axis = encoding.get("axis") if isinstance(encoding.get("axis"), dict) else {}
            encoding["axis"] = {
                **axis,
                "labelExpr": f"{json.dumps(lines)}[datum.label] || datum.label",
                "labelLimit": 0,
                "labelAngle": 0,
            }
            if channel == "y":
                # Each bar's band must be tall enough for its label's lines, or labels overlap.
                band = max(len(wrapped) for wrapped in lines.values()) * LABEL_LINE_PX + 4
                height = spec.get("height")
                spec["height"] = (
                    max(height, band * len(labels)) if isinstance(height, (int, float)) else {"step": max(band, 20)}
                )
    return spec


def document_chart(spec: dict) -> dict:
    """The spec as the documents draw it: labels wrapped, and the report's own font, so the
    text WeasyPrint sets in the SVG is the text vl-convert measured (a wider fallback font
    pushed long labels off the left edge)."""
    spec = wrap_category_labels(spec)
    spec["config"] = {**spec.get("config", {}), "font": DOCUMENT_FONT}
    return spec


def chart_svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(vl_spec=document_chart(spec))


def chart_png(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(vl_spec=document_chart(spec), scale=2)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# The document as HTML (the web page and the PDF) ----------------------------------------------


# A ranked table longer than this (92 courses) shows its top rows where it stands and the
# whole table in an appendix, so a list does not fill pages in the middle of the narrative.
LONG_TABLE_ROWS = 25
TOP_ROWS = 20


def ranked_by(table: dict | None) -> int | None:
    """The numeric column a long table's rows are ranked by (largest first), or None when the
    table is short or not in descending order of any one column (a 'top 20' would mean nothing)."""
    if not table or len(table["rows"]) <= LONG_TABLE_ROWS:
        return None
    numeric = table.get("numeric") or []
    for index in reversed(range(1, len(table["columns"]))):
        values = [row[index] for row in table["rows"]]
        if index < len(numeric) and numeric[index] and all(isinstance(v, (int, float)) for v in values):
            if all(a >= b for a, b in itertools.pairwise(values)):
                return index
    return None


@dataclass
class Appendix:
    letter: str
    title: str
    table: dict

    @property
    def heading(self) -> str:
        return f"Appendix {self.letter}: {self.title}"

    @property
    def anchor(self) -> str:
        return f"appendix-{self.letter.lower()}"


class Appendices:
    """The long tables moved to the end of the document, lettered in order of appearance."""

    def __init__(self) -> None:
        self.items: list[Appendix] = []

    def shorten(self, data: dict) -> tuple[dict | None, str]:
        """The table to show where the block stands, and a note when it is the top rows only."""
        table = data.get("table")
        column = ranked_by(table)
        if column is None:
            return table, ""
        appendix = Appendix(letter=chr(ord("A") + len(self.items)), title=data["title"], table=table)
        self.items.append(appendix)
        total = len(table["rows"])
        note = f"The top {TOP_ROWS} of {total:,} by {table['columns'][column].lower()}. All {total:,} are in {appendix.heading}."
        return {**table, "rows": table["rows"][:TOP_ROWS], "footer": None}, note


HTML_HEADINGS = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)
MARKDOWN_HEADINGS = re.compile(r"^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$", re.M)


def _same_title(heading: str, title: str) -> bool:
    """Whether the narrative's heading just before a block already names it (so the block's own
    heading would say the same thing twice)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", heading)).strip().rstrip(".").casefold()
    return bool(text) and text == title.strip().rstrip(".").casefold()


@dataclass
class RenderedSection:
    heading: str
    anchor: str
    parts: list[dict] = field(default_factory=list)
    appendix: bool = False


def document_sections(
    sections, blocks: dict[str, dict], *, charts: bool = True, govuk: bool = False, appendices: bool = False
) -> list[RenderedSection]:
    """Sections with their narrative rendered and their blocks (and chart images) in place;
    with `appendices`, long ranked tables as their top rows, in full in appendices at the end."""
    rendered = []
    moved = Appendices()
    for number, section in enumerate(sections, start=1):
        item = RenderedSection(heading=section.heading, anchor=f"section-{number}")
        last_heading = ""
        for part in markup.parts(section.body, govuk=govuk):
            if part.block:
                data = blocks.get(part.block)
                if data is None:
                    continue
                chart = chart_svg(data["chart"]) if charts and data.get("chart") else None
                table, note = moved.shorten(data) if appendices else (data.get("table"), "")
                item.parts.append(
                    {
                        "block": data,
                        "name": part.block,
                        "table": table,
                        "note": note,
                        "chart_uri": svg_data_uri(chart) if chart else "",
                        "chart_alt": chart_alt(data),
                        "titled": _same_title(last_heading, data["title"]),
                    }
                )
            else:
                last_heading = (HTML_HEADINGS.findall(part.html) or [last_heading])[-1]
                item.parts.append({"html": part.html})
        rendered.append(item)
    for appendix in moved.items:
        part = {"block": {"title": appendix.title}, "table": appendix.table, "in_appendix": True}
        rendered.append(RenderedSection(heading=appendix.heading, anchor=appendix.anchor, parts=[part], appendix=True))
    return rendered


def render_document(report, sections: list[RenderedSection], built_at, *, medium: str) -> str:
    css = render_to_string("reports/document.css", {"medium": medium})
    return render_to_string(
        "reports/document.html",
        {
            "report": report,
            "partnership": report.partnership,
            "sections": sections,
            "built_at": built_at,
            "medium": medium,
            "css": css,
            "lang": "en-GB",
        },
    )


# The PDF ------------------------------------------------------------------------------------


def _static_roots() -> list[Path]:
    from django.contrib.staticfiles import finders

    roots = [Path(settings.STATIC_ROOT)]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


def _weasyprint_fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """WeasyPrint may read the project's own static files (and inline data:), nothing else."""

        def fetch(self, url, headers=None):
            scheme = urlparse(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" or url.startswith(settings.STATIC_URL):
                from django.contrib.staticfiles import finders

                path = urlparse(url).path
                if path.startswith(settings.STATIC_URL):
                    found = finders.find(path[len(settings.STATIC_URL) :])
                    candidate = Path(found).resolve() if found else None
                else:
                    candidate = Path(path).resolve()
                if (
                    candidate
                    and candidate.is_file()
                    and any(candidate.is_relative_to(root) for root in _static_roots())
                ):
                    return super().fetch(candidate.as_uri(), headers)
            self.refused.append(url)
            raise ValueError(f"Jigsaw's PDF reads only the project's own static files, not {url}")

    fetcher = StaticOnlyFetcher(fail_on_errors=False, allowed_protocols={"data", "file"})
    fetcher.refused = []  # what it turned away, for the tests and the log
    return fetcher


def write_pdf(html: str, path: Path) -> None:
    from weasyprint import HTML

    HTML(string=html, base_url=None, url_fetcher=_weasyprint_fetcher()).write_pdf(
        str(path), pdf_variant="pdf/ua-1", pdf_identifier=None, uncompressed_pdf=False
    )


# The Word document --------------------------------------------------------------------------


def _mark_header_row(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# Word tables: 10 pt Arial, so a character (bold, wide letters) takes up to 130 twips (1 pt = 20 twips); a cell
# adds its left and right margins. The text area of an A4 page with 2 cm margins is 17 cm.
DOCX_TEXT_WIDTH_TWIPS = 9638
DOCX_CHAR_TWIPS = 130
DOCX_CELL_PADDING_TWIPS = 240


def docx_column_widths(
    columns: list[str], rows: list[list[str]], numeric: list[bool], available: int = DOCX_TEXT_WIDTH_TWIPS
) -> list[int]:
    """Widths in twips fitted to the content: each column at least as wide as its longest word
    (so no word is broken) and, where the page allows, its longest line; text columns (labels)
    take the room left over, numbers stay narrow."""
    narrowest, widest = [], []
    for index, heading in enumerate(columns):
        texts = [str(heading)] + [row[index] for row in rows if index < len(row)]
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        if numeric[index]:
            longest = max([longest_word] + [len(text) for text in texts[1:]] + [min(len(str(heading)), 12)])
        else:
            longest = min(max((len(text) for text in texts), default=1), 60)
        narrowest.append(longest_word * DOCX_CHAR_TWIPS + DOCX_CELL_PADDING_TWIPS)
        widest.append(max(longest, longest_word) * DOCX_CHAR_TWIPS + DOCX_CELL_PADDING_TWIPS)
    total = sum(widest)
    if total <= available:
        # Spare room goes to the label columns, so the table spans the page.
        text_columns = [i for i, is_number in enumerate(numeric) if not is_number] or list(range(len(columns)))
        spare = available - total
        share = sum(widest[i] for i in text_columns)
        widths = list(widest)
        for i in text_columns:
            widths[i] += spare * widest[i] // share
        return widths
    slack = sum(w - n for w, n in zip(widest, narrowest))
    deficit = total - available
    if slack >= deficit:
        return [w - -(-(w - n) * deficit // slack) for w, n in zip(widest, narrowest)]  # rounded so the sum fits
    # Even the longest words do not fit side by side: shrink everything in proportion.
    floor = sum(narrowest)
    return [n * available // floor for n in narrowest]


def _docx_table_widths(grid, widths: list[int]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Twips

    grid.autofit = False
    properties = grid._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:w"), str(sum(widths)))
    table_width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for index, width in enumerate(widths):
        grid.columns[index].width = Twips(width)
    for row in grid.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Twips(widths[index])


def _docx_table(document, table: dict, title: str = "") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from jigsaw.core.templatetags.records import figure

    columns = table["columns"]
    numeric = list(table.get("numeric") or [False] * len(columns))
    numeric = [bool(n) and index > 0 for index, n in enumerate(numeric)]
    body = [[str(figure(value)) if value is not None else "" for value in row] for row in table["rows"]]
    footer = (
        [str(figure(value)) if value is not None else "" for value in table["footer"]] if table.get("footer") else None
    )
    rows = body + ([footer] if footer else [])
    grid = document.add_table(rows=1 + len(rows), cols=len(columns))
    grid.style = DOCX_TABLE_STYLE
    if title:
        # The table's title for screen readers (Word's Alt Text > Title): the heading above shows it.
        caption = OxmlElement("w:tblCaption")
        caption.set(qn("w:val"), title)
        grid._tbl.tblPr.append(caption)
    _mark_header_row(grid.rows[0])
    for row in grid.rows:  # a row stays whole on one page
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for index, column in enumerate(columns):
        cell = grid.rows[0].cells[index]
        cell.text = str(column)
        if numeric[index]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row_index, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            cell = grid.rows[row_index].cells[index]
            cell.text = value
            if numeric[index]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if footer and row_index == len(rows):
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    _docx_table_widths(grid, docx_column_widths([str(c) for c in columns], rows, numeric))


def _docx_inline(paragraph, children) -> None:
    bold = italic = False
    for child in children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run(" ")


def _docx_markdown(document, text: str) -> None:
    tokens = markup.tokens(text)
    lists: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            level = 2 if markup.heading_level(int(token.tag[1])) == 3 else 3
            document.add_heading(tokens[index + 1].content, level=level)
            index += 3
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Bullet" if token.type == "bullet_list_open" else "List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            style = lists[-1] if lists else None
            if not lists and index >= 2 and tokens[index - 2].type == "blockquote_open":
                style = "Quote"
            _docx_inline(document.add_paragraph(style=style), token.children)
        elif token.type == "table_open":
            close = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            cells = [t for t in tokens[index:close] if t.type == "inline"]
            heads = sum(1 for t in tokens[index:close] if t.type == "th_open")
            if heads:
                body = [c.content for c in cells[heads:]]
                _docx_table(
                    document,
                    {
                        "columns": [c.content for c in cells[:heads]],
                        "rows": [body[i : i + heads] for i in range(0, len(body), heads)],
                    },
                )
            index = close
        elif token.type == "fence" or token.type == "code_block":
            document.add_paragraph(token.content.rstrip())
        index += 1


def _docx_picture(document, png: bytes, alt: str, title: str) -> None:
    import io

    from docx.shared import Cm

    # 15 cm wide, unless that makes a tall chart (many bars) longer than the page: then 22 cm tall.
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # the PNG's IHDR
    size = {"height": Cm(22)} if height * 15 > width * 22 else {"width": Cm(15)}
    shape = document.add_picture(io.BytesIO(png), **size)
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", title)


DOCX_TABLE_STYLE = "Jigsaw Table"
DOCX_FONT = "Arial"
# (style, size in points, colour, bold): GOV.UK black and blue.
DOCX_TEXT_STYLES = [
    ("Normal", 11, "0B0C0C", False),
    ("Title", 28, "0B0C0C", True),
    ("Subtitle", 16, "1D70B8", True),
    ("Heading 1", 20, "0B0C0C", True),
    ("Heading 2", 16, "0B0C0C", True),
    ("Heading 3", 13, "0B0C0C", True),
    ("Caption", 9, "505A5F", False),
    ("TOC Heading", 20, "0B0C0C", True),
]
# The table style: grey rules between rows, a shaded header row with a heavy rule under it.
DOCX_TABLE_STYLE_XML = f"""<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:type="table" w:customStyle="1" w:styleId="JigsawTable">
  <w:name w:val="{DOCX_TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/><w:qFormat/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:rFonts w:ascii="{DOCX_FONT}" w:hAnsi="{DOCX_FONT}" w:cs="{DOCX_FONT}"/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/>
    </w:tblBorders>
    <w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr><w:tcBorders><w:bottom w:val="single" w:sz="12" w:space="0" w:color="0B0C0C"/></w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="F3F2F1"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""


def _docx_styles(document) -> None:
    """The report's look in Word: Arial throughout, GOV.UK colours, A4 with 2 cm margins and a
    table style of its own, set on the document's styles so an editor's changes keep them."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    for style_name, size, colour, bold in DOCX_TEXT_STYLES:
        style = document.styles[style_name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named font
        style.font.name = DOCX_FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(colour)
        style.font.bold = bold
    document.styles.element.append(parse_xml(DOCX_TABLE_STYLE_XML))
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)


def write_docx(report, sections, blocks: dict[str, dict], built_at, path: Path) -> None:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    _docx_styles(document)
    properties = document.core_properties
    properties.title = f"{report.partnership.name}: {report.title}"
    properties.author = report.partnership.name
    properties.language = "en-GB"
    properties.subject = f"Annual report {report.financial_year.title}, version {report.version}"
    # The document's language, for screen readers and spelling: on the Normal style.
    run_properties = document.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    run_properties.append(language)

    document.add_paragraph(report.partnership.name, style="Subtitle")
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(f"Version {report.version} · built {timezone.localtime(built_at):%d %B %Y}")

    # A real Word table of contents: Word fills in the page numbers when the fields update.
    document.add_paragraph("Contents", style="TOC Heading")
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "; ".join(section.heading for section in sections)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, placeholder, end):
        run._r.append(element)
    document.add_page_break()

    moved = Appendices()
    for number, section in enumerate(sections, start=1):
        document.add_heading(f"{number}. {section.heading}", level=1)
        # Narrative and blocks in their order: split the markdown at the block lines.
        position = 0
        for match in markup.BLOCK_LINE.finditer(section.body):
            _docx_markdown(document, section.body[position : match.start()])
            data = blocks.get(match.group(1))
            if data is not None:
                # One heading per block: the table carries its title as alt text, not a caption,
                # and a block the narrative's heading already names gets no second one.
                headings = MARKDOWN_HEADINGS.findall(section.body[position : match.start()])
                if not (headings and _same_title(headings[-1], data["title"])):
                    document.add_heading(data["title"], level=3)
                if data.get("summary"):
                    document.add_paragraph(data["summary"])
                if data.get("chart"):
                    _docx_picture(document, chart_png(data["chart"]), chart_alt(data), data["title"])
                table, note = moved.shorten(data)
                if table:
                    _docx_table(document, table, data["title"])
                if note:
                    document.add_paragraph(note, style="Caption")
            position = match.end()
        _docx_markdown(document, section.body[position:])
    for appendix in moved.items:
        document.add_heading(appendix.heading, level=1)
        _docx_table(document, appendix.table, appendix.title)
    document.save(str(path))


# The whole build ----------------------------------------------------------------------------


@dataclass
class BuildOutput:
    blocks: dict[str, dict]
    figures: dict
    files: list[str]


def build_report(report, out_dir, *, progress: Progress | None = None) -> BuildOutput:
    """Build every output of the report into `out_dir`, replacing what was there only when
    everything succeeded. Raises BuildError (or the underlying error) when it cannot."""
    out_dir = Path(out_dir)
    step = progress or (lambda percent, text: None)
    built_at = timezone.now()
    sections = list(report.sections.all())
    step(2, "Reading the sections")
    blocks = compute_blocks(report, report_block_names(sections), progress)
    figures = figures_document(report, blocks, built_at)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-building-", dir=out_dir.parent))
    try:
        step(50, "Writing figures.json")
        (work / "figures.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        step(55, "Drawing the charts")
        rendered = document_sections(sections, blocks, appendices=True)
        step(65, "Writing the web page")
        (work / "report.html").write_text(render_document(report, rendered, built_at, medium="html"), encoding="utf-8")
        step(70, "Writing the PDF")
        write_pdf(render_document(report, rendered, built_at, medium="pdf"), work / "report.pdf")
        step(90, "Writing the Word document")
        write_docx(report, sections, blocks, built_at, work / "report.docx")
        step(98, "Putting the new files in place")
        _swap(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    step(100, "Built")
    return BuildOutput(blocks=blocks, figures=figures, files=sorted(p.name for p in out_dir.iterdir()))


def _swap(work: Path, out_dir: Path) -> None:
    """Replace out_dir by work: the old outputs stay whole until the new ones are complete."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}-previous-{timezone.now():%Y%m%d%H%M%S%f}")
        out_dir.rename(old)
    try:
        work.rename(out_dir)
    except BaseException:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
