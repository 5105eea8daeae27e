"""docs/access.md is the policy; every model's scope rule must say what its row says.

The table is read from the document itself, so the doc and the code cannot drift: a model with a
scope rule that is missing from the table fails, and so does a rule that opens or closes what
its cell does not. Each role is a real sign-in of the test World (an agency lead with an agency,
a practitioner with a person record), asked through the same `scope_rule` that restrict() uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps

from jigsaw.core.scoping import ALL, NOTHING, Access, Action, Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"
COLUMNS = {
    "business unit": Role.BUSINESS_UNIT,
    "group chair": Role.GROUP_CHAIR,
    "group member": Role.MEMBER,
    "agency lead": Role.AGENCY_LEAD,
    "scrutineer": Role.SCRUTINEER,
    "practitioner": Role.PRACTITIONER,
    "public": None,
    "site administrator": "site_admin",
}
SITE_ADMIN = "site_admin"  # the hosting organisation's sign-in: no role in the partnership
# A cell's word, and what the rule must be for it: every record, none, or a part of them.
# 'panel seat' depends on a seat on the case review panel: all with one, none without.
WORDS = {"all": {"all"}, "—": {"none"}, "panel seat": {"all", "none"}}


def policy() -> dict[str, dict[str | None, tuple[str, str]]]:
    """{model label: {role: (see, change)}} from the table under '## The policy'."""
    text = DOC.read_text().split("## The policy", 1)[1]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        cells = dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
        for label in re.findall(r"`([\w.]+)`", cells["records"]):
            assert label not in table, f"{label} has two rows in docs/access.md"
            table[label] = {
                role: tuple(part.strip() for part in cells[column].split("/")) for column, role in COLUMNS.items()
            }
    return table


def shape(rule) -> str:
    if rule is NOTHING:
        return "none"
    return "all" if rule == ALL else "part"


def expected(word: str) -> set[str]:
    return WORDS.get(word, {"part"})


def scoped_models():
    return [
        model for model in apps.get_models() if model.__module__.startswith("jigsaw.") and hasattr(model, "scope_rule")
    ]


def test_the_table_is_read():
    # Guards the parser: if it stopped finding rows, every rule would pass unchecked.
    table = policy()
    assert len(table) >= 60
    assert table["governance.Meeting"][Role.PRACTITIONER] == ("—", "—")
    assert table["learning.Briefing"][None] == ("published", "—")
    assert table["governance.Meeting"][SITE_ADMIN] == ("—", "—")
    assert table["core.Partnership"][SITE_ADMIN] == ("all", "—")


def test_every_model_with_a_scope_rule_has_a_row():
    table = policy()
    missing = sorted(model._meta.label for model in scoped_models() if model._meta.label not in table)
    assert not missing, f"Add these to the table in docs/access.md: {missing}"
    unknown = sorted(set(table) - {model._meta.label for model in scoped_models()})
    assert not unknown, f"docs/access.md names records that have no scope rule: {unknown}"


def site_administrator():
    from jigsaw.core import services
    from jigsaw.core.models import User

    user = User.objects.filter(email="host@site.example").first() or services.user_create(email="host@site.example")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_every_scope_rule_says_what_its_row_says(world):
    table = policy()
    wrong = []
    for role, _ in [(r, None) for r in COLUMNS.values()]:
        if role == SITE_ADMIN:
            access = Access.for_user(site_administrator(), world.partnership)
            assert access.is_site_admin and not access.roles
        else:
            access = Access.for_user(world.users[role], world.partnership) if role else Access.public(world.partnership)
        for model in scoped_models():
            see, change = table[model._meta.label][role]
            for action, word in ((Action.VIEW, see), (Action.CHANGE, change)):
                got = shape(model.scope_rule(access, action))
                if got not in expected(word):
                    wrong.append(
                        f"{model._meta.label}, {role or 'public'}, {action}: the table says '{word}', the rule gives {got}"
                    )
    assert not wrong, "docs/access.md and the scope rules disagree:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_the_check_can_fail(world, monkeypatch):
    """A rule opened to practitioners against the table is caught."""
    from jigsaw.governance.models import Meeting

    monkeypatch.setattr(Meeting, "scope_rule", classmethod(lambda cls, access, action: ALL))
    with pytest.raises(
        AssertionError,
        match=re.escape("governance.Meeting, practitioner, view: the table says '—', the rule gives all"),
    ):
        test_every_scope_rule_says_what_its_row_says(world)
