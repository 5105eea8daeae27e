from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from .services import sign_in_refusal, two_factor_required


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, and a session signed in through an identity provider that
    asserted multi-factor authentication (jigsaw.core.oidc.mfa_asserted) counts as verified:
    the partnership's two-factor policy is met by the organisation's own MFA."""

    def _verify_user_sync(self, request, user):
        return self._with_provider_mfa(request, super()._verify_user_sync(request, user))

    async def _verify_user_async_via_auser(self, request, auser):
        return self._with_provider_mfa(request, await super()._verify_user_async_via_auser(request, auser))

    @staticmethod
    def _with_provider_mfa(request, user):
        from .oidc import session_mfa

        if user.is_authenticated and user.otp_device is None and session_mfa(request, user):
            user.is_verified = lambda: True
        return user


class SignInPolicyMiddleware:
    """A session stays signed in only while every partnership its user works in accepts the way
    it was signed in: a partnership that switches passwords off signs out its staff's password
    sessions at their next request, with the reason."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = getattr(request, "user", None)
        # No provider configured: no partnership can have switched passwords off (Partnership.clean).
        if settings.OIDC_PROVIDERS and user is not None and user.is_authenticated:
            from django.contrib import messages

            from .oidc import session_provider

            refusal = sign_in_refusal(user, provider=session_provider(request))
            if refusal is not None:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": refusal}, status=401)
                messages.error(request, f"You have been signed out. {refusal}")
                return redirect(reverse("core:login"))
        return self.get_response(request)


class TwoFactorPolicyMiddleware:
    """Where a partnership makes an authenticator compulsory for its business unit, a business
    unit user without one can only set one up or sign out. The API is no way round it: a
    password-only session is refused there too (tokens are checked in api_auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified() and not self._exempt(request.path):
            if two_factor_required(user):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "detail": "Your partnership requires two-factor authentication. Sign in with your authenticator code, or use a personal API token."
                        },
                        status=403,
                    )
                if user_has_device(user, confirmed=True):
                    # Signed in before the rule applied: sign in again, this time with a code.
                    logout(request)
                    return redirect(reverse("core:login"))
                return redirect(reverse("core:two-factor-setup"))
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (reverse("core:two-factor-setup"), reverse("core:logout"), "/static/")
        return path.startswith(exempt)


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than the largest upload (plus its form) from its declared
    length, before a byte of it is read: Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count
    files, so without this a 200 MB body was read in full before being refused. A body sent
    without a length is not read at all by Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import uploads

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > uploads.MAX_REQUEST_BYTES:
            return _request_too_large(uploads.MAX_REQUEST_BYTES)
        return self.get_response(request)


def _request_too_large(limit: int):
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    # Rendered without the request: nothing of the refused request (session, user) is loaded.
    body = render_to_string("413.html", {"limit_mb": limit // (1024 * 1024)})
    response = HttpResponse(body, status=413)
    response["Connection"] = "close"
    return response


class NoStoreMiddleware:
    """Nothing sent to a signed-in user or in answer to an API token is kept by a browser, a
    proxy or a shared computer's cache (pages, downloads, the API); public pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if "HTTP_AUTHORIZATION" in request.META or (user is not None and user.is_authenticated):
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)
        return response


SIGNED_IN_AT = "jigsaw_signed_in_at"
LAST_SEEN = "jigsaw_last_seen"
# Activity is written to the session at most once a minute (a tenth of the idle timeout if that
# is shorter): not a database write per page.
LAST_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_COOKIE_AGE
    seconds after signing in whatever the activity (the session's own expiry moves on each
    time it is saved, so it cannot be the absolute limit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.conf import settings

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        idle = now - last_seen >= settings.SESSION_IDLE_TIMEOUT
        if idle or now - signed_in_at >= settings.SESSION_COOKIE_AGE:
            return self._sign_out(request, idle)
        if (
            now - last_seen >= min(LAST_SEEN_RESOLUTION, settings.SESSION_IDLE_TIMEOUT // 10)
            or LAST_SEEN not in session
        ):
            session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, idle: bool):
        from django.conf import settings
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.http import JsonResponse
        from django.shortcuts import redirect
        from django.utils.http import urlencode

        logout(request)
        if idle:
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            message = (
                f"You were signed out because you had not used Jigsaw for {minutes} minutes. Sign in again to carry on."
            )
        else:
            message = f"You were signed out because you signed in more than {settings.SESSION_COOKIE_AGE // 3600} hours ago. Sign in again to carry on."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        messages.info(request, message)
        target = request.get_full_path() if request.method == "GET" else ""
        return redirect(reverse("core:login") + (f"?{urlencode({'next': target})}" if target else ""))


def session_started(sender, request, user, **kwargs) -> None:
    """user_logged_in: both timeouts count from this sign-in."""
    import time

    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now
