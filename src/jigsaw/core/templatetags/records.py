from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    """The audit history page of a record (or of the record an audit entry is about)."""
    from ..audit import AuditEntry

    if isinstance(obj, AuditEntry):
        partnership_id = (obj.additional_data or {}).get("partnership")
        from ..models import Partnership

        slug = Partnership._base_manager.filter(pk=partnership_id).values_list("slug", flat=True).first()
        return reverse("core:record-history", args=[slug, obj.record_type, obj.object_pk])
    partnership = obj if obj._meta.label == "core.Partnership" else obj.partnership
    return reverse("core:record-history", args=[partnership.slug, obj._meta.label_lower, obj.pk])
