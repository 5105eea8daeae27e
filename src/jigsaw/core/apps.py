from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jigsaw.core"
    label = "core"
    verbose_name = "Partnerships, people and access"

    def ready(self) -> None:
        from . import audit, checks, imports_core  # noqa: F401 (registers the system checks)
        from .models import Agency, ApiToken, Partnership, Person, RegisterImport, RoleAssignment, Theme, User

        audit.register(Partnership)
        audit.register(Agency)
        audit.register(Person)
        audit.register(RoleAssignment)
        audit.register(User, exclude=("password", "last_login"))
        audit.register(ApiToken, exclude=("key_hash", "last_used_at"))
        audit.register(Theme)
        audit.register(RegisterImport)
        audit.connect_index()

        from . import freshness

        freshness.connect()

        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from .middleware import session_started
        from .services import revoke_tokens_when_credentials_change

        post_save.connect(revoke_tokens_when_credentials_change, sender=User, dispatch_uid="jigsaw-revoke-tokens")
        user_logged_in.connect(session_started, dispatch_uid="jigsaw-session-started")

        from . import imports, navigation

        imports.register(imports_core.AgencyImporter())
        imports.register(imports_core.PeopleImporter())
        imports.register(imports_core.ThemeImporter())
        from .scoping import PARTNERS, Role

        # No "Home" item: the partnership's name in the header is the way home (the work queue).
        navigation.register("Agencies", "core:agencies", roles=PARTNERS, order=80, group="Partnership")
        navigation.register("People", "core:people", roles=PARTNERS, order=81, group="Partnership")
        navigation.register("Learning themes", "core:themes", roles=[Role.BUSINESS_UNIT], order=85, group="Partnership")
        navigation.register(
            "Audit trail", "core:audit", roles=[Role.BUSINESS_UNIT, Role.SCRUTINEER], order=90, group="Partnership"
        )
        navigation.register(
            "Imports and export", "core:imports", roles=[Role.BUSINESS_UNIT], order=98, group="Partnership"
        )
        navigation.register("Settings", "core:settings", roles=[Role.BUSINESS_UNIT], order=99, group="Partnership")
