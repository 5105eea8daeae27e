from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "jigsaw.learning"
    label = "learning"
    verbose_name = "Learning from reviews and learning cycles"
