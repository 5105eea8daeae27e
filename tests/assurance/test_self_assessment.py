"""The organisational safeguarding assessment: versions, returns, results, as users meet them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jigsaw.assurance import queries, services
from jigsaw.assurance.models import Answer, Framework, Question, Return, ReturnStatus
from jigsaw.core import services as core_services
from jigsaw.core.scoping import Access, Role

D = datetime.date


def _framework(world, sections=(("Leadership", 2), ("Voice of the child", 2)), name="Test tool"):
    framework = services.framework_create(actor=None, partnership=world.partnership, name=name)
    for title, count in sections:
        section = services.section_add(actor=None, framework=framework, title=title)
        for n in range(count):
            services.question_add(actor=None, section=section, text=f"{title} question {n + 1}")
    return framework


def _round(world, framework):
    return services.round_create(actor=None, partnership=world.partnership, title="Round", framework=framework, period_start=D(2024, 4, 1), period_end=D(2024, 8, 31), deadline=D(2024, 9, 6))


def _invite(world, round, name, agency=None):
    agency = agency or world.police
    person = core_services.person_create(actor=None, partnership=world.partnership, name=name, agency=agency)
    return services.participant_invite(actor=None, round=round, participant=person, service=f"{agency} South")


def _answer_all(assessment_return, ratings):
    questions = list(Question.objects.filter(section__framework=assessment_return.round.framework).order_by("section__number", "number"))
    services.return_save_answers(actor=None, assessment_return=assessment_return, answers={q: {"rating": r, "evidence": "x"} for q, r in zip(questions, ratings)})


def test_editing_a_framework_in_use_makes_a_new_version_and_old_returns_keep_theirs(world):
    framework = _framework(world)
    first_question = Question.objects.filter(section__framework=framework).order_by("section__number", "number").first()
    # Not in use yet: edits change it in place.
    services.question_update(actor=None, question=first_question, text="Changed before use")
    assert Framework.objects.filter(name="Test tool").count() == 1

    round = _round(world, framework)
    assessment_return = _invite(world, round, "Pat One")
    _answer_all(assessment_return, ["green"] * 4)

    changed = services.question_update(actor=None, question=first_question, text="Changed after use")
    version_two = changed.section.framework
    assert (version_two.version, version_two.previous) == (2, framework)
    first_question.refresh_from_db()
    assert first_question.text == "Changed before use"  # the old version is untouched
    assert Question.objects.filter(section__framework=version_two).count() == 4
    assessment_return.refresh_from_db()
    assert assessment_return.round.framework == framework
    assert {a.question.section.framework_id for a in assessment_return.answers.all()} == {framework.pk}
    # Editing the old version again is refused: the newer one is where changes go.
    with pytest.raises(ValidationError):
        services.section_add(actor=None, framework=framework, title="Another")


def test_return_rate_and_green_per_section_arithmetic(world):
    framework = _framework(world)
    round = _round(world, framework)
    returns = [_invite(world, round, f"Person {n}") for n in range(3)]
    _answer_all(returns[0], ["green", "green", "green", "red"])
    _answer_all(returns[1], ["green", "amber", "green", "green"])
    services.return_submit(actor=None, assessment_return=returns[0])
    services.return_submit(actor=None, assessment_return=returns[1])
    _answer_all(returns[2], ["red"] * 4)  # a draft: it does not count

    rate = queries.return_rate(Return.objects.filter(round=round))
    assert (rate.invited, rate.returned, rate.pct) == (3, 2, 67)
    sections = queries.green_by_section(Answer.objects.filter(assessment_return__round=round))
    # Leadership: 3 of 4 green (75%); voice of the child: 3 of 4 green (75%): ties by section order.
    assert [(s.title, s.answers, s.green, s.green_pct) for s in sections] == [("Leadership", 4, 3, 75), ("Voice of the child", 4, 3, 75)]


def test_percent_rounds_halves_up():
    assert queries.percent(24, 38) == 63
    assert queries.percent(27, 29) == 93
    assert queries.percent(1, 8) == 13  # 12.5
    assert queries.percent(0, 0) is None


def test_a_return_cannot_be_submitted_twice_and_the_business_unit_can_reopen_it(world):
    round = _round(world, _framework(world))
    assessment_return = _invite(world, round, "Pat Two")
    with pytest.raises(ValidationError, match="Rate every question"):
        services.return_submit(actor=None, assessment_return=assessment_return)
    _answer_all(assessment_return, ["green"] * 4)
    services.return_submit(actor=None, assessment_return=assessment_return)
    with pytest.raises(ValidationError, match="already been submitted"):
        services.return_submit(actor=None, assessment_return=assessment_return)
    with pytest.raises(ValidationError, match="already been submitted"):
        _answer_all(assessment_return, ["red"] * 4)
    assert set(assessment_return.answers.values_list("rating", flat=True)) == {"green"}
    services.return_reopen(actor=None, assessment_return=assessment_return)
    assert Return.objects.get(pk=assessment_return.pk).status == ReturnStatus.DRAFT


def test_a_rating_outside_red_amber_green_is_refused_and_nothing_saved(world):
    round = _round(world, _framework(world))
    assessment_return = _invite(world, round, "Pat Three")
    questions = list(Question.objects.filter(section__framework=round.framework))
    with pytest.raises(ValidationError) as error:
        services.return_save_answers(actor=None, assessment_return=assessment_return, answers={questions[0]: {"rating": "green"}, questions[1]: {"rating": "purple"}})
    assert "red, amber or green" in str(error.value)
    assert not Answer.objects.filter(assessment_return=assessment_return).exists()


def test_a_rating_for_a_question_of_another_version_is_refused(world):
    round = _round(world, _framework(world))
    other = _framework(world, sections=(("Other", 1),), name="Other tool")
    assessment_return = _invite(world, round, "Pat Four")
    foreign = Question.objects.get(section__framework=other)
    with pytest.raises(ValidationError, match="not in the version"):
        services.return_save_answers(actor=None, assessment_return=assessment_return, answers={foreign: {"rating": "green"}})
    # The model refuses it too, whoever writes it.
    with pytest.raises(ValidationError, match="not in the version"):
        Answer(partnership=world.partnership, assessment_return=assessment_return, question=foreign, rating="green").full_clean()


def test_drafts_are_seen_by_the_participant_and_their_agency_lead_only(world):
    assessment_return = world.assessment_return  # the practitioner's, for the police
    def sees(role):
        return Return.objects.restrict(Access.for_user(world.users[role], world.partnership)).filter(pk=assessment_return.pk).exists()
    assert sees(Role.PRACTITIONER) and sees(Role.AGENCY_LEAD) and sees(Role.BUSINESS_UNIT)
    assert not sees(Role.SCRUTINEER) and not sees(Role.MEMBER) and not sees(Role.GROUP_CHAIR)
    _answer_all(assessment_return, ["green"])
    services.return_submit(actor=None, assessment_return=assessment_return)
    assert sees(Role.SCRUTINEER)


def test_agency_lead_completes_a_return_through_the_pages_and_the_results_move(world):
    lead = world.client(Role.AGENCY_LEAD)
    assessment_return = world.assessment_return
    question = world.question
    url = reverse("assurance:return-complete", args=["durham", assessment_return.pk])
    response = lead.post(url, {f"rating_{question.pk}": "green", f"evidence_{question.pk}": "Supervision audit, March."})
    assert response.status_code == 302
    response = lead.post(reverse("assurance:return-submit", args=["durham", assessment_return.pk]), follow=True)
    assert "Return submitted" in response.content.decode()
    # Submitted: the lead can no longer change it.
    assert lead.get(url).status_code == 403
    results = world.client(Role.BUSINESS_UNIT).get(reverse("assurance:round", args=["durham", world.round.pk])).content.decode()
    assert "100% (1 of 1 invited)" in results
    assert "Leadership, supervision and accountability" in results and "100%" in results


def test_an_improvement_action_from_a_round_shows_in_its_plan(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(reverse("assurance:round-action", args=["durham", world.round.pk]), {"description": "Brief every service on the escalation policy.", "owner_agency": world.police.pk})
    assert response.status_code == 302
    page = client.get(reverse("assurance:round", args=["durham", world.round.pk])).content.decode()
    assert "Brief every service on the escalation policy." in page and "Durham Constabulary" in page
