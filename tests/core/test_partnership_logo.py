"""The partnership's own logo: uploaded by the business unit in its settings, checked by
content, shown in the header of its public site and app, and served as an image to anyone."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jigsaw.core.models import Partnership
from jigsaw.core.scoping import Role
from tests.files import png_bytes

pytestmark = pytest.mark.django_db


def _settings_form(partnership, **extra):
    return {
        "name": partnership.name,
        "area": partnership.area,
        "financial_year_start_month": "4",
        "front_door_name": "First Contact",
        "front_door_in_hours": "03000 267 979",
        "front_door_out_of_hours": "03000 267 979",
        **extra,
    }


def test_the_business_unit_uploads_a_logo_that_heads_the_public_site(world, client):
    darlington = world.other
    assert not darlington.logo
    bu = world.client(Role.BUSINESS_UNIT)
    response = bu.post(
        "/durham/settings/",
        _settings_form(world.partnership, logo=SimpleUploadedFile("our-logo.png", png_bytes(), "image/png")),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    public = client.get("/durham/public/").content.decode()
    assert 'src="/durham/logo/"' in public and "Durham Safeguarding Children Partnership" in public
    image = client.get("/durham/logo/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    # A partnership without a logo has none to serve, and shows only its name.
    assert client.get("/darlington/logo/").status_code == 404
    assert "/darlington/logo/" not in client.get("/darlington/public/").content.decode()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a kind of file Jigsaw accepts here"),
        ("logo.png", b"<html><script>alert(1)</script></html>", "web page markup"),
        ("logo.png", b"GIF89a not a png at all", "is not a PNG image"),
    ],
)
def test_a_logo_that_is_not_a_png_or_jpeg_is_refused_on_the_field(world, name, content, message):
    before = Partnership.objects.get(pk=world.partnership.pk).logo.name
    response = world.client(Role.BUSINESS_UNIT).post(
        "/durham/settings/", _settings_form(world.partnership, logo=SimpleUploadedFile(name, content))
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page and 'href="#id_logo"' in page
    assert Partnership.objects.get(pk=world.partnership.pk).logo.name == before
