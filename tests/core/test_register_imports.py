"""Starting a partnership and bringing its registers in: the one import pattern (core.imports)
through every register's importer, with the files a business unit arrives with (tests/core/
fixtures/registers, shaped like real exports: other headings, Windows-1252 text, blank lines)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from jigsaw.core import imports, services
from jigsaw.core.import_views import import_zip
from jigsaw.core.models import Agency, Partnership, Person, RegisterImport, RoleAssignment, User
from jigsaw.core.scoping import Role

FIXTURES = Path(__file__).parent / "fixtures" / "registers"
# The checklist's order: each register's names are known once those before it are in.
ORDER = [
    "agencies",
    "people",
    "groups",
    "memberships",
    "business-plan",
    "themes",
    "learning-log",
    "section-11-tool",
    "section-11-results",
    "indicators",
    "indicator-history",
    "procedures",
    "attendance",
]


def fixture(key: str) -> tuple[str, bytes]:
    for path in sorted(FIXTURES.glob(f"{key}.*")):
        return path.name, path.read_bytes()
    raise FileNotFoundError(key)


def start(slug="newtown", email="first@newtown.example") -> tuple[Partnership, User]:
    partnership = services.partnership_start(
        name=f"{slug.title()} Safeguarding Children Partnership",
        slug=slug,
        area=slug.title(),
        financial_year_start_month=4,
        business_unit_name="First Person",
        business_unit_email=email,
    )
    return partnership, User.objects.get(email=email)


def run(partnership, user, key, name=None, content=None, **kwargs):
    if content is None:
        name, content = fixture(key)
    return imports.run(imports.get(key), actor=user, partnership=partnership, file_name=name, content=content, **kwargs)


def import_all(partnership, user, keys=ORDER):
    for key in keys:
        if imports.get(key) and any(FIXTURES.glob(f"{key}.*")):
            run(partnership, user, key)


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


# Starting a partnership -----------------------------------------------------------------------


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """What is sent once a transaction commits (invitations): `with commits():` runs it there."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.django_db
def test_the_command_line_starts_a_partnership_and_emails_its_business_unit(commits):
    with commits():
        _create_from_the_command_line()
    partnership = Partnership.objects.get(slug="newtown")
    assert partnership.financial_year_start_month == 4
    user = User.objects.get(email="bea@newtown.example")
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, partnership=partnership, role=Role.BUSINESS_UNIT).exists()
    assert [m.to for m in mail.outbox] == [["bea@newtown.example"]]
    assert "password" in mail.outbox[0].body.lower()


def _create_from_the_command_line():
    call_command(
        "partnership",
        "create",
        "--name",
        "Newtown Safeguarding Children Partnership",
        "--slug",
        "newtown",
        "--area",
        "Newtown",
        "--financial-year-start",
        "4",
        "--business-unit",
        "Bea@Newtown.example",
        "--business-unit-name",
        "Bea Unit",
        stdout=io.StringIO(),
    )


@pytest.mark.django_db
def test_a_taken_slug_is_refused_and_nothing_is_made():
    start()
    with pytest.raises(Exception, match="slug"):
        call_command(
            "partnership", "create", "--name", "Other", "--slug", "newtown", "--area", "X",
            "--business-unit", "x@y.example", "--business-unit-name", "X Y", stdout=io.StringIO(),
        )  # fmt: skip
    assert not User.objects.filter(email="x@y.example").exists()


@pytest.mark.django_db
def test_the_site_administrator_starts_a_partnership_and_sees_none_of_its_records(client, commits):
    admin = services.user_create(email="host@jigsaw.example", password="a-long-enough-pass-1")
    User.objects.filter(pk=admin.pk).update(is_staff=True)
    client.force_login(User.objects.get(pk=admin.pk))
    with commits():
        response = client.post(
            reverse("core:site-partnership-create"),
            {
                "name": "Newtown Safeguarding Children Partnership",
                "slug": "newtown",
                "area": "Newtown",
                "financial_year_start_month": "4",
                "business_unit_name": "Bea Unit",
                "business_unit_email": "bea@newtown.example",
            },
            follow=True,
        )
    assert "Newtown Safeguarding Children Partnership" in response.content.decode()
    assert reverse("core:site-partnerships") in client.get(reverse("core:home")).content.decode()
    assert mail.outbox[0].to == ["bea@newtown.example"]
    # The partnership's own pages do not exist for the hosting organisation.
    assert client.get(reverse("core:partnership", args=["newtown"])).status_code == 404
    assert client.get(reverse("core:people", args=["newtown"])).status_code == 404


@pytest.mark.django_db
def test_only_a_site_administrator_may_start_partnerships(client):
    _, user = start()
    client.force_login(user)
    assert client.get(reverse("core:site-partnerships")).status_code == 403
    assert client.post(reverse("core:site-partnership-create"), {"name": "x"}).status_code == 403


# The checklist ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_checklist_shows_each_step_done_or_not_and_goes_when_all_are_done(client):
    partnership, user = start()
    client.force_login(user)
    page = client.get(reverse("core:partnership", args=[partnership.slug])).content.decode()
    assert "Setting up Newtown" in page
    assert "1 of" in page  # the first business unit member is already a person
    assert reverse("core:import", args=[partnership.slug, "agencies"]) in page
    run(partnership, user, "agencies")
    page = client.get(reverse("core:partnership", args=[partnership.slug])).content.decode()
    assert "2 of" in page


# The pattern, register by register ------------------------------------------------------------


@pytest.mark.django_db
def test_every_sample_register_imports_in_checklist_order_and_a_second_run_adds_nothing():
    partnership, user = start()
    import_all(partnership, user)
    counts = {i.key: i.count(partnership) for i in imports.importers()}
    assert counts["agencies"] == 6
    assert counts["people"] == 6  # five in the file and the first business unit member
    assert counts["learning-log"] == 5
    assert all(counts[key] for key in counts), counts
    batches = RegisterImport.objects.filter(partnership=partnership).count()
    for key in ORDER:
        if imports.get(key) and any(FIXTURES.glob(f"{key}.*")):
            batch = run(partnership, user, key)
            assert batch.added == 0, key
    assert {i.key: i.count(partnership) for i in imports.importers()} == counts
    assert RegisterImport.objects.filter(partnership=partnership).count() == batches + len(
        [k for k in ORDER if imports.get(k) and any(FIXTURES.glob(f"{k}.*"))]
    )


@pytest.mark.django_db
def test_a_windows_1252_file_keeps_its_accents_and_invitations_go_once_confirmed(commits):
    partnership, user = start()
    run(partnership, user, "agencies")
    mail.outbox.clear()
    checked = imports.check(imports.get("people"), partnership, *fixture("people"))
    assert checked.ok and not mail.outbox  # a preview sends nothing
    with commits():
        run(partnership, user, "people")
    assert Person.objects.filter(partnership=partnership, name="José García").exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bea.unit@durham.example",
        "chris.chair@durham.example",
        "pat.police@durham.example",
    ]
    lead = RoleAssignment.objects.get(user__email="pat.police@durham.example", partnership=partnership)
    assert lead.role == Role.AGENCY_LEAD and lead.agency.name == "Durham Constabulary"


@pytest.mark.django_db
def test_the_learning_log_keeps_each_action_s_story():
    from jigsaw.actions.models import LearningAction, Status

    partnership, user = start()
    import_all(partnership, user, ["agencies", "people", "themes", "learning-log"])
    assured = LearningAction.objects.get(partnership=partnership, reference="LL-2023-001")
    assert assured.status == Status.ASSURED
    assert assured.reviews.get(kind="twelve_month").assurance_given is True
    assert sorted(t.name for t in assured.themes.all()) == ["Neglect", "Professional curiosity"]
    completed = LearningAction.objects.get(partnership=partnership, reference="LL-2023-002")
    assert completed.status == Status.COMPLETED and str(completed.completed_on) == "2024-03-15"
    closed = LearningAction.objects.get(partnership=partnership, description="Review the escalation policy")
    assert closed.status == Status.CLOSED_WITHOUT_ASSURANCE


# Bad input: a message naming row and column, nothing saved ------------------------------------


def refused(partnership, user, key, name, content, match):
    before = imports.get(key).count(partnership)
    with pytest.raises(ValidationError) as error:
        run(partnership, user, key, name, content)
    text = " ".join(error.value.messages)
    assert match in text, text
    assert imports.get(key).count(partnership) == before
    return text


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["agencies", "people", "groups", "learning-log"])
def test_wrong_file_type_and_encoding_are_refused(key):
    partnership, user = start()
    refused(partnership, user, key, "register.pdf", b"%PDF-1.7 ...", "Upload a .csv or .xlsx file")
    refused(partnership, user, key, "register.xlsx", b"name,sector\n", "is not an Excel workbook")
    refused(partnership, user, key, "register.csv", b"name\x00,sector\n", "NUL")


@pytest.mark.django_db
def test_another_register_s_template_is_named():
    partnership, user = start()
    name, content = fixture("learning-log")
    refused(partnership, user, "agencies", name, content, "This is the template for the learning log")


@pytest.mark.django_db
def test_a_duplicate_natural_key_names_both_rows():
    partnership, user = start()
    content = csv_bytes([["name", "sector"], ["Durham Constabulary", "Police"], ["durham  constabulary", "Police"]])
    refused(partnership, user, "agencies", "a.csv", content, "Row 3")
    assert Agency.objects.filter(partnership=partnership).count() == 0


@pytest.mark.django_db
def test_an_unknown_agency_is_listed_once_with_its_rows():
    partnership, user = start()
    run(partnership, user, "agencies")
    content = csv_bytes(
        [
            ["name", "email", "agency"],
            ["A Person", "a@x.example", "Durham Fire"],
            ["B Person", "b@x.example", "Durham Fire"],
            ["C Person", "c@x.example", "Durham Constabulary"],
        ]
    )
    checked = imports.check(imports.get("people"), partnership, "p.csv", content)
    assert checked.unknown_names() == [("agency", "Durham Fire", [2, 3])]
    text = refused(partnership, user, "people", "p.csv", content, "Unknown agency 'Durham Fire' (rows 2, 3)")
    assert text.count("Durham Fire") == 1
    assert not Person.objects.filter(email="c@x.example").exists()  # all or nothing


@pytest.mark.django_db
def test_a_future_date_where_it_cannot_be_names_row_and_column():
    partnership, user = start()
    import_all(partnership, user, ["agencies"])
    content = csv_bytes(
        [
            ["what must change", "owner agency", "raised", "status"],
            ["Fine", "Durham Constabulary", "01/01/2024", "Open"],
            ["Later", "Durham Constabulary", "01/01/2099", "Open"],
        ]
    )
    refused(partnership, user, "learning-log", "l.csv", content, "Row 3, column 'raised': 01/01/2099 is in the future")


@pytest.mark.django_db
def test_dates_out_of_order_name_the_row_and_the_later_column_in_each_register():
    partnership, user = start()
    import_all(partnership, user, ["agencies", "people", "groups", "section-11-tool"])
    membership = csv_bytes(
        [
            ["group", "person", "starts", "ends"],
            ["Exec", "Pat Police", "01/04/2024", "31/03/2025"],
            ["Exec", "Pat Police", "01/04/2025", "31/03/2025"],
        ]
    )
    refused(partnership, user, "memberships", "m.csv", membership, "Row 3, column 'ends': is before the seat starts.")
    plan = csv_bytes(
        [
            ["plan", "plan starts", "plan ends", "priority number", "priority"],
            ["Plan 2024-27", "01/04/2024", "01/04/2024", "1", "Neglect"],
        ]
    )
    refused(
        partnership, user, "business-plan", "p.csv", plan, "Row 2, column 'plan ends': is not after the plan starts."
    )
    name = next(iter(imports.get("section-11-tool").export(partnership)))[0]
    results = csv_bytes(
        [
            ["round", "tool", "period start", "period end", "agency", "service", "completed by", "question", "rating"],
            ["2024", name, "01/09/2024", "01/04/2024", "Durham Constabulary", "CID", "Pat Police", "1.1", "Green"],
        ]
    )
    refused(
        partnership,
        user,
        "section-11-results",
        "r.csv",
        results,
        "Row 2, column 'period end': is before the period starts.",
    )


@pytest.mark.django_db
def test_a_bad_value_names_row_and_column_and_headings_can_be_mapped():
    partnership, user = start()
    content = csv_bytes([["Organisation", "Type of service"], ["Durham Constabulary", "Polce"]])
    checked = imports.check(imports.get("agencies"), partnership, "a.csv", content)
    assert checked.missing == ["sector"]
    text = refused(partnership, user, "agencies", "a.csv", content, "no column for: sector")
    mapped = imports.check(
        imports.get("agencies"), partnership, "a.csv", content, mapping={"sector": "Type of service"}
    )
    assert "Row 2, column 'sector': 'Polce' is not one of" in mapped.message()
    fixed = csv_bytes([["Organisation", "Type of service"], ["Durham Constabulary", "Police"]])
    batch = run(partnership, user, "agencies", "a.csv", fixed, mapping={"sector": "Type of service"})
    assert batch.added == 1 and text


# The pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_preview_and_confirm_on_the_page(client):
    partnership, user = start()
    client.force_login(user)
    url = reverse("core:import", args=[partnership.slug, "agencies"])
    name, content = fixture("agencies")
    upload = io.BytesIO(content)
    upload.name = name
    page = client.post(url, {"file": upload}).content.decode()
    assert "Every row is right" in page and "6 to add" in page
    assert Agency.objects.filter(partnership=partnership).count() == 0  # the preview saves nothing
    stored = page.split('name="stored" value="')[1].split('"')[0]
    response = client.post(url, {"stored": stored, "file_name": name, "confirm": "1"}, follow=True)
    assert "6 added, 0 already held" in response.content.decode()
    assert Agency.objects.filter(partnership=partnership).count() == 6
    template = client.get(reverse("core:import-template", args=[partnership.slug, "agencies"]))
    assert template.content.decode("utf-8-sig").splitlines()[0] == "name,sector,statutory role,locality"


@pytest.mark.django_db
def test_a_bad_file_on_the_page_lists_every_problem(client):
    partnership, user = start()
    client.force_login(user)
    upload = io.BytesIO(csv_bytes([["name", "sector"], ["", "Police"], ["X", "Nope"]]))
    upload.name = "a.csv"
    page = client.post(reverse("core:import", args=[partnership.slug, "agencies"]), {"file": upload}).content.decode()
    assert "Row 2, column &#x27;name&#x27;: is blank." in page
    assert "Row 3, column &#x27;sector&#x27;: &#x27;Nope&#x27; is not one of" in page


# Export and re-import -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_zip_reimports_into_an_empty_partnership_with_the_same_records(client):
    partnership, user = start()
    import_all(partnership, user)
    client.force_login(user)
    response = client.get(reverse("core:export", args=[partnership.slug]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {n.split("-", 1)[1] for n in archive.namelist()} >= {"agencies.csv", "learning-log.csv"}
    from jigsaw.core.audit import AuditEntry

    assert AuditEntry.objects.filter(object_pk=str(partnership.pk), changes__icontains="exported").exists()
    # The same business unit moves its partnership to a second, empty one.
    second, _ = start("secondtown", "first@newtown.example")
    import_zip(actor=user, partnership=second, content=response.content)
    for importer in imports.importers():
        assert importer.count(second) == importer.count(partnership), importer.key
        assert list(importer.export(second)) == list(importer.export(partnership)), importer.key
    assert figures(second) == figures(partnership)
    assert figures(partnership)["actions.log.raised"]


def figures(partnership) -> dict:
    """Every figure of figures.json for 2024-25, as the report computes them."""
    from jigsaw.core.figures import build_blocks, registry
    from jigsaw.core.periods import FinancialYear

    blocks = build_blocks(list(registry().values()), partnership, FinancialYear(2024, 4))
    found = {}
    for block in blocks.values():
        found.update(block.figures)
    return found


# Every register's bad input, one test a register: each file refused with a message naming the
# row and column (or the file), nothing saved; the prerequisites imported first, as the checklist does.

UNKNOWN = {  # a column naming a record of an earlier register: (column, kind)
    "people": ("agency", "agency"),
    "groups": ("reports to", "group"),
    "memberships": ("person", "person"),
    "learning-log": ("owner agency", "agency"),
    "section-11-results": ("completed by", "person"),
    "indicators": ("source agency", "agency"),
    "indicator-history": ("agency", "agency"),
    "procedures": ("owning group", "group"),
    "attendance": ("person", "person"),
}
FUTURE = {  # a date that cannot be in the future
    "learning-log": "raised",
    "section-11-results": "submitted",
    "procedures": "approved",
    "attendance": "meeting date",
}


def sample_rows(key) -> list[list[str]]:
    _, content = fixture(key)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    return [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]


def position(key, rows, column) -> int:
    wanted = imports.get(key).column(column)
    return next(i for i, heading in enumerate(rows[0]) if wanted.matches(imports.normalise(heading)))


@pytest.mark.django_db
@pytest.mark.parametrize("key", [k for k in ORDER if any(FIXTURES.glob(f"{k}.*"))])
def test_every_register_refuses_bad_input_naming_row_and_column(key):
    partnership, user = start()
    import_all(partnership, user, ORDER[: ORDER.index(key)])
    importer = imports.get(key)
    rows = sample_rows(key)
    refused(partnership, user, key, f"{key}.pdf", csv_bytes(rows), "Upload a .csv or .xlsx file")
    refused(partnership, user, key, f"{key}.csv", b"\xff\xfeX\x00\xd8", "UTF-16")  # says UTF-16, is not
    refused(partnership, user, key, f"{key}.csv", csv_bytes(rows).replace(b",", b"\x00,", 1), "NUL")
    other = next(i for i in imports.importers() if i.key != key and set(i.headings) != set(importer.headings))
    refused(
        partnership, user, key, "template.csv", imports.to_csv(other), f"This is the template for {other.title.lower()}"
    )
    last = len(rows)
    refused(partnership, user, key, f"{key}.csv", csv_bytes([*rows, rows[1]]), f"Row {last + 1}: repeats row 2")
    if key in UNKNOWN:
        column, kind = UNKNOWN[key]
        bad = [list(r) for r in rows]
        bad[1][position(key, rows, column)] = "Nobody We Know"
        refused(partnership, user, key, f"{key}.csv", csv_bytes(bad), f"Unknown {kind} 'Nobody We Know' (row 2)")
    if key in FUTURE:
        column = FUTURE[key]
        bad = [list(r) for r in rows]
        bad[1][position(key, rows, column)] = "01/01/2099"
        refused(
            partnership,
            user,
            key,
            f"{key}.csv",
            csv_bytes(bad),
            f"Row 2, column '{column}': 01/01/2099 is in the future",
        )
    # The sample itself goes in, and a second run adds nothing.
    assert run(partnership, user, key).added > 0
    assert run(partnership, user, key).added == 0


@pytest.mark.django_db
def test_an_excel_workbook_imports_with_its_date_cells():
    import datetime

    from openpyxl import Workbook

    partnership, user = start()
    import_all(partnership, user, ["agencies"])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Action", "Lead agency", "Date raised", "Target date", "Status"])
    sheet.append(["Audit the front door", "Durham County Council", datetime.datetime(2024, 5, 1), None, "Open"])
    sheet.append(
        [
            "Brief the schools",
            "Durham Constabulary",
            datetime.date(2024, 6, 3),
            datetime.date(2024, 9, 30),
            "In progress",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    batch = run(partnership, user, "learning-log", "Learning log.xlsx", out.getvalue())
    assert batch.added == 2
    from jigsaw.actions.models import LearningAction

    brief = LearningAction.objects.get(partnership=partnership, description="Brief the schools")
    assert (brief.raised_on, brief.due_on, brief.status) == (
        datetime.date(2024, 6, 3),
        datetime.date(2024, 9, 30),
        "in_progress",
    )


@pytest.mark.django_db
def test_an_import_brings_the_cached_figures_up_to_date():
    """An import bumps each app's figures stamp once (freshness.batched), so a figure computed
    before it is not served after it."""
    partnership, user = start()
    import_all(partnership, user, ["agencies", "people", "themes"])
    before = figures(partnership)
    run(partnership, user, "learning-log")
    after = figures(partnership)
    assert before["actions.log.raised"] != after["actions.log.raised"]
