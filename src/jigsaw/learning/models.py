"""Learning from reviews (the case review panel) and the learning cycles of the Improvement
Delivery Group, with horizon scanning of national learning and learning briefings.

A case review is one record that moves through the statutory steps: the referral for learning,
the panel's decision, the notification to the national panel, the rapid review and, where one
is commissioned, the local child safeguarding practice review. Its clocks are computed from
its dates (see clocks.py). A child is recorded by pseudonym and reference only: there is no
field for a name.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.core.models import Agency, Partnership, Theme
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, PartnershipRecord, Role, ScopedManager
from jigsaw.governance.models import Priority

from . import clocks

# Roles that may open the case review pages. Which reviews they then see is the scope rule's
# business: the business unit and the scrutineer all of them, anyone else only while they hold a
# seat on the case review panel (a governance group of kind 'panel'). Practitioners never.
REVIEW_READERS = frozenset({Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD})
# Learning cycles, voices and horizon scanning: everyone working in the partnership bar practitioners.
PARTNERSHIP_READERS = frozenset({Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD})


def is_panel_member(access) -> bool:
    """Does `access` hold a current seat on the case review panel (a group of kind 'panel')?"""
    if access.user is None or access.partnership is None or not access.roles or access.roles == {Role.PRACTITIONER}:
        return False
    from jigsaw.governance.models import GroupKind, Membership

    today = timezone.localdate()
    return (
        Membership._base_manager.filter(
            partnership=access.partnership, person__user=access.user, group__kind=GroupKind.PANEL, starts_on__lte=today
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exists()
    )


def can_see_reviews(access) -> bool:
    return bool(access.roles & {Role.BUSINESS_UNIT, Role.SCRUTINEER}) or is_panel_member(access)


def can_see_characteristics(access) -> bool:
    """The special-category characteristics: the business unit and the panel only (not the scrutineer)."""
    return Role.BUSINESS_UNIT in access.roles or is_panel_member(access)


def _not_future(errors: dict, name: str, value, label: str) -> None:
    if value and value > timezone.localdate():
        errors.setdefault(name, f"{label} cannot be in the future.")


def _not_before(errors: dict, name: str, value, earlier, label: str, earlier_label: str) -> None:
    if value and earlier and value < earlier:
        errors.setdefault(name, f"{label} cannot be before {earlier_label} ({earlier:%-d %B %Y}).")


class Incident(models.TextChoices):
    DEATH = "death", "Death"
    SERIOUS_HARM = "serious_harm", "Serious harm"
    OTHER_LEARNING = "other_learning", "Other learning"


class LearningRoute(models.TextChoices):
    EXISTING_LEARNING = "existing_learning", "In line with existing learning"
    CHILD_EXPLOITATION_GROUP = "child_exploitation_group", "Referred to the child exploitation group"
    YOUTH_JUSTICE_BOARD = "youth_justice_board", "Referred to the youth justice board"
    DOMESTIC_HOMICIDE_REVIEW = "domestic_homicide_review", "Domestic homicide review"
    CARE_LEAVER_DEATH = "care_leaver_death", "Care-leaver death procedure"
    LEARNING_FROM_PRACTICE = "learning_from_practice", "Learning-from-practice review"


class CaseReview(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="case_reviews")
    reference = models.CharField(
        "partnership reference", max_length=30, help_text="The partnership's own reference, for example DSCP-2024-07."
    )
    pseudonym = models.CharField(
        max_length=60,
        help_text="A made-up name used in learning, for example 'Amara'. Never enter the child's real name.",
    )
    age_at_incident = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(25)], help_text="In years. Care leavers are included up to 25."
    )
    care_leaver = models.BooleanField(default=False, help_text="The young person was a care leaver.")
    relevant_characteristics = models.TextField(
        blank=True,
        help_text="Optional. Characteristics the panel considers (ethnicity, disability, religion…). Special-category data: only the business unit and the panel see it.",
    )
    incident = models.CharField(max_length=20, choices=Incident.choices)
    aware_on = models.DateField(
        "date the local authority became aware", help_text="The statutory clocks start from this day (day 0)."
    )
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    agencies_involved = models.ManyToManyField(Agency, blank=True, related_name="case_reviews")
    summary = models.TextField("what happened", blank=True)
    # The panel's decision.
    decided_on = models.DateField("date of the panel decision", null=True, blank=True)
    meets_criteria = models.BooleanField(
        "meets the criteria for a serious incident notification",
        null=True,
        blank=True,
    )
    learning_route = models.CharField(
        max_length=30,
        choices=LearningRoute.choices,
        blank=True,
        help_text="Required when the criteria are not met. After a notification, leave blank when a rapid review follows.",
    )
    decision_reason = models.TextField("reason for the decision", blank=True)
    # The notification and the rapid review.
    notified_on = models.DateField("date the national panel was notified", null=True, blank=True)
    rapid_review_completed_on = models.DateField("date the rapid review was completed", null=True, blank=True)
    rapid_review_sent_on = models.DateField(
        "date the rapid review was sent to the national panel", null=True, blank=True
    )
    practice_review_recommended = models.BooleanField(
        "local child safeguarding practice review recommended", null=True, blank=True
    )
    rapid_review_reasons = models.TextField("reasons for the recommendation", blank=True)
    # The local child safeguarding practice review.
    practice_review_commissioned_on = models.DateField(
        "date the practice review was commissioned", null=True, blank=True
    )
    practice_review_published_on = models.DateField("date the practice review was published", null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="case_reviews", verbose_name="learning themes")

    objects = ScopedManager()
    same_partnership = ("referring_agency", "agencies_involved", "themes")

    class Meta:
        ordering = ["-aware_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="case_review_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.pseudonym})"

    def get_absolute_url(self) -> str:
        return reverse("learning:review", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if action == Action.VIEW and can_see_reviews(access):
            return ALL
        return NOTHING

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_future(errors, "aware_on", self.aware_on, "The date the local authority became aware")
        for name in (
            "decided_on",
            "notified_on",
            "rapid_review_completed_on",
            "rapid_review_sent_on",
            "practice_review_commissioned_on",
            "practice_review_published_on",
        ):
            _not_future(errors, name, getattr(self, name), self._meta.get_field(name).verbose_name.capitalize())
        # Each step after the one it depends on.
        aware = "the local authority became aware"
        _not_before(errors, "decided_on", self.decided_on, self.aware_on, "The panel decision", aware)
        _not_before(errors, "notified_on", self.notified_on, self.aware_on, "The notification", aware)
        _not_before(
            errors,
            "rapid_review_completed_on",
            self.rapid_review_completed_on,
            self.notified_on,
            "The rapid review",
            "the notification",
        )
        _not_before(
            errors,
            "rapid_review_sent_on",
            self.rapid_review_sent_on,
            self.rapid_review_completed_on,
            "Sending the rapid review",
            "its completion",
        )
        _not_before(
            errors,
            "practice_review_commissioned_on",
            self.practice_review_commissioned_on,
            self.rapid_review_completed_on,
            "Commissioning the practice review",
            "the rapid review",
        )
        _not_before(
            errors,
            "practice_review_published_on",
            self.practice_review_published_on,
            self.practice_review_commissioned_on,
            "Publication",
            "commissioning",
        )
        if self.decided_on or self.meets_criteria is not None:
            if self.meets_criteria is None:
                errors.setdefault(
                    "meets_criteria", "Say whether it meets the criteria for a serious incident notification."
                )
            if not self.decided_on:
                errors.setdefault("decided_on", "Enter the date of the panel decision.")
            if not self.decision_reason.strip():
                errors.setdefault("decision_reason", "Give the reason for the decision.")
            if self.meets_criteria is False and not self.learning_route:
                errors.setdefault("learning_route", "Choose the learning route when the criteria are not met.")
        if self.notified_on and self.meets_criteria is not True:
            errors.setdefault("notified_on", "Record a decision that the criteria are met before the notification.")
        if self.rapid_review_completed_on and not self.notified_on:
            errors.setdefault("rapid_review_completed_on", "Record the notification before the rapid review.")
        if self.rapid_review_sent_on and not self.rapid_review_completed_on:
            errors.setdefault("rapid_review_completed_on", "Enter the date the rapid review was completed.")
        if self.practice_review_recommended is not None and not self.rapid_review_completed_on:
            errors.setdefault("rapid_review_completed_on", "Enter the date the rapid review was completed.")
        if self.practice_review_recommended is not None and not self.rapid_review_reasons.strip():
            errors.setdefault("rapid_review_reasons", "Give the reasons for the recommendation.")
        if self.practice_review_commissioned_on and self.practice_review_recommended is not True:
            errors.setdefault(
                "practice_review_commissioned_on",
                "A practice review is commissioned only when the rapid review recommends one.",
            )
        if self.practice_review_published_on and not self.practice_review_commissioned_on:
            errors.setdefault("practice_review_commissioned_on", "Enter the date the practice review was commissioned.")
        if errors:
            raise ValidationError(errors)

    # The statutory clocks.
    @property
    def notification_due(self) -> datetime.date | None:
        return clocks.notification_due(self.aware_on) if self.needs_notification else None

    @property
    def rapid_review_due(self) -> datetime.date | None:
        return clocks.rapid_review_due(self.aware_on) if self.needs_rapid_review else None

    @property
    def publication_due(self) -> datetime.date | None:
        return (
            clocks.publication_due(self.practice_review_commissioned_on)
            if self.practice_review_commissioned_on
            else None
        )

    @property
    def needs_notification(self) -> bool:
        # The clock runs from awareness until the panel decides the criteria are not met.
        return self.meets_criteria is not False and self.learning_route != LearningRoute.LEARNING_FROM_PRACTICE

    @property
    def needs_rapid_review(self) -> bool:
        # A notified case goes to rapid review unless another route (care-leaver death procedure,
        # domestic homicide review…) was chosen for its learning.
        return self.needs_notification and not self.learning_route

    def clocks(self, today: datetime.date | None = None) -> list[clocks.Clock]:
        result = []
        if self.needs_notification:
            result.append(
                clocks.Clock(
                    "notification", "Notification to the national panel", self.notification_due, self.notified_on, today
                )
            )
        if self.needs_rapid_review:
            result.append(
                clocks.Clock(
                    "rapid_review",
                    "Rapid review sent to the national panel",
                    self.rapid_review_due,
                    self.rapid_review_sent_on,
                    today,
                )
            )
        if self.practice_review_commissioned_on:
            result.append(
                clocks.Clock(
                    "publication",
                    "Practice review published",
                    self.publication_due,
                    self.practice_review_published_on,
                    today,
                )
            )
        return result

    @property
    def stage(self) -> str:
        if self.practice_review_published_on:
            return "Practice review published"
        if self.practice_review_commissioned_on:
            return "Practice review under way"
        if self.rapid_review_completed_on:
            return "Rapid review completed"
        if self.notified_on:
            return "Notified"
        if self.meets_criteria is False or self.learning_route:
            return self.get_learning_route_display() or "Decided"
        if self.decided_on:
            return "Decided: notify"
        return "Awaiting the panel decision"


class Methodology(models.TextChoices):
    DEEP_DIVE_AUDIT = "deep_dive_audit", "Deep-dive audit"
    PRACTITIONER_LED_AUDIT = "practitioner_led_audit", "Practitioner-led multi-agency audit"
    SURVEY = "survey", "Survey"
    INTERVIEWS = "interviews", "One-to-one interviews"
    GAP_ANALYSIS = "gap_analysis", "Gap analysis"
    FOCUS_GROUP = "focus_group", "Focus group"


class Phase(models.IntegerChoices):
    SCOPE = 1, "Phase 1: scope the question"
    EVIDENCE = 2, "Phase 2: gather evidence"
    FINDINGS = 3, "Phase 3: findings"
    DEVELOPMENT = 4, "Phase 4: areas of development"
    DIFFERENCE = 5, "Phase 5: what difference has it made (6 months)"
    ASSURANCE = 6, "Phase 6: assurance (12 months)"


class _PartnershipLearning(PartnershipRecord):
    """Read by everyone working in the partnership except practitioners; kept by the business unit."""

    class Meta:
        abstract = True

    @classmethod
    def scope_rule(cls, access, action):
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if action == Action.VIEW and access.roles & PARTNERSHIP_READERS:
            return ALL
        return NOTHING


class LearningCycle(_PartnershipLearning):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="learning_cycles")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="learning_cycles")
    title = models.CharField(
        max_length=200, help_text="The piece of work, for example 'Child and adolescent to parent violence and abuse'."
    )
    starts_on = models.DateField("period starts")
    ends_on = models.DateField("period ends")
    phase = models.PositiveSmallIntegerField(choices=Phase.choices, default=Phase.SCOPE)
    why = models.TextField("why (the evidence)", blank=True)
    key_line_of_enquiry = models.TextField(blank=True)
    methodologies = models.JSONField(default=list, blank=True)
    key_findings = models.TextField(blank=True)
    areas_of_development = models.TextField(blank=True)
    difference_made = models.TextField("what difference has it made (6 months)", blank=True)
    assurance = models.TextField("phase 6 assurance (12 months)", blank=True)
    assured_on = models.DateField("date of the phase 6 assurance", null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="learning_cycles", verbose_name="learning themes")

    same_partnership = ("priority", "themes")

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%B %Y} to {self.ends_on:%B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("learning:cycle", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @property
    def methodology_labels(self) -> list[str]:
        labels = dict(Methodology.choices)
        return [labels.get(value, value) for value in self.methodologies or []]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_before(errors, "ends_on", self.ends_on, self.starts_on, "The end of the period", "its start")
        _not_before(
            errors, "assured_on", self.assured_on, self.ends_on, "The phase 6 assurance", "the end of the cycle"
        )
        _not_future(errors, "assured_on", self.assured_on, "The date of the phase 6 assurance")
        unknown = [value for value in self.methodologies or [] if value not in Methodology.values]
        if unknown:
            errors["methodologies"] = f"Choose methodologies from the list ({', '.join(unknown)} is not one)."
        if errors:
            raise ValidationError(errors)


class Speaker(models.TextChoices):
    CHILD = "child", "Child"
    YOUNG_PERSON = "young_person", "Young person"
    FAMILY = "family", "Family"
    PRACTITIONER = "practitioner", "Practitioner"


class Voice(_PartnershipLearning):
    """The words of a child, young person, family member or practitioner: never a name."""

    cycle = models.ForeignKey(LearningCycle, on_delete=models.CASCADE, related_name="voices")
    speaker = models.CharField("whose voice", max_length=20, choices=Speaker.choices)
    age = models.PositiveSmallIntegerField(
        "age in years",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
        help_text="Optional.",
    )
    words = models.TextField(
        "their words",
        help_text="Anonymise before saving: remove every name, place and detail that could identify someone.",
    )
    context = models.CharField(
        max_length=120, blank=True, help_text="Where it was heard, for example 'Young person, deep dive'."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    partnership_path = "cycle__partnership"

    class Meta:
        ordering = ["cycle", "pk"]

    def __str__(self) -> str:
        age = f", age {self.age}" if self.age is not None else ""
        return f"{self.get_speaker_display()}'s voice{age}"

    @property
    def partnership(self):
        return self.cycle.partnership

    def get_additional_data(self) -> dict:
        return {"partnership": self.cycle.partnership_id}


class HorizonScanItem(_PartnershipLearning):
    """National learning the business unit has read, and what the partnership does about it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="horizon_items")
    title = models.CharField(max_length=200)
    source = models.CharField(
        max_length=200, help_text="Who published it, for example 'Child Safeguarding Practice Review Panel'."
    )
    published_on = models.DateField("date")
    summary = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="horizon_items", verbose_name="learning themes")
    response = models.TextField("the partnership's response", blank=True)

    same_partnership = ("themes",)

    class Meta:
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:horizon-item", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_future(errors, "published_on", self.published_on, "The date")
        if errors:
            raise ValidationError(errors)


class Briefing(models.Model):
    """A learning briefing (a key-learning briefing from a review, a priority briefing…)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="briefings")
    title = models.CharField(max_length=200)
    audience = models.CharField(
        max_length=200, help_text="Who it is for, for example 'All practitioners and managers'."
    )
    summary = models.TextField(help_text="Shown on the public page when published: never identify a child or family.")
    body = models.TextField("the briefing", blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="briefings", verbose_name="learning themes")
    reviews = models.ManyToManyField(
        CaseReview, blank=True, related_name="briefings", verbose_name="linked case reviews"
    )
    cycles = models.ManyToManyField(
        LearningCycle, blank=True, related_name="briefings", verbose_name="linked learning cycles"
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Published briefings appear on the public site."
    )
    published_on = models.DateField(null=True, blank=True)

    same_partnership = ("themes", "reviews", "cycles")

    objects = ScopedManager()

    class Meta:
        # Published first (on every database, unlike NULL ordering), newest first.
        ordering = ["-is_published", "-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:briefing", args=[self.partnership.slug, self.pk])

    def get_public_url(self) -> str:
        return reverse("learning:public-briefing", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if action == Action.VIEW:
            return Q(is_published=True)  # drafts stay with the business unit; the public sees published ones
        return NOTHING

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.is_published and not self.published_on:
            errors["published_on"] = "Enter the date it was published."
        _not_future(errors, "published_on", self.published_on, "The publication date")
        if errors:
            raise ValidationError(errors)
