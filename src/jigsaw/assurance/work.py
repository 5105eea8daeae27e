"""Section 11 returns in the home work queue: those the viewer (or their agency) still has to submit."""

from __future__ import annotations

from django.db.models import Q

from jigsaw.core.scoping import Role
from jigsaw.core.work import WorkItem

from . import queries
from .models import ReturnStatus


def work(access, today):
    if not access.has_role(Role.AGENCY_LEAD) and not getattr(access.user, "person_id", None):
        return []
    mine = Q(participant_id=access.user.person_id) if getattr(access.user, "person_id", None) else Q(pk__in=[])
    if access.has_role(Role.AGENCY_LEAD):
        mine |= Q(agency_id__in=access.agency_ids)
    items = []
    for ret in (
        queries.returns_for(access)
        .filter(mine)
        .exclude(status=ReturnStatus.SUBMITTED)
        .order_by("round__deadline", "service")
    ):
        late = ret.round.deadline < today
        items.append(
            WorkItem(
                "Section 11 self-assessment",
                f"{ret.agency.name}, {ret.service} ({ret.participant}): {ret.get_status_display().lower()}, {'was due' if late else 'due'} {ret.round.deadline:%-d %B %Y}",
                "assurance:return",
                urgent=late,
                args=(ret.pk,),
            )
        )
    return items
