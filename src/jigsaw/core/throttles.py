"""Throttles on what an outsider can repeat: password-reset requests (per address and per
client), API token failures, public bookings and newsletter sign-ups (per client).

Counts live in a table (`ThrottleHit`), shared by every server process without a cache server.
A throttle counts attempts whatever their outcome, so a refusal says nothing about whether an
email address has an account. Limits are per rolling window.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ThrottleHit


@dataclass(frozen=True)
class Throttle:
    name: str
    limit: int
    window: datetime.timedelta
    message: str  # what the person is told when it is reached

    def _key(self, ident: str) -> str:
        return hashlib.sha256(f"{settings.SECRET_KEY}:{self.name}:{ident}".encode()).hexdigest()

    def exceeded(self, ident: str) -> bool:
        """Whether `ident` has already used its attempts in this window (nothing is counted)."""
        since = timezone.now() - self.window
        return ThrottleHit.objects.filter(key=self._key(ident), at__gt=since).count() >= self.limit

    def hit(self, ident: str) -> bool:
        """Count one attempt; True when it is over the limit (the attempt must then be refused)."""
        if self.exceeded(ident):
            return True
        now = timezone.now()
        ThrottleHit.objects.create(key=self._key(ident), at=now)
        if random.random() < 0.01:  # now and then, forget attempts older than any window
            ThrottleHit.objects.filter(at__lt=now - datetime.timedelta(days=1)).delete()
        return False

    @property
    def wait_minutes(self) -> int:
        return max(1, int(self.window.total_seconds() // 60))

    def response(self, request):
        body = render_to_string(
            "429.html", {"message": self.message, "wait_minutes": self.wait_minutes}, request=request
        )
        response = HttpResponse(body, status=429)
        response["Retry-After"] = str(int(self.window.total_seconds()))
        return response


HOUR = datetime.timedelta(hours=1)
PASSWORD_RESET_ADDRESS = Throttle(
    "reset-address", 5, HOUR, "Too many password reset links have been asked for this email address."
)
# A council or trust's staff share one address, so per client is generous.
PASSWORD_RESET_CLIENT = Throttle(
    "reset-client", 20, HOUR, "Too many password reset links have been asked for from your network."
)
API_FAILURES = Throttle("api-failures", 20, datetime.timedelta(minutes=10), "Too many requests with a wrong API token.")
BOOKINGS = Throttle("bookings", 20, HOUR, "Too many bookings have been made from your network.")
NEWSLETTER = Throttle("newsletter", 10, HOUR, "Too many newsletter sign-ups have been made from your network.")


def client(request) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies in front of Jigsaw
    (JIGSAW_NUM_PROXIES of them) saw, which a client cannot forge."""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")
