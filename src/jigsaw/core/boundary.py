"""The partnership boundary, declared once on each model and enforced in one place.

A model lists in `same_partnership` its related fields (foreign keys and many-to-many) whose
records must belong to its own partnership:

    class Booking(PartnershipRecord):
        same_partnership = ("event", "category", "agency")

`core.services.save` checks them before every write, and the many-to-many values it sets,
naming the field. Forms and the API never get that far with another partnership's record:
their choices come through the scoping helper (`core.related`), so a foreign id is as
unknown as a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models


def not_ours(model: type[models.Model]) -> str:
    """The one answer for a related record that is not in this partnership's list, whether it
    belongs to another partnership or does not exist: not found is not found."""
    return f"Choose from this partnership's {model._meta.verbose_name_plural}."


def partnership_id_of(record: models.Model) -> int | None:
    """The id of the partnership a record belongs to, following its `partnership_path`."""
    path = getattr(type(record), "partnership_path", "partnership")
    if path == "pk":
        return record.pk
    if not path:
        return None
    *hops, last = path.split("__")
    for hop in hops:
        if getattr(record, f"{hop}_id", None) is None:
            return None
        record = getattr(record, hop)
    return getattr(record, f"{last}_id", None)


def declared(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(model, "same_partnership", ()))


def crossing(model: type[models.Model]) -> tuple[str, ...]:
    """The related fields a model declares may hold another partnership's record: the sharing
    rules (a return shared with a partnership the organisation serves, the answer it came from),
    each written by one service that checks its own rule (`serves` below), never by a form."""
    return tuple(getattr(model, "shared_across", ()))


def shared_in(model: type[models.Model]) -> tuple[str, ...]:
    """The declared fields (`same_partnership`) that may also hold a record another partnership
    shares into this one by that record's own sharing rule (`shared_path`): a seat this partnership
    holds on a group another partnership runs jointly with it. Nothing else of the other crosses."""
    return tuple(getattr(model, "shared_in", ()))


def joint_seats(model: type[models.Model]) -> tuple[str, ...]:
    """The declared fields that may also hold a person (or the agency they represent) of a
    partnership running the record's group jointly, while that partnership seats the person on it
    (the model's `joint_seats_of(partnership_id)`): the register of a joint group's meeting."""
    return tuple(getattr(model, "joint_seat", ()))


def _shared_into(record: models.Model, partnership_id: int) -> bool:
    paths = getattr(type(record), "shared_path", None) or ()
    if isinstance(paths, str):
        paths = (paths,)
    return any(type(record)._base_manager.filter(pk=record.pk, **{path: partnership_id}).exists() for path in paths)


def _seated(instance: models.Model, name: str, record: models.Model) -> bool:
    # The model says which seats count (`joint_seats_of`: the seats the record's partnership holds
    # on its group while running it jointly); the person, or the agency, must be on one of them.
    seats = instance.joint_seats_of(partnership_id_of(record))
    if name == "person":
        return seats.filter(person=record).exists()
    return seats.filter(models.Q(agency=record) | models.Q(agency__isnull=True, person__agency=record)).exists()


def allowed(instance: models.Model, name: str, record: models.Model, owner: int) -> bool:
    """May the declared field `name` of `instance` (of partnership `owner`) hold `record`? Its own
    partnership's record, or one the two exceptions above let in."""
    if partnership_id_of(record) == owner:
        return True
    model = type(instance)
    if name in shared_in(model) and _shared_into(record, owner):
        return True
    return name in joint_seats(model) and _seated(instance, name, record)


def serves(organisation, partnership):
    """The organisation's agency record in the partnership, or a refusal naming the partnership:
    the one rule for whether something of an organisation may cross into a partnership."""
    from .models import Agency

    agency = None
    if organisation is not None:
        agency = Agency._base_manager.filter(organisation=organisation, partnership=partnership).first()
    if agency is None:
        who = organisation or "This agency"
        raise ValidationError({"partnership": f"{who} does not serve {partnership}: nothing can be shared with it."})
    return agency


def errors(instance: models.Model, many: dict[str, Iterable] | None = None) -> dict[str, str]:
    """Each declared field holding a record of another partnership -> the message for it.
    Many-to-many fields are checked for the values about to be set (`many`)."""
    owner = partnership_id_of(instance)
    if owner is None:
        return {}
    found = {}
    for name in declared(type(instance)):
        field = instance._meta.get_field(name)
        if field.many_to_many:
            related = list((many or {}).get(name) or ())
        else:
            related = [getattr(instance, name)] if getattr(instance, field.attname) is not None else []
        if any(not allowed(instance, name, record, owner) for record in related):
            found[name] = not_ours(field.related_model)
    return found


def enforce(instance: models.Model, many: dict[str, Iterable] | None = None) -> None:
    found = errors(instance, many)
    if found:
        raise ValidationError(found)


def require(partnership, **records: models.Model | None) -> None:
    """For a service handed records beside a partnership (an import for a setting, a review
    for an action): each must be that partnership's, or the field is refused."""
    found = {
        name: not_ours(type(record))
        for name, record in records.items()
        if record is not None and partnership_id_of(record) != partnership.pk
    }
    if found:
        raise ValidationError(found)
