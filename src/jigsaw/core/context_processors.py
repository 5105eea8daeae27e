from django.conf import settings

from . import navigation


def jigsaw(request) -> dict:
    access = getattr(request, "access", None)
    return {
        "phase": settings.JIGSAW_PHASE,
        "navigation": navigation.items_for(request),
        "partnership": getattr(access, "partnership", None),
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING,
    }
