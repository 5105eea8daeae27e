"""The status rules and the assurance review schedule, with real dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.actions import services
from jigsaw.actions.models import ActionEvent, AssuranceReview, EvidenceFile, LearningAction, ReviewKind, Status
from jigsaw.core import services as core_services
from jigsaw.core.scoping import Role
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db
D = datetime.date


def raise_action(world, **fields):
    defaults = {
        "description": "Brief practitioners on professional curiosity",
        "owner_agency": world.police,
        "raised_on": D(2024, 5, 1),
        "due_on": D(2024, 9, 30),
    }
    return services.action_raise(
        actor=world.users[Role.BUSINESS_UNIT], partnership=world.partnership, **{**defaults, **fields}
    )


COMPLETED_ON = D(2024, 8, 31)


def complete(world, action, on=COMPLETED_ON):
    return services.action_set_status(
        actor=world.users[Role.BUSINESS_UNIT],
        action=action,
        status=Status.COMPLETED,
        evidence="Briefing delivered to 230 staff.",
        on=on,
    )


def record(world, action, kind, *, assurance=True, on, evidence="Audit of 20 cases shows the change held."):
    review = action.reviews.get(kind=kind)
    return services.review_record(
        actor=world.users[Role.BUSINESS_UNIT],
        review=review,
        rag="green",
        what_changed="Strategy meetings now hear from schools.",
        evidence=evidence,
        assurance_given=assurance,
        reviewed_on=on,
    )


def test_completing_schedules_reviews_6_and_12_calendar_months_later(world):
    action = complete(world, raise_action(world))
    dates = {review.kind: review.due_on for review in action.reviews.all()}
    assert dates == {ReviewKind.SIX_MONTH: D(2025, 2, 28), ReviewKind.TWELVE_MONTH: D(2025, 8, 31)}
    assert action.completed_on == D(2024, 8, 31)
    assert action.events.filter(kind=ActionEvent.Kind.STATUS).exists()


def test_a_leap_year_end_of_month(world):
    action = complete(world, raise_action(world, raised_on=D(2023, 6, 1), due_on=None), on=D(2023, 8, 31))
    assert set(action.reviews.values_list("due_on", flat=True)) == {D(2024, 2, 29), D(2024, 8, 31)}


def test_the_12_month_review_giving_assurance_makes_the_action_assured(world):
    action = complete(world, raise_action(world))
    record(world, action, ReviewKind.SIX_MONTH, on=D(2025, 3, 3))
    action.refresh_from_db()
    assert action.status == Status.COMPLETED  # the 6-month review alone never assures
    record(world, action, ReviewKind.TWELVE_MONTH, on=D(2025, 9, 1))
    action.refresh_from_db()
    assert action.status == Status.ASSURED


def test_a_12_month_review_without_assurance_leaves_it_completed(world):
    action = complete(world, raise_action(world))
    record(world, action, ReviewKind.SIX_MONTH, on=D(2025, 3, 3))
    record(world, action, ReviewKind.TWELVE_MONTH, on=D(2025, 9, 1), assurance=False)
    action.refresh_from_db()
    assert action.status == Status.COMPLETED


def test_assured_cannot_be_set_by_hand(world):
    action = complete(world, raise_action(world))
    with pytest.raises(ValidationError) as error:
        services.action_set_status(actor=world.users[Role.BUSINESS_UNIT], action=action, status=Status.ASSURED)
    assert "12-month review" in error.value.message_dict["status"][0]


def test_assurance_without_evidence_is_refused_and_nothing_saved(world):
    action = complete(world, raise_action(world))
    record(world, action, ReviewKind.SIX_MONTH, on=D(2025, 3, 3))
    with pytest.raises(ValidationError) as error:
        record(world, action, ReviewKind.TWELVE_MONTH, on=D(2025, 9, 1), evidence="")
    assert "evidence" in error.value.message_dict
    action.refresh_from_db()
    assert action.status == Status.COMPLETED
    assert not action.reviews.get(kind=ReviewKind.TWELVE_MONTH).is_recorded


def test_completing_needs_evidence(world):
    action = raise_action(world)
    with pytest.raises(ValidationError) as error:
        services.action_set_status(actor=world.users[Role.BUSINESS_UNIT], action=action, status=Status.COMPLETED)
    assert "evidence" in error.value.message_dict
    action.refresh_from_db()
    assert action.status == Status.OPEN and not AssuranceReview.objects.filter(action=action).exists()


def test_closing_without_assurance_needs_a_reason(world):
    action = raise_action(world)
    with pytest.raises(ValidationError) as error:
        services.action_set_status(
            actor=world.users[Role.BUSINESS_UNIT], action=action, status=Status.CLOSED_WITHOUT_ASSURANCE
        )
    assert "closure_reason" in error.value.message_dict
    services.action_set_status(
        actor=world.users[Role.BUSINESS_UNIT],
        action=action,
        status=Status.CLOSED_WITHOUT_ASSURANCE,
        closure_reason="Superseded by the new neglect strategy.",
    )
    action.refresh_from_db()
    assert action.status == Status.CLOSED_WITHOUT_ASSURANCE
    with pytest.raises(ValidationError):
        services.action_update(actor=world.users[Role.BUSINESS_UNIT], action=action, description="Changed")


def test_a_review_on_an_action_not_completed_is_refused(world):
    action = complete(world, raise_action(world))
    review = action.reviews.get(kind=ReviewKind.SIX_MONTH)
    LearningAction.objects.filter(pk=action.pk).update(status=Status.IN_PROGRESS)
    review.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.review_record(actor=None, review=review, rag="green", what_changed="x", assurance_given=False)
    assert "completed actions" in error.value.message_dict["action"][0]
    other = raise_action(world)
    with pytest.raises(ValidationError) as error:
        services.review_add(
            actor=None,
            partnership=world.partnership,
            action=other,
            kind=ReviewKind.SIX_MONTH,
            rag="green",
            what_changed="x",
            assurance_given=False,
        )
    assert "action" in error.value.message_dict


def test_the_12_month_review_waits_for_the_6_month_one(world):
    action = complete(world, raise_action(world))
    with pytest.raises(ValidationError) as error:
        record(world, action, ReviewKind.TWELVE_MONTH, on=D(2025, 9, 1))
    assert "6-month" in error.value.message_dict["kind"][0]


def test_a_due_date_before_it_was_raised_is_refused(world):
    with pytest.raises(ValidationError) as error:
        raise_action(world, raised_on=D(2024, 5, 1), due_on=D(2024, 4, 1))
    assert error.value.message_dict["due_on"] == ["The due date cannot be before the action was raised."]
    assert (
        not LearningAction.objects.exists()
        or not LearningAction.objects.filter(description__startswith="Brief").exists()
    )


def test_an_owner_from_another_partnership_is_refused(world):
    with pytest.raises(ValidationError) as error:
        raise_action(world, owner_agency=world.other_agency, owner_person=world.other_person)
    assert "owner_agency" in error.value.message_dict and "owner_person" in error.value.message_dict
    action = raise_action(world)
    with pytest.raises(ValidationError) as error:
        services.action_update(actor=world.users[Role.BUSINESS_UNIT], action=action, owner_person=world.other_person)
    assert "from this partnership" in error.value.message_dict["owner_person"][0]
    action.refresh_from_db()
    assert action.owner_person is None


def test_an_update_by_another_agencys_lead_is_refused(world):
    action = raise_action(world, owner_agency=world.council)
    lead = world.users[Role.AGENCY_LEAD]  # leads for the police
    with pytest.raises(ValidationError) as error:
        services.action_update(actor=lead, action=action, description="Rewritten by the police")
    assert "another agency" in error.value.message_dict["owner_agency"][0]
    with pytest.raises(ValidationError):
        services.action_set_status(actor=lead, action=action, status=Status.IN_PROGRESS)
    action.refresh_from_db()
    assert action.description.startswith("Brief") and action.status == Status.OPEN


def test_an_agency_lead_cannot_hand_their_action_to_another_agency(world):
    action = raise_action(world)
    with pytest.raises(ValidationError) as error:
        services.action_update(actor=world.users[Role.AGENCY_LEAD], action=action, owner_agency=world.council)
    assert "your own agency" in error.value.message_dict["owner_agency"][0]
    action.refresh_from_db()
    assert action.owner_agency == world.police


def test_the_agency_lead_updates_their_own_action_with_evidence_files(world):
    action = raise_action(world)
    lead = world.users[Role.AGENCY_LEAD]
    services.action_set_status(actor=lead, action=action, status=Status.IN_PROGRESS, note="Briefings booked.")
    pdf = SimpleUploadedFile("briefing.pdf", pdf_bytes("x"), content_type="application/pdf")
    services.action_set_status(
        actor=lead, action=action, status=Status.COMPLETED, evidence="All teams briefed.", files=[pdf], on=D(2024, 9, 2)
    )
    action.refresh_from_db()
    assert action.status == Status.COMPLETED
    assert [f.name for f in action.evidence_files.all()] == ["briefing.pdf"]
    assert action.evidence_files.get().uploaded_by == lead


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ", "is not a kind of file Jigsaw accepts"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_evidence_files_are_type_and_size_checked(world, name, content, message):
    action = raise_action(world)
    with pytest.raises(ValidationError) as error:
        services.action_set_status(
            actor=None,
            action=action,
            status=Status.COMPLETED,
            evidence="Done.",
            files=[SimpleUploadedFile(name, content)],
        )
    assert message in error.value.message_dict["files"][0]
    action.refresh_from_db()
    assert action.status == Status.OPEN and not EvidenceFile.objects.filter(action=action).exists()


def test_a_file_over_10_mb_is_refused(world, monkeypatch):
    big = SimpleUploadedFile("big.pdf", pdf_bytes())
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=None, action=raise_action(world), files=[big])
    assert "larger than 10 MB" in error.value.message_dict["files"][0]


def test_escalation_records_group_date_and_reason(world):
    from jigsaw.governance.models import Group

    group = Group.objects.filter(
        partnership=world.partnership, name="Performance and Learning Group"
    ).first() or core_services.save(
        Group(partnership=world.partnership, name="Performance and Learning Group", kind="subgroup"), actor=None
    )
    action = raise_action(world)
    with pytest.raises(ValidationError) as error:
        services.action_escalate(actor=None, action=action, group=group, reason="")
    assert "reason" in error.value.message_dict
    services.action_escalate(
        actor=world.users[Role.BUSINESS_UNIT],
        action=action,
        group=group,
        reason="No progress after two reminders.",
        on=D(2024, 11, 4),
    )
    action.refresh_from_db()
    assert (action.escalated_to, action.escalated_on) == (group, D(2024, 11, 4))
    assert "No progress" in action.events.get(kind=ActionEvent.Kind.ESCALATED).summary


def test_any_record_raises_and_lists_its_actions(world):
    from django.template import Context, Template
    from django.test import RequestFactory

    from jigsaw.core.scoping import Access

    source = world.theme  # any record with a partnership will do
    services.action_raise(actor=None, partnership=world.partnership, description="Share the learning", source=source)
    request = RequestFactory().get("/")
    request.access = Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership)
    html = Template("{% load learning_log %}{% source_actions object %}").render(
        Context({"request": request, "object": source})
    )
    assert "Share the learning" in html
    assert f"?source=core.theme.{source.pk}" in html  # 'Raise an action' for those who may


def test_reviews_can_count_from_the_sources_sign_off(world):
    action = raise_action(world)
    services.action_set_status(
        actor=None,
        action=action,
        status=Status.COMPLETED,
        evidence="Done.",
        on=D(2024, 9, 10),
        reviews_from=D(2024, 10, 31),
    )
    assert set(action.reviews.values_list("due_on", flat=True)) == {D(2025, 4, 30), D(2025, 10, 31)}
