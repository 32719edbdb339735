"""Projects: create, update, list with progress, archive a finished show."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, func, select

from models import (
    Asset,
    Notification,
    Project,
    ProjectMember,
    ProjectStatus,
    Shot,
    Task,
    TaskStatus,
)
from models.base import utcnow
from services import access, activity, events, permissions
from services.errors import Conflict, ValidationError
from services.schemas import ProjectRead, UserRead

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
RES_RE = re.compile(r"^(\d{2,5})x(\d{2,5})$")


def _read(p: Project, stats: dict | None = None) -> ProjectRead:
    stats = stats or {}
    counts = stats.get("counts", {})
    return ProjectRead(
        id=p.id,
        code=p.code,
        name=p.name,
        description=p.description,
        fps=p.fps,
        start_frame=p.start_frame,
        resolution=f"{p.resolution_width}x{p.resolution_height}",
        status=p.status.value,
        slack_channel=p.slack_channel,
        tasks_total=sum(counts.values()),
        tasks_done=counts.get(TaskStatus.DONE.value, 0),
        counts_by_status=counts,
        next_due=stats.get("next_due"),
        shot_count=stats.get("shots", 0),
        asset_count=stats.get("assets", 0),
        archived_at=p.archived_at,
    )


def _validate_fields(code, name, fps, start_frame, resolution):
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not CODE_RE.match(code):
        raise ValidationError("Project code: letters, digits, - or _, up to 32 characters.")
    if not name:
        raise ValidationError("Enter a project name.")
    try:
        fps = float(fps)
    except (TypeError, ValueError):
        raise ValidationError("Frame rate must be a number, e.g. 24 or 23.976.") from None
    if not 1 <= fps <= 240:
        raise ValidationError("Frame rate must be between 1 and 240.")
    try:
        start_frame = int(start_frame)
    except (TypeError, ValueError):
        raise ValidationError("Start frame must be a whole number.") from None
    if start_frame < 0:
        raise ValidationError("Start frame cannot be negative.")
    m = RES_RE.match((resolution or "").strip().lower())
    if not m:
        raise ValidationError("Resolution must look like 1920x1080.")
    return code, name, fps, start_frame, int(m.group(1)), int(m.group(2))


def create_project(
    session: Session,
    *,
    actor: UserRead,
    code: str,
    name: str,
    description: str = "",
    fps: float = 24.0,
    start_frame: int = 1001,
    resolution: str = "1920x1080",
    slack_channel: str | None = None,
) -> ProjectRead:
    permissions.require(actor, "project.manage")
    code, name, fps, start_frame, w, h = _validate_fields(code, name, fps, start_frame, resolution)
    if session.exec(select(Project).where(Project.code == code)).first():
        raise Conflict(f"A project with code {code} already exists.")
    p = Project(
        code=code,
        name=name,
        description=(description or "").strip(),
        fps=fps,
        start_frame=start_frame,
        resolution_width=w,
        resolution_height=h,
        slack_channel=(slack_channel or "").strip() or None,
    )
    session.add(p)
    session.flush()
    session.add(ProjectMember(project_id=p.id, user_id=actor.id))
    activity.record(
        session,
        project_id=p.id,
        actor=actor,
        verb="project.created",
        target_type="project",
        target_id=p.id,
        text=f"{actor.name} created project {p.code}",
    )
    events.emit(session, "project.created", p.id)
    session.flush()
    return _read(p)


def update_project(session: Session, *, actor: UserRead, project_id: int, **changes) -> ProjectRead:
    permissions.require(actor, "project.manage")
    p = access.get_or_404(session, Project, project_id, "Project")
    merged = {
        "code": changes.get("code", p.code),
        "name": changes.get("name", p.name),
        "fps": changes.get("fps", p.fps),
        "start_frame": changes.get("start_frame", p.start_frame),
        "resolution": changes.get("resolution", f"{p.resolution_width}x{p.resolution_height}"),
    }
    code, name, fps, start_frame, w, h = _validate_fields(**merged)
    clash = session.exec(select(Project).where(Project.code == code, Project.id != p.id)).first()
    if clash:
        raise Conflict(f"A project with code {code} already exists.")
    p.code, p.name, p.fps, p.start_frame = code, name, fps, start_frame
    p.resolution_width, p.resolution_height = w, h
    if "description" in changes:
        p.description = (changes["description"] or "").strip()
    if "slack_channel" in changes:
        p.slack_channel = (changes["slack_channel"] or "").strip() or None
    if "status" in changes:
        try:
            p.status = ProjectStatus(changes["status"])
        except ValueError:
            raise ValidationError("Unknown project status.") from None
    p.updated_at = utcnow()
    session.add(p)
    session.flush()
    events.emit(session, "project.updated", p.id)
    return _read(p)


def _stats(session: Session, project_ids: list[int]) -> dict[int, dict]:
    stats: dict[int, dict] = {pid: {"counts": {}} for pid in project_ids}
    if not project_ids:
        return stats
    for pid, status, n in session.exec(
        select(Task.project_id, Task.status, func.count())
        .where(Task.project_id.in_(project_ids))
        .group_by(Task.project_id, Task.status)
    ).all():
        stats[pid]["counts"][TaskStatus(status).value] = n
    for pid, due in session.exec(
        select(Task.project_id, func.min(Task.due_date))
        .where(
            Task.project_id.in_(project_ids),
            Task.status != TaskStatus.DONE,
            Task.due_date >= date.today(),
        )
        .group_by(Task.project_id)
    ).all():
        stats[pid]["next_due"] = due
    for model, key in ((Shot, "shots"), (Asset, "assets")):
        for pid, n in session.exec(
            select(model.project_id, func.count())
            .where(model.project_id.in_(project_ids))
            .group_by(model.project_id)
        ).all():
            stats[pid][key] = n
    return stats


def list_projects(
    session: Session, *, actor: UserRead, archived: bool | None = False
) -> list[ProjectRead]:
    """Staff see every project; artists their member projects. Clients use the portal.
    `archived`: False (the default) the running shows, True the archived ones only, None all."""
    permissions.require(actor, "dashboard.view")
    q = select(Project).order_by(Project.status, Project.name)
    if archived is not None:
        q = q.where(Project.archived_at.is_not(None) if archived else Project.archived_at.is_(None))
    if actor.role == "ARTIST":
        q = q.where(
            Project.id.in_(
                select(ProjectMember.project_id).where(ProjectMember.user_id == actor.id)
            )
        )
    projects = session.exec(q).all()
    stats = _stats(session, [p.id for p in projects])
    return [_read(p, stats[p.id]) for p in projects]


def get_project(session: Session, *, actor: UserRead, project_id: int) -> ProjectRead:
    p = access.load_project(session, actor, project_id)
    return _read(p, _stats(session, [p.id])[p.id])


def project_choices(session: Session, *, actor: UserRead) -> list[tuple[int, str]]:
    return [(p.id, f"{p.code} · {p.name}") for p in list_projects(session, actor=actor)]


# ---------------------------------------------------------------- archiving a finished show


def archived_ids() -> sa.Select:
    """The archived projects' ids, as a subquery for the lists that leave them out (the
    dashboard, workload views, the artist board)."""
    return select(Project.id).where(Project.archived_at.is_not(None))


def not_archived(project_id_column) -> sa.ColumnElement[bool]:
    """A row whose project is not archived (archived ones are few: NOT IN stays small)."""
    return project_id_column.not_in(archived_ids())


def archive_project(session: Session, *, actor: UserRead, project_id: int) -> ProjectRead:
    """Archive a finished show (admin, producer): it leaves the projects list (but for its
    Archived section), the dashboard's scopes and widgets, My Tasks and Watching, the artist
    board, the overdue job and the bell. Nothing is deleted or locked: its page, tasks and
    review rooms open by URL for everyone who could open them, and stay editable.

    Clients see no difference, on purpose: archiving tidies the studio's own screens, and a
    finished show is exactly when a client comes back for the approved finals; their portal
    and any review link still open what was shared with them. Taking that away is a
    separate, deliberate act the studio already has (withdraw a version, revoke a link), not
    a side effect of a clean-up the client never hears of.

    Archiving an archived project changes nothing (a double click is not an error)."""
    p = access.load_project(session, actor, project_id, "project.archive")
    if p.archived_at is None:
        p.archived_at = p.updated_at = utcnow()
        session.add(p)
        _record(session, actor, p, "archived")
    return _read(p, _stats(session, [p.id])[p.id])


def unarchive_project(session: Session, *, actor: UserRead, project_id: int) -> ProjectRead:
    """Bring an archived show back into every list (admin, producer)."""
    p = access.load_project(session, actor, project_id, "project.archive")
    if p.archived_at is not None:
        p.archived_at = None
        p.updated_at = utcnow()
        session.add(p)
        _record(session, actor, p, "unarchived")
    return _read(p, _stats(session, [p.id])[p.id])


def _record(session: Session, actor: UserRead, p: Project, what: str) -> None:
    activity.record(
        session,
        project_id=p.id,
        actor=actor,
        verb=f"project.{what}",
        target_type="project",
        target_id=p.id,
        text=f"{actor.name} {what} project {p.code}",
    )
    session.flush()
    events.emit(session, f"project.{what}", p.id)
    # The bell counts of those with unread notifications about it change: push them again.
    for user_id in session.exec(
        select(Notification.user_id)
        .where(
            Notification.read_at.is_(None),
            Notification.payload["project_id"].as_integer() == p.id,
        )
        .distinct()
    ):
        events.emit(session, "notification.read", p.id, user_id=user_id)
