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
    return services.round_create(
        actor=None,
        partnership=world.partnership,
        title="Round",
        framework=framework,
        period_start=D(2024, 4, 1),
        period_end=D(2024, 8, 31),
        deadline=D(2024, 9, 6),
    )


def _invite(world, round, name, agency=None):
    agency = agency or world.police
    person = core_services.person_create(actor=None, partnership=world.partnership, name=name, agency=agency)
    return services.participant_invite(actor=None, round=round, participant=person, service=f"{agency} South")


def _answer_all(assessment_return, ratings):
    questions = list(
        Question.objects.filter(section__framework=assessment_return.round.framework).order_by(
            "section__number", "number"
        )
    )
    services.return_save_answers(
        actor=None,
        assessment_return=assessment_return,
        answers={q: {"rating": r, "evidence": "x"} for q, r in zip(questions, ratings)},
    )


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


def test_a_change_to_an_older_version_of_the_tool_is_refused_with_nothing_written(world):
    framework = _framework(world)
    _answer_all(_invite(world, _round(world, framework), "Pat One"), ["green"] * 4)
    business_unit = world.client(Role.BUSINESS_UNIT)
    old_question = Question.objects.filter(section__framework=framework).order_by("section__number", "number").first()
    # A shared reference is set on the version in use: the question answered is unchanged.
    services.question_update(actor=None, question=old_question, code="NE-1.1")
    response = business_unit.post(
        reverse("assurance:question-update", args=["durham", old_question.pk]),
        {"text": "Changed after use", "code": "NE-1.1"},
    )
    assert response.status_code == 302
    newer = Framework.objects.get(previous=framework)
    old_question.refresh_from_db()
    assert old_question.text == "Leadership question 1"  # the page's edit went to the copy, not the answered one
    # The next version carries every section and question, the shared reference with them.
    assert [(q.section.title, q.number, q.code) for q in Question.objects.filter(section__framework=newer)] == [
        ("Leadership", 1, "NE-1.1"),
        ("Leadership", 2, ""),
        ("Voice of the child", 1, ""),
        ("Voice of the child", 2, ""),
    ]

    def held():
        return (
            list(Framework.objects.values_list("pk", "version", "name")),
            list(Question.objects.values_list("pk", "text", "section__title")),
        )

    before = held()
    for url, data in (
        (reverse("assurance:question-update", args=["durham", old_question.pk]), {"text": "Changed again"}),
        (reverse("assurance:section-create", args=["durham", framework.pk]), {"title": "Another"}),
        (reverse("assurance:framework-update", args=["durham", framework.pk]), {"name": "Renamed", "introduction": ""}),
    ):
        page = business_unit.post(url, data).content.decode()
        assert "A newer version of this tool exists: change that one instead." in page, url
    assert held() == before


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
    assert [(s.title, s.answers, s.green, s.green_pct) for s in sections] == [
        ("Leadership", 4, 3, 75),
        ("Voice of the child", 4, 3, 75),
    ]


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
        services.return_save_answers(
            actor=None,
            assessment_return=assessment_return,
            answers={questions[0]: {"rating": "green"}, questions[1]: {"rating": "purple"}},
        )
    assert "red, amber or green" in str(error.value)
    assert not Answer.objects.filter(assessment_return=assessment_return).exists()


def test_a_rating_for_a_question_of_another_version_is_refused(world):
    round = _round(world, _framework(world))
    other = _framework(world, sections=(("Other", 1),), name="Other tool")
    assessment_return = _invite(world, round, "Pat Four")
    foreign = Question.objects.get(section__framework=other)
    with pytest.raises(ValidationError, match="not in the version"):
        services.return_save_answers(
            actor=None, assessment_return=assessment_return, answers={foreign: {"rating": "green"}}
        )
    # The model refuses it too, whoever writes it.
    with pytest.raises(ValidationError, match="not in the version"):
        Answer(
            partnership=world.partnership, assessment_return=assessment_return, question=foreign, rating="green"
        ).full_clean()


def test_drafts_are_seen_by_the_participant_and_their_agency_lead_only(world):
    assessment_return = world.assessment_return  # the practitioner's, for the police

    def sees(role):
        return (
            Return.objects.restrict(Access.for_user(world.users[role], world.partnership))
            .filter(pk=assessment_return.pk)
            .exists()
        )

    assert sees(Role.PRACTITIONER) and sees(Role.AGENCY_LEAD) and sees(Role.BUSINESS_UNIT)
    assert not sees(Role.SCRUTINEER) and not sees(Role.MEMBER) and not sees(Role.GROUP_CHAIR)
    _answer_all(assessment_return, ["green"])
    services.return_submit(actor=None, assessment_return=assessment_return)
    assert sees(Role.SCRUTINEER)


def _section_url(assessment_return, number):
    return reverse("assurance:return-section", args=["durham", assessment_return.pk, number])


def _two_section_return(world):
    """A return of the agency lead's agency on a tool of two sections of two questions."""
    round = _round(world, _framework(world))
    assessment_return = _invite(world, round, "Sam Section")
    questions = list(Question.objects.filter(section__framework=round.framework).order_by("section__number", "number"))
    return assessment_return, questions


def test_agency_lead_completes_a_return_section_by_section_checks_the_answers_and_submits(world):
    lead = world.client(Role.AGENCY_LEAD)
    assessment_return, (q11, q12, q21, q22) = _two_section_return(world)
    page = lead.get(assessment_return.get_absolute_url()).content.decode()
    # The task list: each section not started, and the check step cannot start yet.
    assert (
        page.count('govuk-tag--blue">Not started<') == 2
        and "Cannot start yet" in page
        and "You have completed 0 of 2 sections" in page
    )

    # Section 1, one question rated, saved for later: in progress, the rating kept.
    response = lead.post(
        _section_url(assessment_return, 1),
        {f"rating_{q11.pk}": "green", f"evidence_{q11.pk}": "Supervision audit, March.", "later": "1"},
    )
    assert response.status_code == 302 and response["Location"] == assessment_return.get_absolute_url()
    page = lead.get(assessment_return.get_absolute_url()).content.decode()
    assert "In progress" in page and "1 of 2 questions rated" in page

    # Save and continue needs every question of the section; the error names the question and nothing is saved.
    response = lead.post(_section_url(assessment_return, 1), {f"rating_{q11.pk}": "amber", "continue": "1"})
    assert response.status_code == 200
    assert "Rate question 1.2: choose red, amber or green" in response.content.decode()
    assert Answer.objects.get(assessment_return=assessment_return, question=q11).rating == "green"

    # Rated in full, it goes on to the next section, then to check your answers.
    # (The page shows the evidence saved before in its box, so it is sent again.)
    response = lead.post(
        _section_url(assessment_return, 1),
        {
            f"rating_{q11.pk}": "green",
            f"evidence_{q11.pk}": "Supervision audit, March.",
            f"rating_{q12.pk}": "amber",
            "continue": "1",
        },
    )
    assert response["Location"] == _section_url(assessment_return, 2)
    response = lead.post(
        _section_url(assessment_return, 2),
        {
            f"rating_{q21.pk}": "green",
            f"rating_{q22.pk}": "red",
            f"evidence_{q22.pk}": "No audit yet.",
            "continue": "1",
        },
    )
    check_url = reverse("assurance:return-check", args=["durham", assessment_return.pk])
    assert response["Location"] == check_url
    check = lead.get(check_url).content.decode()
    assert "Check your answers before submitting your return" in check
    assert check.count(">Change<") == 4 and f"{_section_url(assessment_return, 2)}#id_rating_{q22.pk}_0" in check
    assert "Supervision audit, March." in check and "No audit yet." in check
    assert "Submit the return" in check

    response = lead.post(reverse("assurance:return-submit", args=["durham", assessment_return.pk]), follow=True)
    assert "Return submitted" in response.content.decode()
    assessment_return.refresh_from_db()
    assert assessment_return.status == ReturnStatus.SUBMITTED
    # Submitted: no section can be changed.
    assert lead.get(_section_url(assessment_return, 1)).status_code == 403


def test_the_section_page_marks_only_what_is_optional(world):
    lead = world.client(Role.AGENCY_LEAD)
    assessment_return, (q11, _q12, _, _) = _two_section_return(world)
    page = lead.get(_section_url(assessment_return, 1)).content.decode()
    assert "Leadership question 1</legend>" in page  # the rating is required: no "(optional)"
    assert "Evidence file for 1.1 (optional)</label>" in page and "(optional) (optional)" not in page
    assert "section 1 of 2" in page
    # Shown again with an error, the rating is still not called optional.
    page = lead.post(
        _section_url(assessment_return, 1), {f"evidence_{q11.pk}": "Typed but not rated", "later": "1"}
    ).content.decode()
    assert "Rate question 1.1 to save the evidence you gave for it" in page
    assert "Leadership question 1 (optional)" not in page
    assert not Answer.objects.filter(assessment_return=assessment_return).exists()


def test_a_return_with_questions_unrated_is_not_submitted_and_the_check_page_names_them(world):
    lead = world.client(Role.AGENCY_LEAD)
    assessment_return, (q11, *_) = _two_section_return(world)
    services.return_save_answers(actor=None, assessment_return=assessment_return, answers={q11: {"rating": "green"}})
    response = lead.post(reverse("assurance:return-submit", args=["durham", assessment_return.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("assurance:return-check", args=["durham", assessment_return.pk])
    assert "3 questions still to rate" in page
    assert (
        "1. Leadership: rate question 1.2</a>" in page and "2. Voice of the child: rate questions 2.1, 2.2</a>" in page
    )
    assert "Submit the return" not in page
    assert Return.objects.get(pk=assessment_return.pk).status == ReturnStatus.DRAFT


def test_results_by_agency_fit_the_page_sections_down_the_side_in_a_labelled_scrolling_region(world):
    assessment_return, _questions = _two_section_return(world)
    _answer_all(assessment_return, ["green", "red", "green", "green"])
    services.return_submit(actor=None, assessment_return=assessment_return)
    page = (
        world.client(Role.BUSINESS_UNIT)
        .get(reverse("assurance:round", args=["durham", assessment_return.round_id]))
        .content.decode()
    )
    region = page[page.index('<div class="jigsaw-scroll-region"') :]
    region = region[: region.index("</div>")]
    assert 'role="region" aria-labelledby="green-by-agency-caption" tabindex="0"' in region
    assert 'id="green-by-agency-caption">% green by section and agency<' in region
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Durham Constabulary</th>' in region
    assert (
        '<th scope="row" class="govuk-table__header">Leadership</th><td class="govuk-table__cell govuk-table__cell--numeric">50%</td>'
        in region
    )
    assert (
        '<th scope="row" class="govuk-table__header">Voice of the child</th><td class="govuk-table__cell govuk-table__cell--numeric">100%</td>'
        in region
    )


def test_an_improvement_action_from_a_round_shows_in_its_plan(world):
    client = world.client(Role.BUSINESS_UNIT)
    response = client.post(
        reverse("assurance:round-action", args=["durham", world.round.pk]),
        {"description": "Brief every service on the escalation policy.", "owner_agency": world.police.pk},
    )
    assert response.status_code == 302
    page = client.get(reverse("assurance:round", args=["durham", world.round.pk])).content.decode()
    assert "Brief every service on the escalation policy." in page and "Durham Constabulary" in page
