from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jigsaw.reports"
    label = "reports"
    verbose_name = "The annual report"
