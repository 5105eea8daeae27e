from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "jigsaw.governance"
    label = "governance"
    verbose_name = "Governance: groups, meetings, business plan, budget"

    def ready(self) -> None:
        from jigsaw.core import audit

        from .models import BusinessPlan, GoldenThread, Group, Priority

        for model in (Group, BusinessPlan, Priority, GoldenThread):
            audit.register(model)
