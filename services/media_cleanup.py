"""A deleted version's media files leave storage after its delete commits.

`version.deleted` (services.deletions) carries the storage keys only that version used
(original, proxy, thumbnail, poster). This subscriber removes them, after the commit only: a
delete that rolled back keeps its files, and a file is never gone while its row still says it
is there. Removal runs on one background thread per process (an S3 delete is a network call;
the person's request does not wait for it). A file that cannot be removed is logged and left
(an orphan costs disk space, never a wrong page); nothing retries it.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable

from integrations.storage import Storage, get_storage
from services import events

log = logging.getLogger(__name__)

EVENT = "version.deleted"

_subscriber: events.Subscriber | None = None


class _Remover:
    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def submit(self, storage: Callable[[], Storage], keys: list[str]) -> None:
        # Web workers are forked after import: a thread belongs to the process that started it.
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._queue = queue.SimpleQueue()
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="media-cleanup", daemon=True)
                self._thread.start()
        self._queue.put((storage, keys))

    def flush(self, timeout: float = 10.0) -> bool:
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if isinstance(item, threading.Event):
                item.set()
                continue
            storage, keys = item
            remove(storage(), keys)


_remover = _Remover()


def remove(storage: Storage, keys: list[str]) -> list[str]:
    """Delete these keys; returns those that could not be (logged)."""
    failed = []
    for key in keys:
        try:
            storage.delete(key)
        except Exception:
            log.exception("could not remove %s from storage (deleted version's file)", key)
            failed.append(key)
    return failed


def install(storage: Storage | None = None) -> None:
    """Remove deleted versions' files after commit (the configured storage unless given).
    Calling it again replaces the subscription."""
    global _subscriber
    uninstall()

    def backend() -> Storage:
        return storage or get_storage()

    def on_deleted(ev: events.DomainEvent) -> None:
        keys = [k for k in ev.payload.get("files") or () if k]
        if keys:
            _remover.submit(backend, keys)

    _subscriber = events.subscribe(on_deleted, {EVENT})


def uninstall() -> None:
    global _subscriber
    if _subscriber is not None:
        events.unsubscribe(_subscriber)
        _subscriber = None
        _remover.flush()


def flush(timeout: float = 10.0) -> bool:
    """Wait until every removal submitted so far is done (tests, scripts)."""
    return _remover.flush(timeout)
