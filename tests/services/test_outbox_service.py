"""The outbox: a delivery is queued once, sent once, retried with exponential backoff, given up
after MAX_ATTEMPTS, and never taken by two workers at a time."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from models import OutboxChannel, OutboxMessage, Project
from models.base import utcnow
from services import outbox
from services.db import session_scope
from services.outbox import MAX_ATTEMPTS, OutboxJob

SLACK, EMAIL = OutboxChannel.SLACK, OutboxChannel.EMAIL


@pytest.fixture
def factory(db_url):
    return lambda: session_scope(db_url)


class Recorder:
    """A sender that records what it was given, and fails while told to."""

    def __init__(self, fail_with: Exception | None = None, delay: float = 0.0):
        self.sent: list[OutboxJob] = []
        self.fail_with = fail_with
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, job: OutboxJob) -> None:
        if self.delay:
            time.sleep(self.delay)
        if self.fail_with is not None:
            raise self.fail_with
        with self._lock:
            self.sent.append(job)

    @property
    def ids(self) -> list[int]:
        return [j.id for j in self.sent]


def queue(uow, key: str, channel=SLACK, project_id=None, **payload) -> bool:
    with uow() as s:
        return outbox.enqueue(
            s,
            channel=channel,
            dedupe_key=key,
            payload={"text": key, "path": "/", **payload},
            project_id=project_id,
        )


def message(uow, key: str) -> OutboxMessage:
    with uow() as s:
        return s.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == key)).one()


class Flaky(Exception):
    pass


class Permanent(Exception):
    permanent = True


def test_the_same_delivery_is_queued_once(uow):
    assert queue(uow, "slack:approval:1") is True
    assert queue(uow, "slack:approval:1") is False
    with uow() as s:
        assert len(s.exec(select(OutboxMessage)).all()) == 1


def test_a_due_message_is_sent_once_and_marked_sent(uow, factory):
    queue(uow, "a", path="/tasks/1")
    sender = Recorder()
    now = utcnow()

    first = outbox.deliver_due(factory, now, senders={SLACK: sender})
    second = outbox.deliver_due(factory, now + timedelta(hours=5), senders={SLACK: sender})

    assert (first, second) == (outbox.DeliveryReport(sent=1), outbox.DeliveryReport())
    assert [j.payload for j in sender.sent] == [{"text": "a", "path": "/tasks/1"}]
    row = message(uow, "a")
    assert (row.state.value, row.attempts, row.sent_at, row.last_error) == ("SENT", 1, now, None)


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [(1, 30), (2, 60), (3, 120), (4, 240), (6, 960), (8, 3600), (20, 3600)],
)
def test_backoff_doubles_from_thirty_seconds_up_to_an_hour(attempts, wait):
    assert outbox.backoff(attempts) == timedelta(seconds=wait)


def test_a_failure_is_retried_after_the_backoff_then_sent(uow, factory):
    queue(uow, "b")
    t0 = utcnow()
    down = Recorder(fail_with=Flaky("slack is down"))

    assert outbox.deliver_due(factory, t0, senders={SLACK: down}).retried == 1
    row = message(uow, "b")
    assert (row.state.value, row.attempts) == ("PENDING", 1)
    assert row.next_attempt_at == t0 + timedelta(seconds=30)
    assert "slack is down" in row.last_error

    # not due yet: nothing is attempted
    assert outbox.deliver_due(factory, t0 + timedelta(seconds=29), senders={SLACK: down}) == (
        outbox.DeliveryReport()
    )
    t1 = t0 + timedelta(seconds=30)
    assert outbox.deliver_due(factory, t1, senders={SLACK: down}).retried == 1
    assert message(uow, "b").next_attempt_at == t1 + timedelta(seconds=60)

    up = Recorder()
    t2 = t1 + timedelta(seconds=60)
    assert outbox.deliver_due(factory, t2, senders={SLACK: up}).sent == 1
    row = message(uow, "b")
    assert (row.state.value, row.attempts, row.sent_at, row.last_error) == ("SENT", 3, t2, None)
    assert up.ids == [row.id]


def test_after_max_attempts_a_message_fails_for_good(uow, factory):
    queue(uow, "c")
    down = Recorder(fail_with=Flaky("still down"))
    now = utcnow()
    for _ in range(MAX_ATTEMPTS):
        outbox.deliver_due(factory, now, senders={SLACK: down})
        now = message(uow, "c").next_attempt_at

    row = message(uow, "c")
    assert (row.state.value, row.attempts) == ("FAILED", MAX_ATTEMPTS)
    assert outbox.deliver_due(factory, now + timedelta(days=1), senders={SLACK: Recorder()}) == (
        outbox.DeliveryReport()
    )


def test_a_permanent_error_fails_at_once(uow, factory):
    queue(uow, "d")

    report = outbox.deliver_due(factory, senders={SLACK: Recorder(fail_with=Permanent("bad"))})

    assert report == outbox.DeliveryReport(failed=1)
    assert message(uow, "d").state.value == "FAILED"


def test_a_rate_limit_waits_at_least_as_long_as_asked(uow, factory):
    queue(uow, "e")
    limited = Flaky("rate limited")
    limited.retry_after = 600
    now = utcnow()

    outbox.deliver_due(factory, now, senders={SLACK: Recorder(fail_with=limited)})

    assert message(uow, "e").next_attempt_at == now + timedelta(seconds=600)


def test_one_failing_channel_does_not_hold_up_the_others(uow, factory):
    queue(uow, "slack-1", SLACK)
    queue(uow, "email-1", EMAIL, to="a@b.test")
    mail = Recorder()

    report = outbox.deliver_due(
        factory, senders={SLACK: Recorder(fail_with=Flaky("down")), EMAIL: mail}
    )

    assert report == outbox.DeliveryReport(sent=1, retried=1)
    assert [j.payload["to"] for j in mail.sent] == ["a@b.test"]


def test_a_claimed_message_is_not_taken_by_another_worker_until_its_claim_times_out(uow, factory):
    queue(uow, "f")
    now = utcnow()
    [claimed] = outbox._claim(factory, now, limit=10)  # worker A took it, then died

    assert outbox._claim(factory, now, limit=10) == []
    assert outbox._claim(factory, now + outbox.CLAIM_TIMEOUT - timedelta(seconds=1), 10) == []
    [again] = outbox._claim(factory, now + outbox.CLAIM_TIMEOUT, limit=10)
    assert (again.id, again.attempts) == (claimed.id, 2)


def test_a_late_outcome_from_a_lost_claim_changes_nothing(uow, factory):
    queue(uow, "g")
    now = utcnow()
    [stale] = outbox._claim(factory, now, limit=10)
    [fresh] = outbox._claim(factory, now + outbox.CLAIM_TIMEOUT, limit=10)

    outbox._finish(factory, stale, now, Flaky("late"))

    row = message(uow, "g")
    assert (row.attempts, row.last_error) == (fresh.attempts, None)


def test_two_workers_never_send_the_same_message(uow, factory):
    for i in range(30):
        queue(uow, f"m{i}")
    sender = Recorder(delay=0.01)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait()
            while outbox.deliver_due(factory, senders={SLACK: sender}, limit=4) != (
                outbox.DeliveryReport()
            ):
                pass
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert sorted(sender.ids) == sorted(set(sender.ids)) and len(sender.ids) == 30
    with uow() as s:
        rows = s.exec(select(OutboxMessage)).all()
    assert {(r.state.value, r.attempts) for r in rows} == {("SENT", 1)}


def test_slack_messages_go_where_the_project_says_at_send_time(uow, factory, prod):
    queue(uow, "h", project_id=prod.project.id)
    with uow() as s:
        project = s.get(Project, prod.project.id)
        project.slack_channel = "#nightfall-vfx"
        s.add(project)
    sender = Recorder()

    outbox.deliver_due(factory, senders={SLACK: sender})

    [job] = sender.sent
    assert (job.slack_channel, job.slack_webhook_url, job.project_id) == (
        "#nightfall-vfx",
        None,
        prod.project.id,
    )


def test_a_channel_without_a_sender_is_retried_not_lost(uow, factory):
    queue(uow, "i", EMAIL, to="x@y.test")

    report = outbox.deliver_due(factory, senders={SLACK: Recorder()})

    assert report.retried == 1
    assert "no sender for EMAIL" in message(uow, "i").last_error
