"""Personal API tokens: `Authorization: Bearer jgs_…`. Only the token's SHA-256 is stored."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import throttles
from .models import ApiToken
from .services import two_factor_satisfied


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0] != self.keyword:
            return None
        client = throttles.client(request)
        if throttles.API_FAILURES.exceeded(client):
            raise exceptions.Throttled(
                wait=throttles.API_FAILURES.window.total_seconds(),
                detail=f"{throttles.API_FAILURES.message} Wait {throttles.API_FAILURES.wait_minutes} minutes, then send the token exactly as it was shown when you created it.",
            )
        if len(parts) != 2 or not parts[1].startswith(ApiToken.PREFIX) or len(parts[1]) > 200:
            self._failed(
                client,
                "Malformed token. Send 'Authorization: Bearer <token>' with the token exactly as it was shown when you created it.",
            )
        token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(parts[1])).first()
        if token is None or token.revoked_at is not None:
            self._failed(
                client, "This token is not recognised or has been revoked. Create a new one on your account page."
            )
        if token.is_expired:
            self._failed(
                client, f"This token expired on {token.expires_at:%-d %B %Y}. Create a new one on your account page."
            )
        if not token.user.is_active:
            self._failed(client, "The account this token belongs to has been switched off.")
        if not two_factor_satisfied(token.user):
            raise exceptions.AuthenticationFailed(
                "Your partnership requires two-factor authentication: set up an authenticator app on your account page before using a token."
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    @staticmethod
    def _failed(client: str, message: str):
        throttles.API_FAILURES.hit(client)
        raise exceptions.AuthenticationFailed(message)

    def authenticate_header(self, request):
        return self.keyword


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = PersonalTokenAuthentication
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token from your account page."}
