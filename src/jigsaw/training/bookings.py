"""What a person who booked hears from us: the confirmation (with an .ics calendar invitation),
their booking links again on request, and reminders 14 and 5 days before the event.

A reminder is claimed (a BookingReminder row, unique per booking and days before) before it is
sent, so running the job twice, even two runs at the same moment, sends each reminder once. A
failed email gives its claim back and is tried again next run; the claim of a run that died
before sending is taken over (core.claims).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

from jigsaw.core.claims import claim
from jigsaw.core.links import SignedLink

from .models import Booking, BookingReminder, BookingStatus, TrainingPolicy

logger = logging.getLogger(__name__)


# A booking's link cancels the place before the event and evaluates it after; the reminders
# and "email me my links again" send a fresh one.
BOOKING_LINK = SignedLink(
    url_name="training:booking",
    salt="jigsaw.training.booking",
    max_age=datetime.timedelta(days=365),
    expired="This booking link has expired. Ask for your booking links again from the training calendar: "
    "we email a new link for each booking still to come.",
    issued=lambda booking: booking.booked_at,
)


def _policy(partnership) -> TrainingPolicy:
    return TrainingPolicy.objects.filter(partnership=partnership).first() or TrainingPolicy(partnership=partnership)


def _context(booking: Booking, **more) -> dict:
    event = booking.event
    return {
        "booking": booking,
        "event": event,
        "partnership": booking.partnership,
        "policy": _policy(booking.partnership),
        "starts": timezone.localtime(event.starts_at),
        "ends": timezone.localtime(event.ends_at),
        "manage_url": BOOKING_LINK.url(booking),
        **more,
    }


def calendar_invitation(booking: Booking) -> bytes:
    """The event as an iCalendar file (RFC 5545) that Outlook, Google and Apple calendars add."""
    event = booking.event
    calendar = Calendar()
    calendar.add("prodid", f"-//{booking.partnership.name}//Jigsaw training//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"training-booking-{booking.pk}@{urlsplit(settings.SITE_URL).hostname or 'jigsaw'}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.course.title)
    entry.add("location", vText(event.venue or event.online_link))
    details = [f"Your place with {booking.partnership.name}."]
    if event.online_link:
        details.append(f"Join online: {event.online_link}")
    details.append(f"Cancel or manage your booking: {BOOKING_LINK.url(booking)}")
    entry.add("description", "\n".join(details))
    if event.online_link:
        entry.add("url", event.online_link)
    attendee = vCalAddress(f"mailto:{booking.email}")
    attendee.params["cn"] = vText(booking.name)
    entry.add("attendee", attendee, encode=0)
    calendar.add_component(entry)
    return calendar.to_ical()


def _send(*, subject: str, template: str, context: dict, to: str, invitation: bytes | None = None) -> None:
    message = EmailMessage(subject=subject, body=render_to_string(template, context), to=[to])
    if invitation is not None:
        message.attach("training.ics", invitation, "text/calendar; charset=utf-8; method=PUBLISH")
    message.send()


def email_booking(booking: Booking) -> None:
    """The confirmation of a place (with the calendar invitation) or of a place on the waiting list."""
    has_place = booking.status == BookingStatus.BOOKED
    try:
        _send(
            subject=f"{booking.event.course.title}: {'your place is booked' if has_place else 'you are on the waiting list'}",
            template="training/email/booking.txt",
            context=_context(booking, has_place=has_place),
            to=booking.email,
            invitation=calendar_invitation(booking) if has_place else None,
        )
    except Exception:
        logger.exception("Booking confirmation to booking %s failed.", booking.pk)


def booking_links_send(*, partnership, email: str) -> int:
    """Email someone the links to every booking they hold for an event still to come. Says
    nothing to the caller about whether there were any (the page gives one answer for all)."""
    email = email.strip().lower()
    bookings = list(
        Booking._base_manager.filter(partnership=partnership, email__iexact=email, event__starts_at__gt=timezone.now())
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("event__course", "partnership")
        .order_by("event__starts_at")
    )
    if not bookings:
        return 0
    links = [(booking, BOOKING_LINK.url(booking)) for booking in bookings]
    try:
        _send(
            subject=f"Your training bookings with {partnership.name}",
            template="training/email/booking_links.txt",
            context={"partnership": partnership, "links": links},
            to=email,
        )
    except Exception:
        logger.exception("Booking links email to %s failed.", email)
        return 0
    return len(bookings)


# Reminders --------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    day: datetime.date
    sent: int = 0
    failed: int = 0
    already_sent: int = 0

    def as_dict(self) -> dict:
        return {**asdict(self), "day": self.day.isoformat()}


def reminders_due(today: datetime.date, partnership=None) -> list[tuple[Booking, int]]:
    """(booking, days before) for each place whose reminder falls due by today: the 14-day one
    from 14 days before until the 5-day one takes over, the 5-day one until the day before. A
    place booked after a reminder's day gets none (its confirmation is fresh); a missed run is
    caught up the next day. A job of the platform, not of a user: every partnership, one query."""
    horizon = today + datetime.timedelta(days=max(BookingReminder.DAYS_BEFORE))
    bookings = Booking._base_manager.filter(
        status=BookingStatus.BOOKED, event__starts_at__gt=timezone.now()
    ).select_related("event__course", "partnership")
    if partnership is not None:
        bookings = bookings.filter(partnership=partnership)
    due = []
    for booking in bookings.filter(event__starts_at__date__lte=horizon + datetime.timedelta(days=1)):
        day = timezone.localtime(booking.event.starts_at).date()
        days_left = (day - today).days
        if days_left < 1:
            continue
        booked_on = timezone.localtime(booking.booked_at).date()
        # The smallest reminder whose day has come: the 5-day one replaces a 14-day one not yet sent.
        for days_before in sorted(BookingReminder.DAYS_BEFORE):
            if days_left <= days_before:
                if booked_on < day - datetime.timedelta(days=days_before):
                    due.append((booking, days_before))
                break
    return due


def reminders_to_come(booking: Booking) -> list[int]:
    """The days before the event this booking will be reminded (the rule of reminders_due)."""
    day = timezone.localtime(booking.event.starts_at).date()
    booked_on = timezone.localtime(booking.booked_at).date()
    return sorted(
        (days for days in BookingReminder.DAYS_BEFORE if booked_on < day - datetime.timedelta(days=days)), reverse=True
    )


def reminders_send(today: datetime.date | None = None, partnership=None) -> ReminderRun:
    today = today or timezone.localdate()
    run = ReminderRun(day=today)
    due = reminders_due(today, partnership)
    sent = set(
        BookingReminder.objects.filter(booking__in=[b.pk for b, _ in due], sent_at__isnull=False).values_list(
            "booking_id", "days_before"
        )
    )
    for booking, days_before in due:
        if (booking.pk, days_before) in sent or not claim(
            BookingReminder, key={"booking": booking, "days_before": days_before}
        ):
            run.already_sent += 1
            continue
        try:
            _send(
                subject=f"Reminder: {booking.event.course.title} on {timezone.localtime(booking.event.starts_at):%-d %B}",
                template="training/email/booking_reminder.txt",
                context=_context(booking, days_before=days_before),
                to=booking.email,
            )
        except Exception:
            logger.exception("Booking reminder to booking %s failed; it will be tried again next run.", booking.pk)
            BookingReminder.objects.filter(booking=booking, days_before=days_before, sent_at__isnull=True).delete()
            run.failed += 1
            continue
        BookingReminder.objects.filter(booking=booking, days_before=days_before).update(sent_at=timezone.now())
        run.sent += 1
    return run
