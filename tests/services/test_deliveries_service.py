"""Failed deliveries, for admins and producers: failed and retrying Slack/email messages are
listed (failed first) with where they were going and why they failed; "Retry now" starts a
failed one over and the worker then sends it once; nobody else sees or retries them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models import OutboxChannel, OutboxMessage, OutboxState, Project
from models.base import utcnow
from services import deliveries, outbox
from services.db import session_scope
from services.errors import Conflict, NotFound, PermissionDenied

SLACK, EMAIL = OutboxChannel.SLACK, OutboxChannel.EMAIL


class Down(Exception):
    permanent = True


def queue(uow, key, channel=SLACK, project_id=None, **payload) -> int:
    with uow() as s:
        outbox.enqueue(
            s,
            channel=channel,
            dedupe_key=key,
            payload={"text": key, "path": "/", **payload},
            project_id=project_id,
        )
        return s.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)).one()


def attempt(db_url, fail: Exception | None = None, now=None, sent: list[int] | None = None):
    """One run of the outbox worker with a sender that fails with `fail` (or records ids)."""
    sent = sent if sent is not None else []

    def sender(job):
        if fail is not None:
            raise fail
        sent.append(job.id)

    return outbox.deliver_due(
        lambda: session_scope(db_url), now or utcnow(), senders={SLACK: sender, EMAIL: sender}
    )


@pytest.fixture
def slack_project(uow, prod):
    with uow() as s:
        p = s.get(Project, prod.project.id)
        p.slack_webhook_url = "https://hooks.slack.test/services/T000/B000/secret"
        s.add(p)
    return prod.project


def test_failed_and_retrying_deliveries_are_listed_failed_first(uow, db_url, prod, slack_project):
    failed = queue(uow, "slack:1", project_id=slack_project.id, text="SH010 COMP task approved")
    attempt(db_url, Down("channel_not_found"))
    retrying = queue(uow, "email:1", EMAIL, to="ada@studio.test")
    attempt(db_url, TimeoutError("smtp timed out"))
    queue(uow, "fresh")  # never tried: not a problem (yet)
    sent = queue(uow, "sent:1")
    with uow() as s:
        s.get(OutboxMessage, sent).state = OutboxState.SENT

    with uow() as s:
        listed = deliveries.list_problems(s, actor=prod.producer)

    assert [d.id for d in listed] == [failed, retrying]
    f, r = listed
    assert (f.status, f.channel, f.text, f.attempts, f.can_retry) == (
        "FAILED",
        "SLACK",
        "SH010 COMP task approved",
        1,
        True,
    )
    assert f.target == "Slack webhook"  # never the webhook URL itself
    assert "secret" not in repr(f)
    assert "channel_not_found" in f.error
    assert f.project_code == slack_project.code
    assert (r.status, r.target, r.can_retry) == ("RETRYING", "ada@studio.test", False)
    assert "smtp timed out" in r.error and r.next_attempt_at is not None


def test_retry_now_starts_a_failed_delivery_over_and_it_is_sent_once(uow, db_url, prod):
    mid = queue(uow, "slack:2")
    attempt(db_url, Down("invalid_auth"))

    with uow() as s:
        queued = deliveries.retry(s, actor=prod.producer, delivery_id=mid)
    assert (queued.status, queued.attempts, queued.can_retry) == ("PENDING", 0, False)

    sent: list[int] = []
    assert attempt(db_url, sent=sent).sent == 1
    assert attempt(db_url, now=utcnow() + timedelta(hours=2), sent=sent).sent == 0
    assert sent == [mid]
    with uow() as s:
        assert deliveries.get(s, actor=prod.admin, delivery_id=mid).status == "SENT"
        assert deliveries.list_problems(s, actor=prod.admin) == []


def test_a_retried_delivery_that_fails_again_is_back_to_retrying(uow, db_url, prod):
    mid = queue(uow, "slack:3")
    attempt(db_url, Down("invalid_auth"))
    with uow() as s:
        deliveries.retry(s, actor=prod.admin, delivery_id=mid)
    attempt(db_url, TimeoutError("still slow"))
    with uow() as s:
        again = deliveries.get(s, actor=prod.admin, delivery_id=mid)
    assert (again.status, again.attempts) == ("RETRYING", 1)


def test_only_a_failed_delivery_can_be_retried(uow, db_url, prod):
    retrying = queue(uow, "slack:4")
    attempt(db_url, TimeoutError("slow"))
    sent = queue(uow, "slack:5")
    with uow() as s:
        s.get(OutboxMessage, sent).state = OutboxState.SENT
    for mid, reason in ((retrying, "retried automatically"), (sent, "already delivered")):
        with pytest.raises(Conflict, match=reason), uow() as s:
            deliveries.retry(s, actor=prod.producer, delivery_id=mid)
    with pytest.raises(NotFound), uow() as s:
        deliveries.retry(s, actor=prod.producer, delivery_id=999_999)


def test_a_second_retry_of_the_same_failure_is_refused(uow, db_url, prod):
    mid = queue(uow, "slack:6")
    attempt(db_url, Down("nope"))
    with uow() as s:
        deliveries.retry(s, actor=prod.producer, delivery_id=mid)
    with pytest.raises(Conflict), uow() as s:
        deliveries.retry(s, actor=prod.admin, delivery_id=mid)


@pytest.mark.parametrize("who", ["supervisor", "artist", "client"])
def test_only_admins_and_producers_see_or_retry_deliveries(uow, db_url, prod, who):
    mid = queue(uow, "slack:7")
    attempt(db_url, Down("nope"))
    actor = getattr(prod, who)
    with pytest.raises(PermissionDenied), uow() as s:
        deliveries.list_problems(s, actor=actor)
    with pytest.raises(PermissionDenied), uow() as s:
        deliveries.retry(s, actor=actor, delivery_id=mid)
    with uow() as s:
        assert s.get(OutboxMessage, mid).state is OutboxState.FAILED


def test_a_retried_delivery_reads_as_in_flight_while_a_worker_sends_it(uow, db_url, prod):
    mid = queue(uow, "slack:8")
    attempt(db_url, Down("invalid_auth"))
    with uow() as s:
        queued = deliveries.retry(s, actor=prod.producer, delivery_id=mid)
    assert (queued.error, queued.in_flight) == ("", False)  # the old error is gone, not sent yet
    seen: list[deliveries.DeliveryRead] = []

    def sender(job):
        with uow() as s:
            seen.append(deliveries.get(s, actor=prod.producer, delivery_id=job.id))

    outbox.deliver_due(lambda: session_scope(db_url), utcnow(), senders={SLACK: sender})
    assert [(d.status, d.in_flight, d.can_retry) for d in seen] == [("RETRYING", True, False)]
    with uow() as s:
        done = deliveries.get(s, actor=prod.producer, delivery_id=mid)
    assert (done.status, done.in_flight) == ("SENT", False)
