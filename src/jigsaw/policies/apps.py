from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "jigsaw.policies"
    label = "policies"
    verbose_name = "Procedures, public site, newsletter and escalations"
