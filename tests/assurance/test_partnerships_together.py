"""Partnerships together: an organisation behind its agency in several partnerships, one section
11 return shared with each, answers carried forward, as the users of each partnership meet them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jigsaw.assurance import services
from jigsaw.assurance.models import Answer, Return, ReturnShare, ReturnStatus
from jigsaw.core import services as core_services
from jigsaw.core.audit import AuditEntry
from jigsaw.core.figures import build_named, registry
from jigsaw.core.models import Organisation, Partnership
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access, Action, Role
from tests.assurance.world import TRUST, _trust_agency

D = datetime.date


def _darlington_bu(world):
    return world.client("outsider")  # the World's business unit of the other partnership


def _target(world) -> Return:
    return Return.objects.get(pk=world.return_share.target_id)


def test_the_shared_return_shows_in_the_receiving_partnerships_results(world):
    share = world.return_share
    target = _target(world)
    assert target.partnership == world.other and target.status == ReturnStatus.SUBMITTED
    client = _darlington_bu(world)
    page = client.get(target.round.get_absolute_url()).content.decode()
    assert 'id="return-rate">100% (1 of 1 invited)' in page
    assert "100%" in page.split('id="green-by-section"')[1]
    detail = client.get(target.get_absolute_url()).content.decode()
    assert f"given once by {TRUST} in {world.partnership}" in detail
    answers = client.get(target.url("return-check")).content.decode()
    assert "Audit." in answers and "(shared)" in answers
    assert "Share this return" not in detail  # shared from where it was given, never onwards from a copy
    with pytest.raises(ValidationError, match="share them from where they were given"):
        services.return_share(actor=None, assessment_return=target, partnership=world.partnership)
    # The answering partnership sees where it went.
    source_page = world.client(Role.BUSINESS_UNIT).get(share.source.get_absolute_url()).content.decode()
    assert 'id="shares"' in source_page and str(world.other) in source_page


def test_the_receiving_partnership_cannot_change_the_shared_answers(world):
    target = _target(world)
    access = Access.for_user(world.outsider, world.other)
    answer = Answer.objects.restrict(access).get(assessment_return=target)
    assert not Answer.objects.restrict(access, Action.CHANGE).filter(pk=answer.pk).exists()
    with pytest.raises(ValidationError, match="shared from another partnership"):
        services.return_reopen(actor=world.outsider, assessment_return=target)
    response = _darlington_bu(world).post(reverse("assurance:return-reopen", args=[world.other.slug, target.pk]))
    assert response.status_code == 403  # read-only here: the scoping helper gives no one the change
    assert Return.objects.get(pk=target.pk).status == ReturnStatus.SUBMITTED


def test_every_record_of_one_partnership_is_not_found_from_the_other_but_the_shared_return(world):
    share, target = world.return_share, _target(world)
    durham, darlington = world.client(Role.BUSINESS_UNIT), _darlington_bu(world)
    source = share.source
    for url in (
        source.get_absolute_url(),
        source.url("return-check"),
        reverse("assurance:return-share", args=[world.partnership.slug, source.pk]),
        reverse("assurance:return", args=[world.other.slug, source.pk]),
        reverse("assurance:round", args=[world.other.slug, source.round_id]),
        f"/api/partnerships/{world.other.slug}/assessment-returns/{source.pk}/",
    ):
        assert darlington.get(url).status_code == 404, url
    assert darlington.post(reverse("assurance:share-withdraw", args=[world.other.slug, share.pk])).status_code == 404
    # The shared return itself: found in the receiving partnership, read-only there.
    assert darlington.get(target.get_absolute_url()).status_code == 200
    section = reverse("assurance:return-section", args=[world.other.slug, target.pk, 1])
    assert darlington.get(section).status_code == 403
    # And Durham does not reach Darlington's copy.
    assert durham.get(reverse("assurance:return", args=[world.partnership.slug, target.pk])).status_code == 404
    assert durham.get(target.get_absolute_url()).status_code == 404


def test_a_share_to_a_partnership_not_served_is_refused_and_nothing_written(world):
    elsewhere = core_services.partnership_create(name="Sunderland Safeguarding", slug="sunderland", area="Sunderland")
    before = (ReturnShare.objects.count(), Answer.objects.count())
    with pytest.raises(ValidationError) as raised:
        services.return_share(actor=None, assessment_return=world.return_share.source, partnership=elsewhere)
    assert raised.value.message_dict == {
        "partnership": [f"{TRUST} does not serve {elsewhere}: nothing can be shared with it."]
    }
    assert (ReturnShare.objects.count(), Answer.objects.count()) == before


def test_mismatched_tool_versions_need_a_question_mapping(world):
    source = world.return_share.source
    services.return_share_withdraw(actor=None, share=world.return_share)
    # Darlington's new round uses its own tool: a different name, so not the same version.
    framework = services.framework_create(actor=None, partnership=world.other, name="Darlington section 11 tool")
    section = services.section_add(actor=None, framework=framework, title="Leadership")
    local = services.question_add(actor=None, section=section, text="Our local question")
    mapped = services.question_add(actor=None, section=section, text="Leaders make safeguarding clear.")
    round = services.round_create(
        actor=None,
        partnership=world.other,
        title="Darlington 2024",
        framework=framework,
        period_start=D(2024, 4, 1),
        period_end=D(2024, 8, 31),
        deadline=D(2024, 9, 6),
    )
    person = core_services.person_create(
        actor=None, partnership=world.other, name="Trust lead", agency=_trust_agency(world.other)
    )
    invited = services.participant_invite(actor=None, round=round, participant=person, service="Trust-wide")
    before = (ReturnShare.objects.count(), Answer.objects.filter(assessment_return=invited).count())
    with pytest.raises(ValidationError, match="no question of the two carries the same shared reference"):
        services.return_share(actor=None, assessment_return=source, partnership=world.other)
    assert (ReturnShare.objects.count(), Answer.objects.filter(assessment_return=invited).count()) == before
    # The mapping: both tools give the question the same shared reference.
    services.question_update(actor=None, question=world.question, code="NE-1.1")
    services.question_update(actor=None, question=mapped, code="NE-1.1")
    share = services.return_share(actor=None, assessment_return=source, partnership=world.other)
    invited.refresh_from_db()
    assert share.questions_carried == 1
    assert invited.status == ReturnStatus.DRAFT  # the local question is Darlington's to answer
    assert invited.answers.get().question == mapped
    # The receiving agency answers its local question, cannot change the shared one, and submits.
    with pytest.raises(ValidationError, match="can be changed only there"):
        services.return_save_answers(actor=None, assessment_return=invited, answers={mapped: {"rating": "red"}})
    services.return_save_answers(actor=None, assessment_return=invited, answers={local: {"rating": "amber"}})
    services.return_submit(actor=None, assessment_return=invited)
    assert sorted(invited.answers.values_list("rating", flat=True)) == ["amber", "green"]


def test_withdrawing_a_share_is_recorded_and_empties_the_receiving_return(world):
    share, target = world.return_share, _target(world)
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(reverse("assurance:share-withdraw", args=[world.partnership.slug, share.pk]))
    assert response.status_code == 302
    share.refresh_from_db()
    target.refresh_from_db()
    assert share.withdrawn_at is not None
    assert target.status == ReturnStatus.NOT_STARTED and not target.answers.exists()
    durham_trail = AuditEntry.objects.restrict(Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership))
    assert durham_trail.filter(object_pk=str(share.pk), changes__icontains="withdrawn_at").exists()
    darlington_trail = AuditEntry.objects.restrict(Access.for_user(world.outsider, world.other))
    assert darlington_trail.filter(object_pk=str(target.pk), changes__icontains="not_started").exists()
    page = client.get(share.source.get_absolute_url()).content.decode()
    assert "Withdrawn" in page


def test_resubmitting_the_source_reaches_every_receiving_partnership(world):
    source = world.return_share.source
    services.return_reopen(actor=None, assessment_return=source)
    services.return_save_answers(actor=None, assessment_return=source, answers={world.question: {"rating": "red"}})
    services.return_submit(actor=None, assessment_return=source)
    assert list(_target(world).answers.values_list("rating", flat=True)) == ["red"]


def test_only_the_agency_lead_or_business_unit_shares(world):
    source = world.return_share.source
    url = reverse("assurance:return-share", args=[world.partnership.slug, source.pk])
    # The World's agency lead leads the police, whose return it is; the council's lead would not.
    assert world.client(Role.AGENCY_LEAD).get(url).status_code == 200
    assert world.client(Role.SCRUTINEER).get(url).status_code == 403
    assert world.client(Role.GROUP_CHAIR).get(url).status_code == 403
    assert world.client(Role.BUSINESS_UNIT).get(url).status_code == 200


def test_the_share_form_offers_the_served_partnerships_and_shares(world):
    source = world.return_share.source
    services.return_share_withdraw(actor=None, share=world.return_share)
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("assurance:return-share", args=[world.partnership.slug, source.pk])
    form = client.get(url).content.decode()
    assert str(world.other) in form
    wrong = client.post(url, {"partnership": "nowhere"})
    assert "Select a valid choice" in wrong.content.decode()
    response = client.post(url, {"partnership": world.other.slug})
    assert response.status_code == 302
    assert ReturnShare.objects.filter(source=source, withdrawn_at__isnull=True).count() == 1


def _figures(partnership, year) -> dict:
    figures = {}
    for block in build_named(list(registry()), partnership, year).values():
        figures.update(block.figures)
    return figures


def test_figures_change_only_where_the_shared_return_belongs(world):
    year = FinancialYear(2023)
    durham_with, darlington_with = _figures(world.partnership, year), _figures(world.other, year)
    services.return_share_withdraw(actor=None, share=world.return_share)
    durham_without, darlington_without = _figures(world.partnership, year), _figures(world.other, year)
    assert durham_with == durham_without
    changed = {key for key in darlington_with if darlington_with[key] != darlington_without.get(key)}
    assert changed and all(key.startswith("assurance.self_assessment.") for key in changed), changed
    assert darlington_with["assurance.self_assessment.returned"] == 1
    assert darlington_without["assurance.self_assessment.returned"] == 0


# --- Carried forward -------------------------------------------------------------------------------


def test_a_new_round_starts_from_the_previous_answers_and_shows_what_moved(world):
    # The World's practitioner's return (2024 round) is rated amber; submit it, then a new round.
    first = world.assessment_return
    services.return_submit(actor=None, assessment_return=first)
    next_round = services.round_create(
        actor=None,
        partnership=world.partnership,
        title="2025 round",
        framework=world.framework,
        period_start=D(2025, 4, 1),
        period_end=D(2025, 8, 31),
        deadline=D(2025, 9, 6),
    )
    again = services.participant_invite(
        actor=None, round=next_round, participant=first.participant, service=first.service
    )
    assert again.status == ReturnStatus.DRAFT and again.carried_from == first
    carried = again.answers.get()
    assert (carried.previous_rating, carried.rating, carried.evidence) == ("amber", "amber", "Partly.")
    services.return_save_answers(actor=None, assessment_return=again, answers={world.question: {"rating": "green"}})
    services.return_submit(actor=None, assessment_return=again)
    client = world.client(Role.BUSINESS_UNIT)
    check = client.get(again.url("return-check")).content.decode()
    assert "was Amber" in check
    page = client.get(next_round.get_absolute_url()).content.decode()
    movement = page.split('id="movement-by-section"')[1].split("</table>")[0]
    assert f"1. {world.section.title}" in movement
    cells = [c.split(">")[-1] for c in movement.split("</td>")[:3]]
    assert cells == ["1", "0", "1"]  # improved, worse, carried forward
    assert "Amber" in page.split('id="moved-answers"')[1] and "Green" in page.split('id="moved-answers"')[1]


# --- One organisation, one lead, several partnerships ----------------------------------------------


def test_an_agency_lead_in_two_partnerships_switches_between_them_and_sees_each_alone(world):
    organisation = Organisation.objects.get(name=TRUST)
    durham_agency, darlington_agency = _trust_agency(world.partnership), _trust_agency(world.other)
    assert {durham_agency.organisation, darlington_agency.organisation} == {organisation}
    lead = core_services.person_create(
        actor=None, partnership=world.partnership, name="Pat Lead", email="pat@force.example", agency=durham_agency
    )
    core_services.person_grant_access(actor=None, person=lead, role=Role.AGENCY_LEAD)
    # Darlington's business unit adds the same person there and gives them the role: one sign-in.
    there = core_services.person_create(
        actor=None, partnership=world.other, name="Pat Lead", email="pat@force.example", agency=darlington_agency
    )
    core_services.person_grant_access(actor=None, person=there, role=Role.AGENCY_LEAD)
    user = lead.user
    access = Access.for_user(user)
    assert access.partnership_ids == {world.partnership.pk, world.other.pk}
    from django.test import Client

    client = Client()
    client.force_login(user)
    home = client.get(reverse("core:partnership", args=[world.partnership.slug])).content.decode()
    switcher = home.split('aria-label="Your partnerships"')[1].split("</nav>")[0]
    assert reverse("core:partnership", args=[world.other.slug]) in switcher and str(world.other) in switcher
    # In each partnership they see that partnership's returns of their agency, and not the other's.
    durham_returns = Return.objects.restrict(access.within(world.partnership))
    darlington_returns = Return.objects.restrict(access.within(world.other))
    assert set(durham_returns.values_list("partnership", flat=True)) == {world.partnership.pk}
    assert set(darlington_returns.values_list("partnership", flat=True)) == {world.other.pk}
    source = world.return_share.source
    assert client.get(source.get_absolute_url()).status_code == 200
    assert client.get(reverse("assurance:return", args=[world.other.slug, source.pk])).status_code == 404
    # One identity: a partnership's business unit links its agency to it, and renames only one it works with.
    bu = Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership)
    assert Organisation.objects.restrict(bu, Action.CHANGE).filter(pk=organisation.pk).exists()
    other_org = Organisation.objects.create(name="Somewhere else's charity")
    assert not Organisation.objects.restrict(bu, Action.CHANGE).filter(pk=other_org.pk).exists()
    assert Partnership.objects.restrict(access.within(world.other)).get() == world.other


def test_a_single_partnership_user_has_no_switcher(world):
    page = world.client(Role.BUSINESS_UNIT).get(reverse("core:partnership", args=[world.partnership.slug]))
    assert 'aria-label="Your partnerships"' not in page.content.decode()
