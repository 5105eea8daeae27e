"""Writes for partnerships, agencies, people, sign-ins, roles and API tokens.

Each service is keyword-only, validates with full_clean(), writes in one transaction and
attributes the audit entry to `actor`. Permission to call it is decided before, by the
scoping helper in the view or API endpoint that fetched the record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from . import boundary
from .audit import attributed_to
from .models import Agency, ApiToken, Partnership, Person, RoleAssignment, Theme, User, Versioned
from .scoping import Role


def save(instance, *, actor, fields: dict | None = None):
    """Validate and save one record inside a transaction, attributing its audit entry to `actor`.

    Every app's services write single records through this. `fields` may hold many-to-many
    values (None leaves one as it is); they are set after the record is saved. The model's
    declared partnership boundary (`same_partnership`) is enforced first, naming the field.
    """
    fields = dict(fields or {})
    many = {}
    for name in [name for name in fields if _is_many(instance, name)]:
        values = fields.pop(name)
        if values is not None:
            many[name] = list(values)
    for name, value in fields.items():
        setattr(instance, name, value)
    validate(instance, many)
    with transaction.atomic(), attributed_to(actor):
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
    return instance


def validate(instance, many: dict | None = None, **options) -> None:
    """What save() checks before writing: the partnership boundary, then the model's own rules.
    For a service that validates a record before a longer transaction of its own."""
    boundary.enforce(instance, many)
    instance.full_clean(**options)


def _is_many(instance, name: str) -> bool:
    try:
        return instance._meta.get_field(name).many_to_many
    except FieldDoesNotExist:
        return False


# --- Versions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Children:
    """One kind of record a version holds, as the next version copies it: the version's related
    name for them ("sections"), their field naming the version ("framework"), the fields copied as
    they are, and the records they hold in turn."""

    related_name: str
    parent: str
    fields: tuple[str, ...]
    children: tuple[Children, ...] = ()


@dataclass
class Copies:
    """Each record the next version copied, by its original: an edit aimed at a record of the
    version in use lands on its copy (`copies.of(section)`); with nothing copied, on the record."""

    found: dict[tuple[str, int], object] = field(default_factory=dict)

    def of(self, record):
        return self.found.get((record._meta.label, record.pk), record)

    def __bool__(self) -> bool:
        return bool(self.found)


def _copied(record, names) -> dict:
    # By attname: a foreign key is copied as its id, without fetching what it points at.
    return {(f := record._meta.get_field(name)).attname: getattr(record, f.attname) for name in names}


def _copy_children(original, copy, children: tuple[Children, ...], copies: Copies, actor) -> None:
    for kind in children:
        held = getattr(original, kind.related_name)
        nested = [c.related_name for c in kind.children]
        # all() keeps what a prefetch fetched; prefetch_related() would ask again.
        for record in held.prefetch_related(*nested) if nested else held.all():
            new = save(
                type(record)(partnership_id=copy.partnership_id, **{kind.parent: copy}, **_copied(record, kind.fields)),
                actor=actor,
            )
            copies.found[(record._meta.label, record.pk)] = new
            _copy_children(record, new, kind.children, copies, actor)


def copy_as_next_version(
    record: Versioned, *, actor, fields: tuple[str, ...], children: tuple[Children, ...] = (), refusal: str
) -> tuple[Versioned, Copies]:
    """The next version of `record`, copied from it with the children its app declares, each
    validated and audited through save(), all in one transaction. Only the newest version may have
    a successor: an older one is refused with `refusal` ("A newer version of this tool exists:
    change that one instead.") and nothing is written."""
    if record.has_newer_version():
        raise ValidationError(refusal)
    copies = Copies()
    with transaction.atomic(), attributed_to(actor):
        copy = save(
            type(record)(
                partnership_id=record.partnership_id,
                version=record.version + 1,
                previous=record,
                **_copied(record, fields),
            ),
            actor=actor,
        )
        _copy_children(record, copy, children, copies, actor)
    return copy, copies


_save = save


def partnership_create(
    *, actor=None, name: str, slug: str, area: str, financial_year_start_month: int = 4
) -> Partnership:
    return _save(
        Partnership(name=name, slug=slug, area=area, financial_year_start_month=financial_year_start_month), actor=actor
    )


def partnership_start(
    *,
    actor=None,
    name: str,
    slug: str,
    area: str,
    financial_year_start_month: int = 4,
    business_unit_name: str,
    business_unit_email: str,
    request=None,
) -> Partnership:
    """A new, empty partnership and its first business-unit sign-in, who is emailed a link to
    set a password once it is all saved (the hosting organisation's site administrator, or the
    command line, starts it; from then on the business unit runs it)."""
    email = User.objects.normalize_email(business_unit_email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        # A second partnership for someone who already signs in: their role is added below.
        existing = User.objects.get(email__iexact=email)
    else:
        existing = None
    with transaction.atomic():
        partnership = partnership_create(
            actor=actor,
            name=name.strip(),
            slug=slug.strip(),
            area=area.strip(),
            financial_year_start_month=financial_year_start_month,
        )
        try:
            person = person_create(actor=actor, partnership=partnership, name=business_unit_name.strip(), email=email)
        except ValidationError as error:
            raise ValidationError(
                {
                    ("business_unit_name" if k == "name" else "business_unit_email"): v
                    for k, v in error.message_dict.items()
                }
            ) from error
        user = existing or user_create(actor=actor, email=email, person=person)
        role_assign(actor=actor, user=user, partnership=partnership, role=Role.BUSINESS_UNIT)
        if existing is None:
            transaction.on_commit(lambda: send_password_link(email=email, request=request))
    return partnership


def partnership_update(*, actor, partnership: Partnership, **fields) -> Partnership:
    return _save(partnership, actor=actor, fields=fields)


def agency_create(*, actor, partnership: Partnership, **fields) -> Agency:
    return _save(Agency(partnership=partnership), actor=actor, fields=fields)


def agency_update(*, actor, agency: Agency, **fields) -> Agency:
    return _save(agency, actor=actor, fields=fields)


def person_create(*, actor, partnership: Partnership, **fields) -> Person:
    return _save(Person(partnership=partnership), actor=actor, fields=fields)


def person_update(*, actor, person: Person, **fields) -> Person:
    return _save(person, actor=actor, fields=fields)


def user_create(*, actor=None, email: str, password: str | None = None, person: Person | None = None) -> User:
    """A sign-in. Without a password the user sets one through the emailed reset link."""
    user = User(email=User.objects.normalize_email(email).lower(), person=person)
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    return _save(user, actor=actor)


def role_assign(
    *, actor, user: User, partnership: Partnership, role: str, agency: Agency | None = None
) -> RoleAssignment:
    existing = RoleAssignment.objects.filter(user=user, partnership=partnership, role=role, agency=agency).first()
    if existing:
        return existing
    return _save(RoleAssignment(user=user, partnership=partnership, role=role, agency=agency), actor=actor)


def role_remove(*, actor, assignment: RoleAssignment) -> None:
    with transaction.atomic(), attributed_to(actor):
        assignment.delete()


def person_grant_access(
    *, actor, person: Person, role: str, agency: Agency | None = None, request=None
) -> RoleAssignment:
    """Give a person a sign-in (if they have none) and a role; a new user is emailed a link to set a password."""
    if not person.email:
        from django.core.exceptions import ValidationError

        raise ValidationError({"role": "Add an email address for this person before giving them access."})
    if role == Role.AGENCY_LEAD and agency is None:
        agency = person.agency
    with transaction.atomic():
        user = getattr(person, "user", None) or User.objects.filter(email__iexact=person.email).first()
        created = user is None
        if created:
            user = user_create(actor=actor, email=person.email, person=person)
        elif user.person_id is None:
            _save(user, actor=actor, fields={"person": person})
        assignment = role_assign(actor=actor, user=user, partnership=person.partnership, role=role, agency=agency)
    if created:
        send_password_link(email=user.email, request=request)
    return assignment


def user_set_active(*, actor, user: User, active: bool) -> User:
    """Switch a sign-in off when someone leaves (their sessions and API tokens stop working
    at once) or back on. The person and their history stay; the day they left starts the
    retention period of their name and email (unless the business unit already gave a date)."""
    with transaction.atomic():
        person = user.person
        if person is not None and active == bool(person.left_on):
            _save(person, actor=actor, fields={"left_on": None if active else timezone.localdate()})
        return _save(user, actor=actor, fields={"is_active": active})


def send_password_link(*, email: str, request=None) -> None:
    from .forms import PasswordLinkForm

    form = PasswordLinkForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            domain_override=None if request else urlsplit(settings.SITE_URL).netloc,
            use_https=request.is_secure() if request else settings.SITE_URL.startswith("https:"),
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )


def api_token_create(*, user: User, name: str, days: int = ApiToken.DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is never stored and cannot be shown again.
    The token stops working `days` after it is made (a year at most)."""
    if not two_factor_satisfied(user):
        # A token is a sign-in that never asks for a code: only someone who has one may make it.
        raise ValidationError(
            "Your partnership requires two-factor authentication: set up an authenticator app before creating a token."
        )
    if not 1 <= int(days) <= ApiToken.MAX_DAYS:
        raise ValidationError({"days": f"Choose how long the token lasts: between 1 and {ApiToken.MAX_DAYS} days."})
    raw = ApiToken.generate()
    token = ApiToken(
        user=user,
        name=name,
        key_hash=ApiToken.hash(raw),
        hint=raw[: len(ApiToken.PREFIX) + 4],
        expires_at=timezone.now() + datetime.timedelta(days=int(days)),
    )
    return _save(token, actor=user), raw


def api_tokens_revoke_all(*, user: User, actor=None) -> int:
    """Every token of `user` stops working: their password changed or their sign-in was switched
    off, so what the old password or the leaver gave out must not outlive it."""
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    with transaction.atomic(), attributed_to(actor or user):
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
    return len(tokens)


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    return _save(token, actor=user, fields={"revoked_at": timezone.now()})


def totp_device_start(*, user: User):
    """An unconfirmed authenticator for the user to scan; replaces any earlier unconfirmed one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_device_confirm(*, user: User, device, token: str) -> bool:
    if not device.verify_token(token):
        return False
    with transaction.atomic(), attributed_to(user):
        device.confirmed = True
        device.save()
    return True


def totp_devices_remove(*, user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic(), attributed_to(user):
        TOTPDevice.objects.filter(user=user).delete()


def sign_in_rules(user: User) -> list[tuple[str, bool, list[str]]]:
    """(name, passwords allowed, identity providers) of each partnership `user` holds a role in."""
    rows = (
        RoleAssignment._base_manager.filter(user=user)
        .values_list("partnership__name", "partnership__allow_password_sign_in", "partnership__sign_in_providers")
        .order_by("partnership__name")
        .distinct()
    )
    return [(name, allowed, list(keys or [])) for name, allowed, keys in rows]


def sign_in_refusal(user: User, *, provider: str | None = None, rules=None) -> str | None:
    """Why `user` may not be signed in with a password (`provider` None) or through the named
    identity provider, or None if they may. Every partnership they work in must accept the way:
    a password where passwords are allowed; a provider where it is one of the partnership's own,
    or where passwords are allowed (the provider has verified the same address a password
    reset would be sent to)."""
    configured = settings.OIDC_PROVIDERS
    for name, allowed, keys in sign_in_rules(user) if rules is None else rules:
        if allowed or (provider is not None and provider in keys):
            continue
        ways = " or ".join(f"“Sign in with {configured[key]['name']}”" for key in keys if key in configured)
        if provider is None:
            return f"{name} signs its staff in with their organisation's account, not a password: use {ways or 'the button for your organisation'}."
        return f"{name} does not sign its staff in with {configured[provider]['name']}: use {ways or 'the button for your organisation'}."
    return None


def two_factor_required(user: User) -> bool:
    """A partnership can make an authenticator compulsory for its business unit."""
    return RoleAssignment._base_manager.filter(
        user=user, role=Role.BUSINESS_UNIT, partnership__require_two_factor_for_business_unit=True
    ).exists()


def two_factor_satisfied(user: User) -> bool:
    """Has the user what their partnership's two-factor policy asks of them (a confirmed
    authenticator, where it is compulsory)?"""
    from django_otp import user_has_device

    return not two_factor_required(user) or user_has_device(user, confirmed=True)


def theme_create(*, actor, partnership: Partnership, name: str, description: str = "") -> Theme:
    return save(Theme(partnership=partnership, name=name.strip(), description=description), actor=actor)


def theme_update(*, actor, theme: Theme, **fields) -> Theme:
    return save(theme, actor=actor, fields=fields)


def revoke_tokens_when_credentials_change(sender, instance: User, created: bool, **kwargs) -> None:
    """post_save of a User: a new password (AbstractBaseUser keeps it in `_password` until just
    after this signal) or a switched-off sign-in revokes every API token."""
    if created or kwargs.get("raw"):
        return
    if getattr(instance, "_password", None) is not None or not instance.is_active:
        api_tokens_revoke_all(user=instance)
