from django import template
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.safestring import mark_safe

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


@register.simple_tag(takes_context=True)
def figures_table(context, table, caption="", caption_hidden=False):
    """A jigsaw.core.figures.Table as a GOV.UK table: `{% figures_table block.table caption %}`.
    `caption_hidden=True` under a heading that already says it: the caption is for screen readers only.

    Written here rather than as a template: an analysis page draws thousands of cells, and a
    template's per-cell tags cost more than the page's every query. Each value is shown as the
    template language shows it (localised, escaped: render_value_in_context)."""

    def shown(value):
        return render_value_in_context(value, context)

    def part(name):  # a Table, or its figures.json form (a dict), as the template language reads either
        try:
            return table[name]
        except (TypeError, KeyError, AttributeError):
            return getattr(table, name, None)

    numerics = part("numeric")

    def numeric(position):
        return index(numerics, position)

    html = ['<table class="govuk-table">\n  ']
    if caption:
        kind = "govuk-visually-hidden" if caption_hidden else "govuk-table__caption--s"
        html.append(f'<caption class="govuk-table__caption {kind}">{shown(caption)}</caption>')
    html.append('\n  <thead class="govuk-table__head"><tr class="govuk-table__row">\n    ')
    for position, column in enumerate(part("columns") or ()):
        extra = " govuk-table__header--numeric" if numeric(position) else ""
        html.append(f'<th scope="col" class="govuk-table__header{extra}">{shown(column)}</th>')
    html.append('\n  </tr></thead>\n  <tbody class="govuk-table__body">\n    ')
    for row in part("rows") or ():
        html.append('<tr class="govuk-table__row">\n      ')
        for position, cell in enumerate(row):
            if position == 0:
                html.append(f'<th scope="row" class="govuk-table__header">{shown(cell)}</th>')
            else:
                extra = " govuk-table__cell--numeric" if numeric(position) else ""
                html.append(f'<td class="govuk-table__cell{extra}">{shown(figure(cell))}</td>')
        html.append("\n    </tr>")
    html.append("\n  </tbody>\n  ")
    footer = part("footer")
    if footer:
        html.append('<tfoot><tr class="govuk-table__row">\n    ')
        for position, cell in enumerate(footer):
            if position == 0:
                html.append(f'<th scope="row" class="govuk-table__header">{shown(cell)}</th>')
            else:
                html.append(
                    f'<td class="govuk-table__cell govuk-table__cell--numeric"><strong>{shown(figure(cell))}</strong></td>'
                )
        html.append("\n  </tr></tfoot>")
    html.append("\n</table>\n")
    return mark_safe("".join(html))


@register.inclusion_tag("core/_year_picker.html")
def year_picker(choice):
    """The one financial-year picker: `{% year_picker year_choice %}` (a jigsaw.core.periods.YearChoice)."""
    return {"choice": choice}
