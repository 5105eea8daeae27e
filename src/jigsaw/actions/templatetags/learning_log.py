from django import template
from django.urls import reverse

from jigsaw.core.scoping import Action

from ..models import LearningAction
from ..queries import actions_for_source

register = template.Library()


@register.inclusion_tag("actions/_source_actions.html", takes_context=True)
def source_actions(context, source, heading="Actions"):
    """The actions a record raised: `{% load learning_log %}{% source_actions object %}`.

    Users who may add actions also get a 'Raise an action' link that links the new action
    to this record."""
    request = context["request"]
    access = request.access
    raise_url = ""
    if (
        access.partnership is not None
        and access.can(Action.CHANGE, LearningAction)
        # A record shared in from another partnership (a joint group's meeting) raises its actions there.
        and getattr(source, "partnership_id", access.partnership.pk) == access.partnership.pk
    ):
        meta = source._meta
        raise_url = (
            reverse("actions:create", args=[access.partnership.slug])
            + f"?source={meta.app_label}.{meta.model_name}.{source.pk}"
        )
    return {
        "actions": list(actions_for_source(source, access)),
        "heading": heading,
        "source": source,
        "request": request,
        "raise_url": raise_url,
    }
