"""A partnership that had changed its learners' retention period in the training policy keeps it:
the period moves into the retention schedule (the training policy's field goes next)."""

from django.db import migrations


def forwards(apps, schema_editor):
    TrainingPolicy = apps.get_model("training", "TrainingPolicy")
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for policy in TrainingPolicy.objects.exclude(learner_retention_months=36):
        RetentionRule.objects.get_or_create(
            partnership_id=policy.partnership_id,
            kind="learners",
            defaults={
                "months": policy.learner_retention_months,
                "outcome": "pseudonymise",
                "reason": "Carried over from the training policy.",
            },
        )


def backwards(apps, schema_editor):
    TrainingPolicy = apps.get_model("training", "TrainingPolicy")
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for rule in RetentionRule.objects.filter(kind="learners"):
        TrainingPolicy.objects.filter(partnership_id=rule.partnership_id).update(learner_retention_months=rule.months)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_retention_schedule_runs_and_subject_access"),
        ("training", "0003_booking_reminders_import_warnings"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
