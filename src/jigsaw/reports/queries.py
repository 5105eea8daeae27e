"""Reads for the report pages, through the scoping helper."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone

from jigsaw.core.scoping import Access, Action

from .build import compute_blocks, document_sections, figures_document, report_block_names
from .checklist import CHECKLIST
from .models import Build, Comment, Report, ReportStatus, Section


def with_section_counts(reports: QuerySet) -> QuerySet:
    # An aggregate drops Meta.ordering: order again so pages are stable.
    return reports.annotate(section_count=Count("sections")).order_by("-year", "-version")


def sections(access: Access, report: Report) -> QuerySet:
    # Each row's link needs its report's partnership: joined here, not fetched per row.
    return (
        Section.objects.restrict(access, Action.VIEW)
        .filter(report=report)
        .select_related("report__partnership")
        .annotate(comment_count=Count("comments"))
    )


def comments(access: Access, section: Section) -> QuerySet:
    return Comment.objects.restrict(access, Action.VIEW).filter(section=section).select_related("author__person")


def builds(access: Access, report: Report) -> QuerySet:
    return (
        Build.objects.restrict(access, Action.VIEW)
        .filter(report=report)
        .select_related("requested_by__person", "report__partnership")
    )


def checklist(section_list) -> list[dict]:
    """Each Working Together 2023 item with the sections that cover it; none is a gap."""
    return [
        {"item": item, "sections": [section for section in section_list if item.code in (section.covers or [])]}
        for item in CHECKLIST
    ]


def published_report(partnership, year: str) -> Report | None:
    """The latest published version of a year's report, for the public."""
    return (
        Report.objects.restrict(Access.public(partnership), Action.VIEW)
        .filter(year=year, status=ReportStatus.PUBLISHED)
        .select_related("published_build", "partnership")
        .order_by("-version")
        .first()
    )


def rendered_sections(report: Report, section_list, *, live: bool):
    """Sections with their blocks: live figures for a draft, the published build's for a
    published version (frozen, figures included)."""
    if not live and report.published_build_id:
        blocks = report.published_build.blocks
    else:
        names = list(dict.fromkeys(name for section in section_list for name in section.block_names))
        blocks = compute_blocks(report, names)
    return document_sections(section_list, blocks, govuk=True)


def figures(report: Report) -> dict:
    """The report's figures.json as of now: for a draft, today's figures from the same cache the
    pages and the build read (computed again only after a record they read changed); for a
    published version, the figures of the build it was published with."""
    if report.is_frozen and report.published_build_id:
        return report.published_build.figures
    names = report_block_names(list(report.sections.all()))
    return figures_document(report, compute_blocks(report, names), timezone.now())
