"""The demo, crawled as each role: every link reachable from the home page, and every record's
detail and edit page, answered without a server error and as the access policy says.

The demo is rich (themes, files, every status) where the permission matrix's World is thin, so
this finds what the matrix cannot: the 500 on a record with a learning theme, a page a
practitioner should never have been offered. What each answer should be is worked out the same
way as in the matrix: from the view's declared roles and the model's scope rule, which
tests/core/test_access_policy.py holds to docs/access.md.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import deque
from html import unescape
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from jigsaw.core.demo import SIGN_INS
from jigsaw.core.files import FileDownload
from jigsaw.core.generic import PUBLIC, PartnershipMixin
from jigsaw.core.models import User
from jigsaw.core.scoping import Access, Action, Role

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]*)')
# Files and exports are generated documents, not pages: the report's and the exports' own tests
# open them. Signing out would end the crawl.
NOT_CRAWLED = re.compile(
    r"^/(static|media)/|/(export|download|pdf|docx|feed|figures\.json)\b|\.(csv|xlsx|pdf|docx|json|xml|ics)$|^/accounts/sign-out/"
)


def _view_of(path: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    view = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    return view, match


def expected(path: str, access: Access) -> set[int]:
    """What the declaration and the scope rules say `access` should get from a GET of `path`."""
    view, match = _view_of(path)
    if view is None:
        return {404}
    if not issubclass(view, PartnershipMixin):
        return {200, 302}
    if view.roles == PUBLIC:
        # The public site offers what is published and open (an event past its booking date is
        # not found there): whatever it shows, it must not fail.
        return {200, 302, 404}
    if not access.has_role(*view.roles):
        return {403}
    model = getattr(view, "model", None)
    action = getattr(view, "action", Action.VIEW)
    pk = match.kwargs.get("pk")
    if model is None or pk is None:
        return {200, 302} if model is None or action == Action.VIEW or access.can(action, model) else {403}
    if not model.objects.restrict(access, Action.VIEW).filter(pk=pk).exists():
        return {404}
    if action != Action.VIEW and not model.objects.restrict(access, action).filter(pk=pk).exists():
        return {403}
    return {200, 302}


def _links(html: str) -> set[str]:
    found = set()
    for href in HREF.findall(html):
        href = urldefrag(unescape(href))[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if not NOT_CRAWLED.search(parts.path):
            found.add(parts.path)  # filters and pages of a list are the same page
    return found


# Records a route is requested with: one. A list links to each of its records, and the demo has
# 200 restraint incidents and 40 organisation names; one of each shows what the page does with
# the demo's data, and the whole crawl fits the suite's time budget.
PER_ROUTE = 1


def record_pages(partnership) -> set[str]:
    """Records' detail and edit pages: each URL with a <pk> whose view names its model, for the
    partnership's first record of that model."""
    from tests.core.test_permission_matrix import ROUTES

    pages = set()
    for route in ROUTES.values():
        view = route.view_class
        converters = route.pattern.pattern.converters
        if route.is_api or set(converters) - {"partnership", "pk"} or "pk" not in converters:
            continue
        if "get" not in getattr(view, "http_method_names", ["get"]) or not issubclass(view, PartnershipMixin):
            continue
        model = getattr(view, "model", None)
        if model is None:
            continue
        path = getattr(model, "partnership_path", "partnership")
        records = (
            model._base_manager.filter(**{path: partnership})
            if path and path != "pk"
            else model._base_manager.filter(pk=partnership.pk)
        )
        if issubclass(view, FileDownload):
            pk = _first_with_a_stored_file(view, records)
        else:
            pk = records.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            pages.add(reverse(route.name, kwargs={"partnership": partnership.slug, "pk": pk}))
    return pages


def _first_with_a_stored_file(view, records):
    """A download page is asked for a record whose file is there: one with no file, or whose file
    left the store (an import's, once imported), answers 'not found', which is right."""
    from django.core.files.storage import default_storage

    downloader = view()
    for record in records.order_by("pk")[:500]:
        name = downloader.stored_name(record)
        if downloader.stored_content(record) or (name and default_storage.exists(name)):
            return record.pk
    return None


def crawl(client: Client, access: Access, start: str, also: set[str]) -> tuple[dict[str, int], list[str]]:
    """GET every page reachable from `start` by links, then those of `also` (records' pages) whose
    route the links did not reach, and what they link to; returns each path's status and the
    answers that break the policy."""
    seen: dict[str, int] = {}
    wrong = []
    per_route: dict[str, int] = {}
    queue = deque([start])
    pending = sorted(also)
    while queue or pending:
        if not queue:
            # The links are followed: a record page is requested only for a route they missed.
            path = pending.pop(0)
            _, match = _view_of(path)
            if path in seen or (match is not None and per_route.get(match.view_name, 0) >= PER_ROUTE):
                continue
            queue.append(path)
        path = queue.popleft()
        if path in seen:
            continue
        _, match = _view_of(path)
        if match is not None and match.kwargs.get("pk") is not None:
            # A list links to each of its records: one of them stands for the rest.
            per_route[match.view_name] = per_route.get(match.view_name, 0) + 1
            if per_route[match.view_name] > PER_ROUTE:
                continue
        response = client.get(path)
        seen[path] = response.status_code
        allowed = expected(path, access)
        if response.status_code >= 500 or response.status_code not in allowed:
            wrong.append(f"{path}: {response.status_code}, expected {sorted(allowed)}")
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue.extend(_links(response.content.decode()) - seen.keys())
    return seen, wrong


@pytest.fixture(scope="module")
def records(demo, django_db_blocker):
    """The demo's record pages, worked out once for the module: the demo stays loaded in the
    worker's open transaction (see tests/conftest.py `Durham`), and a module-scoped fixture
    reaches the database only through the blocker."""
    with django_db_blocker.unblock():
        return record_pages(demo.partnership)


@pytest.mark.parametrize("sign_in", SIGN_INS, ids=[s.role for s in SIGN_INS])
def test_every_page_reachable_as_each_role_answers_as_the_policy_says(demo, records, sign_in, record_property):
    user = User.objects.get(email=sign_in.email)
    client = Client(raise_request_exception=False)  # a 500 is a finding to list, not the end of the crawl
    client.force_login(user)
    access = Access.for_user(user, demo.partnership)
    started = time.monotonic()
    seen, wrong = crawl(client, access, f"/{demo.partnership.slug}/", records)
    record_property("urls", len(seen))
    if os.environ.get("JIGSAW_CRAWL_DUMP"):  # for looking at what a role is offered
        Path(os.environ["JIGSAW_CRAWL_DUMP"], f"{sign_in.role}.json").write_text(
            json.dumps(seen, indent=0, sort_keys=True)
        )
    print(
        f"\n{sign_in.role}: crawled {len(seen)} URLs in {time.monotonic() - started:.0f} s; {sum(1 for s in seen.values() if s == 200)} answered 200"
    )
    assert not wrong, (
        f"{len(wrong)} of {len(seen)} answers break the policy as {Role(sign_in.role).label}:\n" + "\n".join(wrong[:60])
    )


def test_the_crawl_can_fail(demo, monkeypatch):
    """A page that serves a record the policy hides is caught: a person page fetching without
    the scoping helper shows the practitioner someone else's record, and the crawl reports it."""
    from django.shortcuts import get_object_or_404

    from jigsaw.core import views
    from jigsaw.core.models import Person

    monkeypatch.setattr(
        views.PersonDetail,
        "get_object",
        lambda self, queryset=None: get_object_or_404(Person._base_manager, pk=self.kwargs["pk"]),
    )
    user = User.objects.get(email=next(s.email for s in SIGN_INS if s.role == Role.PRACTITIONER))
    client = Client()
    client.force_login(user)
    someone = Person._base_manager.filter(partnership=demo.partnership).exclude(user=user).first()
    page = reverse("core:person", args=[demo.partnership.slug, someone.pk])
    _, wrong = crawl(client, Access.for_user(user, demo.partnership), page, set())
    assert wrong and wrong[0].startswith(f"{page}: 200, expected [404]")


def _signed_in(role) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=next(s.email for s in SIGN_INS if s.role == role)))
    return client


def _text(html: str, element_id: str) -> str | None:
    found = re.search(rf'id="{element_id}">(.*?)</', html, re.S)
    return re.sub(r"\s+", " ", unescape(found.group(1))).strip() if found else None


def test_the_partnership_return_rate_is_the_same_for_every_role_that_sees_it(demo):
    """The demo's section 11 round once read 66%, 100%, 80% and 'No one invited yet' under one
    partnership heading, for four roles. Now each reads the partnership's figure, as the annual
    report computes it, and the agency lead's own part is labelled as theirs."""
    from jigsaw.assurance.models import Return, ReturnStatus, Round
    from jigsaw.assurance.queries import percent

    round = (
        Round.objects.filter(partnership=demo.partnership, returns__isnull=False)
        .distinct()
        .order_by("-period_end")
        .first()
    )
    returns = Return._base_manager.filter(round=round)
    invited, returned = returns.count(), returns.filter(status=ReturnStatus.SUBMITTED).count()
    partnership_rate = f"{percent(returned, invited)}% ({returned} of {invited} invited)"
    pages = {
        role: _signed_in(role).get(round.get_absolute_url()).content.decode()
        for role in (Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.AGENCY_LEAD, Role.GROUP_CHAIR)
    }
    assert {role: _text(page, "return-rate") for role, page in pages.items()} == dict.fromkeys(pages, partnership_rate)
    lead = Access.for_user(
        User.objects.get(email=next(s.email for s in SIGN_INS if s.role == Role.AGENCY_LEAD)), demo.partnership
    )
    own = returns.filter(agency_id__in=lead.agency_ids)
    assert "Your agency&#x27;s returns" in pages[Role.AGENCY_LEAD] or "Your agency's returns" in pages[Role.AGENCY_LEAD]
    assert (
        _text(pages[Role.AGENCY_LEAD], "own-return-rate")
        == f"{own.filter(status=ReturnStatus.SUBMITTED).count()} of {own.count()} returned"
    )
    assert _text(pages[Role.BUSINESS_UNIT], "own-return-rate") is None


def test_pages_say_none_you_can_see_rather_than_none_yet(demo):
    """A chair with no panel seat is told case reviews are not theirs to see, not that none
    exist; the agency lead's restraint list is labelled as their agency's."""
    clocks = _signed_in(Role.GROUP_CHAIR).get(reverse("learning:clocks", args=[demo.partnership.slug]))
    assert clocks.status_code == 200
    page = clocks.content.decode()
    assert "Nothing is overdue" not in page and 'id="reviews-not-seen"' in page
    business_unit = (
        _signed_in(Role.BUSINESS_UNIT).get(reverse("learning:clocks", args=[demo.partnership.slug])).content.decode()
    )
    assert 'id="reviews-not-seen"' not in business_unit and "Overdue" in business_unit
    restraint = (
        _signed_in(Role.AGENCY_LEAD).get(reverse("assurance:restraint", args=[demo.partnership.slug])).content.decode()
    )
    assert "No incidents recorded yet" not in restraint
    assert "Your agency&#x27;s incidents" in restraint or "Your agency's incidents" in restraint
