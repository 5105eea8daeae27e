"""System checks that stop a production server starting with a setting that would leak or lose
what it must keep (every management command, `jigsaw serve` included, runs them first)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends that print mail to the log, keep it in memory or a file, or drop it: a password-reset
# link sent through one either sits in the server log or never reaches the person.
UNSENT_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security)
def production_email(app_configs, **kwargs):
    if not getattr(settings, "PRODUCTION", False) or settings.EMAIL_BACKEND not in UNSENT_MAIL_BACKENDS:
        return []
    if getattr(settings, "ALLOW_UNSENT_EMAIL", False):
        return []
    return [
        Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which does not send email: password-reset links would be "
            "printed in the server log or lost.",
            hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST, or set "
            "JIGSAW_ALLOW_UNSENT_EMAIL=true if this production instance must deliberately send no email.",
            id="jigsaw.E001",
        )
    ]
