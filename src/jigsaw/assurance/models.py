"""Assurance: the organisational safeguarding (section 11) self-assessment, the multi-agency
meeting assurance week and the monitoring of restraint at a secure setting.

Every record carries its partnership directly, so the one scoping helper, the audit trail and
the history pages treat it like any other record.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from jigsaw.core.models import Agency, Partnership, Person, Versioned
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, PartnershipRecord, Role


class _Record(PartnershipRecord):
    class Meta:
        abstract = True

    def url(self, name: str) -> str:
        return reverse(f"assurance:{name}", args=[self.partnership.slug, self.pk])


def _readers_and_business_unit(access, action, *, readers):
    """The business unit changes; `readers` (and the business unit) view."""
    if Role.BUSINESS_UNIT in access.roles:
        return ALL
    if action == Action.VIEW and access.roles & set(readers):
        return ALL
    return NOTHING


PARTNERSHIP_READERS = (Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD)


# --- Organisational safeguarding self-assessment -------------------------------------------------


class Framework(Versioned, _Record):
    """One version of the self-assessment tool. Editing a version that returns already use
    makes the next version (services.framework_editable); old returns keep theirs."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="assessment_frameworks")
    name = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    mapped_at = models.DateTimeField(
        "questions mapped to the previous version",
        null=True,
        blank=True,
        help_text="When the business unit said, question by question, which question of the previous version each "
        "one is (or that it has none): a return answered against one version is then shared with a partnership "
        "on the other.",
    )

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name", "version"], name="framework_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self) -> str:
        return self.url("framework")

    same_partnership = ("previous",)

    @classmethod
    def scope_rule(cls, access, action):
        # The questions are not sensitive: everyone with a role may read the tool.
        if action == Action.VIEW:
            return ALL if access.roles else NOTHING
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class Section(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(help_text="Sections are listed in this order, as in the report's table.")
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="section_unique_number")]

    def __str__(self) -> str:
        return self.title

    same_partnership = ("framework",)
    scope_rule = Framework.scope_rule


class Question(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField("question")
    code = models.CharField(
        "shared reference",
        max_length=30,
        blank=True,
        help_text="The question's reference in a tool shared with other partnerships, for example NE-3.2: questions "
        "with the same reference in two partnerships' tools are the same question, so a return shared between them "
        "carries its answer.",
    )
    guidance = models.TextField(blank=True)
    evidence_expected = models.TextField(blank=True, help_text="What a service would show to support its rating.")
    equivalent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="same question in the previous version",
        help_text="Blank with the version mapped: no equivalent there.",
    )

    class Meta:
        ordering = ["section__number", "number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="question_unique_number")]

    def __str__(self) -> str:
        return f"{self.section.number}.{self.number} {self.text[:80]}"

    @property
    def reference(self) -> str:
        return f"{self.section.number}.{self.number}"

    def clean(self) -> None:
        if self.equivalent_id and self.section_id:
            previous = self.section.framework.previous_id
            if previous is None or self.equivalent.section.framework_id != previous:
                raise ValidationError(
                    {"equivalent": f"Question {self.reference}: choose a question of the previous version of the tool."}
                )

    same_partnership = ("section", "equivalent")
    scope_rule = Framework.scope_rule


class Round(_Record):
    """The tool sent to services for one period, with a deadline."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="assessment_rounds")
    title = models.CharField(max_length=200)
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="rounds", help_text="The version of the tool this round uses."
    )
    period_start = models.DateField()
    period_end = models.DateField()
    deadline = models.DateField()

    class Meta:
        ordering = ["-period_start", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url("round")

    same_partnership = ("framework",)
    round_path = "pk"  # how a record reaches its round, for the scope rule FollowUpSession shares

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period must end on or after the day it starts."})

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW and access.roles == {Role.PRACTITIONER}:
            # The rounds they are invited to (a subquery: one row a round, however many returns).
            return Q(
                **{
                    f"{cls.round_path}__in": Return._base_manager.filter(participant__user=access.user).values(
                        "round_id"
                    )
                }
            )
        return _readers_and_business_unit(access, action, readers=PARTNERSHIP_READERS)


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Return(_Record):
    """One invited participant's return: created when they are invited, submitted once."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assessment_returns")
    service = models.CharField(
        max_length=200, help_text="The service within the agency, for example 'Early Help South'."
    )
    locality = models.CharField(max_length=100, blank=True)
    participant = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="assessment_returns", help_text="Who completes it."
    )
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers_saved_at = models.DateTimeField("last saved", null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
        help_text="The earlier return of the same agency and service this one started from.",
    )

    class Meta:
        ordering = ["agency__name", "service", "participant__name"]
        constraints = [models.UniqueConstraint(fields=["round", "participant"], name="return_one_per_participant")]

    def __str__(self) -> str:
        return f"{self.round}: {self.service} ({self.participant})"

    def get_absolute_url(self) -> str:
        return self.url("return")

    same_partnership = ("round", "agency", "participant", "carried_from")

    @classmethod
    def received(cls) -> Q:
        """The sharing rule (docs/access.md): a return filled by another partnership's shared
        return is read-only here once complete; one with local questions left stays open for them
        (its shared answers stay read-only, as Answer.received says)."""
        active = ReturnShare._base_manager.filter(withdrawn_at__isnull=True).values("target")
        return Q(pk__in=active, status=ReturnStatus.SUBMITTED)

    @property
    def is_submitted(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED

    @classmethod
    def scope_rule(cls, access, action):
        roles = access.roles
        if Role.BUSINESS_UNIT in roles:
            return ALL
        rule = None
        # A draft is seen by its participant and their agency lead only; they change it until it is submitted.
        if Role.AGENCY_LEAD in roles and access.agency_ids:
            rule = Q(agency_id__in=access.agency_ids)
        if Role.PRACTITIONER in roles or Role.AGENCY_LEAD in roles:
            own = Q(participant__user=access.user)
            rule = own if rule is None else rule | own
        if action == Action.VIEW and Role.SCRUTINEER in roles:
            submitted = Q(status=ReturnStatus.SUBMITTED)
            rule = submitted if rule is None else rule | submitted
        if rule is None:
            return NOTHING
        return rule if action == Action.VIEW else rule & ~Q(status=ReturnStatus.SUBMITTED)


class Rating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


def evidence_path(answer, filename: str) -> str:
    return f"assurance/{answer.partnership_id}/returns/{answer.assessment_return_id}/{filename}"


class Answer(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    assessment_return = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="answers", verbose_name="return"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    rating = models.CharField(max_length=5, choices=Rating.choices)
    evidence = models.TextField(blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    previous_rating = models.CharField(
        max_length=5,
        choices=Rating.choices,
        blank=True,
        help_text="The rating carried forward from the agency's previous return: old and new show what moved.",
    )
    shared_from = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shared_copies",
        help_text="The answer, in the partnership where the organisation answered once, that this one carries.",
    )

    class Meta:
        ordering = ["question__section__number", "question__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment_return", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.get_rating_display()}"

    same_partnership = ("assessment_return", "question")
    # The sharing rule (docs/access.md): a shared answer crosses from the partnership where it was
    # given, and is read-only in the one that received it.
    shared_across = ("shared_from",)

    @classmethod
    def received(cls) -> Q:
        return Q(shared_from__isnull=False)

    @property
    def moved(self) -> bool:
        return bool(self.previous_rating) and self.previous_rating != self.rating

    @property
    def evidence_file_name(self) -> str:
        return self.evidence_file.name.rsplit("/", 1)[-1] if self.evidence_file else ""

    def clean(self) -> None:
        super().clean()
        if self.question_id and self.assessment_return_id:
            if self.question.section.framework_id != self.assessment_return.round.framework_id:
                raise ValidationError({"question": "This question is not in the version of the tool this return uses."})

    @classmethod
    def scope_rule(cls, access, action):
        rule = Return.scope_rule(access, action)
        if rule is NOTHING or rule is ALL:
            return rule
        return Q(assessment_return__in=Return.objects.filter(rule).values("pk"))


class ReturnShare(_Record):
    """A submitted return an organisation shares with another partnership it serves: its answers
    fill the return that partnership invited the organisation's agency to, read-only there. A
    withdrawn share keeps its row (who shared what with whom, and when it stopped)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="shares")
    target = models.ForeignKey(
        Return,
        on_delete=models.PROTECT,
        related_name="received_shares",
        help_text="The receiving partnership's return for the organisation's agency there.",
    )
    shared_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    questions_carried = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                condition=Q(withdrawn_at__isnull=True),
                name="return_share_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source.service} shared with {self.target.partnership}"

    def get_absolute_url(self) -> str:
        return self.source.get_absolute_url()

    same_partnership = ("source",)
    shared_across = ("target",)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @classmethod
    def scope_rule(cls, access, action):
        # Who shares is who answers: the source return's agency lead and the business unit; the
        # scrutineer reads the shares as they read submitted returns.
        roles = access.roles
        if Role.BUSINESS_UNIT in roles:
            return ALL
        if Role.AGENCY_LEAD in roles and access.agency_ids:
            return Q(source__agency_id__in=access.agency_ids)
        if action == Action.VIEW and Role.SCRUTINEER in roles:
            return ALL
        return NOTHING


class SessionKind(models.TextChoices):
    REFLECT_AND_CHALLENGE = "reflect_and_challenge", "Reflect and challenge event"
    LIGHT_TOUCH = "light_touch", "6-month light touch session"
    ASSURANCE = "assurance", "12-month assurance session"


class FollowUpSession(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=30, choices=SessionKind.choices)
    held_on = models.DateField("date")
    outcome = models.TextField(
        blank=True, help_text="What was agreed or found. Leave blank until the session has been held."
    )

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.held_on:%-d %B %Y}"

    same_partnership = ("round",)
    round_path = "round_id"
    scope_rule = Round.scope_rule


# --- Use of restraint ----------------------------------------------------------------------------


class InjuryLevel(models.IntegerChoices):
    NONE = 0, "0: no injury"
    MINOR = 1, "1: minor injury, no medical treatment required"
    TREATMENT = 2, "2: medical treatment required"
    HOSPITAL = 3, "3: serious injury, hospital treatment"


class RestraintType(models.TextChoices):
    GUIDE = "guide", "Guide or escort"
    STANDING = "standing", "Standing restraint"
    SEATED = "seated", "Seated restraint"
    GROUND = "ground", "Ground restraint"
    OTHER = "other", "Other"


pseudonym_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    "Use the setting's pseudonymous reference (capital letters, digits and hyphens, for example YP-0417), never a name.",
)


def _restraint_readers(access, action):
    """The business unit keeps the data; the scrutineer reads it; the setting's lead sees its own."""
    if Role.BUSINESS_UNIT in access.roles:
        return ALL
    if action != Action.VIEW:
        return NOTHING
    if Role.SCRUTINEER in access.roles:
        return ALL
    return NOTHING


class RestraintIncident(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    setting = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="restraint_incidents")
    reference = models.CharField(max_length=40, help_text="The setting's own incident number.")
    occurred_on = models.DateField("date")
    young_person = models.CharField("young person's reference", max_length=20, validators=[pseudonym_validator])
    restraint_type = models.CharField(max_length=20, choices=RestraintType.choices)
    injury_level = models.PositiveSmallIntegerField(choices=InjuryLevel.choices, validators=[MaxValueValidator(3)])

    class Meta:
        ordering = ["-occurred_on", "reference"]
        constraints = [models.UniqueConstraint(fields=["setting", "reference"], name="restraint_unique_reference")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.occurred_on:%-d %b %Y})"

    def get_absolute_url(self) -> str:
        return self.url("incident")

    same_partnership = ("setting",)

    @classmethod
    def scope_rule(cls, access, action):
        rule = _restraint_readers(access, action)
        if rule is NOTHING and action == Action.VIEW and Role.AGENCY_LEAD in access.roles:
            return Q(setting_id__in=access.agency_ids)
        return rule


class RestraintImport(_Record):
    """One CSV return from a setting: its creation is the audit entry for the rows it added."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    setting = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name}: {self.rows} incidents"

    same_partnership = ("setting",)
    scope_rule = classmethod(lambda cls, access, action: _restraint_readers(access, action))


class CctvSample(_Record):
    """A random selection of incidents for CCTV review, stratified by injury level. The seed and
    the selection are kept, so anyone can draw again and get the same incidents."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    setting = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    per_level = models.PositiveSmallIntegerField(
        "incidents per injury level", validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    seed = models.PositiveIntegerField()
    incidents = models.ManyToManyField(RestraintIncident, related_name="samples")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"CCTV sample, {self.setting}, {self.period_start:%-d %b %Y} to {self.period_end:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return self.url("sample")

    same_partnership = ("setting", "incidents")
    scope_rule = classmethod(lambda cls, access, action: _restraint_readers(access, action))

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period must end on or after the day it starts."})


class Conclusion(models.TextChoices):
    PROPORTIONATE = "proportionate", "Proportionate and lawful"
    CONCERN = "concern", "Concern"


class CctvReview(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(RestraintIncident, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_with = models.CharField(
        max_length=200, blank=True, help_text="The manager from the home who reviewed the footage with you."
    )
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices)
    notes = models.TextField(
        blank=True, help_text="The circumstances leading up to it, what happened afterwards, what the statements say."
    )

    class Meta:
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"CCTV review of {self.incident}"

    same_partnership = ("incident",)
    scope_rule = classmethod(lambda cls, access, action: _restraint_readers(access, action))


class SiteVisit(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    setting = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField()
    findings = models.TextField()

    class Meta:
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"Site visit to {self.setting}, {self.visited_on:%-d %B %Y}"

    same_partnership = ("setting",)
    scope_rule = classmethod(lambda cls, access, action: _restraint_readers(access, action))


# --- Multi-agency meeting assurance week ---------------------------------------------------------


class MeetingType(models.TextChoices):
    CICR = "cicr", "Children in care review (CICR)"
    ICPC = "icpc", "Initial child protection conference (ICPC)"
    RCPC = "rcpc", "Review child protection conference (RCPC)"
    MARAC = "marac", "Multi-agency risk assessment conference (MARAC)"
    STRATEGY = "strategy", "Strategy meeting"
    TAF = "taf", "Team around the family (TAF)"


class Consent(models.TextChoices):
    PENDING = "pending", "Not yet asked"
    GIVEN = "given", "Given"
    DECLINED = "declined", "Declined"


class AssuranceWeek(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="assurance_weeks")
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    findings = models.TextField("key findings", blank=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url("week")

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The week must end on or after the day it starts."})

    @classmethod
    def scope_rule(cls, access, action):
        return _readers_and_business_unit(access, action, readers=PARTNERSHIP_READERS)


class ObservedMeeting(_Record):
    """A meeting identified for observation, and what the observer and the people at it said."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    week = models.ForeignKey(AssuranceWeek, on_delete=models.CASCADE, related_name="meetings")
    meeting_type = models.CharField(max_length=20, choices=MeetingType.choices)
    held_on = models.DateField("date")
    identified_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    consent = models.CharField("family's consent", max_length=10, choices=Consent.choices, default=Consent.PENDING)
    moved_outside_window = models.BooleanField("moved to a date outside the week", default=False)
    observer = models.CharField("observer's name", max_length=200, blank=True)
    observer_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="Leave blank for the partnership business unit.",
    )
    observation = models.TextField("observation notes", blank=True)
    child_feedback = models.TextField("feedback from the child", blank=True)
    parent_feedback = models.TextField("feedback from parents", blank=True)
    practitioner_feedback = models.TextField("feedback from practitioners", blank=True)

    class Meta:
        ordering = ["held_on", "meeting_type", "pk"]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()}, {self.held_on:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return self.url("meeting")

    same_partnership = ("week", "identified_by", "observer_agency")

    @property
    def observed(self) -> bool:
        return self.consent == Consent.GIVEN and not self.moved_outside_window and bool(self.observer)

    scope_rule = AssuranceWeek.scope_rule


# --- Audits, JTAI, scrutiny and presentations to the executive -----------------------------------


class AuditKind(models.TextChoices):
    MULTI_AGENCY = "multi_agency", "Multi-agency audit"
    THEMATIC = "thematic", "Thematic audit"
    DEEP_DIVE = "deep_dive", "Deep dive"


class Audit(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="assurance_audits")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AuditKind.choices, default=AuditKind.MULTI_AGENCY)
    themes = models.ManyToManyField("core.Theme", blank=True, related_name="audits")
    started_on = models.DateField()
    reported_on = models.DateField(null=True, blank=True)
    cases_audited = models.PositiveIntegerField(default=0)
    method = models.TextField(blank=True)
    grading = models.TextField(
        blank=True, help_text="How the cases were graded, for example '3 good, 1 requires improvement'."
    )
    findings = models.TextField(blank=True)
    voice_of_the_child = models.TextField("voice of the child evidence", blank=True)

    same_partnership = ("themes",)

    class Meta:
        ordering = ["-started_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url("audit")

    @classmethod
    def scope_rule(cls, access, action):
        return _readers_and_business_unit(access, action, readers=PARTNERSHIP_READERS)


class JtaiTheme(_Record):
    """A Joint Targeted Area Inspection theme and its evaluation criteria, used for self-evaluation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    year = models.CharField(
        max_length=7, help_text="The financial year the theme was inspected nationally, for example 2024-25."
    )
    criteria = models.TextField("evaluation criteria", help_text="One criterion a line.")

    class Meta:
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url("jtai")

    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]

    scope_rule = Audit.scope_rule


class Judgement(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA_TO_IMPROVE = "improve", "Area to improve"


class JtaiEvaluation(_Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(JtaiTheme, on_delete=models.CASCADE, related_name="evaluations")
    criterion = models.CharField(max_length=500)
    judgement = models.CharField(max_length=10, choices=Judgement.choices)
    evidence = models.TextField()
    evaluated_on = models.DateField()

    class Meta:
        ordering = ["theme", "evaluated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_judgement_display()}: {self.criterion[:80]}"

    same_partnership = ("theme",)
    scope_rule = Audit.scope_rule

    def clean(self) -> None:
        super().clean()
        if self.theme_id and self.criterion and self.criterion not in self.theme.criteria_list():
            raise ValidationError({"criterion": "Choose one of the theme's evaluation criteria."})


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    DEFERRED = "deferred", "Deferred"


class ScrutinyActivity(_Record):
    """One activity in the independent scrutineer's plan."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    planned_for = models.DateField(help_text="When it is due to happen.")
    status = models.CharField(max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    findings = models.TextField(blank=True)

    class Meta:
        ordering = ["planned_for", "title"]
        verbose_name_plural = "scrutiny activities"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assurance:scrutiny", args=[self.partnership.slug])

    scope_rule = Audit.scope_rule


class AssurancePresentation(_Record):
    """An agency's assurance presentation to the executive, and what the executive concluded."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    presenting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    presented_on = models.DateField()
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-presented_on"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assurance:scrutiny", args=[self.partnership.slug])

    same_partnership = ("presenting_agency",)
    scope_rule = Audit.scope_rule
