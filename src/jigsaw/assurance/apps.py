from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "jigsaw.assurance"
    label = "assurance"
    verbose_name = "Assurance: self-assessment, audits, scrutiny, restraint"
