"""Signing in and out, lockout, two-factor, password reset and forged requests."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jigsaw.core import services
from jigsaw.core.scoping import Role
from tests.conftest import PASSWORD

SIGN_IN = "/accounts/sign-in/"


def sign_in(client, email, password=PASSWORD):
    return client.post(SIGN_IN, {"username": email, "password": password})


@pytest.mark.django_db
def test_sign_in_with_email_and_password_lands_in_the_partnership(world):
    client = Client()
    response = sign_in(client, "MEMBER@durham.example")
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/durham/"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["member@durham.example", "nobody@durham.example"])
def test_a_wrong_password_or_unknown_email_gets_the_same_clear_message(world, email):
    client = Client()
    response = sign_in(client, email, "not-the-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter the email address and password of your Jigsaw account" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_empty_form_names_each_field(world):
    page = Client().post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert page.count("This field is required") >= 2
    assert 'href="#id_username"' in page and 'href="#id_password"' in page


@pytest.mark.django_db
def test_lockout_after_five_failures_even_with_the_right_password(world):
    client = Client()
    for _ in range(5):
        sign_in(client, "member@durham.example", "wrong-password")
    response = sign_in(client, "member@durham.example")
    assert response.status_code == 429
    assert "Your account is locked for an hour" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person in the same office is not locked out.
    assert sign_in(Client(), "scrutineer@durham.example").status_code == 302


@pytest.mark.django_db
def test_sign_out_ends_the_session(world):
    client = world.client(Role.MEMBER)
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/durham/").status_code == 302


@pytest.mark.django_db
def test_a_forged_csrf_token_is_refused_and_changes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.BUSINESS_UNIT])
    response = client.post(
        "/durham/agencies/new/",
        {"name": "Forged", "sector": "police", "statutory_role": "other", "csrfmiddlewaretoken": "forged"},
    )
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert not world.partnership.agencies.filter(name="Forged").exists()


@pytest.mark.django_db
def test_password_reset_emails_a_working_link(world):
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": "member@durham.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password-reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done.status_code == 302
    assert sign_in(Client(), "member@durham.example", "a-brand-new-passphrase").status_code == 302


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(world):
    response = Client().post("/accounts/password-reset/", {"email": "stranger@durham.example"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
def test_two_factor_set_up_then_required_at_sign_in(world):
    user = world.users[Role.SCRUTINEER]
    client = world.client(Role.SCRUTINEER)
    page = client.get("/account/two-factor/").content.decode()
    assert "<svg" in page  # the QR code, drawn inline without a script
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(
        "/account/two-factor/", {"otp_token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "That code is not right" in wrong.content.decode()
    too_soon = client.post("/account/two-factor/", {"otp_token": current_code(device)})
    assert "Too many wrong codes" in too_soon.content.decode()  # django-otp throttles guessing
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/account/two-factor/", {"otp_token": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    fresh = Client()
    response = sign_in(fresh, user.email)
    assert response["Location"] == "/accounts/sign-in/code/"
    assert fresh.get("/durham/").status_code == 302  # not signed in until the code is given
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this test
    device.save()
    assert fresh.post("/accounts/sign-in/code/", {"otp_token": current_code(device)}).status_code == 302
    assert fresh.get("/durham/").status_code == 200


@pytest.mark.django_db
def test_a_partnership_can_make_two_factor_compulsory_for_its_business_unit(world):
    services.partnership_update(actor=None, partnership=world.partnership, require_two_factor_for_business_unit=True)
    business_unit = world.client(Role.BUSINESS_UNIT)
    assert business_unit.get("/durham/")["Location"] == "/account/two-factor/"
    assert business_unit.get("/account/two-factor/").status_code == 200
    # Other roles are not affected.
    assert world.client(Role.MEMBER).get("/durham/").status_code == 200


@pytest.mark.django_db
def test_compulsory_two_factor_holds_on_the_api(world):
    # A token made before the rule applied: it must stop working until an authenticator is set up.
    _, raw = services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="before the rule")
    services.partnership_update(actor=None, partnership=world.partnership, require_two_factor_for_business_unit=True)
    session = world.client(Role.BUSINESS_UNIT)  # signed in with a password only
    reviews = session.get("/api/partnerships/durham/case-reviews/")
    assert reviews.status_code == 403 and "two-factor" in reviews.json()["detail"]
    created = session.post(
        "/api/partnerships/durham/agencies/",
        {"name": "Sneaked In", "sector": "police"},
        content_type="application/json",
    )
    assert created.status_code == 403
    assert not world.partnership.agencies.filter(name="Sneaked In").exists()
    by_token = Client().get("/api/partnerships/durham/case-reviews/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert by_token.status_code in (401, 403) and "two-factor" in by_token.json()["detail"]
    # No new token without an authenticator, through the page or the service.
    assert session.get("/account/tokens/new/").status_code == 302
    with pytest.raises(ValidationError, match="two-factor"):
        services.api_token_create(user=world.users[Role.BUSINESS_UNIT], name="after the rule")
    # Once the user has an authenticator, their token works again; other roles never needed one.
    TOTPDevice.objects.create(user=world.users[Role.BUSINESS_UNIT], name="phone", confirmed=True)
    assert Client().get("/api/partnerships/durham/case-reviews/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert world.client(Role.MEMBER).get("/api/partnerships/durham/agencies/").status_code == 200
