"""Generated procedures library and professional disagreements for `jigsaw demo --scale`:
the demo's procedures and local documents, several published again each year with what
changed, and 25 disagreements a year (at volume 1) taken through the four stages.
"""

from __future__ import annotations

import datetime

from django.db.models import Max

from jigsaw.core.models import Theme
from jigsaw.core.scale import Context, agencies, generator

from . import services
from .demo import DOCUMENTS
from .models import Document, Escalation, Version

BODY = """# Purpose

This document sets out how everyone who works or volunteers with children in {area} works together: {purpose}.

# What you should do

- Keep the child in focus: speak to them, and record what they say in their own words.
- Discuss your concern with your designated safeguarding lead or manager.
- If a child is in immediate danger, call the police on 999.
"""


def _publish(ctx: Context, document: Document, on: datetime.date, what_changed: str, purpose: str) -> None:
    version = services.version_create(
        actor=None,
        document=document,
        body=BODY.format(area=ctx.area, purpose=purpose),
        effective_on=on,
        what_changed=what_changed,
    )
    services.version_approve(actor=None, version=version, approved_on=on - datetime.timedelta(days=14))
    services.version_publish(actor=None, version=version, published_on=on)
    ctx.add("document versions")


@generator
def documents(ctx: Context) -> None:
    """The library: each document first published the first time a year draws it, then a few
    updated each year. A year only republishes a document whose last version is older."""
    if Version._base_manager.filter(
        document__partnership=ctx.partnership, published_on__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    library = {
        document.title: document
        for document in Document._base_manager.filter(partnership=ctx.partnership).annotate(
            latest=Max("versions__effective_on")
        )
    }
    drawn = ctx.random.randrange(5, 10)
    for spec in ctx.random.sample(DOCUMENTS, min(drawn, ctx.scaled(drawn, floor=2))):
        document = library.get(spec.title)
        if document is not None and document.latest and document.latest >= ctx.year.start:
            continue
        if document is None:
            document = services.document_create(
                actor=None,
                partnership=ctx.partnership,
                title=spec.title,
                kind=spec.kind,
                summary=f"Sets out {spec.purpose}.",
            )
            ctx.add("documents")
        published_on = ctx.day(ctx.year.start + datetime.timedelta(days=15))
        _publish(
            ctx,
            document,
            published_on,
            spec.what_changed if document.versions.exists() else "First published.",
            spec.purpose,
        )


@generator
def escalations(ctx: Context) -> None:
    if Escalation._base_manager.filter(
        partnership=ctx.partnership, stage1_on__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    everyone = sorted(agencies(ctx.partnership).values(), key=lambda agency: agency.name)
    themes = list(Theme._base_manager.filter(partnership=ctx.partnership).order_by("name"))
    for number in range(1, ctx.scaled(25, floor=3) + 1):
        raising, receiving = ctx.random.sample(everyone, 2)
        reached = ctx.day()
        escalation = services.escalation_create(
            actor=None,
            partnership=ctx.partnership,
            raising_agency=raising,
            receiving_agency=receiving,
            practitioner_role=ctx.random.choice(
                ["Health visitor", "Designated safeguarding lead", "Social worker", "Police officer"]
            ),
            child_reference=f"C-{ctx.year.start_year}-{number:04d}",
            theme=ctx.random.choice(themes),
            stage1_on=reached,
            concern="Disagreement about the threshold for a strategy discussion.",
        )
        # Most are settled between practitioners or their managers; a few reach the scrutineer.
        for stage in range(2, ctx.random.choices([1, 2, 3, 4], weights=[55, 30, 12, 3])[0] + 1):
            reached += datetime.timedelta(days=ctx.random.randrange(2, 15))
            services.escalation_move(actor=None, escalation=escalation, stage=stage, reached_on=reached)
        if ctx.random.random() < 0.85:
            services.escalation_resolve(
                actor=None,
                escalation=escalation,
                resolved_on=reached + datetime.timedelta(days=ctx.random.randrange(1, 20)),
                outcome="Agreed after a conversation between the agencies.",
            )
        ctx.add("professional disagreements")
