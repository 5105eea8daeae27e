from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jigsaw.core"
    label = "core"
    verbose_name = "Partnerships, people and access"

    def ready(self) -> None:
        from . import audit
        from .models import Agency, ApiToken, Partnership, Person, RoleAssignment, Theme, User

        audit.register(Partnership)
        audit.register(Agency)
        audit.register(Person)
        audit.register(RoleAssignment)
        audit.register(User, exclude=("password", "last_login"))
        audit.register(ApiToken, exclude=("key_hash", "last_used_at"))
        audit.register(Theme)

        from . import navigation
        from .scoping import Role

        everyone = Role.values
        # A practitioner's partnership is their work, not its directory: no Agencies or People.
        partners = set(everyone) - {Role.PRACTITIONER}
        # No "Home" item: the partnership's name in the header is the way home (the work queue).
        navigation.register("Agencies", "core:agencies", roles=partners, order=80, group="Partnership")
        navigation.register("People", "core:people", roles=partners, order=81, group="Partnership")
        navigation.register("Learning themes", "core:themes", roles=[Role.BUSINESS_UNIT], order=85, group="Partnership")
        navigation.register("Audit trail", "core:audit", roles=[Role.BUSINESS_UNIT, Role.SCRUTINEER], order=90, group="Partnership")
        navigation.register("Settings", "core:settings", roles=[Role.BUSINESS_UNIT], order=99, group="Partnership")
