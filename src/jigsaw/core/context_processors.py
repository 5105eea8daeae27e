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
        "other_partnerships": _other_partnerships(access),
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING,
    }


def _other_partnerships(access) -> list:
    """The header's partnership switcher: the other partnerships the user holds a role in (an
    agency lead for an organisation serving several). No query for the many with one."""
    ids = getattr(access, "partnership_ids", frozenset())
    current = getattr(getattr(access, "partnership", None), "pk", None)
    if not ids or ids <= {current}:
        return []
    from .models import Partnership

    return list(Partnership.objects.filter(pk__in=ids - {current}).order_by("name").only("name", "slug"))
