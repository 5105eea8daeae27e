"""Every URL × every role, generated from the URL configuration.

A new URL is in this matrix the moment it is in urls.py. What each role should get is read from
the view's own declaration (its `roles`, its `model`, its `action`) and from the model's scope
rule; what it does get comes from a real request. A view that forgets the scoping helper serves
a record the rule hides, and its row here fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jigsaw.core.audit import AuditEntry
from jigsaw.core.generic import PUBLIC, PartnershipMixin, SignedInView
from jigsaw.core.models import ApiToken, Person, RoleAssignment
from jigsaw.core.scoping import Access, Action, Role

ROLES = [*Role.values, "outsider", None]  # None: the public, signed out

# No URL is outside the matrix. (Django's admin is not installed: it would read around the
# scoping helper.)
OUTSIDE_THE_MATRIX: set[str] = set()
# Pages anyone may open, signed in or not.
PUBLIC_SITE_REDIRECTS = {"core:partnership"}
PUBLIC_PAGES = {
    "healthz",
    "openapi",
    "api-docs",
    "core:login",
    "core:password_reset",
    "core:password_reset_done",
    "core:password_reset_confirm",
    "core:password_reset_complete",
}
# Signing in through an identity provider: none is configured for the matrix, so each is not found
# for everyone (tests/core/test_oidc.py signs in through a real one).
SIGN_IN_WITH_PROVIDER = {"core:login-with", "core:login-with-done"}


@dataclass
class Route:
    name: str
    pattern: URLPattern

    @property
    def view_class(self):
        callback = self.pattern.callback
        return getattr(callback, "view_class", None) or getattr(callback, "cls", None)

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


def _walk(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name in OUTSIDE_THE_MATRIX:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif entry.name and not entry.name.endswith("-root") and "format" not in str(entry.pattern):
            yield Route(f"{namespace}{entry.name}", entry)


ROUTES = {route.name: route for route in _walk(get_resolver())}


def test_the_matrix_sees_the_whole_url_configuration():
    # Guards the generator itself: if it stopped finding URLs, the matrix would pass vacuously.
    assert {
        "core:partnership",
        "core:agency",
        "core:person",
        "core:audit",
        "api:person-detail",
        "api:agency-list",
    } <= set(ROUTES)
    assert len(ROUTES) >= 30


def _target(route: Route, world, user):
    """The record a <pk> in the URL points at: one in the signed-in partnership."""
    if "pk" not in route.pattern.pattern.converters and "pk" not in route.pattern.pattern.regex.groupindex:
        return None
    view = route.view_class
    model = getattr(view, "model", None)
    if model is None and hasattr(view, "serializer_class"):
        model = view.serializer_class.Meta.model
    if model is Person:
        # Someone other than the viewer, so 'only their own record' rules are exercised.
        return (
            world.users[Role.MEMBER].person
            if user != world.users[Role.MEMBER]
            else world.users[Role.GROUP_CHAIR].person
        )
    if model is RoleAssignment:
        return RoleAssignment.objects.get(user=world.users[Role.MEMBER])
    if model is ApiToken:
        from jigsaw.core import services

        token, _ = services.api_token_create(user=world.users[Role.PRACTITIONER], name="matrix")
        return token
    if model is not None:
        path = getattr(model, "partnership_path", "partnership")
        record = model._base_manager.filter(
            **{path: world.partnership.pk if path == "pk" else world.partnership}
        ).first()
        assert record is not None, (
            f"Add a {model.__name__} to World (tests/conftest.py, or tests/<app>/world.py) so the matrix can request {route.name}"
        )
        return record
    return None


def _kwargs(route: Route, world, target) -> dict:
    kwargs = {}
    for name in route.pattern.pattern.converters:
        if name in ("partnership", "partnership_slug"):
            kwargs[name] = world.partnership.slug
        elif name == "slug":
            kwargs[name] = world.partnership.slug
        elif name == "pk":
            kwargs[name] = target.pk if target is not None else world.police.pk
        elif name == "record_type":
            kwargs[name] = "core.agency"
        elif name == "uidb64":
            kwargs[name] = "MQ"
        elif name == "token":
            kwargs[name] = "set-password"
        elif name == "provider":
            kwargs[name] = "county"
        elif name in world.url_arguments:
            kwargs[name] = world.url_arguments[name](world, target)
        else:  # pragma: no cover - a new kind of URL argument needs a value here
            raise AssertionError(
                f"The permission matrix has no value for <{name}> in {route.name}: add world.url_arguments[{name!r}] in tests/<app>/world.py"
            )
    for name in route.pattern.pattern.regex.groupindex:
        kwargs.setdefault(
            name, world.partnership.slug if "partnership" in name or name == "slug" else (target.pk if target else None)
        )
    return kwargs


def _expected(route: Route, role, world, target) -> set[int]:
    """What the declaration and the scope rules say this role should get."""
    view = route.view_class
    user = world.outsider if role == "outsider" else world.users.get(role)
    if route.name in SIGN_IN_WITH_PROVIDER:
        return {404}
    if route.name in PUBLIC_PAGES or getattr(view, "roles", None) == PUBLIC:
        return {200, 302} if route.name == "core:password_reset_confirm" else {200}
    if route.is_api:
        return _expected_api(route, role, world, target)
    if role is None and route.name == "core:home":
        return {200}  # the list of the partnerships' public sites (a redirect to it when there is one)
    if role is None:
        return {302}  # to the sign-in page
    ok = {302} if _post_only(view) else {200, 302}
    if getattr(view, "site_admin_only", False):
        return ok if user.is_staff else {403}  # the hosting organisation's pages, above partnerships
    if issubclass(view, SignedInView) or not issubclass(view, PartnershipMixin):
        if getattr(view, "model", None) is ApiToken:
            return ok if target.user == user else {404}
        return ok
    access = Access.for_user(user, world.partnership)
    if not access.roles:
        return {404}  # another partnership's pages do not exist for you
    if not access.has_role(*view.roles):
        return {403}
    model = getattr(view, "model", None)
    action = getattr(view, "action", Action.VIEW)
    if model is None:
        return ok
    if target is None:  # a list, a create form or a page about the partnership itself
        return ok if action == Action.VIEW or access.can(action, model) else {403}
    if route.name == "core:record-history":
        return ok if AuditEntry.objects.restrict(access).filter(object_pk=str(world.police.pk)).exists() else {404}
    if not model.objects.restrict(access, Action.VIEW).filter(pk=target.pk).exists():
        return {404}
    if action != Action.VIEW and not model.objects.restrict(access, action).filter(pk=target.pk).exists():
        return {403}
    return ok


def _expected_api(route: Route, role, world, target) -> set[int]:
    if role is None:
        return {401, 403}
    user = world.outsider if role == "outsider" else world.users[role]
    if route.name.startswith("api:partnership-"):
        if route.name == "api:partnership-list":
            return {200}
        return {200} if Access.for_user(user).partnership_ids & {world.partnership.pk} else {404}
    access = Access.for_user(user, world.partnership)
    if not access.roles:
        return {404}
    if route.name.endswith("-list"):
        return {200}
    model = route.view_class.serializer_class.Meta.model
    return {200} if model.objects.restrict(access).filter(pk=target.pk).exists() else {404}


def _post_only(view) -> bool:
    return "get" not in getattr(view, "http_method_names", ["get"])


CASES = [(name, role) for name in sorted(ROUTES) for role in ROLES]


def _prepare(world, name, role):
    """The route, the URL to request and the record it targets, for one row of the matrix."""
    route = ROUTES[name]
    user = world.outsider if role == "outsider" else world.users.get(role)
    target = _target(route, world, user)
    return route, reverse(name, kwargs=_kwargs(route, world, target)), target


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_url_role_matrix(shared_world, signed_in, db, name, role):
    _check_row(shared_world, signed_in, name, role)


def _check_row(world, signed_in, name, role):
    route, url, target = _prepare(world, name, role)
    # Worked out before the request: a permitted POST may remove the very record it targets.
    expected = _expected(route, role, world, target)
    client = signed_in(role)
    response = client.post(url) if _post_only(route.view_class) else client.get(url)
    assert response.status_code in expected, (
        f"{role or 'public'} got {response.status_code} from {url}, expected {sorted(expected)}"
    )
    if response.status_code == 302 and role is None and name in PUBLIC_SITE_REDIRECTS:
        # The public's home is the partnership's public site, not the sign-in page.
        assert response["Location"] == reverse("policies:public-home", args=[world.partnership.slug])
    elif response.status_code == 302 and role is None and name not in PUBLIC_PAGES:
        assert response["Location"].startswith(reverse("core:login"))


def test_matrix_catches_a_view_that_skips_the_scoping_helper(shared_world, signed_in, db, monkeypatch):
    """The matrix can fail: a person page fetching without restrict() shows a practitioner
    someone else's record, and the matrix row for it fails."""
    from django.shortcuts import get_object_or_404

    from jigsaw.core import views

    monkeypatch.setattr(
        views.PersonDetail,
        "get_object",
        lambda self, queryset=None: get_object_or_404(Person._base_manager, pk=self.kwargs["pk"]),
    )
    with pytest.raises(AssertionError, match="practitioner got 200"):
        _check_row(shared_world, signed_in, "core:person", Role.PRACTITIONER)


def _takes_form_posts(route: Route) -> bool:
    if route.is_api:
        return route.name.endswith("-list")  # where records are created
    return hasattr(route.view_class, "post") and not _post_only(route.view_class)


FORM_CASES = [(name, role) for name in sorted(ROUTES) if _takes_form_posts(ROUTES[name]) for role in ROLES]


@pytest.mark.parametrize(("name", "role"), FORM_CASES, ids=[f"{n}-{r}" for n, r in FORM_CASES])
def test_posting_an_empty_form_is_scoped_like_reading_it(shared_world, signed_in, db, name, role):
    """A view may guard GET and forget POST: an empty submission must meet the same door."""
    world = shared_world
    route, url, target = _prepare(world, name, role)
    expected = _expected_api_create(route, role, world) if route.is_api else _expected(route, role, world, target)
    response = signed_in(role).post(url, {})
    assert response.status_code in expected, (
        f"{role or 'public'} got {response.status_code} posting to {url}, expected {sorted(expected)}"
    )


def _expected_api_create(route: Route, role, world) -> set[int]:
    if role is None:
        return {401, 403}
    user = world.outsider if role == "outsider" else world.users[role]
    if route.name == "api:partnership-list":
        return {405}
    access = Access.for_user(user, world.partnership)
    if not access.roles:
        return {404}
    view = route.view_class
    if "post" not in getattr(view, "http_method_names", ["post"]):
        return {405}  # a read-only resource (the region's shared figures): nothing is created there
    if getattr(view, "create_roles", None) is not None and not access.has_role(*view.create_roles):
        return {403}
    return {400} if access.can(Action.CHANGE, view.serializer_class.Meta.model) else {403}


# --- The other partnership's records ------------------------------------------------------------
# Both partnerships are filled through the same world.py files; every <pk> URL is requested with
# the other partnership's record, under this partnership's slug (a role here: not found, or
# forbidden where the role may not open the page at all) and under the other's (no role there:
# not found). One test per URL, looping over the roles, keeps the failures readable.


def _pk_routes() -> list[str]:
    names = []
    for name, route in sorted(ROUTES.items()):
        converters = route.pattern.pattern.converters
        if "pk" not in converters and "pk" not in route.pattern.pattern.regex.groupindex:
            continue
        model = getattr(route.view_class, "model", None)
        if model is None and hasattr(route.view_class, "serializer_class"):
            model = route.view_class.serializer_class.Meta.model
        if model is None or getattr(model, "partnership_path", "partnership") in (None, "pk"):
            continue  # a token is its user's, not a partnership's; a partnership is its own slug
        names.append(name)
    return names


@pytest.fixture(scope="module")
def other_side(shared_world, django_db_blocker):
    """The other partnership filled in a savepoint of the shared World, rolled back after this
    module, so the next module finds Durham as it was built (its other partnership all but empty)."""
    savepoint = transaction.atomic()
    with django_db_blocker.unblock():
        savepoint.__enter__()
        try:
            other = shared_world.populate_other()
        except BaseException:
            transaction.set_rollback(True)
            savepoint.__exit__(None, None, None)
            raise
    yield other
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        savepoint.__exit__(None, None, None)
    del shared_world.other_side


def _with_slug(kwargs: dict, slug: str) -> dict:
    return {
        name: slug if name in ("partnership", "partnership_slug", "slug") else value for name, value in kwargs.items()
    }


@pytest.mark.parametrize("name", _pk_routes())
def test_another_partnerships_record_is_not_found(shared_world, signed_in, other_side, db, name):
    world = shared_world
    route = ROUTES[name]
    view = route.view_class
    model = getattr(view, "model", None) or view.serializer_class.Meta.model
    path = getattr(model, "partnership_path", "partnership")
    foreign = model._base_manager.filter(**{path: world.other}).first()
    assert foreign is not None, (
        f"Add a {model.__name__} to tests/<app>/world.py for both partnerships, so {name} is requested with the other partnership's record"
    )
    kwargs = _kwargs(route, other_side, foreign)
    wrong = []
    for role in Role.values:
        client = signed_in(role)
        for slug in (world.partnership.slug, world.other.slug):
            if slug == world.other.slug and getattr(view, "roles", None) == PUBLIC:
                continue  # the other partnership's public page is public
            url = reverse(name, kwargs=_with_slug(kwargs, slug))
            response = client.post(url) if _post_only(view) else client.get(url)
            allowed = {404}
            if (
                slug == world.partnership.slug
                and not route.is_api
                and getattr(view, "roles", PUBLIC) != PUBLIC
                and not Access.for_user(world.users[role], world.partnership).has_role(*view.roles)
            ):
                allowed = {403}  # the page is closed to the role whatever the record: nothing about it is confirmed
            if response.status_code not in allowed:
                wrong.append(f"{role} got {response.status_code} from {url}, expected {sorted(allowed)}")
    assert not wrong, "\n".join(wrong)
