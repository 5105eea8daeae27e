"""Run inside a benchmark database (DATABASE_URL etc. in the environment): create the signed-in
users the load test uses and find the pages of its mix. Prints JSON."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigsaw.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from jigsaw.core import services  # noqa: E402
from jigsaw.core.models import Partnership, User  # noqa: E402
from jigsaw.core.scoping import Role  # noqa: E402

USERS = int(sys.argv[1]) if len(sys.argv) > 1 else 20


def sessions(partnership) -> list[str]:
    keys = []
    for n in range(USERS):
        email = f"bench-{n:02d}@bench.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            person = services.person_create(
                actor=None, partnership=partnership, name=f"Bench User {n:02d}", email=email
            )
            user = services.user_create(email=email, person=person)
            services.role_assign(actor=None, user=user, partnership=partnership, role=Role.BUSINESS_UNIT)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def first(candidates, slug):
    """The first URL name of `candidates` that this build has: (name, query) pairs."""
    for name, query, extra in candidates:
        try:
            return reverse(name, args=[slug, *extra()]) + query
        except (NoReverseMatch, LookupError, AttributeError, IndexError):
            continue
    return None


def first_pk(app_label, model_name):
    def extra():
        from django.apps import apps

        return [apps.get_model(app_label, model_name)._base_manager.order_by("pk").values_list("pk", flat=True)[0]]

    return extra


NONE = list

# The main pages a partnership's staff open all day, as the benchmark issue lists them.
MIX = {
    "dashboard": [("core:partnership", "", NONE)],
    "people list": [("core:people", "", NONE)],
    "audit trail": [("core:audit", "", NONE)],
    "learning log, filtered": [
        ("actions:log", "?status=open", NONE),
        ("actions:action-list", "?status=open", NONE),
        ("actions:list", "?status=open", NONE),
    ],
    "training analysis": [("training:analysis", "", NONE), ("training:dashboard", "", NONE)],
    "indicator chart": [
        ("performance:indicator", "", first_pk("performance", "Indicator")),
        ("performance:indicator-detail", "", first_pk("performance", "Indicator")),
    ],
    "report view": [
        ("reports:report", "", first_pk("reports", "Report")),
        ("reports:report-detail", "", first_pk("reports", "Report")),
    ],
}

partnership = Partnership.objects.get(slug="durham")
pages = {label: first(candidates, partnership.slug) for label, candidates in MIX.items()}
print(
    json.dumps(
        {
            "sessions": sessions(partnership),
            "pages": {k: v for k, v in pages.items() if v},
            "missing": [k for k, v in pages.items() if not v],
        }
    )
)
