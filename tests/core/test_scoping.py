"""The scope rules themselves, stated per role so they do not just restate the code."""

import pytest

from jigsaw.core.audit import AuditEntry
from jigsaw.core.models import Agency, Partnership, Person, RoleAssignment
from jigsaw.core.scoping import Access, Action, Role


def names(queryset):
    return set(queryset.values_list("name", flat=True))


@pytest.mark.django_db
class TestPeople:
    def test_business_unit_sees_and_changes_everyone_in_its_partnership_only(self, world):
        access = Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership)
        seen = names(Person.objects.restrict(access))
        assert "Group member Person" in seen and "Dana Other" not in seen
        assert names(Person.objects.restrict(access, Action.CHANGE)) == seen

    @pytest.mark.parametrize("role", [Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER])
    def test_reading_roles_see_everyone_and_change_no_one(self, world, role):
        access = Access.for_user(world.users[role], world.partnership)
        assert len(names(Person.objects.restrict(access))) == len(Role.values)
        assert not Person.objects.restrict(access, Action.CHANGE).exists()

    def test_agency_lead_changes_only_people_of_their_agency(self, world):
        access = Access.for_user(world.users[Role.AGENCY_LEAD], world.partnership)
        changeable = Person.objects.restrict(access, Action.CHANGE)
        assert changeable.exists()
        assert set(changeable.values_list("agency__name", flat=True)) == {"Durham Constabulary"}

    def test_practitioner_sees_only_themself(self, world):
        access = Access.for_user(world.users[Role.PRACTITIONER], world.partnership)
        assert names(Person.objects.restrict(access)) == {"Practitioner Person"}

    def test_the_public_sees_no_one(self, world):
        assert not Person.objects.restrict(Access.public(world.partnership)).exists()


@pytest.mark.django_db
def test_another_partnerships_user_sees_nothing_of_this_one(world):
    access = Access.for_user(world.outsider, world.partnership)
    assert access.roles == frozenset()
    for model in (Agency, Person, RoleAssignment, AuditEntry):
        assert not model.objects.restrict(access).exists(), model
    assert list(Partnership.objects.restrict(Access.for_user(world.outsider))) == [world.other]


@pytest.mark.django_db
def test_only_the_business_unit_changes_agencies(world):
    for role in Role.values:
        access = Access.for_user(world.users[role], world.partnership)
        # The partners' directory: a practitioner is not offered it (docs/access.md).
        assert Agency.objects.restrict(access).count() == (0 if role == Role.PRACTITIONER else 2)
        assert Agency.objects.restrict(access, Action.CHANGE).exists() == (role == Role.BUSINESS_UNIT)


@pytest.mark.django_db
def test_audit_trail_is_for_the_business_unit_and_the_scrutineer(world):
    for role in Role.values:
        visible = AuditEntry.objects.restrict(Access.for_user(world.users[role], world.partnership)).exists()
        assert visible == (role in (Role.BUSINESS_UNIT, Role.SCRUTINEER)), role
