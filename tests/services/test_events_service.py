"""Domain events reach subscribers after the commit, never for a rollback, and a subscriber
can neither fail nor undo the action that emitted them."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from sqlmodel import select

from models import Activity, Task
from services import events, tasks
from services.errors import PermissionDenied
from tests.factories import make_task


@pytest.fixture
def subscribed():
    """subscribe() for the length of one test."""
    added = []

    def add(fn, names=None):
        added.append(events.subscribe(fn, names))
        return fn

    yield add
    for fn in added:
        events.unsubscribe(fn)


def test_events_are_delivered_after_the_commit_not_at_emit_or_flush(uow, delivered):
    with uow() as s:
        events.emit(s, "thing.happened", 7, answer=42)
        s.flush()
        assert delivered == []
    assert delivered == [events.DomainEvent("thing.happened", 7, {"answer": 42})]


def test_events_are_delivered_in_the_order_they_were_emitted(uow, delivered):
    with uow() as s:
        for i in range(5):
            events.emit(s, f"step.{i}", None)
    assert [e.name for e in delivered] == [f"step.{i}" for i in range(5)]


def test_no_event_is_delivered_when_the_unit_of_work_rolls_back(uow, delivered):
    with pytest.raises(RuntimeError), uow() as s:
        events.emit(s, "never.happened", None)
        raise RuntimeError("boom")
    assert delivered == []
    with uow() as s:
        events.emit(s, "later", None)
    # the rolled-back event does not leak into a later commit either
    assert [e.name for e in delivered] == ["later"]


def test_events_before_an_explicit_rollback_are_dropped_even_if_the_session_commits_later(
    uow, delivered
):
    with uow() as s:
        s.exec(select(Task)).all()  # the transaction has begun, as in any use case
        events.emit(s, "undone", None)
        s.rollback()
        events.emit(s, "kept", None)
    assert [e.name for e in delivered] == ["kept"]


def test_a_refused_use_case_delivers_nothing(uow, prod, delivered):
    delivered.clear()
    with pytest.raises(PermissionDenied), uow() as s:
        make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")  # emits task.created
        tasks.move(s, actor=prod.other_artist, task_id=prod.task.id, status="DONE")
    assert delivered == []
    with uow() as s:
        assert s.exec(select(Task).where(Task.type == "TRACK")).all() == []


def test_a_use_case_delivers_its_events_once_committed(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="IN_PROGRESS")
        assert delivered == []
    assert [e.name for e in delivered] == [
        "activity.recorded",
        "task.status_changed",
        "task.moved",
    ]
    assert {e.project_id for e in delivered} == {prod.project.id}


def test_a_failing_subscriber_breaks_neither_the_action_nor_the_other_subscribers(
    uow, prod, delivered, subscribed, caplog, subscriber_failures
):
    def broken(_event):
        raise RuntimeError("slack is down")

    subscribed(broken)
    after_broken: list[str] = []
    subscribed(lambda e: after_broken.append(e.name))
    delivered.clear()
    with caplog.at_level(logging.ERROR, logger="services.events"), uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="DONE")
    with uow() as s:
        assert s.get(Task, prod.task.id).status.value == "DONE"
    assert "task.status_changed" in [e.name for e in delivered]
    assert "task.status_changed" in after_broken
    assert "slack is down" in caplog.text
    # the failure hooks (the suite's: fail the test) are told; meant here, so cleared
    assert {(fn, str(exc)) for fn, exc in subscriber_failures} == {(broken, "slack is down")}
    subscriber_failures.clear()


def test_failure_hooks_are_told_of_each_failing_subscriber_and_cannot_break_delivery(
    uow, subscribed, subscriber_failures
):
    def broken_batch(_batch):
        raise ValueError("push is down")

    def broken_hook(_fn, _exc):
        raise RuntimeError("the hook itself is broken")

    heard: list[str] = []
    events.subscribe_batch(broken_batch)
    events.add_failure_hook(broken_hook)
    subscribed(lambda e: heard.append(e.name))
    try:
        with uow() as s:
            events.emit(s, "x", None)
    finally:
        events.unsubscribe(broken_batch)
        events.remove_failure_hook(broken_hook)
    assert heard == ["x"]
    assert [(fn, str(exc)) for fn, exc in subscriber_failures] == [(broken_batch, "push is down")]
    subscriber_failures.clear()


def test_subscribers_may_listen_to_some_names_only(uow, subscribed):
    seen: list[str] = []
    subscribed(lambda e: seen.append(e.name), {"task.assigned"})
    with uow() as s:
        events.emit(s, "task.created", None)
        events.emit(s, "task.assigned", None)
    assert seen == ["task.assigned"]


def test_an_unsubscribed_function_hears_nothing(uow):
    seen: list[str] = []

    def listener(e):
        seen.append(e.name)

    events.subscribe(listener)
    events.unsubscribe(listener)
    with uow() as s:
        events.emit(s, "x", None)
    assert seen == []


def test_a_subscriber_can_write_in_its_own_unit_of_work(uow, prod, subscribed):
    """Notifications and the outbox are written by subscribers, after the action committed."""

    def note_it(event):
        with uow() as s:
            s.add(
                Activity(
                    project_id=event.project_id,
                    verb="audit",
                    target_type="task",
                    target_id=event.payload["task_id"],
                    text=f"heard {event.name}",
                )
            )

    subscribed(note_it, {"task.status_changed"})
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="CHANGES")
    with uow() as s:
        texts = s.exec(select(Activity.text).where(Activity.verb == "audit")).all()
    assert texts == ["heard task.status_changed"]


def test_events_of_one_session_are_not_delivered_by_another(uow, delivered):
    with uow() as a:
        events.emit(a, "from.a", None)
        with uow() as b:
            events.emit(b, "from.b", None)
        assert [e.name for e in delivered] == ["from.b"]
    assert [e.name for e in delivered] == ["from.b", "from.a"]


def test_events_queued_before_a_failure_are_dropped_even_without_database_work(db_url, delivered):
    from services import events as ev
    from services.db import session_scope

    with pytest.raises(RuntimeError), session_scope(db_url) as s:
        ev.emit(s, "task.moved", 1, task_id=1)
        raise RuntimeError("boom")
    with session_scope(db_url) as s:
        s.exec(sa.text("SELECT 1"))
    assert [e.name for e in delivered] == []
