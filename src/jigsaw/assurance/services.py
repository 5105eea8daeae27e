"""Writes for assurance: every change validated, in one transaction, attributed to `actor`."""

from __future__ import annotations

import datetime
import random
import secrets
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jigsaw.actions.services import action_raise
from jigsaw.core import boundary, tables, uploads
from jigsaw.core import files as file_store
from jigsaw.core.audit import attributed_to
from jigsaw.core.services import Children, Copies, copy_as_next_version, save, validate

from .models import (
    Answer,
    AssurancePresentation,
    AssuranceWeek,
    Audit,
    CctvReview,
    CctvSample,
    FollowUpSession,
    Framework,
    InjuryLevel,
    JtaiEvaluation,
    JtaiTheme,
    ObservedMeeting,
    Question,
    Rating,
    RestraintImport,
    RestraintIncident,
    RestraintType,
    Return,
    ReturnShare,
    ReturnStatus,
    Round,
    ScrutinyActivity,
    Section,
    SiteVisit,
)

# --- Frameworks: versioned ----------------------------------------------------------------------


def framework_create(*, actor, partnership, name: str, introduction: str = "") -> Framework:
    return save(Framework(partnership=partnership, name=name, introduction=introduction), actor=actor)


def framework_in_use(framework: Framework) -> bool:
    return Return.objects.filter(round__framework=framework).exists()


# What the next version of the tool copies: its sections and their questions, as they stand.
NEXT_VERSION = {
    "fields": ("name", "introduction"),
    "children": (
        Children(
            "sections",
            "framework",
            ("number", "title"),
            children=(Children("questions", "section", ("number", "text", "code", "guidance", "evidence_expected")),),
        ),
    ),
    "refusal": "A newer version of this tool exists: change that one instead.",
}


def framework_editable(*, actor, framework: Framework) -> tuple[Framework, Copies]:
    """The version an edit goes into: the framework itself while no round uses it, otherwise a
    new version copied from it (returns keep the version they were answered against). Returns
    the version and what was copied (`copies.of(section)` is the section an edit changes)."""
    if not framework_in_use(framework):
        return framework, Copies()  # no copy: the callers' own records are the ones to change
    return copy_as_next_version(framework, actor=actor, **NEXT_VERSION)


def framework_update(*, actor, framework: Framework, **fields) -> Framework:
    with transaction.atomic():
        version, _ = framework_editable(actor=actor, framework=framework)
        return save(version, actor=actor, fields=fields)


def section_add(*, actor, framework: Framework, title: str, number: int | None = None) -> Section:
    with transaction.atomic():
        version, _ = framework_editable(actor=actor, framework=framework)
        if number is None:
            number = (max(version.sections.values_list("number", flat=True), default=0)) + 1
        return save(
            Section(partnership=version.partnership, framework=version, number=number, title=title), actor=actor
        )


def question_add(
    *,
    actor,
    section: Section,
    text: str,
    guidance: str = "",
    evidence_expected: str = "",
    number: int | None = None,
    code: str = "",
) -> Question:
    with transaction.atomic():
        _, copies = framework_editable(actor=actor, framework=section.framework)
        section = copies.of(section)
        if number is None:
            number = (max(section.questions.values_list("number", flat=True), default=0)) + 1
        return save(
            Question(
                partnership=section.partnership,
                section=section,
                number=number,
                text=text,
                guidance=guidance,
                evidence_expected=evidence_expected,
                code=code,
            ),
            actor=actor,
        )


def question_update(*, actor, question: Question, **fields) -> Question:
    # Compared with what is stored: the page's form has already set its values on `question`.
    stored = Question._base_manager.filter(pk=question.pk).values(*fields).get()
    if {name for name, value in fields.items() if stored[name] != value} <= {"code"}:
        # The shared reference maps the question to another partnership's tool; the question
        # answered is unchanged, so the version its returns were answered against takes it.
        return save(question, actor=actor, fields=fields)
    with transaction.atomic():
        _, copies = framework_editable(actor=actor, framework=question.section.framework)
        return save(copies.of(question), actor=actor, fields=fields)


# --- Rounds and returns --------------------------------------------------------------------------


def round_create(*, actor, partnership, **fields) -> Round:
    return save(Round(partnership=partnership), actor=actor, fields=fields)


def participant_invite(*, actor, round: Round, participant, agency=None, service: str, locality: str = "") -> Return:
    """Invite someone to complete the round's tool for their service: their return, not started."""
    agency = agency or participant.agency
    if agency is None:
        raise ValidationError({"agency": "Choose the agency the participant completes the tool for."})
    if Return.objects.filter(round=round, participant=participant).exists():
        raise ValidationError({"participant": f"{participant} is already invited to this round."})
    with transaction.atomic():
        invited = save(
            Return(
                partnership=round.partnership,
                round=round,
                agency=agency,
                service=service,
                locality=locality,
                participant=participant,
            ),
            actor=actor,
        )
        _carry_forward(actor=actor, assessment_return=invited)
    return invited


def question_map(source: Framework, target: Framework, *, same_lineage: bool = False) -> dict[int, Question]:
    """Which question of `target` each question of `source` is, by id: the same tool version
    (name and version) matches section and question numbers; otherwise questions match by their
    shared reference (`code`), and, along one partnership's own versions of a tool, by unchanged
    wording in the same place; versions of one tool the business unit mapped question by question
    (`framework_map_previous`) match as mapped, 'no equivalent' included. Questions of `target`
    left unmatched are its local questions."""
    theirs = list(Question._base_manager.filter(section__framework=source).select_related("section"))
    ours = list(Question._base_manager.filter(section__framework=target).select_related("section"))
    if source.pk == target.pk or (source.name == target.name and source.version == target.version):
        by_number = {(q.section.number, q.number): q for q in ours}
        return {q.pk: by_number[key] for q in theirs if (key := (q.section.number, q.number)) in by_number}
    by_code = {q.code: q for q in ours if q.code}
    found = {q.pk: by_code[q.code] for q in theirs if q.code and q.code in by_code}
    if same_lineage:
        by_wording = {(q.section.number, q.number, q.text.strip()): q for q in ours}
        for q in theirs:
            if q.pk not in found and (key := (q.section.number, q.number, q.text.strip())) in by_wording:
                found[q.pk] = by_wording[key]
    mapped = versions_mapped(source, target)
    if mapped is not None:
        for source_id, question in mapped.items():
            if question is None:
                found.pop(source_id, None)  # the business unit said it has no equivalent
            else:
                found[source_id] = question
    return found


def _mapped_back(newer: Framework, version: int) -> tuple[dict[int, Question | None], Framework] | None:
    """`newer`'s questions -> the same questions in its partnership's own `version` of the tool (None:
    no equivalent), along the versions between, each mapped by the business unit; and that older
    version. None when a version on the way is not mapped."""
    current = newer
    chain = {q.pk: q for q in Question._base_manager.filter(section__framework=newer)}
    while current.version > version:
        if current.previous_id is None or current.mapped_at is None:
            return None
        equivalents = dict(Question._base_manager.filter(section__framework=current).values_list("pk", "equivalent_id"))
        older = Question._base_manager.in_bulk([pk for pk in equivalents.values() if pk])
        chain = {start: (older.get(equivalents.get(q.pk)) if q is not None else None) for start, q in chain.items()}
        current = Framework._base_manager.get(pk=current.previous_id)
    return (chain, current) if current.version == version else None


def versions_mapped(source: Framework, target: Framework) -> dict[int, Question | None] | None:
    """Two versions of one tool (in one partnership, or in two running the same tool): each question
    of `source` -> its question in `target` as the business unit of the newer version mapped them
    (None: no equivalent). None when nobody has mapped the versions between."""
    if source.name != target.name or source.version == target.version:
        return None
    newer, older = (source, target) if source.version > target.version else (target, source)
    found = _mapped_back(newer, older.version)
    if found is None:
        return None
    chain, own_older = found
    # `own_older` is the newer tool's partnership's copy of the older version: the same tool as
    # `older`, so its questions are `older`'s by section and question number.
    older_questions = {
        (q.section.number, q.number): q
        for q in Question._base_manager.filter(section__framework=older).select_related("section")
    }
    own = {
        q.pk: older_questions.get((q.section.number, q.number))
        for q in Question._base_manager.filter(section__framework=own_older).select_related("section")
    }
    newer_to_older = {start: (own.get(q.pk) if q is not None else None) for start, q in chain.items()}
    if newer is source:
        return newer_to_older
    mapped: dict[int, Question | None] = {q.pk: None for q in older_questions.values()}
    targets = Question._base_manager.in_bulk(list(newer_to_older))
    for start, q in newer_to_older.items():
        if q is not None:
            mapped[q.pk] = targets[start]
    return mapped


def framework_map_previous(*, actor, framework: Framework, equivalents: dict) -> Framework:
    """Say which question of the previous version each question of this version is (`equivalents`
    maps a question's id to a question of the previous version, or None for no equivalent), so a
    return answered against one version can be shared with a partnership on the other. Every
    question must be mapped, and no two to the same question; errors name the question."""
    previous = framework.previous
    if previous is None:
        raise ValidationError(f"{framework} is the first version of the tool: there is no previous version to map to.")
    questions = list(Question._base_manager.filter(section__framework=framework).select_related("section"))
    older = {q.pk: q for q in Question._base_manager.filter(section__framework=previous).select_related("section")}
    errors, taken = {}, {}
    for question in questions:
        key = f"question_{question.pk}"
        if question.pk not in equivalents:
            errors[key] = (
                f"Question {question.reference}: choose the question of version {previous.version} it is, "
                "or 'No equivalent'."
            )
            continue
        chosen = equivalents[question.pk]
        chosen_id = getattr(chosen, "pk", chosen)
        if chosen_id is None:
            continue
        if chosen_id not in older:
            errors[key] = f"Question {question.reference}: choose a question of version {previous.version}."
        elif chosen_id in taken:
            errors[key] = (
                f"Question {question.reference}: question {older[chosen_id].reference} of version "
                f"{previous.version} is already mapped to question {taken[chosen_id].reference}. Choose another, "
                "or 'No equivalent'."
            )
        else:
            taken[chosen_id] = question
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for question in questions:
            chosen_id = getattr(equivalents[question.pk], "pk", equivalents[question.pk])
            if question.equivalent_id != chosen_id:
                # Which question it is in the previous version, not what is asked: no new version.
                save(question, actor=actor, fields={"equivalent": older.get(chosen_id)})
        return save(framework, actor=actor, fields={"mapped_at": timezone.now()})


def _carry_forward(*, actor, assessment_return: Return) -> None:
    """A new round starts from the agency's previous submitted return for the same service: each
    answer carried as a draft with its old rating kept, so a changed answer shows old and new."""
    previous = (
        Return.objects.filter(
            partnership=assessment_return.partnership,
            agency=assessment_return.agency,
            service=assessment_return.service,
            status=ReturnStatus.SUBMITTED,
            round__period_start__lt=assessment_return.round.period_start,
        )
        .select_related("round__framework")
        .order_by("-round__period_start", "-submitted_at")
        .first()
    )
    if previous is None:
        return
    mapping = question_map(previous.round.framework, assessment_return.round.framework, same_lineage=True)
    carried = [
        Answer(
            partnership=assessment_return.partnership,
            assessment_return=assessment_return,
            question=mapping[old.question_id],
            rating=old.rating,
            previous_rating=old.rating,
            evidence=old.evidence,
            evidence_file=old.evidence_file.name,
        )
        for old in previous.answers.all()
        if old.question_id in mapping
    ]
    if not carried:
        return
    with transaction.atomic(), attributed_to(actor):
        # One insert for the answers; the return's own change below is their audit entry.
        Answer.objects.bulk_create(carried)
        save(assessment_return, actor=actor, fields={"status": ReturnStatus.DRAFT, "carried_from": previous})


def _check_open(assessment_return: Return) -> None:
    if assessment_return.is_submitted:
        raise ValidationError(
            "This return has already been submitted. Ask the business unit to reopen it to change it."
        )


def return_save_answers(*, actor, assessment_return: Return, answers: dict) -> Return:
    """Save ratings as a draft. `answers` maps a Question (or its id) to a dict with `rating`,
    optional `evidence` and `evidence_file`. A blank rating leaves the question unanswered."""
    assessment_return.refresh_from_db(fields=["status"])  # submitted elsewhere since it was read?
    _check_open(assessment_return)
    questions = {
        q.pk: q
        for q in Question.objects.filter(section__framework_id=assessment_return.round.framework_id).select_related(
            "section"
        )
    }
    existing = {a.question_id: a for a in assessment_return.answers.all()}
    errors = {}
    to_save = []
    uploaded, replaced = [], []
    for key, given in answers.items():
        question_id = getattr(key, "pk", key)
        rating = (given.get("rating") or "").strip()
        if question_id not in questions:
            errors[f"question_{question_id}"] = "This question is not in the version of the tool this return uses."
            continue
        if question_id in existing and existing[question_id].shared_from_id:
            if rating and rating != existing[question_id].rating:
                q = questions[question_id]
                errors[f"question_{question_id}"] = (
                    f"Question {q.section.number}.{q.number} carries the answer the organisation shared from "
                    "another partnership: it can be changed only there."
                )
            continue
        if not rating:
            continue
        if rating not in Rating.values:
            errors[f"question_{question_id}"] = (
                f"Choose red, amber or green for question {questions[question_id].section.number}.{questions[question_id].number}, not '{rating}'."
            )
            continue
        answer = existing.get(question_id) or Answer(
            partnership=assessment_return.partnership,
            assessment_return=assessment_return,
            question=questions[question_id],
        )
        answer.rating = rating
        answer.evidence = given.get("evidence", answer.evidence) or ""
        if given.get("evidence_file"):
            try:
                uploads.SELF_ASSESSMENT_EVIDENCE.check(given["evidence_file"])
            except ValidationError as error:
                errors[f"file_{question_id}"] = error.messages
                continue
            if answer.evidence_file:
                replaced.append(answer.evidence_file.name)
            answer.evidence_file = given["evidence_file"]
            uploaded.append((f"file_{question_id}", answer))
        to_save.append(answer)
    if errors:
        raise ValidationError(errors)
    with (
        file_store.saving(uploaded[0][0] if uploaded else None) as storing,
        transaction.atomic(),
        attributed_to(actor),
    ):
        for _, answer in uploaded:
            storing.watch(answer.evidence_file)
        for name in replaced:  # a new file replaces the answer's old one once the answer is saved
            file_store.delete_on_commit(name)
        # New answers go in as one insert (a full return is a few hundred rows); the return's
        # own change below is the audit entry for them. Changed answers are saved one by one.
        changed = [answer for answer in to_save if answer.pk is not None]
        Answer.objects.bulk_create([answer for answer in to_save if answer.pk is None])
        for answer in changed:
            answer.save()
        save(assessment_return, actor=actor, fields={"status": ReturnStatus.DRAFT, "answers_saved_at": timezone.now()})
    return assessment_return


def return_submit(*, actor, assessment_return: Return) -> Return:
    """Submit once: every question rated. The business unit can reopen it."""
    with transaction.atomic():
        locked = Return.objects.select_for_update().get(pk=assessment_return.pk)
        _check_open(locked)
        answered = set(locked.answers.values_list("question_id", flat=True))
        missing = (
            Question.objects.filter(section__framework_id=locked.round.framework_id)
            .exclude(pk__in=answered)
            .select_related("section")
        )
        if missing:
            numbers = ", ".join(f"{q.section.number}.{q.number}" for q in missing[:10])
            raise ValidationError(
                f"Rate every question before you submit: {missing.count()} not rated ({numbers}{'…' if missing.count() > 10 else ''})."
            )
        submitted = save(locked, actor=actor, fields={"status": ReturnStatus.SUBMITTED, "submitted_at": timezone.now()})
        # Resubmitted after a reopening: every partnership it is shared with receives the new answers.
        for share in ReturnShare.objects.filter(source=submitted, withdrawn_at__isnull=True).select_related("target"):
            _fill_shared(actor=actor, share=share)
        return submitted


def return_reopen(*, actor, assessment_return: Return) -> Return:
    assessment_return.refresh_from_db(fields=["status", "submitted_at"])
    if not assessment_return.is_submitted:
        raise ValidationError("Only a submitted return can be reopened.")
    if ReturnShare.objects.filter(target=assessment_return, withdrawn_at__isnull=True).exists():
        raise ValidationError(
            "This return holds the answers an organisation shared from another partnership: it can be changed only "
            "there, or the share withdrawn."
        )
    return save(assessment_return, actor=actor, fields={"status": ReturnStatus.DRAFT, "submitted_at": None})


# --- One return shared with each partnership the organisation serves ------------------------------


def return_share(*, actor, assessment_return: Return, partnership) -> ReturnShare:
    """Share a submitted return with another partnership its organisation serves: its answers
    (and evidence) fill the return that partnership invited the organisation's agency to, where
    they are read-only. Refused, with nothing written, when the organisation does not serve the
    partnership, has not been invited there, or the two tools share no question."""
    source = assessment_return
    source.refresh_from_db(fields=["status"])
    if not source.is_submitted:
        raise ValidationError("Submit the return before sharing it: only the organisation's answer is shared.")
    if ReturnShare.objects.filter(target=source, withdrawn_at__isnull=True).exists():
        raise ValidationError("These answers were shared with this partnership: share them from where they were given.")
    if partnership.pk == source.partnership_id:
        raise ValidationError({"partnership": "Choose another partnership: this return is already this partnership's."})
    agency = boundary.serves(source.agency.organisation, partnership)
    if ReturnShare.objects.filter(source=source, target__partnership=partnership, withdrawn_at__isnull=True).exists():
        raise ValidationError({"partnership": f"This return is already shared with {partnership}."})
    target = (
        Return._base_manager.filter(partnership=partnership, agency=agency)
        .exclude(status=ReturnStatus.SUBMITTED)
        .exclude(pk__in=ReturnShare.objects.filter(withdrawn_at__isnull=True).values("target"))
        .select_related("round__framework")
        .order_by("-round__period_start", "pk")
        .first()
    )
    if target is None:
        raise ValidationError(
            {
                "partnership": f"{partnership} has not invited {agency} to a self-assessment round that is still open: "
                "ask its business unit to invite it first."
            }
        )
    theirs, ours = target.round.framework, source.round.framework
    mapping = question_map(ours, theirs)
    if not mapping:
        if ours.name == theirs.name and versions_mapped(ours, theirs) is not None:
            raise ValidationError(
                {
                    "partnership": f"{partnership}'s round '{target.round}' uses version {theirs.version} of {theirs.name}: "
                    f"as mapped, no question of version {ours.version} has an equivalent there, so nothing can be shared."
                }
            )
        if ours.name == theirs.name:
            newer = theirs if theirs.version > ours.version else ours
            older = ours if newer is theirs else theirs
            raise ValidationError(
                {
                    "partnership": f"{partnership}'s round '{target.round}' uses version {theirs.version} of {theirs.name} "
                    f"and this return answers version {ours.version}, and nobody has mapped the questions of version "
                    f"{newer.version} to version {older.version}: {newer.partnership}'s business unit maps them on the "
                    "tool's page before the return can be shared."
                }
            )
        raise ValidationError(
            {
                "partnership": f"{partnership}'s round '{target.round}' uses {theirs}, not {ours}, and no question of "
                "the two carries the same shared reference: map the questions (give them the same shared "
                "reference) before sharing."
            }
        )
    with transaction.atomic():
        share = save(
            ReturnShare(partnership=source.partnership, source=source, target=target, shared_at=timezone.now()),
            actor=actor,
        )
        _fill_shared(actor=actor, share=share, mapping=mapping)
    return share


def _fill_shared(*, actor, share: ReturnShare, mapping: dict | None = None) -> None:
    """Put the source's answers into the target return (replacing what the share put there
    before); submitted there when no local question of its own is left to answer."""
    source, target = share.source, Return._base_manager.select_related("round__framework").get(pk=share.target_id)
    if mapping is None:
        mapping = question_map(source.round.framework, target.round.framework)
    with transaction.atomic(), attributed_to(actor):
        Answer._base_manager.filter(assessment_return=target).filter(
            Q(shared_from__isnull=False) | Q(question__in=[q.pk for q in mapping.values()])
        ).delete()
        copies = [
            Answer(
                partnership=target.partnership,
                assessment_return=target,
                question=mapping[answer.question_id],
                rating=answer.rating,
                previous_rating=answer.previous_rating,
                evidence=answer.evidence,
                evidence_file=answer.evidence_file.name,
                shared_from=answer,
            )
            for answer in source.answers.all()
            if answer.question_id in mapping
        ]
        Answer.objects.bulk_create(copies)
        local = Question._base_manager.filter(section__framework=target.round.framework_id).exclude(
            pk__in=Answer._base_manager.filter(assessment_return=target).values("question")
        )
        now = timezone.now()
        status = (
            {"status": ReturnStatus.DRAFT, "submitted_at": None}
            if local.exists()
            else {
                "status": ReturnStatus.SUBMITTED,
                "submitted_at": now,
            }
        )
        save(target, actor=actor, fields={**status, "answers_saved_at": now})
        save(share, actor=actor, fields={"questions_carried": len(copies)})


def return_share_withdraw(*, actor, share: ReturnShare) -> ReturnShare:
    """Stop sharing: the receiving partnership's return loses the shared answers (its own local
    answers stay, as a draft), and the share is kept as withdrawn in both audit trails."""
    share.refresh_from_db(fields=["withdrawn_at"])
    if not share.is_active:
        raise ValidationError("This share has already been withdrawn.")
    with transaction.atomic(), attributed_to(actor):
        target = Return._base_manager.get(pk=share.target_id)
        Answer._base_manager.filter(assessment_return=target, shared_from__assessment_return=share.source_id).delete()
        left = Answer._base_manager.filter(assessment_return=target).exists()
        save(
            target,
            actor=actor,
            fields={"status": ReturnStatus.DRAFT if left else ReturnStatus.NOT_STARTED, "submitted_at": None},
        )
        return save(share, actor=actor, fields={"withdrawn_at": timezone.now()})


def improvement_action_raise(*, actor, source, description: str, owner_agency=None, due_on=None, raised_on=None):
    """An improvement-plan action in the learning log, from a round (partnership-wide or for an
    agency) or from one return (for its agency)."""
    if isinstance(source, Return):
        owner_agency = owner_agency or source.agency
    return action_raise(
        actor=actor,
        partnership=source.partnership,
        description=description,
        source=source,
        owner_agency=owner_agency,
        due_on=due_on,
        raised_on=raised_on,
    )


def session_create(*, actor, round: Round, **fields) -> FollowUpSession:
    return save(FollowUpSession(partnership=round.partnership, round=round), actor=actor, fields=fields)


def session_update(*, actor, session: FollowUpSession, **fields) -> FollowUpSession:
    return save(session, actor=actor, fields=fields)


# --- Use of restraint ----------------------------------------------------------------------------

IMPORT_COLUMNS = ["reference", "date", "young_person", "restraint_type", "injury_level"]
_TYPE_BY_TEXT = {
    **{value: value for value in RestraintType.values},
    **{label.lower(): value for value, label in RestraintType.choices},
}


def incident_create(*, actor, partnership, **fields) -> RestraintIncident:
    return save(RestraintIncident(partnership=partnership), actor=actor, fields=fields)


def incident_update(*, actor, incident: RestraintIncident, **fields) -> RestraintIncident:
    return save(incident, actor=actor, fields=fields)


def _parse_date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    raise ValueError(f"the date '{text}' is not a date: write it as 2024-05-31 or 31/05/2024")


def restraint_import(*, actor, partnership, setting, file, file_name: str = "") -> RestraintImport:
    """A setting's CSV return (columns: reference, date, young_person, restraint_type,
    injury_level). All or nothing: any bad row refuses the whole file, and every bad row is
    listed by its line number and reason."""
    boundary.require(partnership, setting=setting)
    rows = tables.read_table(
        file_name or getattr(file, "name", "") or "upload.csv", file, limits=uploads.RESTRAINT_TABLE
    )
    _, heading = next(rows, (1, []))
    header = [(name or "").strip().lower() for name in heading]
    missing = [name for name in IMPORT_COLUMNS if name not in header]
    if missing:
        raise ValidationError(
            {
                "file": f"Row 1: the heading row has no column {', '.join(missing)}. Expected: {', '.join(IMPORT_COLUMNS)}."
            }
        )
    known = set(RestraintIncident.objects.filter(setting=setting).values_list("reference", flat=True))
    seen: dict[str, int] = {}
    incidents, problems = [], []
    for line, cells in rows:
        row = {name: (value or "").strip() for name, value in zip(header, cells) if name}
        if not any(row.values()):
            continue
        reasons = []
        reference = row.get("reference", "")
        if not reference:
            reasons.append("the reference is blank")
        elif reference in known:
            reasons.append(f"incident {reference} is already recorded for {setting}")
        elif reference in seen:
            reasons.append(f"incident {reference} is also on row {seen[reference]}")
        seen.setdefault(reference, line)
        try:
            occurred_on = _parse_date(row.get("date", ""))
        except ValueError as error:
            occurred_on = None
            reasons.append(str(error))
        restraint_type = _TYPE_BY_TEXT.get(row.get("restraint_type", "").lower())
        if restraint_type is None:
            reasons.append(
                f"the restraint type '{row.get('restraint_type', '')}' is not one of {', '.join(RestraintType.values)}"
            )
        level_text = row.get("injury_level", "")
        injury_level = int(level_text) if level_text.isdigit() else None
        if injury_level not in InjuryLevel.values:
            reasons.append(f"the injury level '{level_text}' is not 0, 1, 2 or 3")
        incident = RestraintIncident(
            partnership=partnership,
            setting=setting,
            reference=reference,
            occurred_on=occurred_on,
            young_person=row.get("young_person", ""),
            restraint_type=restraint_type or "",
            injury_level=injury_level,
        )
        if not reasons:
            try:
                incident.full_clean(validate_unique=False)
            except ValidationError as error:
                reasons.extend(
                    f"{field.replace('_', ' ')}: {' '.join(messages)}" for field, messages in error.message_dict.items()
                )
        if reasons:
            problems.append(f"Row {line}: {'; '.join(reasons)}.")
        incidents.append(incident)
    if problems:
        raise ValidationError(
            {
                "file": [
                    f"Nothing was imported: {len(problems)} row{'s' if len(problems) != 1 else ''} need correcting.",
                    *problems,
                ]
            }
        )
    if not incidents:
        raise ValidationError({"file": "The file has a heading row but no incidents."})
    with transaction.atomic():
        # One audit entry for the batch (bulk inserts bypass the per-row trail): the import record.
        batch = save(
            RestraintImport(
                partnership=partnership,
                setting=setting,
                file_name=(file_name or getattr(file, "name", "") or "upload.csv")[:200],
                rows=len(incidents),
            ),
            actor=actor,
        )
        RestraintIncident.objects.bulk_create(incidents)
    return batch


def stratified_selection(incidents, *, per_level: int, seed: int) -> list:
    """Up to `per_level` incidents at each injury level, chosen at random from `seed`.

    The same seed over the same incidents always gives the same selection: the incidents are put
    in a fixed order (level, then reference) before the generator draws from them."""
    strata = defaultdict(list)
    for incident in incidents:
        strata[incident.injury_level].append(incident)
    generator = random.Random(seed)
    chosen = []
    for level in sorted(strata):
        stratum = sorted(strata[level], key=lambda incident: incident.reference)
        chosen.extend(generator.sample(stratum, min(per_level, len(stratum))))
    return chosen


def cctv_sample_draw(
    *, actor, partnership, setting, period_start, period_end, per_level: int, seed: int | None = None
) -> CctvSample:
    """Draw and record a sample for CCTV review."""
    boundary.require(partnership, setting=setting)
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    sample = CctvSample(
        partnership=partnership,
        setting=setting,
        period_start=period_start,
        period_end=period_end,
        per_level=per_level,
        seed=seed,
    )
    validate(sample)
    pool = RestraintIncident.objects.filter(
        partnership=partnership, setting=setting, occurred_on__range=(period_start, period_end)
    )
    chosen = stratified_selection(pool, per_level=per_level, seed=seed)
    if not chosen:
        raise ValidationError({"period_end": f"No incidents at {setting} were recorded in that period."})
    return save(sample, actor=actor, fields={"incidents": chosen})


def sample_verify(sample: CctvSample) -> bool:
    """Draw again from the recorded seed: does it give the recorded selection?"""
    pool = RestraintIncident.objects.filter(
        partnership=sample.partnership,
        setting=sample.setting,
        occurred_on__range=(sample.period_start, sample.period_end),
    )
    again = {incident.pk for incident in stratified_selection(pool, per_level=sample.per_level, seed=sample.seed)}
    return again == set(sample.incidents.values_list("pk", flat=True))


def cctv_review_record(*, actor, incident: RestraintIncident, **fields) -> CctvReview:
    return save(CctvReview(partnership=incident.partnership, incident=incident), actor=actor, fields=fields)


def site_visit_record(*, actor, partnership, **fields) -> SiteVisit:
    return save(SiteVisit(partnership=partnership), actor=actor, fields=fields)


# --- Assurance week ------------------------------------------------------------------------------


def week_create(*, actor, partnership, **fields) -> AssuranceWeek:
    return save(AssuranceWeek(partnership=partnership), actor=actor, fields=fields)


def week_update(*, actor, week: AssuranceWeek, **fields) -> AssuranceWeek:
    return save(week, actor=actor, fields=fields)


def meeting_identify(*, actor, week: AssuranceWeek, **fields) -> ObservedMeeting:
    return save(ObservedMeeting(partnership=week.partnership, week=week), actor=actor, fields=fields)


def meeting_update(*, actor, meeting: ObservedMeeting, **fields) -> ObservedMeeting:
    return save(meeting, actor=actor, fields=fields)


def week_action_raise(*, actor, week: AssuranceWeek, description: str, owner_agency=None, due_on=None, raised_on=None):
    return action_raise(
        actor=actor,
        partnership=week.partnership,
        description=description,
        source=week,
        owner_agency=owner_agency,
        due_on=due_on,
        raised_on=raised_on,
    )


# --- Audits, JTAI, scrutiny and presentations ----------------------------------------------------


def audit_save(*, actor, partnership=None, audit: Audit | None = None, themes=None, **fields) -> Audit:
    """Add (with `partnership`) or change (with `audit`) an audit or deep dive."""
    return save(audit or Audit(partnership=partnership), actor=actor, fields={**fields, "themes": themes})


def audit_action_raise(*, actor, audit: Audit, description: str, owner_agency=None, due_on=None, raised_on=None):
    return action_raise(
        actor=actor,
        partnership=audit.partnership,
        description=description,
        source=audit,
        owner_agency=owner_agency,
        due_on=due_on,
        raised_on=raised_on,
    )


def jtai_theme_save(*, actor, partnership=None, theme: JtaiTheme | None = None, **fields) -> JtaiTheme:
    return save(theme or JtaiTheme(partnership=partnership), actor=actor, fields=fields)


def jtai_evaluate(*, actor, theme: JtaiTheme, **fields) -> JtaiEvaluation:
    return save(JtaiEvaluation(partnership=theme.partnership, theme=theme), actor=actor, fields=fields)


def scrutiny_activity_save(
    *, actor, partnership=None, activity: ScrutinyActivity | None = None, **fields
) -> ScrutinyActivity:
    return save(activity or ScrutinyActivity(partnership=partnership), actor=actor, fields=fields)


def presentation_save(
    *, actor, partnership=None, presentation: AssurancePresentation | None = None, **fields
) -> AssurancePresentation:
    return save(presentation or AssurancePresentation(partnership=partnership), actor=actor, fields=fields)
