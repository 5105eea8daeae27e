"""Signing in through an organisation's identity provider, against a real OpenID provider
(tests/oidc_provider.mjs) started on 127.0.0.1 for this module: the protocol's refusals (unknown
issuer, wrong audience, expired token, a replayed answer, an unverified email), the matching by
verified email, the partnership's choice of providers and passwords, and MFA asserted by the
provider meeting the two-factor policy."""

from __future__ import annotations

import html
import logging
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from jigsaw.core import oidc, services
from jigsaw.core.scoping import Role
from tests.conftest import PASSWORD
from tests.oidc import CLIENT_ID, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, PROVIDER_NAME, running_provider

CALLBACK = "http://testserver/accounts/sign-in/with/county/done/"
SIGN_IN = "/accounts/sign-in/"


@pytest.fixture(scope="module")
def idp():
    with running_provider([CALLBACK]) as provider:
        yield provider


@pytest.fixture
def county(idp, settings, world):
    """Durham signs its staff in with the county council's provider (passwords still allowed)."""
    settings.OIDC_PROVIDERS = {"county": idp.settings()}
    services.partnership_update(actor=None, partnership=world.partnership, sign_in_providers=["county"])
    return oidc.provider("county")


def start(client: Client, provider: str = "county", **params) -> str:
    response = client.get(reverse("core:login-with", args=[provider]) + (f"?{urlencode(params)}" if params else ""))
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sign_in(idp, client: Client, login: str, **params):
    """The whole round: Jigsaw's button, the provider's page, the answer back to Jigsaw."""
    answer = idp.sign_in(start(client, **params), login)
    return client.get(answer), answer


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def refusal_shown(client: Client, response) -> str:
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    page = page_text(client.get(SIGN_IN))
    assert "There is a problem" in page
    return page


def signed_in_as(client: Client):
    return client.get(reverse("core:account")).context.get("user") if client.session.get("_auth_user_id") else None


def test_a_verified_email_signs_in_the_jigsaw_account_it_belongs_to(idp, county, world, caplog):
    client = Client()
    with caplog.at_level(logging.INFO, logger="jigsaw.sign_in"):
        response, answer = sign_in(idp, client, "practitioner", next="/durham/training/")
    assert response.status_code == 302 and response["Location"] == "/durham/training/"
    # The provider's address differed in case only: the same sign-in.
    assert int(client.session["_auth_user_id"]) == world.users[Role.PRACTITIONER].pk
    assert client.session[oidc.SESSION_KEY] == {
        "provider": "county",
        "mfa": False,
        "user": world.users[Role.PRACTITIONER].pk,
    }
    page = client.get("/durham/agencies/")
    assert page.status_code == 403  # signed in: a practitioner's 403, not the sign-in page
    code = parse_qs(urlsplit(answer).query)["code"][0]
    assert "Signed in through county: practitioner@durham.example" in caplog.text
    assert code not in caplog.text

    # Signing out ends the Jigsaw session.
    client.post(reverse("core:logout"))
    assert client.get("/durham/agencies/")["Location"].startswith(SIGN_IN)


def test_the_sign_in_page_offers_the_partnerships_providers(idp, county, world, settings):
    page = Client().get(SIGN_IN + "?next=/durham/meetings/").content.decode()
    assert f"Sign in with {PROVIDER_NAME}" in page
    assert "/accounts/sign-in/with/county/?next=/durham/meetings/" in page
    assert 'name="password"' in page  # Durham still allows passwords
    # Darlington uses no provider: its staff see the password form only.
    page = Client().get(SIGN_IN + "?partnership=darlington").content.decode()
    assert "Sign in with" not in page and 'name="password"' in page


def test_an_unknown_email_is_refused_with_a_message(idp, county, caplog):
    client = Client()
    with caplog.at_level(logging.INFO, logger="jigsaw.sign_in"):
        response, answer = sign_in(idp, client, "stranger")
    page = refusal_shown(client, response)
    assert (
        f"There is no Jigsaw account for stranger@durham.example in a partnership that signs in with {PROVIDER_NAME}"
        in page
    )
    assert "_auth_user_id" not in client.session
    assert "Sign-in through county refused: no sign-in for this email" in caplog.text
    assert parse_qs(urlsplit(answer).query)["code"][0] not in caplog.text


def test_someone_of_a_partnership_that_does_not_use_the_provider_is_refused(idp, county, world):
    services.user_create(email="dana@darlington.example", password=PASSWORD, person=world.other_person)
    services.role_assign(
        actor=None,
        user=services.User.objects.get(email="dana@darlington.example"),
        partnership=world.other,
        role="member",
    )
    client = Client()
    response, _ = sign_in(idp, client, "other-partnership")
    assert "There is no Jigsaw account for dana@darlington.example" in refusal_shown(client, response)


def test_an_email_the_provider_has_not_verified_is_refused(idp, county, caplog):
    client = Client()
    with caplog.at_level(logging.INFO, logger="jigsaw.sign_in"):
        response, answer = sign_in(idp, client, "lead-unverified")
    page = refusal_shown(client, response)
    assert f"{PROVIDER_NAME} has not verified your email address (agency_lead@durham.example)" in page
    assert "_auth_user_id" not in client.session
    assert "email not verified by the provider (agency_lead@durham.example)" in caplog.text
    assert parse_qs(urlsplit(answer).query)["code"][0] not in caplog.text


def test_a_replayed_answer_is_refused(idp, county, world, caplog):
    client = Client()
    response, answer = sign_in(idp, client, "practitioner")
    assert response.status_code == 302 and "_auth_user_id" in client.session
    client.post(reverse("core:logout"))

    # The same answer again (its state was used up): in the same browser, and in another one.
    for browser in (client, Client()):
        with caplog.at_level(logging.INFO, logger="jigsaw.sign_in"):
            response = browser.get(answer)
        assert "This sign-in has already been used, has expired, or was started in another browser" in (
            refusal_shown(browser, response)
        )
        assert "_auth_user_id" not in browser.session
    assert "replayed or expired" in caplog.text


def test_an_answer_from_an_unknown_issuer_is_refused(idp, county, caplog):
    client = Client()
    answer = idp.sign_in(start(client), "practitioner")
    parts = urlsplit(answer)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    forged = urlunsplit(parts._replace(query=urlencode({**query, "iss": "https://login.elsewhere.example"})))
    with caplog.at_level(logging.INFO, logger="jigsaw.sign_in"):
        response = client.get(forged)
    assert f"The answer did not come from {PROVIDER_NAME}" in refusal_shown(client, response)
    assert "_auth_user_id" not in client.session
    assert "unknown issuer: the answer names 'https://login.elsewhere.example'" in caplog.text
    assert query["code"] not in caplog.text


def test_a_provider_whose_discovery_names_another_issuer_is_refused(idp, county, settings, caplog):
    # Jigsaw set up with one issuer, the server there calling itself another.
    settings.OIDC_PROVIDERS = {"county": idp.settings(issuer=idp.issuer.replace("127.0.0.1", "localhost"))}
    client = Client()
    with caplog.at_level(logging.INFO, logger="jigsaw.sign_in"):
        response = client.get(reverse("core:login-with", args=["county"]))
    assert "the provider answering is not the one Jigsaw is set up with" in refusal_shown(client, response)
    assert "unknown issuer: the discovery document names" in caplog.text


def test_an_unconfigured_provider_is_not_found(county):
    assert Client().get(reverse("core:login-with", args=["elsewhere"])).status_code == 404
    assert Client().get(reverse("core:login-with-done", args=["elsewhere"]) + "?code=x&state=y").status_code == 404


def test_an_expired_token_is_refused(idp, county, monkeypatch, caplog):
    import time

    from joserfc._rfc7519 import claims as jwt_claims

    client = Client()
    answer = idp.sign_in(start(client), "practitioner")
    # The answer is read three hours on by the token's clock (the provider's ID tokens last an hour).
    monkeypatch.setattr(jwt_claims, "_generate_now", lambda: int(time.time()) + 3 * 3600)
    with caplog.at_level(logging.INFO, logger="jigsaw.sign_in"):
        response = client.get(answer)
    assert f"The sign-in from {PROVIDER_NAME} had expired" in refusal_shown(client, response)
    assert "_auth_user_id" not in client.session
    assert "the ID token has expired" in caplog.text


def _token_for(idp, client_id: str, client_secret: str, login: str) -> tuple[dict, str]:
    """A real answer from the provider's token endpoint to `client_id`, and its nonce."""
    import base64
    import hashlib
    import secrets

    nonce, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    authorize = f"{idp.issuer}/auth?" + urlencode(
        {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid email",
            "redirect_uri": CALLBACK,
            "state": "s",
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    code = parse_qs(urlsplit(idp.sign_in(authorize, login)).query)["code"][0]
    token = requests.post(
        f"{idp.issuer}/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
        auth=(client_id, client_secret),
        timeout=10,
    ).json()
    return token, nonce


def test_a_token_issued_to_another_application_is_refused(idp, county):
    token, nonce = _token_for(idp, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, "bu-mfa")
    assert county.client_id == CLIENT_ID != OTHER_CLIENT_ID
    with pytest.raises(oidc.SignInRefused) as refused:
        oidc.verify_id_token(county, token, nonce)
    assert "was made for another application, not Jigsaw" in refused.value.message
    assert refused.value.reason == "wrong audience: the ID token was issued to another client"


def test_a_token_with_another_sign_ins_nonce_is_refused(idp, county):
    from tests.oidc import CLIENT_SECRET

    token, nonce = _token_for(idp, CLIENT_ID, CLIENT_SECRET, "bu-mfa")
    assert oidc.verify_id_token(county, token, nonce)["sub"] == "bu-mfa"
    with pytest.raises(oidc.SignInRefused) as refused:
        oidc.verify_id_token(county, token, "another-sign-in")
    assert "does not belong to the one you started" in refused.value.message


# --- The partnership's two-factor policy -----------------------------------------------------------


@pytest.fixture
def two_factor_required(world):
    services.partnership_update(actor=None, partnership=world.partnership, require_two_factor_for_business_unit=True)


@pytest.mark.parametrize("login", ["bu-mfa", "bu-acr-mfa"])
def test_mfa_asserted_by_the_provider_meets_the_two_factor_policy(idp, county, world, two_factor_required, login):
    client = Client()
    response, _ = sign_in(idp, client, login, next="/durham/people/")
    assert response["Location"] == "/durham/people/"
    # Not sent to set up an authenticator app: the provider's MFA counts.
    page = client.get("/durham/people/")
    assert page.status_code == 200
    assert client.session[oidc.SESSION_KEY]["mfa"] is True
    assert f"With {PROVIDER_NAME}, which confirmed you used multi-factor authentication" in page_text(
        client.get(reverse("core:account"))
    )
    # The API takes the session as verified too.
    assert client.get("/api/partnerships/").status_code == 200


def test_a_provider_asserting_no_mfa_where_it_is_required_is_refused(idp, county, world, two_factor_required, caplog):
    client = Client()
    with caplog.at_level(logging.INFO, logger="jigsaw.sign_in"):
        response, _ = sign_in(idp, client, "bu-password-only")
    page = refusal_shown(client, response)
    assert f"{PROVIDER_NAME} did not confirm that you used multi-factor authentication" in page
    assert "_auth_user_id" not in client.session
    assert "no MFA asserted where the partnership requires two-factor authentication" in caplog.text


def test_without_provider_mfa_an_authenticator_app_is_the_second_factor(idp, county, world, two_factor_required):
    user = world.users[Role.BUSINESS_UNIT]
    device = services.totp_device_start(user=user)
    assert services.totp_device_confirm(user=user, device=device, token=_code(device))
    client = Client()
    response, _ = sign_in(idp, client, "bu-password-only")
    assert response["Location"] == reverse("core:login-two-factor")
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    response = client.post(reverse("core:login-two-factor"), {"otp_token": _code(device)})
    assert response.status_code == 302
    assert client.get("/durham/people/").status_code == 200
    assert client.session[oidc.SESSION_KEY] == {"provider": "county", "mfa": False, "user": user.pk}


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_a_session_without_provider_mfa_is_not_verified(idp, county, world):
    client = Client()
    sign_in(idp, client, "bu-password-only")
    assert client.session[oidc.SESSION_KEY]["mfa"] is False
    # The policy switched on afterwards: the session must now meet it.
    services.partnership_update(actor=None, partnership=world.partnership, require_two_factor_for_business_unit=True)
    assert client.get("/durham/people/")["Location"] == reverse("core:two-factor-setup")


# --- Passwords --------------------------------------------------------------------------------------


def test_a_partnership_can_switch_passwords_off(idp, county, world):
    user = world.users[Role.BUSINESS_UNIT]
    by_password = Client()
    assert by_password.post(SIGN_IN, {"username": user.email, "password": PASSWORD}).status_code == 302

    # The business unit switches passwords off, having signed in with the provider.
    by_provider = Client()
    sign_in(idp, by_provider, "bu-mfa")
    settings_url = reverse("core:settings", args=["durham"])
    form = by_provider.get(settings_url).context["form"]
    data = {
        name: value for name, value in form.initial.items() if value is not None and name != "allow_password_sign_in"
    }
    response = by_provider.post(settings_url, {**data, "sign_in_providers": ["county"]})
    assert response.status_code == 302, response.context["form"].errors
    world.partnership.refresh_from_db()
    assert world.partnership.allow_password_sign_in is False

    # The password session ends at its next request, saying why; a password no longer signs in.
    response = by_password.get("/durham/people/")
    assert response["Location"] == SIGN_IN
    assert (
        f"You have been signed out. {world.partnership.name} signs its staff in with their organisation's account, "
        f"not a password: use “Sign in with {PROVIDER_NAME}”."
    ) in page_text(by_password.get(SIGN_IN))
    refused = Client().post(SIGN_IN, {"username": user.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "not a password" in page_text(refused)
    # The sign-in page for Durham offers the provider alone.
    page = Client().get(SIGN_IN + "?next=/durham/").content.decode()
    assert f"Sign in with {PROVIDER_NAME}" in page and 'name="password"' not in page
    # The provider session carries on.
    assert by_provider.get("/durham/people/").status_code == 200


def test_passwords_cannot_be_switched_off_by_someone_who_has_not_used_a_provider(idp, county, world):
    client = Client()
    client.force_login(world.users[Role.BUSINESS_UNIT])
    settings_url = reverse("core:settings", args=["durham"])
    form = client.get(settings_url).context["form"]
    data = {
        name: value for name, value in form.initial.items() if value is not None and name != "allow_password_sign_in"
    }
    response = client.post(settings_url, {**data, "sign_in_providers": ["county"]})
    assert response.status_code == 200
    assert (
        "Sign in with one of the organisations' accounts ticked here"
        in (response.context["form"].errors["allow_password_sign_in"][0])
    )
    world.partnership.refresh_from_db()
    assert world.partnership.allow_password_sign_in is True
    # Nor with no provider at all, whoever asks.
    with pytest.raises(services.ValidationError, match="Choose at least one"):
        services.partnership_update(
            actor=None, partnership=world.partnership, sign_in_providers=[], allow_password_sign_in=False
        )
    with pytest.raises(services.ValidationError, match="not an identity provider this Jigsaw is configured with"):
        services.partnership_update(actor=None, partnership=world.partnership, sign_in_providers=["elsewhere"])


def test_a_provider_limited_to_some_domains_signs_in_no_other_address(idp, county, settings):
    settings.OIDC_PROVIDERS = {"county": idp.settings(email_domains=["nhs.example"])}
    client = Client()
    response, _ = sign_in(idp, client, "practitioner")
    assert f"{PROVIDER_NAME} signs in addresses at nhs.example only, not practitioner@durham.example" in (
        refusal_shown(client, response)
    )


def test_providers_are_read_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from jigsaw import settings as jigsaw_settings

    monkeypatch.setenv("JIGSAW_OIDC_PROVIDERS", "county, nhs-trust")
    for name, value in {
        "ISSUER": "https://login.county.example/tenant/v2.0/",
        "CLIENT_ID": "jigsaw-county",
        "CLIENT_SECRET": "s3cret",
        "NAME": "Durham County Council",
        "MFA_ACR": "urn:county:mfa",
    }.items():
        monkeypatch.setenv(f"JIGSAW_OIDC_COUNTY_{name}", value)
    for name in ("ISSUER", "CLIENT_ID"):
        monkeypatch.setenv(f"JIGSAW_OIDC_NHS_TRUST_{name}", "https://trust.example")
    with pytest.raises(ImproperlyConfigured, match="'nhs-trust' needs JIGSAW_OIDC_NHS_TRUST_CLIENT_SECRET"):
        jigsaw_settings._oidc_providers()
    monkeypatch.setenv("JIGSAW_OIDC_NHS_TRUST_CLIENT_SECRET", "another")
    monkeypatch.setenv("JIGSAW_OIDC_NHS_TRUST_EMAIL_DOMAINS", "Trust.example")
    providers = jigsaw_settings._oidc_providers()
    assert providers["county"] == {
        "name": "Durham County Council",
        "issuer": "https://login.county.example/tenant/v2.0/",
        "client_id": "jigsaw-county",
        "client_secret": "s3cret",
        "mfa_amr": ["mfa", "mca", "otp", "hwk", "sc"],
        "mfa_acr": ["urn:county:mfa"],
        "email_domains": [],
    }
    assert providers["nhs-trust"]["name"] == "nhs-trust" and providers["nhs-trust"]["email_domains"] == [
        "trust.example"
    ]
    monkeypatch.setenv("JIGSAW_OIDC_PROVIDERS", "county/evil")
    with pytest.raises(ImproperlyConfigured, match="not a provider name"):
        jigsaw_settings._oidc_providers()
