"""The partnership's structure (groups) and its business plan (priorities and golden threads).

Other apps link to these: a learning cycle belongs to a priority, an indicator or a course
serves priorities and golden threads, an action escalates to a group.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from jigsaw.core.models import Partnership
from jigsaw.core.scoping import ALL, NOTHING, Action, Role, ScopedManager


class _PartnershipRecord(models.Model):
    """Readable by everyone with a role in the partnership; kept by the business unit."""

    objects = ScopedManager()

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return ALL if access.roles else NOTHING
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class GroupKind(models.TextChoices):
    LEADERSHIP = "leadership", "Lead safeguarding partners"
    EXECUTIVE = "executive", "Executive"
    SUBGROUP = "subgroup", "Subgroup"
    PANEL = "panel", "Panel"
    TASK_AND_FINISH = "task_and_finish", "Task and finish group"
    FORUM = "forum", "Forum or network"


class Group(_PartnershipRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30, blank=True, help_text="As people say it, for example PLG.")
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="reports to")
    remit = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="group_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id:
            if self.parent.partnership_id != self.partnership_id:
                raise ValidationError({"parent": "Choose a group of this partnership."})
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": "A group cannot report to itself or to a group below it."})
                ancestor = ancestor.parent


class BusinessPlan(_PartnershipRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="business_plans")
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "The plan must end after it starts."})


class Priority(_PartnershipRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="priorities")
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    why = models.TextField("why it is a priority", blank=True)
    outcomes = models.TextField("outcomes we want", blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="priority_unique_number")]

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"

    def clean(self) -> None:
        if self.plan_id and self.partnership_id and self.plan.partnership_id != self.partnership_id:
            raise ValidationError({"plan": "Choose a plan of this partnership."})


class GoldenThread(_PartnershipRecord):
    """A theme that runs through every priority (the report's 'golden threads')."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="golden_threads")
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="golden_threads")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.plan_id and self.partnership_id and self.plan.partnership_id != self.partnership_id:
            raise ValidationError({"plan": "Choose a plan of this partnership."})
