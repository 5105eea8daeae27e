"""Reads and aggregates for assurance. Pages pass querysets already restricted to the viewer;
the report's data blocks pass the partnership's records. The arithmetic is the same for both."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from jigsaw.core import scoping
from jigsaw.core.scoping import Access, Action, Role

from .models import (
    Answer,
    Consent,
    InjuryLevel,
    MeetingType,
    Question,
    Rating,
    Return,
    ReturnStatus,
    Section,
)


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage, halves rounded up as people expect (63.16 -> 63, 92.5 -> 93)."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- Self-assessment ------------------------------------------------------------------------------


@dataclass
class ReturnRate:
    invited: int
    returned: int

    @property
    def pct(self) -> int | None:
        return percent(self.returned, self.invited)


def return_rate(returns) -> ReturnRate:
    """Returned (submitted) over invited, from a queryset of returns: one query."""
    counts = returns.aggregate(invited=Count("pk"), returned=Count("pk", filter=Q(status=ReturnStatus.SUBMITTED)))
    return ReturnRate(invited=counts["invited"], returned=counts["returned"])


@dataclass
class SectionResult:
    number: int
    title: str
    answers: int
    green: int

    @property
    def green_pct(self) -> int | None:
        return percent(self.green, self.answers)


def green_by_section(answers) -> list[SectionResult]:
    """% green per section over submitted returns, ordered as the report's table (highest first,
    then by section number). One query."""
    rows = (
        answers.filter(assessment_return__status=ReturnStatus.SUBMITTED)
        .values("question__section__number", "question__section__title")
        .annotate(total=Count("pk"), green=Count("pk", filter=Q(rating=Rating.GREEN)))
    )
    results = [
        SectionResult(r["question__section__number"], r["question__section__title"], r["total"], r["green"])
        for r in rows
    ]
    return sorted(results, key=lambda r: (-(r.green * 1_000_000 // r.answers if r.answers else 0), r.number))


def green_by_agency_and_section(answers) -> tuple[list[str], list[tuple[str, list[int | None]]]]:
    """(section titles in section order, [(agency, % green per section)]) over submitted returns."""
    rows = list(
        answers.filter(assessment_return__status=ReturnStatus.SUBMITTED)
        .values("assessment_return__agency__name", "question__section__number", "question__section__title")
        .annotate(total=Count("pk"), green=Count("pk", filter=Q(rating=Rating.GREEN)))
    )
    sections = sorted({(r["question__section__number"], r["question__section__title"]) for r in rows})
    by_agency: dict[str, dict[int, int | None]] = {}
    for r in rows:
        by_agency.setdefault(r["assessment_return__agency__name"], {})[r["question__section__number"]] = percent(
            r["green"], r["total"]
        )
    table = [(agency, [cells.get(number) for number, _ in sections]) for agency, cells in sorted(by_agency.items())]
    return [title for _, title in sections], table


def red_and_amber(answers):
    """The answers rated red or amber in submitted returns, with their evidence."""
    return (
        answers.filter(assessment_return__status=ReturnStatus.SUBMITTED, rating__in=[Rating.RED, Rating.AMBER])
        .select_related("question__section", "assessment_return__agency")
        .order_by("question__section__number", "question__number", "assessment_return__agency__name")
    )


def round_results(round, access) -> dict:
    """The partnership's return rate and % green per section (aggregates, no one's answers) are
    computed over every return, as the annual report computes them, for everyone who may see
    the round; the by-agency table, the rated answers with their evidence and the viewer's own
    return rate are computed over what the viewer may see, and labelled as theirs."""
    everyone = Access.for_report(round.partnership)
    returns = Return.objects.restrict(access, Action.VIEW).filter(round=round)
    answers = Answer.objects.restrict(access, Action.VIEW).filter(assessment_return__round=round)
    section_titles, by_agency = green_by_agency_and_section(answers)
    sees_all = scoping.sees_all(access, Return)
    # Whose part the viewer sees, when it is a part that has a rate (the scrutineer's part is
    # the submitted returns, whose rate would always read 100%).
    whose = (
        "Your agency's returns"
        if access.has_role(Role.AGENCY_LEAD)
        else "Your returns"
        if access.has_role(Role.PRACTITIONER)
        else None
    )
    return {
        "rate": return_rate(Return.objects.restrict(everyone).filter(round=round)),
        "sections": green_by_section(Answer.objects.restrict(everyone).filter(assessment_return__round=round)),
        "sees_all_returns": sees_all,
        "own_rate": return_rate(returns) if whose and not sees_all else None,
        "whose": whose,
        "agency_sections": section_titles,
        "by_agency": by_agency,
        "red_amber": red_and_amber(answers)[:200],
        "movement": movement_by_section(Answer.objects.restrict(everyone).filter(assessment_return__round=round)),
        "moved": moved_answers(answers)[:200],
    }


@dataclass
class SectionProgress:
    """One section of a return, as its task list shows it."""

    section: Section
    questions: int
    rated: int

    @property
    def status(self) -> str:
        if self.questions and self.rated >= self.questions:
            return "completed"
        return "in_progress" if self.rated else "not_started"


def return_progress(assessment_return, access) -> list[SectionProgress]:
    """Each section of the return's tool version with how many of its questions are rated: one query."""
    sections = (
        Section.objects.restrict(access, Action.VIEW)
        .filter(framework_id=assessment_return.round.framework_id)
        .annotate(
            question_count=Count("questions", distinct=True),
            rated=Count(
                "questions__answers", filter=Q(questions__answers__assessment_return=assessment_return), distinct=True
            ),
        )
        .order_by("number")
    )
    return [SectionProgress(section=s, questions=s.question_count, rated=s.rated) for s in sections]


def return_answers_by_section(assessment_return, access) -> list[tuple[Section, list[tuple[Question, Answer | None]]]]:
    """Every question of the return's tool version with its answer (or None), by section: two queries."""
    questions = (
        Question.objects.restrict(access, Action.VIEW)
        .filter(section__framework_id=assessment_return.round.framework_id)
        .select_related("section")
        .order_by("section__number", "number")
    )
    answers = {
        a.question_id: a
        for a in Answer.objects.restrict(access, Action.VIEW).filter(assessment_return=assessment_return)
    }
    grouped: dict[int, tuple[Section, list]] = {}
    for question in questions:
        grouped.setdefault(question.section_id, (question.section, []))[1].append((question, answers.get(question.pk)))
    return list(grouped.values())


def shares_of(assessment_return, access):
    """The partnerships a return is (or was) shared with, as the viewer may see the shares."""
    from .models import ReturnShare

    return (
        ReturnShare.objects.restrict(access, Action.VIEW)
        .filter(source=assessment_return)
        .select_related("target__partnership", "target__round")
    )


def received_share(assessment_return):
    """The active share that filled this return, if any: which organisation answered it, in which
    partnership. Read for the receiving partnership's page, which says where the answers came from
    (the share names the two partnerships and the organisation, nothing else of the other's)."""
    from .models import ReturnShare

    return (
        ReturnShare._base_manager.filter(target=assessment_return, withdrawn_at__isnull=True)
        .select_related("partnership", "source__agency__organisation")
        .first()
    )


def served_partnerships(assessment_return):
    """The other partnerships the return's organisation serves (where it could be shared)."""
    from jigsaw.core.models import Agency, Partnership

    organisation_id = assessment_return.agency.organisation_id
    if organisation_id is None:
        return Partnership.objects.none()
    return Partnership._base_manager.filter(
        pk__in=Agency._base_manager.filter(organisation_id=organisation_id).values("partnership")
    ).exclude(pk=assessment_return.partnership_id)


RATING_ORDER = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2}


@dataclass
class SectionMovement:
    number: int
    title: str
    improved: int
    worsened: int
    carried: int


def movement_by_section(answers) -> list[SectionMovement]:
    """What moved since the previous round, by section, over submitted returns: answers carried
    forward whose rating is now better or worse than the old one. One query."""
    rows = (
        answers.filter(assessment_return__status=ReturnStatus.SUBMITTED)
        .exclude(previous_rating="")
        .values("question__section__number", "question__section__title", "previous_rating", "rating")
        .annotate(n=Count("pk"))
    )
    sections: dict[int, SectionMovement] = {}
    for r in rows:
        number = r["question__section__number"]
        row = sections.setdefault(number, SectionMovement(number, r["question__section__title"], 0, 0, 0))
        row.carried += r["n"]
        step = RATING_ORDER[r["rating"]] - RATING_ORDER[r["previous_rating"]]
        if step > 0:
            row.improved += r["n"]
        elif step < 0:
            row.worsened += r["n"]
    return [sections[number] for number in sorted(sections)]


def moved_answers(answers):
    """The answers whose rating changed since the previous round, old and new, in section order."""
    return (
        answers.filter(assessment_return__status=ReturnStatus.SUBMITTED)
        .exclude(previous_rating="")
        .exclude(previous_rating=F("rating"))
        .select_related("question__section", "assessment_return__agency")
        .order_by("question__section__number", "question__number", "assessment_return__agency__name")
    )


def returns_for(access):
    return Return.objects.restrict(access, Action.VIEW).select_related("round", "agency", "participant")


# --- Use of restraint ----------------------------------------------------------------------------


@dataclass
class RestraintSummary:
    incidents: int
    by_level: dict[int, int]

    @property
    def no_injury(self) -> int:
        return self.by_level.get(InjuryLevel.NONE, 0)

    @property
    def injuries(self) -> int:
        return self.incidents - self.no_injury

    @property
    def no_injury_pct(self) -> int | None:
        return percent(self.no_injury, self.incidents)

    @property
    def injury_pct(self) -> int | None:
        return percent(self.injuries, self.incidents)

    @property
    def level1_pct_of_injuries(self) -> int | None:
        return percent(self.by_level.get(InjuryLevel.MINOR, 0), self.injuries)

    def rows(self) -> list[tuple[str, int]]:
        return [(label, self.by_level.get(level, 0)) for level, label in InjuryLevel.choices]


def restraint_summary(incidents) -> RestraintSummary:
    """Incidents by injury level: one query."""
    counts = incidents.aggregate(
        **{f"level_{level}": Count("pk", filter=Q(injury_level=level)) for level in InjuryLevel.values}
    )
    by_level = {level: counts[f"level_{level}"] for level in InjuryLevel.values}
    return RestraintSummary(incidents=sum(by_level.values()), by_level=by_level)


# --- Assurance week ------------------------------------------------------------------------------


@dataclass
class MeetingTypeSummary:
    meeting_type: str
    label: str
    identified: int
    declined: int
    moved: int
    observed: int


OBSERVED = Q(consent=Consent.GIVEN, moved_outside_window=False) & ~Q(observer="")


def week_by_type(meetings) -> list[MeetingTypeSummary]:
    """Identified, consent declined, moved and observed, by meeting type: one query."""
    rows = {
        r["meeting_type"]: r
        for r in meetings.values("meeting_type").annotate(
            identified=Count("pk"),
            declined=Count("pk", filter=Q(consent=Consent.DECLINED)),
            moved=Count("pk", filter=Q(moved_outside_window=True)),
            observed=Count("pk", filter=OBSERVED),
        )
    }
    return [
        MeetingTypeSummary(
            value,
            label,
            rows[value]["identified"],
            rows[value]["declined"],
            rows[value]["moved"],
            rows[value]["observed"],
        )
        for value, label in MeetingType.choices
        if value in rows
    ]


def week_observers(meetings) -> int:
    """How many people observed (distinct observers of observed meetings)."""
    return meetings.filter(OBSERVED).values("observer").distinct().count()
