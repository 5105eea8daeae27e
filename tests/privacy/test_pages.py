"""The business unit's pages: the schedule changed on its page, the runs read, and a subject access
request made and downloaded as a zip of JSON and CSV, audited."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from jigsaw.core import services as core
from jigsaw.core.scoping import Role
from jigsaw.privacy.models import SubjectAccessRequest


def _url(world, name, *args):
    return reverse(f"privacy:{name}", args=[world.partnership.slug, *args])


def test_the_business_unit_changes_a_period_on_the_schedule_page(world):
    client = world.client(Role.BUSINESS_UNIT)
    page = client.get(_url(world, "schedule")).content.decode()
    assert "Learners" in page and "36 months" in page and "Case reviews" in page
    assert "Child Safeguarding Practice Review Panel" in page

    refused = client.post(_url(world, "rule-update", "learners"), {"months": "12", "outcome": "delete"})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()  # learners are only pseudonymised

    empty = client.post(_url(world, "rule-update", "bookings"), {"months": "", "outcome": "delete"})
    assert "Enter how many months to keep these records" in empty.content.decode()

    saved = client.post(
        _url(world, "rule-update", "bookings"), {"months": "18", "outcome": "delete", "reason": "Our charging year."}
    )
    assert saved.status_code == 302
    page = client.get(_url(world, "schedule")).content.decode()
    assert "18 months" in page and "Your own" in page
    form = client.get(_url(world, "rule-update", "bookings")).content.decode()
    assert 'value="18"' in form and "Our charging year." in form
    assert client.get(_url(world, "rule-update", "no-such-kind")).status_code == 404


def test_only_the_business_unit_opens_the_privacy_pages(world):
    for role in (Role.SCRUTINEER, Role.AGENCY_LEAD, Role.PRACTITIONER):
        client = world.client(role)
        assert client.get(_url(world, "schedule")).status_code == 403
        assert client.get(_url(world, "request-download", world.subject_access_request.pk)).status_code == 403
    # Another partnership's business unit: not found.
    assert world.client("outsider").get(_url(world, "requests")).status_code == 404


def test_the_runs_are_readable(world):
    client = world.client(Role.BUSINESS_UNIT)
    listing = client.get(_url(world, "runs")).content.decode()
    assert world.retention_run.summary == "Nothing was past its period." and "Nothing was past its period." in listing
    detail = client.get(world.retention_run.get_absolute_url()).content.decode()
    assert "Learners" in detail and "Audit trail entries" in detail and "0 pseudonymised" in detail


def _zip(response) -> zipfile.ZipFile:
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


def test_a_subject_access_request_finds_everything_about_someone_and_is_audited(world):
    bu = world.users[Role.BUSINESS_UNIT]
    member = world.users[Role.MEMBER]
    # Something that names them in text, and a change they made.
    core.person_update(actor=member, person=member.person, job_title="Designated safeguarding lead")
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(_url(world, "request-create"), {"subject": "Member@Durham.example", "reference": "SAR-9"})
    assert response.status_code == 302
    request = SubjectAccessRequest.objects.get(partnership=world.partnership, reference="SAR-9")
    page = client.get(response["Location"]).content.decode()
    assert "What Jigsaw holds about Member@Durham.example" in page
    assert "People" in page and "Audit trail entries" in page
    assert request.found["core.Person"] == 1 and request.found["core.User"] == 1
    # Their seat as a trainer, their role: records that point at them.
    assert request.found["core.RoleAssignment"] == 1 and request.found["training.Event"] >= 1

    archive = _zip(client.get(_url(world, "request-download", request.pk)))
    names = set(archive.namelist())
    assert {
        "README.txt",
        "summary.json",
        "json/core.Person.json",
        "csv/core.Person.csv",
        "json/audit_trail.json",
    } <= names
    person = json.loads(archive.read("json/core.Person.json"))[0]
    assert person["name"] == "Group member Person" and person["job title"] == "Designated safeguarding lead"
    rows = list(csv.DictReader(io.StringIO(archive.read("csv/audit_trail.csv").decode())))
    assert any(row["by"] == "Group member Person" and "Designated safeguarding lead" in row["changes"] for row in rows)
    assert not any(row["by"].startswith("'") for row in rows)  # an empty cell is not taken for a formula
    # What the person is owed beside their data: how long each kind is kept.
    assert (
        "Learners: 36 months after their last completed training, then pseudonymised"
        in archive.read("README.txt").decode()
    )
    user = json.loads(archive.read("json/core.User.json"))[0]
    assert "password" not in user  # never exported
    # Nobody else's: the other partnership's people are not in it.
    assert b"darlington.example" not in b"".join(archive.read(n) for n in names)

    # The request and its download are in the audit trail, as the business unit's.
    content_type = ContentType.objects.get_for_model(SubjectAccessRequest)
    entries = LogEntry.objects.filter(content_type=content_type, object_pk=str(request.pk))
    assert entries.filter(action=LogEntry.Action.CREATE, actor=bu).exists()
    assert entries.filter(action=LogEntry.Action.ACCESS, actor=bu).exists()
    request.refresh_from_db()
    assert request.downloads == 1


def test_a_learner_and_a_booker_are_found_by_name_and_by_email(world):
    client = world.client(Role.BUSINESS_UNIT)
    client.post(_url(world, "request-create"), {"subject": "Lee Learner"})
    by_name = SubjectAccessRequest.objects.get(partnership=world.partnership, subject="Lee Learner")
    assert by_name.found["training.Learner"] == 1 and by_name.found["training.Completion"] == 1
    archive = _zip(client.get(_url(world, "request-download", by_name.pk)))
    completions = json.loads(archive.read("json/training.Completion.json"))
    assert completions[0]["course"].startswith("Safeguarding Children Awareness")

    client.post(_url(world, "request-create"), {"subject": "bea@school.example"})
    booker = SubjectAccessRequest.objects.get(partnership=world.partnership, subject="bea@school.example")
    assert booker.found["training.Booking"] == 1

    client.post(_url(world, "request-create"), {"subject": "nobody@nowhere.example"})
    nobody = SubjectAccessRequest.objects.get(partnership=world.partnership, subject="nobody@nowhere.example")
    page = client.get(nobody.get_absolute_url()).content.decode()
    assert "Jigsaw holds nothing about nobody@nowhere.example" in page


def test_a_request_without_a_subject_says_so_and_saves_nothing(world):
    client = world.client(Role.BUSINESS_UNIT)
    before = SubjectAccessRequest.objects.count()
    response = client.post(_url(world, "request-create"), {"subject": "  "})
    assert "Enter the person&#x27;s email address or full name." in response.content.decode()
    assert SubjectAccessRequest.objects.count() == before
