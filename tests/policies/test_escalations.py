"""Professional disagreements: stages only move forward, the child by reference only, learning
raised into the learning log, counts by stage, theme and agency pair."""

from __future__ import annotations

import datetime

import pytest

from jigsaw.core.scoping import Role
from jigsaw.policies import queries, services
from jigsaw.policies.models import Escalation

DAY = datetime.date(2024, 6, 3)


def dates(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.mark.django_db
def test_an_escalation_moves_forward_to_the_scrutineer_and_raises_learning(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        "/durham/disagreements/new/",
        {
            "raising_agency": world.council.pk,
            "practitioner_role": "Social worker",
            "receiving_agency": world.police.pk,
            "child_reference": "DSCP-C-1042",
            "theme": world.theme.pk,
            "concern": "Threshold for a strategy discussion",
            **dates("stage1_on", DAY),
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    escalation = Escalation.objects.get(child_reference="DSCP-C-1042")
    assert response.status_code == 302 and escalation.reference.startswith("PD-2024-")
    assert not any(
        "name" in field.name and "agency" not in field.name
        for field in Escalation._meta.fields
        if field.name != "practitioner_role"
    )
    client.post(
        f"/durham/disagreements/{escalation.pk}/stage/",
        {"stage": 2, **dates("reached_on", DAY + datetime.timedelta(days=3))},
    )
    client.post(
        f"/durham/disagreements/{escalation.pk}/stage/",
        {"stage": 4, **dates("reached_on", DAY + datetime.timedelta(days=10))},
    )
    escalation.refresh_from_db()
    assert escalation.stage == 4 and escalation.stage4_on == DAY + datetime.timedelta(days=10)
    back = client.post(
        f"/durham/disagreements/{escalation.pk}/stage/",
        {"stage": 3, **dates("reached_on", DAY + datetime.timedelta(days=12))},
    )
    assert "stages only move forward" in back.content.decode()
    escalation.refresh_from_db()
    assert escalation.stage == 4 and escalation.stage3_on is None
    client.post(
        f"/durham/disagreements/{escalation.pk}/resolve/",
        {"outcome": "Strategy discussion held.", **dates("resolved_on", DAY + datetime.timedelta(days=20))},
    )
    client.post(
        f"/durham/disagreements/{escalation.pk}/learning/",
        {"description": "Brief practitioners on strategy discussion thresholds"},
    )
    page = client.get(escalation.get_absolute_url()).content.decode()
    assert "Brief practitioners on strategy discussion thresholds" in page and "DSCP-C-1042" in page
    counts = queries.escalation_counts(Escalation.objects.filter(partnership=world.partnership))
    assert counts["by_stage"] == {1: 1, 2: 0, 3: 0, 4: 1} and counts["resolved"] == 1
    listing = client.get("/durham/disagreements/").content.decode()
    assert "Durham County Council" in listing and "Professional curiosity" in listing


@pytest.mark.django_db
def test_a_stage_dated_before_the_one_before_is_refused(world):
    escalation = Escalation.objects.get(child_reference="C-0001")
    bu = world.users[Role.BUSINESS_UNIT]
    with pytest.raises(services.ValidationError) as error:
        services.escalation_move(
            actor=bu, escalation=escalation, stage=2, reached_on=escalation.stage1_on - datetime.timedelta(days=1)
        )
    assert "reached_on" in error.value.message_dict
    escalation.refresh_from_db()
    assert escalation.stage == 1 and escalation.stage2_on is None


@pytest.mark.django_db
def test_an_agency_lead_sees_only_their_agencys_disagreements_and_a_practitioner_none(world):
    bu = world.users[Role.BUSINESS_UNIT]
    services.escalation_create(
        actor=bu,
        partnership=world.partnership,
        raising_agency=world.council,
        receiving_agency=world.council.__class__.objects.create(
            partnership=world.partnership, name="Harbour", sector="domestic_abuse"
        ),
        practitioner_role="Health visitor",
        child_reference="C-0002",
        stage1_on=DAY,
    )
    lead = world.client(Role.AGENCY_LEAD).get("/durham/disagreements/").content.decode()
    table = lead.split("Every disagreement")[-1]
    assert "PD-" in table and "Harbour" not in table  # raised by the police: in; council with Harbour: out
    assert world.client(Role.PRACTITIONER).get("/durham/disagreements/").status_code == 403
