"""A small in-process domain event dispatcher.

Use cases queue events on their session with `emit`; they are delivered to subscribers only
after the transaction commits (never for a rollback), so a subscriber (live push, notifications,
Slack, email) never sees work that did not happen, and a slow subscriber never holds a lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_KEY = "feedback_pending_events"


@dataclass(frozen=True)
class DomainEvent:
    name: str  # e.g. "task.status_changed"
    project_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[DomainEvent], None]
BatchSubscriber = Callable[[list[DomainEvent]], None]
_subscribers: list[tuple[frozenset[str] | None, Subscriber]] = []
# Called once per commit with all of its (matching) events: live push sends one message for a
# move that emitted three events.
_batch_subscribers: list[tuple[frozenset[str] | None, BatchSubscriber]] = []
# Told of each subscriber failure after it is logged. Production adds none: a failure is
# logged and delivery goes on. The test suite adds one, so the failure fails the test that
# caused it instead of showing up only as data that never appeared.
FailureHook = Callable[[Callable[..., None], Exception], None]
_failure_hooks: list[FailureHook] = []


def subscribe(fn: Subscriber, names: set[str] | None = None) -> Subscriber:
    _subscribers.append((frozenset(names) if names else None, fn))
    return fn


def subscribe_batch(fn: BatchSubscriber, names: set[str] | None = None) -> BatchSubscriber:
    _batch_subscribers.append((frozenset(names) if names else None, fn))
    return fn


def unsubscribe(fn: Subscriber | BatchSubscriber) -> None:
    _subscribers[:] = [(n, f) for n, f in _subscribers if f is not fn]
    _batch_subscribers[:] = [(n, f) for n, f in _batch_subscribers if f is not fn]


def add_failure_hook(fn: FailureHook) -> FailureHook:
    _failure_hooks.append(fn)
    return fn


def remove_failure_hook(fn: FailureHook) -> None:
    _failure_hooks[:] = [f for f in _failure_hooks if f is not fn]


def _failed(fn: Callable[..., None], exc: Exception) -> None:
    for hook in list(_failure_hooks):
        try:
            hook(fn, exc)
        except Exception:
            log.exception("event failure hook %r failed", hook)


def emit(session: Session, name: str, project_id: int | None = None, **payload: Any) -> None:
    session.info.setdefault(_KEY, []).append(DomainEvent(name, project_id, payload))


def discard(session: Session) -> None:
    """Drop the events of a unit of work that did not commit."""
    session.info.pop(_KEY, None)


def _deliver(events: list[DomainEvent]) -> None:
    # Batch subscribers first: live push is what someone is watching, notifications can wait.
    for names, fn in list(_batch_subscribers):
        batch = [ev for ev in events if names is None or ev.name in names]
        if batch:
            try:
                fn(batch)
            except Exception as exc:  # a subscriber must never undo or fail the user's action
                log.exception("event subscriber %r failed on %d events", fn, len(batch))
                _failed(fn, exc)
    for ev in events:
        for names, fn in list(_subscribers):
            if names is None or ev.name in names:
                try:
                    fn(ev)
                except Exception as exc:  # a subscriber must never undo or fail the user's action
                    log.exception("event subscriber %r failed on %s", fn, ev.name)
                    _failed(fn, exc)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    events = session.info.pop(_KEY, None)
    if events:
        _deliver(events)


@sa_event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop(_KEY, None)
