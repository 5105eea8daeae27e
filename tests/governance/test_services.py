"""The governance rules, through the services: bad input is refused naming the field, nothing saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access, Role
from jigsaw.governance import queries, services
from jigsaw.governance.models import Attendance, Contribution, Meeting, Membership, MembershipRole, Paper
from tests.files import office_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
D = datetime.date


def fields_of(error: ValidationError) -> set[str]:
    return set(error.value.message_dict)


def test_a_meeting_needs_a_group(world):
    before = Meeting.objects.count()
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=None, partnership=world.partnership, group=None, held_on=D(2024, 5, 1))
    assert "group" in fields_of(error)
    assert Meeting.objects.count() == before


def test_a_meeting_of_another_partnerships_group_is_refused(world):
    theirs = services.group_create(actor=None, partnership=world.other, name="Their Executive", kind="executive")
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=None, partnership=world.partnership, group=theirs, held_on=D(2024, 5, 1))
    assert "group" in fields_of(error)


def test_attendance_for_a_person_not_in_the_partnership_is_refused(world):
    before = Attendance.objects.count()
    with pytest.raises(ValidationError) as error:
        services.attendance_record(actor=None, meeting=world.meeting, person=world.other_person, status="present")
    assert fields_of(error) == {"person"}
    assert Attendance.objects.count() == before


def test_a_deputy_needs_a_name(world):
    person = world.users[Role.SCRUTINEER].person
    with pytest.raises(ValidationError) as error:
        services.attendance_record(actor=None, meeting=world.meeting, person=person, status="deputy")
    assert fields_of(error) == {"deputy_name"}


def test_a_register_is_saved_whole_or_not_at_all(world):
    before = Attendance.objects.count()
    good = {"person": world.users[Role.SCRUTINEER].person, "status": "present"}
    bad = {"person": world.other_person, "status": "present"}
    with pytest.raises(ValidationError) as error:
        services.attendance_record_many(actor=None, meeting=world.meeting, rows=[good, bad])
    assert "Dana Other" in str(error.value.message_dict["person"])
    assert Attendance.objects.count() == before


def test_recording_again_corrects_the_record(world):
    member = world.users[Role.MEMBER].person
    services.attendance_record(
        actor=None, meeting=world.meeting, person=member, status="deputy", deputy_name="Sam Deputy"
    )
    row = Attendance.objects.get(meeting=world.meeting, person=member)
    assert (row.status, row.deputy_name, row.agency) == ("deputy", "Sam Deputy", world.council)


def test_a_contribution_for_another_partnerships_agency_is_refused(world):
    before = Contribution.objects.count()
    with pytest.raises(ValidationError) as error:
        services.contribution_create(
            actor=None, partnership=world.partnership, agency=world.other_agency, financial_year="2024-25", amount=10
        )
    assert fields_of(error) == {"agency"}
    assert Contribution.objects.count() == before


def test_a_negative_contribution_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.contribution_create(
            actor=None, partnership=world.partnership, agency=world.police, financial_year="2024-25", amount=-5
        )
    assert fields_of(error) == {"amount"}
    assert not Contribution.objects.filter(agency=world.police).exists()


def test_a_financial_year_must_be_written_as_one(world):
    with pytest.raises(ValidationError) as error:
        services.contribution_create(
            actor=None, partnership=world.partnership, agency=world.police, financial_year="2024-26", amount=5
        )
    assert "financial_year" in fields_of(error)


def test_chair_terms_in_one_group_may_not_overlap(world):
    chair = world.users[Role.GROUP_CHAIR].person
    other = world.users[Role.SCRUTINEER].person
    first = services.membership_add(
        actor=None,
        partnership=world.partnership,
        group=world.executive,
        person=chair,
        role=MembershipRole.CHAIR,
        starts_on=D(2024, 4, 1),
    )
    assert first.ends_on == D(2025, 3, 31)  # the executive's 12-month term
    before = Membership.objects.count()
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=None,
            partnership=world.partnership,
            group=world.executive,
            person=other,
            role=MembershipRole.CHAIR,
            starts_on=D(2025, 1, 1),
        )
    assert fields_of(error) == {"starts_on"}
    assert Membership.objects.count() == before
    rotated = services.membership_add(
        actor=None,
        partnership=world.partnership,
        group=world.executive,
        person=other,
        role=MembershipRole.CHAIR,
        starts_on=D(2025, 4, 1),
    )
    assert rotated.ends_on == D(2026, 3, 31)


def test_a_chair_may_not_serve_beyond_the_groups_term(world):
    chair = world.users[Role.GROUP_CHAIR].person
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=None,
            partnership=world.partnership,
            group=world.executive,
            person=chair,
            role=MembershipRole.CHAIR,
            starts_on=D(2024, 4, 1),
            ends_on=D(2025, 9, 30),
        )
    assert fields_of(error) == {"ends_on"}


def test_a_member_of_another_partnership_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=None,
            partnership=world.partnership,
            group=world.plg,
            person=world.other_person,
            starts_on=D(2024, 4, 1),
        )
    assert fields_of(error) == {"person"}


def test_a_group_cannot_report_to_a_group_below_it(world):
    with pytest.raises(ValidationError) as error:
        services.group_update(actor=None, group=world.executive, parent=world.plg)
    assert fields_of(error) == {"parent"}


def _upload(name, content, size=None):
    file = SimpleUploadedFile(name, content)
    if size:
        file.size = size
    return file


@pytest.mark.parametrize(
    ("name", "content", "size"),
    [
        ("minutes.exe", b"MZ\x90\x00", None),
        ("report.txt", b"hello", None),
        ("report.pdf", b"MZ not a pdf", None),
        ("report.pdf", pdf_bytes(), 20 * 1024 * 1024 + 1),
        ("report.pdf", b"%PDF-1.7 not really", None),
        ("slides.pptx", b"PK\x03\x04 zip body", None),
        ("plan.docx", office_bytes("xlsx"), None),
    ],
)
def test_a_paper_of_the_wrong_type_or_too_large_is_refused(world, name, content, size):
    before = Paper.objects.count()
    with pytest.raises(ValidationError) as error:
        services.paper_add(actor=None, meeting=world.meeting, title="Paper", file=_upload(name, content, size))
    assert fields_of(error) == {"file"}
    assert Paper.objects.count() == before


@pytest.mark.parametrize("name", ["report.pdf", "plan.docx", "data.xlsx", "slides.pptx"])
def test_office_documents_and_pdfs_are_accepted(world, name):
    content = pdf_bytes() if name.endswith("pdf") else office_bytes(name.rsplit(".", 1)[1])
    paper = services.paper_add(actor=None, meeting=world.meeting, title="Paper", file=_upload(name, content))
    assert paper.extension == name.rsplit(".", 1)[1].upper()


def test_attendance_rate_counts_deputies_as_attended(world):
    year = FinancialYear(2024)
    access = Access.for_user(world.users[Role.MEMBER], world.partnership)
    for role, status, deputy in [
        (Role.SCRUTINEER, "deputy", "Pat Deputy"),
        (Role.AGENCY_LEAD, "apologies", ""),
        (Role.PRACTITIONER, "absent", ""),
    ]:
        services.attendance_record(
            actor=None, meeting=world.meeting, person=world.users[role].person, status=status, deputy_name=deputy
        )
    [plg] = queries.attendance_by_group(access, year)
    assert (plg.expected, plg.present, plg.deputy, plg.apologies, plg.absent, plg.rate) == (4, 1, 1, 1, 1, 50.0)
    assert queries.attendance_by_group(access, year.next()) == []


def test_terms_ending_within_sixty_days(world):
    chair = world.users[Role.GROUP_CHAIR].person
    today = datetime.date.today()
    services.membership_add(
        actor=None,
        partnership=world.partnership,
        group=world.executive,
        person=chair,
        role=MembershipRole.CHAIR,
        starts_on=today - datetime.timedelta(days=330),
    )
    access = Access.for_user(world.users[Role.MEMBER], world.partnership)
    assert [seat.person for seat in queries.terms_ending(access)] == [chair]
    assert list(queries.terms_ending(access, today=today - datetime.timedelta(days=200))) == []


def test_the_budget_is_kept_from_everyone_but_the_business_unit_and_scrutineer(world):
    for role in Role.values:
        visible = Contribution.objects.restrict(Access.for_user(world.users[role], world.partnership)).exists()
        assert visible == (role in (Role.BUSINESS_UNIT, Role.SCRUTINEER)), role
