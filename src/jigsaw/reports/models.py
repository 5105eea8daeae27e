"""The annual report: ordered sections of narrative and data blocks, checked against Working
Together 2023, reviewed, signed off by the three lead safeguarding partners and published.

A published version is frozen: its sections can no longer change and the public page shows the
figures of the build it was published with. A new version can follow it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from jigsaw.core.models import Partnership, Person, StatutoryRole
from jigsaw.core.periods import FinancialYear
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, Role, ScopedManager

from .checklist import CHECKLIST_CODES
from .markup import block_names

# Who reads drafts (to comment, to check their agency's part) and who writes them.
READERS = frozenset({Role.BUSINESS_UNIT, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD, Role.SCRUTINEER})
COMMENTERS = frozenset({Role.BUSINESS_UNIT, Role.GROUP_CHAIR, Role.SCRUTINEER})


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SIGNED_OFF = "signed_off", "Signed off"
    PUBLISHED = "published", "Published"


# The three statutory safeguarding partners, each of whose lead signs the report off.
LEAD_PARTNERS = [StatutoryRole.LOCAL_AUTHORITY, StatutoryRole.ICB, StatutoryRole.POLICE]
LEAD_PARTNER_LABELS = {
    StatutoryRole.LOCAL_AUTHORITY: "Local authority",
    StatutoryRole.ICB: "Integrated care board",
    StatutoryRole.POLICE: "Police",
}


def validate_year(value: str) -> None:
    try:
        FinancialYear.parse(value)
    except ValueError as error:
        raise ValidationError(str(error)) from error


class Report(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reports")
    year = models.CharField(
        "financial year", max_length=7, validators=[validate_year], help_text="For example 2024-25."
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a section last changed: a report is published only from a build made after it.
    content_changed_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_build = models.ForeignKey("Build", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = ScopedManager()
    same_partnership = ("published_build",)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year", "version"], name="report_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.partnership.slug, self.pk])

    def get_public_url(self) -> str:
        return reverse("reports:public-report", args=[self.partnership.slug, self.year])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.parse(self.year, self.partnership.financial_year_start_month)

    @property
    def is_frozen(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    def clean(self) -> None:
        if self.year:
            try:
                self.year = FinancialYear.parse(self.year).label
            except ValueError:
                pass  # the field validator says why

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            if access.has_role(*READERS):
                return ALL
            return Q(status=ReportStatus.PUBLISHED)  # the public and practitioners
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class Section(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=10, help_text="Sections are shown in this order, lowest first.")
    heading = models.CharField(max_length=200)
    body = models.TextField(
        "narrative",
        blank=True,
        help_text="Markdown. Put a data block on a line of its own: {{ block training.completions.by_mode }}.",
    )
    covers = models.JSONField(
        default=list, blank=True, help_text="The Working Together 2023 checklist items this section covers."
    )

    objects = ScopedManager()
    partnership_path = "report__partnership"

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("reports:section", args=[self.report.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.report.partnership_id}

    @property
    def block_names(self) -> list[str]:
        return block_names(self.body)

    def clean(self) -> None:
        from jigsaw.core.figures import registry

        valid = registry()
        unknown = [name for name in self.block_names if name not in valid]
        if unknown:
            listing = ", ".join(valid) if valid else "none are available yet"
            raise ValidationError(
                {
                    "body": f"There is no data block called {', '.join(unknown)}. The data blocks you can insert are: {listing}."
                }
            )
        wrong = [code for code in self.covers or [] if code not in CHECKLIST_CODES]
        if wrong:
            raise ValidationError({"covers": f"Not a Working Together 2023 checklist item: {', '.join(wrong)}."})

    @classmethod
    def scope_rule(cls, access, action):
        return (
            Report.scope_rule(access, action)
            if action == Action.CHANGE
            else (ALL if access.has_role(*READERS) else Q(report__status=ReportStatus.PUBLISHED))
        )


class Comment(models.Model):
    """The scrutineer's or a group chair's comment on a section, for the business unit to act on."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("comment")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    partnership_path = "section__report__partnership"

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.section}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.section.report.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return ALL if access.has_role(*READERS) else NOTHING
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        return Q(author=access.user) if access.has_role(*COMMENTERS) else NOTHING


class SignOff(models.Model):
    """One lead safeguarding partner's sign-off: who signed, for which partner, and when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sign_offs")
    lead_partner = models.CharField(
        max_length=30, choices=[(role, LEAD_PARTNER_LABELS[role]) for role in LEAD_PARTNERS]
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", help_text="The lead safeguarding partner who signed."
    )
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    partnership_path = "report__partnership"
    same_partnership = ("person",)

    class Meta:
        ordering = ["lead_partner"]
        constraints = [models.UniqueConstraint(fields=["report", "lead_partner"], name="sign_off_once_per_partner")]

    def __str__(self) -> str:
        return f"{self.get_lead_partner_display()}: {self.person}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.report.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return ALL if access.has_role(*READERS) else NOTHING
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Building"
    SUCCEEDED = "succeeded", "Built"
    FAILED = "failed", "Failed"


OUTPUT_FILES = {
    "pdf": ("report.pdf", "application/pdf", "PDF (tagged, accessible)"),
    "docx": (
        "report.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document (editable)",
    ),
    "html": ("report.html", "text/html; charset=utf-8", "Web page (one file)"),
    "json": ("figures.json", "application/json", "Figures (JSON)"),
}


class Build(models.Model):
    """One run of the build: when, by whom, how it went, and exactly which data it used."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="builds")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    blocks = models.JSONField(
        default=dict, blank=True, help_text="Each data block as built: its table, chart and figures."
    )
    figures = models.JSONField(default=dict, blank=True, help_text="The content of figures.json.")
    output_dir = models.CharField(max_length=300, blank=True, help_text="Its folder in the file store.")

    objects = ScopedManager()
    partnership_path = "report__partnership"

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Build {self.pk} of {self.report}"

    def get_absolute_url(self) -> str:
        return reverse("reports:build", args=[self.report.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.report.partnership_id}

    @property
    def is_finished(self) -> bool:
        return self.status in (BuildStatus.SUCCEEDED, BuildStatus.FAILED)

    def output_name(self, kind: str) -> str:
        """The document's name in the file store (jigsaw.core.files)."""
        return f"{self.output_dir}/{OUTPUT_FILES[kind][0]}" if self.output_dir else ""

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return (
                ALL
                if access.has_role(*READERS)
                else Q(report__status=ReportStatus.PUBLISHED, report__published_build=models.F("pk"))
            )
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING
