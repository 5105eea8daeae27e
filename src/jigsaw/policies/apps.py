from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "jigsaw.policies"
    label = "policies"
    verbose_name = "Procedures, public site, newsletter and escalations"

    def ready(self) -> None:
        from jigsaw.core import imports

        from .imports import IMPORTERS

        for importer in IMPORTERS:
            imports.register(importer())
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import Role

        from . import models

        for model in (
            models.Document,
            models.Version,
            models.Attachment,
            models.VersionTrigger,
            models.ReviewReminder,
            models.Consultation,
            models.ConsultationComment,
            models.Subscriber,
            models.Digest,
            models.Escalation,
            models.SitePage,
        ):
            audit.register(model)
        from jigsaw.core import work

        from .work import work as work_queue

        work.register(work_queue)
        navigation.register("Procedures", "policies:library", roles=Role.values, order=70, group="Procedures")
        navigation.register(
            "Disagreements",
            "policies:escalations",
            roles=[Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD],
            order=71,
            group="Procedures",
        )
        navigation.register(
            "Public site pages", "policies:site-pages", roles=[Role.BUSINESS_UNIT], order=96, group="Partnership"
        )
