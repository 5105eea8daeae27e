from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "jigsaw.training"
    label = "training"
    verbose_name = "Workforce learning and development"

    def ready(self) -> None:
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import Role

        from . import models

        for model in (
            models.TrainingPolicy,
            models.OrganisationCategory,
            models.OrganisationAlias,
            models.Course,
            models.Programme,
            models.Event,
            models.Learner,
            models.ImportBatch,
            models.Booking,
            models.ImpactFollowUp,
            models.TrainingObservation,
        ):
            audit.register(model, exclude=("code",) if hasattr(model, "code") else ())
        # Completions and evaluations arrive in tens of thousands through bulk inserts, which
        # bypass auditlog: each import batch writes one audit entry with its counts instead.
        audit.register(models.Completion)
        audit.register(models.Evaluation)
        from jigsaw.core import files

        files.register_names(
            lambda: models.ImportBatch._base_manager.exclude(stored_as="").values_list("stored_as", flat=True)
        )
        from jigsaw.core import work

        from .work import work as work_queue

        work.register(work_queue)
        navigation.register("Training", "training:home", roles=Role.values, order=60)
