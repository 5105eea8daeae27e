"""The retention schedule applied: what is past its period is pseudonymised or deleted, what the
schedule keeps is never touched, and a run stopped between batches is carried on without loss."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from jigsaw.actions import services as actions
from jigsaw.actions.models import EvidenceFile
from jigsaw.core import services as core
from jigsaw.core.dates import add_months
from jigsaw.core.models import Person, User
from jigsaw.core.scoping import Role
from jigsaw.policies import services as policies
from jigsaw.policies.models import Subscriber
from jigsaw.privacy import services
from jigsaw.privacy.kinds import KINDS, REMOVED
from jigsaw.privacy.models import RetentionRun
from jigsaw.training.imports import completions_import
from jigsaw.training.models import Completion, Learner

TODAY = datetime.date(2027, 6, 15)
CUTOFF = add_months(TODAY, -36)  # the learners' default period: 15 June 2024


def _import(world, *rows: tuple[str, str, datetime.date]):
    lines = ["Learner,Email,Organisation,Course,Completion date"]
    lines += [
        f"{name},{email},Durham Police,Safeguarding Children Awareness,{day:%d/%m/%Y}" for name, email, day in rows
    ]
    batch = completions_import(
        actor=world.users[Role.BUSINESS_UNIT],
        partnership=world.partnership,
        file_name="export.csv",
        content=("\n".join(lines) + "\n").encode(),
    )
    assert batch.added == len(rows), batch.problems


def _learner(world, email):
    return Learner.objects.get(partnership=world.partnership, email=email) if email else None


def test_a_learner_one_day_inside_the_period_is_kept_and_one_day_past_is_pseudonymised(world):
    _import(
        world,
        ("Ivy Inside", "ivy@police.example", CUTOFF + datetime.timedelta(days=1)),
        ("Lara Lastday", "lara@police.example", CUTOFF),
        ("Pat Past", "pat@police.example", CUTOFF - datetime.timedelta(days=1)),
    )
    past = _learner(world, "pat@police.example")
    run = services.retention_apply(partnership=world.partnership, today=TODAY)

    assert _learner(world, "ivy@police.example").name == "Ivy Inside"
    assert _learner(world, "lara@police.example").name == "Lara Lastday"  # the period's last day: kept
    past.refresh_from_db()
    assert (past.name, past.email, past.organisation, past.pseudonymised_on) == ("Pseudonymised learner", "", "", TODAY)
    assert Completion.objects.filter(learner=past).count() == 1  # still counted
    # The world's own learner trained on 1 May 2024, before the cutoff too.
    assert run.tallies.get(kind="learners").count == 2
    assert run.finished_at and "Learners: 2 pseudonymised" in run.summary
    # Its history no longer holds what was erased.
    content_type = ContentType.objects.get_for_model(Learner)
    for entry in LogEntry.objects.filter(content_type=content_type, object_pk=str(past.pk)):
        assert "Pat Past" not in str(entry.changes) and "pat@police.example" not in str(entry.changes)
    # A re-import of the old export still recognises the completion it counted.
    again = completions_import(
        actor=None,
        partnership=world.partnership,
        file_name="again.csv",
        content=f"Learner,Email,Organisation,Course,Completion date\nPat Past,pat@police.example,Durham Police,Safeguarding Children Awareness,{CUTOFF - datetime.timedelta(days=1):%d/%m/%Y}\n".encode(),
    )
    assert again.added == 0 and again.already_held == 1


def test_the_run_is_idempotent_and_audited(world):
    _import(world, ("Pat Past", "pat@police.example", CUTOFF - datetime.timedelta(days=1)))
    first = services.retention_apply(partnership=world.partnership, today=TODAY)
    second = services.retention_apply(partnership=world.partnership, today=TODAY)
    assert first.pk != second.pk and second.tallies.get(kind="learners").count == 0
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RetentionRun), object_pk=str(first.pk), action=1
    ).get()
    assert "Learners: 2 pseudonymised" in entry.changes["summary"][1]
    assert entry.partnership_index.partnership_id == world.partnership.pk


def test_a_run_stopped_between_batches_is_carried_on_without_loss(world):
    days = [CUTOFF - datetime.timedelta(days=n) for n in range(1, 6)]
    _import(world, *[(f"Past {n}", f"past{n}@police.example", day) for n, day in enumerate(days)])
    _import(world, ("Ivy Inside", "ivy@police.example", CUTOFF + datetime.timedelta(days=1)))

    class Stopped(Exception):
        pass

    def stop(kind, count):
        raise Stopped  # the process dies after the first batch committed

    with pytest.raises(Stopped):
        services.retention_apply(partnership=world.partnership, today=TODAY, batch_size=2, after_batch=stop)
    run = RetentionRun.objects.get(partnership=world.partnership, finished_at__isnull=True)
    assert run.tallies.get(kind="learners").count == 2
    assert Learner.objects.filter(partnership=world.partnership, pseudonymised_on=TODAY).count() == 2

    # The next day's run carries the same run on, counting back from the day it started.
    finished = services.retention_apply(
        partnership=world.partnership, today=TODAY + datetime.timedelta(days=1), batch_size=2
    )
    assert finished.pk == run.pk and finished.resumed == 1 and finished.finished_at
    tally = finished.tallies.get(kind="learners")
    assert (tally.count, tally.cutoff) == (6, CUTOFF)  # five past ones and the world's learner, none twice
    assert Learner.objects.filter(partnership=world.partnership, pseudonymised_on=TODAY).count() == 6
    assert _learner(world, "ivy@police.example").name == "Ivy Inside"
    assert "carried on 1 time" in finished.summary


def test_a_leaver_is_pseudonymised_six_years_after_leaving_and_not_before(world):
    bu = world.users[Role.BUSINESS_UNIT]
    leaver = world.users[Role.PRACTITIONER]
    person = leaver.person
    core.user_set_active(actor=bu, user=leaver, active=False)
    person.refresh_from_db()
    left = person.left_on
    assert left is not None
    # Still here: someone whose sign-in is on has not left, whatever the date says.
    stayer = world.users[Role.MEMBER].person
    core.person_update(actor=bu, person=stayer, left_on=left)

    services.retention_apply(partnership=world.partnership, today=add_months(left, 72))
    person.refresh_from_db()
    assert person.name == "Practitioner Person"  # on its last day

    services.retention_apply(partnership=world.partnership, today=add_months(left, 72) + datetime.timedelta(days=1))
    person.refresh_from_db()
    leaver.refresh_from_db()
    assert person.name.startswith("Former colleague") and person.email == "" and person.pseudonymised_on
    assert leaver.email.endswith("@pseudonymised.invalid") and not leaver.has_usable_password()
    assert Person.objects.get(pk=stayer.pk).name == "Group member Person"
    history = LogEntry.objects.filter(
        content_type__in=[ContentType.objects.get_for_model(Person), ContentType.objects.get_for_model(User)],
        object_pk__in=[str(person.pk), str(leaver.pk)],
    )
    assert history.exists()
    for entry in history:
        assert "practitioner@durham.example" not in str(entry.changes) and "Practitioner Person" not in str(
            entry.changes
        )
        assert "Practitioner Person" not in entry.object_repr


def test_disagreements_evidence_subscribers_and_old_audit_entries(world):
    bu = world.users[Role.BUSINESS_UNIT]
    resolved = datetime.date(2025, 1, 10)
    escalation = policies.escalation_create(
        actor=bu,
        partnership=world.partnership,
        raising_agency=world.police,
        receiving_agency=world.council,
        practitioner_role="Health visitor",
        child_reference="C-0777",
        concern="Threshold for a strategy meeting",
        stage1_on=datetime.date(2024, 12, 1),
    )
    policies.escalation_update(actor=bu, escalation=escalation, resolved_on=resolved, outcome="Agreed a meeting")
    action = actions.action_raise(
        actor=bu,
        partnership=world.partnership,
        description="Revise the escalation guide",
        owner_agency=world.police,
        raised_on=datetime.date(2025, 1, 1),
    )
    actions.evidence_add(
        actor=bu, action=action, files=[SimpleUploadedFile("notes.txt", b"Guide revised.\n", "text/plain")]
    )
    actions.action_set_status(
        actor=bu, action=action, status="completed", evidence="The guide", completed_on=datetime.date(2025, 2, 1)
    )
    subscriber, _ = policies.subscribe(
        partnership=world.partnership, email="never@confirmed.example", topics=["training"]
    )

    day = add_months(resolved, 24)  # the disagreement's last day
    services.retention_apply(partnership=world.partnership, today=day)
    escalation.refresh_from_db()
    assert escalation.child_reference == "C-0777"
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()  # never confirmed, a month on

    run = services.retention_apply(partnership=world.partnership, today=add_months(datetime.date(2025, 2, 1), 36))
    escalation.refresh_from_db()
    assert (escalation.child_reference, escalation.concern, escalation.outcome) == (REMOVED, "", "")
    assert escalation.resolved_on == resolved and escalation.stage1_on  # still counted by stage and time
    assert EvidenceFile.objects.filter(action=action).count() == 1  # on its last day
    run = services.retention_apply(
        partnership=world.partnership, today=add_months(datetime.date(2025, 2, 1), 36) + datetime.timedelta(days=1)
    )
    assert EvidenceFile.objects.filter(action=action).count() == 0
    assert run.tallies.get(kind="evidence").count == 1

    # Audit entries of the partnership older than six years go; none of the last six years do.
    entries = LogEntry.objects.filter(partnership_index__partnership=world.partnership)
    newest = max(e.partnership_index.timestamp for e in entries).date()
    before = entries.count()
    services.retention_apply(partnership=world.partnership, today=add_months(newest, 72))
    assert LogEntry.objects.filter(partnership_index__partnership=world.partnership).count() >= before
    run = services.retention_apply(
        partnership=world.partnership, today=add_months(newest, 72) + datetime.timedelta(days=1)
    )
    assert run.tallies.get(kind="audit").count >= before
    # The run's own entry is written after its audit step: the trail says what was done.
    assert LogEntry.objects.filter(partnership_index__partnership=world.partnership, object_pk=str(run.pk)).exists()


def test_a_partnership_changes_a_rule_and_the_run_follows_it(world):
    _import(world, ("Ivy Inside", "ivy@police.example", CUTOFF + datetime.timedelta(days=1)))
    services.rule_update(
        actor=world.users[Role.BUSINESS_UNIT],
        partnership=world.partnership,
        kind=KINDS["learners"],
        months=12,
        outcome="pseudonymise",
    )
    run = services.retention_apply(partnership=world.partnership, today=TODAY)
    assert not Learner.objects.filter(partnership=world.partnership, name="Ivy Inside").exists()
    assert run.tallies.get(kind="learners").months == 12
    # The other partnership keeps the default.
    assert services.rule_for(world.other, KINDS["learners"]).months == 36


def test_the_daily_command_and_the_task(world, capsys):
    _import(world, ("Pat Past", "pat@police.example", CUTOFF - datetime.timedelta(days=1)))
    call_command("apply_retention", "--partnership", world.partnership.slug, "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert f"{world.partnership.slug}: learners 2" in out
    from jigsaw.privacy.tasks import apply_retention

    result = apply_retention.call(TODAY.isoformat())
    assert result[world.partnership.slug]["learners"] == 0  # already done: nothing twice


def test_the_command_refuses_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a date"):
        call_command("apply_retention", "--date", "31/03/2025")


def test_section_11_evidence_files_go_and_the_answers_stay(world, settings, tmp_path):
    from jigsaw.assurance import services as assurance
    from jigsaw.assurance.models import Answer
    from tests.files import pdf_bytes

    settings.MEDIA_ROOT = str(tmp_path)
    assurance.return_save_answers(
        actor=None,
        assessment_return=world.assessment_return,
        answers={
            world.question: {
                "rating": "green",
                "evidence": "Audited in March.",
                "evidence_file": SimpleUploadedFile("audit.pdf", pdf_bytes("Audit"), "application/pdf"),
            }
        },
    )
    submitted = assurance.return_submit(
        actor=world.users[Role.BUSINESS_UNIT], assessment_return=world.assessment_return
    )
    answer = Answer.objects.get(assessment_return=submitted, question=world.question)
    stored = tmp_path / answer.evidence_file.name
    assert stored.exists()
    day = submitted.submitted_at.date()

    services.retention_apply(partnership=world.partnership, today=add_months(day, 36))
    answer.refresh_from_db()
    assert answer.evidence_file and stored.exists()  # on its last day

    run = services.retention_apply(
        partnership=world.partnership, today=add_months(day, 36) + datetime.timedelta(days=1)
    )
    answer.refresh_from_db()
    assert not answer.evidence_file and not stored.exists()
    assert (answer.rating, answer.evidence) == ("green", "Audited in March.")
    assert run.tallies.get(kind="section11-evidence").count == 1
