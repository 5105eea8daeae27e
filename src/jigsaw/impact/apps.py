from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "jigsaw.impact"
    label = "impact"
    verbose_name = "Impact: the quality assurance framework and the evidence chain"

    def ready(self) -> None:
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import PARTNERS

        from .models import Evidence, Framework, ManagerAssurance, ManagerEmail, Outcome

        for model in (Framework, Outcome, Evidence, ManagerEmail):
            audit.register(model)
        # The code in the manager's link is a key to the answer page: kept out of the trail.
        audit.register(ManagerAssurance, exclude=("code",))
        navigation.register("Impact", "impact:home", roles=PARTNERS, order=55)
