"""The one file store (issue 23): uploads land in the configured store (here moto's S3 server,
started by the tests on 127.0.0.1), come back only through the scoped download view (audited
where personal), fail whole with a message when the store does not answer, and `jigsaw
move_files` moves what is already held, again and again without harm."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from jigsaw.actions.models import ActionEvent, EvidenceFile, Status
from jigsaw.core.scoping import Role
from jigsaw.governance.models import Paper
from jigsaw.settings import file_storage
from jigsaw.training.models import ImportBatch, ImportOutcome
from tests.files import docx_bytes, pdf_bytes
from tests.s3 import CREDENTIALS, free_port


def _viewed(record) -> int:
    return LogEntry.objects.get_for_object(record).filter(action=LogEntry.Action.ACCESS).count()


def _unreachable(settings, s3_store):
    """The store's address with nothing listening: what a store that is down looks like."""
    env = {**s3_store.env, "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}", "JIGSAW_FILE_STORAGE_TIMEOUT": "1"}
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(env)}


def _download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_paper_goes_to_the_store_and_comes_back_only_through_the_scoped_audited_download(world, s3_store):
    client = world.client(Role.BUSINESS_UNIT)
    content = pdf_bytes("terms of reference")
    response = client.post(
        reverse("governance:paper-add", args=["durham", world.meeting.pk]),
        {"title": "Terms of reference", "file": SimpleUploadedFile("terms.pdf", content)},
    )
    assert response.status_code == 302
    paper = Paper.objects.get(title="Terms of reference")
    assert s3_store.keys() == {paper.file.name: content}  # in the bucket, nowhere else

    url = reverse("governance:paper", args=["durham", paper.pk])
    download = client.get(url)
    assert download.status_code == 200 and _download(download) == content
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Terms of reference.pdf"'
    assert download["Content-Security-Policy"].startswith("sandbox")
    entry = LogEntry.objects.get_for_object(paper).filter(action=LogEntry.Action.ACCESS).get()
    assert entry.actor == world.users[Role.BUSINESS_UNIT]
    # Someone from another partnership is told nothing exists, and nothing is recorded for them.
    assert world.client("outsider").get(url).status_code == 404 and _viewed(paper) == 1


def test_learning_log_evidence_is_stored_as_a_file_not_a_row_and_downloads_audited(world, s3_store):
    action = world.council_action
    client = world.client(Role.BUSINESS_UNIT)
    content = docx_bytes()
    response = client.post(
        f"/durham/actions/{action.pk}/progress/",
        {"status": "completed", "evidence": "Audit done.", "files": [SimpleUploadedFile("audit.docx", content)]},
    )
    assert response.status_code == 302
    evidence = action.evidence_files.get()
    assert bytes(evidence.content) == b"" and s3_store.keys() == {evidence.file.name: content}
    download = world.client(Role.MEMBER).get(evidence.get_absolute_url())
    assert download.status_code == 200 and _download(download) == content
    assert download["Content-Disposition"] == 'attachment; filename="audit.docx"'
    assert _viewed(evidence) == 1


def test_section_11_evidence_and_import_files_download_through_the_same_view(
    world, s3_store, django_capture_on_commit_callbacks
):
    from jigsaw.assurance import services as assurance_services

    assurance_services.return_save_answers(
        actor=None,
        assessment_return=world.assessment_return,
        answers={world.question: {"rating": "green", "evidence_file": SimpleUploadedFile("audit.pdf", pdf_bytes())}},
    )
    answer = world.assessment_return.answers.get(question=world.question)
    client = world.client(Role.BUSINESS_UNIT)
    page = client.get(reverse("assurance:return-check", args=["durham", world.assessment_return.pk])).content.decode()
    url = reverse("assurance:answer-file", args=["durham", answer.pk])
    assert url in page and "audit.pdf" in page
    assert _download(client.get(url)) == pdf_bytes() and _viewed(answer) == 1
    # A new file replaces the old one in the store too.
    old = answer.evidence_file.name
    with django_capture_on_commit_callbacks(execute=True):
        assurance_services.return_save_answers(
            actor=None,
            assessment_return=world.assessment_return,
            answers={
                world.question: {"rating": "amber", "evidence_file": SimpleUploadedFile("new.pdf", pdf_bytes("2"))}
            },
        )
    answer.refresh_from_db()
    assert set(s3_store.keys()) == {answer.evidence_file.name} and answer.evidence_file.name != old

    export = b"Learner,Email,Organisation,Course,Completion date\nAnn Able,ann@school.example,Schools,Safeguarding Children Awareness,02/05/2024\n"
    client.post("/durham/training/imports/new/", {"file": SimpleUploadedFile("export.csv", export)})
    batch = ImportBatch.objects.latest("pk")
    assert s3_store.keys()[batch.stored_as] == export
    file_url = reverse("training:import-file", args=["durham", batch.pk])
    assert file_url in client.get(batch.get_absolute_url()).content.decode()
    download = client.get(file_url)
    assert _download(download) == export and 'filename="export.csv"' in download["Content-Disposition"]
    assert _viewed(batch) == 1
    assert world.client(Role.AGENCY_LEAD).get(file_url).status_code == 403
    assert batch.outcome == ImportOutcome.CHECKED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/durham/training/imports/{batch.pk}/import/")  # imported: the stored file is removed
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED and batch.stored_as not in s3_store.keys()


def test_a_store_that_does_not_answer_saves_nothing_and_says_so(world, s3_store, settings):
    client = world.client(Role.BUSINESS_UNIT)
    stored = client.post(
        reverse("governance:paper-add", args=["durham", world.meeting.pk]),
        {"title": "Kept", "file": SimpleUploadedFile("kept.pdf", pdf_bytes())},
    )
    assert stored.status_code == 302
    kept = Paper.objects.get(title="Kept")
    _unreachable(settings, s3_store)
    papers, events = Paper.objects.count(), ActionEvent.objects.count()

    page = client.post(
        reverse("governance:paper-add", args=["durham", world.meeting.pk]),
        {"title": "Lost", "file": SimpleUploadedFile("lost.pdf", pdf_bytes())},
    )
    assert page.status_code == 200
    assert "Jigsaw&#x27;s file store is not answering. Nothing was saved." in page.content.decode()
    assert Paper.objects.count() == papers

    action = world.council_action
    page = client.post(
        f"/durham/actions/{action.pk}/progress/",
        {"status": "completed", "evidence": "Done.", "files": [SimpleUploadedFile("audit.docx", docx_bytes())]},
    )
    assert "file store is not answering" in page.content.decode()
    action.refresh_from_db()
    assert action.status == Status.OPEN and not action.evidence_files.exists()
    assert ActionEvent.objects.count() == events

    export = b"Learner,Email,Organisation,Course,Completion date\nAnn Able,ann@school.example,Schools,Safeguarding Children Awareness,02/05/2024\n"
    batches = ImportBatch.objects.count()
    page = client.post("/durham/training/imports/new/", {"file": SimpleUploadedFile("export.csv", export)})
    assert "file store is not answering" in page.content.decode() and ImportBatch.objects.count() == batches

    download = client.get(reverse("governance:paper", args=["durham", kept.pk]))
    assert download.status_code == 503
    assert "This file is unavailable just now" in download.content.decode() and _viewed(kept) == 0
    assert set(s3_store.keys()) == {kept.file.name}  # nothing half-saved in the store either


def test_a_file_gone_from_the_store_is_said_to_be_unavailable(world, s3_store):
    client = world.client(Role.BUSINESS_UNIT)
    client.post(
        reverse("governance:paper-add", args=["durham", world.meeting.pk]),
        {"title": "Gone", "file": SimpleUploadedFile("gone.pdf", pdf_bytes())},
    )
    paper = Paper.objects.get(title="Gone")
    s3_store.server.client().delete_object(Bucket=s3_store.bucket, Key=paper.file.name)
    response = client.get(reverse("governance:paper", args=["durham", paper.pk]))
    assert response.status_code == 404 and "it is no longer in Jigsaw&#x27;s file store" in response.content.decode()


def test_move_files_moves_local_files_and_evidence_rows_into_the_store_and_can_run_again(
    world, settings, moto_server, monkeypatch
):
    # What an instance held before the store: papers on the server's disk, evidence in its row.
    client = world.client(Role.BUSINESS_UNIT)
    client.post(
        reverse("governance:paper-add", args=["durham", world.meeting.pk]),
        {"title": "Local paper", "file": SimpleUploadedFile("local.pdf", pdf_bytes("local"))},
    )
    paper = Paper.objects.get(title="Local paper")
    # A row as the old evidence service wrote it (the file in the row): no service writes one now.
    legacy = EvidenceFile.objects.create(
        action=world.council_action,
        name="old briefing.pdf",
        content_type="application/pdf",
        size=9,
        content=b"%PDF-old!",
    )
    assert _download(client.get(legacy.get_absolute_url())) == b"%PDF-old!"  # served from the row until moved

    bucket = moto_server.new_bucket()
    env = moto_server.env(bucket)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(env)}
    # A copy cut short by an earlier run that was stopped: replaced, not trusted.
    moto_server.client().put_object(Bucket=bucket, Key=paper.file.name, Body=b"%PDF-")

    # The store down: the command says so and nothing is lost.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": file_storage({**env, "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}),
    }
    with pytest.raises(CommandError, match="The file store did not answer"):
        call_command("move_files", stdout=io.StringIO())
    legacy.refresh_from_db()
    assert bytes(legacy.content) == b"%PDF-old!" and not legacy.file

    settings.STORAGES = {**settings.STORAGES, "default": file_storage(env)}
    out = io.StringIO()
    call_command("move_files", stdout=out)
    assert "evidence file kept in the database" in out.getvalue()
    objects = moto_server.keys(bucket)
    legacy.refresh_from_db()
    assert objects[paper.file.name] == pdf_bytes("local")
    assert objects[legacy.file.name] == b"%PDF-old!" and bytes(legacy.content) == b""
    assert _download(client.get(legacy.get_absolute_url())) == b"%PDF-old!"
    assert _download(client.get(reverse("governance:paper", args=["durham", paper.pk]))) == pdf_bytes("local")

    again = io.StringIO()
    call_command("move_files", stdout=again)
    assert again.getvalue().startswith("Moved 0 files and 0 evidence files kept in the database into the file store;")
    assert moto_server.keys(bucket) == objects


def test_move_files_with_the_local_store_has_nothing_to_move(world):
    out = io.StringIO()
    call_command("move_files", stdout=out)
    assert "its files are already in place" in out.getvalue()


def test_the_store_is_chosen_by_settings():
    assert file_storage({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = file_storage({"JIGSAW_FILE_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_ENDPOINT_URL": "http://x"})
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage" and s3["OPTIONS"]["bucket_name"] == "b"
    assert not s3["OPTIONS"]["file_overwrite"] and s3["OPTIONS"]["default_acl"] is None
    azure = file_storage({"JIGSAW_FILE_STORAGE": "azure", "AZURE_CONTAINER": "c", "AZURE_ACCOUNT_NAME": "a"})
    assert azure["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
    assert azure["OPTIONS"]["azure_container"] == "c" and azure["OPTIONS"]["account_name"] == "a"
    for env, message in (
        ({"JIGSAW_FILE_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        ({"JIGSAW_FILE_STORAGE": "azure"}, "AZURE_CONTAINER"),
        ({"JIGSAW_FILE_STORAGE": "ftp"}, "'local', 's3' or 'azure'"),
    ):
        with pytest.raises(ImproperlyConfigured, match=message):
            file_storage(env)
