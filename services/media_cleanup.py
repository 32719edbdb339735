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
from collections.abc import Callable

from integrations.storage import Storage, get_storage
from services import events
from services.background import BatchWorker

log = logging.getLogger(__name__)

EVENT = "version.deleted"

_subscriber: events.Subscriber | None = None


def _remove_batch(batch: list[tuple[Callable[[], Storage], list[str]]]) -> None:
    for storage, keys in batch:
        remove(storage(), keys)


_remover = BatchWorker("media-cleanup", _remove_batch)


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
            _remover.submit((backend, keys))

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
