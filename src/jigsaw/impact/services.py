"""Writes of the impact app: the framework (versioned like the section 11 tool) and the managers'
assurance of training impact (asked once, reminded once, answered through a link)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from jigsaw.core import freshness
from jigsaw.core.audit import attributed_to
from jigsaw.core.claims import claim
from jigsaw.core.dates import add_months
from jigsaw.core.links import SignedLink, start_of
from jigsaw.core.services import Children, Copies, copy_as_next_version, save
from jigsaw.training.models import Attendance, Booking, BookingStatus

from .models import (
    CHANGED_ANSWERS,
    LINK_FIELDS,
    Evidence,
    Framework,
    ManagerAssurance,
    ManagerEmail,
    Outcome,
    PracticeChanged,
)

logger = logging.getLogger(__name__)


# --- The framework ------------------------------------------------------------------------------


def framework_create(*, actor, partnership, plan, name: str, introduction: str = "") -> Framework:
    return save(
        Framework(partnership=partnership),
        actor=actor,
        fields={"plan": plan, "name": name, "introduction": introduction},
    )


# What the next version copies: each outcome as it stands, with the evidence it reads.
NEXT_VERSION = {
    "fields": ("plan", "name", "introduction"),
    "children": (
        Children(
            "outcomes",
            "framework",
            ("priority", "position", "activity", "output", "short_term", "long_term"),
            children=(Children("evidence", "outcome", ("kind", "stage", "measure", *LINK_FIELDS)),),
        ),
    ),
    "refusal": "A newer version of this framework exists: change that one instead.",
}


def framework_editable(*, actor, framework: Framework) -> tuple[Framework, Copies]:
    """The version an edit goes into: the framework itself until it is adopted, otherwise a new
    version copied from it (the adopted one stays as the executive agreed it). Returns the version
    and what was copied (`copies.of(outcome)` is the outcome an edit changes)."""
    if framework.adopted_on is None:
        return framework, Copies()
    return copy_as_next_version(framework, actor=actor, **NEXT_VERSION)


def framework_update(*, actor, framework: Framework, **fields) -> Framework:
    with transaction.atomic():
        version, _ = framework_editable(actor=actor, framework=framework)
        return save(version, actor=actor, fields=fields)


def framework_adopt(*, actor, framework: Framework, adopted_on: datetime.date | None = None) -> Framework:
    if framework.adopted_on is not None:
        raise ValidationError("This version is already adopted.")
    if not framework.outcomes.exists():
        raise ValidationError("Add the outcomes of each priority before the framework is adopted.")
    return save(framework, actor=actor, fields={"adopted_on": adopted_on or timezone.localdate()})


def outcome_add(*, actor, framework: Framework, **fields) -> Outcome:
    with transaction.atomic():
        version, _ = framework_editable(actor=actor, framework=framework)
        return save(Outcome(partnership=version.partnership, framework=version), actor=actor, fields=fields)


def outcome_update(*, actor, outcome: Outcome, **fields) -> Outcome:
    with transaction.atomic():
        _, copies = framework_editable(actor=actor, framework=outcome.framework)
        return save(copies.of(outcome), actor=actor, fields=fields)


def evidence_add(*, actor, outcome: Outcome, **fields) -> Evidence:
    with transaction.atomic():
        _, copies = framework_editable(actor=actor, framework=outcome.framework)
        target = copies.of(outcome)
        return save(Evidence(partnership=target.partnership, outcome=target), actor=actor, fields=fields)


def evidence_remove(*, actor, evidence: Evidence) -> Framework:
    with transaction.atomic(), attributed_to(actor):
        version, copies = framework_editable(actor=actor, framework=evidence.outcome.framework)
        copies.of(evidence).delete()
    return version


# --- Managers' assurance of training impact -----------------------------------------------------


# The manager is asked for as long as the request is open (until six months after the training):
# each email, the question and the reminder, carries a link that lasts that long.
MANAGER_LINK = SignedLink(
    url_name="impact:answer",
    salt="jigsaw.impact.manager",
    max_age=datetime.timedelta(days=31 * (ManagerAssurance.ASK_UNTIL_MONTHS - ManagerAssurance.MONTHS)),
    expired="This question has closed: the partnership asks a manager within six months of the training. "
    "Thank you all the same.",
    issued=lambda request: start_of(request.due_on),
)


def manager_requests_due(*, today: datetime.date, partnership=None) -> int:
    """Make the request for each place attended three months ago (until six), with the manager
    the learner named at booking; the agency lead names one where they did not. Returns how many
    were made. A job of the platform: every partnership, in a fixed number of queries."""
    earliest = add_months(today, -ManagerAssurance.ASK_UNTIL_MONTHS)
    latest = add_months(today, -ManagerAssurance.MONTHS)
    bookings = Booking._base_manager.filter(
        status=BookingStatus.BOOKED,
        attendance=Attendance.ATTENDED,
        event__starts_at__date__gt=earliest,
        event__starts_at__date__lte=latest,
        manager_assurance__isnull=True,
    ).select_related("event")
    if partnership is not None:
        bookings = bookings.filter(partnership=partnership)
    made = []
    for booking in bookings:
        day = timezone.localtime(booking.event.starts_at).date()
        made.append(
            ManagerAssurance(
                partnership_id=booking.partnership_id,
                booking=booking,
                agency_id=booking.agency_id,
                due_on=add_months(day, ManagerAssurance.MONTHS),
                manager_name=booking.line_manager_name,
                manager_email=booking.line_manager_email,
                named_by="booking" if booking.line_manager_email else "",
            )
        )
    with transaction.atomic():
        for request in made:
            # One at a time through save(): each is validated and audited, and a second run
            # meeting the one-per-booking constraint makes nothing.
            try:
                with transaction.atomic():
                    save(request, actor=None)
            except (IntegrityError, ValidationError):
                continue
    return len(made)


def manager_name(*, actor, request: ManagerAssurance, manager_name: str, manager_email: str) -> ManagerAssurance:
    """The agency lead (or the business unit) names the learner's line manager."""
    if request.is_answered:
        raise ValidationError("The manager has already answered.")
    if not manager_email.strip():
        raise ValidationError({"manager_email": "Enter the line manager's email address."})
    if manager_email.strip().lower() == request.booking.email.lower():
        raise ValidationError({"manager_email": "This is the learner's own address: enter their line manager's."})
    return save(
        request,
        actor=actor,
        fields={
            "manager_name": manager_name.strip(),
            "manager_email": manager_email.strip().lower(),
            "named_by": "agency",
        },
    )


def manager_answer(*, request: ManagerAssurance, practice_changed: str, example: str = "") -> ManagerAssurance:
    if request.is_answered:
        raise ValidationError("Thank you: this has already been answered.")
    if practice_changed not in PracticeChanged.values:
        raise ValidationError({"practice_changed": "Say whether their practice has changed."})
    if practice_changed in CHANGED_ANSWERS and not example.strip():
        raise ValidationError({"example": "Give an example of how their practice has changed."})
    return save(
        request,
        actor=None,
        fields={"practice_changed": practice_changed, "example": example.strip(), "answered_on": timezone.localdate()},
    )


@dataclass
class ManagerRun:
    day: datetime.date
    requests: int = 0
    sent: int = 0
    reminded: int = 0
    failed: int = 0
    already_sent: int = 0

    def as_dict(self) -> dict:
        return {**asdict(self), "day": self.day.isoformat()}


def _email(request: ManagerAssurance, kind: str) -> None:
    booking = request.booking
    context = {
        "request": request,
        "booking": booking,
        "course": booking.event.course,
        "attended_on": timezone.localtime(booking.event.starts_at).date(),
        "partnership": request.partnership,
        "answer_url": MANAGER_LINK.url(request),
        "reminder": kind == ManagerEmail.Kind.REMINDER,
        "question": ManagerAssurance.QUESTION,
    }
    subject = f"{'Reminder: ' if kind == ManagerEmail.Kind.REMINDER else ''}Has {booking.name}'s practice changed since {booking.event.course.title}?"
    EmailMessage(
        subject=subject, body=render_to_string("impact/email/manager_question.txt", context), to=[request.manager_email]
    ).send()


def manager_emails_send(today: datetime.date | None = None, partnership=None) -> ManagerRun:
    """Run daily: make the requests now due, email each named manager the question once, and a
    reminder once, REMIND_AFTER_DAYS after the question, while unanswered. Each email is claimed
    before it is sent, so any number of runs, even at the same moment, send it once; a failed
    email gives its claim back and is tried on the next run."""
    today = today or timezone.localdate()
    run = ManagerRun(day=today, requests=manager_requests_due(today=today, partnership=partnership))
    open_requests = (
        ManagerAssurance._base_manager.filter(answered_on__isnull=True, due_on__lte=today)
        .exclude(manager_email="")
        .filter(Q(due_on__gt=add_months(today, -(ManagerAssurance.ASK_UNTIL_MONTHS - ManagerAssurance.MONTHS))))
        .select_related("booking__event__course", "partnership")
    )
    if partnership is not None:
        open_requests = open_requests.filter(partnership=partnership)
    open_requests = list(open_requests)
    sent = {}
    for request_id, kind, sent_on in ManagerEmail.objects.filter(
        request__in=[r.pk for r in open_requests], sent_at__isnull=False
    ).values_list("request_id", "kind", "sent_on"):
        sent[(request_id, kind)] = sent_on
    for request in open_requests:
        asked_on = sent.get((request.pk, ManagerEmail.Kind.ASK))
        if asked_on is None:
            kind = ManagerEmail.Kind.ASK
        elif asked_on + datetime.timedelta(days=ManagerAssurance.REMIND_AFTER_DAYS) <= today:
            kind = ManagerEmail.Kind.REMINDER
            if (request.pk, kind) in sent:
                continue  # asked and reminded: nothing more is sent
        else:
            continue
        if not claim(ManagerEmail, key={"request": request, "kind": kind}):
            run.already_sent += 1
            continue
        try:
            _email(request, kind)
        except Exception:
            logger.exception("Manager's question for request %s failed; it will be tried again next run.", request.pk)
            ManagerEmail.objects.filter(request=request, kind=kind, sent_at__isnull=True).delete()
            run.failed += 1
            continue
        with transaction.atomic():
            ManagerEmail.objects.filter(request=request, kind=kind).update(sent_at=timezone.now(), sent_on=today)
            # update() sends no model signal: the response rates read this, so their stamp moves here.
            freshness.record_changed(request.partnership_id, "impact")
        if kind == ManagerEmail.Kind.ASK:
            run.sent += 1
        else:
            run.reminded += 1
    return run
