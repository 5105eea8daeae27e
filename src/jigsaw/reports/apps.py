from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jigsaw.reports"
    label = "reports"
    verbose_name = "The annual report"

    def ready(self) -> None:
        from jigsaw.core import audit, navigation

        from .models import READERS, Build, Comment, Report, Section, SignOff

        for model in (Report, Section, Comment, SignOff):
            audit.register(model)
        audit.register(Build, exclude=("blocks", "figures", "progress", "step"))
        navigation.register("Annual report", "reports:list", roles=READERS, order=75)
