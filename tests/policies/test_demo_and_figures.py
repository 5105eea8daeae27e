"""The demo reproduces the report's lists; the report blocks carry the figures.json keys."""

from __future__ import annotations

import pytest

from jigsaw.core.demo import load_demo
from jigsaw.core.figures import registry
from jigsaw.core.periods import FinancialYear
from jigsaw.policies.models import Delivery, Digest, Document, Escalation, Subscriber, VersionTrigger
from tests.reports.test_reference import PROCEDURES_UPDATED


@pytest.mark.django_db
def test_the_demo_shows_the_reports_lists_and_loading_again_adds_nothing(demo, django_assert_max_num_queries):
    result = demo
    partnership = result.partnership
    year = FinancialYear(2024)
    blocks = registry()
    documents = blocks["policies.documents_updated"].build(partnership, year)
    assert documents.figures["policies.procedures.updated.count"] == 12
    assert documents.figures["policies.local_documents.updated"] == sorted(
        [
            "Durham Threshold guidance",
            "Bruising in non-mobile child protocol",
            "Multi-agency child protection conference template",
            "Childs Voice and lived experience guidance",
        ]
    )
    assert sorted(documents.figures["policies.procedures.updated"]) == sorted(
        PROCEDURES_UPDATED
    )  # the reference report's list
    esdras = VersionTrigger.objects.get(label__startswith="Operation Esdras")
    assert (
        esdras.version.document.title == "Serious and Organised Abuse"
        and esdras.version.document.joint_partner == "Darlington"
    )
    stages = blocks["policies.escalations"].build(partnership, year).figures["policies.escalations.by_stage"]
    assert sum(stages.values()) == Escalation.objects.count() > 10 and stages["4"] >= 1
    digest = Digest.objects.get()
    assert (
        digest.status == "sent"
        and Delivery.objects.filter(digest=digest, sent_at__isnull=False).count() == Subscriber.objects.count()
    )
    with django_assert_max_num_queries(6):
        blocks["policies.documents_updated"].build(partnership, year)
        blocks["policies.escalations"].build(partnership, year)

    before = (Document.objects.count(), Escalation.objects.count(), Subscriber.objects.count(), Digest.objects.count())
    second = load_demo()
    assert not second.created
    assert (
        Document.objects.count(),
        Escalation.objects.count(),
        Subscriber.objects.count(),
        Digest.objects.count(),
    ) == before
