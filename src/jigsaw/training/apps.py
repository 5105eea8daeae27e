from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "jigsaw.training"
    label = "training"
    verbose_name = "Workforce learning and development"
