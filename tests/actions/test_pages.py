"""The log's pages as users see them: filters, sorting, exports, the agency view, forms."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jigsaw.actions import services
from jigsaw.actions.exports import safe
from jigsaw.actions.models import LearningAction, ReviewKind, Status
from jigsaw.core import services as core_services
from jigsaw.core.scoping import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(world):
    today = timezone.localdate()
    neglect = core_services.theme_create(actor=None, partnership=world.partnership, name="Neglect")
    made = {
        "overdue": services.action_raise(
            actor=None,
            partnership=world.partnership,
            description="Overdue police action",
            owner_agency=world.police,
            raised_on=today - datetime.timedelta(days=100),
            due_on=today - datetime.timedelta(days=3),
            priority="high",
            themes=[world.theme],
        ),
        "soon": services.action_raise(
            actor=None,
            partnership=world.partnership,
            description="Council action due soon",
            owner_agency=world.council,
            raised_on=today - datetime.timedelta(days=10),
            due_on=today + datetime.timedelta(days=7),
            themes=[neglect],
        ),
        "later": services.action_raise(
            actor=None,
            partnership=world.partnership,
            description='=HYPERLINK("http://evil.example") partnership-wide',
            raised_on=today - datetime.timedelta(days=5),
            due_on=today + datetime.timedelta(days=200),
            priority="low",
            source_label="@Executive meeting",
        ),
    }
    done = services.action_raise(
        actor=None,
        partnership=world.partnership,
        description="Completed council action with a review due",
        owner_agency=world.council,
        raised_on=today - datetime.timedelta(days=400),
        due_on=today - datetime.timedelta(days=200),
    )
    services.action_set_status(
        actor=None, action=done, status=Status.COMPLETED, evidence="Done", on=today - datetime.timedelta(days=190)
    )
    made["review"] = done
    return made


def descriptions(response):
    return {action.description for action in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "status=open",
            {"Overdue police action", "Council action due soon", '=HYPERLINK("http://evil.example") partnership-wide'},
        ),
        ("due=overdue", {"Overdue police action"}),
        ("due=14", {"Council action due soon"}),
        ("priority=high", {"Overdue police action"}),
        ("agency=partnership", {'=HYPERLINK("http://evil.example") partnership-wide'}),
        ("review=overdue", {"Completed council action with a review due"}),  # world.action is not in the fixture set
        ("q=due+soon", {"Council action due soon"}),
        ("source=none&status=completed", {"Completed council action with a review due"}),
    ],
)
def test_filters(world, log, query, expected):
    response = world.client(Role.MEMBER).get(f"/durham/actions/?{query}")
    assert response.status_code == 200
    assert descriptions(response) & {action.description for action in log.values()} == expected


def test_filter_by_agency_and_theme(world, log):
    client = world.client(Role.MEMBER)
    assert descriptions(client.get(f"/durham/actions/?agency={world.police.pk}")) >= {"Overdue police action"}
    assert "Council action due soon" not in descriptions(client.get(f"/durham/actions/?agency={world.police.pk}"))
    assert descriptions(client.get(f"/durham/actions/?theme={world.theme.pk}")) >= {"Overdue police action"}
    assert "Council action due soon" not in descriptions(client.get(f"/durham/actions/?theme={world.theme.pk}"))


def test_sorting(world, log):
    client = world.client(Role.MEMBER)
    by_priority = [a.priority for a in client.get("/durham/actions/?sort=priority").context["object_list"]]
    assert by_priority == sorted(by_priority, key=["high", "medium", "low"].index)
    latest_first = [a.due_on for a in client.get("/durham/actions/?sort=-due_on").context["object_list"]]
    assert latest_first == sorted(latest_first, reverse=True)


def test_overdue_and_review_due_lists(world, log):
    client = world.client(Role.GROUP_CHAIR)
    assert descriptions(client.get("/durham/actions/overdue/")) & {a.description for a in log.values()} == {
        "Overdue police action"
    }
    assert descriptions(client.get("/durham/actions/reviews-due/")) == {
        "Completed council action with a review due",
        world.action.description,
    }


def test_agency_leads_see_their_agencys_actions(world, log):
    response = world.client(Role.AGENCY_LEAD).get("/durham/actions/my-agency/")
    assert response.status_code == 200
    assert "Council action due soon" not in descriptions(response)
    assert "Overdue police action" in descriptions(response)
    assert world.client(Role.MEMBER).get("/durham/actions/my-agency/").status_code == 403


def test_summary_by_theme_and_status(world, log):
    response = world.client(Role.GROUP_CHAIR).get("/durham/actions/by-theme/")
    rows = {row[0]: row for row in response.context["table"].rows}
    assert rows["Neglect"][1] == 1  # one open
    assert rows["No theme"][-1] == 3  # world's action, the council action and the formula one


def test_formula_escaping():
    assert [safe(v) for v in ["=1+1", "+44", "-3", "@SUM(A1)", "\tx", "\rx", "plain", 5]] == [
        "'=1+1",
        "'+44",
        "'-3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "plain",
        5,
    ]


def test_csv_export_of_the_filtered_list_escapes_formulas(world, log):
    response = world.client(Role.MEMBER).get("/durham/actions/export.csv?agency=partnership")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Reference", "What must change"]
    assert len(rows) == 2  # only the partnership-wide action
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[1][2] == "'@Executive meeting"


def test_xlsx_export_escapes_formulas_and_keeps_dates(world, log):
    response = world.client(Role.MEMBER).get("/durham/actions/export.xlsx?status=open&sort=due_on")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Reference"
    formula_row = next(row for row in values if "HYPERLINK" in str(row[1]))
    assert formula_row[1].startswith("'=") and formula_row[2] == "'@Executive meeting"
    assert all(sheet.cell(row=r, column=2).data_type == "s" for r in range(2, sheet.max_row + 1))
    assert isinstance(values[1][9], datetime.datetime)  # the due date is a real date


def test_raise_an_action_from_the_form_and_from_a_record(world):
    client = world.client(Role.BUSINESS_UNIT)
    form = {
        "description": "Launch the neglect toolkit",
        "owner_agency": world.council.pk,
        "priority": "high",
        "raised_on_day": "1",
        "raised_on_month": "4",
        "raised_on_year": "2025",
        "due_on_day": "31",
        "due_on_month": "3",
        "due_on_year": "2025",
        "themes": [world.theme.pk],
    }
    refused = client.post("/durham/actions/new/", form)
    assert refused.status_code == 200
    assert "The due date cannot be before the action was raised." in refused.content.decode()
    assert not LearningAction.objects.filter(description="Launch the neglect toolkit").exists()
    form["due_on_year"] = "2026"
    response = client.post(f"/durham/actions/new/?source=core.theme.{world.theme.pk}", form)
    action = LearningAction.objects.get(description="Launch the neglect toolkit")
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.source == world.theme and action.source_label == world.theme.name
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Launch the neglect toolkit" in page and "Raised from Professional curiosity" in page


def test_an_agency_lead_can_only_raise_for_their_agency(world):
    client = world.client(Role.AGENCY_LEAD)
    form = {
        "description": "Police action",
        "owner_agency": world.council.pk,
        "priority": "medium",
        "raised_on_day": "1",
        "raised_on_month": "4",
        "raised_on_year": "2025",
    }
    response = client.post("/durham/actions/new/", form)
    assert response.status_code == 200 and not LearningAction.objects.filter(description="Police action").exists()
    form["owner_agency"] = world.police.pk
    assert client.post("/durham/actions/new/", form).status_code == 302


def test_progress_page_completes_with_evidence_and_the_detail_shows_it(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.files import docx_bytes

    action = world.council_action
    client = world.client(Role.BUSINESS_UNIT)
    url = f"/durham/actions/{action.pk}/progress/"
    refused = client.post(url, {"status": "completed"})
    assert "Describe the evidence that the action is complete." in refused.content.decode()
    content = docx_bytes()
    response = client.post(
        url,
        {"status": "completed", "evidence": "Audit done.", "files": [SimpleUploadedFile("audit.docx", content)]},
    )
    assert response.status_code == 302
    page = client.get(action.get_absolute_url()).content.decode()
    assert "audit.docx" in page and "6-month review" in page and "12-month review" in page
    evidence = action.evidence_files.get()
    download = world.client(Role.MEMBER).get(f"/durham/actions/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content


def test_record_a_review_page(world):
    review = world.action.reviews.get(kind=ReviewKind.SIX_MONTH)
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        f"/durham/actions/reviews/{review.pk}/",
        {
            "rag": "amber",
            "what_changed": "Partly embedded.",
            "assurance_given": "no",
            "reviewed_on_day": "3",
            "reviewed_on_month": "3",
            "reviewed_on_year": "2025",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.rag == "amber" and review.assurance_given is False and review.reviewed_on == datetime.date(2025, 3, 3)
    assert world.client(Role.AGENCY_LEAD).get(f"/durham/actions/reviews/{review.pk}/").status_code == 403


def test_another_agencys_lead_cannot_open_the_progress_page(world):
    assert world.client(Role.AGENCY_LEAD).get(f"/durham/actions/{world.council_action.pk}/progress/").status_code == 403
    assert world.client(Role.AGENCY_LEAD).get(f"/durham/actions/{world.action.pk}/progress/").status_code == 200


def test_escalate_page(world):
    from jigsaw.governance.models import Group

    group = Group.objects.filter(
        partnership=world.partnership, name="Safeguarding Executive Group"
    ).first() or core_services.save(
        Group(partnership=world.partnership, name="Safeguarding Executive Group", kind="executive"), actor=None
    )
    client = world.client(Role.AGENCY_LEAD)
    url = f"/durham/actions/{world.action.pk}/escalate/"
    refused = client.post(url, {"group": group.pk})
    assert "Enter" in refused.content.decode() or "required" in refused.content.decode()
    response = client.post(
        url, {"group": group.pk, "reason": "Waiting on the ICB", "on_day": "4", "on_month": "11", "on_year": "2024"}
    )
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.escalated_to == group and world.action.escalation_reason == "Waiting on the ICB"
    assert "Escalated to Safeguarding Executive Group" in client.get(world.action.get_absolute_url()).content.decode()


def test_a_wrong_file_type_is_refused_on_the_progress_page(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        f"/durham/actions/{world.council_action.pk}/progress/",
        {"status": "completed", "evidence": "Done", "files": [SimpleUploadedFile("run.exe", b"MZ")]},
    )
    assert response.status_code == 200 and "run.exe is not a kind of file Jigsaw accepts" in response.content.decode()
    world.council_action.refresh_from_db()
    assert world.council_action.status == Status.OPEN and not world.council_action.evidence_files.exists()
