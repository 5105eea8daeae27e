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

from jigsaw.core.models import Agency, Partnership, Person, Theme
from jigsaw.core.scoping import ALL, NOTHING, Action as Do, Role, ScopedManager
from jigsaw.governance.models import GoldenThread, Group, Priority


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    ASSURED = "assured", "Assured"
    CLOSED_WITHOUT_ASSURANCE = "closed", "Closed without assurance"


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
    source_label = models.CharField(max_length=300, blank=True, help_text="What raised it, kept as text so the log reads well even if the source is archived.")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions", null=True, blank=True, help_text="Leave blank for a partnership-wide action.")
    owner_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="actions", null=True, blank=True)
    priority = models.CharField(max_length=10, choices=ActionPriority.choices, default=ActionPriority.MEDIUM)
    plan_priorities = models.ManyToManyField(Priority, blank=True, related_name="actions", verbose_name="business plan priorities")
    golden_threads = models.ManyToManyField(GoldenThread, blank=True, related_name="actions")
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions")
    raised_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    escalated_to = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True, related_name="escalated_actions")

    objects = ScopedManager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["source_type", "source_id"]), models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return self.reference or self.description[:60]

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def clean(self) -> None:
        errors = {}
        for name in ("owner_agency", "owner_person", "escalated_to"):
            related = getattr(self, name)
            if related is not None and related.partnership_id != self.partnership_id:
                errors[name] = "Choose one from this partnership."
        if self.due_on and self.raised_on and self.due_on < self.raised_on:
            errors["due_on"] = "The due date cannot be before the action was raised."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_rule(cls, access, action):
        roles = access.roles
        if Role.BUSINESS_UNIT in roles:
            return ALL
        if action == Do.VIEW:
            return ALL if roles - {Role.PRACTITIONER} else NOTHING
        if Role.AGENCY_LEAD in roles and access.agency_ids:
            return Q(owner_agency_id__in=access.agency_ids)
        return NOTHING
