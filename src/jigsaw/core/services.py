"""Writes for partnerships, agencies, people, sign-ins, roles and API tokens.

Each service is keyword-only, validates with full_clean(), writes in one transaction and
attributes the audit entry to `actor`. Permission to call it is decided before, by the
scoping helper in the view or API endpoint that fetched the record.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import attributed_to
from .models import Agency, ApiToken, Partnership, Person, RoleAssignment, User, Theme
from .scoping import Role


def save(instance, *, actor, fields: dict | None = None):
    """Validate and save one record inside a transaction, attributing its audit entry to `actor`.

    Every app's services use this for single-record writes.
    """
    for name, value in (fields or {}).items():
        setattr(instance, name, value)
    instance.full_clean()
    with transaction.atomic(), attributed_to(actor):
        instance.save()
    return instance


_save = save


def partnership_create(*, actor=None, name: str, slug: str, area: str, financial_year_start_month: int = 4) -> Partnership:
    return _save(Partnership(name=name, slug=slug, area=area, financial_year_start_month=financial_year_start_month), actor=actor)


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


def role_assign(*, actor, user: User, partnership: Partnership, role: str, agency: Agency | None = None) -> RoleAssignment:
    existing = RoleAssignment.objects.filter(user=user, partnership=partnership, role=role, agency=agency).first()
    if existing:
        return existing
    return _save(RoleAssignment(user=user, partnership=partnership, role=role, agency=agency), actor=actor)


def role_remove(*, actor, assignment: RoleAssignment) -> None:
    with transaction.atomic(), attributed_to(actor):
        assignment.delete()


def person_grant_access(*, actor, person: Person, role: str, agency: Agency | None = None, request=None) -> RoleAssignment:
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
    at once) or back on. The person and their history stay."""
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


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is never stored and cannot be shown again."""
    if not two_factor_satisfied(user):
        # A token is a sign-in that never asks for a code: only someone who has one may make it.
        raise ValidationError("Your partnership requires two-factor authentication: set up an authenticator app before creating a token.")
    raw = ApiToken.generate()
    token = ApiToken(user=user, name=name, key_hash=ApiToken.hash(raw), hint=raw[: len(ApiToken.PREFIX) + 4])
    return _save(token, actor=user), raw


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
