from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "jigsaw.governance"
    label = "governance"
    verbose_name = "Governance: groups, meetings, business plan, budget"

    def ready(self) -> None:
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import PARTNERS

        from . import models

        for model in (
            models.Group,
            models.BusinessPlan,
            models.Priority,
            models.GoldenThread,
            models.Membership,
            models.Meeting,
            models.AgendaItem,
            models.Decision,
            models.Paper,
            models.Attendance,
            models.Contribution,
            models.IncomeLine,
            models.SharingAgreement,
            models.Signatory,
            models.RegionMembership,
        ):
            audit.register(model)
        from jigsaw.core import work

        from .work import work as work_queue

        work.register(work_queue)

        from jigsaw.core import imports

        from .imports import IMPORTERS

        for importer in IMPORTERS:
            imports.register(importer())
        navigation.register("Governance", "governance:home", roles=PARTNERS, order=10)
