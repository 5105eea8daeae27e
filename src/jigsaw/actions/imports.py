"""The learning log in core's one import pattern: the spreadsheet a partnership kept its actions
in (the reference report calls it a 'live document'), row by row into the themed learning log,
each action moved through the same services a person would use (raised, completed with its
evidence, closed, reviewed at 6 and 12 months)."""

from __future__ import annotations

from jigsaw.core.imports import Column, Importer, normalise
from jigsaw.core.imports_core import agency_names, people_names
from jigsaw.core.models import Theme

from . import services
from .models import ActionPriority, AssuranceReview, LearningAction, Rag, ReviewKind, Status

YES = {"yes", "y", "true", "given", "assured"}
NO = {"no", "n", "false", "not given"}


class ActionImporter(Importer):
    key = "learning-log"
    model = LearningAction
    title = "The learning log"
    description = (
        "Actions with where they came from, the owner agency, due date, status, evidence notes, "
        "completion date and their 6- and 12-month reviews."
    )
    order = 60
    page = "actions:list"
    columns = (
        Column("reference", required=False, aliases=("ref", "action ref", "action number", "id")),
        Column("what must change", aliases=("action", "description", "action required", "recommendation")),
        Column("source", required=False, aliases=("source label", "raised from", "from", "origin")),
        Column("owner agency", required=False, aliases=("agency", "lead agency", "owner", "responsible agency")),
        Column("owner", required=False, aliases=("owner person", "lead officer", "named lead")),
        Column("priority", required=False, hint="High, Medium, Low"),
        Column("themes", required=False, aliases=("theme", "learning themes"), hint="separated by ;"),
        Column("raised", aliases=("date raised", "raised on", "date opened", "opened")),
        Column("due", required=False, aliases=("due date", "target date", "deadline")),
        Column("status", hint="Open, In progress, Completed, Assured, Closed without assurance"),
        Column("evidence", required=False, aliases=("evidence notes", "evidence of completion", "update")),
        Column("completed", required=False, aliases=("completion date", "date completed", "completed on")),
        Column("closure reason", required=False, aliases=("why closed", "reason closed")),
        Column("6-month review", required=False, aliases=("6 month review", "six month review")),
        Column("6-month RAG", required=False, aliases=("6 month rag", "six month rag")),
        Column("12-month review", required=False, aliases=("12 month review", "twelve month review")),
        Column("12-month RAG", required=False, aliases=("12 month rag", "twelve month rag")),
        Column("assurance given", required=False, aliases=("assured", "assurance")),
        Column("what changed", required=False, aliases=("what has changed in practice", "impact")),
        Column("review evidence", required=False, aliases=("assurance evidence", "evidence of impact")),
    )

    def lookups(self, partnership):
        return {
            "agencies": agency_names(partnership),
            "people": people_names(partnership),
            "themes": {normalise(t.name): t for t in Theme.objects.filter(partnership=partnership)},
        }

    def clean(self, row, lookups):
        values = {
            "reference": row.text("reference", max_length=20),
            "description": row.text("what must change"),
            "source_label": row.text("source", max_length=300),
            "owner_agency": row.known("owner agency", lookups["agencies"], "agency"),
            "owner_person": row.known("owner", lookups["people"], "person"),
            "priority": row.choice("priority", ActionPriority, default=ActionPriority.MEDIUM),
            "themes": [],
            "raised_on": row.date("raised", past=True),
            "due_on": row.date("due"),
            "evidence": row.text("evidence"),
            "completed_on": row.date("completed", past=True),
            "closure_reason": row.text("closure reason"),
            "six_on": row.date("6-month review", past=True),
            "six_rag": row.choice("6-month RAG", Rag),
            "twelve_on": row.date("12-month review", past=True),
            "twelve_rag": row.choice("12-month RAG", Rag),
            "what_changed": row.text("what changed"),
            "review_evidence": row.text("review evidence"),
        }
        status_text = normalise(row.text("status"))
        values["status"] = {"complete": Status.COMPLETED, "closed": Status.CLOSED_WITHOUT_ASSURANCE}.get(
            status_text
        ) or row.choice("status", Status)
        assured = normalise(row.text("assurance given"))
        values["assurance_given"] = True if assured in YES else False if assured in NO else None
        if assured and values["assurance_given"] is None:
            row.problem("assurance given", f"'{row.text('assurance given')}' is not yes or no.")
        for name in [p for p in row.text("themes").split(";") if p.strip()]:
            theme = lookups["themes"].get(normalise(name))
            if theme is None:
                row.ok = False
                row._check.unknown.setdefault("theme", {}).setdefault(normalise(name), [name.strip(), []])[1].append(
                    row.number
                )
            else:
                values["themes"].append(theme)
        self._check_story(row, values)
        return values

    def _check_story(self, row, values) -> None:
        """What the services would refuse, found now so the preview lists it by row and column."""
        raised, status = values["raised_on"], values["status"]
        if raised and values["due_on"] and values["due_on"] < raised:
            row.problem("due", "is before the action was raised.")
        if raised and values["completed_on"] and values["completed_on"] < raised:
            row.problem("completed", "is before the action was raised.")
        done = status in (Status.COMPLETED, Status.ASSURED)
        if done and not values["completed_on"]:
            row.problem("completed", f"is blank: a {Status(status).label.lower()} action has a completion date.")
        if done and not values["evidence"]:
            row.problem("evidence", f"is blank: a {Status(status).label.lower()} action needs its evidence.")
        if not done and values["completed_on"]:
            row.problem(
                "completed",
                f"is given but the action is {Status(status).label.lower() if status else 'not completed'}.",
            )
        if status == Status.CLOSED_WITHOUT_ASSURANCE and not values["closure_reason"]:
            row.problem("closure reason", "is blank: say why the action was closed without assurance.")
        for prefix, label in (("six", "6-month"), ("twelve", "12-month")):
            on, rag = values[f"{prefix}_on"], values[f"{prefix}_rag"]
            if (on or rag) and not done:
                row.problem(f"{label} review", "is given but only completed actions are reviewed.")
            elif on and not rag:
                row.problem(f"{label} RAG", "is blank: a recorded review has a RAG rating.")
            elif rag and not on:
                row.problem(f"{label} review", "is blank: say when the review was held.")
            elif on and values["completed_on"] and on < values["completed_on"]:
                row.problem(f"{label} review", "is before the action was completed.")
        if (values["six_on"] or values["twelve_on"]) and not values["what_changed"]:
            row.problem("what changed", "is blank: a recorded review says what has changed in practice.")
        if values["twelve_on"] and values["assurance_given"] and not values["review_evidence"]:
            row.problem("review evidence", "is blank: describe the evidence before giving assurance.")
        if values["twelve_on"] and not values["six_on"]:
            row.problem("6-month review", "is blank: the 12-month review comes after the 6-month one.")
        if status == Status.ASSURED and not (values["twelve_on"] and values["assurance_given"]):
            row.problem("assurance given", "an assured action has a 12-month review that gave assurance.")
        if status == Status.COMPLETED and values["twelve_on"] and values["assurance_given"]:
            row.problem("status", "is Completed, but the 12-month review gave assurance: it is Assured.")

    def key_of(self, values):
        if values["reference"]:
            return ("reference", normalise(values["reference"]))
        return ("text", normalise(values["description"]), values["raised_on"])

    def describe_key(self):
        return "the same reference, or the same action raised on the same day"

    def held(self, partnership):
        keys = set()
        for reference, description, raised in LearningAction.objects.filter(partnership=partnership).values_list(
            "reference", "description", "raised_on"
        ):
            keys.add(("text", normalise(description), raised))
            if reference:
                keys.add(("reference", normalise(reference)))
        return keys

    def add(self, *, actor, partnership, values, lookups):
        action = services.action_raise(
            actor=actor,
            partnership=partnership,
            description=values["description"],
            owner_agency=values["owner_agency"],
            owner_person=values["owner_person"],
            due_on=values["due_on"],
            raised_on=values["raised_on"],
            priority=values["priority"],
            themes=values["themes"],
            source_label=values["source_label"],
        )
        if values["reference"] and values["reference"] != action.reference:
            from jigsaw.core.services import save

            save(action, actor=actor, fields={"reference": values["reference"]})
        status = values["status"]
        if status == Status.IN_PROGRESS:
            services.action_set_status(actor=actor, action=action, status=status, on=values["raised_on"])
        elif status in (Status.COMPLETED, Status.ASSURED):
            services.action_set_status(
                actor=actor,
                action=action,
                status=Status.COMPLETED,
                evidence=values["evidence"],
                completed_on=values["completed_on"],
                on=values["completed_on"],
            )
            for kind, prefix in ((ReviewKind.SIX_MONTH, "six"), (ReviewKind.TWELVE_MONTH, "twelve")):
                if values[f"{prefix}_on"]:
                    review = AssuranceReview.objects.get(action=action, kind=kind)
                    # Assurance is the 12-month review's verdict; a 6-month one gives it where it has evidence.
                    given = (
                        values["assurance_given"]
                        if kind == ReviewKind.TWELVE_MONTH
                        else bool(values["review_evidence"])
                    )
                    services.review_record(
                        actor=actor,
                        review=review,
                        rag=values[f"{prefix}_rag"],
                        what_changed=values["what_changed"],
                        evidence=values["review_evidence"],
                        assurance_given=bool(given),
                        reviewed_on=values[f"{prefix}_on"],
                    )
        elif status == Status.CLOSED_WITHOUT_ASSURANCE:
            services.action_set_status(
                actor=actor, action=action, status=status, closure_reason=values["closure_reason"]
            )
        elif values["evidence"]:
            # Progress notes on an open action: kept as its evidence so far (not a field a person edits).
            from jigsaw.core.services import save

            save(action, actor=actor, fields={"evidence": values["evidence"]})

    def export(self, partnership):
        actions = (
            LearningAction.objects.filter(partnership=partnership)
            .select_related("owner_agency", "owner_person")
            .prefetch_related("themes", "reviews")
            .order_by("raised_on", "pk")
        )
        for action in actions:
            reviews = {review.kind: review for review in action.reviews.all() if review.reviewed_on}
            six, twelve = reviews.get(ReviewKind.SIX_MONTH), reviews.get(ReviewKind.TWELVE_MONTH)
            latest = twelve or six
            yield [
                action.reference,
                action.description,
                action.source_label,
                action.owner_agency.name if action.owner_agency_id else "",
                (action.owner_person.email or action.owner_person.name) if action.owner_person_id else "",
                action.get_priority_display(),
                "; ".join(t.name for t in action.themes.all()),
                action.raised_on,
                action.due_on,
                action.get_status_display(),
                action.evidence,
                action.completed_on,
                action.closure_reason,
                six.reviewed_on if six else None,
                six.get_rag_display() if six else "",
                twelve.reviewed_on if twelve else None,
                twelve.get_rag_display() if twelve else "",
                ("Yes" if twelve.assurance_given else "No") if twelve else "",
                latest.what_changed if latest else "",
                latest.evidence if latest else "",
            ]
