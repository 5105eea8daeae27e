"""The learning log's items in the home work queue: the action list's own filters, counted."""

from __future__ import annotations

from jigsaw.core.scoping import Role
from jigsaw.core.work import WorkItem, plural

from . import queries
from .forms import ActionFilterForm


def _count(access, query: dict, today, choices_of: ActionFilterForm) -> int:
    form = ActionFilterForm(query, partnership=access.partnership, access=access, choices_of=choices_of)
    form.is_valid()
    return form.apply(queries.log(access), today).count()


def work(access, today):
    """Overdue, due in 14 days and reviews due: the agency lead's agency's, the business unit's whole log."""
    if access.has_role(Role.AGENCY_LEAD):
        scopes = [
            (f"your agency's ({agency.name})", {"agency": str(agency.pk)})
            for agency in access.partnership.agencies.filter(pk__in=access.agency_ids)
        ]
    elif access.has_role(Role.BUSINESS_UNIT):
        scopes = [("the partnership's", {})]
    else:
        return []
    items = []
    choices = ActionFilterForm(partnership=access.partnership, access=access)
    for whose, query in scopes:
        for extra, text, urgent in (
            ({"due": "overdue"}, "{n} overdue", True),
            ({"due": "14", "status": "open_or_in_progress"}, "{n} due in the next 14 days", False),
            ({"review": "overdue"}, "{n} with the assurance review overdue", True),
            ({"review": "30"}, "{n} with an assurance review due within 30 days (overdue included)", False),
        ):
            filters = {**query, **extra}
            count = _count(access, filters, today, choices)
            items.append(
                WorkItem(
                    "Learning log",
                    f"{text.format(n=plural(count, 'action', 'actions'))}: {whose}",
                    "actions:list",
                    "?" + "&".join(f"{k}={v}" for k, v in filters.items()),
                    count,
                    urgent,
                )
            )
    return items
