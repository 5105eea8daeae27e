from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.http import HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from jigsaw.core import api as core_api
from jigsaw.core.api_docs import ApiDocs

router = SimpleRouter()
router.register("partnerships", core_api.PartnershipViewSet, basename="partnership")
router.register(r"partnerships/(?P<partnership_slug>[-\w]+)/agencies", core_api.AgencyViewSet, basename="agency")
router.register(r"partnerships/(?P<partnership_slug>[-\w]+)/people", core_api.PersonViewSet, basename="person")


def _capabilities():
    """Jigsaw's own apps after core, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if config.name.startswith("jigsaw.") and config.label != "core"]


def _capability_urls():
    """Each app's `urls.py` (namespace = app label; patterns start with <slug:partnership>/);
    each app's `api.py` registers its viewsets on the one router with `register(router)`."""
    patterns = []
    for config in _capabilities():
        if find_spec(f"{config.name}.api"):
            import_module(f"{config.name}.api").register(router)
        if find_spec(f"{config.name}.urls"):
            patterns.append(path("", include(f"{config.name}.urls", namespace=config.label)))
    return patterns


CAPABILITY_URLS = _capability_urls()


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("api/docs/", ApiDocs.as_view(), name="api-docs"),
    path("api/", include((router.urls, "api"))),
    *CAPABILITY_URLS,
    # Partnership pages come last: their first segment is a partnership's slug.
    path("", include("jigsaw.core.urls")),
]
