from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "jigsaw.learning"
    label = "learning"
    verbose_name = "Learning from reviews and learning cycles"

    def ready(self) -> None:
        from jigsaw.core import audit, navigation
        from jigsaw.core.scoping import Role

        from .models import PARTNERSHIP_READERS, Briefing, CaseReview, HorizonScanItem, LearningCycle, Voice

        # The characteristics are special-category and the scrutineer reads the trail: they are
        # kept out of it (auditlog's masking would still show half the text).
        audit.register(CaseReview, exclude=("relevant_characteristics",))
        for model in (LearningCycle, Voice, HorizonScanItem, Briefing):
            audit.register(model)
        from jigsaw.core import work

        from .work import work as work_queue

        work.register(work_queue)
        navigation.register(
            "Learning", "learning:home", roles=PARTNERSHIP_READERS | {Role.PRACTITIONER}, order=20, group="Learning"
        )
