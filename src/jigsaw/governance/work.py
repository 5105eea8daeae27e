"""Governance in the home work queue: terms of reference due for review, the viewer's own meetings."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from jigsaw.core.scoping import Role
from jigsaw.core.work import WorkItem, plural

from .models import Group, Meeting, MembershipRole

SOON = datetime.timedelta(days=30)


def work(access, today):
    items = []
    if access.has_role(Role.BUSINESS_UNIT, Role.GROUP_CHAIR):
        groups = Group.objects.restrict(access).filter(terms_of_reference_review_on__lte=today + SOON)
        if not access.has_role(Role.BUSINESS_UNIT):  # a chair: the groups they chair
            groups = groups.filter(
                memberships__person__user=access.user, memberships__role=MembershipRole.CHAIR
            ).distinct()
        for group in groups.order_by("terms_of_reference_review_on"):
            late = group.terms_of_reference_review_on < today
            when = f"{'was due' if late else 'is due'} {group.terms_of_reference_review_on:%-d %B %Y}"
            items.append(
                WorkItem(
                    "Governance",
                    f"{group.name}: terms of reference review {when}",
                    "governance:group",
                    urgent=late,
                    args=(group.pk,),
                )
            )
    person_id = getattr(access.user, "person_id", None)
    if person_id:
        mine = (
            Meeting.objects.restrict(access)
            .filter(
                held_on__gte=today,
                held_on__lte=today + SOON,
                group__memberships__person_id=person_id,
                group__memberships__starts_on__lte=today,
            )
            .filter(Q(group__memberships__ends_on__isnull=True) | Q(group__memberships__ends_on__gte=today))
            .distinct()
            .select_related("group")
            .annotate(paper_count=Count("papers", distinct=True))
            .order_by("held_on")
        )
        for meeting in mine:
            items.append(
                WorkItem(
                    "Your meetings in the next 30 days",
                    f"{meeting} ({plural(meeting.paper_count, 'paper', 'papers')})",
                    "governance:meeting",
                    args=(meeting.pk,),
                )
            )
    return items
