"""Writes for indicators, returns and think-tank sessions.

A return for an indicator, period and agency that already has one replaces it: the record is
changed, not duplicated, and the audit trail keeps the figure it replaced (who, when, before and
after). Pages and the API say so where a return is made.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jigsaw.actions.services import action_raise
from jigsaw.core import boundary
from jigsaw.core.audit import attributed_to
from jigsaw.core.services import save

from .models import DataQuality, Indicator, IndicatorValue, ReturnRoute, ThinkTankSession


def indicator_create(*, actor, partnership, **fields) -> Indicator:
    return save(Indicator(partnership=partnership), actor=actor, fields=fields)


def indicator_update(*, actor, indicator: Indicator, **fields) -> Indicator:
    return save(indicator, actor=actor, fields=fields)


def _prepared_value(
    *,
    partnership,
    indicator,
    agency,
    period_start,
    value=None,
    numerator=None,
    denominator=None,
    commentary="",
    data_quality=DataQuality.CONFIRMED,
    route=ReturnRoute.FORM,
    actor=None,
    submitted_at=None,
) -> IndicatorValue:
    """The return as it would be saved, validated but not written (for previews and imports)."""
    boundary.require(partnership, indicator=indicator, agency=agency)
    if indicator is not None and indicator.is_computed and value is not None:
        raise ValidationError(
            {
                "value": f"The {indicator.get_unit_display().lower()} is worked out from the numerator and denominator: leave the value blank."
            }
        )
    existing = None
    if indicator is not None and agency is not None and period_start is not None:
        existing = IndicatorValue.objects.filter(indicator=indicator, agency=agency, period_start=period_start).first()
    record = existing or IndicatorValue(
        partnership=partnership, indicator=indicator, agency=agency, period_start=period_start
    )
    record.value = value
    record.numerator = numerator
    record.denominator = denominator
    record.commentary = commentary or ""
    record.data_quality = data_quality or DataQuality.CONFIRMED
    record.route = route
    record.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    record.submitted_at = submitted_at or timezone.now()
    if indicator is not None and indicator.is_computed:
        record.value = 0  # worked out in clean() from the numerator and denominator
    boundary.enforce(record)
    record.full_clean(validate_unique=False, validate_constraints=False)
    record.replaces = existing is not None
    return record


def value_submit(*, actor, partnership, indicator, agency, period_start: datetime.date, **fields) -> IndicatorValue:
    """Make (or replace) an agency's return for one indicator and period."""
    with transaction.atomic(), attributed_to(actor):
        record = _prepared_value(
            partnership=partnership,
            indicator=indicator,
            agency=agency,
            period_start=period_start,
            actor=actor,
            **fields,
        )
        replaces = record.replaces
        record.save()
        record.replaces = replaces
    return record


@dataclass
class ImportRow:
    number: int  # the row number in the file, counting the heading row as 1
    indicator: Indicator
    agency: object
    period_start: datetime.date
    fields: dict


def values_import(
    *, actor, partnership, rows: list[ImportRow], route: str = ReturnRoute.UPLOAD
) -> list[IndicatorValue]:
    """Save every row or none: the first bad row undoes the lot and is named by its number."""
    saved = []
    with transaction.atomic(), attributed_to(actor):
        for row in rows:
            try:
                saved.append(
                    value_submit(
                        actor=actor,
                        partnership=partnership,
                        indicator=row.indicator,
                        agency=row.agency,
                        period_start=row.period_start,
                        route=route,
                        **row.fields,
                    )
                )
            except ValidationError as error:
                messages = (
                    "; ".join(f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items())
                    if hasattr(error, "error_dict")
                    else " ".join(error.messages)
                )
                raise ValidationError(f"Row {row.number}: {messages} Nothing was saved.") from error
    return saved


def session_create(*, actor, partnership, **fields) -> ThinkTankSession:
    return save(ThinkTankSession(partnership=partnership), actor=actor, fields=fields)


def session_update(*, actor, session: ThinkTankSession, **fields) -> ThinkTankSession:
    return save(session, actor=actor, fields=fields)


def session_raise_action(*, actor, session: ThinkTankSession, description: str, owner_agency=None, due_on=None):
    """An action the think tank agreed, into the themed learning log, linked to the session."""
    return action_raise(
        actor=actor,
        partnership=session.partnership,
        description=description,
        source=session,
        owner_agency=owner_agency,
        due_on=due_on,
        raised_on=session.held_on,
    )
