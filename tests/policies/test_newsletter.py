"""The newsletter: double opt-in, signed unsubscribe links, and a digest each subscriber gets
exactly once, however often the sending job runs or is interrupted."""

from __future__ import annotations

import datetime
import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError

from jigsaw.core.scoping import Role
from jigsaw.policies import services, tasks
from jigsaw.policies.models import Delivery, Digest, DigestStatus, Subscriber

TODAY = datetime.date.today()


def confirmed(world, email, topics=("procedures",)):
    _subscriber, token = services.subscribe(partnership=world.partnership, email=email, topics=list(topics))
    return services.subscription_confirm(partnership=world.partnership, token=token)


@pytest.mark.django_db
def test_double_opt_in_then_unsubscribe_from_the_link_in_the_email(world):
    public = world.client(None)
    mail.outbox.clear()
    response = public.post(
        "/durham/public/newsletter/", {"email": "Parent@Example.org", "topics": ["procedures", "training"]}
    )
    assert "Check your email" in response.content.decode()
    subscriber = Subscriber.objects.get(email="parent@example.org")
    assert not subscriber.is_active  # nothing is sent until the link is opened
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    assert "will get the newsletter" in public.get(link).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.is_active

    again = public.post("/durham/public/newsletter/", {"email": "parent@example.org", "topics": ["training"]})
    assert "This email address is already subscribed" in again.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.topics == ["procedures", "training"]

    token = services.unsubscribe_token(subscriber)
    page = public.get(f"/durham/public/newsletter/unsubscribe/{token}/").content.decode()
    assert "Stop sending the newsletter to parent@example.org?" in page
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None  # opening the link alone changes nothing
    assert "is unsubscribed" in public.post(f"/durham/public/newsletter/unsubscribe/{token}/").content.decode()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["not-an-email", "a@b", ""])
def test_an_invalid_email_is_refused(world, email):
    response = world.client(None).post("/durham/public/newsletter/", {"email": email, "topics": ["procedures"]})
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_email"' in page
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_a_forged_or_expired_unsubscribe_link_changes_nothing(world, settings):
    subscriber = confirmed(world, "reader@example.org")
    public = world.client(None)
    token = services.unsubscribe_token(subscriber)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    page = public.post(f"/durham/public/newsletter/unsubscribe/{forged}/").content.decode()
    assert "This link is not valid" in page
    other = signing.dumps({"s": subscriber.pk}, salt="some other purpose")
    assert "This link is not valid" in public.post(f"/durham/public/newsletter/unsubscribe/{other}/").content.decode()
    expired = signing.dumps({"s": subscriber.pk}, salt=services.UNSUBSCRIBE_SALT)
    with mock.patch("time.time", return_value=time.time() + services.UNSUBSCRIBE_MAX_AGE + 60):
        with pytest.raises(ValidationError) as error:
            services.unsubscribe(partnership=world.partnership, token=expired)
    assert "expired" in error.value.message_dict["token"][0]
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None


def compose(world, client):
    form = client.get("/durham/newsletter/digests/new/").content.decode()
    assert "Child protection enquiries" in form  # pre-filled from what was published
    response = client.post(
        "/durham/newsletter/digests/new/",
        {
            "subject": "What's new this month",
            "topics": ["procedures"],
            "body": "# Procedures\n\n- Child protection enquiries",
            "period_start_day": 1,
            "period_start_month": TODAY.month,
            "period_start_year": TODAY.year,
            "period_end_day": TODAY.day,
            "period_end_month": TODAY.month,
            "period_end_year": TODAY.year,
        },
    )
    assert response.status_code == 302, response.content.decode()
    return Digest.objects.get(subject="What's new this month")


@pytest.mark.django_db
def test_each_subscriber_gets_the_digest_once_even_when_the_job_runs_twice(world):
    for n in range(5):
        confirmed(world, f"reader{n}@example.org")
    confirmed(world, "training-only@example.org", topics=["training"])
    services.subscribe(partnership=world.partnership, email="unconfirmed@example.org", topics=["procedures"])
    client = world.client(Role.BUSINESS_UNIT)
    digest = compose(world, client)
    assert "Child protection enquiries" in client.get(digest.get_absolute_url()).content.decode()  # the preview
    mail.outbox.clear()
    client.post(f"/durham/newsletter/digests/{digest.pk}/send/")
    tasks.send_digest.enqueue(digest.pk, "http://testserver/")  # the job runs a second time
    assert sorted(m.to[0] for m in mail.outbox) == [f"reader{n}@example.org" for n in range(5)]
    assert all("/public/newsletter/unsubscribe/" in m.body for m in mail.outbox)
    digest.refresh_from_db()
    assert digest.status == DigestStatus.SENT
    assert "5 subscribers" in client.get(digest.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_interrupted_send_resumes_without_sending_anyone_twice(world, monkeypatch):
    for n in range(7):
        confirmed(world, f"reader{n}@example.org")
    bu = world.users[Role.BUSINESS_UNIT]
    digest = services.digest_create(
        actor=bu,
        partnership=world.partnership,
        subject="Digest",
        period_start=TODAY,
        period_end=TODAY,
        topics=["procedures"],
        body="Hello",
    )
    real_email = tasks._email
    calls = {"n": 0}

    def flaky(*args):
        calls["n"] += 1
        if calls["n"] == 4:
            raise ConnectionError("mail server went away")
        real_email(*args)

    mail.outbox.clear()
    monkeypatch.setattr(tasks, "_email", flaky)
    with pytest.raises(ConnectionError):
        tasks.deliver_digest(digest, batch_size=3)
    assert len(mail.outbox) == 3
    # The claim the dead run left on its batch is taken over once it is stale.
    Delivery.objects.filter(sent_at__isnull=True).exclude(claim="").update(
        claimed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    monkeypatch.setattr(tasks, "_email", real_email)
    tasks.deliver_digest(digest, batch_size=3)
    tasks.deliver_digest(digest, batch_size=3)
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(f"reader{n}@example.org" for n in range(7))
    assert Delivery.objects.filter(digest=digest).count() == 7
