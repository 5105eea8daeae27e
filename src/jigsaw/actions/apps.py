from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "jigsaw.actions"
    label = "actions"
    verbose_name = "The themed learning log"

    def ready(self) -> None:
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import Role

        from .models import ActionEvent, AssuranceReview, EvidenceFile, LearningAction, ReminderLog

        for model in (LearningAction, ActionEvent, AssuranceReview, ReminderLog):
            audit.register(model)
        audit.register(EvidenceFile, exclude=("content",))  # the file itself is not copied into the trail
        from jigsaw.core import files

        from .services import evidence_move_into_store

        files.register_row_mover(evidence_move_into_store)
        from jigsaw.core import work

        from .work import work as work_queue

        work.register(work_queue)

        from jigsaw.core import imports

        from .imports import ActionImporter

        imports.register(ActionImporter())
        # Everyone but practitioners reads the log; the landing page links to the rest.
        navigation.register(
            "Learning log", "actions:list", roles=Role.values, order=30, group="Learning"
        )  # a practitioner's list is the actions they own
