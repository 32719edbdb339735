"""Deleting what a studio made by mistake: a version, a task (with its versions).

Who may delete a version: staff (ADMIN, PRODUCER, SUPERVISOR) any version; its uploader their
own while nobody else has commented on it or decided on it. A task: an admin or a producer.
Nothing shared with the client is deleted: a version in the portal or in any review link (or a
task with one) is refused until it is withdrawn (services.sharing.unshare_version), so a client
never loses what they are looking at without the studio deciding so first.

A delete removes the rows (comments, drawings, decisions and review-link entries go with the
version by their foreign keys' ON DELETE CASCADE) and writes what stays as history so that it
leads nowhere dead: activity lines stay (they link to the task, or to nothing once the task is
gone), a deleted comment's line says "comment deleted" as a comment delete does, and a bell
notification that opened the version opens its task (or its project) instead. Version numbers
are never reused: they come from the task's counter (services.versions.next_number).

The media files go after the commit: `version.deleted` carries the storage keys no other
version uses, and services.media_cleanup removes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, or_, select

from models import (
    Activity,
    Approval,
    Comment,
    Notification,
    ReviewSessionVersion,
    Role,
    SchedulerLease,
    Task,
    Version,
)
from services import access, activity, activity_events, events, notifications, permissions, versions
from services.errors import Conflict, NotFound, PermissionDenied
from services.permissions import Target
from services.schemas import UserRead

KEY_FIELDS = ("original_key", "proxy_key", "thumbnail_key", "poster_key")
LEASE_PREFIX = "media-version:"  # services.media_pipeline's lease on a version being processed


@dataclass(frozen=True)
class VersionDeleted:
    version_id: int
    task_id: int
    label: str  # "SH010 COMP v003"


@dataclass(frozen=True)
class TaskDeleted:
    task_id: int
    project_id: int
    label: str  # "SH010 COMP"
    versions: int  # how many versions went with it


# ---------------------------------------------------------------- rules


def touched_by_others(session: Session, version_ids: Iterable[int]) -> set[int]:
    """The versions among version_ids on which someone other than their uploader commented
    (a comment still standing) or recorded a decision."""
    ids = list(version_ids)
    if not ids:
        return set()
    other_commenter = or_(Comment.author_id.is_(None), Comment.author_id != Version.uploaded_by_id)
    other_decider = or_(Approval.user_id.is_(None), Approval.user_id != Version.uploaded_by_id)
    commented = session.exec(
        select(Comment.version_id)
        .join(Version, Version.id == Comment.version_id)
        .where(Comment.version_id.in_(ids), Comment.deleted_at.is_(None), other_commenter)
        .distinct()
    ).all()
    decided = session.exec(
        select(Approval.version_id)
        .join(Version, Version.id == Approval.version_id)
        .where(Approval.version_id.in_(ids), other_decider)
        .distinct()
    ).all()
    return set(commented) | set(decided)


def may_delete_version(actor: UserRead, version: Version, target: Target, touched: bool) -> bool:
    """What the version lists show a Delete for; delete_version applies the same rule."""
    if permissions.can(actor, "version.delete_any", target):
        return True
    return (
        actor.role != Role.CLIENT.value
        and version.uploaded_by_id == actor.id
        and permissions.can(actor, "task.view", target)
        and not touched
    )


def _shared(session: Session, version_ids: list[int]) -> list[int]:
    """The versions among these that a client can see: in the portal or in any review link."""
    if not version_ids:
        return []
    visible = session.exec(
        select(Version.id).where(Version.id.in_(version_ids), Version.is_client_visible)
    ).all()
    linked = session.exec(
        select(ReviewSessionVersion.version_id).where(
            ReviewSessionVersion.version_id.in_(version_ids)
        )
    ).all()
    return sorted(set(visible) | set(linked))


# ---------------------------------------------------------------- use cases


def delete_version(session: Session, *, actor: UserRead, version_id: int) -> VersionDeleted:
    """Delete one version and everything hanging on it; its files go after commit."""
    if actor.role == Role.CLIENT.value:
        raise NotFound("Version not found.")
    access.load_version(session, actor, version_id)  # not found / not theirs to see
    # Locked: a share, a second delete or a comment's feed line waits for this one.
    version = session.exec(select(Version).where(Version.id == version_id).with_for_update()).one()
    task = access.get_or_404(session, Task, version.task_id, "Task")
    target = access.version_target(session, actor, version)
    title = f"{access.parent_code(session, task)} {task.type} {versions.label(version.number)}"
    if not permissions.can(actor, "version.delete_any", target):
        if version.uploaded_by_id != actor.id:
            raise PermissionDenied("You can only delete versions you uploaded.")
        if touched_by_others(session, [version.id]):
            raise PermissionDenied(
                f"Someone else has commented on or decided on {title}: "
                "ask a supervisor to delete it."
            )
    if _shared(session, [version.id]):
        raise Conflict(
            f"{title} is shared with the client. Withdraw it from the client first "
            "(Client reviews), then delete it."
        )
    activity.record(
        session,
        project_id=task.project_id,
        actor=actor,
        verb="version.deleted",
        target_type="version",
        target_id=version.id,
        task_id=task.id,
        text=f"{actor.name} deleted {title}",
    )
    _remove_versions(session, [version], task=task, actor=actor)
    return VersionDeleted(version_id=version_id, task_id=task.id, label=title)


def delete_task(session: Session, *, actor: UserRead, task_id: int) -> TaskDeleted:
    """Delete a task, its versions (as delete_version removes one) and its own notes."""
    if actor.role == Role.CLIENT.value:
        raise NotFound("Task not found.")
    task = access.get_or_404(session, Task, task_id, "Task")
    permissions.require(actor, "task.delete", access.task_target(session, actor, task))
    task = session.exec(select(Task).where(Task.id == task_id).with_for_update()).one()
    rows = session.exec(
        select(Version).where(Version.task_id == task.id).order_by(Version.number).with_for_update()
    ).all()
    title = f"{access.parent_code(session, task)} {task.type}"
    shared = _shared(session, [v.id for v in rows])
    if shared:
        labels = ", ".join(versions.label(v.number) for v in rows if v.id in shared)
        raise Conflict(
            f"{title} has versions shared with the client ({labels}). Withdraw them from the "
            "client first (Client reviews), then delete the task."
        )
    # Its notes go with it: their lines say "comment deleted", like those of its versions.
    notes = session.exec(
        select(Comment.id).where(Comment.task_id == task.id, Comment.version_id.is_(None))
    ).all()
    activity_events.restate_as_deleted(session, list(notes))
    # The task's history stays in the project's feed, linked to nothing once the task is gone
    # (activity.task_id would otherwise take the lines with it).
    session.execute(
        sa.update(Activity)
        .where(Activity.task_id == task.id)
        .values(task_id=None)
        .execution_options(synchronize_session=False)
    )
    _repoint_notifications(
        session,
        "task_id",
        [task.id],
        link=f"/projects/{task.project_id}",
        clear=("task_id", "version_id"),
    )
    _remove_versions(session, rows, task=task, actor=actor)
    count = len(rows)
    activity.record(
        session,
        project_id=task.project_id,
        actor=actor,
        verb="task.deleted",
        target_type="task",
        target_id=task.id,
        text=f"{actor.name} deleted the {title} task"
        + (f" and its {count} version{'s' if count != 1 else ''}" if count else ""),
    )
    project_id = task.project_id
    session.execute(sa.delete(Task).where(Task.id == task.id))
    session.expunge(task)
    events.emit(
        session,
        "task.deleted",
        project_id,
        task_id=task_id,
        actor_id=actor.id,
        artist_id=task.assigned_artist_id,
    )
    return TaskDeleted(task_id=task_id, project_id=project_id, label=title, versions=count)


# ---------------------------------------------------------------- the shared path


def _remove_versions(session: Session, rows: list[Version], *, task: Task, actor: UserRead) -> None:
    """Delete these versions of `task` (already checked) and what points at them; queue a
    `version.deleted` per version with the files only it used."""
    if not rows:
        return
    ids = [v.id for v in rows]
    comment_ids = list(session.exec(select(Comment.id).where(Comment.version_id.in_(ids))).all())
    activity_events.restate_as_deleted(session, comment_ids)
    _repoint_notifications(
        session,
        "version_id",
        ids,
        link=notifications.task_link(task.id),
        clear=("version_id",),
    )
    session.execute(
        sa.delete(SchedulerLease).where(
            SchedulerLease.name.in_([f"{LEASE_PREFIX}{i}" for i in ids])
        )
    )
    files = {v.id: {k for f in KEY_FIELDS if (k := getattr(v, f))} for v in rows}
    wanted = set().union(*files.values())
    # A file another version also uses (the demo show reuses its clips) stays.
    used = set()
    if wanted:
        for field in KEY_FIELDS:
            column = getattr(Version, field)
            used.update(
                session.exec(select(column).where(column.in_(wanted), Version.id.not_in(ids))).all()
            )
    session.execute(
        sa.delete(Version).where(Version.id.in_(ids)).execution_options(synchronize_session=False)
    )
    for v in rows:
        session.expunge(v)
        events.emit(
            session,
            "version.deleted",
            task.project_id,
            version_id=v.id,
            task_id=task.id,
            number=v.number,
            actor_id=actor.id,
            files=sorted(files[v.id] - used),
        )


def _repoint_notifications(
    session: Session, key: str, ids: list[int], *, link: str, clear: tuple[str, ...]
) -> None:
    """Bell notifications whose payload names one of these ids (under `key`) open `link`
    instead; their text stays: it is what happened."""
    rows = session.exec(
        select(Notification).where(Notification.payload[key].as_integer().in_(ids))
    ).all()
    for row in rows:
        payload = dict(row.payload or {})
        payload["link"] = link
        for name in clear:
            payload[name] = None
        row.payload = payload
        session.add(row)
