"""Shared fixtures: partnerships, agencies and one signed-in user per role, made through the
same services the pages use."""

from __future__ import annotations

import atexit
import copy
import shutil
import tempfile
import importlib.util
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings

from jigsaw.core import services
from jigsaw.core.models import Sector, StatutoryRole
from jigsaw.core.scoping import Role

PASSWORD = "correct-horse-battery-staple"


# Uploaded files go to a folder of this run, never the developer's data folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="jigsaw-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)


def _test_settings(settings) -> dict:
    return {
        "MEDIA_ROOT": MEDIA_ROOT,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "STORAGES": {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        # Every test Client builds the middleware again, and WhiteNoise would scan every
        # collected static file each time (about a second); looking files up on demand is free.
        "WHITENOISE_AUTOREFRESH": True,
    }


def pytest_collection_modifyitems(config, items):
    """Under xdist (`--dist loadgroup`) a module that builds a World or loads the demo runs on
    one worker, so its module-scoped fixture is built once; the permission matrix, which shares
    one World per worker, is still spread across workers."""
    for item in items:
        if {"world", "demo"} & set(item.fixturenames) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    for name, value in _test_settings(settings).items():
        setattr(settings, name, value)


class World:
    """Two partnerships with the same shape, so every test can check the boundary between them."""

    def __init__(self):
        self.partnership = services.partnership_create(name="Durham Safeguarding Children Partnership", slug="durham", area="County Durham")
        self.other = services.partnership_create(name="Darlington Safeguarding Partnership", slug="darlington", area="Darlington")
        self.police = services.agency_create(actor=None, partnership=self.partnership, name="Durham Constabulary", sector=Sector.POLICE, statutory_role=StatutoryRole.POLICE)
        self.council = services.agency_create(actor=None, partnership=self.partnership, name="Durham County Council", sector=Sector.CHILDREN_SOCIAL_CARE, statutory_role=StatutoryRole.LOCAL_AUTHORITY)
        self.other_agency = services.agency_create(actor=None, partnership=self.other, name="Darlington Borough Council", sector=Sector.CHILDREN_SOCIAL_CARE, statutory_role=StatutoryRole.LOCAL_AUTHORITY)
        self.other_person = services.person_create(actor=None, partnership=self.other, name="Dana Other", email="dana@darlington.example", agency=self.other_agency)
        self.users = {}
        for role in Role.values:
            agency = self.police if role in (Role.AGENCY_LEAD, Role.PRACTITIONER) else self.council
            person = services.person_create(actor=None, partnership=self.partnership, name=f"{Role(role).label} Person", email=f"{role}@durham.example", agency=agency)
            user = services.user_create(email=person.email, password=PASSWORD, person=person)
            services.role_assign(actor=None, user=user, partnership=self.partnership, role=role, agency=agency if role == Role.AGENCY_LEAD else None)
            self.users[role] = user
        # Someone who holds a role only in the other partnership.
        outsider_person = services.person_create(actor=None, partnership=self.other, name="Olly Outsider", email="olly@darlington.example", agency=self.other_agency)
        self.outsider = services.user_create(email=outsider_person.email, password=PASSWORD, person=outsider_person)
        services.role_assign(actor=None, user=self.outsider, partnership=self.other, role=Role.BUSINESS_UNIT)
        self.theme = services.theme_create(actor=None, partnership=self.partnership, name="Professional curiosity")
        # URL arguments other than <partnership> and <pk>: name -> function(world, target) -> value.
        self.url_arguments = {}
        for populate in _world_extensions():
            populate(self)

    def populate_other(self) -> "World":
        """Fill the other partnership too, through the same tests/<app>/world.py files, so the
        permission matrix can request each URL with the other partnership's record. Returns
        the other side: its partnership, agencies, one sign-in per role and its records."""
        other = World.__new__(World)  # the same shape, none of this side's records
        other.partnership, other.other = self.other, self.partnership
        other.outsider = self.users[Role.BUSINESS_UNIT]
        other.council = self.other_agency
        other.police = services.agency_create(actor=None, partnership=self.other, name="Durham Police (Darlington office)", sector=Sector.POLICE, statutory_role=StatutoryRole.POLICE)
        other.users = {}
        for role in Role.values:
            agency = other.police if role in (Role.AGENCY_LEAD, Role.PRACTITIONER) else other.council
            person = services.person_create(actor=None, partnership=self.other, name=f"Darlington {Role(role).label}", email=f"{role}@darlington.example", agency=agency)
            user = services.user_create(email=person.email, password=PASSWORD, person=person)
            services.role_assign(actor=None, user=user, partnership=self.other, role=role, agency=agency if role == Role.AGENCY_LEAD else None)
            other.users[role] = user
        other.theme = services.theme_create(actor=None, partnership=self.other, name="Professional curiosity")
        other.url_arguments = {}
        for populate in _world_extensions():
            populate(other)
        self.other_side = other
        return other

    def client(self, role: str | None) -> Client:
        client = Client()
        if role == "outsider":
            client.force_login(self.outsider)
        elif role is not None:
            client.force_login(self.users[role])
        return client


def _world_extensions():
    """Each app adds its example records in tests/<app>/world.py, `populate(world)`, run in
    INSTALLED_APPS order, so the permission matrix finds a target for every <pk> URL."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jigsaw.") or config.label == "core":
            continue
        path = Path(__file__).parent / config.label / "world.py"
        if path.exists():
            spec = importlib.util.spec_from_file_location(f"tests.{config.label}.world", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            found.append(module.populate)
    return found


@pytest.fixture
def world(_module_world, db) -> World:
    """The World, built once per module and rolled back after it; each test gets its own copy
    of the Python objects (as Django's setUpTestData does) and its writes are undone by its own
    savepoint, so tests stay independent while the World is built a few dozen times, not
    thousands."""
    return copy.deepcopy(_module_world)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), _rolled_back():
        yield World()


@contextmanager
def _rolled_back():
    """A transaction around a whole module's fixture, rolled back after the module; each test
    inside runs in its own savepoint (it must also request `db`), so tests stay independent."""
    from django.conf import settings

    with override_settings(**_test_settings(settings)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def shared_world(_module_world) -> World:
    """The module's World itself, not a copy, for a module of many read-only tests (the
    permission matrix's thousands of rows); each test must also request `db`."""
    return _module_world


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo partnership (`jigsaw demo`), loaded once for a module and rolled back after it:
    loading it takes seconds, and a dozen modules check it against the annual report."""
    from jigsaw.core.demo import load_demo

    from jigsaw.core.models import Partnership

    with django_db_blocker.unblock(), _rolled_back():
        # The World is Durham too: the demo would load into it and the counts would be wrong.
        assert not Partnership._base_manager.filter(slug="durham").exists(), "Test the demo in a module with no `world` tests."
        yield load_demo()
