"""A group run jointly with another partnership: one record its partners read, read-only there,
counted once in each partnership's figures; nothing else of the other partnership crosses."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jigsaw.core.figures import build_named, registry
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access, Action, Role
from jigsaw.governance import services
from jigsaw.governance.models import Group, Meeting


def _figures(partnership, year) -> dict:
    figures = {}
    for block in build_named([n for n in registry() if n.startswith("governance.")], partnership, year).values():
        figures.update(block.figures)
    return figures


@pytest.fixture
def joint(world):
    """The World's PLG, run jointly with the other partnership, with a meeting attended."""
    meeting = Meeting.objects.filter(group=world.plg).first() or services.meeting_create(
        actor=None, partnership=world.partnership, group=world.plg, held_on=datetime.date(2024, 10, 1)
    )
    services.group_run_jointly(actor=None, group=world.plg, partners=[world.other])
    return world.plg, meeting


def test_the_other_partnerships_partners_see_the_joint_group_and_its_meetings_read_only(world, joint):
    group, meeting = joint
    darlington = world.client("outsider")  # the other partnership's business unit
    page = darlington.get(reverse("governance:group", args=[world.other.slug, group.pk]))
    assert page.status_code == 200
    assert group.name in page.content.decode()
    assert f"Run jointly by {world.partnership} and {world.other}" in page.content.decode()
    assert "Add a meeting" not in page.content.decode()
    meeting_page = darlington.get(reverse("governance:meeting", args=[world.other.slug, meeting.pk]))
    assert meeting_page.status_code == 200
    # Links on their pages stay in their partnership.
    structure = darlington.get(reverse("governance:structure", args=[world.other.slug])).content.decode()
    assert reverse("governance:group", args=[world.other.slug, group.pk]) in structure
    assert reverse("governance:group", args=[world.partnership.slug, group.pk]) not in structure
    # Read-only there.
    assert darlington.get(reverse("governance:group-update", args=[world.other.slug, group.pk])).status_code == 403
    access = Access.for_user(world.outsider, world.other)
    assert not Group.objects.restrict(access, Action.CHANGE).filter(pk=group.pk).exists()
    # Nothing else of Durham's governance: its executive group is not found.
    assert darlington.get(reverse("governance:group", args=[world.other.slug, world.executive.pk])).status_code == 404
    assert darlington.get(reverse("governance:group", args=[world.partnership.slug, group.pk])).status_code == 404


def test_ending_the_joint_running_closes_it_again(world, joint):
    group, _ = joint
    services.group_run_jointly(actor=None, group=group, partners=[])
    darlington = world.client("outsider")
    assert darlington.get(reverse("governance:group", args=[world.other.slug, group.pk])).status_code == 404


def test_a_group_is_not_run_jointly_with_its_own_partnership(world):
    with pytest.raises(ValidationError) as raised:
        services.group_run_jointly(actor=None, group=world.plg, partners=[world.partnership])
    assert "partners" in raised.value.message_dict
    assert not world.plg.partners.exists()


def test_each_partnerships_figures_include_the_joint_group_once_and_nothing_else_changes(world):
    year = FinancialYear(2024)
    # Durham's structure already says whom the group is run with; running it jointly in Jigsaw adds nothing there.
    services.group_update(actor=None, group=world.plg, joint_with=world.other.name)
    durham_before, darlington_before = _figures(world.partnership, year), _figures(world.other, year)
    services.group_run_jointly(actor=None, group=world.plg, partners=[world.other])
    durham_after, darlington_after = _figures(world.partnership, year), _figures(world.other, year)
    assert durham_after == durham_before
    structure = darlington_after["governance.structure"]
    names = [node["name"] for node in structure]
    assert names.count(world.plg.name) == 1
    changed = {key for key in darlington_after if darlington_after[key] != darlington_before.get(key)}
    assert changed and all(key.startswith(("governance.structure", "governance.attendance")) for key in changed), (
        changed
    )


def test_the_member_of_the_other_partnership_sees_the_group_but_not_meetings_without_a_seat(world, joint):
    group, meeting = joint
    other = world.populate_other()
    member = Access.for_user(other.users[Role.MEMBER], world.other)
    assert Group.objects.restrict(member).filter(pk=group.pk).exists()
    assert not Meeting.objects.restrict(member).filter(pk=meeting.pk).exists()
