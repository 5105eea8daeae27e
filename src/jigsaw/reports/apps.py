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
        from jigsaw.core import files

        from .models import OUTPUT_FILES

        def build_outputs():
            for output_dir in (
                Build._base_manager.filter(status="succeeded")
                .exclude(output_dir="")
                .values_list("output_dir", flat=True)
            ):
                yield from (f"{output_dir}/{name}" for name, _, _ in OUTPUT_FILES.values())

        files.register_names(build_outputs)
        from jigsaw.core import work

        from .work import work as work_queue

        work.register(work_queue)
        navigation.register("Annual report", "reports:list", roles=READERS, order=75)
