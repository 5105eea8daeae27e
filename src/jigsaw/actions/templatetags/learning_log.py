from django import template

from ..queries import actions_for_source

register = template.Library()


@register.inclusion_tag("actions/_source_actions.html", takes_context=True)
def source_actions(context, source, heading="Actions"):
    """The actions a record raised: `{% load learning_log %}{% source_actions object %}`."""
    request = context["request"]
    return {"actions": list(actions_for_source(source, request.access)), "heading": heading, "source": source, "request": request}
