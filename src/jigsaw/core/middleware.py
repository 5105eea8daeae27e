from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .services import two_factor_required


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
                        {"detail": "Your partnership requires two-factor authentication. Sign in with your authenticator code, or use a personal API token."},
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
