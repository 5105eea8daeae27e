from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "jigsaw.performance"
    label = "performance"
    verbose_name = "Performance indicators and the think tank"
