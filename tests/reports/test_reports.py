"""Writing, reviewing, signing off and publishing a report, as its users do it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jigsaw.core import files as file_store
from jigsaw.core.scoping import Role
from jigsaw.reports import markup, services
from jigsaw.reports.checklist import CHECKLIST
from jigsaw.reports.models import LEAD_PARTNERS, Report, ReportStatus, Section
from jigsaw.reports.publications import published
from jigsaw.reports.template import TEMPLATE, template_sections


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def bu(world):
    return world.users[Role.BUSINESS_UNIT]


@pytest.fixture
def draft(world, example_blocks):
    return services.report_create(actor=bu(world), partnership=world.partnership, year="2023-24")


# Narrative safety ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "Hello <img src=x onerror=alert(1)> there",
        "[click](javascript:alert(1))",
        '<a href="https://evil.example" onclick="steal()">x</a>',
    ],
)
def test_script_and_html_in_narrative_are_shown_as_text(text):
    html = markup.render_markdown(text)
    assert "<script" not in html and "<img" not in html and '<a href="https://evil' not in html
    assert 'href="javascript:' not in html
    if "<" in text and "javascript" not in text:
        assert "&lt;" in html  # the tag is there, as text


def test_markdown_becomes_govuk_markup_under_the_section_heading():
    html = markup.render_markdown("# Big\n\nSome **bold** text.\n\n- one\n- two")
    assert '<h3 class="govuk-heading-m">Big</h3>' in html
    assert '<p class="govuk-body">Some <strong>bold</strong> text.</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html


def test_a_script_typed_into_a_section_is_shown_as_text_on_the_page(world, example_blocks, client):
    section = world.report.sections.first()
    Section.objects.filter(pk=section.pk).update(body="<script>alert('owned')</script>")  # as if it had been saved
    client.force_login(bu(world))
    page = client.get(section.get_absolute_url()).content.decode()
    assert "<script>alert('owned')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;" in page


# Blocks by name -----------------------------------------------------------------------------


def test_an_unknown_block_is_refused_at_save_time_with_the_valid_names(world, draft):
    section = draft.sections.first()
    with pytest.raises(ValidationError) as error:
        services.section_update(actor=bu(world), section=section, body="Intro\n\n{{ block training.nonsense }}")
    message = " ".join(error.value.message_dict["body"])
    assert "training.nonsense" in message
    assert "example.budget" in message and "example.counts" in message
    section.refresh_from_db()
    assert "nonsense" not in section.body


def test_the_editor_names_the_unknown_block_and_the_valid_ones(world, draft, client):
    section = draft.sections.first()
    client.force_login(bu(world))
    response = client.post(
        reverse("reports:section-update", args=["durham", section.pk]),
        {
            "heading": "Introduction",
            "order": 10,
            "body": "{{ block nope.nothing }}",
            "save": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is no data block called nope.nothing" in page
    assert "example.counts" in page


def test_the_editor_lists_blocks_by_title_with_the_line_to_type_in_a_details_element(world, draft, client):
    client.force_login(bu(world))
    page = client.get(reverse("reports:section-update", args=["durham", draft.sections.first().pk])).content.decode()
    listed = page[page.index("Data blocks you can insert") :]
    assert '<dt class="govuk-summary-list__key">Completions by mode</dt>' in listed
    line = listed[listed.index("Completions by mode</dt>") :]
    assert line.index("<details") < line.index("{{ block example.counts }}") < line.index("</details>")
    assert '<option value="example.counts">Completions by mode</option>' in page


def test_inserting_a_block_from_the_list_and_previewing_it(world, draft, client):
    section = draft.sections.first()
    client.force_login(bu(world))
    url = reverse("reports:section-update", args=["durham", section.pk])
    page = client.post(
        url,
        {"heading": "Introduction", "order": 10, "body": "Our year.", "insert_block": "example.counts", "insert": "1"},
    ).content.decode()
    assert "{{ block example.counts }}" in page
    page = client.post(
        url, {"heading": "Introduction", "order": 10, "body": "Our year.\n\n{{ block example.counts }}", "preview": "1"}
    ).content.decode()
    assert "Completions rose to 18,975." in page and "17,954" in page
    section.refresh_from_db()
    assert "Our year." not in section.body  # inserting and previewing save nothing


# The template -------------------------------------------------------------------------------


def test_the_template_omits_unregistered_blocks_and_gains_them_when_they_land(world, example_blocks):
    without = template_sections(["example.counts"])
    assert "governance.budget" not in "".join(s["body"] for s in without)
    assert [s["heading"] for s in without] == [t.heading for t in TEMPLATE]
    with_budget = template_sections(["example.counts", "governance.budget", "training.completions.by_mode"])
    appendix = next(s for s in with_budget if s["heading"] == "Appendix")
    training = next(s for s in with_budget if s["heading"] == "Training")
    assert "{{ block governance.budget }}" in appendix["body"]
    assert "{{ block training.completions.by_mode }}" in training["body"]


def test_a_new_report_starts_from_the_template_and_an_existing_draft_can_gain_new_blocks(world, draft):
    from jigsaw.core import figures as blocks
    from jigsaw.core.figures import Block

    assert [s.heading for s in draft.sections.all()] == [t.heading for t in TEMPLATE]
    assert {"example.counts", "example.budget"} <= {n for s in draft.sections.all() for n in s.block_names}
    blocks.block("training.example_new", title="New")(
        lambda partnership, year: Block(figures={"training.example_new": 1})
    )
    try:
        assert services.missing_template_blocks(draft)
        assert services.report_add_missing_blocks(actor=bu(world), report=draft) == 1
        assert "training.example_new" in draft.sections.get(heading="Training").block_names
    finally:
        blocks.REGISTRY.pop("training.example_new")


# Checklist, comments, sign-off, publishing --------------------------------------------------


def test_checklist_shows_the_gaps(world, draft, client):
    for section in draft.sections.all():
        services.section_update(actor=bu(world), section=section, covers=[c for c in section.covers if c != "funding"])
    client.force_login(world.users[Role.SCRUTINEER])
    page = client.get(reverse("reports:checklist", args=["durham", draft.pk])).content.decode()
    assert "1 item not covered yet" in page
    assert page.count("Gap") >= 1 and "Funding" in page
    assert len(CHECKLIST) >= 10


def test_scrutineer_and_chair_comment_but_a_member_cannot(world, draft, client):
    section = draft.sections.first()
    url = reverse("reports:comment-create", args=["durham", section.pk])
    for role in (Role.SCRUTINEER, Role.GROUP_CHAIR):
        client.force_login(world.users[role])
        assert client.post(url, {"body": f"Comment from {role}"}).status_code == 302
    client.force_login(world.users[Role.MEMBER])
    assert client.post(url, {"body": "x"}).status_code == 403
    client.force_login(bu(world))
    page = client.get(section.get_absolute_url()).content.decode()
    assert "Comment from scrutineer" in page and "Comment from group_chair" in page


def test_publishing_needs_all_three_lead_partners_then_freezes_the_version(world, draft, tmp_path):
    actor = bu(world)
    services.report_submit_for_review(actor=actor, report=draft)
    services.sign_off_record(
        actor=actor,
        report=draft,
        lead_partner=LEAD_PARTNERS[0],
        person=actor.person,
        signed_on=datetime.date(2025, 9, 1),
    )
    with pytest.raises(ValidationError, match="waiting for: Integrated care board, Police"):
        services.report_publish(actor=actor, report=draft)
    for role in LEAD_PARTNERS[1:]:
        services.sign_off_record(
            actor=actor, report=draft, lead_partner=role, person=actor.person, signed_on=datetime.date(2025, 9, 2)
        )
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SIGNED_OFF
    with pytest.raises(ValidationError, match="Build the report"):
        services.report_publish(actor=actor, report=draft)

    build = services.build_request(actor=actor, report=draft)  # the immediate task backend runs it now
    build.refresh_from_db()
    assert build.status == "succeeded", build.error
    assert build.figures["figures"]["example.counts.total"] == 18975
    assert file_store.read(build.output_name("pdf")).startswith(b"%PDF-")

    report = services.report_publish(actor=actor, report=draft)
    assert report.status == ReportStatus.PUBLISHED and report.published_build == build
    with pytest.raises(ValidationError, match="published"):
        services.section_update(actor=actor, section=report.sections.first(), heading="Changed")
    with pytest.raises(ValidationError):
        services.build_request(actor=actor, report=report)

    new = services.report_new_version(actor=actor, report=report)
    assert new.version == 2 and new.status == ReportStatus.DRAFT
    assert [s.heading for s in new.sections.all()] == [s.heading for s in report.sections.all()]


def test_the_published_report_is_public_with_frozen_figures_and_downloads(world, client):
    report = world.report
    page = client.get(reverse("reports:public-report", args=["durham", report.year]))
    assert page.status_code == 200
    assert report.title in page.content.decode()
    figures = client.get(reverse("reports:public-file", args=["durham", report.year, "json"]))
    assert figures.status_code == 200 and figures.json()["figures"] == {"example.total": 1}
    assert client.get(reverse("reports:public-list", args=["durham"])).status_code == 200


def test_a_draft_is_not_public(world, draft, client):
    assert client.get(reverse("reports:public-report", args=["durham", draft.year])).status_code == 404
    assert draft.pk not in Report.objects.restrict(
        __import__("jigsaw.core.scoping", fromlist=["Access"]).Access.public(world.partnership)
    ).values_list("pk", flat=True)


def test_publications_list_published_reports_only(world, draft):
    items = published(world.partnership, None)
    assert [item.kind for item in items] == ["reports"]
    assert items[0].url == reverse("reports:public-report", args=["durham", world.report.year])
    assert published(world.partnership, datetime.date.today() + datetime.timedelta(days=1)) == []


def test_a_build_from_the_web_shows_progress_and_downloads(world, draft, client):
    client.force_login(bu(world))
    response = client.post(reverse("reports:build-create", args=["durham", draft.pk]))
    build = draft.builds.get()
    assert response["Location"] == build.get_absolute_url()
    page = client.get(build.get_absolute_url()).content.decode()
    assert "Built" in page and "example.counts.total" in page
    # Each block's figures as a table with its title and summary, not a Python dictionary.
    block = page[page.index('<h3 class="govuk-heading-s govuk-!-margin-bottom-1">Completions by mode</h3>') :]
    block = block[: block.index("</details>")]
    assert "Completions rose to 18,975." in block and "The table (2 rows)" in block
    assert '<th scope="row" class="govuk-table__header">Safeguarding week</th>' in block and "17,954" in block
    assert "{'" not in page and "{&#x27;" not in page
    assert "<code>example.counts.by_mode[eLearning]</code>" in page
    partial = client.get(build.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="build-progress"' in partial and "<html" not in partial
    pdf = client.get(reverse("reports:build-file", args=["durham", build.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_failed_web_build_says_why(world, draft, broken_block, client):
    services.section_update(actor=bu(world), section=draft.sections.first(), body="{{ block example.broken }}")
    client.force_login(bu(world))
    client.post(reverse("reports:build-create", args=["durham", draft.pk]))
    build = draft.builds.get()
    assert build.status == "failed"
    page = client.get(build.get_absolute_url()).content.decode()
    assert "example.broken could not be computed" in page


def test_a_practitioner_sees_no_drafts(world, draft, client):
    client.force_login(world.users[Role.PRACTITIONER])
    assert client.get(reverse("reports:report", args=["durham", draft.pk])).status_code in (403, 404)


def test_a_build_is_kept_in_the_file_store_and_downloaded_from_it(world, draft, s3_store, settings):
    from jigsaw.settings import file_storage
    from tests.s3 import free_port

    build = services.build_request(actor=bu(world), report=draft)  # the immediate task backend runs it now
    build.refresh_from_db()
    assert build.status == "succeeded", build.error
    stored = s3_store.keys()
    assert sorted(stored) == sorted(
        f"{build.output_dir}/{name}" for name in ("figures.json", "report.docx", "report.html", "report.pdf")
    )
    client = world.client(Role.BUSINESS_UNIT)
    pdf = client.get(reverse("reports:build-file", args=["durham", build.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == stored[f"{build.output_dir}/report.pdf"]

    # The store down while building: the build fails with a reason, and no half build is kept.
    down = {
        **s3_store.env,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
        "JIGSAW_FILE_STORAGE_TIMEOUT": "1",
    }
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(down)}
    failed = services.build_request(actor=bu(world), report=draft)
    failed.refresh_from_db()
    assert failed.status == "failed" and "file store did not answer" in failed.error
    assert "file store did not answer" in client.get(failed.get_absolute_url()).content.decode()
    assert client.get(reverse("reports:build-file", args=["durham", failed.pk, "pdf"])).status_code == 404
