from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "jigsaw.actions"
    label = "actions"
    verbose_name = "The themed learning log"

    def ready(self) -> None:
        from jigsaw.core import audit

        from .models import LearningAction

        audit.register(LearningAction)
