"""What people do on the training pages: book, cancel, mark attendance, evaluate, import, map names."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jigsaw.core import dates
from jigsaw.core.scoping import Role
from jigsaw.training import services
from jigsaw.training.exports import escape_cell
from jigsaw.training.models import (
    Booking,
    BookingStatus,
    Completion,
    Evaluation,
    Event,
    ImpactFollowUp,
    ImportBatch,
    ImportOutcome,
    Learner,
)
from jigsaw.training.publications import published

BOOK = "/durham/training/calendar/{}/book/"


def _event(world, *, capacity=2, days=30):
    start = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return services.event_create(
        actor=None,
        partnership=world.partnership,
        course=world.face_to_face,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        capacity=capacity,
        venue="County Hall",
        trainer=world.users[Role.MEMBER].person,
    )


def _book(client, event, name, email, organisation="Schools"):
    return client.post(
        BOOK.format(event.pk), {"name": name, "email": email, "organisation": organisation, "accept_terms": "on"}
    )


def test_the_public_books_without_an_account_and_joins_the_waiting_list_when_full(world):
    event = _event(world, capacity=1)
    public = world.client(None)
    assert "Book a place" in public.get("/durham/training/calendar/").content.decode()
    first = _book(public, event, "Ann Able", "ann@school.example")
    assert first.status_code == 302 and Booking.objects.get(email="ann@school.example").status == BookingStatus.BOOKED
    assert "Your place is booked" in mail.outbox[-1].body
    page = public.get(BOOK.format(event.pk)).content.decode()
    assert "fully booked" in page
    _book(public, event, "Bob Baker", "bob@school.example")
    assert Booking.objects.get(email="bob@school.example").status == BookingStatus.WAITING


def test_bad_booking_input_is_named_and_nothing_saved(world):
    event = _event(world)
    response = world.client(None).post(
        BOOK.format(event.pk), {"name": "", "email": "not-an-email", "organisation": "Schools", "accept_terms": "on"}
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not Booking.objects.filter(event=event).exists()


def test_cancelling_frees_the_place_for_the_waiting_list_and_late_cancellations_are_charged(world):
    event = _event(world, capacity=1, days=2)
    public = world.client(None)
    _book(public, event, "Ann Able", "ann@school.example")
    _book(public, event, "Bob Baker", "bob@school.example")
    ann = Booking.objects.get(email="ann@school.example")
    assert public.post(f"/durham/training/booking/{ann.code}/", {}).status_code == 200  # must confirm
    public.post(f"/durham/training/booking/{ann.code}/", {"confirm": "yes"})
    ann.refresh_from_db()
    assert (
        ann.status == BookingStatus.CANCELLED
        and ann.late_cancellation
        and ann.non_attendance_charge == services.training_policy(world.partnership).non_attendance_charge
    )
    assert Booking.objects.get(email="bob@school.example").status == BookingStatus.BOOKED


def test_profit_making_organisations_pay_the_registration_fee(world):
    event = _event(world)
    _book(
        world.client(None),
        event,
        "Pat Private",
        "pat@home.example",
        organisation="Private Organisations (for profit organisations including Independent Schools, Private Children's Homes and Fostering Agencies)",
    )
    assert (
        Booking.objects.get(email="pat@home.example").registration_fee
        == services.training_policy(world.partnership).registration_fee
    )


def _past(world, booking):
    # The event happened: move it into the past.
    past = timezone.now() - datetime.timedelta(days=1)
    Event.objects.filter(pk=booking.event_id).update(starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    booking.refresh_from_db()


def test_the_trainer_marks_attendance_which_counts_a_completion_then_the_attendee_evaluates(world):
    booking = world.booking
    _past(world, booking)
    trainer = world.client(Role.MEMBER)
    assert "Attended" in trainer.get(f"/durham/training/events/{booking.event_id}/").content.decode()
    trainer.post(f"/durham/training/bookings/{booking.pk}/attendance/", {"attendance": "attended"})
    completion = Completion.objects.get(learner__email="bea@school.example")
    assert completion.event_id == booking.event_id and completion.category.name == "Schools"
    public = world.client(None)
    assert "Evaluate this training" in public.get(f"/durham/training/booking/{booking.code}/").content.decode()
    response = public.post(
        f"/durham/training/booking/{booking.code}/evaluate/",
        {"content_rating": "5", "knowledge_before": "4", "knowledge_after": "9", "impact": "yes", "comments": "Fresh"},
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(booking=booking)
    assert evaluation.completion == completion and evaluation.knowledge_after == 9


def test_a_no_show_is_charged_and_someone_else_cannot_mark_attendance(world):
    booking = world.booking
    _past(world, booking)
    assert (
        world.client(Role.PRACTITIONER)
        .post(f"/durham/training/bookings/{booking.pk}/attendance/", {"attendance": "no_show"})
        .status_code
        == 404
    )
    world.client(Role.BUSINESS_UNIT).post(
        f"/durham/training/bookings/{booking.pk}/attendance/", {"attendance": "no_show"}
    )
    booking.refresh_from_db()
    assert booking.attendance == "no_show" and booking.non_attendance_charge > 0


def test_the_evaluation_waits_for_attendance(world):
    response = world.client(None).post(
        f"/durham/training/booking/{world.booking.code}/evaluate/",
        {"content_rating": "5", "knowledge_before": "4", "knowledge_after": "9", "impact": "yes"},
    )
    assert response.status_code == 200 and "marked you as attending" in response.content.decode()
    assert not Evaluation.objects.filter(booking=world.booking).exists()


def test_impact_follow_ups_are_emailed_at_3_months_and_answered(world):
    booking = world.booking
    _past(world, booking)
    services.booking_mark_attendance(actor=world.users[Role.BUSINESS_UNIT], booking=booking, attendance="attended")
    completion = Completion.objects.get(event=booking.event)
    Completion.objects.filter(pk=completion.pk).update(completed_on=dates.add_months(timezone.localdate(), -3))
    from jigsaw.training.tasks import send_impact_follow_ups

    send_impact_follow_ups.enqueue(world.partnership.pk)
    follow_up = ImpactFollowUp.objects.get(completion=completion, months=3)
    assert ImpactFollowUp.QUESTION in mail.outbox[-1].body and follow_up.code in mail.outbox[-1].body
    assert services.impact_follow_ups_send(partnership=world.partnership) == 0  # sent once only
    world.client(None).post(f"/durham/training/impact/{follow_up.code}/", {"answer": "I challenge more."})
    follow_up.refresh_from_db()
    assert follow_up.answer == "I challenge more." and follow_up.answered_on


def test_the_business_unit_uploads_previews_and_imports_a_file(world):
    client = world.client(Role.BUSINESS_UNIT)
    content = b"Learner,Email,Organisation,Course,Completion date\nAnn Able,ann@school.example,Schools,Safeguarding Children Awareness,02/05/2024\nCal,cal@club.example,Shildon Boxing Club,Safeguarding Children Awareness,02/05/2024\n"
    response = client.post("/durham/training/imports/new/", {"file": SimpleUploadedFile("export.csv", content)})
    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302 and batch.outcome == ImportOutcome.REJECTED
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Shildon Boxing Club" in page and "Map" in page
    voluntary = world.partnership.organisation_categories.get(sector="voluntary")
    client.post(
        f"/durham/training/organisations/new/?batch={batch.pk}",
        {"name": "Shildon Boxing Club", "category": voluntary.pk},
    )
    client.post("/durham/training/imports/new/", {"file": SimpleUploadedFile("export.csv", content)})
    batch = ImportBatch.objects.latest("pk")
    assert (
        batch.outcome == ImportOutcome.CHECKED
        and not Completion.objects.filter(learner__email="ann@school.example").exists()
    )
    client.post(f"/durham/training/imports/{batch.pk}/import/")
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED and batch.added == 2
    assert "2 completions added" in client.get(
        f"/durham/training/imports/{batch.pk}/progress/"
    ).content.decode().replace("\n", " ")


def test_an_unsafe_upload_is_refused_on_the_form(world):
    response = world.client(Role.BUSINESS_UNIT).post(
        "/durham/training/imports/new/", {"file": SimpleUploadedFile("export.pdf", b"%PDF")}
    )
    assert response.status_code == 200 and "a CSV text file or an Excel workbook" in response.content.decode()


def test_formulas_in_names_are_escaped_in_the_download(world):
    content = b'Learner,Email,Organisation,Course,Completion date\n"=HYPERLINK(""http://x.example"")",eve@school.example,Schools,Safeguarding Children Awareness,02/05/2024\n'
    from jigsaw.training.imports import completions_import

    assert completions_import(actor=None, partnership=world.partnership, file_name="f.csv", content=content).ok
    download = world.client(Role.BUSINESS_UNIT).get("/durham/training/completions/export.csv").content.decode()
    assert "'=HYPERLINK" in download and "\n=HYPERLINK" not in download
    assert escape_cell("+1") == "'+1" and escape_cell("@SUM(A1)") == "'@SUM(A1)" and escape_cell(42) == 42


def test_learner_personal_data_is_the_business_units_only(world):
    # The agency lead sees their agency's learners' completions (the World's learner is police).
    assert "Lee Learner" in world.client(Role.AGENCY_LEAD).get("/durham/training/completions/").content.decode()
    for role in (Role.MEMBER, Role.SCRUTINEER, Role.GROUP_CHAIR):
        assert world.client(role).get("/durham/training/completions/").status_code == 403
    assert (
        Learner.objects.restrict(
            __import__("jigsaw.core.scoping", fromlist=["Access"]).Access.for_user(
                world.users[Role.MEMBER], world.partnership
            )
        ).count()
        == 0
    )


def test_upcoming_published_events_are_publications(world):
    items = published(world.partnership, None)
    assert [item.kind for item in items] == ["training"] and items[0].url.endswith(f"/calendar/{world.event.pk}/book/")
    Event.objects.filter(pk=world.event.pk).update(is_published=False)
    assert published(world.partnership, None) == []


def test_an_unpublished_event_cannot_be_booked_even_by_a_signed_in_user(world):
    Event.objects.filter(pk=world.event.pk).update(is_published=False)
    assert world.client(Role.BUSINESS_UNIT).get(BOOK.format(world.event.pk)).status_code == 404


def test_a_member_records_an_observation(world):
    client = world.client(Role.MEMBER)
    response = client.post(
        "/durham/training/observations/new/",
        {
            "course": world.course.pk,
            "observer": world.users[Role.MEMBER].person.pk,
            "observed_on_day": "3",
            "observed_on_month": "2",
            "observed_on_year": "2025",
            "content": "good",
            "delivery": "outstanding",
            "multi_agency_messages": "good",
            "notes": "Clear",
        },
    )
    assert response.status_code == 302
    assert "Clear" in client.get("/durham/training/observations/").content.decode()


def test_attendance_and_income_by_category(world):
    from jigsaw.core.figures import registry
    from jigsaw.core.periods import FinancialYear

    booking = world.booking
    _past(world, booking)
    services.booking_mark_attendance(actor=world.users[Role.BUSINESS_UNIT], booking=booking, attendance="no_show")
    year = FinancialYear.containing(booking.event.starts_at.date())
    figures = (
        registry()["training.bookings.attendance"]
        .build(world.partnership, year)
        .figures["training.bookings.attendance"]
    )
    assert figures["no_shows"] == 1 and figures["attendance_rate"] == 0.0
    income = registry()["training.income"].build(world.partnership, year).figures["training.income"]
    assert income["non_attendance_charges"] == float(services.training_policy(world.partnership).non_attendance_charge)


def test_an_import_whose_worker_was_killed_can_be_imported_again_from_its_page(world):
    from jigsaw.training.models import IMPORT_STALE_AFTER

    client = world.client(Role.BUSINESS_UNIT)
    content = b"Learner,Email,Organisation,Course,Completion date\nAnn Able,ann@school.example,Schools,Safeguarding Children Awareness,02/05/2024\n"
    client.post("/durham/training/imports/new/", {"file": SimpleUploadedFile("export.csv", content)})
    batch = ImportBatch.objects.latest("pk")
    # Confirmed, then the worker was killed while saving: silent ever since.
    ImportBatch.objects.filter(pk=batch.pk).update(
        outcome=ImportOutcome.RUNNING, progress_at=timezone.now() - IMPORT_STALE_AFTER * 2
    )
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Not imported: the import stopped before it finished" in page and "Import this file again" in page
    client.post(f"/durham/training/imports/{batch.pk}/import/")
    batch.refresh_from_db()
    assert (
        batch.outcome == ImportOutcome.IMPORTED
        and Completion.objects.filter(learner__email="ann@school.example").exists()
    )
