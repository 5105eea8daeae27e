"""Everything Jigsaw holds about one person in one partnership, for a subject access request.

Found three ways, so a record added to any app later is found without anyone listing it: the
person's own records (people, sign-ins, learners, bookings, newsletter subscriptions) by their
email or name; every record of the partnership that points at one of those (a seat, an
attendance, an action owned, a completion, a comment written); and every record whose text
names them (minutes, a deputy's name, a signatory). Then the audit trail: entries about those
records, entries they made, and entries whose changes name them.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.core.models import Person, User
from jigsaw.training.exports import escape_cell

# The records that are a person (rather than about one): found first, then what points at them.
SUBJECT_MODELS = ("core.Person", "core.User", "training.Learner", "training.Booking", "policies.Subscriber")
TEXT_FIELDS = (models.CharField, models.TextField)
# Fields that identify a record to the machine, never a person (hashes, codes, passwords).
NEVER_EXPORTED = {"password", "key_hash", "key", "code", "content"}


@dataclass
class Found:
    subject: str
    partnership: object
    records: dict[str, list] = field(default_factory=dict)  # model label -> records
    audit: list = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {label: len(rows) for label, rows in sorted(self.records.items()) if rows}
        if self.audit:
            counts["core.AuditEntry"] = len(self.audit)
        return counts


def _jigsaw_models():
    return [m for m in apps.get_models() if m.__module__.startswith("jigsaw.") and hasattr(m, "scope_rule")]


def _in_partnership(model, partnership):
    """The model's records in the partnership, or None for a kind that belongs to no partnership."""
    path = getattr(model, "partnership_path", "partnership")
    if model is User:
        return User.objects.filter(role_assignments__partnership=partnership).distinct()
    if not path:
        return None
    return model._base_manager.filter(**{path: partnership.pk if path == "pk" else partnership})


def find(partnership, subject: str) -> Found:
    from jigsaw.training.models import learner_key

    found = Found(subject=subject, partnership=partnership)
    is_email = "@" in subject
    people = Person._base_manager.filter(partnership=partnership).filter(
        Q(email__iexact=subject) | Q(name__iexact=subject)
    )
    users = User.objects.filter(Q(person__in=people) | Q(email__iexact=subject) if is_email else Q(person__in=people))
    users = users.filter(Q(person__partnership=partnership) | Q(role_assignments__partnership=partnership)).distinct()
    subjects = {"core.Person": list(people), "core.User": list(users)}
    for label in SUBJECT_MODELS[2:]:
        model = apps.get_model(label)
        match = Q(email__iexact=subject)
        if hasattr(model, "name"):
            match |= Q(name__iexact=subject)
        if label == "training.Learner" and is_email:
            # The key outlives pseudonymisation: a pseudonymised learner is still theirs.
            match |= Q(key=learner_key(partnership.pk, subject))
        subjects[label] = list(_in_partnership(model, partnership).filter(match))
    ids = {label: [r.pk for r in rows] for label, rows in subjects.items()}
    for label, rows in subjects.items():
        found.records.setdefault(label, []).extend(rows)

    for model in _jigsaw_models():
        label = model._meta.label
        if label in SUBJECT_MODELS or model._meta.proxy:
            continue
        scope = _in_partnership(model, partnership)
        if scope is None:
            scope = _owned_by_users(model, ids["core.User"])
            if scope is None:
                continue
        match = Q(pk__in=[])
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is not None and f.related_model._meta.label in ids:
                pks = ids[f.related_model._meta.label]
                if pks:
                    match |= Q(**{f"{f.name}__in": pks})
            elif isinstance(f, TEXT_FIELDS) and f.name not in NEVER_EXPORTED and not f.choices:
                match |= Q(**{f"{f.name}__icontains": subject})
        for f in model._meta.many_to_many:
            if ids.get(f.related_model._meta.label):
                match |= Q(**{f"{f.name}__in": ids[f.related_model._meta.label]})
        rows = list(scope.filter(match).distinct())
        if rows:
            found.records[label] = rows

    found.audit = _audit(partnership, subject, found, ids["core.User"])
    return found


def _owned_by_users(model, user_ids):
    """Records of no partnership that belong to a sign-in (API tokens)."""
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is User:
            return model._base_manager.filter(**{f"{f.name}__in": user_ids})
    return None


def _audit(partnership, subject: str, found: Found, user_ids: list) -> list:
    about = Q(pk__in=[])
    for label, rows in found.records.items():
        if rows:
            content_type = ContentType.objects.get_for_model(apps.get_model(label), for_concrete_model=False)
            about |= Q(content_type=content_type, object_pk__in=[str(r.pk) for r in rows])
    ours = Q(partnership_index__partnership=partnership)
    # A sign-in's own changes carry no partnership; they are the person's all the same.
    own_sign_in = Q(content_type=ContentType.objects.get_for_model(User), object_pk__in=[str(pk) for pk in user_ids])
    naming = Q(changes__icontains=subject) | Q(object_repr__icontains=subject)
    entries = LogEntry.objects.filter((ours & (about | naming | Q(actor_id__in=user_ids))) | own_sign_in)
    return list(entries.select_related("content_type", "actor").order_by("timestamp", "pk").distinct())


# The export ------------------------------------------------------------------------------------


def _value(record, f):
    value = getattr(record, f.attname)
    if f.is_relation:
        if value is None:
            return None
        related = getattr(record, f.name)
        return f"{related} (#{value})"
    if isinstance(f, models.BinaryField):
        return f"(a file of {len(value or b'')} bytes: ask the business unit for a copy)"
    if isinstance(f, models.FileField):
        return value.name if value else ""
    if f.choices and value not in (None, ""):
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(record) -> dict:
    row = {}
    for f in record._meta.concrete_fields:
        if f.name in NEVER_EXPORTED and not isinstance(f, models.BinaryField):
            continue
        row[str(f.verbose_name)] = _value(record, f)
    for f in record._meta.many_to_many:
        row[str(f.verbose_name)] = "; ".join(str(r) for r in getattr(record, f.name).all())
    return row


def _audit_row(entry) -> dict:
    return {
        "when": entry.timestamp.isoformat(),
        "what": {0: "Created", 1: "Changed", 2: "Deleted", 3: "Viewed"}.get(entry.action, "Changed"),
        "kind of record": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "record": entry.object_repr,
        "by": str(entry.actor) if entry.actor_id else "",
        "changes": json.dumps(entry.changes or {}, ensure_ascii=False, default=str),
    }


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    names = list(dict.fromkeys(name for row in rows for name in row))
    writer = csv.DictWriter(out, fieldnames=names)
    writer.writeheader()
    for row in rows:
        # A spreadsheet must not run a value as a formula: the training exports' rule.
        writer.writerow({k: escape_cell(v) for k, v in row.items()})
    return out.getvalue()


def tables(found: Found) -> dict[str, tuple[str, list[dict]]]:
    """{file name: (kind of record as a person reads it, rows)}."""
    out = {}
    for label, records in sorted(found.records.items()):
        if records:
            model = apps.get_model(label)
            out[label] = (str(model._meta.verbose_name_plural).capitalize(), [_row(r) for r in records])
    if found.audit:
        out["core.AuditEntry"] = ("Audit trail entries", [_audit_row(e) for e in found.audit])
    return out


def _schedule_lines(partnership) -> list[str]:
    from .services import schedule

    return [
        f"{rule.kind.label}: {rule.months} months after {rule.kind.anchor}, then {rule.outcome_label.lower()}d"
        for rule in schedule(partnership)
    ] + ["Case reviews: kept as the Child Safeguarding Practice Review Panel's rules say (they hold no names)"]


def export(found: Found, request) -> bytes:
    buffer = io.BytesIO()
    made = timezone.localtime()
    contents = tables(found)
    summary = {
        "partnership": found.partnership.name,
        "subject": found.subject,
        "reference": request.reference,
        "requested_at": request.requested_at.isoformat(),
        "exported_at": made.isoformat(),
        "records": {label: {"kind": title, "count": len(rows)} for label, (title, rows) in contents.items()},
        "retention": _schedule_lines(found.partnership),
    }
    readme = (
        f"What {found.partnership.name} holds in Jigsaw about {found.subject}, exported {made:%-d %B %Y %H:%M}.\n\n"
        "Each kind of record is here twice: as JSON (json/) and as CSV (csv/), one file per kind;\n"
        "summary.json lists them with their counts. Records pointing at another record show its name\n"
        "and number, for example 'Durham Constabulary (#3)'. audit_trail shows every recorded change to\n"
        "these records, every change this person made, and every change that names them.\n"
        "Case reviews hold no names (a made-up name and a reference only) and are not searched by name.\n"
        "\nHow long the partnership keeps each kind of record that holds personal data (its retention schedule):\n"
        + "".join(f"- {line}\n" for line in _schedule_lines(found.partnership))
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        archive.writestr("summary.json", json.dumps(summary, indent=2, ensure_ascii=False))
        for label, (_title, rows) in contents.items():
            name = "audit_trail" if label == "core.AuditEntry" else label
            archive.writestr(f"json/{name}.json", json.dumps(rows, indent=2, ensure_ascii=False, default=str))
            archive.writestr(f"csv/{name}.csv", _csv(rows))
    return buffer.getvalue()
