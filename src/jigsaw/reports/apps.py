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
        from jigsaw.core import work

        from .work import work as work_queue

        work.register(work_queue)
        navigation.register("Annual report", "reports:list", roles=READERS, order=75)
