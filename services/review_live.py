"""Live review rooms, publishing side: after a commit, the tasks whose review room changed go
on the review bus ({"tasks": [id, ...]}).

A comment, a decision, a new version or a step of the media pipeline (delivered from a worker
thread) all change what an open review room or task page shows. The message only names the
tasks: each receiving page reads its room again with its own viewer's permissions, so nothing
one viewer may not see travels to them. Publishing runs on one background thread per process,
so neither a request nor the media pipeline waits for Redis.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Iterable

from integrations import review_bus
from services import events

log = logging.getLogger(__name__)

ROOM_EVENTS = frozenset(
    {
        "comment.added",
        "comment.edited",
        "comment.deleted",
        "approval.recorded",
        "version.created",
        "version.deleted",
        "version.shared",
        "version.unshared",
        "version.processing_changed",
        "task.status_changed",
        "task.deleted",  # an open task page says it is no longer available
    }
)


# What changes a client's portal list: those pages follow projects, not one task.
PORTAL_EVENTS = frozenset(
    {"version.shared", "version.unshared", "approval.recorded", "review_session.changed"}
)


def project_ids(batch: Iterable[events.DomainEvent]) -> set[int]:
    return {int(ev.project_id) for ev in batch if ev.name in PORTAL_EVENTS and ev.project_id}


def task_ids(batch: Iterable[events.DomainEvent]) -> set[int]:
    return {
        int(ev.payload["task_id"])
        for ev in batch
        if ev.name in ROOM_EVENTS and ev.payload.get("task_id")
    }


class _Publisher:
    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def submit(self, ids: set[int], projects: set[int] | None = None) -> None:
        # Web workers are forked after import: a thread belongs to the process that started it.
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._queue = queue.SimpleQueue()
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="review-live", daemon=True)
                self._thread.start()
        self._queue.put((ids, projects or set()))

    def flush(self, timeout: float = 10.0) -> bool:
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            ids: set[int] = set()
            projects: set[int] = set()
            waiting: list[threading.Event] = []
            while True:  # what queued up meanwhile goes out as one message
                if isinstance(item, threading.Event):
                    waiting.append(item)
                else:
                    ids |= item[0]
                    projects |= item[1]
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if ids or projects:
                try:
                    message: dict = {"tasks": sorted(ids)}
                    if projects:
                        message["projects"] = sorted(projects)
                    review_bus.get_bus().publish(message)
                except Exception:  # a lost push must never stop the next ones
                    log.exception("review room publish failed for tasks %s", sorted(ids))
            for done in waiting:
                done.set()


_publisher = _Publisher()
_installed: events.BatchSubscriber | None = None


def _on_commit(batch: list[events.DomainEvent]) -> None:
    ids, projects = task_ids(batch), project_ids(batch)
    if ids or projects:
        _publisher.submit(ids, projects)


def install() -> None:
    """Publish the tasks each commit changed for their review rooms. Idempotent."""
    global _installed
    if _installed is None:
        _installed = events.subscribe_batch(_on_commit, set(ROOM_EVENTS | PORTAL_EVENTS))


def uninstall() -> None:
    global _installed
    if _installed is not None:
        events.unsubscribe(_installed)
        _installed = None
        _publisher.flush()


def flush(timeout: float = 10.0) -> bool:
    """Wait until every change submitted so far is published (tests, scripts)."""
    return _publisher.flush(timeout)
