"""Live boards, publishing side: after a commit, the cards it changed go on the board bus.

Installed explicitly (`install()`) by the app, and by any process whose changes open boards
should see (the scheduler, a script). One message per commit, whatever the number of events
(or per several commits, when they queue up behind a busy publisher):

    {"s": <sequence>, "cards": [<card>, ...], "gone": [<task id>, ...]}

The work after the commit (number, card read, publish) runs on one background thread per
process, so the person's request returns as soon as the commit is done; batches queued while
it is busy go out as one message. `flush()` waits for it (scripts: it also runs at exit).

Ordering. The sequence number is taken *before* the cards are read, and the read happens
after the commit. So of two messages about the same card, the one with the higher number was
read later and holds the newer state, even when two processes publish in the other order; the
receiving side applies a card only if its number is higher than the last one it applied for
that card. Two people moving the same card at once therefore end on the same final state on
every board.
"""

from __future__ import annotations

import atexit
import logging
import os
import time
from collections.abc import Iterable

from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session as OrmSession

from integrations import realtime
from models import Task
from services import board, events
from services.background import BatchWorker

log = logging.getLogger(__name__)

# tasks.move renumbers a whole column when sort keys get too close; no event names those
# rows, so a transaction that rewrites several tasks' sort keys reports them itself.
RENUMBERED = "task.renumbered"
_SORTED = "feedback_board_sorted"
# Benchmarks: stamp messages (and board feed entries) with the time they were published.
TRACE = os.environ.get("FEEDBACK_BOARD_TRACE") == "1"


_installed: events.BatchSubscriber | None = None
_atexit = False


# Events that change what a card shows. Others (activity, notifications, a version's
# processing steps) are left out: a busy media queue must not flood every open board.
CARD_EVENTS = frozenset(
    {
        "task.created",
        "task.updated",
        "task.moved",
        "task.status_changed",
        "task.assigned",
        "task.deleted",
        RENUMBERED,
        "version.created",
        "version.deleted",
        "version.shared",
        "version.unshared",
        "comment.added",
        "comment.deleted",
        "approval.recorded",
    }
)
# The one processing step a card shows: the latest version is ready (its thumbnail exists).
PROCESSING_CHANGED = "version.processing_changed"


def _changes_a_card(ev: events.DomainEvent) -> bool:
    if ev.name == PROCESSING_CHANGED:
        return ev.payload.get("state") == "READY"
    return ev.name in CARD_EVENTS


def _task_ids(batch: Iterable[events.DomainEvent]) -> set[int]:
    ids: set[int] = set()
    for ev in batch:
        if not _changes_a_card(ev):
            continue
        if ev.payload.get("task_id"):
            ids.add(int(ev.payload["task_id"]))
        ids.update(int(i) for i in ev.payload.get("task_ids") or ())
    return ids


def publish_cards(task_ids: Iterable[int], *, bus: realtime.Bus | None = None) -> int | None:
    """Put the current state of these tasks' cards on the bus; returns the message number."""
    ids = sorted(set(task_ids))
    if not ids:
        return None
    from services.db import read_scope

    bus = bus or realtime.get_bus()
    seq = bus.next_seq()  # before the read: see the module docstring
    with read_scope() as s:
        cards = board.cards_for(s, ids)
    found = {c.id for c in cards}
    message = {
        "s": seq,
        "cards": [board.card_to_wire(c) for c in cards],
        "gone": [i for i in ids if i not in found],
    }
    if TRACE:
        message["t"] = time.time()
    bus.publish(message)
    return seq


def _publish(batch: list[set[int]]) -> None:
    """One message for every commit queued meanwhile, in commit order."""
    ids = set().union(*batch)
    if not ids:
        return
    try:
        publish_cards(ids)
    except Exception:  # a lost push must never stop the next ones
        log.exception("board publish failed for %d tasks", len(ids))


_publisher = BatchWorker("board-publisher", _publish)


def flush(timeout: float = 10.0) -> bool:
    return _publisher.flush(timeout)


def _on_commit(batch: list[events.DomainEvent]) -> None:
    ids = _task_ids(batch)
    if ids:
        _publisher.submit(ids)


def _sorted_here(session: OrmSession) -> set[int]:
    return {
        obj.id
        for obj in session.dirty
        if isinstance(obj, Task)
        and obj.id is not None
        and sa_inspect(obj).attrs.sort_order.history.has_changes()
    }


def _note_sorted(session: OrmSession, _flush_context, _instances) -> None:
    ids = _sorted_here(session)
    if ids:
        session.info.setdefault(_SORTED, set()).update(ids)


def _announce_renumbered(session: OrmSession) -> None:
    ids = session.info.pop(_SORTED, set()) | _sorted_here(session)
    if len(ids) > 1:  # one move rewrites one key; more is a renumbered column (or a bulk move)
        events.emit(session, RENUMBERED, None, task_ids=sorted(ids))


def _forget(session: OrmSession, _previous_transaction) -> None:
    session.info.pop(_SORTED, None)


_LISTENERS = (
    ("before_flush", _note_sorted),
    ("before_commit", _announce_renumbered),
    ("after_soft_rollback", _forget),
)


def install() -> None:
    """Publish every commit's changed cards. Idempotent."""
    global _installed
    if _installed is not None:
        return
    _installed = events.subscribe_batch(_on_commit)
    for name, fn in _LISTENERS:
        sa_event.listen(OrmSession, name, fn)
    global _atexit
    if not _atexit:
        atexit.register(flush)  # a script's last commits still go out
        _atexit = True


def uninstall() -> None:
    global _installed
    if _installed is None:
        return
    events.unsubscribe(_installed)
    _installed = None
    flush()
    for name, fn in _LISTENERS:
        sa_event.remove(OrmSession, name, fn)


def installed() -> bool:
    return _installed is not None
