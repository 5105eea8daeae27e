"""Impact: the quality assurance framework as data, and the managers' assurance of training.

The framework is versioned like the section 11 tool: once the executive adopts a version,
changing it makes the next version (services.framework_editable), so a year's evidence chain
can always say which framework it was read against. Each outcome is one line of a priority's
theory of change (activity → output → short-term outcome → long-term outcome for children) and
links to the records already in Jigsaw that show it (an indicator, a section 11 question or
section, an audit, a course, a learning cycle, an assurance week, the priority's actions):
evidence is linked, never copied.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.core.links import new_code
from jigsaw.core.models import Partnership, Versioned
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, PartnershipRecord, Role, ScopedManager
from jigsaw.governance.models import BusinessPlan, Priority


class Framework(Versioned, PartnershipRecord):
    """One version of the partnership's quality assurance framework for a business plan."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="impact_frameworks")
    plan = models.ForeignKey(BusinessPlan, on_delete=models.PROTECT, related_name="impact_frameworks")
    name = models.CharField(max_length=200)
    introduction = models.TextField(
        blank=True, help_text="What the framework is aligned to, for example TASP's evaluation framework."
    )
    adopted_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the executive adopted this version; changing it afterwards makes the next version.",
    )

    same_partnership = ("plan", "previous")

    class Meta:
        ordering = ["plan", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name", "version"], name="impact_framework_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("impact:framework", args=[self.partnership.slug, self.pk])


class Outcome(PartnershipRecord):
    """One line of a priority's theory of change."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="outcomes")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="impact_outcomes")
    position = models.PositiveSmallIntegerField(default=1, help_text="Where it comes in the priority's list.")
    activity = models.TextField(help_text="What the partnership does, for example 'Domestic abuse awareness sessions'.")
    output = models.TextField(
        help_text="What the activity produces that can be counted, for example 'practitioners trained'."
    )
    short_term = models.TextField(
        "short-term outcome", help_text="The change in practice, for example 'practitioners see the child as a victim'."
    )
    long_term = models.TextField(
        "long-term outcome for children", help_text="The difference for children, for example 'fewer repeat incidents'."
    )

    same_partnership = ("framework", "priority")

    class Meta:
        ordering = ["priority__number", "position", "pk"]

    def __str__(self) -> str:
        return self.short_term[:80]

    def get_absolute_url(self) -> str:
        return self.framework.get_absolute_url() + f"#outcome-{self.pk}"

    def clean(self) -> None:
        if self.framework_id and self.priority_id and self.priority.plan_id != self.framework.plan_id:
            raise ValidationError({"priority": "Choose a priority of the business plan this framework is for."})


class Stage(models.TextChoices):
    OUTPUT = "output", "Output"
    SHORT_TERM = "short_term", "Short-term outcome"
    LONG_TERM = "long_term", "Long-term outcome"


class EvidenceKind(models.TextChoices):
    INDICATOR = "indicator", "Indicator against its target and a year earlier"
    S11_QUESTION = "s11_question", "Section 11 question: % green"
    S11_SECTION = "s11_section", "Section 11 section: % green"
    AUDIT = "audit", "Multi-agency audit"
    COURSE_KNOWLEDGE = "course_knowledge", "Training: knowledge before and after"
    COURSE_FOLLOW_UP = "course_follow_up", "Training: learners' 3- and 6-month answers"
    COURSE_MANAGERS = "course_managers", "Training: managers' assurance at 3 months"
    ACTIONS = "actions", "The priority's actions and their 12-month assurance"
    CYCLE_VOICES = "cycle_voices", "Learning cycle: voices and phase 6 assurance"
    WEEK_VOICES = "week_voices", "Assurance week: what children, parents and practitioners said"


# Which record each kind of evidence names (the others must be blank).
KIND_FIELD = {
    EvidenceKind.INDICATOR: "indicator",
    EvidenceKind.S11_QUESTION: "s11_question",
    EvidenceKind.S11_SECTION: "s11_section",
    EvidenceKind.AUDIT: "audit",
    EvidenceKind.COURSE_KNOWLEDGE: "course",
    EvidenceKind.COURSE_FOLLOW_UP: "course",
    EvidenceKind.COURSE_MANAGERS: "course",
    EvidenceKind.ACTIONS: None,  # the outcome's priority's actions
    EvidenceKind.CYCLE_VOICES: "cycle",
    EvidenceKind.WEEK_VOICES: "week",
}
LINK_FIELDS = ("indicator", "s11_question", "s11_section", "audit", "course", "cycle", "week")


class Evidence(PartnershipRecord):
    """A record already in Jigsaw that shows whether an outcome is happening."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("kind of evidence", max_length=20, choices=EvidenceKind.choices)
    stage = models.CharField("what it shows", max_length=20, choices=Stage.choices, default=Stage.SHORT_TERM)
    measure = models.CharField(
        "how it is read", max_length=300, blank=True, help_text="For example 'fewer re-referrals than a year earlier'."
    )
    indicator = models.ForeignKey(
        "performance.Indicator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    s11_question = models.ForeignKey(
        "assurance.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="section 11 question",
    )
    s11_section = models.ForeignKey(
        "assurance.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="section 11 section",
    )
    audit = models.ForeignKey("assurance.Audit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    course = models.ForeignKey("training.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cycle = models.ForeignKey(
        "learning.LearningCycle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="learning cycle",
    )
    week = models.ForeignKey(
        "assurance.AssuranceWeek",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="assurance week",
    )

    same_partnership = ("outcome", *LINK_FIELDS)

    class Meta:
        ordering = ["outcome", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        record = self.linked
        return f"{self.get_kind_display()}: {record}" if record is not None else self.get_kind_display()

    def get_absolute_url(self) -> str:
        return self.outcome.get_absolute_url()

    @property
    def linked(self):
        name = KIND_FIELD.get(self.kind)
        return getattr(self, name) if name else None

    def clean(self) -> None:
        name = KIND_FIELD.get(self.kind)
        errors = {}
        if name and getattr(self, f"{name}_id") is None:
            errors[name] = f"Choose the {self._meta.get_field(name).verbose_name} this evidence reads."
        for other in LINK_FIELDS:
            if other != name and getattr(self, f"{other}_id") is not None:
                errors[other] = (
                    f"{self.get_kind_display()} does not read a {self._meta.get_field(other).verbose_name}: leave it blank."
                )
        if errors:
            raise ValidationError(errors)


# --- Managers' assurance of training impact -----------------------------------------------------


# The migrations name the codes' default by this name.
_code = new_code


class PracticeChanged(models.TextChoices):
    YES = "yes", "Yes, their practice has changed"
    PARTLY = "partly", "Partly"
    NO = "no", "No, not yet"
    CANNOT_SAY = "cannot_say", "I cannot say"


CHANGED_ANSWERS = (PracticeChanged.YES, PracticeChanged.PARTLY)


class ManagerAssurance(PartnershipRecord):
    """Three months after someone attended training, their line manager is asked once (and
    reminded once) whether their practice changed, with an example. The manager answers through
    the link in the email: they need no account."""

    MONTHS = 3
    REMIND_AFTER_DAYS = 14
    # Asked from three months after the training until six: a question about a day long past
    # would not be answered well.
    ASK_UNTIL_MONTHS = 6
    QUESTION = "Has their practice with children, young people and families changed since the training?"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    booking = models.OneToOneField("training.Booking", on_delete=models.CASCADE, related_name="manager_assurance")
    agency = models.ForeignKey("core.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_on = models.DateField("asked from", help_text="Three months after the training.")
    manager_name = models.CharField("line manager's name", max_length=200, blank=True)
    manager_email = models.EmailField("line manager's email address", blank=True)
    named_by = models.CharField(
        max_length=20, choices=[("booking", "The learner, at booking"), ("agency", "The agency")], blank=True
    )
    practice_changed = models.CharField(max_length=20, choices=PracticeChanged.choices, blank=True)
    example = models.TextField("an example", blank=True)
    answered_on = models.DateField(null=True, blank=True)
    code = models.CharField(max_length=64, unique=True, default=_code, editable=False)

    same_partnership = ("booking", "agency")

    class Meta:
        ordering = ["-due_on", "pk"]
        indexes = [models.Index(fields=["partnership", "due_on"])]

    def __str__(self) -> str:
        return f"Manager's assurance for {self.booking}"

    def get_absolute_url(self) -> str:
        return reverse("impact:manager", args=[self.partnership.slug, self.pk])

    @property
    def ask_until(self) -> datetime.date:
        from jigsaw.core.dates import add_months

        return add_months(self.due_on, self.ASK_UNTIL_MONTHS - self.MONTHS)

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    @classmethod
    def scope_rule(cls, access, action):
        # It names a learner and a manager: the business unit, and the agency lead for their agency
        # (who names the manager when the learner did not).
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if Role.AGENCY_LEAD in access.roles and access.agency_ids:
            rule = Q(agency_id__in=access.agency_ids)
            return rule if action == Action.VIEW else rule & Q(answered_on__isnull=True)
        return NOTHING


class ManagerEmail(models.Model):
    """The question and its one reminder, each claimed before it is sent (as booking reminders
    and the learning log's ReminderLog): a second run, even one at the same moment, sends nothing."""

    class Kind(models.TextChoices):
        ASK = "ask", "The question"
        REMINDER = "reminder", "The reminder"

    request = models.ForeignKey(ManagerAssurance, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the run that claimed it is sending.")
    # The day of the run that sent it (a missed day run again counts as that day): the reminder is
    # counted from it.
    sent_on = models.DateField(null=True, blank=True)

    objects = ScopedManager()
    partnership_path = "request__partnership"

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="impact_manager_email_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to the manager, {self.request.booking}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.request.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        return ALL if action == Action.VIEW and Role.BUSINESS_UNIT in access.roles else NOTHING
