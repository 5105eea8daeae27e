"""The command line, the production settings and the error pages, as an operator meets them."""

import os
import subprocess
import sys

import pytest
from django.test import Client

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def run(args, **env):
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "jigsaw.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=PROJECT,
        timeout=120,
    )


def test_jigsaw_help_lists_the_admin_commands():
    result = run(["--help"])
    assert result.returncode == 0
    for command in ("demo", "createuser", "serve"):
        assert f"  {command} " in result.stdout


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        JIGSAW_ENV="production",
        SECRET_KEY="x" * 30 + "-a-long-random-production-secret-key-value",
        ALLOWED_HOSTS="jigsaw.example",
        JIGSAW_DATA_DIR=str(tmp_path),
        # Production refuses a backend that prints or drops mail (jigsaw.E001).
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.jigsaw.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_in_production_the_health_check_answers_plain_http_and_pages_redirect_to_https(tmp_path):
    """Seen failing: a load balancer's plain-HTTP check of /healthz was redirected (301) to HTTPS."""
    script = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/healthz').status_code, c.get('/accounts/sign-in/').status_code, "
        "c.get('/healthz', headers={'X-Forwarded-Proto': 'https'}).status_code)"
    )
    result = run(
        ["shell", "-c", script],
        JIGSAW_ENV="production",
        SECRET_KEY="x" * 30 + "-a-long-random-production-secret-key-value",
        ALLOWED_HOSTS="testserver",
        JIGSAW_DATA_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.jigsaw.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["200", "301", "200"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"JIGSAW_ENV": "production", "JIGSAW_DATA_DIR": str(tmp_path), "SECRET_KEY": ""}
    result = run(["check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    env = {"JIGSAW_DATA_DIR": str(tmp_path), "SECRET_KEY": ""}
    assert run(["check"], **env).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert run(["check"], **env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key and len(key) > 50


@pytest.mark.django_db
def test_createuser_makes_a_sign_in_with_a_role(world):
    from django.core.management import call_command

    call_command(
        "createuser",
        "new.lead@durham.example",
        name="New Lead",
        partnership="durham",
        role="agency_lead",
        agency="Durham Constabulary",
        password="a-long-enough-passphrase",
    )
    client = Client()
    assert (
        client.post(
            "/accounts/sign-in/", {"username": "new.lead@durham.example", "password": "a-long-enough-passphrase"}
        ).status_code
        == 302
    )
    assert "Agency lead (Durham Constabulary)" in client.get("/durham/").content.decode()


@pytest.mark.django_db
def test_createuser_names_what_is_wrong(world):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No agency called 'Nowhere'"):
        call_command(
            "createuser", "x@durham.example", name="X", partnership="durham", role="agency_lead", agency="Nowhere"
        )
    with pytest.raises(CommandError, match="password"):
        call_command("createuser", "x@durham.example", name="X", partnership="durham", role="member", password="short")
    from jigsaw.core.models import Person

    assert not Person.objects.filter(name="X").exists()  # nothing partly saved


@pytest.mark.django_db
def test_error_pages_are_govuk_pages_with_a_csp(world, settings):
    settings.DEBUG = False
    response = world.client("member").get("/durham/agencies/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "govuk-template__body" in page
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in page  # every script is an external file
