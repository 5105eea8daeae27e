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
        audit.connect_index()

        from . import freshness

        freshness.connect()

        from . import navigation
        from .scoping import Role

        everyone = Role.values
        navigation.register("Home", "core:partnership", roles=everyone, order=0)
        navigation.register("Agencies", "core:agencies", roles=everyone, order=80)
        navigation.register("People", "core:people", roles=everyone, order=81)
        navigation.register("Learning themes", "core:themes", roles=[Role.BUSINESS_UNIT], order=85)
        navigation.register("Audit trail", "core:audit", roles=[Role.BUSINESS_UNIT, Role.SCRUTINEER], order=90)
        navigation.register("Settings", "core:settings", roles=[Role.BUSINESS_UNIT], order=99)
