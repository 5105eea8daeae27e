"""The procedures list in core's one import pattern: one row a version of a procedure (its
dates, what changed and where it is read), each version taken through the same steps as on the
page (drafted, approved, published; an earlier one superseded by the next)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from jigsaw.core.imports import Choice, Column, Date, Importer, Known, Text, Whole, named, normalise
from jigsaw.governance.imports import group_names

from . import services
from .models import Document, DocumentKind, Version, VersionStatus

LINK = re.compile(r"^\[Read it here\]\((\S+)\)\s*", re.S)
URL = re.compile(r"^https?://\S+$")


class ProcedureImporter(Importer):
    key = "procedures"
    model = Document
    title = "Procedures"
    description = (
        "The procedures list: each procedure's versions with their effective, approval and publication dates and links."
    )
    order = 90
    page = "policies:library"
    columns = (
        Column("title", aliases=("procedure", "document", "procedure title", "name"), read=Text(200)),
        Column(
            "kind",
            False,
            ("type", "document type"),
            hint="Procedure, Practice guidance, Protocol...",
            read=Choice(DocumentKind, default=DocumentKind.PROCEDURE),
        ),
        Column("summary", False, ("description",), read=Text()),
        Column("owning group", False, ("group", "owner group"), read=Known("groups", "group")),
        Column("version", aliases=("version number", "version no", "v"), field="number", read=Whole()),
        Column(
            "status",
            False,
            hint="Published, Superseded, Draft",
            read=Choice(VersionStatus, default=VersionStatus.PUBLISHED),
        ),
        Column("effective", aliases=("effective date", "effective from", "date"), field="effective_on", read=Date()),
        Column("approved", False, ("approved on", "date approved"), field="approved_on", read=Date(past=True)),
        Column("published", False, ("published on", "date published"), field="published_on", read=Date(past=True)),
        Column("what changed", aliases=("changes", "summary of changes", "amendments"), read=Text()),
        Column("link", False, ("url", "web link", "location"), read=Text(500)),
        Column("body", False, ("text", "content"), read=Text()),
    )

    def lookups(self, partnership):
        return {"groups": group_names(partnership)}

    def clean(self, row, lookups):
        values = self.read(row, lookups)
        if values["link"] and not URL.match(values["link"]):
            row.problem("link", f"'{values['link']}' is not a web address (it starts https://).")
        if values["status"] in (VersionStatus.CONSULTATION, VersionStatus.APPROVED):
            row.problem("status", "is a version being worked on: import it as a draft and take it on in Jigsaw.")
        published = values["status"] in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
        if published and not (values["link"] or values["body"]):
            row.problem("link", "is blank, and so is the body: a published version has its text or a link to it.")
        if values["number"] == 0:
            row.problem("version", "starts at 1.")
        return values

    def key_of(self, values):
        return (normalise(values["title"]), values["number"])

    def describe_key(self):
        return "the same procedure and version"

    def held(self, partnership):
        return {
            (normalise(title), number)
            for title, number in Version.objects.filter(document__partnership=partnership).values_list(
                "document__title", "number"
            )
        }

    def add(self, *, actor, partnership, values, lookups):
        document = named(Document.objects.filter(partnership=partnership), values["title"])
        if document is None:
            document = services.document_create(
                actor=actor,
                partnership=partnership,
                title=values["title"],
                kind=values["kind"],
                owning_group=values["owning_group"],
                summary=values["summary"],
            )
        following = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        if values["number"] != following:
            raise ValidationError(
                {
                    "version": f"is {values['number']} but {document.title}'s next version is {following}: list its versions in order."
                }
            )
        body = values["body"]
        if values["link"]:
            body = f"[Read it here]({values['link']})\n\n{body}".strip()
        version = services.version_create(
            actor=actor,
            document=document,
            body=body,
            effective_on=values["effective_on"],
            what_changed=values["what_changed"],
        )
        if values["status"] in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED):
            services.version_approve(
                actor=actor, version=version, approved_on=values["approved_on"] or values["effective_on"]
            )
            services.version_publish(
                actor=actor,
                version=version,
                published_on=values["published_on"] or values["approved_on"] or values["effective_on"],
            )

    def export(self, partnership):
        versions = (
            Version.objects.filter(document__partnership=partnership)
            .select_related("document__owning_group")
            .order_by("document__title", "number")
        )
        for v in versions:
            document = v.document
            match = LINK.match(v.body)
            yield [
                document.title,
                document.get_kind_display(),
                document.summary,
                document.owning_group.name if document.owning_group_id else "",
                v.number,
                v.get_status_display(),
                v.effective_on,
                v.approved_on,
                v.published_on,
                v.what_changed,
                match[1] if match else "",
                v.body[match.end() :] if match else v.body,
            ]


IMPORTERS = (ProcedureImporter,)
