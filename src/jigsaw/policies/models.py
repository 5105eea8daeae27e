"""The procedures library, the newsletter and professional-disagreement escalations.

A Document (procedure, practice guidance, protocol, template, threshold document) has Versions;
the one the public sees is `current_version`, set only when an approved version is published.
A version says why it changed through VersionTrigger rows: a generic link to the record that
triggered it (a horizon-scanning item, a case review, a learning cycle, an audit, an action),
so this app imports no other capability's models.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.core import boundary
from jigsaw.core.models import Agency, Partnership, Person, Theme, User
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, Role, ScopedManager
from jigsaw.governance.models import Group

MAPP_GROUP = "Multi-agency Policy and Procedure group"


class DocumentKind(models.TextChoices):
    PROCEDURE = "procedure", "Procedure"
    PRACTICE_GUIDANCE = "practice_guidance", "Practice guidance"
    PROTOCOL = "protocol", "Protocol"
    TEMPLATE = "template", "Template"
    THRESHOLD = "threshold", "Threshold document"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out for consultation"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out for consultation"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


def _staff_rule(access, action):
    """Signed-in partnership roles read the library; the business unit keeps it. The public
    (and practitioners) read what is published."""
    if Role.BUSINESS_UNIT in access.roles:
        return ALL
    if action == Action.VIEW and access.roles & {Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD}:
        return ALL
    return None


class Document(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.PROCEDURE)
    summary = models.TextField(blank=True, help_text="One or two sentences for the library and the public site.")
    owning_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text="Leave blank for the Multi-agency Policy and Procedure group.",
    )
    joint_partner = models.CharField(
        max_length=200, blank=True, help_text="A partnership it is adapted for jointly, for example Darlington."
    )
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_documents",
        help_text="Who is reminded when its review falls due.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_interval_months = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    review_due_on = models.DateField(null=True, blank=True)
    current_version = models.ForeignKey(
        "Version", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    same_partnership = ("owning_group", "owner", "current_version")

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["partnership", "title"], name="policies_document_unique_title")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:document", args=[self.partnership.slug, self.pk])

    def get_public_url(self) -> str:
        return reverse("policies:public-document", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.current_version_id is not None

    @property
    def review_overdue(self) -> bool:
        return bool(self.review_due_on and self.review_due_on < timezone.localdate())

    @classmethod
    def scope_rule(cls, access, action):
        rule = _staff_rule(access, action)
        if rule is not None:
            return rule
        if action == Action.VIEW:
            return Q(status=Status.PUBLISHED, current_version__isnull=False)
        return NOTHING


class Version(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(editable=False)
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    body = models.TextField(
        blank=True, help_text="Written in Markdown: # for a heading, - for a list, a blank line between paragraphs."
    )
    plain_text = models.TextField(blank=True, editable=False)  # the body's words, for search
    effective_on = models.DateField("effective date")
    what_changed = models.TextField(
        "what changed and why", help_text="In plain words, for the reader of the public site."
    )
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    partnership_path = "document__partnership"

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="policies_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.document} (version {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("policies:version", args=[self.document.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.document.partnership_id}

    def clean(self) -> None:
        if self.document_id and self.effective_on:
            previous = self.document.versions.exclude(pk=self.pk)
            if self.number:
                previous = previous.filter(number__lt=self.number)
            latest = previous.order_by("-effective_on").values_list("effective_on", flat=True).first()
            if latest and self.effective_on < latest:
                raise ValidationError(
                    {
                        "effective_on": f"The effective date cannot be before the previous version's ({latest:%-d %B %Y})."
                    }
                )

    @property
    def is_editable(self) -> bool:
        return self.status in (VersionStatus.DRAFT, VersionStatus.CONSULTATION)

    @classmethod
    def scope_rule(cls, access, action):
        rule = _staff_rule(access, action)
        if rule is not None:
            return rule
        if action == Action.VIEW:
            return Q(status=VersionStatus.PUBLISHED, document__status=Status.PUBLISHED)
        return NOTHING


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"


def _attachment_path(instance, filename):
    return f"policies/{instance.version.document.partnership_id}/{instance.version_id}/{filename}"


class Attachment(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_attachment_path)
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices, editable=False)
    size = models.PositiveIntegerField(editable=False)

    objects = ScopedManager()
    partnership_path = "version__document__partnership"

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict:
        return {"partnership": self.version.document.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        rule = _staff_rule(access, action)
        if rule is not None:
            return rule
        if action == Action.VIEW:
            # Only the attachments of the version the public site shows.
            return Q(version__status=VersionStatus.PUBLISHED, version__document__status=Status.PUBLISHED)
        return NOTHING


class VersionTrigger(models.Model):
    """Why a version changed: the record that triggered it, or a label where it is not in Jigsaw."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="triggers")
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    label = models.CharField(
        max_length=300, help_text="What triggered it, for example 'Operation Esdras multi-agency audit'."
    )

    objects = ScopedManager()
    partnership_path = "version__document__partnership"

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return self.label

    def get_additional_data(self) -> dict:
        return {"partnership": self.version.document.partnership_id}

    def clean(self) -> None:
        if (self.source_type_id is None) != (self.source_id is None):
            raise ValidationError({"source_id": "Give both the kind of record and its number, or neither."})
        if self.source_type_id and self.source_id:
            # A record that does not exist and one of another partnership get the same answer.
            target = self.source_type.model_class()
            record = target._base_manager.filter(pk=self.source_id).first() if target else None
            if record is None or boundary.partnership_id_of(record) != boundary.partnership_id_of(self):
                raise ValidationError({"source_id": boundary.not_ours(target or type(self))})

    @property
    def source_url(self) -> str | None:
        record = self.source if self.source_id else None
        return getattr(record, "get_absolute_url", lambda: None)() if record is not None else None

    @classmethod
    def scope_rule(cls, access, action):
        rule = _staff_rule(access, action)
        if rule is not None:
            return rule
        if action == Action.VIEW:
            return Q(version__status=VersionStatus.PUBLISHED, version__document__status=Status.PUBLISHED)
        return NOTHING


class ReviewReminder(models.Model):
    """A review reminder sent to a document's owner: one per document and due date, so a job
    that runs again sends nothing twice."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reminders")
    review_due_on = models.DateField()
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()
    partnership_path = "document__partnership"

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["document", "review_due_on"], name="policies_reminder_once")]

    def __str__(self) -> str:
        return f"Review reminder for {self.document} (due {self.review_due_on})"

    def get_additional_data(self) -> dict:
        return {"partnership": self.document.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        rule = _staff_rule(access, action)
        return NOTHING if rule is None else rule


class Consultation(models.Model):
    version = models.OneToOneField(Version, on_delete=models.CASCADE, related_name="consultation")
    agencies = models.ManyToManyField(Agency, related_name="consultations")
    opened_on = models.DateField(default=timezone.localdate)
    closes_on = models.DateField("closing date")

    objects = ScopedManager()
    same_partnership = ("agencies",)
    partnership_path = "version__document__partnership"

    class Meta:
        ordering = ["-closes_on"]

    def __str__(self) -> str:
        return f"Consultation on {self.version}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.version.document.partnership_id}

    def clean(self) -> None:
        if self.closes_on and self.closes_on < timezone.localdate():
            raise ValidationError({"closes_on": "The closing date cannot be in the past."})

    @property
    def is_open(self) -> bool:
        return self.closes_on >= timezone.localdate()

    @classmethod
    def scope_rule(cls, access, action):
        rule = _staff_rule(access, action)
        return NOTHING if rule is None else rule


class ConsultationComment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField()
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    partnership_path = "consultation__version__document__partnership"
    same_partnership = ("agency",)

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"Comment from {self.agency}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.consultation.version.document.partnership_id}

    def clean(self) -> None:
        if (
            self.consultation_id
            and self.agency_id
            and not self.consultation.agencies.filter(pk=self.agency_id).exists()
        ):
            raise ValidationError({"agency": "Only the agencies named in the consultation can comment."})

    @classmethod
    def scope_rule(cls, access, action):
        rule = _staff_rule(access, action)
        return NOTHING if rule is None else rule


# The newsletter --------------------------------------------------------------------------


class Topic(models.TextChoices):
    PROCEDURES = "procedures", "Procedures and practice guidance"
    LEARNING = "learning briefings", "Learning briefings"
    TRAINING = "training", "Training"
    REPORTS = "reports", "Reports"


class Subscriber(models.Model):
    """Someone who asked for the newsletter: an email address and topics, no account."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="subscribers")
    email = models.EmailField()
    topics = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(fields=["partnership", "email"], name="policies_subscriber_once")]

    def __str__(self) -> str:
        return self.email

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def clean(self) -> None:
        unknown = set(self.topics or []) - set(Topic.values)
        if not self.topics or unknown:
            raise ValidationError({"topics": "Choose at least one topic."})

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @classmethod
    def scope_rule(cls, access, action):
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class DigestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Digest(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="digests")
    subject = models.CharField(max_length=200)
    period_start = models.DateField("from")
    period_end = models.DateField("to")
    topics = models.JSONField(default=list)
    body = models.TextField(help_text="Markdown. Pre-filled with what was published in the period; edit freely.")
    status = models.CharField(max_length=10, choices=DigestStatus.choices, default=DigestStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("policies:digest", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def clean(self) -> None:
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "The end of the period cannot be before its start."
        if not self.topics or set(self.topics) - set(Topic.values):
            errors["topics"] = "Choose at least one topic."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_rule(cls, access, action):
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class Delivery(models.Model):
    """One digest to one subscriber. The row is claimed before the email is sent, and the
    unique constraint means a rerun can never make a second row, so nobody gets it twice."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    claim = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    partnership_path = "digest__partnership"
    same_partnership = ("subscriber",)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["digest", "subscriber"], name="policies_delivery_once")]

    def __str__(self) -> str:
        return f"{self.digest} to {self.subscriber}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.digest.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


# Professional disagreements --------------------------------------------------------------

STAGES = [
    (1, "Stage 1: practitioner to practitioner"),
    (2, "Stage 2: line managers"),
    (3, "Stage 3: senior managers or designated leads"),
    (4, "Stage 4: the independent scrutineer"),
]


class Escalation(models.Model):
    """A professional disagreement under the resolution procedure. The child is identified by
    the partnership's reference only: there is deliberately no name field."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="escalations")
    reference = models.CharField(max_length=20, blank=True, editable=False)
    raising_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="escalations_raised")
    practitioner_role = models.CharField("role of the practitioner raising it", max_length=200)
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="escalations_received")
    child_reference = models.CharField(
        "child's partnership reference", max_length=40, help_text="The reference only: never a name."
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="escalations")
    concern = models.TextField("what the disagreement is about", blank=True)
    stage = models.PositiveSmallIntegerField(choices=STAGES, default=1)
    stage1_on = models.DateField("stage 1 reached")
    stage2_on = models.DateField("stage 2 reached", null=True, blank=True)
    stage3_on = models.DateField("stage 3 reached", null=True, blank=True)
    stage4_on = models.DateField("stage 4 reached", null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    objects = ScopedManager()
    same_partnership = ("raising_agency", "receiving_agency", "theme")

    class Meta:
        ordering = ["-stage1_on", "-pk"]

    def __str__(self) -> str:
        return self.reference or f"Escalation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("policies:escalation", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def stage_on(self, stage: int) -> datetime.date | None:
        return getattr(self, f"stage{stage}_on")

    @property
    def days_to_resolution(self) -> int | None:
        return (self.resolved_on - self.stage1_on).days if self.resolved_on and self.stage1_on else None

    def clean(self) -> None:
        errors = {}
        if self.raising_agency_id and self.raising_agency_id == self.receiving_agency_id:
            errors["receiving_agency"] = "The receiving agency must be another agency."
        previous = self.stage1_on
        for stage in range(2, 5):
            reached = self.stage_on(stage)
            if reached and previous and reached < previous:
                errors[f"stage{stage}_on"] = f"Stage {stage} cannot be reached before stage {stage - 1}."
            previous = reached or previous
        if self.resolved_on and self.stage1_on and self.resolved_on < previous:
            errors["resolved_on"] = "The resolution date cannot be before the last stage was reached."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_rule(cls, access, action):
        roles = access.roles
        if Role.BUSINESS_UNIT in roles:
            return ALL
        if action == Action.VIEW and roles & {Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER}:
            return ALL
        if Role.AGENCY_LEAD in roles:
            return Q(raising_agency_id__in=access.agency_ids) | Q(receiving_agency_id__in=access.agency_ids)
        return NOTHING


class SitePageKind(models.TextChoices):
    """The pages every public site's footer links to (the order is the footer's)."""

    PRIVACY = "privacy", "Privacy notice"
    ACCESSIBILITY = "accessibility", "Accessibility statement"
    COOKIES = "cookies", "Cookies"
    CONTACT = "contact", "Contact"


class SitePage(models.Model):
    """One of the public site's footer pages, written by the business unit in markdown."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="site_pages")
    kind = models.CharField(max_length=20, choices=SitePageKind.choices)
    body = models.TextField(
        help_text="Markdown: '## Heading' for a section, '- ' for a list, [text](address) for a link."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "kind"], name="one_site_page_of_each_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return ALL  # the public site's own pages: public whoever asks
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def get_absolute_url(self) -> str:
        return reverse("policies:public-page", args=[self.partnership.slug, self.kind])
