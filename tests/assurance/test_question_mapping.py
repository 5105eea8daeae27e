"""Two versions of the section 11 tool mapped question by question by the business unit, so a
partnership on version 2 and one on version 1 share returns; without the mapping the share is
refused with a message saying who must map what, and nothing is written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jigsaw.assurance import services
from jigsaw.assurance.models import Framework, Question, ReturnShare
from jigsaw.core import services as core_services
from jigsaw.core.audit import AuditEntry
from jigsaw.core.scoping import Access, Role
from tests.assurance.world import _trust_agency
from tests.core.test_boundary import _errors

D = datetime.date


@pytest.fixture
def versions(world):
    """Durham moves to version 2 (question 1.1 reworded, a new 1.2) and the force answers it there;
    Darlington runs version 1 of the same tool and invites the force."""
    v1 = world.framework
    services.question_update(
        actor=None,
        question=world.question,
        text="Leaders make sure everyone knows their safeguarding responsibilities.",
    )
    v2 = Framework.objects.get(partnership=world.partnership, name=v1.name, version=2)
    reworded = Question.objects.get(section__framework=v2, number=1)
    new = services.question_add(
        actor=None, section=v2.sections.get(), text="Staff know how to escalate a disagreement."
    )
    # Darlington's copy of version 1.
    theirs = services.framework_create(actor=None, partnership=world.other, name=v1.name)
    section = services.section_add(actor=None, framework=theirs, title=world.section.title)
    their_question = services.question_add(actor=None, section=section, text=world.question.text)
    their_round = services.round_create(
        actor=None,
        partnership=world.other,
        title="Darlington 2025",
        framework=theirs,
        period_start=D(2025, 4, 1),
        period_end=D(2025, 8, 31),
        deadline=D(2025, 9, 5),
    )
    lead = core_services.person_create(
        actor=None, partnership=world.other, name="Force lead", agency=_trust_agency(world.other)
    )
    target = services.participant_invite(actor=None, round=their_round, participant=lead, service="Force-wide")
    our_round = services.round_create(
        actor=None,
        partnership=world.partnership,
        title="Durham 2025",
        framework=v2,
        period_start=D(2025, 4, 1),
        period_end=D(2025, 8, 31),
        deadline=D(2025, 9, 5),
    )
    source = services.participant_invite(
        actor=None,
        round=our_round,
        participant=world.users[Role.AGENCY_LEAD].person,
        agency=_trust_agency(world.partnership),
        service="Force-wide",
    )
    services.return_save_answers(
        actor=None,
        assessment_return=source,
        answers={reworded: {"rating": "red", "evidence": "New leads."}, new: {"rating": "green"}},
    )
    services.return_submit(actor=None, assessment_return=source)
    return v1, v2, reworded, new, their_question, source, target


def _mapping_url(world, framework) -> str:
    return reverse("assurance:framework-mapping", args=[world.partnership.slug, framework.pk])


def test_a_return_on_mismatched_versions_without_a_mapping_is_refused_and_nothing_written(world, versions):
    _, _, _, _, _, source, target = versions
    before = (ReturnShare.objects.count(), target.answers.count())
    with pytest.raises(ValidationError) as raised:
        services.return_share(actor=None, assessment_return=source, partnership=world.other)
    assert raised.value.message_dict["partnership"] == [
        f"{world.other}'s round 'Darlington 2025' uses version 1 of {world.framework.name} and this return answers "
        f"version 2, and nobody has mapped the questions of version 2 to version 1: {world.partnership}'s business "
        "unit maps them on the tool's page before the return can be shared."
    ]
    assert (ReturnShare.objects.count(), target.answers.count()) == before


def test_the_business_unit_maps_the_versions_and_the_return_is_shared(world, versions):
    v1, v2, reworded, new, their_question, source, target = versions
    client = world.client(Role.BUSINESS_UNIT)
    tool_page = client.get(v2.get_absolute_url()).content.decode()
    assert "Questions not yet mapped to version 1" in tool_page and _mapping_url(world, v2) in tool_page
    form = client.get(_mapping_url(world, v2))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Question 1.1: Leaders make sure everyone knows" in page and "No equivalent in version 1" in page

    # Every question must be mapped: each error names its question, and nothing is saved.
    empty = client.post(_mapping_url(world, v2), {})
    assert _errors(empty) == [
        "Question 1.1: choose the question of version 1 it is, or 'No equivalent'",
        "Question 1.2: choose the question of version 1 it is, or 'No equivalent'",
    ]
    both = client.post(
        _mapping_url(world, v2),
        {f"question_{reworded.pk}": world.question.pk, f"question_{new.pk}": world.question.pk},
    )
    assert _errors(both) == [
        "Question 1.2: question 1.1 of version 1 is already mapped to question 1.1. Choose another, or 'No equivalent'."
    ]
    foreign = client.post(
        _mapping_url(world, v2), {f"question_{reworded.pk}": their_question.pk, f"question_{new.pk}": "none"}
    )
    assert _errors(foreign) == ["Question 1.1: choose a question of version 1"]
    v2.refresh_from_db()
    assert v2.mapped_at is None and Question.objects.get(pk=reworded.pk).equivalent is None

    saved = client.post(
        _mapping_url(world, v2), {f"question_{reworded.pk}": world.question.pk, f"question_{new.pk}": "none"}
    )
    assert saved.status_code == 302 and saved.url == v2.get_absolute_url()
    v2.refresh_from_db()
    assert v2.mapped_at is not None and Question.objects.get(pk=reworded.pk).equivalent == world.question
    trail = AuditEntry.objects.restrict(Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership))
    assert trail.filter(object_pk=str(reworded.pk), changes__icontains="equivalent").exists()
    assert "Questions mapped to version 1 on" in client.get(v2.get_absolute_url()).content.decode()
    # Shown again, the form holds the mapping.
    again = client.get(_mapping_url(world, v2)).content.decode()
    assert f'value="{world.question.pk}" selected' in again and 'value="none" selected' in again

    share = services.return_share(actor=None, assessment_return=source, partnership=world.other)
    assert share.questions_carried == 1
    answer = target.answers.get()
    assert (answer.question, answer.rating, answer.evidence) == (their_question, "red", "New leads.")
    # The other way round: a version 1 question is the version 2 question it was mapped to; the new
    # question has no equivalent, so it stays the receiving partnership's to answer.
    their_tool = their_question.section.framework
    assert services.question_map(their_tool, v2) == {their_question.pk: reworded}
    assert services.question_map(v2, their_tool) == {reworded.pk: their_question}
    assert v1.version == 1


def test_the_first_version_has_nothing_to_map(world):
    page = world.client(Role.BUSINESS_UNIT).get(_mapping_url(world, world.framework))
    assert page.status_code == 200
    assert "This is the first version" in page.content.decode()
    with pytest.raises(ValidationError, match="first version of the tool"):
        services.framework_map_previous(actor=None, framework=world.framework, equivalents={})


def test_only_the_business_unit_maps(world, versions):
    v2 = versions[1]
    for role in (Role.GROUP_CHAIR, Role.AGENCY_LEAD, Role.SCRUTINEER):
        assert world.client(role).get(_mapping_url(world, v2)).status_code == 403
    assert world.client("outsider").get(_mapping_url(world, v2)).status_code == 404
