"""Booking a place, marking attendance and evaluating, in a real browser, with no axe violations."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jigsaw.core.scoping import Role
from jigsaw.training.models import Booking, BookingStatus, Completion, Evaluation, Event

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_booking_a_place_from_the_public_calendar(axe_page, world, axe):
    page = axe_page
    page.goto("/durham/training/calendar/")
    axe(page)
    page.get_by_role("link", name="Book a place").first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Book a place").click()  # empty: the errors are named
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page)
    page.get_by_label("Full name").fill("Cara Carer")
    page.get_by_label("Email address", exact=True).fill("cara@nursery.example")
    page.get_by_label("Organisation you work or volunteer for").fill("Schools")
    page.get_by_label("I have read the cancellation terms and charges above").check()
    page.get_by_role("button", name="Book a place").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Booking confirmed")).to_be_visible()
    axe(page)
    assert Booking.objects.get(email="cara@nursery.example").status == BookingStatus.BOOKED


def _happened(world):
    past = timezone.now() - datetime.timedelta(hours=5)
    Event.objects.filter(pk=world.event.pk).update(starts_at=past, ends_at=past + datetime.timedelta(hours=3))


def test_the_trainer_marks_attendance(axe_page, world, axe, sign_in):
    _happened(world)
    page = axe_page
    sign_in(page, world.users[Role.MEMBER].email)
    page.goto(f"/durham/training/events/{world.event.pk}/")
    axe(page)
    page.get_by_role("button", name=re.compile(r"^Attended")).click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Bea Booker")
    axe(page)
    assert Completion.objects.filter(event=world.event, learner__email="bea@school.example").exists()


def test_an_attendee_evaluates_the_training(axe_page, world, axe):
    from jigsaw.training import services

    _happened(world)
    world.booking.refresh_from_db()
    services.booking_mark_attendance(actor=world.users[Role.MEMBER], booking=world.booking, attendance="attended")
    page = axe_page
    page.goto(f"/durham/training/booking/{world.booking.code}/")
    page.get_by_role("link", name="Evaluate this training").click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_role("button", name="Send evaluation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page)
    page.get_by_label("5").check()
    page.get_by_label("Your knowledge of this subject before").select_option("4")
    page.get_by_label("Your knowledge of this subject after").select_option("9")
    page.get_by_label("Yes").check()
    page.get_by_label("Any other comments").fill("Filling gaps in knowledge")
    page.get_by_role("button", name="Send evaluation").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Thank you")
    axe(page)
    assert Evaluation.objects.get(booking=world.booking).knowledge_after == 9


def test_the_analysis_page_has_no_violations(axe_page, world, axe, sign_in):
    sign_in(axe_page, world.users[Role.SCRUTINEER].email)
    axe_page.goto("/durham/training/analysis/?year=2024-25")
    axe(axe_page)
