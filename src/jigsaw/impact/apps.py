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
        # Beside the indicators it reads: the top bar stays one item per area of work.
        navigation.register("Impact", "impact:home", roles=PARTNERS, order=55, group="Performance")
