"""The one scoping helper: what a user may read or change, decided in one place.

Every model declares `scope_rule(access, action)`, returning a Q for the rows the access may
act on (ALL for every row of the partnership, NOTHING for none). Every default manager is a
ScopedManager, whose `restrict(access, action)` applies the partnership boundary and that rule.
Views, the API, exports and reports fetch through it, so a record outside one's scope is a
404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    BUSINESS_UNIT = "business_unit", "Business unit"
    GROUP_CHAIR = "group_chair", "Group chair"
    MEMBER = "member", "Group member"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    SCRUTINEER = "scrutineer", "Independent scrutineer"
    PRACTITIONER = "practitioner", "Practitioner"


class Action:
    VIEW = "view"
    CHANGE = "change"


ALL = Q()

# Everyone who works for the partnership as a partner: every role but the practitioner, who sees
# only what docs/access.md lists for them.
PARTNERS = frozenset({Role.BUSINESS_UNIT, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD, Role.SCRUTINEER})


class _Nothing:
    def __repr__(self) -> str:
        return "NOTHING"


NOTHING = _Nothing()


@dataclass(frozen=True)
class Access:
    """Who is asking, and in which partnership: the input to every scoping decision."""

    user: object | None
    partnership: object | None = None
    roles: frozenset[str] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    partnership_ids: frozenset[int] = field(default=frozenset())
    assignments: tuple[tuple[int, str, int | None], ...] = field(default=(), repr=False)

    @property
    def is_anonymous(self) -> bool:
        return self.user is None

    @classmethod
    def public(cls, partnership=None) -> Access:
        return cls(user=None, partnership=partnership)

    @classmethod
    def for_report(cls, partnership) -> Access:
        """The partnership reading its own records for its figures (the annual report, figures.json
        and the aggregates pages show): every record of the partnership, nobody's in particular,
        so a figure is the same whoever looks at it."""
        return cls(user=None, partnership=partnership, roles=frozenset({Role.BUSINESS_UNIT}))

    @classmethod
    def for_user(cls, user, partnership=None) -> Access:
        if user is None or not user.is_authenticated:
            return cls.public(partnership)
        from .models import RoleAssignment

        rows = tuple(RoleAssignment._base_manager.filter(user=user).values_list("partnership_id", "role", "agency_id"))
        return cls(user=user, partnership_ids=frozenset(p for p, _, _ in rows), assignments=rows).within(partnership)

    def within(self, partnership) -> Access:
        """The same user's access inside one partnership, from the roles already loaded."""
        if self.user is None:
            return Access.public(partnership)
        here = [row for row in self.assignments if partnership is not None and row[0] == partnership.pk]
        return Access(
            user=self.user,
            partnership=partnership,
            roles=frozenset(role for _, role, _ in here),
            agency_ids=frozenset(agency for _, role, agency in here if role == Role.AGENCY_LEAD and agency),
            partnership_ids=self.partnership_ids,
            assignments=self.assignments,
        )

    @property
    def is_site_admin(self) -> bool:
        """The hosting organisation's administrator: starts partnerships and sees the list of
        them, and nothing inside one (no role, so every scope rule gives them nothing)."""
        return bool(self.user is not None and getattr(self.user, "is_staff", False))

    @property
    def is_partner(self) -> bool:
        return bool(self.roles & PARTNERS)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def can(self, action: str, model: type[models.Model]) -> bool:
        """May this access act on any record of the model (used before showing a create form)?"""
        return model.scope_rule(self, action) is not NOTHING


def sees_all(access: Access, model: type[models.Model]) -> bool:
    """Does `access` see every record of the model in the partnership? When not, an empty list
    means 'none you can see', not 'none yet'."""
    return model.scope_rule(access, Action.VIEW) == ALL


def restrict(queryset: models.QuerySet, access: Access, action: str = Action.VIEW) -> models.QuerySet:
    model = queryset.model
    rule = model.scope_rule(access, action)
    if rule is NOTHING:
        return queryset.none()
    tenant = getattr(model, "partnership_path", "partnership")
    if tenant == "pk":  # the Partnership itself: the ones this user holds a role in
        ids = access.partnership_ids & {access.partnership.pk} if access.partnership else access.partnership_ids
        queryset = queryset.filter(pk__in=ids)
    elif tenant:
        if access.partnership is None:
            return queryset.none()
        shared = getattr(model, "shared_path", None) if action == Action.VIEW else None
        if shared:
            # Sharing across partnerships, declared on the model (a regional figure, a joint
            # group's records): read by the partnerships the path reaches too, changed only by its own.
            reached = model._base_manager.filter(shared_q(shared, access.partnership)).values("pk")
            queryset = queryset.filter(Q(**{tenant: access.partnership}) | Q(pk__in=reached))
        else:
            queryset = queryset.filter(**{tenant: access.partnership})
        if tenant == "partnership":
            # A row's partnership is the one asked for (all but rows shared in): hand it to each row
            # as fetched (as a related manager does), so a list's links and labels cost no query per row.
            queryset._known_related_objects = {
                **queryset._known_related_objects,
                model._meta.get_field("partnership"): {access.partnership.pk: access.partnership},
            }
    queryset = queryset.filter(rule)
    if action == Action.CHANGE:
        # Sharing across partnerships, declared on the model (`received`: the Q of its rows another
        # partnership shared in, such as a section 11 answer given once for several partnerships):
        # such a row is read here and changed only where it was given, whatever the role.
        received = getattr(model, "received", None)
        if received is not None:
            queryset = queryset.exclude(received())
    return queryset


def shared_q(paths, partnership) -> Q:
    """The rows a sharing rule (`shared_path`: one lookup, or several any of which may reach a
    partnership) shares into `partnership`."""
    paths = (paths,) if isinstance(paths, str) else tuple(paths)
    found = Q(**{paths[0]: partnership})
    for path in paths[1:]:
        found |= Q(**{path: partnership})
    return found


# The partnership whose pages are being served (set by the base views for the request): a record
# shared into it from another partnership (a joint group, its meetings) links to its page here.
viewing: ContextVar = ContextVar("jigsaw_viewing_partnership", default=None)


def slug_for(record) -> str:
    """The partnership slug a record's page has for the current viewer: the partnership being
    viewed, when the record was shared into it; otherwise the record's own."""
    current = viewing.get()
    if current is not None and (
        getattr(record, "partnership_id", None) == current.pk or getattr(type(record), "shared_path", None)
    ):
        return current.slug  # no query for the partnership a list's rows already belong to
    return record.partnership.slug


def permits(access: Access, action: str, obj: models.Model) -> bool:
    """May `access` act on this one record? The same rule as restrict(), asked of a row."""
    return restrict(type(obj)._default_manager.all(), access, action).filter(pk=obj.pk).exists()


class ScopedQuerySet(models.QuerySet):
    def restrict(self, access: Access, action: str = Action.VIEW) -> ScopedQuerySet:
        return restrict(self, access, action)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class PartnershipRecord(models.Model):
    """A record that belongs to one partnership (a `partnership` field): readable by the
    partners (every role but the practitioner), kept by the business unit, unless the model
    declares its own rule.
    Its audit entries carry the partnership, so the audit page can scope them."""

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def scope_rule(cls, access: Access, action: str) -> Q:
        if action == Action.VIEW:
            return ALL if access.is_partner else NOTHING
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}
