from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "jigsaw.assurance"
    label = "assurance"
    verbose_name = "Assurance: self-assessment, audits, scrutiny, restraint"

    def ready(self) -> None:
        from jigsaw.core import imports

        from .imports import IMPORTERS

        for importer in IMPORTERS:
            imports.register(importer())
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import Role

        from . import models

        for model in (
            models.Framework,
            models.Section,
            models.Question,
            models.Round,
            models.Return,
            models.Answer,
            models.ReturnShare,
            models.FollowUpSession,
            models.RestraintIncident,
            models.RestraintImport,
            models.CctvSample,
            models.CctvReview,
            models.SiteVisit,
            models.AssuranceWeek,
            models.ObservedMeeting,
            models.Audit,
            models.JtaiTheme,
            models.JtaiEvaluation,
            models.ScrutinyActivity,
            models.AssurancePresentation,
        ):
            audit.register(model)
        from jigsaw.core import work

        from .work import work as work_queue

        work.register(work_queue)
        navigation.register("Assurance", "assurance:home", roles=set(Role.values) - {Role.PRACTITIONER}, order=40)
