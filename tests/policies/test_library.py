"""The procedures library: documents, versions, triggers, consultation, approval, publishing,
review reminders and the bad input each step refuses."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.core import dates
from jigsaw.core.scoping import Role
from jigsaw.governance.models import Group
from jigsaw.policies import services, tasks
from jigsaw.policies.models import Attachment, Document, ReviewReminder, Status, VersionStatus
from tests.files import docx_bytes

from .world import PDF

TODAY = datetime.date.today()


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture
def bu(world):
    return world.users[Role.BUSINESS_UNIT]


@pytest.fixture
def mapp(world):
    return Group.objects.create(
        partnership=world.partnership, name="Multi-agency Policy and Procedure group", kind="subgroup"
    )


@pytest.mark.django_db
def test_a_procedure_goes_from_draft_through_consultation_and_approval_to_the_public_site(world, mapp):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        "/durham/procedures/new/", {"title": "Forced Marriage", "kind": "procedure", "review_interval_months": 24}
    )
    document = Document.objects.get(title="Forced Marriage")
    assert response.status_code == 302 and document.owning_group == mapp  # the default owner group
    client.post(
        f"/durham/procedures/{document.pk}/versions/new/",
        {
            "body": "# Recognising forced marriage\n\nA forced marriage is one where consent is not given.\n\n# What to do\n\nNever attempt mediation.",
            "what_changed": "Updated for the new statutory guidance.",
            **date_fields("effective_on", TODAY),
        },
    )
    version = document.versions.get()
    public = world.client(None)
    assert public.get(f"/durham/public/procedures/{document.pk}/").status_code == 404  # a draft is never public
    response = client.post(
        f"/durham/procedures/versions/{version.pk}/consultation/",
        {"agencies": [world.police.pk], **date_fields("closes_on", TODAY + datetime.timedelta(days=10))},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.CONSULTATION
    assert public.get(f"/durham/public/procedures/{document.pk}/").status_code == 404
    consultation = version.consultation
    client.post(
        f"/durham/procedures/consultations/{consultation.pk}/comment/",
        {"agency": world.police.pk, "comment": "Add the Forced Marriage Unit's number."},
    )
    comment = consultation.comments.get()
    client.post(f"/durham/procedures/comments/{comment.pk}/answer/", {"answer": "Added under 'What to do'."})
    page = client.get(f"/durham/procedures/{document.pk}/").content.decode()
    assert "Add the Forced Marriage Unit" in page and "Added under" in page
    client.post(f"/durham/procedures/versions/{version.pk}/approve/")
    client.post(f"/durham/procedures/versions/{version.pk}/publish/")
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED and document.current_version == version
    assert document.review_due_on == dates.add_months(TODAY, 24)
    shown = public.get(f"/durham/public/procedures/{document.pk}/").content.decode()
    assert "Updated for the new statutory guidance." in shown and 'id="what-to-do"' in shown
    assert "Forced Marriage" in public.get("/durham/public/whats-new/").content.decode()
    assert "Forced Marriage" in public.get("/durham/public/feed/").content.decode()


@pytest.mark.django_db
def test_publishing_without_approval_is_refused_and_nothing_changes(world, bu):
    document = services.document_create(
        actor=bu, partnership=world.partnership, title="Referrals guidance", kind="practice_guidance"
    )
    version = services.version_create(actor=bu, document=document, body="Text", effective_on=TODAY, what_changed="New")
    with pytest.raises(ValidationError) as error:
        services.version_publish(actor=bu, version=version)
    assert "status" in error.value.message_dict and "approved" in str(error.value)
    response = world.client(Role.BUSINESS_UNIT).post(f"/durham/procedures/versions/{version.pk}/publish/", follow=True)
    assert "must be approved before it is published" in response.content.decode()
    document.refresh_from_db()
    version.refresh_from_db()
    assert (
        document.status == Status.DRAFT and document.current_version is None and version.status == VersionStatus.DRAFT
    )


@pytest.mark.django_db
def test_a_version_dated_before_the_previous_one_is_refused(world, bu):
    document = Document.objects.get(title="Child protection enquiries")
    response = world.client(Role.BUSINESS_UNIT).post(
        f"/durham/procedures/{document.pk}/versions/new/",
        {
            "body": "Later text",
            "what_changed": "Revised",
            **date_fields("effective_on", TODAY - datetime.timedelta(days=30)),
        },
    )
    assert response.status_code == 200
    assert "cannot be before the previous version" in response.content.decode()
    assert document.versions.count() == 1


@pytest.mark.django_db
def test_a_consultation_closing_in_the_past_is_refused(world, bu):
    document = services.document_create(
        actor=bu, partnership=world.partnership, title="Information Sharing", kind="procedure"
    )
    version = services.version_create(actor=bu, document=document, body="Text", effective_on=TODAY, what_changed="New")
    response = world.client(Role.BUSINESS_UNIT).post(
        f"/durham/procedures/versions/{version.pk}/consultation/",
        {"agencies": [world.police.pk], **date_fields("closes_on", TODAY - datetime.timedelta(days=1))},
    )
    assert "The closing date cannot be in the past." in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert not type(version).objects.filter(pk=version.pk, consultation__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"plain words", "upload a PDF or Word document"),
        ("fake.pdf", b"MZ this is a program", "is named .pdf but is not a PDF"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "is named .docx but is not a Word document"),
    ],
)
def test_an_attachment_of_the_wrong_type_is_refused(world, name, content, message):
    version = world.policies_draft.versions.get()
    response = world.client(Role.BUSINESS_UNIT).post(
        f"/durham/procedures/versions/{version.pk}/attach/",
        {"title": "Flowchart", "file": SimpleUploadedFile(name, content)},
    )
    assert message in response.content.decode()
    assert not version.attachments.exists()


@pytest.mark.django_db
def test_pdf_and_word_attachments_are_accepted_and_a_too_large_one_is_refused(world, bu, monkeypatch):
    version = world.policies_draft.versions.get()
    services.attachment_add(actor=bu, version=version, title="Flowchart", file=SimpleUploadedFile("flow.pdf", PDF))
    services.attachment_add(
        actor=bu, version=version, title="Template", file=SimpleUploadedFile("template.docx", docx_bytes())
    )
    assert sorted(version.attachments.values_list("kind", flat=True)) == ["docx", "pdf"]
    big = SimpleUploadedFile("big.pdf", PDF)
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=bu, version=version, title="Big", file=big)
    assert "larger than 10 MB" in error.value.message_dict["file"][0]
    assert version.attachments.count() == 2


@pytest.mark.django_db
def test_markup_with_script_is_shown_as_text_never_run(world, bu):
    document = services.document_create(
        actor=bu, partnership=world.partnership, title="Online Safety", kind="procedure"
    )
    body = '# Online safety\n\n<script>alert("x")</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>'
    version = services.version_create(actor=bu, document=document, body=body, effective_on=TODAY, what_changed="New")
    services.version_approve(actor=bu, version=version)
    services.version_publish(actor=bu, version=version)
    page = world.client(None).get(f"/durham/public/procedures/{document.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "javascript:" not in page.split('id="online-safety"')[1].split("</main>")[0].replace(
        "[click](javascript:alert(1))", ""
    )
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")


@pytest.mark.django_db
def test_the_trigger_trail_links_a_version_to_the_learning_that_changed_it(world, bu):
    from jigsaw.actions.services import action_raise

    action = action_raise(
        actor=bu, partnership=world.partnership, description="Review the serious and organised abuse procedure"
    )
    document = services.document_create(
        actor=bu,
        partnership=world.partnership,
        title="Serious and organised abuse",
        kind="procedure",
        joint_partner="Darlington",
    )
    version = services.version_create(
        actor=bu, document=document, body="Text", effective_on=TODAY, what_changed="Reviewed after Operation Esdras."
    )
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        f"/durham/procedures/versions/{version.pk}/trigger/",
        {"record_type": "actions.learningaction", "record_id": action.pk, "label": ""},
    )
    assert response.status_code == 302
    client.post(
        f"/durham/procedures/versions/{version.pk}/trigger/",
        {"record_type": "", "label": "Operation Esdras multi-agency audit"},
    )
    bad = client.post(
        f"/durham/procedures/versions/{version.pk}/trigger/",
        {"record_type": "actions.learningaction", "record_id": 99999, "label": ""},
    )
    assert "Choose from this partnership&#x27;s learning actions." in bad.content.decode()
    page = client.get(f"/durham/procedures/{document.pk}/").content.decode()
    assert action.reference in page and "Operation Esdras multi-agency audit" in page
    assert version.triggers.count() == 2


@pytest.mark.django_db
def test_review_reminders_go_to_the_owner_once(world, bu):
    from jigsaw.core import services as core_services

    owner = core_services.person_create(
        actor=bu, partnership=world.partnership, name="Policy Officer", email="policy@durham.example"
    )
    document = Document.objects.get(title="Child protection enquiries")
    services.document_update(actor=bu, document=document, owner=owner, review_due_on=TODAY + datetime.timedelta(days=5))
    mail.outbox.clear()
    tasks.send_review_reminders.enqueue(world.partnership.pk)
    tasks.send_review_reminders.enqueue(world.partnership.pk)
    assert [m.to for m in mail.outbox] == [["policy@durham.example"]]
    assert ReviewReminder.objects.filter(document=document).count() == 1
    page = world.client(Role.MEMBER).get("/durham/procedures/reviews/").content.decode()
    assert "Child protection enquiries" in page


@pytest.mark.django_db
def test_the_daily_command_reminds_every_partnership_once_with_a_link_to_the_document(world, bu, settings):
    from io import StringIO

    from django.core.management import call_command

    from jigsaw.core import services as core_services

    settings.SITE_URL = "https://jigsaw.durham.example"
    owner = core_services.person_create(
        actor=bu, partnership=world.partnership, name="Policy Officer", email="policy@durham.example"
    )
    document = Document.objects.get(title="Child protection enquiries")
    services.document_update(actor=bu, document=document, owner=owner, review_due_on=TODAY - datetime.timedelta(days=1))
    mail.outbox.clear()
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    call_command("send_review_reminders", "--partnership", "durham", stdout=out)
    assert [m.to for m in mail.outbox] == [["policy@durham.example"]]
    assert f"https://jigsaw.durham.example/durham/procedures/{document.pk}/" in mail.outbox[0].body
    assert "Durham Safeguarding Children Partnership: 1 review reminders sent." in out.getvalue()
    assert "Durham Safeguarding Children Partnership: 0 review reminders sent." in out.getvalue()


@pytest.mark.django_db
def test_withdrawn_and_draft_documents_never_reach_the_public(world, bu):
    document = Document.objects.get(title="Child protection enquiries")
    public = world.client(None)
    assert public.get(f"/durham/public/procedures/{document.pk}/").status_code == 200
    attachment = Attachment.objects.get(version__document=document)
    assert public.get(f"/durham/public/files/{attachment.pk}/").status_code == 200
    services.document_withdraw(actor=bu, document=document)
    assert public.get(f"/durham/public/procedures/{document.pk}/").status_code == 404
    assert public.get(f"/durham/public/files/{attachment.pk}/").status_code == 404
    for url in ("/durham/public/", "/durham/public/procedures/", "/durham/public/whats-new/", "/durham/public/feed/"):
        body = public.get(url).content.decode()
        assert "Child protection enquiries" not in body and "Referrals" not in body, url


@pytest.mark.django_db
def test_a_published_document_keeps_its_version_in_force_while_the_next_is_drafted(world, bu):
    document = Document.objects.get(title="Child protection enquiries")
    services.version_create(
        actor=bu, document=document, body="Secret new wording", effective_on=TODAY, what_changed="Draft revision"
    )
    page = world.client(None).get(f"/durham/public/procedures/{document.pk}/").content.decode()
    assert "Section 47 enquiries." in page and "Secret new wording" not in page
    assert world.client(None).get(f"/durham/procedures/versions/{document.versions.first().pk}/").status_code == 302
