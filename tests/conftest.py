"""Shared fixtures: partnerships, agencies and one signed-in user per role, made through the
same services the pages use."""

from __future__ import annotations

import atexit
import copy
import importlib.util
import shutil
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings

from jigsaw.core import services
from jigsaw.core.models import Sector, StatutoryRole
from jigsaw.core.scoping import Role
from tests.files import png_bytes

PASSWORD = "correct-horse-battery-staple"


# Uploaded files go to a folder of this run, never the developer's data folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="jigsaw-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)


def _test_settings(settings) -> dict:
    return {
        "MEDIA_ROOT": MEDIA_ROOT,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        # Every test Client builds the middleware again, and WhiteNoise would scan every
        # collected static file each time (about a second); looking files up on demand is free.
        "WHITENOISE_AUTOREFRESH": True,
    }


WORLD, DEMO, EMPTY = "world", "demo", "empty"


def _needs(item) -> str:
    """What a test needs in the database: the World, the demo, or a database of its own (every
    test that commits: browser, fault and backup tests)."""
    names = set(item.fixturenames)
    marker = item.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get("transaction")):
        return EMPTY
    if "demo" in names:
        return DEMO
    if {"world", "shared_world"} & names:
        return WORLD
    return None


MODULE_NEEDS: dict[str, str] = {}


def pytest_collection_modifyitems(config, items):
    """The World and the demo are built once per worker and kept while the next module needs the
    same (see `Durham`), so the modules that need the World run first, then those that need the
    demo, then the rest: each worker builds each once, and their tests spread over the workers.

    pytest-xdist hands the tests out one by one in this order (its `xdist_group` marker has no
    effect under pytest 9: the group is added to a node id pytest no longer reads), so the two
    longest tests open the last part: each worker starts one while the other takes the browser and
    subprocess tests, and neither is left running alone at the end."""
    needs: dict = {}
    for item in items:
        needs.setdefault(item.module, set()).add(_needs(item))
    needs = {module: next((n for n in (EMPTY, DEMO, WORLD) if n in found), EMPTY) for module, found in needs.items()}
    MODULE_NEEDS.update({module.__name__: need for module, need in needs.items()})
    order = {WORLD: 0, DEMO: 1, EMPTY: 2}

    def key(item):
        return order[needs[item.module]], item.nodeid not in LONGEST

    items.sort(key=key)  # stable: each module keeps its order


# Minutes each on a loaded machine (the axe crawl of the demo as every role; the demo loaded, backed
# up and restored by the `jigsaw` command).
LONGEST = {
    "tests/browser/test_accessibility.py::test_every_roles_crawl_of_the_demo_has_no_axe_violations",
    "tests/core/test_backup.py::test_backup_and_restore_round_trip_the_demo_partnership",
}


@pytest.fixture(scope="session")
def moto_server():
    """moto's S3 server on 127.0.0.1, once per test process, for the tests that need it."""
    from tests.s3 import MotoServer

    server = MotoServer()
    yield server
    server.stop()


@pytest.fixture
def s3_store(moto_server, settings, monkeypatch):
    """Jigsaw's file store in a new bucket of the moto server, as `JIGSAW_FILE_STORAGE=s3` sets it."""
    from jigsaw.settings import file_storage

    bucket = moto_server.new_bucket()
    env = moto_server.env(bucket)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(env)}
    return SimpleNamespace(server=moto_server, bucket=bucket, env=env, keys=lambda: moto_server.keys(bucket))


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    for name, value in _test_settings(settings).items():
        setattr(settings, name, value)


class World:
    """Two partnerships with the same shape, so every test can check the boundary between them."""

    def __init__(self):
        self.partnership = services.partnership_create(
            name="Durham Safeguarding Children Partnership", slug="durham", area="County Durham"
        )
        self.other = services.partnership_create(
            name="Darlington Safeguarding Partnership", slug="darlington", area="Darlington"
        )
        # A logo in the header, as a partnership that has set one up shows it.
        services.partnership_update(
            actor=None, partnership=self.partnership, logo=SimpleUploadedFile("logo.png", png_bytes())
        )
        self.police = services.agency_create(
            actor=None,
            partnership=self.partnership,
            name="Durham Constabulary",
            sector=Sector.POLICE,
            statutory_role=StatutoryRole.POLICE,
        )
        self.council = services.agency_create(
            actor=None,
            partnership=self.partnership,
            name="Durham County Council",
            sector=Sector.CHILDREN_SOCIAL_CARE,
            statutory_role=StatutoryRole.LOCAL_AUTHORITY,
        )
        self.other_agency = services.agency_create(
            actor=None,
            partnership=self.other,
            name="Darlington Borough Council",
            sector=Sector.CHILDREN_SOCIAL_CARE,
            statutory_role=StatutoryRole.LOCAL_AUTHORITY,
        )
        self.other_person = services.person_create(
            actor=None,
            partnership=self.other,
            name="Dana Other",
            email="dana@darlington.example",
            agency=self.other_agency,
        )
        self.users = {}
        for role in Role.values:
            agency = self.police if role in (Role.AGENCY_LEAD, Role.PRACTITIONER) else self.council
            person = services.person_create(
                actor=None,
                partnership=self.partnership,
                name=f"{Role(role).label} Person",
                email=f"{role}@durham.example",
                agency=agency,
            )
            user = services.user_create(email=person.email, password=PASSWORD, person=person)
            services.role_assign(
                actor=None,
                user=user,
                partnership=self.partnership,
                role=role,
                agency=agency if role == Role.AGENCY_LEAD else None,
            )
            self.users[role] = user
        # Someone who holds a role only in the other partnership.
        outsider_person = services.person_create(
            actor=None,
            partnership=self.other,
            name="Olly Outsider",
            email="olly@darlington.example",
            agency=self.other_agency,
        )
        self.outsider = services.user_create(email=outsider_person.email, password=PASSWORD, person=outsider_person)
        services.role_assign(actor=None, user=self.outsider, partnership=self.other, role=Role.BUSINESS_UNIT)
        self.theme = services.theme_create(actor=None, partnership=self.partnership, name="Professional curiosity")
        # URL arguments other than <partnership> and <pk>: name -> function(world, target) -> value.
        self.url_arguments = {"register": lambda world, target: "agencies"}
        for populate in _world_extensions():
            populate(self)

    def populate_other(self) -> World:
        """Fill the other partnership too, through the same tests/<app>/world.py files, so the
        permission matrix can request each URL with the other partnership's record. Returns
        the other side: its partnership, agencies, one sign-in per role and its records."""
        other = World.__new__(World)  # the same shape, none of this side's records
        other.partnership, other.other = self.other, self.partnership
        other.outsider = self.users[Role.BUSINESS_UNIT]
        other.council = self.other_agency
        other.police = services.agency_create(
            actor=None,
            partnership=self.other,
            name="Durham Police (Darlington office)",
            sector=Sector.POLICE,
            statutory_role=StatutoryRole.POLICE,
        )
        other.users = {}
        for role in Role.values:
            agency = other.police if role in (Role.AGENCY_LEAD, Role.PRACTITIONER) else other.council
            person = services.person_create(
                actor=None,
                partnership=self.other,
                name=f"Darlington {Role(role).label}",
                email=f"{role}@darlington.example",
                agency=agency,
            )
            user = services.user_create(email=person.email, password=PASSWORD, person=person)
            services.role_assign(
                actor=None,
                user=user,
                partnership=self.other,
                role=role,
                agency=agency if role == Role.AGENCY_LEAD else None,
            )
            other.users[role] = user
        other.theme = services.theme_create(actor=None, partnership=self.other, name="Professional curiosity")
        other.url_arguments = {"register": lambda world, target: "agencies"}
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


class Durham:
    """The World or the demo (both are Durham, so one at a time), built in a transaction that stays
    open while module after module needs the same, and rolled back when a module needs the other or
    an empty database. Each test runs in its own savepoint inside it (it must request `db`), so its
    writes are undone and the next module finds Durham as it was built."""

    def __init__(self):
        self.kind, self.value, self._open = None, None, None

    def get(self, kind: str, blocker):
        if self.kind != kind:
            self.close(blocker)
            stack = ExitStack()
            with blocker.unblock():
                stack.enter_context(_rolled_back())
                try:
                    self.value = World() if kind == WORLD else _load_demo()
                except BaseException:
                    stack.close()
                    raise
            self.kind, self._open = kind, stack
        return self.value

    def close(self, blocker) -> None:
        if self._open is not None:
            with blocker.unblock():
                self._open.close()
        self.kind, self.value, self._open = None, None, None


DURHAM = Durham()


@pytest.fixture(scope="session")
def _durham(django_db_setup, django_db_blocker):
    """Rolls back whatever Durham is open before the test database goes."""
    yield DURHAM
    DURHAM.close(django_db_blocker)


@pytest.fixture(scope="module", autouse=True)
def _durham_for_module(request):
    """A module that needs neither the World nor the demo gets an empty database."""
    if DURHAM.kind is not None and MODULE_NEEDS.get(request.module.__name__, EMPTY) == EMPTY:
        DURHAM.close(request.getfixturevalue("django_db_blocker"))


@pytest.fixture
def world(_module_world, db) -> World:
    """The World, built once per worker and rolled back after the run (see `Durham`); each test gets
    its own copy of the Python objects (as Django's setUpTestData does) and its writes are undone
    by its own savepoint, so tests stay independent while the World is built a few times, not
    thousands."""
    return copy.deepcopy(_module_world)


@pytest.fixture(scope="module")
def _module_world(_durham, django_db_blocker):
    return _durham.get(WORLD, django_db_blocker)


@contextmanager
def _rolled_back():
    """A transaction around Durham, rolled back when it is no longer needed; each test inside runs
    in its own savepoint (it must also request `db`), so tests stay independent."""
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
def signed_in(shared_world, django_db_blocker):
    """`signed_in(role)`: a Client signed in as the role ("outsider", or None for the public), for a
    module of thousands of read-only requests (the permission matrix). Each role signs in once per
    module, in a savepoint rolled back after it, and every call returns that role's one Client
    with only its session cookie: a request that signs out, cycles the session or leaves a message
    changes its own test's savepoint and cookies, not the next test's. A test that changes a user
    (password, roles) signs in afresh with `world.client(role)`."""
    from django.conf import settings

    roles = [*Role.values, "outsider"]
    savepoint = _rolled_back()  # a savepoint inside Durham's transaction
    with django_db_blocker.unblock():
        savepoint.__enter__()
        try:
            sessions = {role: shared_world.client(role).cookies[settings.SESSION_COOKIE_NAME].value for role in roles}
        except BaseException:
            savepoint.__exit__(None, None, None)
            raise
    clients = {role: Client() for role in [*roles, None]}

    def client(role) -> Client:
        found = clients[role]
        found.cookies.clear()
        if role is not None:
            found.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
        return found

    yield client
    with django_db_blocker.unblock():
        savepoint.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo(_durham, django_db_blocker):
    """The demo partnership (`jigsaw demo`), loaded once per worker and rolled back after the run
    (see `Durham`): loading it takes seconds, and eight modules check it against the annual report."""
    return _durham.get(DEMO, django_db_blocker)


def _load_demo():
    from jigsaw.core.demo import load_demo
    from jigsaw.core.models import Partnership

    # The World is Durham too: the demo would load into it and the counts would be wrong.
    assert not Partnership._base_manager.filter(slug="durham").exists(), (
        "Test the demo in a module with no `world` tests."
    )
    return load_demo()
