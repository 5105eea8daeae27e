"""Generated assurance for `jigsaw demo --scale`: a self-assessment round a year answered by
20-40 participants (at volume 1), a multi-agency meeting assurance week, the year's restraint
incidents at the secure children's home, an audit and the scrutineer's plan.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from jigsaw.core import bulk
from jigsaw.core.models import Theme
from jigsaw.core.scale import SECURE_HOME, Context, agency_named, generator, staff

from . import services
from .demo import LENSES, SECTIONS
from .models import (
    Answer,
    AssuranceWeek,
    Audit,
    Consent,
    Framework,
    MeetingType,
    ObservedMeeting,
    Question,
    Rating,
    RestraintIncident,
    RestraintType,
    Return,
    ReturnStatus,
    Round,
    Section,
    SessionKind,
)

FRAMEWORK = "Organisational Safeguarding Assessment"


@generator(once=True)
def framework(ctx: Context) -> None:
    """The self-assessment tool: the demo's nine sections, five questions each."""
    if Framework._base_manager.filter(partnership=ctx.partnership, name=FRAMEWORK).exists():
        return
    tool = services.framework_create(
        actor=None,
        partnership=ctx.partnership,
        name=FRAMEWORK,
        introduction="How well safeguarding standards are embedded in frontline practice (section 11, Children Act 2004).",
    )
    # A new tool no round uses yet: its sections and questions go straight in (section_add and
    # question_add would make a new version only once a round uses it), numbered in order.
    sections = bulk.create(
        Section(partnership=ctx.partnership, framework=tool, number=number, title=title)
        for number, (title, _, _) in enumerate(SECTIONS, start=1)
    )
    bulk.create(
        Question(
            partnership=ctx.partnership,
            section=section,
            number=number,
            text=LENSES[0].format(topic),
            evidence_expected="Supervision notes, audits, training records.",
        )
        for section, (_, _, topics) in zip(sections, SECTIONS)
        for number, topic in enumerate(topics, start=1)
    )
    ctx.add("assessment frameworks")


def _local(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@generator
def self_assessment(ctx: Context) -> None:
    title = f"{FRAMEWORK} {ctx.year.title}"
    if Round._base_manager.filter(partnership=ctx.partnership, title=title).exists():
        return
    tool = Framework._base_manager.filter(partnership=ctx.partnership, name=FRAMEWORK).order_by("-version").first()
    period_end = ctx.year.start + datetime.timedelta(days=152)
    assessment_round = services.round_create(
        actor=None,
        partnership=ctx.partnership,
        title=title,
        framework=tool,
        period_start=ctx.year.start,
        period_end=period_end,
        deadline=period_end + datetime.timedelta(days=7),
    )
    ctx.add("assessment rounds")
    people = staff(ctx.partnership)
    invited = ctx.random.sample(people, min(len(people), ctx.scaled(ctx.random.randrange(20, 41), floor=4)))
    returns = [
        services.participant_invite(
            actor=None,
            round=assessment_round,
            participant=person,
            agency=person.agency,
            service=f"{person.agency.name} front line",
        )
        for person in invited
    ]
    ctx.add("self-assessment returns", len(returns))
    # Green a little more often each year; some sections are harder than others.
    green_by_section = {
        title: min(0.95, green / 100 + 0.02 * (ctx.year.start_year - 2024)) for title, green, _ in SECTIONS
    }
    questions = list(
        Question._base_manager.filter(section__framework=tool)
        .select_related("section")
        .order_by("section__number", "number")
    )
    submitted = [assessment_return for assessment_return in returns if ctx.random.random() < 0.7]
    # A service that answered an earlier round starts from its answers (the invitation carries
    # them forward with their old rating): those are answered again, so results show what moved.
    carried = {
        (answer.assessment_return_id, answer.question_id): answer
        for answer in Answer._base_manager.filter(assessment_return__in=submitted)
    }
    answers, changed = [], []
    for assessment_return in submitted:
        for question in questions:
            green = ctx.random.random() < green_by_section[question.section.title]
            rating = Rating.GREEN if green else ctx.random.choice([Rating.AMBER, Rating.AMBER, Rating.RED])
            evidence = "Seen in supervision notes and audits." if green else "On the service's improvement plan."
            answer = carried.get((assessment_return.pk, question.pk))
            if answer is not None:
                answer.rating, answer.evidence = rating, evidence
                changed.append(answer)
                continue
            answers.append(
                Answer(
                    partnership=ctx.partnership,
                    assessment_return=assessment_return,
                    question=question,
                    rating=rating,
                    evidence=evidence,
                )
            )
    # Bulk: a round is a few thousand answers. The answers are not individually audited, as
    # return_save_answers does for a form; the submitted returns' status change is one update.
    Answer.objects.bulk_create(answers, batch_size=1000)
    Answer.objects.bulk_update(changed, ["rating", "evidence"], batch_size=1000)
    Return.objects.filter(pk__in=[r.pk for r in submitted]).update(
        status=ReturnStatus.SUBMITTED,
        submitted_at=_local(assessment_round.deadline),
        answers_saved_at=_local(assessment_round.deadline),
    )
    ctx.add("self-assessment answers", len(answers))
    for kind, days in (
        (SessionKind.REFLECT_AND_CHALLENGE, 21),
        (SessionKind.LIGHT_TOUCH, 200),
        (SessionKind.ASSURANCE, 380),
    ):
        services.session_create(
            actor=None,
            round=assessment_round,
            kind=kind,
            held_on=assessment_round.deadline + datetime.timedelta(days=days),
            outcome="Partners agreed the improvement plan and reported progress on it.",
        )
    for description in (
        "Make the voice of the child visible in every plan.",
        "Make the harm outside the home pathway known to every service.",
    ):
        services.improvement_action_raise(
            actor=None,
            source=assessment_round,
            description=description,
            raised_on=assessment_round.deadline + datetime.timedelta(days=21),
            due_on=assessment_round.deadline + datetime.timedelta(days=200),
        )
        ctx.add("actions")


@generator
def assurance_week(ctx: Context) -> None:
    starts_on = datetime.date(ctx.year.start_year, 9, 30)
    starts_on -= datetime.timedelta(days=starts_on.weekday())  # the Monday of that week
    if AssuranceWeek._base_manager.filter(partnership=ctx.partnership, starts_on=starts_on).exists():
        return
    week = services.week_create(
        actor=None,
        partnership=ctx.partnership,
        title=f"Multi-agency meeting assurance week {ctx.year.start_year}",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=4),
        findings="The voice of the child should be promoted in every multi-agency meeting.",
    )
    ctx.add("assurance weeks")
    people = staff(ctx.partnership)
    meetings = []
    for _ in range(ctx.scaled(33, floor=6)):
        identified_by = ctx.random.choice(people).agency
        meeting = ObservedMeeting(
            partnership=ctx.partnership,
            week=week,
            meeting_type=ctx.random.choice(MeetingType.values),
            held_on=starts_on + datetime.timedelta(days=ctx.random.randrange(5)),
            identified_by=identified_by,
        )
        draw = ctx.random.random()
        if draw < 0.78:
            observer = ctx.random.choice(people)
            meeting.consent, meeting.observer, meeting.observer_agency = Consent.GIVEN, observer.name, observer.agency
            meeting.observation = "The plan was clear about who does what by when."
            meeting.practitioner_feedback = "Useful to have a fresh pair of eyes."
        elif draw < 0.93:
            meeting.consent = Consent.DECLINED
        else:
            meeting.consent, meeting.moved_outside_window = Consent.GIVEN, True
        meetings.append(meeting)
    # Bulk: the observations of a week; the week itself is audited.
    ctx.add("observed meetings", len(ObservedMeeting.objects.bulk_create(meetings)))


# Injury levels as a secure setting's year looks: mostly none, some minor, very few treated.
INJURY_WEIGHTS = [84, 14, 1, 1]
RESTRAINT_WEIGHTS = [6, 5, 3, 2, 1]


@generator
def restraint(ctx: Context) -> None:
    setting = agency_named(ctx, SECURE_HOME)
    if RestraintIncident._base_manager.filter(
        setting=setting, occurred_on__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    count = ctx.scaled(180, floor=10)
    young_people = max(5, count // 8)
    incidents = [
        RestraintIncident(
            partnership=ctx.partnership,
            setting=setting,
            reference=f"R{ctx.year.start_year}-{number:04d}",
            occurred_on=ctx.day(),
            young_person=f"YP-{ctx.random.randrange(1, young_people + 1):04d}",
            restraint_type=ctx.random.choices(RestraintType.values, weights=RESTRAINT_WEIGHTS)[0],
            injury_level=ctx.random.choices(range(4), weights=INJURY_WEIGHTS)[0],
        )
        for number in range(1, count + 1)
    ]
    # Bulk, as the setting's CSV return is imported: one year's incidents.
    ctx.add("restraint incidents", len(RestraintIncident.objects.bulk_create(incidents, batch_size=1000)))


@generator
def audits_and_scrutiny(ctx: Context) -> None:
    title = f"Multi-agency audit {ctx.year.title}"
    if Audit._base_manager.filter(partnership=ctx.partnership, title=title).exists():
        return
    themes = list(Theme._base_manager.filter(partnership=ctx.partnership).order_by("name"))
    cases = ctx.random.randrange(4, 9)
    good = ctx.random.randrange(cases // 2, cases + 1)
    audit = services.audit_save(
        actor=None,
        partnership=ctx.partnership,
        title=title,
        kind="multi_agency",
        started_on=ctx.year.start + datetime.timedelta(days=180),
        reported_on=ctx.year.start + datetime.timedelta(days=270),
        cases_audited=cases,
        method="Case audit and a reflective discussion.",
        grading=f"Practice was graded good in {good} cases and requires improvement in {cases - good}.",
        findings="Good direct work with children; information from health not always at the strategy discussion.",
        themes=ctx.random.sample(themes, 2),
    )
    services.audit_action_raise(
        actor=None,
        audit=audit,
        description="Invite health to every strategy discussion.",
        raised_on=audit.reported_on,
        due_on=audit.reported_on + datetime.timedelta(days=120),
    )
    ctx.add("audits")
    ctx.add("actions")
    for title, offset, status in (
        ("Attend and assure rapid reviews", 30, "complete"),
        ("Review the partnership's annual report", 400, "complete"),
    ):
        services.scrutiny_activity_save(
            actor=None,
            partnership=ctx.partnership,
            title=f"{title} ({ctx.year.title})",
            planned_for=ctx.year.start + datetime.timedelta(days=offset),
            status=status,
        )
        ctx.add("scrutiny activities")
