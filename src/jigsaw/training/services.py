"""Writes for courses, events, bookings, evaluations and follow-ups.

The completions import is in imports.py (it is the bulk path and has its own rules).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from jigsaw.core import boundary
from jigsaw.core.audit import attributed_to
from jigsaw.core.dates import add_months
from jigsaw.core.links import SignedLink, start_of
from jigsaw.core.models import Sector
from jigsaw.core.services import save

from .models import (
    REPORT_CATEGORY_NAMES,
    Attendance,
    Booking,
    BookingStatus,
    Completion,
    Course,
    Evaluation,
    Event,
    ImpactFollowUp,
    Learner,
    OrganisationAlias,
    OrganisationCategory,
    Programme,
    TrainingObservation,
    TrainingPolicy,
    learner_key,
    normalise_organisation,
)

# Policy and categories ---------------------------------------------------------------------


def training_policy(partnership) -> TrainingPolicy:
    return TrainingPolicy.objects.filter(partnership=partnership).first() or TrainingPolicy(partnership=partnership)


def training_policy_update(*, actor, partnership, **fields) -> TrainingPolicy:
    return save(training_policy(partnership), actor=actor, fields=fields)


def organisation_categories_ensure(*, actor, partnership) -> int:
    """The report's 31 categories, one per sector; creates any missing (in one insert, with
    one audit entry). Returns how many were added."""
    have = set(OrganisationCategory.objects.filter(partnership=partnership).values_list("sector", flat=True))
    missing = [
        OrganisationCategory(
            partnership=partnership,
            sector=sector.value,
            name=REPORT_CATEGORY_NAMES.get(sector, sector.label),
            profit_making=sector == Sector.PRIVATE,
        )
        for sector in Sector
        if sector.value not in have
    ]
    if missing:
        with transaction.atomic(), attributed_to(actor):
            OrganisationCategory.objects.bulk_create(missing)
            _audit_note(actor, partnership, f"{len(missing)} organisation categories added")
    return len(missing)


def organisation_alias_create(*, actor, partnership, name: str, category, agency=None) -> OrganisationAlias:
    return save(
        OrganisationAlias(partnership=partnership, name=name.strip(), category=category, agency=agency), actor=actor
    )


def organisation_alias_update(*, actor, alias: OrganisationAlias, **fields) -> OrganisationAlias:
    return save(alias, actor=actor, fields=fields)


def organisation_lookup(partnership) -> dict[str, tuple[int, int | None]]:
    """Normalised organisation name -> (category id, agency id): the aliases, and each
    category's own name, so a learner who typed 'Schools' needs no alias. Two queries."""
    lookup = {
        normalise_organisation(name): (pk, None)
        for pk, name in OrganisationCategory.objects.filter(partnership=partnership).values_list("pk", "name")
    }
    lookup.update(
        {
            normalised: (category, agency)
            for normalised, category, agency in OrganisationAlias.objects.filter(partnership=partnership).values_list(
                "normalised", "category_id", "agency_id"
            )
        }
    )
    return lookup


# Courses, programmes, events ---------------------------------------------------------------


def course_create(*, actor, partnership, themes=(), priorities=(), **fields) -> Course:
    return save(
        Course(partnership=partnership), actor=actor, fields={**fields, "themes": themes, "priorities": priorities}
    )


def course_update(*, actor, course: Course, themes=None, priorities=None, **fields) -> Course:
    return save(course, actor=actor, fields={**fields, "themes": themes, "priorities": priorities})


def programme_create(*, actor, partnership, **fields) -> Programme:
    return save(Programme(partnership=partnership), actor=actor, fields=fields)


def event_create(*, actor, partnership, **fields) -> Event:
    return save(Event(partnership=partnership), actor=actor, fields=fields)


def event_update(*, actor, event: Event, **fields) -> Event:
    return save(event, actor=actor, fields=fields)


# Bookings ----------------------------------------------------------------------------------


def _categorise(partnership, organisation: str):
    found = organisation_lookup(partnership).get(normalise_organisation(organisation))
    if not found:
        return None, None
    category_id, agency_id = found
    return OrganisationCategory.objects.get(pk=category_id), agency_id


def booking_create(
    *,
    actor=None,
    partnership,
    event: Event,
    name: str,
    email: str,
    organisation: str,
    category=None,
    line_manager_name: str = "",
    line_manager_email: str = "",
) -> Booking:
    """A place if there is one, otherwise the waiting list. Profit-making organisations pay the
    registration fee of the charging policy."""
    now = timezone.now()
    boundary.require(partnership, event=event)
    if not event.is_published:
        raise ValidationError({"event": "This event is not open for booking."})
    if event.starts_at <= now:
        raise ValidationError({"event": "This event has already started, so it can no longer be booked."})
    with transaction.atomic():
        # Lock the event row so two people cannot take the last place at once.
        event = Event.objects.select_for_update().get(pk=event.pk)
        if (
            Booking.objects.filter(event=event, email__iexact=email.strip())
            .exclude(status=BookingStatus.CANCELLED)
            .exists()
        ):
            raise ValidationError(
                {
                    "email": ValidationError(
                        "Someone with this email address has already booked this event.", code="already_booked"
                    )
                }
            )
        found_category, agency_id = _categorise(partnership, organisation)
        category = category or found_category
        taken = Booking.objects.filter(event=event, status=BookingStatus.BOOKED).count()
        status = BookingStatus.BOOKED if taken < event.capacity else BookingStatus.WAITING
        fee = (
            training_policy(partnership).registration_fee
            if category is not None and category.profit_making
            else Decimal("0")
        )
        booking = save(
            Booking(
                partnership=partnership,
                event=event,
                name=name.strip(),
                email=email.strip().lower(),
                organisation=organisation.strip(),
                category=category,
                agency_id=agency_id,
                line_manager_name=line_manager_name.strip(),
                line_manager_email=line_manager_email.strip().lower(),
                status=status,
                registration_fee=fee if status == BookingStatus.BOOKED else Decimal("0"),
            ),
            actor=actor,
        )
    _email_booking(booking)
    return booking


def _email_booking(booking: Booking) -> None:
    from .bookings import email_booking

    email_booking(booking)


def booking_cancel(*, actor=None, booking: Booking) -> Booking:
    """Cancel a place. Inside the policy's notice period it is a late cancellation and the
    non-attendance charge applies. The first person waiting gets the place."""
    if booking.status == BookingStatus.CANCELLED:
        return booking
    now = timezone.now()
    if booking.event.starts_at <= now:
        raise ValidationError("The event has started: ask the trainer to mark your attendance instead.")
    policy = training_policy(booking.partnership)
    had_place = booking.status == BookingStatus.BOOKED
    late = had_place and booking.event.starts_at - now < datetime.timedelta(days=policy.late_cancellation_days)
    with transaction.atomic():
        save(
            booking,
            actor=actor,
            fields={
                "status": BookingStatus.CANCELLED,
                "cancelled_at": now,
                "late_cancellation": late,
                "non_attendance_charge": policy.non_attendance_charge if late else Decimal("0"),
                "registration_fee": Decimal("0"),
            },
        )
        promoted = None
        if had_place:
            promoted = (
                Booking.objects.filter(event=booking.event, status=BookingStatus.WAITING)
                .order_by("booked_at", "pk")
                .first()
            )
            if promoted is not None:
                fee = (
                    policy.registration_fee
                    if promoted.category_id and promoted.category.profit_making
                    else Decimal("0")
                )
                save(promoted, actor=actor, fields={"status": BookingStatus.BOOKED, "registration_fee": fee})
    if promoted is not None:
        _email_booking(promoted)
    return booking


def booking_mark_attendance(*, actor, booking: Booking, attendance: str) -> Booking:
    """The trainer's register. Attending counts as a completion of the course; not attending
    raises the non-attendance charge of the charging policy."""
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError({"attendance": "Only people with a place can be marked."})
    if attendance not in (Attendance.ATTENDED, Attendance.NO_SHOW):
        raise ValidationError({"attendance": "Choose attended or did not attend."})
    policy = training_policy(booking.partnership)
    event = booking.event
    with transaction.atomic(), attributed_to(actor):
        charge = policy.non_attendance_charge if attendance == Attendance.NO_SHOW else Decimal("0")
        save(booking, actor=actor, fields={"attendance": attendance, "non_attendance_charge": charge})
        day = timezone.localtime(event.starts_at).date()
        learner = _learner_for(
            actor=actor,
            partnership=booking.partnership,
            name=booking.name,
            email=booking.email,
            organisation=booking.organisation,
            category=booking.category,
            agency_id=booking.agency_id,
        )
        existing = Completion.objects.filter(learner=learner, course=event.course, completed_on=day).first()
        if attendance == Attendance.ATTENDED and existing is None:
            if booking.category is None:
                raise ValidationError(
                    {
                        "attendance": f"Map '{booking.organisation}' to an organisation category first, so the completion is counted."
                    }
                )
            save(
                Completion(
                    partnership=booking.partnership,
                    learner=learner,
                    course=event.course,
                    completed_on=day,
                    category=booking.category,
                    event=event,
                ),
                actor=actor,
            )
        elif attendance == Attendance.NO_SHOW and existing is not None and existing.event_id == event.pk:
            existing.delete()
    return booking


def _learner_for(*, actor, partnership, name, email, organisation, category, agency_id) -> Learner:
    key = learner_key(partnership.pk, email)
    learner = Learner.objects.filter(partnership=partnership, key=key).first()
    if learner is None:
        learner = Learner(
            partnership=partnership,
            name=name,
            email=email,
            organisation=organisation,
            category=category,
            agency_id=agency_id,
        )
        learner.key = key
        save(learner, actor=actor)
    return learner


# Evaluations and the impact follow-up ------------------------------------------------------


def evaluation_submit(
    *, actor=None, partnership, course=None, completion=None, event=None, booking=None, **answers
) -> Evaluation:
    """The post-course evaluation. From a booking, once the person has been marked as attending."""
    if booking is not None:
        if booking.attendance != Attendance.ATTENDED:
            raise ValidationError("The evaluation opens once the trainer has marked you as attending.")
        if Evaluation.objects.filter(booking=booking).exists():
            raise ValidationError("Thank you: this session has already been evaluated.")
        event = booking.event
    if completion is not None:
        course = completion.course
        if Evaluation.objects.filter(completion=completion).exists():
            raise ValidationError("This completion has already been evaluated.")
    if event is not None:
        course = event.course
        if completion is None and booking is not None:
            completion = (
                Completion.objects.filter(
                    learner__partnership=partnership,
                    learner__key=learner_key(partnership.pk, booking.email),
                    course=course,
                    event=event,
                )
                .exclude(evaluation__isnull=False)
                .first()
            )
    if course is None:
        raise ValidationError({"course": "Say which course or event this evaluation is of."})
    answers.setdefault("submitted_on", timezone.localdate())
    return save(
        Evaluation(partnership=partnership, course=course, completion=completion, event=event, booking=booking),
        actor=actor,
        fields=answers,
    )


# The 3- and 6-month question is answered while the answer still says what the training changed.
FOLLOW_UP_LINK = SignedLink(
    url_name="training:impact",
    salt="jigsaw.training.follow-up",
    max_age=datetime.timedelta(days=92),
    expired="This question has closed: thank you all the same. The next one comes with its own link.",
    issued=lambda follow_up: start_of(follow_up.sent_on),
)


def impact_follow_ups_send(*, partnership, today: datetime.date | None = None) -> int:
    """Ask everyone who completed event-based training 3 and 6 months ago how it changed their
    practice. One email per follow-up; sends each only once. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for months in (3, 6):
        due_by = add_months(today, -months)
        # Not eLearning: the report follows up the training people attended.
        due = (
            Completion.objects.filter(
                partnership=partnership,
                completed_on__lte=due_by,
                completed_on__gt=due_by - datetime.timedelta(days=31),
                learner__pseudonymised_on__isnull=True,
            )
            .exclude(course__mode="elearning")
            .exclude(follow_ups__months=months)
            .select_related("learner", "course")
        )
        for completion in due:
            with transaction.atomic():
                follow_up = ImpactFollowUp.objects.create(
                    partnership=partnership, completion=completion, months=months, sent_on=today
                )
            url = FOLLOW_UP_LINK.url(follow_up)
            send_mail(
                subject=f"How has {completion.course.title} changed your practice?",
                message=f"{months} months ago you attended {completion.course.title}.\n\n{ImpactFollowUp.QUESTION}\n\nAnswer here: {url}\n",
                from_email=None,
                recipient_list=[completion.learner.email],
                fail_silently=True,
            )
            sent += 1
    return sent


def impact_follow_up_answer(*, follow_up: ImpactFollowUp, answer: str) -> ImpactFollowUp:
    if not answer.strip():
        raise ValidationError({"answer": "Tell us how the training had an impact on your practice."})
    if follow_up.answered_on:
        raise ValidationError("Thank you: you have already answered.")
    return save(follow_up, actor=None, fields={"answer": answer.strip(), "answered_on": timezone.localdate()})


# Observations ------------------------------------------------------------------------------


def observation_create(*, actor, partnership, **fields) -> TrainingObservation:
    return save(TrainingObservation(partnership=partnership), actor=actor, fields=fields)


def audit_bulk_change(actor, record, changes: dict) -> None:
    """One audit entry for a bulk write (bulk_create and update() bypass auditlog's signals)."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        record,
        action=LogEntry.Action.UPDATE,
        force_log=True,
        changes={name: ["", str(value)] for name, value in changes.items()},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _audit_note(actor, partnership, message: str) -> None:
    policy = training_policy(partnership)
    if policy.pk is None:
        save(policy, actor=actor)
    audit_bulk_change(actor, policy, {"bulk change": message})


# Bulk records (evaluations gathered by the eLearning platform, follow-ups) ---------------------


def _check_bulk(partnership, records, checks) -> None:
    for number, record in enumerate(records, start=1):
        try:
            boundary.require(partnership, record=record)
            boundary.enforce(record)
        except ValidationError as error:
            raise ValidationError(f"Record {number}: {' '.join(error.messages)}") from error
        for field_name, lo, hi in checks:
            value = getattr(record, field_name)
            if value is None or not lo <= value <= hi:
                raise ValidationError(
                    {field_name: f"Record {number}: {field_name.replace('_', ' ')} must be from {lo} to {hi}."}
                )


def evaluations_bulk_record(*, actor, partnership, evaluations: list[Evaluation]) -> int:
    """Many evaluations at once (an eLearning platform's evaluation export): checked, inserted
    together, one audit entry."""
    _check_bulk(
        partnership, evaluations, [("content_rating", 1, 5), ("knowledge_before", 1, 10), ("knowledge_after", 1, 10)]
    )
    with transaction.atomic(), attributed_to(actor):
        Evaluation.objects.bulk_create(evaluations, batch_size=2000)
        if evaluations:
            _audit_note(actor, partnership, f"{len(evaluations)} evaluations recorded")
    return len(evaluations)


def follow_ups_bulk_record(*, actor, partnership, follow_ups: list[ImpactFollowUp]) -> int:
    _check_bulk(partnership, follow_ups, [("months", 3, 6)])
    with transaction.atomic(), attributed_to(actor):
        ImpactFollowUp.objects.bulk_create(follow_ups, batch_size=2000)
        if follow_ups:
            _audit_note(actor, partnership, f"{len(follow_ups)} impact follow-ups recorded")
    return len(follow_ups)
