"""The themed learning log: every action, whatever raised it.

An action's source is one generic link (content type + id), so a case review, a learning
cycle, an audit, a self-assessment return, an assurance week, a meeting or a scrutiny activity
can each raise actions and list its own through `services.action_raise` and
`queries.actions_for_source`.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.core.models import Agency, Partnership, Person, Theme, User
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Role, ScopedManager, slug_for
from jigsaw.core.scoping import Action as Do
from jigsaw.governance.models import GoldenThread, Group, Priority


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    ASSURED = "assured", "Assured"
    CLOSED_WITHOUT_ASSURANCE = "closed", "Closed without assurance"


# GOV.UK tag colours for each status.
STATUS_COLOURS = {
    Status.OPEN: "grey",
    Status.IN_PROGRESS: "blue",
    Status.COMPLETED: "green",
    Status.ASSURED: "turquoise",
    Status.CLOSED_WITHOUT_ASSURANCE: "orange",
}


class ActionPriority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class LearningAction(models.Model):
    """One thing that must change, who owns it, and how we will know it has."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="actions")
    reference = models.CharField(max_length=20, blank=True, help_text="Filled in when saved, for example LL-2024-017.")
    description = models.TextField("what must change")
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(
        max_length=300,
        blank=True,
        help_text="What raised it, kept as text so the log reads well even if the source is archived.",
    )
    owner_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="actions",
        null=True,
        blank=True,
        help_text="Leave blank for a partnership-wide action.",
    )
    owner_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="actions", null=True, blank=True)
    priority = models.CharField(max_length=10, choices=ActionPriority.choices, default=ActionPriority.MEDIUM)
    plan_priorities = models.ManyToManyField(
        Priority, blank=True, related_name="actions", verbose_name="business plan priorities"
    )
    golden_threads = models.ManyToManyField(GoldenThread, blank=True, related_name="actions")
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions")
    raised_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    escalated_to = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="escalated_actions"
    )
    escalated_on = models.DateField(null=True, blank=True)
    escalation_reason = models.TextField("why it was escalated", blank=True)
    completed_on = models.DateField(
        "date completed",
        null=True,
        blank=True,
        help_text="When the work was done: the 6- and 12-month assurance reviews are counted from it.",
    )
    evidence = models.TextField("evidence of completion", blank=True)
    closure_reason = models.TextField("why it was closed without assurance", blank=True)

    objects = ScopedManager()
    same_partnership = ("owner_agency", "owner_person", "escalated_to", "plan_priorities", "golden_threads", "themes")
    # The sharing rule (docs/access.md): an action raised at a joint group's meeting is read in each
    # partnership running the group, as the meeting is; changed only where it is kept.
    shared_path = "raised_at_meeting__group__partners"

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["source_type", "source_id"]), models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return self.reference or self.description[:60]

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[slug_for(self), self.pk])

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in (Status.OPEN, Status.IN_PROGRESS)

    @property
    def is_final(self) -> bool:
        return self.status in (Status.ASSURED, Status.CLOSED_WITHOUT_ASSURANCE)

    def clean(self) -> None:
        errors = {}
        if self.due_on and self.raised_on and self.due_on < self.raised_on:
            errors["due_on"] = "The due date cannot be before the action was raised."
        if self.completed_on and self.raised_on and self.completed_on < self.raised_on:
            errors["completed_on"] = "The completion date cannot be before the action was raised."
        if self.escalated_on and self.raised_on and self.escalated_on < self.raised_on:
            errors["escalated_on"] = "The escalation date cannot be before the action was raised."
        if self.status in (Status.COMPLETED, Status.ASSURED) and not self.evidence.strip():
            errors["evidence"] = "Describe the evidence that the action is complete."
        if self.status == Status.CLOSED_WITHOUT_ASSURANCE and not self.closure_reason.strip():
            errors["closure_reason"] = "Say why the action is closed without assurance."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_rule(cls, access, action):
        roles = access.roles
        if Role.BUSINESS_UNIT in roles:
            return ALL
        if action == Do.VIEW and access.is_partner:
            return ALL
        rule = Q(owner_person__user=access.user) if Role.PRACTITIONER in roles else None
        if action != Do.VIEW and Role.AGENCY_LEAD in roles and access.agency_ids:
            agency = Q(owner_agency_id__in=access.agency_ids)
            rule = agency if rule is None else rule | agency
        return NOTHING if rule is None else rule


def _through_action(access, action):
    """A record that belongs to an action is seen and changed by whoever may see or change it."""
    rule = LearningAction.scope_rule(access, action)
    if rule is NOTHING or rule == ALL:
        return rule
    return Q(action__in=LearningAction._base_manager.filter(rule).values("pk"))


class ActionEvent(models.Model):
    """One line of an action's history: raised, changed, progress, escalated, reviewed."""

    class Kind(models.TextChoices):
        RAISED = "raised", "Raised"
        UPDATED = "updated", "Details changed"
        STATUS = "status", "Status changed"
        EVIDENCE = "evidence", "Evidence added"
        ESCALATED = "escalated", "Escalated"
        REVIEWED = "reviewed", "Assurance review recorded"

    action = models.ForeignKey(LearningAction, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    summary = models.TextField()

    objects = ScopedManager()
    partnership_path = "action__partnership"
    shared_path = "action__raised_at_meeting__group__partners"  # as its action is

    class Meta:
        ordering = ["-happened_on", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_kind_display()}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.action.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        return _through_action(access, action)


def _evidence_path(instance, filename):
    return f"actions/evidence/{instance.action.partnership_id}/{instance.action_id}/{filename}"


class EvidenceFile(models.Model):
    """A file showing an action was done: a revised procedure, a briefing, an audit summary.

    Kept in the file store (jigsaw.core.files), served only through the scoped download page.
    Evidence uploaded before the file store was kept in the row itself (`content`) until
    `jigsaw move_files` moves it."""

    action = models.ForeignKey(LearningAction, on_delete=models.CASCADE, related_name="evidence_files")
    name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    size = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_evidence_path, blank=True, max_length=300)
    content = models.BinaryField(
        blank=True, default=b"", help_text="Evidence from before the file store, until `jigsaw move_files` moves it."
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ScopedManager()
    partnership_path = "action__partnership"
    shared_path = "action__raised_at_meeting__group__partners"  # as its action is

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actions:evidence-file", args=[slug_for(self.action), self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.action.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        return _through_action(access, action)


class ReviewKind(models.TextChoices):
    SIX_MONTH = "six_month", "6-month review"
    TWELVE_MONTH = "twelve_month", "12-month review"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class AssuranceReview(models.Model):
    """A 6- or 12-month look back at a completed action: has practice really changed?

    Both are scheduled when the action is completed; the action is assured only when its
    12-month review gives assurance.
    """

    action = models.ForeignKey(LearningAction, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    due_on = models.DateField()
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, blank=True)
    what_changed = models.TextField("what has changed in practice", blank=True)
    evidence = models.TextField(blank=True)
    assurance_given = models.BooleanField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="action_reviews")

    objects = ScopedManager()
    partnership_path = "action__partnership"
    shared_path = "action__raised_at_meeting__group__partners"  # as its action is
    same_partnership = ("reviewer",)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["action", "kind"], name="action_review_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.action}"

    def get_absolute_url(self) -> str:
        return self.action.get_absolute_url() + f"#review-{self.pk}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.action.partnership_id}

    @property
    def is_recorded(self) -> bool:
        return self.reviewed_on is not None

    def clean(self) -> None:
        errors = {}
        if self.reviewed_on and self.action.completed_on and self.reviewed_on < self.action.completed_on:
            errors["reviewed_on"] = "The review date cannot be before the action was completed."
        if self.assurance_given and not self.evidence.strip():
            errors["evidence"] = "Describe the evidence before giving assurance."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_rule(cls, access, action):
        if action == Do.VIEW:
            return _through_action(access, action)
        # The partnership seeks assurance: the business unit and group chairs record reviews.
        return ALL if access.has_role(Role.BUSINESS_UNIT, Role.GROUP_CHAIR) else NOTHING


class ReminderLog(models.Model):
    """One digest to one person on one day, claimed before it is sent: a second run the same
    day, even one running at the same moment, sends nothing."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="action_reminders")
    sent_on = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the run that claimed it is sending.")
    action_count = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    partnership_path = "person__partnership"

    class Meta:
        ordering = ["-sent_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "sent_on"], name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"Reminder to {self.person} on {self.sent_on}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.person.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if action == Do.VIEW and access.has_role(Role.BUSINESS_UNIT):
            return ALL
        return NOTHING
