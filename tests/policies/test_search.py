"""Search finds a published procedure by a word in its body, ranked, with the passage; on
SQLite through the FTS5 index and on PostgreSQL through its own full-text search."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from jigsaw.core.scoping import Access, Role
from jigsaw.policies import search, services

TODAY = datetime.date.today()


def publish(bu, partnership, title, body, kind="procedure"):
    document = services.document_create(actor=bu, partnership=partnership, title=title, kind=kind)
    version = services.version_create(actor=bu, document=document, body=body, effective_on=TODAY, what_changed="New")
    services.version_approve(actor=bu, version=version)
    services.version_publish(actor=bu, version=version)
    return document


@pytest.mark.django_db
def test_search_finds_a_procedure_by_a_word_in_its_body_with_the_passage(world):
    bu = world.users[Role.BUSINESS_UNIT]
    fgm = publish(
        bu,
        world.partnership,
        "Female Genital Mutilation",
        "# Mandatory reporting\n\nRegulated professionals must report known cases of FGM in under-18s to the police. "
        "Mutilation is a crime; mutilation protection orders can be sought.",
    )
    publish(bu, world.partnership, "Forced Marriage", "A forced marriage may involve mutilation threats in rare cases.")
    draft = services.document_create(
        actor=bu, partnership=world.partnership, title="Mutilation draft", kind="procedure"
    )
    services.version_create(
        actor=bu, document=draft, body="mutilation mutilation mutilation", effective_on=TODAY, what_changed="x"
    )
    public = Access.public(world.partnership)

    hits = search.search(public, "mutilation")
    assert [hit.document.title for hit in hits] == [
        "Female Genital Mutilation",
        "Forced Marriage",
    ]  # ranked; the draft never
    assert "<mark>" in hits[0].passage and "police" in search.search(public, "report police")[0].passage
    assert search.search(public, "regulated professionals")[0].document == fgm
    assert search.search(public, "<script>") == []
    assert search.search(Access.public(world.other), "mutilation") == []  # another partnership's index

    services.document_withdraw(actor=bu, document=fgm)
    assert [hit.document.title for hit in search.search(public, "mutilation")] == ["Forced Marriage"]


@pytest.mark.django_db
def test_the_public_procedures_page_searches(world):
    response = world.client(None).get("/durham/public/procedures/", {"q": "section enquiries"})
    page = response.content.decode()
    assert "1 result for" in page and "Child protection enquiries" in page
    assert "Referrals" not in page.split("</form>", 1)[1]  # the draft is not listed
    signed_in = world.client(Role.PRACTITIONER).get("/durham/procedures/search/", {"q": "section"}).content.decode()
    assert "Child protection enquiries" in signed_in


def test_the_search_runs_on_the_database_in_use():
    assert connection.vendor in ("sqlite", "postgresql")
