"""A member of the public books a place from the public training calendar: the charges come
first, then the confirmation page, then an email with the calendar invitation (.ics)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from jigsaw.training.models import Booking, BookingStatus

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_member_of_the_public_books_a_place_seeing_the_charges_first(axe_page, world, axe):
    page = axe_page
    event = world.event
    page.goto("/durham/training/calendar/")
    axe(page)
    page.get_by_role("link", name="Book a place on Working with Resistance").click()
    page.wait_for_load_state()
    terms = page.get_by_role("heading", name="Cancellation terms and charges")
    expect(terms).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "or do not attend, Durham Safeguarding Children Partnership charges £50.00"
    )
    # The terms sit above the form, read before the details are typed.
    assert terms.bounding_box()["y"] < page.get_by_label("Full name").bounding_box()["y"]
    axe(page)

    page.get_by_label("Full name").fill("Cara Carer")
    page.get_by_label("Email address", exact=True).fill("cara@nursery.example")
    page.get_by_label("Organisation you work or volunteer for").fill("Schools")
    page.get_by_role("button", name="Book a place").click()  # terms not yet confirmed: nothing booked
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that you have read the cancellation terms and charges"
    )
    assert not Booking.objects.filter(email="cara@nursery.example").exists()
    axe(page)
    page.get_by_label("I have read the cancellation terms and charges above").check()
    page.get_by_role("button", name="Book a place").click()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", name="Booking confirmed")).to_be_visible()
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    expect(page.locator("main")).to_contain_text(f"{starts:%H:%M} to {ends:%H:%M}")
    expect(page.locator("main")).to_contain_text("cara@nursery.example")
    axe(page)
    booking = Booking.objects.get(email="cara@nursery.example")
    assert booking.status == BookingStatus.BOOKED

    message = next(m for m in mail.outbox if m.to == ["cara@nursery.example"])
    assert f"Time: {starts:%H:%M} to {ends:%H:%M}" in message.body and "Venue: County Hall" in message.body
    assert f"/durham/training/booking/{booking.code}:" in message.body  # signed with the time it was sent
    ((name, content, _),) = message.attachments
    entry = next(c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT")
    assert (
        name == "training.ics"
        and entry.decoded("dtstart") == event.starts_at
        and str(entry["location"]) == "County Hall"
    )

    page.get_by_role("link", name="See or cancel your booking").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Your booking")).to_be_visible()
