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
import json
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

from . import markup
from jigsaw.core.figures import Block, build_blocks, registry

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
    return _plain({
        "title": block.title,
        "summary": block.summary,
        "table": asdict(block.table) if block.table is not None else None,
        "chart": block.chart,
        "figures": block.figures,
    })


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


def chart_svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(vl_spec=spec)


def chart_png(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(vl_spec=spec, scale=2)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# The document as HTML (the web page and the PDF) ----------------------------------------------


@dataclass
class RenderedSection:
    heading: str
    anchor: str
    parts: list[dict] = field(default_factory=list)


def document_sections(sections, blocks: dict[str, dict], *, charts: bool = True, govuk: bool = False) -> list[RenderedSection]:
    """Sections with their narrative rendered and their blocks (and chart images) in place."""
    rendered = []
    for number, section in enumerate(sections, start=1):
        item = RenderedSection(heading=section.heading, anchor=f"section-{number}")
        for part in markup.parts(section.body, govuk=govuk):
            if part.block:
                data = blocks.get(part.block)
                if data is None:
                    continue
                chart = chart_svg(data["chart"]) if charts and data.get("chart") else None
                item.parts.append({"block": data, "name": part.block, "chart_uri": svg_data_uri(chart) if chart else "", "chart_alt": chart_alt(data)})
            else:
                item.parts.append({"html": part.html})
        rendered.append(item)
    return rendered


def render_document(report, sections: list[RenderedSection], built_at, *, medium: str) -> str:
    css = render_to_string("reports/document.css", {"medium": medium})
    return render_to_string("reports/document.html", {
        "report": report,
        "partnership": report.partnership,
        "sections": sections,
        "built_at": built_at,
        "medium": medium,
        "css": css,
        "lang": "en-GB",
    })


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
                    found = finders.find(path[len(settings.STATIC_URL):])
                    candidate = Path(found).resolve() if found else None
                else:
                    candidate = Path(path).resolve()
                if candidate and candidate.is_file() and any(candidate.is_relative_to(root) for root in _static_roots()):
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


def _docx_table(document, table: dict, caption: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from jigsaw.core.templatetags.records import figure

    if caption:
        document.add_paragraph(caption, style="Caption")
    columns = table["columns"]
    numeric = table.get("numeric") or [False] * len(columns)
    rows = table["rows"] + ([table["footer"]] if table.get("footer") else [])
    grid = document.add_table(rows=1 + len(rows), cols=len(columns))
    grid.style = "Table Grid"
    _mark_header_row(grid.rows[0])
    for index, column in enumerate(columns):
        cell = grid.rows[0].cells[index]
        cell.text = ""
        cell.paragraphs[0].add_run(str(column)).bold = True
    for row_index, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            cell = grid.rows[row_index].cells[index]
            cell.text = str(figure(value)) if value is not None else ""
            if index < len(numeric) and numeric[index] and index > 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if table.get("footer") and row_index == len(rows):
                for run in cell.paragraphs[0].runs:
                    run.bold = True


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
                _docx_table(document, {"columns": [c.content for c in cells[:heads]], "rows": [body[i:i + heads] for i in range(0, len(body), heads)]}, "")
            index = close
        elif token.type == "fence" or token.type == "code_block":
            document.add_paragraph(token.content.rstrip())
        index += 1


def _docx_picture(document, png: bytes, alt: str, title: str) -> None:
    import io

    from docx.shared import Cm

    shape = document.add_picture(io.BytesIO(png), width=Cm(15))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", title)


def write_docx(report, sections, blocks: dict[str, dict], built_at, path: Path) -> None:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
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

    for section in sections:
        document.add_heading(section.heading, level=1)
        # Narrative and blocks in their order: split the markdown at the block lines.
        position = 0
        for match in markup.BLOCK_LINE.finditer(section.body):
            _docx_markdown(document, section.body[position:match.start()])
            data = blocks.get(match.group(1))
            if data is not None:
                document.add_heading(data["title"], level=3)
                if data.get("summary"):
                    document.add_paragraph(data["summary"])
                if data.get("chart"):
                    _docx_picture(document, chart_png(data["chart"]), chart_alt(data), data["title"])
                if data.get("table"):
                    _docx_table(document, data["table"], data["title"])
            position = match.end()
        _docx_markdown(document, section.body[position:])
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
        rendered = document_sections(sections, blocks)
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
