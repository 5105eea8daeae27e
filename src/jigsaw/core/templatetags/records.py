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


@register.filter
def index(sequence, position):
    try:
        return sequence[position]
    except (IndexError, KeyError, TypeError):
        return None


@register.filter
def figure(value):
    """A figure as the report prints it: thousands separated, at most one decimal place."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}".removesuffix(".0")
    return value


@register.inclusion_tag("core/_chart.html")
def chart(chart):
    """A chart with its summary and table: `{% chart chart %}` (a jigsaw.core.charts.Chart)."""
    return {"chart": chart, "spec_id": f"{chart.dom_id}-spec"}


@register.inclusion_tag("core/_table.html")
def figures_table(table, caption=""):
    """A jigsaw.core.figures.Table as a GOV.UK table: `{% figures_table block.table caption %}`."""
    return {"table": table, "caption": caption}
