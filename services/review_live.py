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
from collections.abc import Iterable

from integrations import review_bus
from services import events
from services.background import BatchWorker

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


def _publish(batch: list[tuple[set[int], set[int]]]) -> None:
    ids = set().union(*(i for i, _ in batch))
    projects = set().union(*(p for _, p in batch))
    if not (ids or projects):
        return
    try:
        message: dict = {"tasks": sorted(ids)}
        if projects:
            message["projects"] = sorted(projects)
        review_bus.get_bus().publish(message)
    except Exception:  # a lost push must never stop the next ones
        log.exception("review room publish failed for tasks %s", sorted(ids))


_publisher = BatchWorker("review-live", _publish)
_installed: events.BatchSubscriber | None = None


def _on_commit(batch: list[events.DomainEvent]) -> None:
    ids, projects = task_ids(batch), project_ids(batch)
    if ids or projects:
        _publisher.submit((ids, projects or set()))


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
