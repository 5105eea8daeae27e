from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "jigsaw.privacy"
    label = "privacy"
    verbose_name = "Retention and subject access"

    def ready(self) -> None:
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import Role

        from .models import RetentionRule, RetentionRun, SubjectAccessRequest

        audit.register(RetentionRule)
        audit.register(RetentionRun)
        audit.register(SubjectAccessRequest)
        navigation.register("Retention", "privacy:schedule", roles=[Role.BUSINESS_UNIT], order=95, group="Partnership")
        navigation.register(
            "Subject access", "privacy:requests", roles=[Role.BUSINESS_UNIT], order=96, group="Partnership"
        )
