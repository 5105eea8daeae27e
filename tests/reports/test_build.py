"""The build: figures.json, the web page, the tagged PDF and the Word file, from one source."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.reports import services
from jigsaw.core.figures import registry
from jigsaw.reports.build import BuildError, _weasyprint_fetcher, build_report

from . import conftest


@pytest.fixture
def report(world, example_blocks):
    return services.report_create(actor=world.users["business_unit"], partnership=world.partnership, year="2023-24")


def test_figures_json_has_every_figure_of_every_registered_block(report, tmp_path):
    build_report(report, tmp_path / "out")
    document = json.loads((tmp_path / "out" / "figures.json").read_text())

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
    services.section_update(actor=None, section=section, body="{{ block example.counts }}\n\nAgain:\n\n{{ block example.counts }}")
    conftest.CALLS.clear()
    build_report(report, tmp_path / "out")
    assert conftest.CALLS["example.counts"] == 1


def test_a_failed_build_leaves_the_previous_outputs_and_says_why(report, broken_block, tmp_path):
    out = tmp_path / "out"
    build_report(report, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    section = report.sections.first()
    services.section_update(actor=None, section=section, body="{{ block example.broken }}")
    with pytest.raises(BuildError, match="example.broken could not be computed: the figures table is missing"):
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


def test_the_pdf_is_tagged_with_title_language_contents_and_headings(report, tmp_path):
    from pypdf import PdfReader

    build_report(report, tmp_path / "out")
    pdf = PdfReader(tmp_path / "out" / "report.pdf")
    root = pdf.trailer["/Root"]

    assert pdf.metadata.title == "Durham Safeguarding Children Partnership: Annual Report 2023/24"
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Contents" in pdf.pages[1].extract_text()
    for heading in ("Introduction", "Training", "Overview and assurance by the independent scrutineer", "Completions by mode"):
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


def test_the_word_file_has_headings_tables_and_alt_text(report, tmp_path):
    from docx import Document

    build_report(report, tmp_path / "out")
    document = Document(tmp_path / "out" / "report.docx")

    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Introduction") in headings
    assert ("Heading 1", "Training") in headings
    assert ("Heading 3", "Completions by mode") in headings
    assert len(document.tables) >= 2
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    assert ["Mode", "2022-23", "2023-24"] in headers
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert descriptions and all(descriptions)
    assert any("Completions rose to 18,975." in description for description in descriptions)
    assert document.core_properties.title.endswith("Annual Report 2023/24")


def test_the_web_page_is_one_accessible_file(report, tmp_path):
    build_report(report, tmp_path / "out")
    html = (tmp_path / "out" / "report.html").read_text()
    assert '<html lang="en-GB">' in html
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert 'alt="Completions rose to 18,975.' in html
    assert "http://" not in html and "https://" not in html  # nothing to fetch


def test_weasyprint_fetches_nothing_outside_the_static_files(settings):
    fetcher = _weasyprint_fetcher()
    for url in ("http://example.com/tracker.png", "https://example.com/x.css", "file:///etc/passwd", "ftp://example.com/a"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    fetcher.fetch("data:text/plain;base64,aGk=")  # inline data is not a fetch: allowed
    assert len(fetcher.refused) >= 3


def test_building_makes_a_fixed_number_of_queries(report, tmp_path):
    build_report(report, tmp_path / "warm")  # the figures computed and kept: both builds below read them the same way
    with CaptureQueriesContext(connection) as first:
        build_report(report, tmp_path / "a")
    for number in range(5):
        services.section_create(actor=None, report=report, heading=f"Extra {number}", body="More text.\n\n{{ block example.budget }}", order=200 + number)
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
    with pytest.raises(CommandError, match="left as it was: .*example.broken"):
        call_command("report", "build", "--partnership", "durham", "--year", "2023-24", "--out", str(tmp_path / "x"))
