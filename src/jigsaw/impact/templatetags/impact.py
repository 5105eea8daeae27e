from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("impact/_over_time.html", takes_context=True)
def impact_over_time(context, source):
    """A case review's or learning cycle's learning over time: `{% load impact %}{% impact_over_time object %}`.

    Its actions' assurance state and the difference recorded at 6 and 12 months, or, plainly,
    that impact cannot be shown yet and when it will be looked at again."""
    return {"over_time": queries.over_time(source, context["request"].access), "source": source}
