"""Live activity feeds and dashboards, publishing side: after a commit, the topics whose pages
should read again go on the feed bus ({"topics": [...]}).

Topics name what changed, never its content:
- `activity:p<project>` / `activity:t<task>`: an activity row was written (a move, an upload,
  a decision, a comment, an assignment…) or rewritten (a comment's line after an edit or a
  delete), for the project's Activity tab and the task page;
- `dash:p<project>`, `dash:all`: a task, version, comment or decision changed what a dashboard
  scoped to that project (or to the whole studio) shows; `dash:u<user>`: a task was assigned
  to or taken from that artist (their dashboard may not follow the project yet).
Each receiving page reads again with its own viewer's permissions, so a message tells nobody
anything they may not see. Publishing runs on one background thread per process; what queues
up while it is busy goes out as one message.
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Iterable

from sqlmodel import Session, select

from integrations import feed_bus
from models import ProjectMember, Role
from models.enums import STAFF_ROLES
from services import events, permissions
from services.background import BatchWorker
from services.schemas import UserRead

log = logging.getLogger(__name__)

ACTIVITY = "activity.recorded"
ACTIVITY_CHANGED = "activity.changed"  # a line now reads otherwise (services.activity_events)
# What the dashboard's widgets show: tasks (due, status, assignee), uploads and their
# processing state, comments and decisions.
DASHBOARD_EVENTS = frozenset(
    {
        "task.created",
        "task.updated",
        "task.moved",
        "task.status_changed",
        "task.assigned",
        "task.deleted",
        "version.created",
        "version.deleted",
        "version.processing_changed",
        "comment.added",
        "comment.edited",
        "comment.deleted",
        "approval.recorded",
        "project.archived",  # its tasks leave (or come back to) "every project"
        "project.unarchived",
    }
)
DASH_ALL = "dash:all"


def project_activity(project_id: int) -> str:
    return f"activity:p{int(project_id)}"


def task_activity(task_id: int) -> str:
    return f"activity:t{int(task_id)}"


def dashboard(project_id: int) -> str:
    return f"dash:p{int(project_id)}"


def dashboard_of_user(user_id: int) -> str:
    return f"dash:u{int(user_id)}"


def topics(batch: Iterable[events.DomainEvent]) -> set[str]:
    """The topics one commit's events touch."""
    out: set[str] = set()
    for ev in batch:
        if ev.name in (ACTIVITY, ACTIVITY_CHANGED):
            if ev.project_id:
                out.add(project_activity(ev.project_id))
            if ev.payload.get("task_id"):
                out.add(task_activity(ev.payload["task_id"]))
        elif ev.name in DASHBOARD_EVENTS:
            out.add(DASH_ALL)
            if ev.project_id:
                out.add(dashboard(ev.project_id))
            for key in ("artist_id", "previous_artist_id"):
                if ev.name == "task.assigned" and ev.payload.get(key):
                    out.add(dashboard_of_user(ev.payload[key]))
    return out


def _publish(batch: list[set[str]]) -> None:
    names = set().union(*batch)
    if not names:
        return
    try:
        feed_bus.get_bus().publish({"topics": sorted(names)})
    except Exception:  # a lost push must never stop the next ones
        log.exception("feed publish failed for %s", sorted(names))


_publisher = BatchWorker("feed-live", _publish)
_installed: events.BatchSubscriber | None = None
_atexit = False


def _on_commit(batch: list[events.DomainEvent]) -> None:
    names = topics(batch)
    if names:
        _publisher.submit(names)


def install() -> None:
    """Publish what each commit changed for open feeds and dashboards. Idempotent. A script
    whose changes open pages should see calls it too (with Redis they reach every worker)."""
    global _installed, _atexit
    if _installed is None:
        _installed = events.subscribe_batch(
            _on_commit, {ACTIVITY, ACTIVITY_CHANGED, *DASHBOARD_EVENTS}
        )
    if not _atexit:
        atexit.register(flush)  # a script's last changes still go out
        _atexit = True


def uninstall() -> None:
    global _installed
    if _installed is not None:
        events.unsubscribe(_installed)
        _installed = None
        _publisher.flush()


def flush(timeout: float = 10.0) -> bool:
    """Wait until every change submitted so far is published (tests, scripts)."""
    return _publisher.flush(timeout)


def dashboard_topics(
    session: Session, *, actor: UserRead, project_id: int | None = None
) -> list[str]:
    """The topics a viewer's dashboard follows: one project's, the studio's, or (artists)
    their projects' and their own assignments'. Reads no more than the membership."""
    permissions.require(actor, "dashboard.view")
    if project_id is not None:
        return [dashboard(project_id)]
    if Role(actor.role) in STAFF_ROLES:
        return [DASH_ALL]
    member_of = session.exec(
        select(ProjectMember.project_id).where(ProjectMember.user_id == actor.id)
    ).all()
    return sorted({dashboard_of_user(actor.id), *(dashboard(p) for p in member_of)})
