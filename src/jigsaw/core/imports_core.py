"""Core's registers in the one import pattern (jigsaw.core.imports): agencies, people with their
sign-ins and roles, and the learning themes."""

from __future__ import annotations

from .imports import Column, Importer, normalise
from .models import Agency, Person, RoleAssignment, Sector, StatutoryRole, Theme, User
from .scoping import Role


def agency_names(partnership) -> dict[str, Agency]:
    return {normalise(a.name): a for a in Agency.objects.filter(partnership=partnership)}


def people_names(partnership) -> dict[str, Person]:
    """People by name and by email, as a register may write either."""
    found = {}
    for person in Person.objects.filter(partnership=partnership):
        found.setdefault(normalise(person.name), person)
        if person.email:
            found.setdefault(normalise(person.email), person)
    return found


class AgencyImporter(Importer):
    key = "agencies"
    model = Agency
    title = "Agencies"
    description = "The partner agencies: name, sector (one of the 31 categories), statutory role and locality."
    order = 10
    page = "core:agencies"
    columns = (
        Column("name", aliases=("agency", "agency name", "organisation", "organisation name")),
        Column("sector", aliases=("category", "organisation category"), hint="one of the 31 sectors"),
        Column("statutory role", required=False, aliases=("role", "statutory partner")),
        Column("locality", required=False, aliases=("area", "locality / area")),
    )

    def clean(self, row, lookups):
        return {
            "name": row.text("name", max_length=200),
            "sector": row.choice("sector", Sector),
            "statutory_role": row.choice("statutory role", StatutoryRole, default=StatutoryRole.RELEVANT_AGENCY),
            "locality": row.text("locality", max_length=100),
        }

    def key_of(self, values):
        return (normalise(values["name"]),)

    def describe_key(self):
        return "the same agency name"

    def held(self, partnership):
        return {(name,) for name in agency_names(partnership)}

    def add(self, *, actor, partnership, values, lookups):
        from .services import agency_create

        agency_create(
            actor=actor,
            partnership=partnership,
            **{k: v for k, v in values.items() if not k.startswith("_")},
        )

    def export(self, partnership):
        for agency in Agency.objects.filter(partnership=partnership).order_by("name"):
            yield [agency.name, agency.get_sector_display(), agency.get_statutory_role_display(), agency.locality]


ROLE_LABELS = {normalise(label): value for value, label in Role.choices} | {normalise(v): v for v in Role.values}


class PeopleImporter(Importer):
    key = "people"
    model = Person
    title = "People and sign-ins"
    description = (
        "Everyone who works with the partnership, with their agency; a role gives them a sign-in, "
        "and each new sign-in is emailed a link to set a password once the import is confirmed."
    )
    order = 20
    page = "core:people"
    columns = (
        Column("name", aliases=("full name", "person")),
        Column("email", required=False, aliases=("email address", "e-mail")),
        Column("job title", required=False, aliases=("title", "position", "job")),
        Column("agency", required=False, aliases=("organisation", "employer")),
        Column("roles", required=False, aliases=("role", "jigsaw role", "access"), hint="for example 'Agency lead'"),
    )

    def lookups(self, partnership):
        return {"agencies": agency_names(partnership)}

    def clean(self, row, lookups):
        values = {
            "name": row.text("name", max_length=200),
            "email": row.email("email"),
            "job_title": row.text("job title", max_length=200),
            "agency": row.known("agency", lookups["agencies"], "agency"),
            "roles": [],
        }
        for part in [p for p in row.text("roles").replace(",", ";").split(";") if p.strip()]:
            role = ROLE_LABELS.get(normalise(part))
            if role is None:
                row.problem("roles", f"'{part.strip()}' is not a role: use {', '.join(Role.labels)}.")
            else:
                values["roles"].append(role)
        if values["roles"] and not values["email"]:
            row.problem("email", "is blank: a person given a role needs an email address to sign in.")
        if Role.AGENCY_LEAD in values["roles"] and values["agency"] is None and row.ok:
            row.problem("agency", "is blank: an agency lead leads for an agency.")
        return values

    def key_of(self, values):
        return ("email", values["email"]) if values["email"] else ("name", normalise(values["name"]))

    def describe_key(self):
        return "the same email address, or the same name where there is none"

    def held(self, partnership):
        keys = set()
        for name, email in Person.objects.filter(partnership=partnership).values_list("name", "email"):
            keys.add(("email", email.lower()) if email else ("name", normalise(name)))
        return keys

    def add(self, *, actor, partnership, values, lookups):
        from .services import person_create, role_assign, user_create

        person = person_create(
            actor=actor,
            partnership=partnership,
            name=values["name"],
            email=values["email"],
            job_title=values["job_title"],
            agency=values["agency"],
        )
        if not values["roles"]:
            return
        user = User.objects.filter(email__iexact=values["email"]).first()
        values["_invite"] = user is None
        if user is None:
            user = user_create(actor=actor, email=values["email"], person=person)
        for role in values["roles"]:
            agency = values["agency"] if role == Role.AGENCY_LEAD else None
            role_assign(actor=actor, user=user, partnership=partnership, role=role, agency=agency)

    def after_commit(self, *, actor, partnership, added, request=None):
        from .services import send_password_link

        for values in added:
            if values.get("_invite"):
                send_password_link(email=values["email"], request=request)

    def export(self, partnership):
        # A sign-in is one email across partnerships: its roles here go with this partnership's
        # person of that email (its own person record may be another partnership's).
        roles: dict[str, list[str]] = {}
        for assignment in RoleAssignment.objects.filter(partnership=partnership).select_related("user"):
            roles.setdefault(assignment.user.email.lower(), []).append(assignment.get_role_display())
        for person in Person.objects.filter(partnership=partnership).select_related("agency").order_by("name"):
            yield [
                person.name,
                person.email,
                person.job_title,
                person.agency.name if person.agency_id else "",
                "; ".join(sorted(roles.get(person.email.lower(), []))) if person.email else "",
            ]


class ThemeImporter(Importer):
    key = "themes"
    model = Theme
    title = "Learning themes"
    description = "The words every review, action, course and audit is tagged with."
    order = 50
    page = "core:themes"
    columns = (
        Column("name", aliases=("theme", "learning theme")),
        Column("description", required=False),
    )

    def clean(self, row, lookups):
        return {"name": row.text("name", max_length=100), "description": row.text("description")}

    def key_of(self, values):
        return (normalise(values["name"]),)

    def describe_key(self):
        return "the same theme"

    def held(self, partnership):
        return {(normalise(n),) for n in Theme.objects.filter(partnership=partnership).values_list("name", flat=True)}

    def add(self, *, actor, partnership, values, lookups):
        from .services import theme_create

        theme_create(actor=actor, partnership=partnership, name=values["name"], description=values["description"])

    def export(self, partnership):
        for theme in Theme.objects.filter(partnership=partnership).order_by("name"):
            yield [theme.name, theme.description]
