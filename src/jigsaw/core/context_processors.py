from django.conf import settings

from . import navigation


def jigsaw(request) -> dict:
    access = getattr(request, "access", None)
    top, section = navigation.menus_for(request)
    return {
        "phase": settings.JIGSAW_PHASE,
        "navigation": top,
        "section_navigation": section,
        "section_label": next((item["label"] for item in top if item["active"]), ""),
        "partnership": getattr(access, "partnership", None),
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING,
    }
