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


@register.filter
def waiting_without_worker(queued_at) -> bool:
    """Queued at this time and still untaken by any task worker (jigsaw.core.tasks)."""
    from ..tasks import waiting_without_worker as waiting

    return waiting(queued_at)


@register.inclusion_tag("core/_chart.html")
def chart(chart, titled=True):
    """A chart with its summary and table: `{% chart chart %}` (a jigsaw.core.charts.Chart).
    `titled=False` under a heading that already names it: the title is then not shown again."""
    return {"chart": chart, "spec_id": f"{chart.dom_id}-spec", "titled": titled}


@register.inclusion_tag("core/_table.html")
def figures_table(table, caption="", caption_hidden=False):
    """A jigsaw.core.figures.Table as a GOV.UK table: `{% figures_table block.table caption %}`.
    `caption_hidden=True` under a heading that already says it: the caption is for screen readers only."""
    return {"table": table, "caption": caption, "caption_hidden": caption_hidden}


@register.inclusion_tag("core/_year_picker.html")
def year_picker(choice):
    """The one financial-year picker: `{% year_picker year_choice %}` (a jigsaw.core.periods.YearChoice)."""
    return {"choice": choice}
