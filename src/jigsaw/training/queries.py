"""Reads for the training pages, through the scoping helper (the public pages read with the
public's access: published events only)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from jigsaw.core.scoping import Access, Action

from .models import Booking, BookingStatus, Completion, Evaluation, Event, TrainingObservation


def latest_completion_on(partnership) -> datetime.date | None:
    return Completion.objects.filter(partnership=partnership).aggregate(last=Max("completed_on"))["last"]


def upcoming_events(access: Access) -> QuerySet:
    """Events yet to start, soonest first, each with its places booked."""
    return (
        Event.objects.restrict(access)
        .filter(starts_at__gte=timezone.now())
        .select_related("course", "programme")
        .annotate(booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
    )


def course_events(access: Access, course) -> QuerySet:
    return Event.objects.restrict(access).filter(course=course).order_by("-starts_at")


def course_observations(access: Access, course) -> QuerySet:
    return TrainingObservation.objects.restrict(access).filter(course=course).select_related("observer")


def event_bookings(access: Access, event) -> list[Booking]:
    """The event's bookings, each marked `can_mark` when this user may record its attendance."""
    bookings = list(Booking.objects.restrict(access).filter(event=event).select_related("category"))
    changeable = set(Booking.objects.restrict(access, Action.CHANGE).filter(event=event).values_list("pk", flat=True))
    for booking in bookings:
        booking.can_mark = booking.pk in changeable and booking.status == BookingStatus.BOOKED
    return bookings


def event_is_full(event) -> bool:
    return Booking.objects.filter(event=event, status=BookingStatus.BOOKED).count() >= event.capacity


def booking_evaluated(booking) -> bool:
    return Evaluation.objects.filter(booking=booking).exists()


def completions_export_rows(access: Access) -> QuerySet:
    return (
        Completion.objects.restrict(access)
        .select_related("learner", "course", "category")
        .values_list(
            "learner__name",
            "learner__email",
            "learner__organisation",
            "category__name",
            "course__title",
            "course__mode",
            "completed_on",
        )
    )
