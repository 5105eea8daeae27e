"""Signing in through an organisation's identity provider (OpenID Connect).

authlib's Django client does the protocol: the authorization code flow with PKCE, the state and
nonce kept in the session and cleared when used (so a callback cannot be replayed), the code
exchange, and the ID token's signature, issuer, audience and expiry. Jigsaw adds what is its
own to decide: the provider's discovery document and the callback must name the configured
issuer; the email address must be one the provider has verified, and, where the provider is
limited to some domains, in one of them; the sign-in it matches must hold a role in a
partnership that uses the provider, and every partnership it works in must accept the provider
(jigsaw.core.services.sign_in_refusal); and whether the provider asserted multi-factor
authentication (`amr`, or an `acr` configured as MFA), which then satisfies the partnership's
two-factor policy (jigsaw.core.middleware.OTPMiddleware).

Each refusal carries a message for the person and a reason for the log. The log line names the
provider, the reason and the email address where known; never a code, a token or a claim set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError

log = logging.getLogger("jigsaw.sign_in")

# The session's record of how it was signed in: {"provider": key, "mfa": bool, "user": pk}.
# No record: a password.
SESSION_KEY = "jigsaw_sign_in"
# Where to go once signed in, kept between the button and the provider's answer.
NEXT_KEY = "jigsaw_sign_in_next"
# A refusal's message, shown by the sign-in page the browser is sent back to.
REFUSED_KEY = "jigsaw_sign_in_refused"
SCOPE = "openid email profile"
# Clock difference allowed between Jigsaw and the provider when reading a token's times.
LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class IdentityProvider:
    key: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    mfa_amr: tuple[str, ...]
    mfa_acr: tuple[str, ...]
    email_domains: tuple[str, ...]


def providers() -> dict[str, IdentityProvider]:
    return {
        key: IdentityProvider(
            key=key,
            name=config["name"],
            issuer=config["issuer"],
            client_id=config["client_id"],
            client_secret=config["client_secret"],
            mfa_amr=tuple(config.get("mfa_amr", settings.OIDC_MFA_AMR_DEFAULT)),
            mfa_acr=tuple(config.get("mfa_acr", ())),
            email_domains=tuple(config.get("email_domains", ())),
        )
        for key, config in settings.OIDC_PROVIDERS.items()
    }


def provider(key: str) -> IdentityProvider | None:
    return providers().get(key)


class SignInRefused(Exception):
    """A sign-in through a provider that Jigsaw will not accept: `message` is for the person,
    `reason` for the log."""

    def __init__(self, message: str, *, reason: str, email: str = ""):
        super().__init__(message)
        self.message, self.reason, self.email = message, reason, email

    def log(self, provider: IdentityProvider) -> None:
        log.warning(
            "Sign-in through %s refused: %s%s", provider.key, self.reason, f" ({self.email})" if self.email else ""
        )


# One authlib client per provider configuration: it keeps the provider's discovery document and
# keys between sign-ins. Keyed by the configuration, so changed settings make a new client.
_clients: dict[tuple, object] = {}


def client(provider: IdentityProvider):
    cache_key = (provider.key, provider.issuer, provider.client_id, provider.client_secret)
    if cache_key not in _clients:
        _clients[cache_key] = OAuth().register(
            name=provider.key,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=f"{provider.issuer.rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": TIMEOUT_SECONDS},
        )
    return _clients[cache_key]


def _unreachable(provider: IdentityProvider) -> SignInRefused:
    return SignInRefused(
        f"Jigsaw could not reach {provider.name} to sign you in. Try again in a few minutes; if it keeps "
        "happening, sign in with your password if your partnership allows it, or tell its business unit.",
        reason="provider unreachable",
    )


def _metadata(provider: IdentityProvider) -> dict:
    """The provider's discovery document, which must name the issuer Jigsaw is configured with:
    a document naming another is another provider's."""
    app = client(provider)
    try:
        metadata = app.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise _unreachable(provider) from error
    if (metadata.get("issuer") or "").rstrip("/") != provider.issuer.rstrip("/"):
        app.server_metadata = {}  # read it again next time: the configuration may be corrected
        raise SignInRefused(
            f"Jigsaw cannot sign you in with {provider.name}: the provider answering is not the one "
            "Jigsaw is set up with. Tell your partnership's business unit.",
            reason=f"unknown issuer: the discovery document names {metadata.get('issuer')!r}, not {provider.issuer!r}",
        )
    return metadata


def start(request, provider: IdentityProvider, redirect_uri: str):
    """The redirect to the provider's sign-in page."""
    _metadata(provider)
    try:
        return client(provider).authorize_redirect(request, redirect_uri)
    except requests.RequestException as error:
        raise _unreachable(provider) from error


START_AGAIN = "Start again from the sign-in page."


def finish(request, provider: IdentityProvider) -> dict:
    """The provider's answer, checked: the ID token's claims."""
    if request.GET.get("error"):
        raise SignInRefused(
            f"{provider.name} did not sign you in ({request.GET.get('error_description') or request.GET['error']}). "
            + START_AGAIN,
            reason=f"the provider answered {request.GET['error']!r}",
        )
    metadata = _metadata(provider)
    issuer = request.GET.get("iss")
    # The callback names who answered (RFC 9207) where the provider says it does: an answer
    # from another provider, or one that should name itself and does not, is refused.
    if (issuer is not None and issuer.rstrip("/") != provider.issuer.rstrip("/")) or (
        issuer is None and metadata.get("authorization_response_iss_parameter_supported")
    ):
        raise SignInRefused(
            f"The answer did not come from {provider.name}, so Jigsaw has not signed you in. " + START_AGAIN,
            reason=f"unknown issuer: the answer names {issuer!r}, not {provider.issuer!r}",
        )
    try:
        token = client(provider).authorize_access_token(
            request, leeway=LEEWAY_SECONDS, claims_options=_claims_options(provider, metadata)
        )
    except MismatchingStateError as error:
        raise SignInRefused(
            "This sign-in has already been used, has expired, or was started in another browser. " + START_AGAIN,
            reason="no sign-in waiting in this session for the answer's state (replayed or expired)",
        ) from error
    except OAuthError as error:
        raise SignInRefused(
            f"{provider.name} would not confirm this sign-in: it may have been used already or taken too long. "
            + START_AGAIN,
            reason=f"the code exchange failed: {error.error}",
        ) from error
    except requests.RequestException as error:
        raise _unreachable(provider) from error
    except JoseError as error:
        raise token_refusal(provider, error) from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused(
            f"{provider.name} did not send Jigsaw an identity token. " + START_AGAIN, reason="no ID token in the answer"
        )
    claims = dict(claims)
    if "email" not in claims and metadata.get("userinfo_endpoint"):
        # Many providers keep the ID token short and give the profile at the userinfo endpoint
        # (OpenID Connect Core 5.4); the way the person signed in (amr, acr) stays the ID token's.
        try:
            info = client(provider).userinfo(token=token)
        except requests.RequestException as error:
            raise _unreachable(provider) from error
        if info.get("sub") != claims.get("sub"):
            raise SignInRefused(
                f"{provider.name} described someone else than the person it signed in. " + START_AGAIN,
                reason="the userinfo subject is not the ID token's",
            )
        claims.update({name: info[name] for name in ("email", "email_verified", "name") if name in info})
    return claims


def verify_id_token(provider: IdentityProvider, token: dict, nonce: str) -> dict:
    """An ID token checked as the callback checks it (signature, issuer, audience, expiry, nonce)."""
    metadata = _metadata(provider)
    try:
        return dict(
            client(provider).parse_id_token(
                token, nonce=nonce, leeway=LEEWAY_SECONDS, claims_options=_claims_options(provider, metadata)
            )
        )
    except JoseError as error:
        raise token_refusal(provider, error) from error


def _claims_options(provider: IdentityProvider, metadata: dict) -> dict:
    # authlib checks the issuer by default but the audience only through `azp`: both are named here.
    # The issuer exactly as the provider writes it (the discovery document was checked against
    # the configured one).
    return {
        "iss": {"essential": True, "values": [metadata["issuer"]]},
        "aud": {"essential": True, "values": [provider.client_id]},
    }


def token_refusal(provider: IdentityProvider, error: JoseError) -> SignInRefused:
    claim = getattr(error, "claim", None)
    if isinstance(error, ExpiredTokenError):
        message, reason = f"The sign-in from {provider.name} had expired.", "the ID token has expired"
    elif isinstance(error, InvalidClaimError | MissingClaimError) and claim == "aud":
        message, reason = (
            f"The sign-in from {provider.name} was made for another application, not Jigsaw.",
            "wrong audience: the ID token was issued to another client",
        )
    elif isinstance(error, InvalidClaimError | MissingClaimError) and claim == "iss":
        message, reason = (
            f"The sign-in did not come from {provider.name}.",
            "unknown issuer: the ID token names another issuer",
        )
    elif isinstance(error, InvalidClaimError | MissingClaimError) and claim == "nonce":
        message, reason = (
            "This sign-in does not belong to the one you started.",
            "the ID token's nonce is not this session's (replayed)",
        )
    else:
        message, reason = (
            f"Jigsaw could not check the sign-in from {provider.name}.",
            f"the ID token was not accepted: {error.error} {getattr(error, 'description', '')}",
        )
    return SignInRefused(f"{message} Jigsaw has not signed you in. {START_AGAIN}", reason=reason)


def verified_email(provider: IdentityProvider, claims: dict) -> str:
    """The email address the provider vouches for: present, verified, and in the provider's domains."""
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise SignInRefused(
            f"{provider.name} did not tell Jigsaw your email address, which Jigsaw needs to find your account. "
            "Ask your organisation's IT service desk to release it to Jigsaw.",
            reason="no email claim",
        )
    if claims.get("email_verified") is not True:
        raise SignInRefused(
            f"{provider.name} has not verified your email address ({email}), so Jigsaw cannot tell the account is "
            "yours. Ask your organisation's IT service desk to verify it, then sign in again.",
            reason="email not verified by the provider",
            email=email,
        )
    if provider.email_domains and email.rpartition("@")[2] not in provider.email_domains:
        raise SignInRefused(
            f"{provider.name} signs in addresses at {', '.join(provider.email_domains)} only, not {email}.",
            reason="email outside the provider's domains",
            email=email,
        )
    return email


def user_for(provider: IdentityProvider, claims: dict):
    """The Jigsaw sign-in the provider's verified email address belongs to, if the partnerships it
    works in accept this provider."""
    from .models import User
    from .services import sign_in_refusal, sign_in_rules

    email = verified_email(provider, claims)
    user = User.objects.filter(email__iexact=email).first()
    rules = sign_in_rules(user) if user is not None else []
    if not any(provider.key in keys for _, _, keys in rules):
        raise SignInRefused(
            f"There is no Jigsaw account for {email} in a partnership that signs in with {provider.name}. "
            "Ask your partnership's business unit to give you access, with this email address.",
            reason="no sign-in for this email in a partnership using the provider",
            email=email,
        )
    if not user.is_active:
        raise SignInRefused(
            "This account has been switched off. Ask your partnership's business unit to switch it on again.",
            reason="the sign-in is switched off",
            email=email,
        )
    refusal = sign_in_refusal(user, provider=provider.key, rules=rules)
    if refusal is not None:
        raise SignInRefused(refusal, reason="a partnership of this sign-in does not accept the provider", email=email)
    return user


def mfa_asserted(provider: IdentityProvider, claims: dict) -> bool:
    """Did the provider say the person used more than one factor: an `amr` method that is one
    (RFC 8176: mfa, otp, hwk…), or an `acr` the provider is configured to mean it?"""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(set(amr) & set(provider.mfa_amr)) or (
        claims.get("acr") is not None and str(claims["acr"]) in provider.mfa_acr
    )


def session_mfa(request, user) -> bool:
    """Did this session's sign-in come with multi-factor authentication asserted by its provider?"""
    record = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return bool(record and record.get("mfa") and record.get("user") == user.pk)


def session_provider(request) -> str | None:
    """The identity provider this session was signed in through (None: a password)."""
    record = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return record.get("provider") if record else None


def record_sign_in(request, user, provider: IdentityProvider, mfa: bool) -> None:
    """After login(): how this session was signed in, read by the policy middleware."""
    request.session[SESSION_KEY] = {"provider": provider.key, "mfa": mfa, "user": user.pk}
    log.info("Signed in through %s%s: %s", provider.key, " with MFA" if mfa else "", user.email)
