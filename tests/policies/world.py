"""Example records for the URL × role matrix: a published procedure (sorted first, so the
public pages' <pk> targets it) with an attachment, a draft under consultation with a comment,
a digest and an escalation raised by the police."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.policies import services
from jigsaw.policies.models import DocumentKind
from tests.files import pdf_bytes

PDF = pdf_bytes("flowchart")


def populate(world):
    bu = world.users["business_unit"]
    today = datetime.date.today()
    published = services.document_create(
        actor=bu, partnership=world.partnership, title="Child protection enquiries", kind=DocumentKind.PROCEDURE
    )
    version = services.version_create(
        actor=bu,
        document=published,
        body="# Purpose\n\nSection 47 enquiries.",
        effective_on=today,
        what_changed="First version.",
    )
    services.attachment_add(
        actor=bu, version=version, title="Flowchart", file=SimpleUploadedFile("flow.pdf", PDF, "application/pdf")
    )
    services.trigger_add(actor=bu, version=version, label="Horizon scanning: national panel review")
    services.version_approve(actor=bu, version=version)
    services.version_publish(actor=bu, version=version)
    draft = services.document_create(
        actor=bu, partnership=world.partnership, title="Referrals", kind=DocumentKind.PROCEDURE
    )
    draft_version = services.version_create(
        actor=bu, document=draft, body="Draft text.", effective_on=today, what_changed="New."
    )
    consultation = services.consultation_open(
        actor=bu, version=draft_version, agencies=[world.police], closes_on=today + datetime.timedelta(days=14)
    )
    services.comment_add(
        actor=bu, consultation=consultation, agency=world.police, comment="Please add the out-of-hours number."
    )
    world.policies_draft = draft
    services.digest_create(
        actor=bu,
        partnership=world.partnership,
        subject="What's new",
        period_start=today,
        period_end=today,
        topics=["procedures"],
        body="Nothing yet.",
    )
    services.site_page_save(
        actor=bu, partnership=world.partnership, kind="privacy", body="## Who we are\n\nThe partnership."
    )
    world.url_arguments["kind"] = lambda world, target: "privacy"
    services.escalation_create(
        actor=bu,
        partnership=world.partnership,
        raising_agency=world.police,
        receiving_agency=world.council,
        practitioner_role="Police officer",
        child_reference="C-0001",
        theme=world.theme,
        stage1_on=today,
    )
