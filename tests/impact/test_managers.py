"""Managers' assurance of training impact: named at booking (or by the agency lead), asked once
at three months through a link that needs no account, reminded once, answered and counted."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from jigsaw.core.dates import add_months
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Role
from jigsaw.impact import services
from jigsaw.impact.models import ManagerAssurance, ManagerEmail
from jigsaw.training import services as training_services
from jigsaw.training.models import Attendance, Booking

pytestmark = pytest.mark.django_db
MANAGERS = "/durham/impact/managers/"


def _attended(world, *, name, email, organisation="Durham Police", manager_email="", days=10):
    """Booked on the public page (naming the manager or not), then marked attended by the trainer."""
    start = (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=30, second=0, microsecond=0)
    event = training_services.event_create(
        actor=None,
        partnership=world.partnership,
        course=world.face_to_face,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=20,
        venue="County Hall",
    )
    form = {"name": name, "email": email, "organisation": organisation, "accept_terms": "on"}
    if manager_email:
        form.update(line_manager_name="Morgan Manager", line_manager_email=manager_email)
    response = world.client(None).post(f"/durham/training/calendar/{event.pk}/book/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get(event=event, email=email)
    training_services.booking_mark_attendance(
        actor=world.users[Role.BUSINESS_UNIT], booking=booking, attendance=Attendance.ATTENDED
    )
    return booking, start.date()


def test_the_managers_link_closes_with_the_question_and_a_changed_one_opens_nothing(world, monkeypatch):
    booking, day = _attended(
        world, name="Pat Police", email="pat@police.example", manager_email="morgan@police.example"
    )
    due = add_months(day, 3)
    mail.outbox.clear()
    # The question went 94 days ago: its link has closed, as the question has.
    then = time.time() - 94 * 86400
    with monkeypatch.context() as clock:
        clock.setattr(signing.time, "time", lambda: then)
        assert services.manager_emails_send(due).sent == 1
    asked = re.search(r"https?://\S+(/durham/impact/manager/[^/\s]+/)", mail.outbox[-1].body)[1]
    anyone = world.client(None)
    for response in (anyone.get(asked), anyone.post(asked, {"practice_changed": "no"})):
        page = response.content.decode()
        assert response.status_code == 410 and "This link has expired" in page and "This question has closed" in page
    code, sent, signature = asked.strip("/").rsplit("/", 1)[1].split(":")
    changed = f"/durham/impact/manager/{code}:{sent}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}/"
    response = anyone.post(changed, {"practice_changed": "no"})
    assert response.status_code == 404 and "This link is not valid" in response.content.decode()
    assert ManagerAssurance.objects.get(booking=booking).answered_on is None  # nothing written

    # The reminder brings a link of its own, which opens the question.
    assert services.manager_emails_send(due + datetime.timedelta(days=14)).reminded == 1
    reminded = re.search(r"https?://\S+(/durham/impact/manager/[^/\s]+/)", mail.outbox[-1].body)[1]
    assert anyone.post(reminded, {"practice_changed": "no"}).status_code == 302
    assert ManagerAssurance.objects.get(booking=booking).practice_changed == "no"


def test_the_booking_form_offers_the_line_manager_and_insists_on_an_address_with_a_name(world):
    event = training_services.event_create(
        actor=None,
        partnership=world.partnership,
        course=world.face_to_face,
        starts_at=timezone.now() + datetime.timedelta(days=9),
        ends_at=timezone.now() + datetime.timedelta(days=9, hours=2),
        capacity=5,
        venue="County Hall",
    )
    page = world.client(None).get(f"/durham/training/calendar/{event.pk}/book/").content.decode()
    assert "Your line manager&#x27;s email address (optional)" in page
    response = world.client(None).post(
        f"/durham/training/calendar/{event.pk}/book/",
        {
            "name": "Ann Able",
            "email": "ann@police.example",
            "organisation": "Durham Police",
            "accept_terms": "on",
            "line_manager_name": "Morgan Manager",
        },
    )
    assert "Enter your line manager&#x27;s email address, or leave their name blank" in response.content.decode()
    assert not Booking.objects.filter(event=event).exists()


def test_the_manager_is_asked_once_at_three_months_reminded_once_and_answers_through_the_link(world):
    booking, day = _attended(
        world, name="Pat Police", email="pat@police.example", manager_email="morgan@police.example"
    )
    assert booking.line_manager_email == "morgan@police.example"
    due = add_months(day, 3)
    mail.outbox.clear()
    # Before three months: nothing.
    assert services.manager_emails_send(due - datetime.timedelta(days=1)).sent == 0
    run = services.manager_emails_send(due)
    assert (run.requests, run.sent) == (1, 1)
    assert [m.to for m in mail.outbox] == [["morgan@police.example"]]
    message = mail.outbox[0]
    assert "Has Pat Police's practice changed since Working with Resistance?" == message.subject
    link = re.search(r"https?://\S+(/durham/impact/manager/[^/\s]+/)", message.body)
    assert link and "give us an example" in message.body
    # However often the job runs, the question goes once; the reminder after 14 days, once.
    for _ in range(2):
        again = services.manager_emails_send(due + datetime.timedelta(days=3))
        assert (again.requests, again.sent, again.reminded) == (0, 0, 0)
    assert services.manager_emails_send(due + datetime.timedelta(days=13)).reminded == 0
    assert services.manager_emails_send(due + datetime.timedelta(days=14)).reminded == 1
    assert services.manager_emails_send(due + datetime.timedelta(days=30)).reminded == 0
    assert len(mail.outbox) == 2 and mail.outbox[1].subject.startswith("Reminder: ")
    assert ManagerEmail.objects.filter(request__booking=booking, sent_at__isnull=False).count() == 2

    # The manager needs no account: the link opens the question.
    path = link.group(1)
    anyone = world.client(None)
    page = anyone.get(path).content.decode()
    assert "Has Pat Police's practice changed?" in page
    response = anyone.post(path, {"practice_changed": "yes", "example": ""})
    assert "Give an example of how their practice has changed." in response.content.decode()
    response = anyone.post(path, {"practice_changed": "yes", "example": "Now asks to see where the baby sleeps."})
    assert response.status_code == 302
    assert "you answered on" in anyone.get(path).content.decode()
    # An answered request is asked nothing more.
    assert services.manager_emails_send(due + datetime.timedelta(days=40)).reminded == 0

    # Counted per course and agency, with the response rate, for every partner.
    year = FinancialYear.containing(due, world.partnership.financial_year_start_month)
    page = world.client(Role.GROUP_CHAIR).get(f"{MANAGERS}?year={year.label}").content.decode()
    row = re.search(
        rf"Working with Resistance</td><td class=\"govuk-table__cell\">{world.police.name}</td>(.*?)</tr>", page, re.S
    )
    assert row
    cells = re.findall(r">(\d+%?)<", row.group(1))
    assert cells == ["1", "1", "100%", "1"]


def test_a_run_that_finds_the_question_claimed_by_another_sends_nothing(world):
    booking, day = _attended(world, name="Kim Claimed", email="kim@police.example", manager_email="boss@police.example")
    due = add_months(day, 3)
    services.manager_requests_due(today=due)
    request = ManagerAssurance.objects.get(booking=booking)
    ManagerEmail.objects.create(request=request, kind=ManagerEmail.Kind.ASK)  # another run is sending it now
    mail.outbox.clear()
    run = services.manager_emails_send(due)
    assert (run.sent, run.already_sent) == (0, 1) and mail.outbox == []


def test_the_agency_lead_names_a_manager_the_learner_did_not_and_the_next_run_asks_them(world):
    booking, day = _attended(world, name="Lou Unnamed", email="lou@police.example")
    due = add_months(day, 3)
    mail.outbox.clear()
    run = services.manager_emails_send(due)
    assert (run.requests, run.sent) == (1, 0)
    request = ManagerAssurance.objects.get(booking=booking)
    assert request.agency == world.police
    lead = world.client(Role.AGENCY_LEAD)
    url = f"/durham/impact/managers/{request.pk}/name/"
    response = lead.post(url, {"manager_name": "Sam Sergeant", "manager_email": "lou@police.example"})
    assert "This is the learner&#x27;s own address" in response.content.decode()
    response = lead.post(url, {"manager_name": "Sam Sergeant", "manager_email": "sam@police.example"})
    assert response.status_code == 302
    assert services.manager_emails_send(due + datetime.timedelta(days=1)).sent == 1
    assert mail.outbox[-1].to == ["sam@police.example"]


def test_the_daily_command_sends_each_question_once(world):
    _, day = _attended(world, name="Cal Command", email="cal@police.example", manager_email="cmd@police.example")
    due = add_months(day, 3).isoformat()
    mail.outbox.clear()
    call_command("send_manager_assurance", "--date", due)
    call_command("send_manager_assurance", "--date", due)
    assert len(mail.outbox) == 1
