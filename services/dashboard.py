"""The dashboard's widgets, scoped by role: artists see their own work; producers and
supervisors the studio's or one project's. Clients have no dashboard (they use the portal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from models import Approval, ApprovalStage, Comment, Role, Task, TaskStatus, User, Version
from models.enums import STAFF_ROLES
from services import access, permissions, tasks, versions
from services.schemas import TaskRead, UserRead

REVIEW = (TaskStatus.INTERNAL_REVIEW, TaskStatus.CLIENT_REVIEW)


@dataclass(frozen=True)
class UploadCard:
    version_id: int
    task_id: int
    title: str  # "SH010 COMP v003"
    uploader: str
    created_at: datetime
    processing_state: str


@dataclass(frozen=True)
class FeedbackItem:
    kind: str  # "comment" | "approval"
    who: str
    is_client: bool
    text: str
    target: str  # "SH010 COMP v003"
    task_id: int
    created_at: datetime


@dataclass(frozen=True)
class WorkloadBar:
    artist_id: int
    name: str
    counts: dict[str, int] = field(default_factory=dict)  # open tasks by status
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Dashboard:
    due_today: tuple[TaskRead, ...]
    in_review: tuple[TaskRead, ...]
    overdue: tuple[TaskRead, ...]
    uploads: tuple[UploadCard, ...]
    feedback: tuple[FeedbackItem, ...]
    workload: tuple[WorkloadBar, ...]


def dashboard(
    session: Session,
    *,
    actor: UserRead,
    project_id: int | None = None,
    today: date | None = None,
    limit: int = 8,
) -> Dashboard:
    permissions.require(actor, "dashboard.view")
    today = today or date.today()
    q = select(Task)
    if project_id is not None:
        access.load_project(session, actor, project_id)
        q = q.where(Task.project_id == project_id)
    if Role(actor.role) not in STAFF_ROLES:
        q = q.where(Task.id.in_(access.visible_task_ids(session, actor) or {-1}))
    scoped = list(session.exec(q).all())
    open_tasks = [t for t in scoped if t.status is not TaskStatus.DONE]
    due_today = [t for t in open_tasks if t.due_date == today]
    overdue = sorted(
        (t for t in open_tasks if t.due_date and t.due_date < today), key=lambda t: t.due_date
    )
    in_review = sorted(
        (t for t in open_tasks if t.status in REVIEW), key=lambda t: t.updated_at, reverse=True
    )
    ids = [t.id for t in scoped]
    by_id = {t.id: t for t in scoped}
    codes = {r.id: r.parent_code for r in tasks.to_reads(session, scoped)} if scoped else {}
    return Dashboard(
        due_today=tuple(tasks.to_reads(session, due_today)),
        in_review=tuple(tasks.to_reads(session, in_review[: limit * 2])),
        overdue=tuple(tasks.to_reads(session, overdue)),
        uploads=tuple(_uploads(session, ids, by_id, codes, limit)),
        feedback=tuple(_feedback(session, ids, by_id, codes, limit)),
        workload=tuple(_workload(open_tasks, today, session)),
    )


def _uploads(session, ids, by_id, codes, limit) -> list[UploadCard]:
    if not ids:
        return []
    rows = session.exec(
        select(Version, User.name)
        .join(User, User.id == Version.uploaded_by_id, isouter=True)
        .where(Version.task_id.in_(ids))
        .order_by(Version.created_at.desc(), Version.id.desc())
        .limit(limit)
    ).all()
    return [
        UploadCard(
            version_id=v.id,
            task_id=v.task_id,
            title=f"{codes[v.task_id]} {by_id[v.task_id].type} {versions.label(v.number)}",
            uploader=name or "",
            created_at=v.created_at,
            processing_state=v.processing_state.value,
        )
        for v, name in rows
    ]


def _feedback(session, ids, by_id, codes, limit) -> list[FeedbackItem]:
    if not ids:
        return []
    comments = session.exec(
        select(Comment, User, Version.number)
        .join(User, User.id == Comment.author_id, isouter=True)
        .join(Version, Version.id == Comment.version_id, isouter=True)
        .where(Comment.task_id.in_(ids), Comment.deleted_at.is_(None))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
    decisions = session.exec(
        select(Approval, User, Version.number)
        .join(User, User.id == Approval.user_id, isouter=True)
        .join(Version, Version.id == Approval.version_id)
        .where(Approval.task_id.in_(ids))
        .order_by(Approval.created_at.desc(), Approval.id.desc())
        .limit(limit)
    ).all()
    items: list[FeedbackItem] = []
    for c, u, n in comments:
        is_client = (u.role is Role.CLIENT) if u else c.guest_name is not None
        items.append(
            FeedbackItem(
                kind="comment",
                who=(u.name if u else c.guest_name) or "Guest",
                is_client=is_client,
                text=c.body[:200],
                target=_target(by_id[c.task_id], codes, n),
                task_id=c.task_id,
                created_at=c.created_at,
            )
        )
    for a, u, n in decisions:
        client = a.stage is ApprovalStage.CLIENT
        verb = "approved" if a.decision.value == "APPROVED" else "requested changes"
        items.append(
            FeedbackItem(
                kind="approval",
                who="Client" if client else (u.name if u else ""),
                is_client=client,
                text=verb + (f": {a.note[:160]}" if a.note else ""),
                target=_target(by_id[a.task_id], codes, n),
                task_id=a.task_id,
                created_at=a.created_at,
            )
        )
    items.sort(key=lambda i: i.created_at, reverse=True)
    return items[:limit]


def _target(task: Task, codes: dict[int, str], number: int | None) -> str:
    base = f"{codes.get(task.id, '')} {task.type}"
    return f"{base} {versions.label(number)}" if number else base


def _workload(open_tasks: list[Task], today: date, session: Session) -> list[WorkloadBar]:
    counts: dict[int, dict[str, int]] = {}
    overdue: dict[int, int] = {}
    for t in open_tasks:
        if t.assigned_artist_id is None:
            continue
        c = counts.setdefault(t.assigned_artist_id, {})
        c[t.status.value] = c.get(t.status.value, 0) + 1
        if t.due_date and t.due_date < today:
            overdue[t.assigned_artist_id] = overdue.get(t.assigned_artist_id, 0) + 1
    names = access.user_names(session, counts)
    bars = [
        WorkloadBar(artist_id=a, name=names.get(a, ""), counts=c, overdue=overdue.get(a, 0))
        for a, c in counts.items()
    ]
    return sorted(bars, key=lambda b: (-b.total, b.name))
