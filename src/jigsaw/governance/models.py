"""The partnership's structure (groups) and its business plan (priorities and golden threads).

Other apps link to these: a learning cycle belongs to a priority, an indicator or a course
serves priorities and golden threads, an action escalates to a group.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from jigsaw.core import uploads
from jigsaw.core.dates import add_months
from jigsaw.core.models import Agency, Partnership, Person
from jigsaw.core.periods import FinancialYear
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, PartnershipRecord, Role, ScopedManager, slug_for


class GroupKind(models.TextChoices):
    LEADERSHIP = "leadership", "Lead safeguarding partners"
    EXECUTIVE = "executive", "Executive"
    SUBGROUP = "subgroup", "Subgroup"
    PANEL = "panel", "Panel"
    TASK_AND_FINISH = "task_and_finish", "Task and finish group"
    FORUM = "forum", "Forum or network"


class Group(PartnershipRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30, blank=True, help_text="As people say it, for example PLG.")
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="reports to"
    )
    remit = models.TextField(blank=True)
    terms_of_reference = models.TextField(blank=True)
    terms_of_reference_review_on = models.DateField(
        "terms of reference next review", null=True, blank=True, help_text="Terms of reference are reviewed every year."
    )
    joint_with = models.CharField(
        "run jointly with",
        max_length=200,
        blank=True,
        help_text="A neighbouring partnership this group is governed jointly with, for example Darlington Safeguarding Partnership.",
    )
    partners = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="joint_groups",
        verbose_name="partnerships running it jointly",
        help_text="Partnerships in Jigsaw this group is run with: one group, seen by the partners of each, its "
        "meetings, attendance, papers and decisions shared with them.",
    )
    chair_term_months = models.PositiveSmallIntegerField(
        "chair term (months)",
        null=True,
        blank=True,
        help_text="When the chair rotates, how long each chair serves: 12 for a yearly rotation.",
    )

    same_partnership = ("parent",)
    # The sharing rule (docs/access.md): a joint group, and its meetings and their parts below, are
    # read by the partners of each partnership running it; only the partnership it belongs to changes them.
    shared_path = "partners"

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="group_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:group", args=[slug_for(self), self.pk])

    def running_with(self, partnership) -> list[str]:
        """The other partnerships running the group, as `partnership`'s people read it: where it is
        kept first (when not theirs), then the partners other than themselves."""
        others = [p.name for p in sorted(self.partners.all(), key=lambda p: p.name) if p.pk != partnership.pk]
        if self.partnership_id != partnership.pk:
            others.insert(0, f"{self.partnership} (where it is kept)")
        return others

    @property
    def terms_of_reference_overdue(self) -> bool:
        return bool(self.terms_of_reference_review_on and self.terms_of_reference_review_on < datetime.date.today())

    def clean(self) -> None:
        if self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": "A group cannot report to itself or to a group below it."})
                ancestor = ancestor.parent


class BusinessPlan(PartnershipRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="business_plans")
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:plan", args=[self.partnership.slug, self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "The plan must end after it starts."})


class Priority(PartnershipRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="priorities")
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    why = models.TextField("why it is a priority", blank=True)
    outcomes = models.TextField("outcomes we want", blank=True)

    same_partnership = ("plan",)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="priority_unique_number")]

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()


class GoldenThread(PartnershipRecord):
    """A theme that runs through every priority (the report's 'golden threads')."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="golden_threads")
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="golden_threads")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Where it comes in the plan's list.")

    same_partnership = ("plan",)

    class Meta:
        ordering = ["plan", "position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()


# --- The structure: terms of reference, chairs and members -------------------------------------


class MembershipRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser"


def current_chair_groups(access):
    """The groups `access` chairs today, through their memberships (a subquery of ids)."""
    today = datetime.date.today()
    return (
        Membership._base_manager.filter(
            person__user=access.user,
            role=MembershipRole.CHAIR,
            starts_on__lte=today,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("group_id")
    )


def seat_groups(access):
    """The groups `access` sits or sat on, in any seat (a subquery of ids)."""
    return Membership._base_manager.filter(person__user=access.user, partnership=access.partnership).values("group_id")


class Membership(PartnershipRecord):
    """A person's seat on a group: their role, the agency they represent and for how long."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="group_memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="group_memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name="agency represented",
        help_text="Leave blank to use the person's own agency.",
    )
    starts_on = models.DateField("starts")
    ends_on = models.DateField(
        "ends",
        null=True,
        blank=True,
        help_text="Leave blank while the seat is open-ended (a chair's end date is worked out from the group's chair term).",
    )

    same_partnership = ("group", "person", "agency")
    # A partnership running a group jointly seats its own people on it (docs/access.md): the seat
    # is that partnership's record (its person, its agency, changed only there) on the other's group.
    shared_in = ("group",)
    # Read by every partnership running the group: the partners it is shared with, and the
    # partnership the group belongs to (which reads the seats its partners hold on it).
    shared_path = ("group__partners", "group__partnership")

    class Meta:
        ordering = ["group", "role", "person__name"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.group})"

    def get_absolute_url(self) -> str:
        return self.group.get_absolute_url()

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date must be on or after the start date."
        if errors:
            raise ValidationError(errors)
        if self.role == MembershipRole.CHAIR and self.group_id and self.starts_on:
            term = self.group.chair_term_months
            if term and self.ends_on and self.ends_on > add_months(self.starts_on, term) - datetime.timedelta(days=1):
                last = add_months(self.starts_on, term) - datetime.timedelta(days=1)
                raise ValidationError(
                    {"ends_on": f"A chair of {self.group} serves {term} months: end this term by {last:%-d %B %Y}."}
                )
            others = Membership._base_manager.filter(group_id=self.group_id, role=MembershipRole.CHAIR).exclude(
                pk=self.pk
            )
            mine_end = self.ends_on or datetime.date.max
            for other in others.select_related("person"):
                if other.starts_on <= mine_end and (other.ends_on or datetime.date.max) >= self.starts_on:
                    until = f" to {other.ends_on:%-d %B %Y}" if other.ends_on else " with no end date"
                    raise ValidationError(
                        {
                            "starts_on": f"{other.person} chairs {self.group} from {other.starts_on:%-d %B %Y}{until}: chair terms in one group may not overlap."
                        }
                    )

    @property
    def represented_agency(self):
        return self.agency or self.person.agency


# --- Meetings ----------------------------------------------------------------------------------


class _MeetingRecord(models.Model):
    """Seen by the business unit, the scrutineer and whoever holds (or held) a seat on the
    meeting's group; recorded by the business unit, or by the chair of the meeting's group
    (through their current chair membership)."""

    objects = ScopedManager()
    group_path = "group_id"  # how the record reaches its group

    class Meta:
        abstract = True

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            if access.roles & {Role.BUSINESS_UNIT, Role.SCRUTINEER}:
                return ALL
            if access.roles & {Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD}:
                return Q(**{f"{cls.group_path}__in": seat_groups(access)})
            return NOTHING
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if Role.GROUP_CHAIR in access.roles:
            return Q(**{f"{cls.group_path}__in": current_chair_groups(access)})
        return NOTHING


class Meeting(_MeetingRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("date")
    location = models.CharField(max_length=200, blank=True, help_text="A room, or 'Microsoft Teams'.")
    minutes = models.TextField(blank=True)

    # The actions raised at the meeting (the learning log's source), so that a joint group's are
    # shared as its meetings are (`LearningAction.shared_path`). Meetings are never deleted.
    raised_actions = GenericRelation(
        "actions.LearningAction",
        content_type_field="source_type",
        object_id_field="source_id",
        related_query_name="raised_at_meeting",
    )

    same_partnership = ("group",)
    shared_path = "group__partners"

    class Meta:
        ordering = ["-held_on", "group__name"]

    def __str__(self) -> str:
        return f"{self.group}, {self.held_on:%-d %B %Y}" if self.group_id and self.held_on else "Meeting"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[slug_for(self), self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}


class _MeetingPart(_MeetingRecord):
    partnership_path = "meeting__partnership"
    group_path = "meeting__group_id"
    shared_path = "meeting__group__partners"

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict:
        return {"partnership": self.meeting.partnership_id}

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


class AgendaItem(_MeetingPart):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    presenter = models.CharField(
        max_length=200, blank=True, help_text="Who introduces it, for example 'Business Manager'."
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Decision(_MeetingPart):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    description = models.TextField("what was decided")

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


def validate_paper(file) -> None:
    """A paper is a PDF, Word, Excel or PowerPoint file, shown to be one by its content (core's upload policy)."""
    uploads.PAPERS.check(file)


class Paper(_MeetingPart):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(
        upload_to="governance/papers/%Y/",
        validators=[validate_paper],
        help_text="PDF, Word, Excel or PowerPoint; 20 MB at most.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper()


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    DEPUTY = "deputy", "Sent a deputy"
    ABSENT = "absent", "Absent"


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)  # the agency was at the table


class Attendance(_MeetingPart):
    """Whether one expected attendee came: the agency counts as attending when a deputy came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meeting_attendance")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendance",
        verbose_name="agency represented",
    )
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    deputy_name = models.CharField("deputy's name", max_length=200, blank=True)

    same_partnership = ("person", "agency")
    # The register of a joint group's meeting names the people its partners seat on the group.
    joint_seat = ("person", "agency")

    def joint_seats_of(self, partnership_id):
        """The seats `partnership_id` holds on the meeting's group while running it jointly."""
        return Membership._base_manager.filter(
            group_id=self.meeting.group_id,
            partnership_id=partnership_id,
            partnership__joint_groups=self.meeting.group_id,
        )

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name_plural = "attendance"
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"

    def clean(self) -> None:
        errors = {}
        if self.status == AttendanceStatus.DEPUTY and not self.deputy_name.strip():
            errors["deputy_name"] = "Enter the name of the deputy who attended."
        if self.status != AttendanceStatus.DEPUTY and self.deputy_name.strip():
            errors["deputy_name"] = "Only give a deputy's name when a deputy attended."
        if errors:
            raise ValidationError(errors)


# --- Budget ------------------------------------------------------------------------------------


def validate_financial_year(value: str) -> None:
    try:
        year = FinancialYear.parse(value)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    if year.label != value:
        raise ValidationError(f"Write the financial year as {year.label}.")


class _BudgetRecord(models.Model):
    """Money: the business unit keeps it, the independent scrutineer reads it."""

    objects = ScopedManager()

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if action == Action.VIEW and Role.SCRUTINEER in access.roles:
            return ALL
        return NOTHING

    def clean_amount(self) -> None:
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "The amount cannot be negative."})


class Contribution(_BudgetRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="contributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contributions")
    financial_year = models.CharField(
        max_length=7, validators=[validate_financial_year], help_text="For example 2024-25."
    )
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True, help_text="For example a contribution in kind given as well.")

    same_partnership = ("agency",)

    class Meta:
        ordering = ["-financial_year", "-amount"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "agency", "financial_year"], name="contribution_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.financial_year}" if self.agency_id else f"Contribution {self.financial_year}"

    def clean(self) -> None:
        self.clean_amount()
        if (
            self.agency_id
            and self.financial_year
            and Contribution._base_manager.filter(agency_id=self.agency_id, financial_year=self.financial_year)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"agency": f"{self.agency} already has a contribution for {self.financial_year}: change that one."}
            )


class IncomeLine(_BudgetRecord):
    """Income other than partners' contributions, such as training charges."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="income_lines")
    financial_year = models.CharField(
        max_length=7, validators=[validate_financial_year], help_text="For example 2024-25."
    )
    description = models.CharField(max_length=200)
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)
    is_forecast = models.BooleanField("this is a forecast", default=False)

    class Meta:
        ordering = ["-financial_year", "description"]

    def __str__(self) -> str:
        return f"{self.description} {self.financial_year}"

    def clean(self) -> None:
        self.clean_amount()


# --- Information sharing agreements ------------------------------------------------------------


class AgreementTier(models.IntegerChoices):
    TIER_1 = 1, "Tier 1 (strategic, overarching)"
    TIER_2 = 2, "Tier 2 (a specific topic)"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNING = "signing", "Out for signature"
    IN_FORCE = "in_force", "In force"
    RETIRED = "retired", "Retired"


class SharingAgreement(PartnershipRecord):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="sharing_agreements")
    title = models.CharField(max_length=200)
    tier = models.PositiveSmallIntegerField(choices=AgreementTier.choices)
    topic = models.CharField(
        max_length=200, help_text="For example 'Harm outside the home', or 'All safeguarding information' for tier 1."
    )
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    review_due_on = models.DateField("review due", null=True, blank=True)

    class Meta:
        ordering = ["tier", "title"]
        verbose_name = "information sharing agreement"
        constraints = [models.UniqueConstraint(fields=["partnership", "title"], name="sharing_agreement_unique_title")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:agreement", args=[self.partnership.slug, self.pk])


class Signatory(PartnershipRecord):
    """An agency committed to an agreement: who signed for it and when."""

    partnership_path = "agreement__partnership"
    agreement = models.ForeignKey(SharingAgreement, on_delete=models.CASCADE, related_name="signatories")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sharing_signatures")
    signed_on = models.DateField("date signed", null=True, blank=True, help_text="Leave blank until it is signed.")
    signatory_name = models.CharField("signed by", max_length=200, blank=True)

    same_partnership = ("agency",)

    class Meta:
        ordering = ["agreement", "agency__name"]
        verbose_name_plural = "signatories"
        constraints = [models.UniqueConstraint(fields=["agreement", "agency"], name="signatory_unique_agency")]

    def __str__(self) -> str:
        return f"{self.agency} ({self.agreement})"

    def get_additional_data(self) -> dict:
        return {"partnership": self.agreement.partnership_id}

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url()

    def clean(self) -> None:
        errors = {}
        if (
            self.agency_id
            and self.agreement_id
            and Signatory._base_manager.filter(agreement_id=self.agreement_id, agency_id=self.agency_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["agency"] = f"{self.agency} is already a signatory."
        if self.signed_on and not self.signatory_name.strip():
            errors["signatory_name"] = "Enter who signed for the agency."
        if errors:
            raise ValidationError(errors)


# --- Regions: partnerships comparing the aggregate figures each chose to share --------------------


class RegionalFigureFamily(models.TextChoices):
    """The aggregate figures a partnership may share with its region (never a record)."""

    INDICATORS = "indicators", "Indicators per 10,000 children"
    SELF_ASSESSMENT = "self_assessment", "Section 11: % green by section and return rate"
    TRAINING = "training", "Training completions per 1,000 of the workforce"
    CLOCKS = "clocks", "Statutory clocks met on time"
    ACTIONS = "actions", "Actions assured"


class Region(models.Model):
    """A region of partnerships (the North East's twelve) that compare their figures."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    objects = ScopedManager()
    partnership_path = None  # a region belongs to no one partnership

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"partnership": None}

    @classmethod
    def scope_rule(cls, access, action):
        # A name to opt in to; set up by the platform (the demo, the services), not by a partnership.
        if action == Action.VIEW:
            return ALL if access.is_partner else NOTHING
        return NOTHING


class RegionMembership(PartnershipRecord):
    """A partnership's opt-in to a region, and which of its figures it shares there."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="region_memberships")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="memberships")
    shared = models.JSONField(
        "figures shared",
        default=list,
        blank=True,
        help_text="The kinds of aggregate figure shared with the region; the others never leave the partnership.",
    )
    workforce = models.PositiveIntegerField(
        "children's workforce",
        null=True,
        blank=True,
        help_text="How many people work with children across the partnership: training completions are compared per 1,000 of them.",
    )
    computed_at = models.DateTimeField("figures last computed", null=True, blank=True)
    computed_year = models.CharField(max_length=9, blank=True)

    # The sharing rule (docs/access.md): the region's other partnerships read that a partnership is
    # in it, what kinds of figure it shares and when it last computed them; only it changes them.
    shared_path = "region__memberships__partnership"

    class Meta:
        ordering = ["region__name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "region"], name="region_membership_unique")]

    def __str__(self) -> str:
        return f"{self.partnership} in {self.region}"

    def get_absolute_url(self) -> str:
        return reverse("governance:region", args=[self.partnership.slug])

    def clean(self) -> None:
        super().clean()
        unknown = [value for value in self.shared or [] if value not in RegionalFigureFamily.values]
        if unknown:
            raise ValidationError({"shared": f"Choose from the figures listed, not {', '.join(map(str, unknown))}."})


class RegionalFigure(PartnershipRecord):
    """One aggregate figure a partnership shares with its region, as last computed from its own
    figures. The one kind of record read across partnerships: by the partners of every member
    partnership of the region (the sharing rule, `shared_path`), and only while shared."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="figures")
    family = models.CharField(max_length=20, choices=RegionalFigureFamily.choices)
    label = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(max_digits=12, decimal_places=1, null=True)
    year = models.CharField(max_length=9)
    computed_at = models.DateTimeField()

    # The sharing rule (docs/access.md): a partnership's partners read the figures of every
    # partnership in a region it belongs to.
    shared_path = "region__memberships__partnership"

    class Meta:
        ordering = ["family", "position", "label", "partnership__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "region", "family", "label"], name="regional_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("governance:region", args=[self.partnership.slug])
