"""A readable page of the API, drawn from the same OpenAPI document the API serves."""

from django.views import generic
from drf_spectacular.generators import SchemaGenerator

from .generic import JigsawMixin


class ApiDocs(JigsawMixin, generic.TemplateView):
    template_name = "core/api_docs.html"
    page_title = "Jigsaw API"
    roles = "public"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schema = SchemaGenerator().get_schema(request=None, public=True)
        context["schema"] = schema
        context["operations"] = [
            {
                "method": method.upper(),
                "path": url,
                "summary": op.get("description", "").split("\n")[0],
                "id": op.get("operationId"),
            }
            for url, item in schema["paths"].items()
            for method, op in item.items()
        ]
        return context
