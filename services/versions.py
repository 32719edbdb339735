"""Versions on tasks: numbering (atomic, per task, never reused) and reads."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from models import ProcessingState, Task, Version
from services import access, activity, events, tasks, workflow
from services.schemas import UserRead, VersionRead


def label(number: int) -> str:
    return f"v{number:03d}"


def _read(v: Version, uploader: str | None) -> VersionRead:
    return VersionRead(
        id=v.id,
        project_id=v.project_id,
        task_id=v.task_id,
        number=v.number,
        label=label(v.number),
        uploaded_by_id=v.uploaded_by_id,
        uploaded_by_name=uploader,
        original_filename=v.original_filename,
        processing_state=v.processing_state.value,
        description=v.description,
        is_client_visible=v.is_client_visible,
        shared_at=v.shared_at,
        created_at=v.created_at,
    )


def next_number(session: Session, task_id: int) -> int:
    """Bump the task's counter in one UPDATE … RETURNING: the row lock (Postgres) or the write
    lock (SQLite) makes two racing uploads get consecutive numbers, and a number is never
    given twice even if a version is later deleted."""
    return session.exec(
        sa.update(Task)
        .where(Task.id == task_id)
        .values(last_version_number=Task.last_version_number + 1)
        .returning(Task.last_version_number)
    ).scalar_one()


def create_version(
    session: Session,
    *,
    actor: UserRead,
    task_id: int,
    original_filename: str,
    original_key: str | None = None,
    file_size: int | None = None,
    description: str = "",
    move_to_review: bool = True,
    notify: bool = True,
    processing_state: ProcessingState = ProcessingState.QUEUED,
) -> VersionRead:
    task = access.load_task(session, actor, task_id, "version.create")
    number = next_number(session, task.id)
    version = Version(
        project_id=task.project_id,
        task_id=task.id,
        shot_id=task.shot_id,
        asset_id=task.asset_id,
        number=number,
        uploaded_by_id=actor.id,
        original_filename=original_filename,
        original_key=original_key,
        file_size=file_size,
        description=(description or "").strip(),
        processing_state=processing_state,
    )
    session.add(version)
    session.flush()
    code = access.parent_code(session, task)
    activity.record(
        session,
        project_id=task.project_id,
        actor=actor,
        verb="version.created",
        target_type="version",
        target_id=version.id,
        task_id=task.id,
        text=f"{actor.name} uploaded {code} {task.type} {label(number)}",
    )
    if move_to_review:
        tasks.apply_trigger(
            session, task=task, trigger=workflow.Trigger.VERSION_UPLOADED, actor=actor
        )
    events.emit(
        session,
        "version.created",
        task.project_id,
        version_id=version.id,
        task_id=task.id,
        number=number,
        actor_id=actor.id,
        notify=notify,
    )
    session.flush()
    return _read(version, actor.name)


def list_for_task(session: Session, *, actor: UserRead, task_id: int) -> list[VersionRead]:
    """Every version of a task, newest first (internal users only)."""
    access.load_task(session, actor, task_id)
    rows = session.exec(
        select(Version).where(Version.task_id == task_id).order_by(Version.number.desc())
    ).all()
    names = access.user_names(session, [v.uploaded_by_id for v in rows])
    return [_read(v, names.get(v.uploaded_by_id)) for v in rows]


def get_version(session: Session, *, actor: UserRead, version_id: int) -> VersionRead:
    v = access.load_version(session, actor, version_id)
    return _read(v, access.user_names(session, [v.uploaded_by_id]).get(v.uploaded_by_id))
