"""The build: figures.json, the web page, the tagged PDF and the Word file, from one source."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.core import figures as blocks
from jigsaw.core.figures import Block, Table, registry
from jigsaw.reports import services
from jigsaw.reports.build import DOCX_CHAR_TWIPS, BuildError, _weasyprint_fetcher, build_report

from . import conftest


@pytest.fixture
def report(world, example_blocks):
    return services.report_create(actor=world.users["business_unit"], partnership=world.partnership, year="2023-24")


def _build_once(shared_world, django_db_blocker, out, add_sections=None):
    """The example report built once into `out` for the tests that only read the four files (a
    build is seconds of WeasyPrint and python-docx): made in a savepoint rolled back as soon as the
    files are written, so every other test finds the database as the World left it."""
    from tests.conftest import _rolled_back

    with django_db_blocker.unblock(), _rolled_back():
        report = services.report_create(
            actor=shared_world.users["business_unit"], partnership=shared_world.partnership, year="2023-24"
        )
        if add_sections:
            add_sections(report)
        build_report(report, out)
    return report


@pytest.fixture(scope="module")
def built(shared_world, django_db_blocker, tmp_path_factory):
    """The files of one build of the example report (see `_build_once`)."""
    out = tmp_path_factory.mktemp("built") / "out"
    with conftest.registered(conftest.EXAMPLES):
        report = _build_once(shared_world, django_db_blocker, out)
    return report, out


def test_figures_json_has_every_figure_of_every_registered_block(built, example_blocks, db):
    report, out = built
    document = json.loads((out / "figures.json").read_text())

    assert document["partnership"] == "durham" and document["year"] == "2023-24" and document["version"] == 1
    # The template places every registered block, so every figure of every block is present.
    assert set(document["blocks"]) == set(registry())
    expected = set()
    for spec in registry().values():
        expected |= set(spec.build(report.partnership, report.financial_year).figures)
    assert expected <= set(document["figures"])
    assert document["figures"]["example.counts.total"] == 18975
    assert document["figures"]["example.budget.total"] == 230889


def test_each_block_is_computed_once_however_often_it_is_inserted(report, tmp_path):
    section = report.sections.first()
    services.section_update(
        actor=None, section=section, body="{{ block example.counts }}\n\nAgain:\n\n{{ block example.counts }}"
    )
    conftest.CALLS.clear()
    build_report(report, tmp_path / "out")
    assert conftest.CALLS["example.counts"] == 1


def test_a_failed_build_leaves_the_previous_outputs_and_says_why(report, broken_block, tmp_path):
    out = tmp_path / "out"
    build_report(report, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    section = report.sections.first()
    services.section_update(actor=None, section=section, body="{{ block example.broken }}")
    with pytest.raises(BuildError, match=r"example\.broken could not be computed: the figures table is missing"):
        build_report(report, out)

    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]  # no half-written directory left


def test_a_failure_while_writing_leaves_the_previous_outputs(report, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_report(report, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def broken_docx(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("jigsaw.reports.build.write_docx", broken_docx)
    with pytest.raises(OSError):
        build_report(report, out)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_the_pdf_is_tagged_with_title_language_contents_and_headings(built, db):
    from pypdf import PdfReader

    pdf = PdfReader(built[1] / "report.pdf")
    root = pdf.trailer["/Root"]

    assert pdf.metadata.title == "Durham Safeguarding Children Partnership: Annual Report 2023/24"
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Contents" in pdf.pages[1].extract_text()
    for heading in (
        "Introduction",
        "Training",
        "Overview and assurance by the independent scrutineer",
        "Completions by mode",
    ):
        assert heading in text
    # The contents page gives each section's page number.
    contents = pdf.pages[1].extract_text()
    assert any("1. Introduction" in line and line.rstrip().endswith("3") for line in contents.splitlines())
    assert "18,975" in text
    # Tagged: headings, table header cells and the chart's text alternative are in the structure.
    tags = _structure(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/Figure"} <= set(tags)
    assert "Completions rose to 18,975. The figures are in the table that follows." in tags["/Figure"]


def _structure(node, found=None) -> dict:
    """Each structure tag of the PDF with the alternative texts it carries."""
    found = {} if found is None else found
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            found.setdefault(node["/S"], []).append(str(node.get("/Alt", "")))
        if "/K" in node:
            _structure(node["/K"], found)
    elif isinstance(node, list):
        for child in node:
            _structure(child, found)
    return found


def test_the_word_file_has_headings_tables_and_alt_text(built, db):
    from docx import Document

    document = Document(built[1] / "report.docx")

    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "1. Introduction") in headings
    assert any(style == "Heading 1" and text.endswith(". Training") for style, text in headings)
    assert ("Heading 3", "Completions by mode") in headings
    assert len(document.tables) >= 2
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    assert ["Mode", "2022-23", "2023-24"] in headers
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert descriptions and all(descriptions)
    assert any("Completions rose to 18,975." in description for description in descriptions)
    assert document.core_properties.title.endswith("Annual Report 2023/24")


def test_the_web_page_is_one_accessible_file(built, db):
    html = (built[1] / "report.html").read_text()
    assert '<html lang="en-GB">' in html
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert 'alt="Completions rose to 18,975.' in html
    assert "http://" not in html and "https://" not in html  # nothing to fetch


def test_weasyprint_fetches_nothing_outside_the_static_files(settings):
    fetcher = _weasyprint_fetcher()
    for url in (
        "http://example.com/tracker.png",
        "https://example.com/x.css",
        "file:///etc/passwd",
        "ftp://example.com/a",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    fetcher.fetch("data:text/plain;base64,aGk=")  # inline data is not a fetch: allowed
    assert len(fetcher.refused) >= 3


def test_building_makes_a_fixed_number_of_queries(report, tmp_path):
    build_report(report, tmp_path / "warm")  # the figures computed and kept: both builds below read them the same way
    with CaptureQueriesContext(connection) as first:
        build_report(report, tmp_path / "a")
    for number in range(5):
        services.section_create(
            actor=None,
            report=report,
            heading=f"Extra {number}",
            body="More text.\n\n{{ block example.budget }}",
            order=200 + number,
        )
    with CaptureQueriesContext(connection) as second:
        build_report(report, tmp_path / "b")
    # More sections, more text: the same queries (the blocks' own aggregates are each app's).
    assert len(second) == len(first)


def test_the_command_builds_the_four_files(world, example_blocks, tmp_path):
    out = tmp_path / "annual"
    call_command("report", "build", "--partnership", "durham", "--year", "2023-24", "--out", str(out))
    assert sorted(path.name for path in out.iterdir()) == ["figures.json", "report.docx", "report.html", "report.pdf"]


def test_the_command_says_why_a_build_failed(world, example_blocks, broken_block, tmp_path):
    from django.core.management.base import CommandError

    report = services.report_create(actor=None, partnership=world.partnership, year="2023-24")
    services.section_update(actor=None, section=report.sections.first(), body="{{ block example.broken }}")
    with pytest.raises(CommandError, match=r"left as it was: .*example\.broken"):
        call_command("report", "build", "--partnership", "durham", "--year", "2023-24", "--out", str(tmp_path / "x"))


# Long tables, as a real year gives them: 92 courses ranked by completions, 80 organisations
# with a total row.
COURSES = [
    [f"Safeguarding course {n:02d}: recognising and responding to neglect", "eLearning", 1000 - n * 7]
    for n in range(1, 93)
]
ORGANISATIONS = [[f"Organisation {n:03d}", n * 11, n * 13] for n in range(1, 81)]


def _courses(partnership, year):
    return Block(
        table=Table(
            columns=["Course title", "Training option", "Completions"], rows=COURSES, numeric=[False, False, True]
        ),
        figures={"example.courses.count": len(COURSES)},
        summary=f"{len(COURSES)} courses were completed.",
    )


def _organisations(partnership, year):
    rows = ORGANISATIONS
    return Block(
        table=Table(
            columns=["Organisation", "Completions 2022-23", "Completions 2023-24"],
            rows=rows,
            footer=["Total", sum(r[1] for r in rows), sum(r[2] for r in rows)],
        ),
        figures={"example.organisations.total": sum(r[2] for r in rows)},
    )


@pytest.fixture(scope="module")
def long_tables(shared_world, django_db_blocker, tmp_path_factory):
    """The files of one build of the example report with a section of both long tables (see
    `_build_once`): the three tests below read them."""
    out = tmp_path_factory.mktemp("long_tables") / "out"

    def long_lists(report):
        # Registered once the report exists, as before: its template places only the blocks known then.
        blocks.block("example.courses", title="Completions by course")(_courses)
        blocks.block("example.organisations", title="Completions by organisation")(_organisations)
        services.section_create(
            actor=None,
            report=report,
            heading="Long lists",
            order=300,
            body="Courses:\n\n{{ block example.courses }}\n\nOrganisations:\n\n{{ block example.organisations }}",
        )

    try:
        with conftest.registered(conftest.EXAMPLES):
            _build_once(shared_world, django_db_blocker, out, long_lists)
    finally:
        for name in ("example.courses", "example.organisations"):
            blocks.REGISTRY.pop(name, None)
    return out


def test_a_pdf_table_split_over_pages_repeats_its_header_on_each_page_but_its_total_once(long_tables, db):
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(long_tables / "report.pdf").pages]
    with_rows = [number for number, text in enumerate(pages) if "Organisation 0" in text]
    assert len(with_rows) >= 2  # the table is split
    for number in with_rows:
        assert "Completions 2022-23" in pages[number], f"page {number + 1} has rows of the table but no header"
    total = f"Total {sum(r[1] for r in ORGANISATIONS):,} {sum(r[2] for r in ORGANISATIONS):,}"
    assert [number for number, text in enumerate(pages) if total in text] == [with_rows[-1]]
    assert "Organisation 080" in pages[with_rows[-1]]


def test_a_long_ranked_list_shows_its_top_20_and_the_whole_list_in_an_appendix(long_tables, db):
    from docx import Document

    html = (long_tables / "report.html").read_text()
    letter = re.search(
        r"The top 20 of 92 by completions\. All 92 are in Appendix ([A-Z]): Completions by course\.", html
    ).group(1)
    body, appendix = html.split(f'id="appendix-{letter.lower()}"')
    appendix = appendix.split('<section class="section appendix"')[0]
    assert "Safeguarding course 20:" in body and "Safeguarding course 21:" not in body
    assert all(f"Safeguarding course {n:02d}:" in appendix for n in range(1, 93))
    assert f"Appendix {letter}: Completions by course</a>" in html  # in the contents
    # The organisations are in alphabetical order, not ranked: shown whole where they stand.
    assert (
        "Organisation 080" in body
        and "Appendix" not in html.split("Completions by organisation")[-1].split("</section>")[0]
    )

    document = Document(long_tables / "report.docx")
    course_tables = [
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells] == ["Course title", "Training option", "Completions"]
    ]
    assert [len(t.rows) for t in course_tables] == [21, 93]  # header + 20, then header + all 92
    assert ("Heading 1", f"Appendix {letter}: Completions by course") in [
        (p.style.name, p.text) for p in document.paragraphs
    ]


def test_word_tables_have_styled_columns_fitted_to_their_content_and_each_block_heading_once(long_tables, db):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(long_tables / "report.docx")
    assert document.tables
    for table in document.tables:
        properties = table._tbl.tblPr
        assert properties.find(qn("w:tblW")).get(qn("w:type")) == "dxa"
        assert properties.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert table.style.name == "Jigsaw Table"
        widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(widths) == len(table.columns) and sum(widths) <= 9638
        # No word is broken: each column is at least as wide as its longest word.
        for index, width in enumerate(widths):
            longest_word = max(len(word) for row in table.rows for word in row.cells[index].text.split() or [""])
            assert width >= longest_word * DOCX_CHAR_TWIPS, (table.rows[0].cells[index].text, width)
    courses = next(
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells] == ["Course title", "Training option", "Completions"]
    )
    course_width, _, completions_width = [int(c.get(qn("w:w"))) for c in courses._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert course_width > 3 * completions_width  # the label wide, the number narrow

    texts = [p.text for p in document.paragraphs]
    for title in ("Completions by course", "Completions by organisation", "Completions by mode"):
        assert texts.count(title) == 1, title
    assert document.styles["Heading 1"].font.name == "Arial"


def test_column_widths_keep_words_whole_when_the_page_is_tight():
    from jigsaw.reports.build import DOCX_CELL_PADDING_TWIPS, DOCX_CHAR_TWIPS, docx_column_widths

    columns = ["Theme", "2022-23", "2023-24", "Change", "Share of the partnership total"]
    rows = [["Safeguarding and child protection in education settings", "12,956", "17,954", "+39%", "88%"]]
    widths = docx_column_widths(columns, rows, [False, True, True, True, True])
    assert sum(widths) <= 9638
    assert widths[0] >= len("Safeguarding") * DOCX_CHAR_TWIPS + DOCX_CELL_PADDING_TWIPS  # "Safeguardi / ng" no more
    assert widths[0] == max(widths)


def test_long_chart_labels_wrap_instead_of_being_cut(tmp_path):
    import altair as alt

    from jigsaw.reports.build import chart_svg, wrap_category_labels

    rows = [
        {"theme": "Child sexual abuse and exploitation including online harm", "n": 3},
        {"theme": "Neglect", "n": 5},
        {"theme": "Domestic abuse and its impact on children and young people", "n": 4},
    ]
    spec = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(x=alt.X("theme:N", axis=alt.Axis(labelAngle=0)), y="n:Q")
        .properties(width=560, height=200)
        .to_dict()
    )
    wrapped = wrap_category_labels(spec)
    assert wrapped["encoding"]["x"]["axis"]["labelLimit"] == 0
    svg = chart_svg(spec)
    assert "…" not in svg
    for word in ("exploitation", "online", "harm", "impact", "people", "Neglect"):
        assert f">{word}" in svg or f" {word}<" in svg or f">{word}<" in svg, word
