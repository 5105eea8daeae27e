"""Report data blocks: the documents published or updated in the year, and professional
disagreements by stage. Each is a fixed number of aggregate queries."""

from __future__ import annotations

from django.db.models import Max

from jigsaw.core.figures import Block, Table, block
from jigsaw.core.scoping import Access

from . import queries
from .models import Document, DocumentKind, Escalation


@block("policies.documents_updated", title="Procedures and local documents published or updated")
def documents_updated(partnership, year) -> Block:
    """The Multi-agency Policy and Procedure group's year: each procedure published or updated,
    and each local document (guidance, protocol, template, threshold) reviewed and updated."""
    rows = list(
        queries.updated_in(Document.objects.restrict(Access.for_report(partnership)), year.start, year.end)
        .annotate(last=Max("versions__published_on"))
        .values_list("title", "kind", "last")
    )
    procedures = [title for title, kind, _ in rows if kind == DocumentKind.PROCEDURE]
    local = [title for title, kind, _ in rows if kind != DocumentKind.PROCEDURE]
    kinds = dict(DocumentKind.choices)
    table = Table(
        columns=["Document", "Kind", "Published or updated"],
        rows=[[title, kinds[kind], f"{last:%-d %B %Y}"] for title, kind, last in rows],
    )
    return Block(
        table=table,
        figures={
            "policies.procedures.updated": procedures,
            "policies.procedures.updated.count": len(procedures),
            "policies.local_documents.updated": local,
            "policies.local_documents.updated.count": len(local),
        },
        summary=f"{len(procedures)} procedures were published or updated and {len(local)} local documents were reviewed and updated in {year.title}.",
    )


@block("policies.escalations", title="Professional disagreements by stage")
def escalations(partnership, year) -> Block:
    """Disagreements raised in the year under the resolution procedure, by the highest stage reached."""
    counts = queries.escalation_counts(
        Escalation.objects.restrict(Access.for_report(partnership)).filter(stage1_on__range=(year.start, year.end))
    )
    labels = dict(Escalation._meta.get_field("stage").choices)
    table = Table(
        columns=["Stage reached", "Disagreements"],
        rows=[[labels[stage], n] for stage, n in counts["by_stage"].items()],
        footer=["Total", counts["total"]],
    )
    median = (
        f" Those resolved took a median of {counts['median_days']} days." if counts["median_days"] is not None else ""
    )
    return Block(
        table=table,
        figures={
            "policies.escalations.by_stage": {str(stage): n for stage, n in counts["by_stage"].items()},
            "policies.escalations.total": counts["total"],
            "policies.escalations.median_days_to_resolution": counts["median_days"],
        },
        summary=f"{counts['total']} professional disagreements were raised in {year.title}; {counts['by_stage'][4]} reached the independent scrutineer (stage 4).{median}",
    )
