"""The JSON API: personal tokens, the OpenAPI document, and the same scoping as the pages."""

import re

import pytest

from jigsaw.core import services
from jigsaw.core.models import Agency, ApiToken
from jigsaw.core.scoping import Role

from .test_permission_matrix import ROUTES


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def token(world):
    _, raw = services.api_token_create(user=world.users[Role.AGENCY_LEAD], name="police system")
    return raw


@pytest.mark.django_db
def test_a_token_is_stored_only_as_a_hash(world, token):
    stored = ApiToken.objects.get(name="police system")
    assert token not in (stored.key_hash, stored.hint)
    assert stored.key_hash == ApiToken.hash(token)


@pytest.mark.django_db
def test_a_token_reads_what_its_owner_may_read(world, token):
    client = world.client(None)
    response = client.get("/api/partnerships/durham/agencies/", **bearer(token))
    assert response.status_code == 200
    assert {a["name"] for a in response.json()["results"]} == {"Durham Constabulary", "Durham County Council"}
    assert client.get("/api/partnerships/darlington/agencies/", **bearer(token)).status_code == 404
    assert [p["slug"] for p in client.get("/api/partnerships/", **bearer(token)).json()["results"]] == ["durham"]


@pytest.mark.django_db
def test_a_role_that_may_not_add_gets_403_and_nothing_is_saved(world, token):
    before = Agency.objects.count()
    response = world.client(None).post(
        "/api/partnerships/durham/agencies/",
        {"name": "New", "sector": "police", "statutory_role": "other"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 403
    assert Agency.objects.count() == before


@pytest.mark.django_db
def test_bad_input_names_the_field_and_saves_nothing(world):
    _, raw = services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="bu")
    before = Agency.objects.count()
    response = world.client(None).post(
        "/api/partnerships/durham/agencies/",
        {"name": "Durham Constabulary", "sector": "spaceships", "statutory_role": "other"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 400
    assert "sector" in response.json()
    assert Agency.objects.count() == before
    duplicate = world.client(None).post(
        "/api/partnerships/durham/agencies/",
        {"name": "Durham Constabulary", "sector": "police", "statutory_role": "other"},
        content_type="application/json",
        **bearer(raw),
    )
    assert duplicate.status_code == 400
    assert Agency.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer", "Malformed token"),
        ("Bearer not-a-jigsaw-token", "Malformed token"),
        ("Bearer jgs_a b", "Malformed token"),
        ("Bearer jgs_wrongwrongwrong", "not recognised"),
    ],
)
def test_malformed_or_unknown_tokens_get_a_clear_401(world, header, message):
    response = world.client(None).get("/api/partnerships/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert message in response.json()["detail"]


@pytest.mark.django_db
def test_a_revoked_token_stops_working(world, token):
    stored = ApiToken.objects.get(name="police system")
    client = world.client(Role.AGENCY_LEAD)
    assert client.post(f"/account/tokens/{stored.pk}/revoke/").status_code == 302
    response = world.client(None).get("/api/partnerships/", **bearer(token))
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_new_token_is_shown_once_in_the_answer_and_stored_nowhere(world):
    # Found by the probe: the raw token sat in the session table until the next page view.
    from django.contrib.sessions.models import Session

    client = world.client(Role.MEMBER)
    response = client.post("/account/tokens/new/", {"name": "reporting", "days": "30"})
    page = response.content.decode()
    raw = re.search(r"jgs_[\w-]{20,}", page).group(0)
    assert "Copy it now" in page and "no-store" in response["Cache-Control"]
    assert not any(raw in str(session.get_decoded()) for session in Session.objects.all())
    assert raw not in client.get("/account/").content.decode()
    token = ApiToken.objects.get(name="reporting")
    assert token.key_hash == ApiToken.hash(raw) and raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert 29 <= (token.expires_at - token.created_at).days <= 30


@pytest.mark.django_db
def test_every_api_url_is_in_the_openapi_document_and_back(world):
    """Fails when an endpoint is added without documentation, or documented without existing."""
    schema = world.client(None).get("/api/openapi.json").json()
    documented = set(schema["paths"])
    served = set()
    for name, route in ROUTES.items():
        if name.startswith("api:"):
            pattern = str(route.pattern.pattern).lstrip("^").rstrip("$")
            pattern = (
                pattern.replace("(?P<partnership_slug>[-\\w]+)", "{partnership_slug}")
                .replace("(?P<pk>[^/.]+)", "{id}")
                .replace("(?P<pk>\\d+)", "{id}")
                .replace("(?P<slug>[^/.]+)", "{slug}")
            )
            served.add("/api/" + pattern)
    assert served == documented
    assert "personalToken" in schema["components"]["securitySchemes"]


@pytest.mark.django_db
def test_the_api_keeps_an_agency_lead_inside_their_agency(world, token):
    client = world.client(None)
    url = "/api/partnerships/durham/people/"
    refused = client.post(
        url, {"name": "Council Worker", "agency": world.council.pk}, content_type="application/json", **bearer(token)
    )
    assert refused.status_code == 403
    assert not world.partnership.people.filter(name="Council Worker").exists()
    created = client.post(
        url, {"name": "Police Worker", "agency": world.police.pk}, content_type="application/json", **bearer(token)
    )
    assert created.status_code == 201
