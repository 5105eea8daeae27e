"""Reads for the evidence chain: what we learnt, what we changed, what difference it made.

Every figure is the partnership's (read through `Access.for_report`, as the annual report reads
it), so the chain is the same for everyone who may open it; what names people (a manager's
example) is read through the viewer's own access.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Q
from django.utils import timezone

from jigsaw.actions.models import AssuranceReview, LearningAction, ReviewKind, Status
from jigsaw.assurance.models import Answer, ObservedMeeting, Rating, ReturnStatus
from jigsaw.assurance.queries import percent
from jigsaw.core.periods import FinancialYear
from jigsaw.core.scoping import Access, Action
from jigsaw.governance.models import Priority
from jigsaw.learning.models import CaseReview, HorizonScanItem, LearningCycle, Speaker, Voice
from jigsaw.performance import analysis
from jigsaw.performance import queries as performance_queries
from jigsaw.policies.models import VersionTrigger
from jigsaw.training.models import Completion, Course, Evaluation, ImpactFollowUp

from .models import CHANGED_ANSWERS, Evidence, EvidenceKind, Framework, ManagerAssurance, Outcome
from .strength import Movement, Signal, Strength, rate, weakest
from .strength import Rating as StrengthRating


def framework_for(access, plan) -> Framework | None:
    """The framework a plan's chain is read against: the latest adopted version, else the latest."""
    versions = Framework.objects.restrict(access).filter(plan=plan).order_by("-adopted_on", "-version")
    adopted = versions.filter(adopted_on__isnull=False).order_by("-version").first()
    return adopted or versions.order_by("-version").first()


def plan_priorities(access, year: FinancialYear):
    """The priorities of the business plan running in the year."""
    return (
        Priority.objects.restrict(access)
        .filter(plan__starts_on__lte=year.end, plan__ends_on__gte=year.start)
        .select_related("plan", "partnership")
        .order_by("plan__starts_on", "number")
    )


# --- What difference it made: one signal per linked record -------------------------------------


def _number(value) -> str:
    if value is None:
        return "no figure"
    value = Decimal(value)
    return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,.1f}"


def _indicator_signal(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    indicator = evidence.indicator
    signal = Signal(label=str(indicator), url=indicator.get_absolute_url())
    readings = performance_queries.latest_readings(report, [indicator], until=year.end)
    reading = readings[0]
    if reading.value is None or reading.period.start < year.start:
        signal.gaps.append(f"{indicator.code} has no figure for {year.title}.")
        return signal
    signal.measured = True
    unit = "%" if indicator.unit == "percentage" else ""
    text = f"{indicator.code} {_number(reading.value)}{unit} in {reading.period.label}"
    if indicator.target is not None:
        text += f" against a target of {_number(indicator.target)}{unit} ({reading.rag.label.lower()})"
    if reading.last_year is not None:
        text += f"; a year earlier {_number(reading.last_year)}{unit} ({reading.since_last_year.label.lower()})"
    signal.findings.append(text + ".")
    if reading.since_last_year == analysis.Direction.IMPROVING:
        signal.movement = Movement.IMPROVING
    elif reading.since_last_year == analysis.Direction.WORSENING:
        signal.movement = Movement.WORSENING
    elif reading.since_last_year == analysis.Direction.NO_COMPARISON:
        signal.gaps.append(f"{indicator.code} has no figure a year earlier to compare with.")
    elif indicator.polarity == "neutral":
        signal.gaps.append(
            f"{indicator.code} is monitored: neither direction is better, so it cannot show improvement."
        )
    if reading.rag == analysis.Rag.RED:
        signal.gaps.append(f"{indicator.code} is red against its target.")
    return signal


def _green(answers) -> tuple[int, int]:
    counts = answers.filter(assessment_return__status=ReturnStatus.SUBMITTED).aggregate(
        total=Count("pk"), green=Count("pk", filter=Q(rating=Rating.GREEN))
    )
    return counts["green"], counts["total"]


def _s11_signal(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    """% green of the question (or section) in the round that ended in the year, against the
    round before it; matched across versions of the tool by section and question number."""
    if evidence.kind == EvidenceKind.S11_QUESTION:
        question = evidence.s11_question
        label = f"Section 11 question {question.section.number}.{question.number}"
        match = Q(question__section__number=question.section.number, question__number=question.number)
        framework = question.section.framework
    else:
        section = evidence.s11_section
        label = f"Section 11 section {section.number}: {section.title}"
        match = Q(question__section__number=section.number)
        framework = section.framework
    signal = Signal(label=label, url=framework.get_absolute_url())
    # The same tool's versions: answers to a later version still answer the same question.
    answers = Answer.objects.restrict(report).filter(match, question__section__framework__name=framework.name)
    rounds = list(
        answers.filter(assessment_return__round__period_end__lte=year.end)
        .values_list(
            "assessment_return__round_id", "assessment_return__round__period_end", "assessment_return__round__title"
        )
        .distinct()
        .order_by("-assessment_return__round__period_end")
    )
    current = [r for r in rounds if r[1] >= year.start]
    if not current:
        signal.gaps.append(f"{label}: no self-assessment round ended in {year.title}.")
        return signal
    green, total = _green(answers.filter(assessment_return__round_id=current[0][0]))
    if not total:
        signal.gaps.append(f"{label}: no submitted answers in {current[0][2]}.")
        return signal
    signal.measured = True
    now = percent(green, total)
    text = f"{label}: {now}% green in {current[0][2]} ({green} of {total} answers)"
    earlier = [r for r in rounds if r[1] < current[0][1]]
    if earlier:
        g, t = _green(answers.filter(assessment_return__round_id=earlier[0][0]))
        before = percent(g, t)
        if before is not None:
            text += f"; {before}% in {earlier[0][2]}"
            if now > before:
                signal.movement = Movement.IMPROVING
            elif now < before:
                signal.movement = Movement.WORSENING
    else:
        signal.gaps.append(f"{label}: no earlier round to compare with.")
    signal.findings.append(text + ".")
    return signal


def _audit_signal(evidence: Evidence, year: FinancialYear) -> Signal:
    audit = evidence.audit
    signal = Signal(label=f"Audit: {audit.title}", url=audit.get_absolute_url())
    if audit.started_on > year.end:
        signal.gaps.append(f"The audit '{audit.title}' starts after {year.title}.")
        return signal
    signal.activity = True
    if audit.reported_on is None or audit.reported_on > year.end:
        signal.gaps.append(f"The audit '{audit.title}' has not reported yet.")
        return signal
    signal.measured = bool(audit.grading.strip() or audit.findings.strip())
    grading = f": {audit.grading.strip()}" if audit.grading.strip() else ""
    signal.findings.append(
        f"'{audit.title}': {audit.cases_audited} cases audited, reported {audit.reported_on:%-d %B %Y}{grading}."
    )
    if not signal.measured:
        signal.gaps.append(f"The audit '{audit.title}' recorded no grading or findings.")
    signal.gaps.append(
        f"The audit '{audit.title}' has not been repeated: a re-audit would show whether practice moved."
    )
    return signal


def _in_year(field_name: str, year: FinancialYear) -> Q:
    return Q(**{f"{field_name}__gte": year.start, f"{field_name}__lte": year.end})


def _course_knowledge_signal(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    course = evidence.course
    signal = Signal(label=f"{course.title}: knowledge", url=course.get_absolute_url())
    completions = (
        Completion.objects.restrict(report).filter(course=course).filter(_in_year("completed_on", year)).count()
    )
    if completions:
        signal.activity = True
        signal.findings.append(f"{course.title}: {completions:,} completions in {year.title}.")
    else:
        signal.gaps.append(f"No one completed {course.title} in {year.title}.")
    scores = (
        Evaluation.objects.restrict(report)
        .filter(course=course)
        .filter(_in_year("submitted_on", year))
        .aggregate(n=Count("pk"), before=Avg("knowledge_before"), after=Avg("knowledge_after"))
    )
    if not scores["n"]:
        signal.gaps.append(f"No evaluations of {course.title} in {year.title}.")
        return signal
    signal.measured = True
    before, after = round(scores["before"], 1), round(scores["after"], 1)
    signal.findings.append(f"Knowledge {before} before and {after} after, out of 10 ({scores['n']:,} evaluations).")
    # Knowledge on the day is learning, not practice: it never shows on its own that the outcome improves.
    signal.gaps.append(
        f"{course.title}: knowledge on the day does not show practice changed; ask managers at 3 months."
    )
    return signal


def _course_follow_up_signal(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    course = evidence.course
    signal = Signal(label=f"{course.title}: learners' follow-up", url=course.get_absolute_url())
    counts = (
        ImpactFollowUp.objects.restrict(report)
        .filter(completion__course=course)
        .filter(_in_year("sent_on", year))
        .aggregate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_on__isnull=False)))
    )
    if not counts["sent"]:
        signal.gaps.append(f"No 3- or 6-month follow-up of {course.title} was sent in {year.title}.")
        return signal
    signal.activity = True
    rate_pct = percent(counts["answered"], counts["sent"])
    signal.findings.append(
        f"{course.title}: {counts['answered']} of {counts['sent']} learners answered the 3- and 6-month follow-up ({rate_pct}%)."
    )
    signal.measured = counts["answered"] > 0
    if not signal.measured:
        signal.gaps.append(f"No learner has answered the follow-up of {course.title}.")
    elif rate_pct < 50:
        signal.gaps.append(f"Only {rate_pct}% of learners answered the follow-up of {course.title}.")
    return signal


@dataclass
class ManagerCounts:
    asked: int = 0
    answered: int = 0
    changed: int = 0
    not_yet: int = 0

    @property
    def response_pct(self) -> int | None:
        return percent(self.answered, self.asked)

    @property
    def changed_pct(self) -> int | None:
        return percent(self.changed, self.answered)


def _manager_counts(requests) -> ManagerCounts:
    counts = requests.aggregate(
        asked=Count("pk", filter=Q(emails__kind="ask", emails__sent_at__isnull=False), distinct=True),
        answered=Count("pk", filter=Q(answered_on__isnull=False), distinct=True),
        changed=Count("pk", filter=Q(practice_changed__in=CHANGED_ANSWERS), distinct=True),
        not_yet=Count("pk", filter=Q(practice_changed="no"), distinct=True),
    )
    return ManagerCounts(**counts)


def _course_managers_signal(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    course = evidence.course
    signal = Signal(label=f"{course.title}: managers' assurance", url=course.get_absolute_url())
    counts = _manager_counts(
        ManagerAssurance.objects.restrict(report).filter(booking__event__course=course).filter(_in_year("due_on", year))
    )
    if not counts.asked:
        signal.gaps.append(f"No line manager was asked about {course.title} in {year.title}.")
        return signal
    signal.activity = True
    signal.findings.append(
        f"{course.title}: {counts.answered} of {counts.asked} line managers answered ({counts.response_pct}%); "
        f"{counts.changed} said practice changed, {counts.not_yet} not yet."
    )
    if counts.answered:
        signal.measured = True
        if counts.changed > counts.answered - counts.changed:
            signal.movement = Movement.IMPROVING
        elif counts.not_yet > counts.changed:
            signal.movement = Movement.WORSENING
    else:
        signal.gaps.append(f"No line manager has answered about {course.title} yet.")
    if counts.response_pct is not None and counts.response_pct < 50:
        signal.gaps.append(f"Only {counts.response_pct}% of line managers answered about {course.title}.")
    return signal


def _actions_signal(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    priority = evidence.outcome.priority
    signal = Signal(label=f"Actions of priority {priority.number}")
    actions = LearningAction.objects.restrict(report).filter(plan_priorities=priority, raised_on__lte=year.end)
    counts = actions.aggregate(
        raised=Count("pk", distinct=True),
        completed=Count("pk", filter=Q(completed_on__isnull=False, completed_on__lte=year.end), distinct=True),
        assured=Count("pk", filter=Q(status=Status.ASSURED), distinct=True),
    )
    if not counts["raised"]:
        signal.gaps.append(f"No action is linked to priority {priority.number}.")
        return signal
    signal.activity = True
    reviews = AssuranceReview.objects.restrict(report).filter(action__in=actions.values("pk"))
    twelve = reviews.filter(kind=ReviewKind.TWELVE_MONTH)
    recorded = twelve.filter(reviewed_on__isnull=False, reviewed_on__lte=year.end)
    review_counts = recorded.aggregate(
        given=Count("pk", filter=Q(assurance_given=True)), not_given=Count("pk", filter=Q(assurance_given=False))
    )
    signal.findings.append(
        f"Priority {priority.number}'s actions: {counts['raised']} raised, {counts['completed']} completed, "
        f"{counts['assured']} assured at 12 months."
    )
    six = reviews.filter(kind=ReviewKind.SIX_MONTH, reviewed_on__isnull=False, reviewed_on__lte=year.end).count()
    if review_counts["given"] or review_counts["not_given"] or six:
        signal.measured = True
        signal.findings.append(
            f"{six} 6-month reviews recorded; 12-month reviews gave assurance {review_counts['given']} times "
            f"and withheld it {review_counts['not_given']} times."
        )
        if review_counts["given"] > review_counts["not_given"]:
            signal.movement = Movement.IMPROVING
        elif review_counts["not_given"] > review_counts["given"]:
            signal.movement = Movement.WORSENING
    waiting = twelve.filter(reviewed_on__isnull=True).order_by("due_on").values_list("due_on", flat=True).first()
    if waiting:
        signal.gaps.append(f"12-month reviews still to come; the next is due {waiting:%-d %B %Y}.")
    if counts["raised"] > counts["completed"]:
        signal.gaps.append(f"{counts['raised'] - counts['completed']} of the priority's actions are not completed.")
    return signal


def _cycle_signal(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    cycle = evidence.cycle
    signal = Signal(label=f"Learning cycle: {cycle.title}", url=cycle.get_absolute_url())
    if cycle.starts_on > year.end:
        signal.gaps.append(f"The learning cycle '{cycle.title}' starts after {year.title}.")
        return signal
    signal.activity = bool(cycle.key_findings.strip() or cycle.areas_of_development.strip() or cycle.assurance.strip())
    voices = Voice.objects.restrict(report).filter(cycle=cycle).values("speaker").annotate(n=Count("pk")).order_by()
    speakers = dict(Speaker.choices)
    heard = {speakers.get(row["speaker"], row["speaker"]).lower(): row["n"] for row in voices}
    if heard:
        signal.measured = True
        signal.findings.append(
            f"{sum(heard.values())} voices heard ({', '.join(f'{n} {s}' for s, n in sorted(heard.items()))})."
        )
    else:
        signal.gaps.append(f"No voices of children, young people or families recorded in '{cycle.title}'.")
    if cycle.difference_made.strip():
        signal.measured = True
        signal.findings.append("Phase 5 recorded what difference it made at 6 months.")
    if cycle.assured_on and cycle.assured_on <= year.end:
        signal.findings.append(f"Phase 6 assurance given {cycle.assured_on:%-d %B %Y}.")
    else:
        signal.gaps.append(f"'{cycle.title}' has no phase 6 (12-month) assurance yet.")
    if signal.findings:  # read in the report's table without its label: say which cycle
        signal.findings[0] = f"'{cycle.title}': {signal.findings[0]}"
    return signal


def _week_signal(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    week = evidence.week
    signal = Signal(label=f"Assurance week: {week.title}", url=week.get_absolute_url())
    if week.starts_on > year.end:
        signal.gaps.append(f"'{week.title}' is after {year.title}.")
        return signal
    signal.activity = True
    counts = (
        ObservedMeeting.objects.restrict(report)
        .filter(week=week)
        .aggregate(
            meetings=Count("pk"),
            children=Count("pk", filter=~Q(child_feedback="")),
            parents=Count("pk", filter=~Q(parent_feedback="")),
            practitioners=Count("pk", filter=~Q(practitioner_feedback="")),
        )
    )
    heard = counts["children"] + counts["parents"]
    signal.findings.append(
        f"{week.title}: {counts['meetings']} meetings; feedback from children at {counts['children']}, parents at {counts['parents']}, "
        f"practitioners at {counts['practitioners']}."
    )
    signal.measured = heard > 0
    if not heard:
        signal.gaps.append(f"No child's or parent's feedback recorded in '{week.title}'.")
    return signal


def signal_for(evidence: Evidence, year: FinancialYear, report: Access) -> Signal:
    kind = evidence.kind
    if kind == EvidenceKind.INDICATOR:
        return _indicator_signal(evidence, year, report)
    if kind in (EvidenceKind.S11_QUESTION, EvidenceKind.S11_SECTION):
        return _s11_signal(evidence, year, report)
    if kind == EvidenceKind.AUDIT:
        return _audit_signal(evidence, year)
    if kind == EvidenceKind.COURSE_KNOWLEDGE:
        return _course_knowledge_signal(evidence, year, report)
    if kind == EvidenceKind.COURSE_FOLLOW_UP:
        return _course_follow_up_signal(evidence, year, report)
    if kind == EvidenceKind.COURSE_MANAGERS:
        return _course_managers_signal(evidence, year, report)
    if kind == EvidenceKind.ACTIONS:
        return _actions_signal(evidence, year, report)
    if kind == EvidenceKind.CYCLE_VOICES:
        return _cycle_signal(evidence, year, report)
    return _week_signal(evidence, year, report)


# --- The chain ----------------------------------------------------------------------------------


@dataclass
class RatedOutcome:
    outcome: Outcome
    signals: list[Signal]
    rating: StrengthRating

    @property
    def strength(self) -> Strength:
        return self.rating.strength


@dataclass
class Learnt:
    cycles: list[LearningCycle]
    reviews_count: int
    reviews_seen: list[CaseReview]
    horizon: list[HorizonScanItem]


@dataclass
class Changed:
    raised: int
    completed: int
    assured: int
    open: int
    procedures: list[VersionTrigger]
    training: list[tuple[object, int, int]]  # (course, completions in the year, organisation categories)


@dataclass
class Chain:
    priority: Priority
    year: FinancialYear
    framework: Framework | None
    learnt: Learnt
    changed: Changed
    outcomes: list[RatedOutcome] = field(default_factory=list)

    @property
    def strength(self) -> Strength:
        return weakest([o.strength for o in self.outcomes])

    @property
    def gaps(self) -> list[str]:
        return [gap for o in self.outcomes for gap in o.rating.gaps]


def _learnt(priority, year, report: Access, viewer: Access | None) -> Learnt:
    cycles = list(
        LearningCycle.objects.restrict(report).filter(priority=priority, starts_on__lte=year.end).order_by("starts_on")
    )
    actions = LearningAction.objects.restrict(report).filter(plan_priorities=priority)
    sources = defaultdict(set)
    for type_id, source_id in actions.exclude(source_id=None).values_list("source_type_id", "source_id"):
        sources[type_id].add(source_id)
    review_ids = sources.get(ContentType.objects.get_for_model(CaseReview).pk, set())
    horizon_ids = sources.get(ContentType.objects.get_for_model(HorizonScanItem).pk, set())
    # Case reviews hold special-category data: counted for everyone, listed for those who see them.
    seen = list(CaseReview.objects.restrict(viewer).filter(pk__in=review_ids)) if viewer is not None else []
    return Learnt(
        cycles=cycles,
        reviews_count=CaseReview.objects.restrict(report).filter(pk__in=review_ids).count(),
        reviews_seen=seen,
        horizon=list(HorizonScanItem.objects.restrict(report).filter(pk__in=horizon_ids)),
    )


def _changed(priority, year, report: Access, viewer: Access | None, cycles, framework) -> Changed:
    actions = LearningAction.objects.restrict(report).filter(plan_priorities=priority, raised_on__lte=year.end)
    counts = actions.aggregate(
        raised=Count("pk", distinct=True),
        completed=Count("pk", filter=Q(completed_on__isnull=False, completed_on__lte=year.end), distinct=True),
        assured=Count("pk", filter=Q(status=Status.ASSURED), distinct=True),
        open=Count("pk", filter=Q(status__in=[Status.OPEN, Status.IN_PROGRESS]), distinct=True),
    )
    # Procedures changed because of the priority's learning: triggered by one of its cycles or actions.
    cycle_type = ContentType.objects.get_for_model(LearningCycle)
    action_type = ContentType.objects.get_for_model(LearningAction)
    triggers = (
        VersionTrigger.objects.restrict(viewer or report)
        .filter(
            Q(source_type=cycle_type, source_id__in=[c.pk for c in cycles])
            | Q(source_type=action_type, source_id__in=list(actions.values_list("pk", flat=True)))
        )
        .select_related("version__document__partnership")
    )
    # The courses tagged with the priority, and those its outcomes read.
    named = Evidence.objects.restrict(report).filter(
        outcome__framework=framework, outcome__priority=priority, course__isnull=False
    )
    course_ids = set(Course.objects.restrict(report).filter(priorities=priority).values_list("pk", flat=True))
    course_ids |= set(named.values_list("course_id", flat=True))
    courses = (
        Course.objects.restrict(report)
        .filter(pk__in=course_ids)
        .filter(completions__completed_on__gte=year.start, completions__completed_on__lte=year.end)
        .annotate(n=Count("completions", distinct=True), categories=Count("completions__category", distinct=True))
        .order_by("-n", "title")
    )
    return Changed(
        raised=counts["raised"],
        completed=counts["completed"],
        assured=counts["assured"],
        open=counts["open"],
        procedures=list(triggers),
        training=[(course, course.n, course.categories) for course in courses],
    )


def chain(priority: Priority, year: FinancialYear, viewer: Access | None = None) -> Chain:
    """The priority's chain for the year, against the framework for its plan. `viewer` decides
    which named records are listed (case reviews, procedures); every figure is the partnership's."""
    report = Access.for_report(priority.partnership)
    framework = framework_for(report, priority.plan)
    learnt = _learnt(priority, year, report, viewer)
    result = Chain(
        priority=priority,
        year=year,
        framework=framework,
        learnt=learnt,
        changed=_changed(priority, year, report, viewer, learnt.cycles, framework),
    )
    if framework is None:
        return result
    outcomes = (
        Outcome.objects.restrict(report)
        .filter(framework=framework, priority=priority)
        .prefetch_related(
            "evidence__indicator__partnership",
            "evidence__s11_question__section__framework__partnership",
            "evidence__s11_section__framework__partnership",
            "evidence__audit__partnership",
            "evidence__course__partnership",
            "evidence__cycle__partnership",
            "evidence__week__partnership",
        )
    )
    for outcome in outcomes:
        signals = [signal_for(evidence, year, report) for evidence in outcome.evidence.all()]
        result.outcomes.append(RatedOutcome(outcome, signals, rate(signals)))
    return result


# --- Managers' assurance: per course and agency -------------------------------------------------


@dataclass
class ManagerRow:
    course: str
    agency: str
    counts: ManagerCounts


def manager_answers(year: FinancialYear, partnership) -> list[ManagerRow]:
    """Asked, answered and practice changed per course and agency (the partnership's figures)."""
    report = Access.for_report(partnership)
    rows = (
        ManagerAssurance.objects.restrict(report)
        .filter(_in_year("due_on", year))
        .values("booking__event__course__title", "agency__name")
        .annotate(
            asked=Count("pk", filter=Q(emails__kind="ask", emails__sent_at__isnull=False), distinct=True),
            answered=Count("pk", filter=Q(answered_on__isnull=False), distinct=True),
            changed=Count("pk", filter=Q(practice_changed__in=CHANGED_ANSWERS), distinct=True),
            not_yet=Count("pk", filter=Q(practice_changed="no"), distinct=True),
        )
        .order_by("booking__event__course__title", "agency__name")
    )
    return [
        ManagerRow(
            row["booking__event__course__title"],
            row["agency__name"] or "No agency recorded",
            ManagerCounts(row["asked"], row["answered"], row["changed"], row["not_yet"]),
        )
        for row in rows
    ]


def manager_examples(viewer: Access, year: FinancialYear):
    """The managers' own words, as far as the viewer may read them (their agency's, or all)."""
    return (
        ManagerAssurance.objects.restrict(viewer, Action.VIEW)
        .filter(_in_year("due_on", year), answered_on__isnull=False)
        .exclude(example="")
        .select_related("booking__event__course", "agency")
        .order_by("-answered_on")
    )


def managers_to_name(viewer: Access):
    """Requests due with no manager to ask, which the viewer may name one for."""
    today = timezone.localdate()
    return (
        ManagerAssurance.objects.restrict(viewer, Action.CHANGE)
        .filter(manager_email="", answered_on__isnull=True, due_on__lte=today)
        .select_related("booking__event__course", "agency", "partnership")
        .order_by("due_on")
    )


def years_with_data(partnership) -> list[FinancialYear]:
    """The years a framework reads: those its business plan runs through."""
    report = Access.for_report(partnership)
    start_month = partnership.financial_year_start_month
    years = set()
    for starts_on, ends_on in Framework.objects.restrict(report).values_list("plan__starts_on", "plan__ends_on"):
        year = FinancialYear.containing(starts_on, start_month)
        while year.start <= ends_on:
            years.add(year)
            year = year.next()
    return sorted(years)


# --- A review's or a cycle's learning over time --------------------------------------------------


@dataclass
class OverTime:
    actions: list[LearningAction]
    completed: int
    six_month: list[AssuranceReview]
    twelve_month: list[AssuranceReview]
    assured: int
    next_look: datetime.date | None
    cannot_show_yet: str  # the plain words when impact cannot be shown yet, else ""


def over_time(source, viewer: Access, today: datetime.date | None = None) -> OverTime:
    """What a case review's or learning cycle's actions have changed, at 6 and 12 months."""
    from jigsaw.actions.queries import actions_for_source

    today = today or timezone.localdate()
    actions = list(actions_for_source(source, viewer).prefetch_related("reviews"))
    reviews = [review for action in actions for review in action.reviews.all()]
    six = [r for r in reviews if r.kind == ReviewKind.SIX_MONTH]
    twelve = [r for r in reviews if r.kind == ReviewKind.TWELVE_MONTH]
    recorded = [r for r in reviews if r.is_recorded]
    waiting = sorted(r.due_on for r in reviews if not r.is_recorded)
    not_completed = [a for a in actions if a.completed_on is None and not a.is_final]
    next_look = waiting[0] if waiting else None
    words = ""
    if not actions:
        words = "No actions have been raised from this learning yet, so there is nothing to show a difference."
    elif not recorded:
        if waiting:
            words = (
                "Impact cannot be shown yet: no action has reached its 6-month review. "
                f"It will be looked at again on {next_look:%-d %B %Y}, when the first review is due."
            )
        elif not_completed:
            due = sorted(a.due_on for a in not_completed if a.due_on)
            words = (
                "Impact cannot be shown yet: the actions are not completed, and the 6- and 12-month reviews "
                "are counted from completion."
            )
            if due and due[0] >= today:
                words += f" It will be looked at again when the first is due, on {due[0]:%-d %B %Y}."
                next_look = due[0]
            elif due:
                words += (
                    f" The first was due on {due[0]:%-d %B %Y} and is overdue: it is looked at again at its "
                    "6-month review, six months after it is completed."
                )
    if isinstance(source, LearningCycle) and not source.assured_on and not words and not twelve_done(twelve):
        if next_look:
            words = (
                f"The difference at 12 months is not known yet: it will be looked at again on {next_look:%-d %B %Y}."
            )
    return OverTime(
        actions=actions,
        completed=sum(1 for a in actions if a.completed_on),
        six_month=sorted(six, key=lambda r: r.due_on),
        twelve_month=sorted(twelve, key=lambda r: r.due_on),
        assured=sum(1 for a in actions if a.status == Status.ASSURED),
        next_look=next_look,
        cannot_show_yet=words,
    )


def twelve_done(twelve: list[AssuranceReview]) -> bool:
    return bool(twelve) and all(r.is_recorded for r in twelve)
