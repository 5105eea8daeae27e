"""The tenancy and people every capability stands on.

Every root record belongs to a Partnership. Every default manager is a ScopedManager, so a
query that serves a user is always `Model.objects.restrict(access, action)`: see scoping.py.
"""

from __future__ import annotations

import calendar
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import uploads
from .reversing import reverse
from .scoping import ALL, NOTHING, Action, Role, ScopedManager


class Sector(models.TextChoices):
    """The organisation categories the partnership reports training and attendance by."""

    ADULT_HEALTH = "adult_health", "Adult Health Services"
    ALTERNATIVE_EDUCATION = "alternative_education", "Alternative Education Provider"
    CAFCASS = "cafcass", "CAFCASS"
    CHILDREN_SOCIAL_CARE = "children_social_care", "Children Social Care"
    COLLEGES = "colleges", "Colleges (Further Education)"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic Abuse Services"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and Alcohol"
    EARLY_HELP = "early_help", "Early Help"
    EARLY_YEARS = "early_years", "Early Years and Childcare"
    EDUCATION_SKILLS = "education_skills", "Education and Skills"
    FAITH = "faith", "Faith based"
    FIRE = "fire", "Fire Service"
    FOSTER_CARERS = "foster_carers", "Foster Carers"
    HOUSING = "housing", "Housing"
    ICB = "icb", "Integrated Care Board"
    PASSENGER_TRANSPORT = "passenger_transport", "Integrated Passenger Transport"
    LA_OTHER = "la_other", "Local Authority Other"
    NHS_TRUSTS = "nhs_trusts", "NHS Foundation Trusts"
    AMBULANCE = "ambulance", "North East Ambulance Service"
    OUTSIDE_AREA = "outside_area", "Organisations outside of the area"
    POLICE = "police", "Police"
    PRIMARY_CARE = "primary_care", "Primary Care"
    PRISON = "prison", "Prison Service"
    PRIVATE_HOUSING = "private_housing", "Private Housing Providers"
    PRIVATE = "private", "Private Organisations (for profit)"
    PROBATION = "probation", "Probation Service"
    REGENERATION = "regeneration", "Regeneration and Local Services"
    SCHOOLS = "schools", "Schools"
    UNIVERSITIES = "universities", "Universities (Higher Education)"
    VOLUNTARY = "voluntary", "Voluntary Sector"
    YOUTH_JUSTICE = "youth_justice", "Youth Justice Service"


class StatutoryRole(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority (statutory safeguarding partner)"
    ICB = "icb", "Integrated care board (statutory safeguarding partner)"
    POLICE = "police", "Chief officer of police (statutory safeguarding partner)"
    RELEVANT_AGENCY = "relevant_agency", "Relevant agency"
    OTHER = "other", "Other partner"


RESERVED_SLUGS = {"accounts", "account", "api", "admin", "static", "media", "audit", "healthz", "site"}


def validate_partnership_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"'{value}' is reserved for Jigsaw's own pages; choose another short name.")


class Versioned(models.Model):
    """A record kept as a chain of versions (the section 11 tool, the quality assurance
    framework): a version others rely on is never changed; an edit makes the next version,
    copied from it (`core.services.copy_as_next_version`, from the fields and children each app
    declares), and only the newest may have a successor."""

    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name="previous version",
    )

    class Meta:
        abstract = True

    def has_newer_version(self) -> bool:
        return type(self)._base_manager.filter(previous=self).exists()


def validate_logo(file) -> None:
    uploads.PARTNERSHIP_LOGO.check(file)


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=50,
        unique=True,
        validators=[validate_partnership_slug],
        help_text="The short name used in web addresses, for example 'durham'.",
    )
    area = models.CharField(max_length=200, help_text="The local authority area it covers.")
    financial_year_start_month = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    require_two_factor_for_business_unit = models.BooleanField(
        default=False,
        help_text="Business unit staff must set up an authenticator app before they can use Jigsaw.",
    )
    # Which of the identity providers configured for this Jigsaw (settings.OIDC_PROVIDERS, by
    # name) sign the partnership's staff in. Names only: issuers, client ids and secrets stay
    # in the environment.
    sign_in_providers = models.JSONField(
        "Sign in with your organisation's account",
        default=list,
        blank=True,
        help_text="Staff whose email address is verified by one of these can sign in with it.",
    )
    allow_password_sign_in = models.BooleanField(
        "Passwords can still be used to sign in",
        default=True,
        help_text="Untick to have everyone with a role here sign in only through your organisations' accounts.",
    )
    # The public site's "Worried about a child?": the local authority's front door for referrals.
    front_door_name = models.CharField(
        "Front door service",
        max_length=100,
        blank=True,
        help_text="The service the public calls about a child, for example 'First Contact'.",
    )
    front_door_in_hours = models.CharField(
        "Telephone, in office hours",
        max_length=100,
        blank=True,
        help_text="With the hours, for example '03000 267 979 (Monday to Thursday 8.30am to 5pm, Friday to 4.30pm)'.",
    )
    front_door_out_of_hours = models.CharField(
        "Telephone, out of hours",
        max_length=100,
        blank=True,
        help_text="The emergency duty team, evenings, weekends and bank holidays.",
    )
    logo = models.FileField(
        upload_to="partnerships/logos/",
        blank=True,
        max_length=300,
        validators=[validate_logo],
        help_text="Shown beside the partnership's name at the top of every page. PNG or JPEG; 1 MB at most.",
    )

    objects = ScopedManager()
    partnership_path = "pk"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_rule(cls, access, action):
        if access.is_anonymous:
            return NOTHING
        if action == Action.VIEW:
            return ALL  # restrict() has already limited it to partnerships the user holds a role in
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING

    def get_additional_data(self) -> dict:
        return {"partnership": self.pk}

    def clean(self) -> None:
        from django.conf import settings

        unknown = [key for key in self.sign_in_providers or [] if key not in settings.OIDC_PROVIDERS]
        if unknown:
            raise ValidationError(
                {
                    "sign_in_providers": f"{', '.join(unknown)}: not an identity provider this Jigsaw is configured with. "
                    "Choose from the ones listed."
                }
            )
        if not self.allow_password_sign_in and not self.sign_in_providers:
            raise ValidationError(
                {
                    "allow_password_sign_in": "Choose at least one organisation's account to sign in with before "
                    "switching passwords off, or nobody could sign in."
                }
            )

    @property
    def financial_year_start_month_name(self) -> str:
        return calendar.month_name[self.financial_year_start_month]


class Organisation(models.Model):
    """One organisation (an NHS trust, a police force, a charity) behind its agency record in each
    partnership it serves: the identity that lets it answer one section 11 return for all of them.
    It holds a name and nothing of any partnership's, so knowing it exists crosses no boundary."""

    name = models.CharField(max_length=200, unique=True)

    objects = ScopedManager()
    partnership_path = None  # an organisation serves several partnerships and belongs to none

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"partnership": None}

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            # The partners pick from every organisation to link their agency record to it.
            return ALL if access.is_partner else NOTHING
        if Role.BUSINESS_UNIT in access.roles and access.partnership is not None:
            # Renamed only by a business unit of a partnership it serves.
            return Q(pk__in=Agency._base_manager.filter(partnership=access.partnership).values("organisation"))
        return NOTHING


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text="The organisation this agency is, when it serves other partnerships too (one identity for all of them).",
    )
    sector = models.CharField(max_length=40, choices=Sector.choices)
    statutory_role = models.CharField(
        max_length=30, choices=StatutoryRole.choices, default=StatutoryRole.RELEVANT_AGENCY
    )
    locality = models.CharField(max_length=100, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name"),
            models.UniqueConstraint(fields=["partnership", "organisation"], name="agency_one_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:agency", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return ALL if access.is_partner else NOTHING
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class Person(models.Model):
    """Someone who works in the partnership: a chair, a lead, a trainer, a practitioner."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people", null=True, blank=True)
    # The retention schedule counts a leaver's period from here (set when their sign-in is switched off).
    left_on = models.DateField(
        "date they left",
        null=True,
        blank=True,
        help_text="When they stopped working with the partnership. Their name and email are kept for the retention period after it.",
    )
    pseudonymised_on = models.DateField(null=True, blank=True, editable=False)

    objects = ScopedManager()
    same_partnership = ("agency",)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:person", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        roles = access.roles
        if Role.BUSINESS_UNIT in roles:
            return ALL
        if action == Action.VIEW:
            if roles & {Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD}:
                return ALL
            if Role.PRACTITIONER in roles:
                return Q(user=access.user)
            return NOTHING
        if action == Action.CHANGE and Role.AGENCY_LEAD in roles:
            return Q(agency_id__in=access.agency_ids)
        return NOTHING


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in: an email address and a password, linked to the Person it belongs to."""

    email = models.EmailField(unique=True)
    person = models.OneToOneField(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="user")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="A platform operator. Gives no extra access to partnership records."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.email

    def get_additional_data(self) -> dict:
        return {"partnership": self.person.partnership_id if self.person_id else None}


class RoleAssignment(models.Model):
    """What a user may do in one partnership. An agency lead is scoped to one agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    objects = ScopedManager()
    same_partnership = ("agency",)

    class Meta:
        ordering = ["partnership", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership", "role", "agency"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=Q(role=Role.AGENCY_LEAD, agency__isnull=False) | ~Q(role=Role.AGENCY_LEAD),
                name="agency_lead_needs_agency",
            ),
        ]

    def __str__(self) -> str:
        # The audit trail names the record by this, so it says whose role it is.
        return f"{self.user}: {self.role_label}"

    @property
    def role_label(self) -> str:
        suffix = f" ({self.agency})" if self.agency_id else ""
        return f"{self.get_role_display()}{suffix}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def clean(self) -> None:
        if self.role == Role.AGENCY_LEAD and not self.agency_id:
            raise ValidationError({"agency": "An agency lead must be linked to the agency they lead for."})

    @classmethod
    def scope_rule(cls, access, action):
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if action == Action.VIEW and Role.SCRUTINEER in access.roles:
            return ALL
        return Q(user=access.user) if action == Action.VIEW and access.roles else NOTHING


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once, when created."""

    PREFIX = "jgs_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, so you know which to revoke.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False, help_text="The token's first characters.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, help_text="Set when the token is created: 90 days by default, a year at most."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    partnership_path = None  # a token belongs to a user, across partnerships
    DEFAULT_DAYS = 90
    MAX_DAYS = 365

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is None or self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def get_additional_data(self) -> dict:
        return self.user.get_additional_data()

    @classmethod
    def scope_rule(cls, access, action):
        # Tokens are the user's own, whatever their roles: nobody else sees or revokes them.
        return NOTHING if access.is_anonymous else Q(user=access.user)


class Theme(models.Model):
    """One word in the partnership's managed taxonomy of learning themes.

    Reviews, learning cycles, horizon scanning, actions, courses, audits and escalations are
    all tagged from this one list, so 'professional curiosity' means the same thing everywhere
    and the themed learning log can be read across every source.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="themes")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Retired themes stay on old records but are not offered.")

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="theme_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return ALL  # themes are public vocabulary: the public site's briefings show them
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class ThrottleHit(models.Model):
    """One counted attempt (a reset request, a failed API token, a booking…) for the throttles in
    `jigsaw.core.throttles`: a table, so every server process shares the counts without a cache
    server. The key is a hash: addresses and emails are not kept in it."""

    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self) -> str:
        return f"Throttle hit at {self.at:%Y-%m-%d %H:%M:%S}"


class FiguresStamp(models.Model):
    """The last change to one app's records in one partnership (partnership 0: a change whose
    partnership is not known, which counts for every partnership). Every write bumps it in its
    own transaction (see jigsaw.core.figures), and a cached figure is reused only while the
    stamps of the apps it read are the ones it was computed under."""

    partnership_key = models.BigIntegerField()
    app = models.CharField(max_length=50)
    version = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership_key", "app"], name="figures_stamp_unique")]

    def __str__(self) -> str:
        return f"{self.app} figures of partnership {self.partnership_key}: {self.version}"


class AuditIndex(models.Model):
    """Each audit entry's partnership in its own indexed column: the trail's list and a record's
    history filter on it instead of on the entry's JSON (filled when the entry is written)."""

    entry = models.OneToOneField(
        "auditlog.LogEntry", primary_key=True, on_delete=models.CASCADE, related_name="partnership_index"
    )
    # No database constraint: an entry outlives its records, even a deleted partnership's.
    partnership = models.ForeignKey(Partnership, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    timestamp = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["partnership", "-timestamp"], name="audit_partnership_time")]

    def __str__(self) -> str:
        return f"Audit entry {self.entry_id} of partnership {self.partnership_id}"


class RegisterImport(models.Model):
    """One batch of a register brought in from a spreadsheet (agencies, people, the learning
    log...): who, when, which file and what it added. Its creation is the batch's one audit
    entry (see jigsaw.core.imports)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="register_imports")
    register = models.CharField(max_length=40)
    file_name = models.CharField(max_length=200)
    file_hash = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    already_held = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} into {self.register}: {self.added} added, {self.already_held} already held"

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @classmethod
    def scope_rule(cls, access, action):
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING
