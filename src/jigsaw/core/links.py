"""Links emailed to people who have no account: a learner's booking, their follow-up question, a
line manager's question about a learner's practice.

Each record holds an unguessable code (`new_code`). What we email is the code signed, with the
time it was sent, by django.core.signing (`code:time:signature`), under a salt of its own kind:
a link refuses when it is older than its kind allows or when any character of it was changed, and
a booking's link does not open a manager's question. The page says which, and what to do.

A bare code is a link emailed before links were signed (people keep a booking's email for months)
or the site's own redirect straight after booking: it opens while a link sent when the record was
made would still open, so taking the signature off a link never makes it last longer.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

NOT_VALID = "This link is not valid: it may have been copied wrongly. Use the link in your most recent email."


def new_code() -> str:
    """A record's code: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def public_url(name: str, *args) -> str:
    """An address on this Jigsaw for an email: the site's own host, whoever sends it."""
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


class LinkRefused(Exception):
    """An expired or altered link; `expired` says which (the page answers 410 or 404). Not a
    ValidationError: a form page must not show it as a mistake in what was typed."""

    def __init__(self, message: str, *, expired: bool):
        super().__init__(message)
        self.message = message
        self.expired = expired


@dataclass(frozen=True)
class SignedLink:
    url_name: str  # "training:booking": takes the partnership's slug and the token
    salt: str  # one per kind of link
    max_age: datetime.timedelta
    expired: str  # what the person reads, with what to do next
    issued: Callable[[object], datetime.datetime]  # when a bare code's link would have been sent

    def token(self, record) -> str:
        return signing.TimestampSigner(salt=self.salt).sign(record.code)

    def url(self, record) -> str:
        return public_url(self.url_name, record.partnership.slug, self.token(record))

    def open(self, records, token: str):
        """The record the link is for, from `records` (the partnership's, already narrowed);
        raises Http404 for no such record and LinkRefused for an expired or altered link."""
        if ":" not in token:
            record = get_object_or_404(records, code=token)
            if timezone.now() - self.issued(record) > self.max_age:
                raise LinkRefused(self.expired, expired=True)
            return record
        try:
            code = signing.TimestampSigner(salt=self.salt).unsign(token, max_age=self.max_age)
        except signing.SignatureExpired:
            raise LinkRefused(self.expired, expired=True) from None
        except signing.BadSignature:
            raise LinkRefused(NOT_VALID, expired=False) from None
        return get_object_or_404(records, code=code)


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class SignedLinkMixin:
    """A page reached from a SignedLink: `linked()` is its record, fetched once; an expired or
    altered link is answered with a page saying so, whatever the page was about to do."""

    link: SignedLink
    link_kwarg = ""  # the URL's name for the token: "booking_code"
    link_records = None  # a manager of the records the link may open: Booking._base_manager

    def linked(self):
        if getattr(self, "_linked", None) is None:
            records = self.link_records.filter(partnership=self.partnership)
            self._linked = self.link.open(records, self.kwargs[self.link_kwarg])
        return self._linked

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except LinkRefused as refused:
            return render(
                request,
                "core/link_refused.html",
                {"message": refused.message, "expired": refused.expired},
                status=410 if refused.expired else 404,
            )
