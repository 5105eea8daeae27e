from django.urls import reverse

from .models import SitePage


def public_site(request) -> dict:
    """The footer's links to the public site's pages the partnership has written."""
    access = getattr(request, "access", None)
    partnership = getattr(access, "partnership", None)
    if partnership is None:
        return {"footer_pages": [], "feedback_url": None}
    kinds = dict(SitePage.objects.restrict(access).filter(partnership=partnership).values_list("kind", "kind"))
    pages = [(kind, label) for kind, label in SitePage._meta.get_field("kind").choices if kind in kinds]
    feedback = reverse("policies:public-page", args=[partnership.slug, "contact"]) if "contact" in kinds else None
    return {"footer_pages": pages, "feedback_url": feedback}
