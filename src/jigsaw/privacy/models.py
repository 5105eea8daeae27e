"""How long a partnership keeps each kind of record, what each daily run did, and subject access.

The kinds of record and their defaults are declared in kinds.py; a partnership's business unit
changes a kind's period or outcome, which is kept here as a RetentionRule (no row: the default).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from jigsaw.core.models import Partnership
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, Role, ScopedManager


class Outcome(models.TextChoices):
    PSEUDONYMISE = "pseudonymise", "Pseudonymise"
    DELETE = "delete", "Delete"


class _BusinessUnitOnly(models.Model):
    """The schedule, its runs and subject access requests are the business unit's to read and
    keep (docs/access.md): they name people and say what was erased."""

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def scope_rule(cls, access, action):
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}


class RetentionRule(_BusinessUnitOnly):
    """A partnership's own period and outcome for one kind of record, in place of the default."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="retention_rules")
    kind = models.CharField(max_length=40)
    months = models.PositiveSmallIntegerField("months kept", validators=[MinValueValidator(1), MaxValueValidator(1200)])
    outcome = models.CharField("then", max_length=20, choices=Outcome.choices)
    reason = models.TextField(
        "why this period", blank=True, help_text="Say why, if you keep records longer or shorter than the default."
    )

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["partnership", "kind"], name="privacy_rule_once_per_kind")]

    def __str__(self) -> str:
        from .kinds import KINDS

        kind = KINDS.get(self.kind)
        return f"Retention of {kind.label.lower() if kind else self.kind}: {self.months} months, then {self.get_outcome_display().lower()}"


class RetentionRun(_BusinessUnitOnly):
    """One application of the schedule to a partnership. A run stopped half-way stays unfinished
    and the next run carries it on: every batch it committed is counted here, none twice."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="retention_runs")
    as_of = models.DateField(help_text="The day the periods are counted back from.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    resumed = models.PositiveSmallIntegerField(default=0, help_text="How many times a stopped run was carried on.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # One unfinished run per partnership: a second run resumes it rather than racing it.
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(finished_at__isnull=True), name="privacy_one_open_run"
            )
        ]

    def __str__(self) -> str:
        return f"Retention run of {self.started_at:%-d %B %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:run", args=[self.partnership.slug, self.pk])

    @classmethod
    def scope_rule(cls, access, action):
        # Written by the run alone: the business unit reads it.
        return ALL if action == Action.VIEW and Role.BUSINESS_UNIT in access.roles else NOTHING


class RetentionTally(_BusinessUnitOnly):
    """What one run did to one kind of record, counted in the same transaction as each batch."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="tallies")
    kind = models.CharField(max_length=40)
    months = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    cutoff = models.DateField(help_text="Records whose date is before this day were handled.")
    count = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)

    partnership_path = "run__partnership"

    class Meta:
        ordering = ["run", "kind"]
        constraints = [models.UniqueConstraint(fields=["run", "kind"], name="privacy_tally_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.count} {self.get_outcome_display().lower()}d"

    @property
    def label(self) -> str:
        from .kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind

    @classmethod
    def scope_rule(cls, access, action):
        return RetentionRun.scope_rule(access, action)

    def get_additional_data(self) -> dict:
        return {"partnership": self.run.partnership_id}


class SubjectAccessRequest(_BusinessUnitOnly):
    """Someone asked what Jigsaw holds about them: who asked on their behalf, whom it is about,
    and what was found. The export itself is built when it is downloaded, never stored."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="subject_access_requests")
    subject = models.CharField(
        "email address or full name",
        max_length=200,
        help_text="Jigsaw finds the person by this exactly (not case-sensitive), in every kind of record.",
    )
    reference = models.CharField(
        "your reference", max_length=100, blank=True, help_text="Your organisation's reference for the request."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    found = models.JSONField(default=dict, blank=True, help_text="{kind of record: how many}, when requested.")
    downloads = models.PositiveSmallIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Subject access request of {self.requested_at:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:request", args=[self.partnership.slug, self.pk])

    @property
    def found_total(self) -> int:
        return sum(self.found.values())
