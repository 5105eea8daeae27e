from django.conf import settings

from . import navigation


def jigsaw(request) -> dict:
    access = getattr(request, "access", None)
    return {
        "phase": settings.JIGSAW_PHASE,
        "navigation": navigation.items_for(request),
        "partnership": getattr(access, "partnership", None),
    }
