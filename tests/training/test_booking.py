"""Booking a place as a member of the public does it: the terms before booking, the confirmation
page and email (.ics attached), getting the link again, and the reminders before the event."""

from __future__ import annotations

import datetime
import re
import time
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from jigsaw.core import claims
from jigsaw.core.scoping import Role
from jigsaw.training import bookings, services
from jigsaw.training.models import Booking, BookingReminder, BookingStatus, Event

pytestmark = pytest.mark.django_db
BOOK = "/durham/training/calendar/{}/book/"
LINKS = "/durham/training/calendar/booking-links/"


def _event(world, *, days=30, capacity=5, hour=9):
    start = (timezone.localtime() + datetime.timedelta(days=days)).replace(
        hour=hour, minute=30, second=0, microsecond=0
    )
    return services.event_create(
        actor=None,
        partnership=world.partnership,
        course=world.face_to_face,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=capacity,
        venue="County Hall, Durham DH1 5UL",
    )


def _form(name="Ann Able", email="ann@school.example", organisation="Schools", **more):
    return {"name": name, "email": email, "organisation": organisation, "accept_terms": "on", **more}


def test_the_charges_and_cancellation_terms_are_shown_before_booking_and_must_be_accepted(world):
    services.training_policy_update(
        actor=world.users[Role.BUSINESS_UNIT],
        partnership=world.partnership,
        non_attendance_charge=Decimal("75.00"),
        late_cancellation_days=7,
    )
    event = _event(world)
    public = world.client(None)
    page = public.get(BOOK.format(event.pk)).content.decode()
    terms, form = page.index("Cancellation terms and charges"), page.index("<form")
    assert terms < form
    assert (
        "fewer than 7 days before the event, or do not attend" in page and "£75.00" in page and "£30.00" in page
    )  # registration fee
    refused = public.post(BOOK.format(event.pk), _form(accept_terms=""))
    assert (
        refused.status_code == 200
        and "Confirm that you have read the cancellation terms and charges" in refused.content.decode()
    )
    assert not Booking.objects.filter(event=event).exists() and not mail.outbox


def test_booking_leads_to_a_confirmation_page_and_an_email_with_times_venue_calendar_and_cancel_link(world):
    event = _event(world)
    public = world.client(None)
    response = public.post(BOOK.format(event.pk), _form())
    booking = Booking.objects.get(event=event, email="ann@school.example")
    assert response.status_code == 302 and response["Location"] == f"/durham/training/booking/{booking.code}/confirmed/"
    page = public.get(response["Location"]).content.decode()
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    assert "Booking confirmed" in page and "ann@school.example" in page
    assert "We will email you a reminder 14 days and 5 days before the event." in page
    assert (
        f"{starts:%H:%M} to {ends:%H:%M}" in page
        and "County Hall, Durham DH1 5UL" in page
        and "Cancellation terms and charges" in page
    )

    message = mail.outbox[-1]
    assert message.to == ["ann@school.example"]
    body = message.body
    assert f"Date: {starts:%A} {starts.day} {starts:%B %Y}" in body
    assert f"Time: {starts:%H:%M} to {ends:%H:%M}" in body and "Venue: County Hall, Durham DH1 5UL" in body
    link = re.search(r"https?://\S+(/durham/training/booking/[^/\s]+/)", body)  # the link to see or cancel
    assert link[1].startswith(f"/durham/training/booking/{booking.code}:")  # signed with the time it was sent
    assert "Your booking" in public.get(link[1]).content.decode()
    assert "£50.00" in body  # the late-cancellation / no-show charge
    ((name, content, mimetype),) = message.attachments
    assert name == "training.ics" and mimetype.startswith("text/calendar")
    entry = next(component for component in Calendar.from_ical(content).walk() if component.name == "VEVENT")
    assert entry.decoded("dtstart") == event.starts_at and entry.decoded("dtend") == event.ends_at
    assert (
        str(entry["summary"]) == "Working with Resistance" and str(entry["location"]) == "County Hall, Durham DH1 5UL"
    )
    assert booking.code in str(entry["description"])


def test_the_waiting_list_is_confirmed_without_a_calendar_invitation(world):
    event = _event(world, capacity=1)
    public = world.client(None)
    public.post(BOOK.format(event.pk), _form())
    response = public.post(BOOK.format(event.pk), _form(name="Bob Baker", email="bob@school.example"))
    assert "You are on the waiting list" in public.get(response["Location"]).content.decode()
    assert Booking.objects.get(email="bob@school.example").status == BookingStatus.WAITING
    assert mail.outbox[-1].attachments == [] and "waiting list" in mail.outbox[-1].body


def test_someone_already_booked_is_offered_their_link_again_and_the_answer_never_says_who_has_booked(world):
    event = _event(world)
    public = world.client(None)
    public.post(BOOK.format(event.pk), _form())
    again = public.post(BOOK.format(event.pk), _form()).content.decode()
    assert "Someone with this email address has already booked this event." in again
    assert f'href="{LINKS}"' in again and "email me my booking link again" in again
    booking = Booking.objects.get(email="ann@school.example")
    mail.outbox.clear()

    booked = public.post(LINKS, {"email": "Ann@School.example"}, follow=True).content.decode()
    stranger = public.post(LINKS, {"email": "nobody@school.example"}, follow=True).content.decode()
    answer = "If that email address has a booking with us for training still to come, we have sent the links to it."
    assert answer in booked and answer in stranger
    assert _main(booked) == _main(stranger)  # the same page, whether or not the address has booked
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ann@school.example"] and booking.code in mail.outbox[0].body


def _emailed_link(monkeypatch, booking, *, days_ago: int) -> str:
    """The booking's link from 'email me my booking links again', as if sent `days_ago` days ago."""
    then = time.time() - days_ago * 86400
    mail.outbox.clear()
    with monkeypatch.context() as clock:
        clock.setattr(signing.time, "time", lambda: then)
        bookings.booking_links_send(partnership=booking.partnership, email=booking.email)
    return re.search(r"https?://\S+(/durham/training/booking/[^/\s]+/)", mail.outbox[-1].body)[1]


def test_a_booking_link_opens_until_it_expires_and_a_changed_one_opens_nothing(world, monkeypatch):
    booking = services.booking_create(
        partnership=world.partnership,
        event=_event(world),
        name="Ann Able",
        email="ann@school.example",
        organisation="Schools",
    )
    public = world.client(None)
    year_old = _emailed_link(monkeypatch, booking, days_ago=364)
    assert "Your booking" in public.get(year_old).content.decode()

    expired = _emailed_link(monkeypatch, booking, days_ago=366)
    for response in (public.get(expired), public.post(expired, {"confirm": "yes"})):
        page = response.content.decode()
        assert response.status_code == 410 and "This link has expired" in page
        assert "Ask for your booking links again" in page and "Your booking" not in page
    # Without its signature the link is the booking's bare code: that lasts no longer than a signed one.
    Booking.objects.filter(pk=booking.pk).update(booked_at=timezone.now() - datetime.timedelta(days=366))
    response = public.post(f"/durham/training/booking/{booking.code}/", {"confirm": "yes"})
    assert response.status_code == 410

    code, sent, signature = year_old.strip("/").rsplit("/", 1)[1].split(":")
    for changed in (
        f"{code}:{sent}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",  # the signature
        f"{code[:-1]}{'A' if code[-1] != 'A' else 'B'}:{sent}:{signature}",  # the code
        f"{code}:{signature}",  # the time taken out
        signing.TimestampSigner(salt="jigsaw.impact.manager").sign(booking.code),  # another kind of link's
    ):
        response = public.post(f"/durham/training/booking/{changed}/", {"confirm": "yes"})
        page = response.content.decode()
        assert response.status_code == 404 and "This link is not valid: it may have been copied wrongly." in page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED  # nothing cancelled


def _main(page: str) -> str:
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def _booked_long_ago(booking):
    Booking.objects.filter(pk=booking.pk).update(booked_at=timezone.now() - datetime.timedelta(days=40))


def test_reminders_go_14_and_5_days_before_each_once_however_often_the_job_runs(world):
    event = _event(world, days=14)
    booking = services.booking_create(
        partnership=world.partnership, event=event, name="Ann Able", email="ann@school.example", organisation="Schools"
    )
    late = services.booking_create(
        partnership=world.partnership, event=event, name="Cal Late", email="cal@school.example", organisation="Schools"
    )
    _booked_long_ago(booking)  # Cal booked today, inside the 14 days: the confirmation is fresh, no 14-day reminder
    mail.outbox.clear()
    call_command("send_booking_reminders")
    call_command("send_booking_reminders")  # a second (or overlapping) run sends nothing more
    assert [m.to for m in mail.outbox] == [["ann@school.example"]]
    assert (
        "in 14 days" in mail.outbox[0].body
        and "County Hall" in mail.outbox[0].body
        and booking.code in mail.outbox[0].body
    )
    # Nine days later: the 5-day reminder, to both.
    five_days_before = (timezone.localtime(event.starts_at) - datetime.timedelta(days=5)).date()
    Booking.objects.filter(pk=late.pk).update(booked_at=timezone.now() - datetime.timedelta(days=1))
    mail.outbox.clear()
    call_command("send_booking_reminders", date=five_days_before.isoformat())
    call_command("send_booking_reminders", date=five_days_before.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@school.example", "cal@school.example"] and all(
        "in 5 days" in m.body for m in mail.outbox
    )
    assert BookingReminder.objects.filter(booking=booking).count() == 2


def test_a_run_that_finds_a_reminder_claimed_by_another_sends_nothing_and_cancelled_places_get_none(world):
    event = _event(world, days=5)
    booking = services.booking_create(
        partnership=world.partnership, event=event, name="Ann Able", email="ann@school.example", organisation="Schools"
    )
    gone = services.booking_create(
        partnership=world.partnership, event=event, name="Dee Gone", email="dee@school.example", organisation="Schools"
    )
    _booked_long_ago(booking)
    _booked_long_ago(gone)
    services.booking_cancel(booking=Booking.objects.get(pk=gone.pk))
    BookingReminder.objects.create(booking=booking, days_before=5)  # another run is sending it right now
    mail.outbox.clear()
    run = bookings.reminders_send()
    assert run.sent == 0 and run.already_sent == 1 and not mail.outbox
    # That run died without sending: after the claim times out, the reminder goes, once.
    BookingReminder.objects.filter(booking=booking).update(claimed_at=timezone.now() - claims.CLAIM_TIMEOUT * 2)
    assert bookings.reminders_send().sent == 1 and bookings.reminders_send().sent == 0
    assert [m.to for m in mail.outbox] == [["ann@school.example"]]


def test_the_reminder_task_runs_through_the_queue(world):
    from jigsaw.training.tasks import send_booking_reminders

    event = _event(world, days=5)
    booking = services.booking_create(
        partnership=world.partnership, event=event, name="Ann Able", email="ann@school.example", organisation="Schools"
    )
    _booked_long_ago(booking)
    mail.outbox.clear()
    send_booking_reminders.enqueue()
    assert BookingReminder.objects.get(booking=booking).sent_at is not None and len(mail.outbox) == 1
    assert Event.objects.filter(pk=event.pk).exists()
