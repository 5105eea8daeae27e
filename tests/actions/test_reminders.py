"""The daily digest: one email per owner per day, never twice, a failure retried next run."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from jigsaw.actions import reminders, services
from jigsaw.actions.models import ReminderLog, Status
from jigsaw.actions.tasks import send_action_reminders
from jigsaw.core import services as core_services

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 10)


@pytest.fixture
def owners(world):
    asha = core_services.person_create(
        actor=None, partnership=world.partnership, name="Asha Owner", email="asha@durham.example", agency=world.police
    )
    ben = core_services.person_create(
        actor=None, partnership=world.partnership, name="Ben Owner", email="ben@durham.example", agency=world.council
    )
    nobody = core_services.person_create(
        actor=None, partnership=world.partnership, name="No Email", agency=world.council
    )

    def raise_(**kw):
        return services.action_raise(
            actor=None, partnership=world.partnership, raised_on=datetime.date(2024, 4, 1), **kw
        )

    raise_(description="Overdue one", owner_person=asha, due_on=datetime.date(2025, 3, 1))
    raise_(description="Due in 14 days", owner_person=asha, due_on=datetime.date(2025, 3, 24))
    raise_(description="Due in 15 days: not yet", owner_person=asha, due_on=datetime.date(2025, 3, 25))
    done = raise_(description="Review due", owner_person=ben, due_on=datetime.date(2024, 8, 1))
    services.action_set_status(
        actor=None, action=done, status=Status.COMPLETED, evidence="Done.", on=datetime.date(2024, 9, 15)
    )  # 6-month review due 15 Mar 2025
    raise_(description="Owner without email", owner_person=nobody, due_on=datetime.date(2025, 3, 1))
    mail.outbox.clear()  # other apps' example records may have sent mail of their own
    return asha, ben


def test_one_digest_per_owner_listing_what_needs_attention(world, owners):
    run = reminders.send_due(TODAY)
    assert sorted(run.sent) == ["asha@durham.example", "ben@durham.example"]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    asha = by_recipient["asha@durham.example"].body
    assert "Overdue one" in asha and "Due in 14 days" in asha and "not yet" not in asha
    assert "Overdue:" in asha and "Due in the next 14 days:" in asha
    assert (
        "Review due" in by_recipient["ben@durham.example"].body
        and "15 March 2025" in by_recipient["ben@durham.example"].body
    )


def test_running_twice_sends_once(world, owners):
    reminders.send_due(TODAY)
    second = reminders.send_due(TODAY)
    assert len(mail.outbox) == 2
    assert second.sent == [] and second.already_sent == 2
    assert ReminderLog.objects.filter(sent_on=TODAY).count() == 2
    reminders.send_due(TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 4  # a new day, a new digest


def test_a_failing_email_is_logged_and_retried_next_run_without_duplicates(world, owners, monkeypatch, caplog):
    real_send = reminders.send_mail

    def flaky(*, recipient_list, **kwargs):
        if recipient_list == ["ben@durham.example"]:
            raise ConnectionRefusedError("mail server down")
        return real_send(recipient_list=recipient_list, **kwargs)

    monkeypatch.setattr(reminders, "send_mail", flaky)
    first = reminders.send_due(TODAY)
    assert first.sent == ["asha@durham.example"] and first.failed == ["ben@durham.example"]
    assert "ben@durham.example" in caplog.text and "tried again" in caplog.text
    monkeypatch.setattr(reminders, "send_mail", real_send)
    second = reminders.send_due(TODAY)
    assert second.sent == ["ben@durham.example"]
    assert sorted(message.to[0] for message in mail.outbox) == ["asha@durham.example", "ben@durham.example"]


def test_the_task_and_the_command(world, owners):
    result = send_action_reminders.enqueue(TODAY.isoformat())  # the immediate backend in tests
    assert result.return_value["sent"] == 2
    call_command("send_action_reminders", "--date", TODAY.isoformat())
    assert len(mail.outbox) == 2  # the command found today's digests already sent


def test_a_digest_another_run_is_sending_is_not_sent_again_unless_that_run_died(world, owners):
    asha, _ben = owners
    ReminderLog.objects.create(person=asha, sent_on=TODAY)  # claimed by a run still sending
    run = reminders.send_due(TODAY)
    assert run.sent == ["ben@durham.example"] and run.already_sent == 1
    # Ten minutes on, that run has not said it sent: it died, and the next run sends Asha's.
    ReminderLog.objects.filter(person=asha).update(claimed_at=datetime.datetime(2025, 3, 10, 6, tzinfo=datetime.UTC))
    assert reminders.send_due(TODAY).sent == ["asha@durham.example"]
    assert sorted(message.to[0] for message in mail.outbox) == ["asha@durham.example", "ben@durham.example"]
    assert ReminderLog.objects.filter(sent_on=TODAY, sent_at__isnull=False).count() == 2
