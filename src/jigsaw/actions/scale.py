"""Generated learning log for `jigsaw demo --scale`: about 150 actions a year (at volume 1)
agreed at the year's governance meetings, across themes, owners and every status, completed
ones with their 6- and 12-month assurance reviews, a few stuck ones escalated.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType

from jigsaw.core.models import Theme
from jigsaw.core.scale import Context, generator, staff
from jigsaw.governance.models import Group, Meeting, Priority

from . import services
from .models import ActionEvent, ActionPriority, AssuranceReview, LearningAction, Rag, ReviewKind, Status

# Where the year's actions have got to, as a learning log of a few years looks.
STATUSES = [
    (Status.OPEN, 0.15),
    (Status.IN_PROGRESS, 0.2),
    (Status.COMPLETED, 0.35),
    (Status.ASSURED, 0.2),
    (Status.CLOSED_WITHOUT_ASSURANCE, 0.1),
]
WHAT = [
    "Refresh the guidance on {theme} and brief every team",
    "Audit a sample of cases for {theme} and report back to the PLG",
    "Add {theme} to the induction for new staff",
    "Agree a shared recording standard for {theme}",
    "Bring {theme} data to the Performance Think Tank",
    "Run a practitioner forum on {theme}",
]


@generator
def learning_log(ctx: Context) -> None:
    if LearningAction._base_manager.filter(
        partnership=ctx.partnership, reference__startswith=f"LL-{ctx.year.start_year}-G"
    ).exists():
        return
    meetings = list(
        Meeting._base_manager.filter(partnership=ctx.partnership, held_on__range=(ctx.year.start, ctx.year.end))
        .select_related("group")
        .order_by("held_on", "group__name")
    )
    themes = list(Theme._base_manager.filter(partnership=ctx.partnership).order_by("name"))
    people = staff(ctx.partnership)
    priorities = list(
        Priority._base_manager.filter(
            plan__partnership=ctx.partnership, plan__starts_on__lte=ctx.year.start, plan__ends_on__gte=ctx.year.end
        ).order_by("number")
    )
    executive = Group._base_manager.filter(partnership=ctx.partnership, kind="executive").first()
    meeting_type = ContentType.objects.get_for_model(Meeting)
    actions, chosen_themes, chosen_priorities = [], [], []
    for index in range(1, ctx.scaled(150, floor=5) + 1):
        meeting = ctx.random.choice(meetings) if meetings else None
        raised_on = meeting.held_on if meeting else ctx.day()
        owner = ctx.random.choice(people)
        tagged = ctx.random.sample(themes, ctx.random.choice([1, 1, 2]))
        status = ctx.pick(STATUSES)
        action = LearningAction(
            partnership=ctx.partnership,
            reference=f"LL-{ctx.year.start_year}-G{index:03d}",  # G: generated, apart from id-numbered ones
            description=ctx.random.choice(WHAT).format(theme=tagged[0].name.lower()) + ".",
            source_type=meeting_type if meeting else None,
            source_id=meeting.pk if meeting else None,
            source_label=str(meeting) if meeting else f"Partnership meeting, {raised_on:%-d %B %Y}",
            owner_agency=None if ctx.random.random() < 0.15 else owner.agency,
            owner_person=owner if ctx.random.random() < 0.5 else None,
            priority=ctx.random.choice(ActionPriority.values),
            raised_on=raised_on,
            due_on=raised_on + datetime.timedelta(days=ctx.random.randrange(60, 366)),
            status=status,
        )
        if status in (Status.COMPLETED, Status.ASSURED):
            action.completed_on = raised_on + datetime.timedelta(days=ctx.random.randrange(30, 183))
            action.evidence = "Evidence of the change seen in an audit sample and in supervision records."
        if status == Status.CLOSED_WITHOUT_ASSURANCE:
            action.closure_reason = "Superseded by a wider piece of partnership work."
        if status == Status.OPEN and executive is not None and ctx.random.random() < 0.2:
            action.escalated_to, action.escalated_on = executive, action.due_on
            action.escalation_reason = "Past its due date with no agreed lead."
        actions.append(action)
        chosen_themes.append(tagged)
        chosen_priorities.append(ctx.random.sample(priorities, 1) if priorities and ctx.random.random() < 0.6 else [])
    # Bulk: a large partnership's log grows by hundreds of actions a year, each with its history
    # and reviews. These rows are not individually audited (bulk_create sends no signals).
    LearningAction.objects.bulk_create(actions, batch_size=500)
    LearningAction.themes.through.objects.bulk_create(
        [
            LearningAction.themes.through(learningaction_id=action.pk, theme_id=theme.pk)
            for action, tagged in zip(actions, chosen_themes)
            for theme in tagged
        ],
        batch_size=1000,
    )
    LearningAction.plan_priorities.through.objects.bulk_create(
        [
            LearningAction.plan_priorities.through(learningaction_id=action.pk, priority_id=priority.pk)
            for action, chosen in zip(actions, chosen_priorities)
            for priority in chosen
        ],
        batch_size=1000,
    )
    events, reviews = [], []
    for action in actions:
        events.append(
            ActionEvent(
                action=action,
                kind=ActionEvent.Kind.RAISED,
                happened_on=action.raised_on,
                summary=f"Raised from {action.source_label}.",
            )
        )
        if action.status != Status.OPEN:
            events.append(
                ActionEvent(
                    action=action,
                    kind=ActionEvent.Kind.STATUS,
                    happened_on=action.completed_on or action.raised_on + datetime.timedelta(days=30),
                    summary=f"Open → {Status(action.status).label}.",
                )
            )
        if action.completed_on:
            reviews += _reviews(ctx, action, people)
    ActionEvent.objects.bulk_create(events, batch_size=1000)
    AssuranceReview.objects.bulk_create(reviews, batch_size=1000)
    ctx.add("learning log actions", len(actions))
    ctx.add("action reviews", len(reviews))


def _reviews(ctx: Context, action: LearningAction, people) -> list[AssuranceReview]:
    """The 6- and 12-month reviews of a completed action: an assured one has given assurance at
    12 months; a completed one has had its 6-month review, or neither yet."""
    due = services.review_dates(action.completed_on)
    recorded = (
        {ReviewKind.SIX_MONTH, ReviewKind.TWELVE_MONTH}
        if action.status == Status.ASSURED
        else {ReviewKind.SIX_MONTH}
        if ctx.random.random() < 0.6
        else set()
    )
    reviews = []
    for kind, due_on in due.items():
        review = AssuranceReview(action=action, kind=kind, due_on=due_on)
        if kind in recorded:
            review.rag = Rag.GREEN if action.status == Status.ASSURED else ctx.random.choice(Rag.values)
            review.what_changed = "Practice sampled shows the change is in place."
            review.evidence = "Audit sample and practitioner feedback."
            review.assurance_given = action.status == Status.ASSURED or review.rag != Rag.RED
            review.reviewed_on = due_on + datetime.timedelta(days=ctx.random.randrange(0, 21))
            review.reviewer = ctx.random.choice(people)
        reviews.append(review)
    return reviews
