"""The outside probe's findings (issue 19), one test or more each, over HTTP where the finding
was about HTTP: production mail, the table reader and its zip bomb, uploads checked by content,
the request body cap, no-store, tokens, throttles, the feed, the access log and the timeouts."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from xml.etree import ElementTree

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jigsaw.core import middleware, services, tables, uploads
from jigsaw.core.models import ApiToken
from jigsaw.core.scoping import Role
from jigsaw.governance.models import Paper
from tests.conftest import PASSWORD
from tests.files import docx_bytes, office_bytes, pdf_bytes, png_bytes

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
POLYGLOT = b"%PDF-1.4\n" + HTML + b"\n" + pdf_bytes()[9:]


# 1. Production does not start with mail that is printed or dropped ----------------------------


def _deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {
        key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "JIGSAW_", "DATABASE_URL"))
    }
    base.update(
        {
            "JIGSAW_ENV": "production",
            "SECRET_KEY": "k" * 20 + "a-long-and-random-production-key-0123456789",
            "ALLOWED_HOSTS": "jigsaw.example",
            "JIGSAW_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "jigsaw.settings",
        },
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "jigsaw.cli", "check", "--deploy"], env=base, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_refuses_a_production_email_backend_that_prints_or_drops_mail(tmp_path):
    """Seen failing: with no EMAIL_BACKEND, production printed ten working reset links in its log and `check --deploy` was clean."""
    for backend in (
        None,
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ):
        result = _deploy_check(tmp_path, **({"EMAIL_BACKEND": backend} if backend else {}))
        assert result.returncode != 0 and "jigsaw.E001" in result.stderr, (backend, result.stderr)
    assert (
        "jigsaw.E001" not in _deploy_check(tmp_path, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend").stderr
    )
    assert "jigsaw.E001" not in _deploy_check(tmp_path, JIGSAW_ALLOW_UNSENT_EMAIL="true").stderr


# 2. One safe reader for uploaded tables ---------------------------------------------------------


def sheet_bomb(expanded: int = 200 * 1024 * 1024) -> bytes:
    """An .xlsx whose sheet XML expands to `expanded` bytes: rows of one repeated cell with a
    row number every so often, compressing about 300 to 1 as the probe's 694 KB file did."""
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>safeguarding</t></is></c></row>' * 800
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b"<worksheet><sheetData>")
            written, n = 0, 0
            while written < expanded:
                chunk = row + f'<row r="{n}"><c><v>{n * 7919 % 100003}</v></c></row>'.encode()
                sheet.write(chunk)
                written += len(chunk)
                n += 1
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return sheet_bomb()


def test_the_694_kb_bomb_is_refused_quickly_by_every_importer_that_takes_xlsx(world, bomb):
    """Seen failing: the returns upload held a worker 302 s (58 MB to 435 MB) on this file; the
    completions import refused it in its own way."""
    client = world.client(Role.BUSINESS_UNIT)
    started = time.perf_counter()
    page = client.post(
        reverse("performance:upload", args=[world.partnership.slug]), {"file": SimpleUploadedFile("returns.xlsx", bomb)}
    ).content.decode()
    returns_seconds = time.perf_counter() - started
    assert "zip bomb" in page
    started = time.perf_counter()
    page = client.post(
        "/durham/training/imports/new/", {"file": SimpleUploadedFile("export.xlsx", bomb)}
    ).content.decode()
    completions_seconds = time.perf_counter() - started
    assert "zip bomb" in page
    print(
        f"\nbomb of {len(bomb) / 1024:.0f} KB (200 MB of sheet XML): refused by the returns upload in {returns_seconds:.2f} s, "
        f"by the completions upload in {completions_seconds:.2f} s"
    )


def test_the_restraint_import_refuses_a_workbook_or_bomb_named_csv(world, bomb):
    from jigsaw.assurance.services import restraint_import

    for content in (bomb[: 2 * 1024 * 1024], office_bytes("xlsx")):
        with pytest.raises(ValidationError, match="not a CSV text file"):
            restraint_import(
                actor=None,
                partnership=world.partnership,
                setting=world.council,
                file=io.BytesIO(content),
                file_name="return.csv",
            )


def test_the_reader_counts_rows_while_streaming_and_stops_at_the_first_past_the_limit():
    limits = tables.TableLimits(max_bytes=1024 * 1024, max_rows=3)
    content = b"a,b\n" + b"1,2\n" * 10
    seen = []
    with pytest.raises(ValidationError, match="more than 3 rows"):
        for number, _ in tables.read_table("t.csv", content, limits=limits):
            seen.append(number)
    assert seen == [1, 2, 3, 4]  # the header and three rows; row 5 was refused, rows 6-11 never read


def test_the_reader_refuses_an_expanded_size_over_the_limit_even_at_a_modest_ratio():
    limits = tables.TableLimits(max_bytes=50 * 1024 * 1024, max_rows=10, max_expanded=1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(700 * 1024).hex().encode())
    with pytest.raises(ValidationError, match="possible zip bomb"):
        list(tables.read_table("t.xlsx", out.getvalue(), limits=limits))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Name,Town\nZoë,Durham\n".encode(), ["Zoë", "Durham"]),
        (b"\xef\xbb\xbf" + "Name,Town\nZoë,Durham\n".encode(), ["Zoë", "Durham"]),
        ("Name,Town\nZoë,Durham\n".encode("utf-16"), ["Zoë", "Durham"]),
        ("Name,Town\nZoë,Durham\n".encode("cp1252"), ["Zoë", "Durham"]),
    ],
)
def test_the_reader_reads_the_encodings_exports_come_in(content, expected):
    rows = list(tables.read_table("t.csv", content, limits=uploads.COMPLETIONS_TABLE))
    assert rows[0] == (1, ["Name", "Town"]) and rows[1] == (2, expected)


def test_the_reader_refuses_nul_and_xml_entities():
    with pytest.raises(ValidationError, match="NUL"):
        list(tables.read_table("t.csv", b"a,b\n1\x00,2\n", limits=uploads.RESTRAINT_TABLE))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><workbook>&b;</workbook>',
        )
    with pytest.raises(ValidationError, match="entities"):
        list(tables.read_table("t.xlsx", out.getvalue(), limits=uploads.RETURNS_TABLE))


# 3. Uploads checked by content --------------------------------------------------------------------

REFUSED = [
    ("HTML named .pdf", "report.pdf", HTML),
    ("SVG named .pdf", "report.pdf", SVG),
    ("%PDF + HTML polyglot", "report.pdf", POLYGLOT),
    ("a program named .pdf", "report.pdf", b"MZ\x90\x00" + b"\x00" * 100),
    ("a header and nothing else", "report.pdf", b"%PDF-1.7 plan"),
    ("a zip named .docx", "report.docx", b"PK\x03\x04" + b"\x00" * 100),
    ("a workbook named .docx", "report.docx", office_bytes("xlsx")),
    ("HTML named .docx", "report.docx", HTML),
    ("SVG named .png", "chart.png", SVG),
    ("HTML named .png", "chart.png", b"\x89PNG\r\n\x1a\n" + HTML),
    ("an SVG", "chart.svg", SVG),
    ("an HTML page", "notes.html", HTML),
]
POLICIES = {
    "paper": uploads.PAPERS,
    "learning evidence": uploads.LEARNING_EVIDENCE,
    "section 11 evidence": uploads.SELF_ASSESSMENT_EVIDENCE,
    "procedure attachment": uploads.PROCEDURE_ATTACHMENTS,
}


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES.keys())
@pytest.mark.parametrize(("case", "name", "content"), REFUSED, ids=[case for case, _, _ in REFUSED])
def test_every_file_field_refuses_what_is_not_what_it_claims(policy, case, name, content):
    with pytest.raises(ValidationError):
        policy.check(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [("notes.txt", HTML), ("notes.txt", b"Notes\n<svg onload=alert(1)>"), ("data.csv", b"a,b\n<script>x</script>,1\n")],
)
def test_text_evidence_holding_markup_is_refused(name, content):
    with pytest.raises(ValidationError, match="markup"):
        uploads.LEARNING_EVIDENCE.check(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("policy", "name", "content"),
    [
        (uploads.PAPERS, "minutes.pdf", pdf_bytes()),
        (uploads.PAPERS, "plan.docx", docx_bytes()),
        (uploads.PAPERS, "budget.xlsx", office_bytes("xlsx")),
        (uploads.PAPERS, "slides.pptx", office_bytes("pptx")),
        (uploads.LEARNING_EVIDENCE, "photo.png", png_bytes()),
        (uploads.LEARNING_EVIDENCE, "notes.txt", b"Briefed 40 staff, 3 < 5."),
        (uploads.SELF_ASSESSMENT_EVIDENCE, "audit.pdf", pdf_bytes()),
        (uploads.PROCEDURE_ATTACHMENTS, "flow.docx", docx_bytes()),
    ],
)
def test_real_files_are_accepted(policy, name, content):
    assert policy.check(SimpleUploadedFile(name, content))


def test_learning_log_evidence_refuses_html_as_pdf_on_the_page(world):
    """Seen failing: learning-log evidence took HTML or SVG named .pdf, and HTML named .txt."""
    client = world.client(Role.BUSINESS_UNIT)
    for name, content in (("briefing.pdf", HTML), ("briefing.pdf", SVG), ("notes.txt", HTML)):
        response = client.post(
            f"/durham/actions/{world.council_action.pk}/progress/",
            {"status": "completed", "evidence": "Done", "files": [SimpleUploadedFile(name, content)]},
        )
        assert response.status_code == 200 and name in response.content.decode()
    assert not world.council_action.evidence_files.exists()


def test_a_polyglot_paper_and_attachment_are_refused_on_the_page(world):
    """Seen failing: a %PDF + HTML polyglot passed the paper and attachment checks."""
    client = world.client(Role.BUSINESS_UNIT)
    before = Paper.objects.count()
    page = client.post(
        reverse("governance:paper-add", args=["durham", world.meeting.pk]),
        {"title": "Polyglot", "file": SimpleUploadedFile("plan.pdf", POLYGLOT)},
    ).content.decode()
    assert "web page markup" in page and Paper.objects.count() == before
    version = world.policies_draft.versions.get()
    page = client.post(
        f"/durham/procedures/versions/{version.pk}/attach/",
        {"title": "Polyglot", "file": SimpleUploadedFile("flow.pdf", POLYGLOT)},
    ).content.decode()
    assert "web page markup" in page and not version.attachments.exists()


def test_section_11_evidence_is_checked_like_every_other_file(world):
    """Seen failing: section 11 evidence accepted anything up to 5 MB."""
    from jigsaw.assurance import services as assurance_services

    kept = list(world.assessment_return.answers.values_list("evidence_file", flat=True))
    for name, content in (("audit.pdf", HTML), ("audit.pdf", b"MZ\x90\x00 a program"), ("audit.svg", SVG)):
        with pytest.raises(ValidationError) as refused:
            assurance_services.return_save_answers(
                actor=None,
                assessment_return=world.assessment_return,
                answers={world.question: {"rating": "green", "evidence_file": SimpleUploadedFile(name, content)}},
            )
        assert name in str(refused.value)
    assert list(world.assessment_return.answers.values_list("evidence_file", flat=True)) == kept


def test_stored_files_are_served_as_sandboxed_attachments(world):
    client = world.client(Role.BUSINESS_UNIT)
    paper = Paper.objects.filter(meeting__group__partnership=world.partnership).first()
    evidence = world.action.evidence_files.first()
    attachment = (
        world.policies_draft.partnership.documents.exclude(pk=world.policies_draft.pk)
        .get()
        .current_version.attachments.get()
    )
    responses = {
        "paper": client.get(reverse("governance:paper", args=["durham", paper.pk])),
        "learning evidence": client.get(reverse("actions:evidence-file", args=["durham", evidence.pk])),
        "attachment": client.get(reverse("policies:attachment", args=["durham", attachment.pk])),
        "public attachment": world.client(None).get(
            reverse("policies:public-attachment", args=["durham", attachment.pk])
        ),
    }
    for what, response in responses.items():
        assert response.status_code == 200, what
        assert response["Content-Disposition"].startswith("attachment"), what
        assert response["X-Content-Type-Options"] == "nosniff", what
        assert response["Content-Security-Policy"].startswith("sandbox"), what


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(world):
    """Seen failing: a 200 MB body was read in full before being refused. The test body is one
    byte that claims to be 200 MB: the test client raises if anything tries to read past it."""
    client = world.client(Role.BUSINESS_UNIT)
    response = client.generic(
        "POST",
        "/durham/training/imports/new/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert (
        "The file is too large" in response.content.decode()
        and f"{uploads.MAX_REQUEST_BYTES // (1024 * 1024)} MB" in response.content.decode()
    )
    assert uploads.MAX_REQUEST_BYTES > max(p.max_bytes for p in (*uploads.FILE_POLICIES, *uploads.TABLE_LIMITS))


# 4. Cache-Control: no-store ----------------------------------------------------------------------


def test_personal_responses_are_not_stored_and_public_pages_stay_cacheable(world):
    """Seen failing: no Cache-Control on any personal-data response."""
    signed_in = world.client(Role.BUSINESS_UNIT)
    _, raw = services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="probe")
    for path in (
        "/durham/",
        "/durham/people/",
        "/durham/audit/",
        "/account/",
        "/durham/actions/export.csv",
        "/durham/actions/export.xlsx",
        reverse(
            "governance:paper",
            args=["durham", Paper.objects.filter(meeting__group__partnership=world.partnership).first().pk],
        ),
    ):
        response = signed_in.get(path)
        assert response.status_code == 200 and "no-store" in response.get("Cache-Control", ""), path
    api = world.client(None).get("/api/partnerships/durham/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
    for path in ("/accounts/sign-in/", "/durham/public/", "/durham/public/feed/"):
        response = world.client(None).get(path)
        assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", ""), path


# 5. API tokens --------------------------------------------------------------------------------


def _api(world, raw):
    return world.client(None).get("/api/partnerships/durham/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_expires_when_its_creator_said(world):
    """Seen failing: tokens never expired."""
    token, raw = services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="sync", days=7)
    assert _api(world, raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    response = _api(world, raw)
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    with pytest.raises(ValidationError):
        services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="forever", days=366)
    page = (
        world.client(Role.BUSINESS_UNIT)
        .post("/account/tokens/new/", {"name": "forever", "days": "3650"})
        .content.decode()
    )
    assert "Select a valid choice" in page and not ApiToken.objects.filter(name="forever").exists()


def test_a_password_change_revokes_every_token(world):
    """Seen failing: tokens survived a password change."""
    user = world.users[Role.MEMBER]
    _, raw = services.api_token_create(user=user, name="reports")
    assert _api(world, raw).status_code == 200
    client = world.client(Role.MEMBER)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert _api(world, raw).status_code == 401
    assert "Revoked" in client.get("/account/").content.decode()


def test_switching_a_sign_in_off_revokes_its_tokens_for_good(world):
    user = world.users[Role.PRACTITIONER]
    _, raw = services.api_token_create(user=user, name="reports")
    services.user_set_active(actor=world.users[Role.BUSINESS_UNIT], user=user, active=False)
    services.user_set_active(actor=world.users[Role.BUSINESS_UNIT], user=user, active=True)
    assert _api(world, raw).status_code == 401


def test_the_account_page_shows_when_each_token_was_last_used_and_expires(world):
    token, raw = services.api_token_create(user=world.users[Role.MEMBER], name="dashboard", days=30)
    _api(world, raw)
    page = world.client(Role.MEMBER).get("/account/").content.decode()
    token.refresh_from_db()
    assert timezone.localtime(token.last_used_at).strftime("%-d %b %Y %H:%M") in page
    assert timezone.localtime(token.expires_at).strftime("%-d %b %Y") in page


# 6. Throttles ---------------------------------------------------------------------------------


def test_password_reset_is_throttled_per_address_without_telling_whether_it_exists(world):
    """Seen failing: 31 reset emails went to one address."""
    known, unknown = world.users[Role.MEMBER].email, "nobody@durham.example"
    answers = {}
    for email in (known, unknown):
        client = world.client(None)
        answers[email] = [
            client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=f"10.0.0.{n}").status_code
            for n in range(7)
        ]
    assert answers[known] == answers[unknown] == [302] * 5 + [429] * 2
    assert len([m for m in mail.outbox if known in m.to]) == 5
    page = (
        world.client(None).post("/accounts/password-reset/", {"email": known}, REMOTE_ADDR="10.0.1.1").content.decode()
    )
    assert "Too many password reset links have been asked for this email address" in page


def test_password_reset_is_throttled_per_client(world):
    client = world.client(None)
    statuses = [
        client.post("/accounts/password-reset/", {"email": f"person{n}@durham.example"}).status_code for n in range(21)
    ]
    assert statuses == [302] * 20 + [429]


def test_wrong_api_tokens_are_throttled_per_client(world):
    """Seen failing: 1,000 bad tokens at 131/s, no 429."""
    _, raw = services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="good")
    client = world.client(None)
    statuses = [
        client.get("/api/partnerships/durham/agencies/", HTTP_AUTHORIZATION=f"Bearer jgs_wrong{n}").status_code
        for n in range(21)
    ]
    assert statuses == [401] * 20 + [429]
    blocked = client.get("/api/partnerships/durham/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert (
        blocked.status_code == 429
        and "Too many requests with a wrong API token" in blocked.json()["detail"]
        and blocked["Retry-After"]
    )
    assert (
        world.client(None)
        .get("/api/partnerships/durham/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="10.9.9.9")
        .status_code
        == 200
    )


def test_bookings_and_newsletter_sign_ups_are_throttled_per_client(world):
    client = world.client(None)
    book = f"/durham/training/calendar/{world.event.pk}/book/"
    statuses = [
        client.post(
            book,
            {"name": f"Person {n}", "email": f"p{n}@school.example", "organisation": "Schools", "accept_terms": "on"},
        ).status_code
        for n in range(21)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:20]
    assert (
        "Too many bookings"
        in client.post(
            book, {"name": "X", "email": "x@school.example", "organisation": "Schools", "accept_terms": "on"}
        ).content.decode()
    )
    statuses = [
        client.post(
            "/durham/public/newsletter/", {"email": f"s{n}@school.example", "topics": ["procedures"]}
        ).status_code
        for n in range(11)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:10]


# 7. The feed ---------------------------------------------------------------------------------


def test_feed_summaries_are_plain_text(world):
    """Seen failing: summaries went out as entity-escaped HTML, which a reader decodes into live markup."""
    from jigsaw.policies import services as policy_services

    document = world.policies_draft.partnership.documents.exclude(pk=world.policies_draft.pk).get()
    bu = world.users[Role.BUSINESS_UNIT]
    text = 'Added <img src=x onerror="alert(1)"> & the <b>out-of-hours</b> number.'
    version = policy_services.version_create(
        actor=bu, document=document, body="Updated.", effective_on=timezone.localdate(), what_changed=text
    )
    policy_services.version_approve(actor=bu, version=version)
    policy_services.version_publish(actor=bu, version=version)
    feed = ElementTree.fromstring(world.client(None).get("/durham/public/feed/").content)
    summaries = feed.findall(".//{http://www.w3.org/2005/Atom}summary")
    mine = [s for s in summaries if "out-of-hours" in (s.text or "")]
    assert mine and all(s.get("type") == "text" for s in summaries)
    assert mine[0].text == text


# 8. The access log: test_access_log.py (a real server, on a database of its own).


# 9. Timeouts ----------------------------------------------------------------------------------


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_an_idle_session_is_signed_out_after_30_minutes(world, settings):
    """Seen failing: 8 hours absolute, no idle timeout."""
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    client = world.client(Role.MEMBER)
    assert client.get("/durham/").status_code == 200
    _age_session(client, **{middleware.LAST_SEEN: 29 * 60})
    assert client.get("/durham/").status_code == 200  # 29 minutes idle: still signed in, and the clock restarts
    _age_session(client, **{middleware.LAST_SEEN: 31 * 60})
    response = client.get("/durham/people/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    page = client.get(response["Location"]).content.decode()
    assert "signed out because you had not used Jigsaw for 30 minutes" in page
    assert client.get("/durham/people/").status_code == 302


def test_the_absolute_timeout_holds_however_active_the_session(world):
    client = world.client(Role.MEMBER)
    client.get("/durham/")
    _age_session(client, **{middleware.SIGNED_IN_AT: 8 * 3600 + 60, middleware.LAST_SEEN: 10})
    response = client.get("/durham/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_stay_signed_in_counts_as_activity(world):
    client = world.client(Role.MEMBER)
    client.get("/durham/")
    _age_session(client, **{middleware.LAST_SEEN: 28 * 60})
    assert client.post("/account/session/stay/", HTTP_X_REQUESTED_WITH="fetch").status_code == 204
    _age_session(client, **{middleware.SIGNED_IN_AT: 60})
    assert time.time() - client.session[middleware.LAST_SEEN] < 5


def test_the_timeout_warning_is_on_signed_in_pages_only_and_has_no_inline_script(world):
    page = world.client(Role.MEMBER).get("/durham/").content.decode()
    dialog = re.search(r'<dialog[^>]*id="session-timeout".*?</dialog>', page, re.S).group(0)
    assert 'data-idle-seconds="1800"' in dialog and 'data-warning-seconds="120"' in dialog
    assert 'aria-labelledby="session-timeout-title"' in dialog and "Stay signed in" in dialog
    assert "<script" not in dialog and " on" not in re.sub(r'"[^"]*"', "", dialog)
    assert "session-timeout" not in world.client(None).get("/accounts/sign-in/").content.decode()


def test_no_session_row_holds_a_raw_token(world):
    client = world.client(Role.MEMBER)
    page = client.post("/account/tokens/new/", {"name": "once", "days": "90"}).content.decode()
    raw = re.search(r"jgs_[\w-]{20,}", page).group(0)
    assert not any(raw in str(s.get_decoded()) for s in Session.objects.all())
