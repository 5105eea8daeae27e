"""Section 11 in core's one import pattern: the self-assessment tool (sections, questions,
guidance) and a past round's results, one row an answer of one agency's service."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from jigsaw.core.imports import Choice, Column, Date, Importer, Known, Text, Whole, named, names, normalise
from jigsaw.core.imports_core import agency_names, people_names
from jigsaw.core.services import save

from . import services
from .models import Answer, Framework, Question, Rating, Return, Round

NUMBER = re.compile(r"^\s*(\d+)\s*[.)]\s*(\d+)\s*$")


def latest_frameworks(partnership) -> dict[str, Framework]:
    """Each tool by name, its newest version."""
    return names(Framework.objects.filter(partnership=partnership).order_by("version"), "name")


class ToolImporter(Importer):
    key = "section-11-tool"
    model = Question
    title = "Section 11 tool"
    description = "The self-assessment tool: its sections and questions, with guidance and the evidence expected."
    order = 70
    page = "assurance:frameworks"
    columns = (
        Column("tool", aliases=("framework", "tool name"), read=Text(200)),
        Column(
            "section number",
            aliases=("section no", "standard number", "standard no"),
            read=Whole(),
        ),
        Column("section", aliases=("section title", "standard"), read=Text(200)),
        Column("question number", aliases=("question no", "no", "number"), field="number", read=Whole()),
        Column("question", aliases=("question text", "indicator"), field="text", read=Text()),
        Column("guidance", False, ("notes", "guidance notes"), read=Text()),
        Column("evidence expected", False, ("evidence", "examples of evidence"), read=Text()),
    )

    def key_of(self, values):
        return (normalise(values["tool"]), values["section_number"], values["number"])

    def describe_key(self):
        return "the same tool, section number and question number"

    def held(self, partnership):
        return {
            (normalise(name), section, number)
            for name, section, number in Question.objects.filter(partnership=partnership).values_list(
                "section__framework__name", "section__number", "number"
            )
        }

    def add(self, *, actor, partnership, values, lookups):
        framework = latest_frameworks(partnership).get(normalise(values["tool"]))
        if framework is None:
            framework = services.framework_create(actor=actor, partnership=partnership, name=values["tool"])
        section = framework.sections.filter(number=values["section_number"]).first()
        if section is None:
            section = services.section_add(
                actor=actor, framework=framework, title=values["section"], number=values["section_number"]
            )
        services.question_add(
            actor=actor,
            section=section,
            text=values["text"],
            guidance=values["guidance"],
            evidence_expected=values["evidence_expected"],
            number=values["number"],
        )

    def export(self, partnership):
        latest = {f.pk for f in latest_frameworks(partnership).values()}
        questions = (
            Question.objects.filter(partnership=partnership, section__framework__in=latest)
            .select_related("section__framework")
            .order_by("section__framework__name", "section__number", "number")
        )
        for q in questions:
            yield [
                q.section.framework.name,
                q.section.number,
                q.section.title,
                q.number,
                q.text,
                q.guidance,
                q.evidence_expected,
            ]


class ResultsImporter(Importer):
    key = "section-11-results"
    model = Answer
    title = "Section 11 results"
    description = (
        "A past round's returns: one row an answer (the round, the agency's service and who completed it, "
        "the question and its RAG rating). A return with every question rated and a submitted date is submitted."
    )
    order = 75
    page = "assurance:rounds"
    columns = (
        Column("round", aliases=("round title", "self-assessment"), read=Text(200)),
        Column("tool", aliases=("framework",), field="framework", read=Known("frameworks", "section 11 tool")),
        Column("period start", aliases=("from",), read=Date()),
        Column("period end", aliases=("to",), read=Date()),
        Column("deadline", False, ("due",), read=Date()),
        Column("agency", aliases=("organisation",), read=Known("agencies", "agency")),
        Column("service", aliases=("team", "service name"), read=Text(200)),
        Column("locality", False, read=Text(100)),
        Column(
            "completed by",
            aliases=("participant", "respondent", "name"),
            field="participant",
            read=Known("people", "person"),
        ),
        Column("question", aliases=("question number", "question no", "standard"), hint="section.question, as 1.2"),
        Column(
            "rating",
            aliases=("rag", "rag rating", "self rating"),
            hint="Red, Amber, Green",
            read=Choice(Rating),
        ),
        Column("evidence", False, ("comments", "evidence summary"), read=Text()),
        Column("submitted", False, ("submitted on", "date submitted"), read=Date(past=True)),
    )

    def lookups(self, partnership):
        questions = {}
        for q in Question.objects.filter(partnership=partnership).select_related("section__framework"):
            questions[(q.section.framework_id, q.section.number, q.number)] = q
        return {
            "frameworks": latest_frameworks(partnership),
            "agencies": agency_names(partnership),
            "people": people_names(partnership),
            "questions": questions,
        }

    def clean(self, row, lookups):
        values = {**self.read(row, lookups), "question": None}
        row.in_order("period start", "period end", values, "is before the period starts.")
        number = row.text("question")
        match = NUMBER.match(number)
        if number and not match:
            row.problem("question", f"'{number}' is not a question number: write it as 1.2 (section 1, question 2).")
        elif match and values["framework"] is not None:
            question = lookups["questions"].get((values["framework"].pk, int(match[1]), int(match[2])))
            if question is None:
                row.problem("question", f"{number} is not a question of {values['framework'].name}.")
            values["question"] = question
        return values

    def key_of(self, values):
        return (normalise(values["round"]), values["participant"].pk, values["question"].pk)

    def describe_key(self):
        return "the same round, person and question"

    def held(self, partnership):
        return {
            (normalise(title), participant, question)
            for title, participant, question in Answer.objects.filter(partnership=partnership).values_list(
                "assessment_return__round__title", "assessment_return__participant_id", "question_id"
            )
        }

    def add(self, *, actor, partnership, values, lookups):
        rounds = lookups.setdefault("_rounds", {})
        key = normalise(values["round"])
        round_ = rounds.get(key) or named(Round.objects.filter(partnership=partnership), values["round"])
        if round_ is None:
            round_ = services.round_create(
                actor=actor,
                partnership=partnership,
                title=values["round"],
                framework=values["framework"],
                period_start=values["period_start"],
                period_end=values["period_end"],
                deadline=values["deadline"] or values["period_end"],
            )
        rounds[key] = round_
        assessment_return = Return.objects.filter(round=round_, participant=values["participant"]).first()
        if assessment_return is None:
            assessment_return = services.participant_invite(
                actor=actor,
                round=round_,
                participant=values["participant"],
                agency=values["agency"],
                service=values["service"],
                locality=values["locality"],
            )
        services.return_save_answers(
            actor=actor,
            assessment_return=assessment_return,
            answers={values["question"]: {"rating": values["rating"], "evidence": values["evidence"]}},
        )
        if values["submitted"]:
            total = Question.objects.filter(section__framework_id=round_.framework_id).count()
            if assessment_return.answers.count() == total:
                submitted = services.return_submit(actor=actor, assessment_return=assessment_return)
                # Submitted on the day the spreadsheet says, not the day it was imported.
                on = timezone.make_aware(datetime.datetime.combine(values["submitted"], datetime.time(12)))
                save(submitted, actor=actor, fields={"submitted_at": on})

    def export(self, partnership):
        answers = (
            Answer.objects.filter(partnership=partnership)
            .select_related(
                "assessment_return__round__framework",
                "assessment_return__agency",
                "assessment_return__participant",
                "question__section",
            )
            .order_by(
                "assessment_return__round__period_start",
                "assessment_return__agency__name",
                "assessment_return__service",
                "question__section__number",
                "question__number",
            )
        )
        for answer in answers:
            r = answer.assessment_return
            yield [
                r.round.title,
                r.round.framework.name,
                r.round.period_start,
                r.round.period_end,
                r.round.deadline,
                r.agency.name,
                r.service,
                r.locality,
                r.participant.email or r.participant.name,
                f"{answer.question.section.number}.{answer.question.number}",
                answer.get_rating_display(),
                answer.evidence,
                r.submitted_at.date() if r.submitted_at else None,
            ]


IMPORTERS = (ToolImporter, ResultsImporter)
