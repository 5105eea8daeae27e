"""A real OpenID provider for the sign-in tests: tests/oidc_provider.mjs (npm `oidc-provider`),
started on 127.0.0.1 and a free port, stopped when the test or module using it ends."""

from __future__ import annotations

import json
import select
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
PROJECT_DIR = SCRIPT.parents[1]
CLIENT_ID = "jigsaw"
CLIENT_SECRET = "jigsaw-test-client-secret-not-for-production"
# Another application the same provider signs people in to.
OTHER_CLIENT_ID = "other-application"
OTHER_CLIENT_SECRET = "other-application-secret-not-for-production"
PROVIDER_NAME = "Durham County Council"

# The provider's accounts: what each says about its email and the way its person signed in.
ACCOUNTS = {
    "bu-mfa": {"email": "business_unit@durham.example", "email_verified": True, "amr": ["pwd", "mfa"]},
    "bu-acr-mfa": {"email": "business_unit@durham.example", "email_verified": True, "acr": "urn:test:mfa"},
    "bu-password-only": {"email": "business_unit@durham.example", "email_verified": True, "amr": ["pwd"]},
    "practitioner": {"email": "Practitioner@Durham.example", "email_verified": True, "amr": ["pwd"]},
    "lead-unverified": {"email": "agency_lead@durham.example", "email_verified": False, "amr": ["pwd", "mfa"]},
    "stranger": {"email": "stranger@durham.example", "email_verified": True, "amr": ["pwd", "mfa"]},
    "other-partnership": {"email": "dana@darlington.example", "email_verified": True, "amr": ["pwd"]},
}


class TestProvider:
    __test__ = False  # not a test class, whatever its name

    def __init__(self, process: subprocess.Popen, issuer: str):
        self.process, self.issuer = process, issuer

    def settings(self, *, name: str = PROVIDER_NAME, issuer: str | None = None, **overrides) -> dict:
        """The provider as settings.OIDC_PROVIDERS holds it (what the JIGSAW_OIDC_* variables give)."""
        return {
            "name": name,
            "issuer": issuer or self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "mfa_amr": ["mfa", "mca", "otp", "hwk", "sc"],
            "mfa_acr": ["urn:test:mfa"],
            "email_domains": [],
            **overrides,
        }

    def sign_in(self, authorize_url: str, login: str, session: requests.Session | None = None) -> str:
        """Sign in on the provider's page as `login`; returns the URL it sends the browser back to."""
        session = session or requests.Session()
        page = session.get(authorize_url, timeout=10)
        assert page.status_code == 200 and "/interaction/" in page.url, page.text[:500]
        response = session.post(page.url, data={"login": login}, allow_redirects=False, timeout=10)
        while response.status_code in (302, 303):
            url = urljoin(response.url, response.headers["Location"])
            if not url.startswith(self.issuer):
                return url
            response = session.get(url, allow_redirects=False, timeout=10)
        raise AssertionError(
            f"The provider did not send the browser back: {response.status_code} {response.text[:500]}"
        )


@contextmanager
def running_provider(redirect_uris: list[str], accounts: dict | None = None):
    node = shutil.which("node")
    if node is None or not (PROJECT_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("node and the npm oidc-provider package are needed: run `make assets` (npm ci)")
    config = {
        "clients": [
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris},
            {"client_id": OTHER_CLIENT_ID, "client_secret": OTHER_CLIENT_SECRET, "redirect_uris": redirect_uris},
        ],
        "accounts": accounts or ACCOUNTS,
    }
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe nobody reads, so warnings never block it
    process = subprocess.Popen(
        [node, str(SCRIPT), json.dumps(config)],
        cwd=PROJECT_DIR,
        stdin=subprocess.PIPE,  # closed when this process ends, however it ends: the provider then stops
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        line = ""
        while not line.startswith("READY ") and time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
            if not ready or process.poll() is not None:
                break
            line = process.stdout.readline()
        if not line.startswith("READY "):
            process.kill()
            process.wait()
            errors.seek(0)
            raise AssertionError(f"The test identity provider did not start: {errors.read()[-2000:]}")
        yield TestProvider(process, line.split()[1])
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdin.close()
        process.stdout.close()
        errors.close()
