"""The kinds of record that hold personal data, and the default retention of each.

Each kind names the date its period runs from, the default period and outcome (docs/privacy.md
gives the reasons), the records past their period that have not yet been handled (`due`), and how
one batch of them is pseudonymised. Deleting is the same for every kind (see services.py). A
handled record is never due again, so a run can stop anywhere and the next one carries on.

Case reviews are not a kind: they are pseudonymous by design (a made-up name and the partnership's
reference) and kept by the national panel's rules, so the schedule shows them as kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import CharField, F, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat

from .models import Outcome

REMOVED = "[removed]"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    model_label: str
    # The date the period runs from, as the schedule says it: "after {anchor}".
    anchor: str
    default_months: int
    default_outcome: str
    outcomes: tuple[str, ...]
    reason: str
    due: Callable[[object, datetime.date], QuerySet]
    # Fields whose values pseudonymising removes, here and in the record's audit history.
    personal_fields: tuple[str, ...] = ()
    pseudonymise: Callable[[QuerySet, datetime.date], None] | None = None
    # Deleting only part of the record (a stored file), where the record itself stays.
    delete: Callable[[QuerySet], None] | None = None
    # Other records whose history names the subject (a leaver's sign-in): model label -> lookup to ids.
    also_redact: dict[str, str] = field(default_factory=dict)

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def get_default_outcome_display(self) -> str:
        return Outcome(self.default_outcome).label

    @property
    def outcome_choices(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label in Outcome.choices if value in self.outcomes]


def _learners_due(partnership, cutoff):
    from jigsaw.training.models import Learner

    return (
        Learner.objects.filter(partnership=partnership, pseudonymised_on__isnull=True)
        .annotate(last=Max("completions__completed_on"))
        .filter(Q(last__lt=cutoff) | Q(last__isnull=True))
    )


def _learners_pseudonymise(records, today):
    # The key (a hash of the email) stays: a re-import of an old export still recognises the
    # completions already counted, and the learner is counted by category only.
    records.update(name="Pseudonymised learner", email="", organisation="", pseudonymised_on=today)


def _bookings_due(partnership, cutoff):
    from jigsaw.training.models import Booking

    return Booking.objects.filter(partnership=partnership, event__starts_at__date__lt=cutoff).exclude(email="")


def _bookings_pseudonymise(records, today):
    # The code in the old confirmation email stops working too: it opened the booking.
    records.update(
        name="Pseudonymised booking",
        email="",
        organisation="",
        code=Concat(Value("removed-"), Cast("pk", CharField())),
    )


def _leavers_due(partnership, cutoff):
    from jigsaw.core.models import Person

    # Someone whose sign-in is still on has not left, whatever the date says.
    return Person.objects.filter(partnership=partnership, left_on__lt=cutoff, pseudonymised_on__isnull=True).filter(
        Q(user__isnull=True) | Q(user__is_active=False)
    )


def _leavers_pseudonymise(records, today):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jigsaw.core.models import ApiToken, User

    ids = list(records.values_list("pk", flat=True))
    users = User.objects.filter(person_id__in=ids, is_active=False)
    ApiToken.objects.filter(user__in=users).delete()
    TOTPDevice.objects.filter(user__in=users).delete()
    # A sign-in cannot be deleted (the records it approved or wrote point at it): it keeps no
    # address and no usable password.
    users.update(
        email=Concat(Value("left-"), Cast("pk", CharField()), Value("@pseudonymised.invalid")),
        password="!pseudonymised",
    )
    records.update(
        name=Concat(Value("Former colleague "), Cast("pk", CharField())),
        email="",
        job_title="",
        pseudonymised_on=today,
    )


def _disagreements_due(partnership, cutoff):
    from jigsaw.policies.models import Escalation

    return Escalation.objects.filter(partnership=partnership, resolved_on__lt=cutoff).exclude(child_reference=REMOVED)


def _disagreements_pseudonymise(records, today):
    # The stages and their dates stay: the report counts disagreements by stage and time to resolve.
    records.update(child_reference=REMOVED, practitioner_role="", concern="", outcome="")


def _evidence_due(partnership, cutoff):
    from jigsaw.actions.models import EvidenceFile, Status

    return (
        EvidenceFile.objects.filter(
            action__partnership=partnership,
            action__status__in=[Status.COMPLETED, Status.ASSURED, Status.CLOSED_WITHOUT_ASSURANCE],
        )
        .annotate(done=Coalesce(F("action__completed_on"), F("action__raised_on")))
        .filter(done__lt=cutoff)
    )


def _section11_evidence_due(partnership, cutoff):
    from jigsaw.assurance.models import Answer

    return Answer.objects.filter(partnership=partnership, assessment_return__submitted_at__date__lt=cutoff).exclude(
        evidence_file=""
    )


def _section11_evidence_delete(records):
    # The answer, its rating and its evidence in words stay: the round's figures are read from them.
    for answer in records.only("pk", "evidence_file"):
        answer.evidence_file.delete(save=False)
    records.update(evidence_file="")


def _audit_due(partnership, cutoff):
    from jigsaw.core.audit import AuditEntry

    return AuditEntry.objects.filter(
        partnership_index__partnership=partnership, partnership_index__timestamp__date__lt=cutoff
    )


def _subscribers_due(partnership, cutoff):
    from jigsaw.policies.models import Subscriber

    return Subscriber.objects.filter(partnership=partnership).filter(
        Q(unsubscribed_at__date__lt=cutoff) | Q(confirmed_at__isnull=True, created_at__date__lt=cutoff)
    )


def _restraint_due(partnership, cutoff):
    from jigsaw.assurance.models import RestraintIncident

    return RestraintIncident.objects.filter(partnership=partnership, occurred_on__lt=cutoff).exclude(
        young_person=REMOVED
    )


def _restraint_pseudonymise(records, today):
    records.update(young_person=REMOVED)


def _requests_due(partnership, cutoff):
    from .models import SubjectAccessRequest

    return SubjectAccessRequest.objects.filter(partnership=partnership, requested_at__date__lt=cutoff)


PSEUDONYMISE, DELETE = Outcome.PSEUDONYMISE.value, Outcome.DELETE.value

SCHEDULE = [
    Kind(
        code="learners",
        label="Learners",
        model_label="training.Learner",
        anchor="their last completed training",
        default_months=36,
        default_outcome=PSEUDONYMISE,
        outcomes=(PSEUDONYMISE,),
        reason="Three years of training history answers an agency asking who is trained; completions stay counted.",
        due=_learners_due,
        personal_fields=("name", "email", "organisation"),
        pseudonymise=_learners_pseudonymise,
    ),
    Kind(
        code="bookings",
        label="Training bookings",
        model_label="training.Booking",
        anchor="the event",
        default_months=36,
        default_outcome=PSEUDONYMISE,
        outcomes=(PSEUDONYMISE, DELETE),
        reason="As learners: charges and attendance can be queried for three years; the figures keep the booking.",
        due=_bookings_due,
        personal_fields=("name", "email", "organisation", "code"),
        pseudonymise=_bookings_pseudonymise,
    ),
    Kind(
        code="leavers",
        label="People who left",
        model_label="core.Person",
        anchor="the day they left",
        default_months=72,
        default_outcome=PSEUDONYMISE,
        outcomes=(PSEUDONYMISE,),
        reason="Six years (the Limitation Act 1980): decisions, minutes and actions they answered for may be challenged.",
        due=_leavers_due,
        personal_fields=("name", "email", "job_title"),
        pseudonymise=_leavers_pseudonymise,
        also_redact={"core.User": "person_id__in"},
    ),
    Kind(
        code="disagreements",
        label="Professional disagreements",
        model_label="policies.Escalation",
        anchor="it was resolved",
        default_months=24,
        default_outcome=PSEUDONYMISE,
        outcomes=(PSEUDONYMISE, DELETE),
        reason="Two annual reports and the learning from them; the child's record stays with the agencies.",
        due=_disagreements_due,
        personal_fields=("child_reference", "practitioner_role", "concern", "outcome"),
        pseudonymise=_disagreements_pseudonymise,
    ),
    Kind(
        code="evidence",
        label="Learning log evidence files",
        model_label="actions.EvidenceFile",
        anchor="the action was completed or closed",
        default_months=36,
        default_outcome=DELETE,
        outcomes=(DELETE,),
        reason="The 6- and 12-month assurance reviews and the next annual report have used them by then.",
        due=_evidence_due,
        personal_fields=("name",),
    ),
    Kind(
        code="section11-evidence",
        label="Section 11 evidence files",
        model_label="assurance.Answer",
        anchor="the return was submitted",
        default_months=36,
        default_outcome=DELETE,
        outcomes=(DELETE,),
        reason="The next round (every two years) and its 6- and 12-month sessions have compared against them by then.",
        due=_section11_evidence_due,
        personal_fields=("evidence_file",),
        delete=_section11_evidence_delete,
    ),
    Kind(
        code="restraint",
        label="Use of restraint: young people's references",
        model_label="assurance.RestraintIncident",
        anchor="the incident",
        default_months=72,
        default_outcome=PSEUDONYMISE,
        outcomes=(PSEUDONYMISE,),
        reason="Six years, as for people who left; the incident stays counted by setting, type and injury.",
        due=_restraint_due,
        personal_fields=("young_person",),
        pseudonymise=_restraint_pseudonymise,
    ),
    Kind(
        code="subscribers",
        label="Newsletter subscribers who left or never confirmed",
        model_label="policies.Subscriber",
        anchor="they unsubscribed (or signed up without confirming)",
        default_months=1,
        default_outcome=DELETE,
        outcomes=(DELETE,),
        reason="Consent is the only basis: once withdrawn or never given, a month to answer any question.",
        due=_subscribers_due,
        personal_fields=("email",),
    ),
    Kind(
        code="subject-access",
        label="Subject access requests",
        model_label="privacy.SubjectAccessRequest",
        anchor="the request",
        default_months=24,
        default_outcome=DELETE,
        outcomes=(DELETE,),
        reason="Long enough for a complaint to the ICO about the answer to be dealt with.",
        due=_requests_due,
        personal_fields=("subject", "reference"),
    ),
    Kind(
        code="audit",
        label="Audit trail entries",
        model_label="core.AuditEntry",
        anchor="the change",
        default_months=72,
        default_outcome=DELETE,
        outcomes=(DELETE,),
        reason="Six years (the Limitation Act 1980): who changed what must outlast any claim about it.",
        due=_audit_due,
    ),
]

KINDS = {kind.code: kind for kind in SCHEDULE}
