"""Signing in (email, password, then an authenticator code where set up), signing out, the
user's own account page: two-factor set-up and personal API tokens."""

from __future__ import annotations

import base64
import time

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as django_auth
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import generic
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import oidc, queries, services, throttles
from .forms import ApiTokenForm, PasswordLinkForm, SignInForm, TokenForm
from .forms_renderer import Form
from .generic import JigsawMixin, SignedInView
from .middleware import LAST_SEEN
from .models import ApiToken

PENDING_USER = "jigsaw_pending_user"
PENDING_NEXT = "jigsaw_pending_next"
# An identity provider's sign-in waiting for the authenticator code: {"provider": key}.
PENDING_PROVIDER = "jigsaw_pending_provider"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class SignIn(JigsawMixin, generic.FormView):
    form_class = SignInForm
    template_name = "registration/login.html"
    page_title = "Sign in"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        from .models import Partnership

        partnership = self._partnership()
        configured = oidc.providers()
        if partnership is not None:
            keys = partnership.sign_in_providers
        else:
            # Signing in to Jigsaw as a whole: every provider some partnership uses.
            keys = {key for row in Partnership.objects.values_list("sign_in_providers", flat=True) for key in row or []}
        buttons = sorted((configured[key] for key in keys if key in configured), key=lambda provider: provider.name)
        refused = self.request.session.pop(oidc.REFUSED_KEY, None)
        context = super().get_context_data(**kwargs)
        # Every partnership's public site is public: the way in for those who need no account.
        return {
            **context,
            "next": self.request.GET.get("next", ""),
            "public_sites": Partnership.objects.all().only("name", "slug"),
            "sign_in_partnership": partnership,
            "providers": buttons,
            "passwords_allowed": partnership is None or partnership.allow_password_sign_in or not buttons,
            "refused": refused,
        }

    def _partnership(self):
        """The partnership the person is signing in to, when the page knows it: named (?partnership=)
        or the first part of the page they were going to."""
        from .models import Partnership

        slug = self.request.GET.get("partnership") or self.request.GET.get("next", "").strip("/").split("/")[0]
        return Partnership.objects.filter(slug=slug).first() if slug else None

    def form_valid(self, form):
        user = form.user
        target = _safe_next(self.request, reverse("core:home"))
        if any(d.confirmed for d in devices_for_user(user)):
            # The password was right; the session only becomes signed in after the code.
            self.request.session[PENDING_USER] = user.pk
            self.request.session[PENDING_NEXT] = target
            self.request.session.pop(PENDING_PROVIDER, None)
            return redirect("core:login-two-factor")
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(target)


def _provider_or_404(key: str) -> oidc.IdentityProvider:
    provider = oidc.provider(key)
    if provider is None:
        raise Http404("No such identity provider.")
    return provider


def _refused(request, provider: oidc.IdentityProvider, refusal: oidc.SignInRefused):
    """Back to the sign-in page, which shows why (the provider's answer stays out of the address bar)."""
    refusal.log(provider)
    request.session[oidc.REFUSED_KEY] = refusal.message
    return redirect("core:login")


class SignInWith(generic.View):
    """ "Sign in with <provider>": off to the organisation's sign-in page."""

    http_method_names = ["get"]

    def get(self, request, provider):
        provider = _provider_or_404(provider)
        request.session[oidc.NEXT_KEY] = _safe_next(request, reverse("core:home"))
        redirect_uri = request.build_absolute_uri(reverse("core:login-with-done", args=[provider.key]))
        try:
            return oidc.start(request, provider, redirect_uri)
        except oidc.SignInRefused as refusal:
            return _refused(request, provider, refusal)


class SignInWithDone(generic.View):
    """The provider's answer: checked (jigsaw.core.oidc), matched to a Jigsaw sign-in by its
    verified email address, and signed in, or refused with the reason."""

    http_method_names = ["get"]

    def get(self, request, provider):
        provider = _provider_or_404(provider)
        try:
            claims = oidc.finish(request, provider)
            user = oidc.user_for(provider, claims)
        except oidc.SignInRefused as refusal:
            return _refused(request, provider, refusal)
        mfa = oidc.mfa_asserted(provider, claims)
        target = request.session.pop(oidc.NEXT_KEY, None) or reverse("core:home")
        if not mfa and any(d.confirmed for d in devices_for_user(user)):
            # The provider asserted one factor; the person's own authenticator is the second.
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_NEXT] = target
            request.session[PENDING_PROVIDER] = provider.key
            return redirect("core:login-two-factor")
        if not mfa and services.two_factor_required(user):
            return _refused(
                request,
                provider,
                oidc.SignInRefused(
                    f"{provider.name} did not confirm that you used multi-factor authentication, which your "
                    "partnership requires for business unit staff. Sign in again and complete your organisation's "
                    "extra check (a code, an app or a security key); if you were not asked for one, ask your "
                    "organisation's IT service desk to turn it on for Jigsaw.",
                    reason="no MFA asserted where the partnership requires two-factor authentication",
                    email=user.email,
                ),
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        oidc.record_sign_in(request, user, provider, mfa)
        return HttpResponseRedirect(target)


class SignInTwoFactor(JigsawMixin, generic.FormView):
    form_class = TokenForm
    template_name = "registration/login_two_factor.html"
    page_title = "Enter the code from your authenticator app"

    def dispatch(self, request, *args, **kwargs):
        from .models import User

        self.pending = User.objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()
        if self.pending is None:
            return redirect("core:login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if not all(d.verify_is_allowed()[0] for d in devices_for_user(self.pending)):
            form.add_error("otp_token", "Too many wrong codes. Wait a minute, then enter the code your app shows.")
            return self.form_invalid(form)
        device = next(
            (d for d in devices_for_user(self.pending) if d.verify_token(form.cleaned_data["otp_token"])),
            None,
        )
        if device is None:
            form.add_error("otp_token", "That code is not right or has expired. Enter the code your app shows now.")
            return self.form_invalid(form)
        target = self.request.session.get(PENDING_NEXT) or reverse("core:home")
        provider = oidc.provider(self.request.session.pop(PENDING_PROVIDER, None) or "")
        login(self.request, self.pending, backend="django.contrib.auth.backends.ModelBackend")
        otp_login(self.request, device)
        if provider is not None:
            oidc.record_sign_in(self.request, self.pending, provider, mfa=False)
        return HttpResponseRedirect(target)


class SignOut(django_auth.LogoutView):
    pass


class Account(SignedInView):
    template_name = "core/account.html"
    page_title = "Your account"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["has_two_factor"] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        context["two_factor_required"] = services.two_factor_required(user)
        context["tokens"] = ApiToken.objects.restrict(self.request.access)
        context["assignments"] = queries.own_role_assignments(user)
        context["signed_in_with"] = oidc.provider(oidc.session_provider(self.request) or "")
        context["signed_in_with_mfa"] = oidc.session_mfa(self.request, user)
        return context


class TwoFactorSetup(SignedInView, generic.FormView):
    """Scan a QR code, type the code it shows: the authenticator is then required at sign-in."""

    form_class = TokenForm
    template_name = "core/two_factor_setup.html"
    page_title = "Set up an authenticator app"

    def get_device(self):
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        return device or services.totp_device_start(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.get_device()
        # Inline SVG, not a script or a data: URL: nothing the Content Security Policy forbids.
        context["qr_svg"] = mark_safe(
            segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code for your authenticator app")
        )
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
        context["breadcrumbs"] = [("Your account", reverse("core:account")), ("Authenticator app", None)]
        return context

    def form_valid(self, form):
        device = self.get_device()
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("otp_token", "Too many wrong codes. Wait a minute, then enter the code your app shows.")
            return self.form_invalid(form)
        if not services.totp_device_confirm(
            user=self.request.user, device=device, token=form.cleaned_data["otp_token"]
        ):
            form.add_error(
                "otp_token",
                "That code is not right. Check the time on your phone is correct and enter the code your app shows now.",
            )
            return self.form_invalid(form)
        otp_login(self.request, device)
        messages.success(
            self.request, "Your authenticator app is set up. You will need a code from it each time you sign in."
        )
        return redirect("core:account")


class TwoFactorRemove(SignedInView, generic.FormView):
    form_class = Form
    template_name = "core/confirm.html"
    page_title = "Remove your authenticator app"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and services.two_factor_required(request.user):
            messages.error(
                request,
                "Your partnership requires an authenticator app for business unit staff, so it cannot be removed.",
            )
            return redirect("core:account")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "question": "You will no longer be asked for a code when you sign in.",
            "button": "Remove authenticator app",
            "cancel_url": reverse("core:account"),
        }

    def form_valid(self, form):
        services.totp_devices_remove(user=self.request.user)
        messages.success(self.request, "Your authenticator app has been removed.")
        return redirect("core:account")


class TokenCreate(SignedInView, generic.FormView):
    form_class = ApiTokenForm
    template_name = "core/form.html"
    page_title = "Create an API token"

    def get_breadcrumbs(self):
        return [("Your account", reverse("core:account")), ("New API token", None)]

    def form_valid(self, form):
        try:
            token, raw = services.api_token_create(
                user=self.request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        # Shown in this one answer (never cached: NoStoreMiddleware) and kept nowhere: only its hash is stored.
        return render(
            self.request,
            "core/token_created.html",
            {
                "page_title": "Your new API token",
                "token": token,
                "raw_token": raw,
                "breadcrumbs": [("Your account", reverse("core:account")), ("New API token", None)],
            },
        )


class SessionStay(SignedInView):
    """'Stay signed in' on the timeout warning: counts as activity. Answers the warning's script
    with 204, and a browser without script by going back to the page it was on."""

    http_method_names = ["post"]

    def post(self, request):
        request.session[LAST_SEEN] = int(time.time())
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(status=204)
        return HttpResponseRedirect(_safe_next(request, reverse("core:home")))


class TokenRevoke(SignedInView):
    http_method_names = ["post"]
    model = ApiToken

    def post(self, request, pk):
        token = get_object_or_404(ApiToken.objects.restrict(request.access, "change"), pk=pk, revoked_at__isnull=True)
        services.api_token_revoke(user=request.user, token=token)
        messages.success(request, f"Revoked the token '{token.name}'. Anything using it can no longer reach Jigsaw.")
        return redirect("core:account")


class PasswordReset(JigsawMixin, django_auth.PasswordResetView):
    form_class = PasswordLinkForm
    template_name = "registration/password_form.html"
    page_title = "Reset your password"
    extra_context = {
        "intro": "Enter the email address of your Jigsaw account. We will send a link to choose a new password.",
        "button": "Send reset link",
    }
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form):
        # Counted whether or not the address has an account, so a refusal reveals nothing.
        for throttle, ident in (
            (throttles.PASSWORD_RESET_CLIENT, throttles.client(self.request)),
            (throttles.PASSWORD_RESET_ADDRESS, form.cleaned_data["email"].strip().lower()),
        ):
            if throttle.hit(ident):
                return throttle.response(self.request)
        return super().form_valid(form)


class PasswordResetDone(JigsawMixin, django_auth.PasswordResetDoneView):
    page_title = "Check your email"


class PasswordResetConfirm(JigsawMixin, django_auth.PasswordResetConfirmView):
    template_name = "registration/password_form.html"
    page_title = "Choose a new password"
    extra_context = {"button": "Save password"}
    success_url = reverse_lazy("core:password_reset_complete")


class PasswordResetComplete(JigsawMixin, django_auth.PasswordResetCompleteView):
    page_title = "Your password has been changed"


class PasswordChange(JigsawMixin, django_auth.PasswordChangeView):
    template_name = "registration/password_form.html"
    page_title = "Change your password"
    extra_context = {"button": "Change password"}
    success_url = reverse_lazy("core:account")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)
