from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "jigsaw.performance"
    label = "performance"
    verbose_name = "Performance indicators and the think tank"

    def ready(self) -> None:
        from jigsaw.core import imports

        from .imports import IMPORTERS

        for importer in IMPORTERS:
            imports.register(importer())
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import PARTNERS

        from .models import Indicator, IndicatorValue, ThinkTankSession

        audit.register(Indicator)
        audit.register(IndicatorValue)
        audit.register(ThinkTankSession)
        navigation.register("Performance", "performance:home", roles=PARTNERS, order=50, group="Performance")
