"""Workforce learning and development: courses, events, bookings, completions, evaluations.

The annual report counts course completions by delivery mode and by organisation category,
and averages post-course evaluations by mode. Completions arrive in bulk from the eLearning
platform's exports (see imports.py) or from attendance marked at an event; every figure is
counted from these records.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.core.links import new_code
from jigsaw.core.models import Agency, Partnership, Person, Sector, Theme, User
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, PartnershipRecord, Role, ScopedManager
from jigsaw.governance.models import Priority


class DeliveryMode(models.TextChoices):
    """The five training options the report counts separately, in the report's order."""

    ELEARNING = "elearning", "Me-Learning (eLearning)"
    PROGRAMME = "programme", "Training Programme"
    SAFEGUARDING_WEEK = "safeguarding_week", "Safeguarding Week"
    DEVELOPMENT_DAY = "development_day", "Development Day"
    BESPOKE = "bespoke", "Bespoke Training"


MODE_ORDER = list(DeliveryMode.values)

# The category names as the report's table prints them, where longer than the sector's label.
REPORT_CATEGORY_NAMES = {
    Sector.EARLY_YEARS: "Early Years and Childcare (All Nurseries including private nurseries, Out of School Clubs and Childminders)",
    Sector.PASSENGER_TRANSPORT: "Integrated Passenger Transport (Home to School Transport including Taxi Drivers)",
    Sector.OUTSIDE_AREA: "Organisations outside of County Durham",
    Sector.PRIVATE: "Private Organisations (for profit organisations including Independent Schools, Private Children's Homes and Fostering Agencies)",
    Sector.VOLUNTARY: "Voluntary Sector (Community Interest Companies, Registered Charities, Volunteers)",
}


def learner_key(partnership_id: int, email: str) -> str:
    """Who a learner is, kept after their name and email are pseudonymised, so a re-import
    of an old export still recognises completions already counted."""
    return hashlib.sha256(f"{partnership_id}:{email.strip().lower()}".encode()).hexdigest()


def normalise_organisation(name: str) -> str:
    return " ".join(name.casefold().split())


# The migrations name the codes' default by this name.
_code = new_code


class _BusinessUnitRecord(PartnershipRecord):
    """Holds personal data about learners: the business unit only."""

    class Meta:
        abstract = True

    @classmethod
    def scope_rule(cls, access, action):
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class _CalendarRecord(PartnershipRecord):
    """The training calendar (courses, programmes, events, the charging policy): every role
    reads it, since practitioners book from it; the business unit keeps it."""

    class Meta:
        abstract = True

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return ALL if access.roles else NOTHING
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class TrainingPolicy(_CalendarRecord):
    """The partnership's charging policy (how long learners' details are kept is in the retention
    schedule, jigsaw.privacy, with every other kind of personal record)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="training_policy")
    non_attendance_charge = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("50.00"),
        help_text="Charged when someone does not attend or cancels late.",
    )
    late_cancellation_days = models.PositiveSmallIntegerField(
        default=5, help_text="A cancellation fewer than this many days before the event is late."
    )
    registration_fee = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("30.00"),
        help_text="Charged to profit-making organisations for each place.",
    )

    class Meta:
        verbose_name_plural = "training policies"

    def __str__(self) -> str:
        return f"Training policy of {self.partnership}"


class OrganisationCategory(PartnershipRecord):
    """One of the organisation categories the report's completions table counts by."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="organisation_categories")
    sector = models.CharField(max_length=40, choices=Sector.choices)
    name = models.CharField(max_length=200)
    profit_making = models.BooleanField(default=False, help_text="Pays the registration fee for each place booked.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "organisation categories"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "sector"], name="training_category_unique_sector")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationAlias(PartnershipRecord):
    """An organisation's name as learners type it, and the category it counts under."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="organisation_aliases")
    name = models.CharField(max_length=300)
    normalised = models.CharField(max_length=300, editable=False)
    category = models.ForeignKey(OrganisationCategory, on_delete=models.PROTECT, related_name="aliases")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The partner agency these learners work for, if any.",
    )

    same_partnership = ("category", "agency")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "organisation aliases"
        constraints = [models.UniqueConstraint(fields=["partnership", "normalised"], name="training_alias_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.normalised = normalise_organisation(self.name or "")


class Course(_CalendarRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(max_length=300)
    mode = models.CharField("delivery mode", max_length=20, choices=DeliveryMode.choices)
    description = models.TextField(blank=True)
    provider = models.CharField(max_length=200, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    runs_from = models.DateField(help_text="When the course was first offered.")
    runs_until = models.DateField(null=True, blank=True, help_text="Leave blank while it is still offered.")
    themes = models.ManyToManyField(Theme, blank=True, related_name="training_courses")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="training_courses")

    same_partnership = ("themes", "priorities")

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["partnership", "title"], name="training_course_unique_title")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course", args=[self.partnership.slug, self.pk])

    def clean(self) -> None:
        if self.runs_from and self.runs_until and self.runs_until < self.runs_from:
            raise ValidationError({"runs_until": "The course cannot stop before it starts."})


class Programme(_CalendarRecord):
    """A set of events under one theme, such as 'Safeguarding Week 2024' ('Inclusion')."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="training_programmes")
    name = models.CharField(max_length=200)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()

    same_partnership = ("theme",)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="training_programme_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The programme cannot end before it starts."})


class Event(_CalendarRecord):
    """A dated run of a course, with its places. Published events appear on the public calendar."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="training_events")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="events")
    programme = models.ForeignKey(Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True, help_text="For sessions on MS Teams or Zoom; sent to people booked.")
    trainer = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="training_events"
    )
    is_published = models.BooleanField("show on the public calendar", default=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    same_partnership = ("course", "programme", "trainer")

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.course.title}, {self.starts_at:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("training:event", args=[self.partnership.slug, self.pk])

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW and access.is_anonymous:
            return Q(is_published=True)
        return super().scope_rule(access, action)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The event must end after it starts."})
        if not self.venue and not self.online_link:
            raise ValidationError({"venue": "Enter a venue or a link to join online."})


class Learner(_BusinessUnitRecord):
    """Only what the reports need. After the retention period the name and email are removed
    (pseudonymised) and the learner is counted by category only."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="learners")
    key = models.CharField(max_length=64, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    organisation = models.CharField("organisation as they typed it", max_length=300, blank=True)
    category = models.ForeignKey(
        OrganisationCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="learners"
    )
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    pseudonymised_on = models.DateField(null=True, blank=True)

    same_partnership = ("category", "agency")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="training_learner_unique_key")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_rule(cls, access, action):
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if action == Action.VIEW and Role.AGENCY_LEAD in access.roles:
            return Q(agency_id__in=access.agency_ids)
        return NOTHING


class ImportOutcome(models.TextChoices):
    CHECKED = "checked", "Checked, ready to import"
    REJECTED = "rejected", "Not imported: the file has problems"
    QUEUED = "queued", "Waiting to import"
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Not imported: the import stopped before it finished"


# An import shows progress while it checks rows and once more just before it saves; the save is
# one transaction that shows none. A batch "importing" with no sign of life for this long was
# stopped (its process killed, the server restarted): nothing of it was saved, and it is shown,
# then recorded, as failed. The largest file allowed (50 MB) saves in a few minutes.
IMPORT_STALE_AFTER = datetime.timedelta(minutes=15)
IMPORT_STOPPED_MESSAGE = (
    "The import stopped before it finished (the server or the command running it was stopped, or the "
    "database failed). Nothing from this file was saved: import it again."
)


class ImportBatch(_BusinessUnitRecord):
    """One uploaded export. Checked first (every bad row listed), imported all-or-nothing."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="training_imports")
    file_name = models.CharField(max_length=255)
    file_hash = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=255, blank=True, editable=False)
    rows = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField("completions added", default=0)
    already_held = models.PositiveIntegerField("already imported", default=0)
    learners_added = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=ImportOutcome.choices, default=ImportOutcome.CHECKED)
    problems = models.JSONField(default=list, blank=True, help_text="[[row, reason], ...]")
    warnings = models.JSONField(
        default=list, blank=True, help_text="[[row, note], ...]: rows counted once or otherwise noted, not refused."
    )
    unknown_organisations = models.JSONField(default=list, blank=True)
    unknown_courses = models.JSONField(
        default=list, blank=True, help_text="[[title as written, rows, first completion date], ...]"
    )
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    progress_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The running import's last sign of life."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%-d %b %Y %H:%M})" if self.uploaded_at else self.file_name

    def get_absolute_url(self) -> str:
        return reverse("training:import", args=[self.partnership.slug, self.pk])

    @property
    def stopped(self) -> bool:
        """Importing, but silent for longer than any import takes: its process has gone."""
        if self.outcome != ImportOutcome.RUNNING:
            return False
        last = self.progress_at or self.uploaded_at
        return last is not None and last < timezone.now() - IMPORT_STALE_AFTER

    @property
    def in_progress(self) -> bool:
        return self.outcome == ImportOutcome.QUEUED or (self.outcome == ImportOutcome.RUNNING and not self.stopped)

    @property
    def failed(self) -> bool:
        return self.outcome == ImportOutcome.FAILED or self.stopped

    @property
    def outcome_label(self) -> str:
        return ImportOutcome.FAILED.label if self.stopped else self.get_outcome_display()

    @property
    def saving(self) -> bool:
        """Every row checked and the one transaction that saves them under way."""
        return self.in_progress and self.rows > 0 and self.rows_checked >= self.rows


class Completion(PartnershipRecord):
    """A learner completed a course on a day. Unique, so importing the same export twice adds nothing."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="training_completions")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    # The category the learner's organisation counted under on the day: the report's table.
    category = models.ForeignKey(OrganisationCategory, on_delete=models.PROTECT, related_name="completions")
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="completions")
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="completions")

    same_partnership = ("learner", "course", "category", "event", "batch")

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "course", "completed_on"], name="training_completion_unique")
        ]
        indexes = [models.Index(fields=["partnership", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.course} on {self.completed_on:%-d %B %Y}"

    @classmethod
    def scope_rule(cls, access, action):
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if action != Action.VIEW:
            return NOTHING
        rule = Q(pk__in=[])
        if Role.AGENCY_LEAD in access.roles:
            rule |= Q(learner__agency_id__in=access.agency_ids)
        if Role.PRACTITIONER in access.roles and access.partnership is not None:
            rule |= Q(learner__key=learner_key(access.partnership.pk, access.user.email))
        return rule if access.roles & {Role.AGENCY_LEAD, Role.PRACTITIONER} else NOTHING


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Attendance(models.TextChoices):
    NOT_MARKED = "", "Not marked"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "Did not attend"


class Booking(PartnershipRecord):
    """A place on an event, booked on the public page without an account. The code in the
    confirmation email lets the person cancel and, afterwards, evaluate the session."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="training_bookings")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="bookings")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.CharField(max_length=300)
    category = models.ForeignKey(
        OrganisationCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancellation = models.BooleanField(default=False)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True, default="")
    registration_fee = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    non_attendance_charge = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    code = models.CharField(max_length=64, unique=True, default=_code, editable=False)
    # Who is asked, three months on, whether the training changed this person's practice.
    line_manager_name = models.CharField("line manager's name", max_length=200, blank=True)
    line_manager_email = models.EmailField(
        "line manager's email address",
        blank=True,
        help_text="Optional. Three months after the training we ask your manager, once, whether it changed your practice.",
    )

    same_partnership = ("event", "category", "agency")

    class Meta:
        ordering = ["booked_at"]

    def __str__(self) -> str:
        return f"{self.name}, {self.event}"

    @property
    def charges(self) -> Decimal:
        return self.registration_fee + self.non_attendance_charge

    @classmethod
    def scope_rule(cls, access, action):
        roles = access.roles
        if Role.BUSINESS_UNIT in roles:
            return ALL
        if access.is_anonymous:
            return NOTHING
        # The trainer marks attendance for their own events.
        rule = Q(event__trainer__user=access.user)
        if action == Action.VIEW:
            if Role.AGENCY_LEAD in roles:
                rule |= Q(agency_id__in=access.agency_ids)
            rule |= Q(email__iexact=access.user.email)
        return rule if roles else NOTHING


class BookingReminder(models.Model):
    """The reminder sent to a booking some days before the event, claimed before it is sent: a
    second run, even one running at the same moment, sends nothing (as the learning log's
    ReminderLog)."""

    DAYS_BEFORE = (14, 5)

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(choices=[(days, f"{days} days before") for days in DAYS_BEFORE])
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the run that claimed it is sending.")

    objects = ScopedManager()
    partnership_path = "booking__partnership"

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "days_before"], name="training_booking_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder to {self.booking}"

    @classmethod
    def scope_rule(cls, access, action):
        return ALL if action == Action.VIEW and Role.BUSINESS_UNIT in access.roles else NOTHING


class ImpactAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class Evaluation(PartnershipRecord):
    """The post-course evaluation, for a completion (eLearning) or an event attended."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="training_evaluations")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="evaluations")
    completion = models.OneToOneField(
        Completion, on_delete=models.CASCADE, null=True, blank=True, related_name="evaluation"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations")
    booking = models.OneToOneField(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluation")
    submitted_on = models.DateField()
    content_rating = models.PositiveSmallIntegerField(
        "course content", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    knowledge_before = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    knowledge_after = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    impact = models.CharField(max_length=10, choices=ImpactAnswer.choices)
    comments = models.TextField(blank=True)

    same_partnership = ("course", "completion", "event", "booking")

    class Meta:
        ordering = ["-submitted_on"]

    def __str__(self) -> str:
        return f"Evaluation of {self.course}"

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            if access.is_partner:
                return ALL
            if Role.PRACTITIONER in access.roles and access.partnership is not None:
                # Their own: of an event they booked, or of an eLearning course they completed.
                return Q(booking__email__iexact=access.user.email) | Q(
                    completion__learner__key=learner_key(access.partnership.pk, access.user.email)
                )
            return NOTHING
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING

    def clean(self) -> None:
        if not self.completion_id and not self.event_id:
            raise ValidationError("An evaluation is of a completion or of an event.")


class ImpactFollowUp(_BusinessUnitRecord):
    """The 3- and 6-month question: how did the training change your practice?"""

    QUESTION = "Tell us how the training you attended had an impact on your practice when working with children, young people and families?"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="training_follow_ups")
    completion = models.ForeignKey(Completion, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(choices=[(3, "3 months"), (6, "6 months")])
    sent_on = models.DateField()
    answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    code = models.CharField(max_length=64, unique=True, default=_code, editable=False)

    same_partnership = ("completion",)

    class Meta:
        ordering = ["-sent_on"]
        constraints = [models.UniqueConstraint(fields=["completion", "months"], name="training_follow_up_unique")]

    def __str__(self) -> str:
        return f"{self.months}-month follow-up of {self.completion}"


class Judgement(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class TrainingObservation(PartnershipRecord):
    """A group member observes a course to assure its quality and avoid duplication."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="training_observations")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="observations")
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations")
    observer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_observations")
    observed_on = models.DateField()
    single_agency = models.BooleanField("single-agency training", default=False)
    content = models.CharField("content and learning from reviews", max_length=30, choices=Judgement.choices)
    delivery = models.CharField(max_length=30, choices=Judgement.choices)
    multi_agency_messages = models.CharField(
        "consistency of multi-agency messages", max_length=30, choices=Judgement.choices
    )
    duplicates_other_training = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    same_partnership = ("course", "event", "observer")

    class Meta:
        ordering = ["-observed_on"]

    def __str__(self) -> str:
        return f"Observation of {self.course} on {self.observed_on:%-d %B %Y}"

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return ALL if access.roles - {Role.PRACTITIONER} else NOTHING
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if access.roles & {Role.GROUP_CHAIR, Role.MEMBER}:
            return Q(observer__user=access.user)
        return NOTHING
