"""The dashboard's widgets, scoped by role: artists see their own work; producers and
supervisors the studio's or one project's. Clients have no dashboard (they use the portal).

The task lists count what their "View all" link (/tasks, services.workload) shows: an
artist's are their own tasks (assigned or supervised, as My Tasks; tasks they only watch are
not their work), staff's every task (`tasks_scope` "everyone"), both within the project scope.
Uploads and feedback also cover the tasks an artist watches: following those is what
watching is for. Archived projects are left out of "every project"; picked by their id (a
link), their widgets still show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, or_, select

from models import (
    Approval,
    ApprovalStage,
    Asset,
    Comment,
    Project,
    Role,
    Shot,
    Task,
    TaskStatus,
    User,
    Version,
)
from models.enums import STAFF_ROLES
from services import access, activity, permissions, projects, tasks, versions
from services.schemas import TaskRead, UserRead

REVIEW = (TaskStatus.INTERNAL_REVIEW, TaskStatus.CLIENT_REVIEW)
LIST_MAX = 20  # rows in the due-today and overdue lists (their totals are given too)


@dataclass(frozen=True)
class UploadCard:
    version_id: int
    task_id: int
    title: str  # "SH010 COMP v003"
    project_code: str  # "HBR": shot codes repeat across projects
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
    project_code: str = ""


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
    due_today_total: int = 0
    in_review_total: int = 0
    overdue_total: int = 0
    # /tasks?view=...&scope=<tasks_scope>&project=<project_id> lists what a widget counts
    tasks_scope: str = "me"
    project_id: int | None = None


def dashboard(
    session: Session,
    *,
    actor: UserRead,
    project_id: int | None = None,
    today: date | None = None,
    limit: int = 8,
) -> Dashboard:
    """The widgets for this viewer. Reads only open tasks (a show's Done tasks are most of it)
    and the few rows the lists show: its cost follows the open work, not the studio's size.
    The task lists are cut (LIST_MAX; 2 x limit in review); the *_total fields count them all."""
    permissions.require(actor, "dashboard.view")
    today = today or date.today()
    scope = []
    if project_id is not None:
        access.load_project(session, actor, project_id)
        scope.append(Task.project_id == project_id)
    else:
        scope.append(projects.not_archived(Task.project_id))
    seen = list(scope)  # what uploads and feedback cover
    staff = Role(actor.role) in STAFF_ROLES
    if not staff:
        scope.append(
            or_(Task.assigned_artist_id == actor.id, Task.assigned_supervisor_id == actor.id)
        )
        seen.append(Task.id.in_(access.visible_task_ids(session, actor) or {-1}))
    # The facts the widgets sort and count by, as plain rows (no ORM object per open task).
    open_tasks = session.exec(
        select(Task.id, Task.status, Task.due_date, Task.assigned_artist_id).where(
            Task.status != TaskStatus.DONE, *scope
        )
    ).all()
    due_today = [t for t in open_tasks if t.due_date == today]
    overdue = sorted(
        (t for t in open_tasks if t.due_date and t.due_date < today), key=lambda t: t.due_date
    )
    in_review_total = sum(1 for t in open_tasks if t.status in REVIEW)
    newest_in_review = session.exec(  # (timestamps are costly to read: only for these)
        select(Task.id)
        .where(Task.status.in_(REVIEW), *scope)
        .order_by(Task.updated_at.desc(), Task.id.desc())
        .limit(limit * 2)
    ).all()
    shown = {
        "due_today": [t.id for t in due_today[:LIST_MAX]],
        "in_review": list(newest_in_review),
        "overdue": [t.id for t in overdue[:LIST_MAX]],
    }
    wanted = {i for ids in shown.values() for i in ids}
    by_id = (
        {t.id: t for t in session.exec(select(Task).where(Task.id.in_(wanted))).all()}
        if wanted
        else {}
    )
    lists = {k: tuple(tasks.to_reads(session, [by_id[i] for i in ids])) for k, ids in shown.items()}
    return Dashboard(
        due_today=lists["due_today"],
        in_review=lists["in_review"],
        overdue=lists["overdue"],
        uploads=tuple(_uploads(session, seen, limit)),
        feedback=tuple(_feedback(session, seen, limit)),
        workload=tuple(_workload(open_tasks, today, session)),
        due_today_total=len(due_today),
        in_review_total=in_review_total,
        overdue_total=len(overdue),
        tasks_scope="everyone" if staff else "me",
        project_id=project_id,
    )


def _labels(session: Session, task_ids: set[int]) -> dict[int, tuple[str, str]]:
    """{task id: ("SH010 COMP", project code)} for the few tasks a widget names."""
    if not task_ids:
        return {}
    rows = session.exec(
        select(Task.id, Task.type, Shot.code, Asset.asset_code, Project.code)
        .join(Project, Project.id == Task.project_id)
        .join(Shot, Shot.id == Task.shot_id, isouter=True)
        .join(Asset, Asset.id == Task.asset_id, isouter=True)
        .where(Task.id.in_(task_ids))
    ).all()
    return {i: (f"{shot or asset or ''} {type_}", code) for i, type_, shot, asset, code in rows}


def _uploads(session, scope, limit) -> list[UploadCard]:
    rows = session.exec(
        select(Version, User.name)
        .join(Task, Task.id == Version.task_id)
        .join(User, User.id == Version.uploaded_by_id, isouter=True)
        .where(*scope)
        .order_by(Version.created_at.desc(), Version.id.desc())
        .limit(limit)
    ).all()
    labels = _labels(session, {v.task_id for v, _ in rows})
    return [
        UploadCard(
            version_id=v.id,
            task_id=v.task_id,
            title=f"{labels[v.task_id][0]} {versions.label(v.number)}",
            project_code=labels[v.task_id][1],
            uploader=name or "",
            created_at=v.created_at,
            processing_state=v.processing_state.value,
        )
        for v, name in rows
    ]


def _feedback(session, scope, limit) -> list[FeedbackItem]:
    comments = session.exec(
        select(Comment, User, Version.number)
        .join(Task, Task.id == Comment.task_id)
        .join(User, User.id == Comment.author_id, isouter=True)
        .join(Version, Version.id == Comment.version_id, isouter=True)
        .where(Comment.deleted_at.is_(None), *scope)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
    decisions = session.exec(
        select(Approval, User, Version.number)
        .join(Task, Task.id == Approval.task_id)
        .join(User, User.id == Approval.user_id, isouter=True)
        .join(Version, Version.id == Approval.version_id)
        .where(*scope)
        .order_by(Approval.created_at.desc(), Approval.id.desc())
        .limit(limit)
    ).all()
    labels = _labels(
        session, {c.task_id for c, _, _ in comments} | {a.task_id for a, _, _ in decisions}
    )
    items: list[FeedbackItem] = []
    for c, u, n in comments:
        is_client = (u.role is Role.CLIENT) if u else c.guest_name is not None
        label, code = labels.get(c.task_id, ("", ""))
        items.append(
            FeedbackItem(
                kind="comment",
                who=(u.name if u else c.guest_name) or "Guest",
                is_client=is_client,
                text=c.body[:200],
                target=_target(label, n),
                task_id=c.task_id,
                created_at=c.created_at,
                project_code=code,
            )
        )
    for a, u, n in decisions:
        client = a.stage is ApprovalStage.CLIENT
        verb = "approved" if a.decision.value == "APPROVED" else "requested changes"
        label, code = labels.get(a.task_id, ("", ""))
        items.append(
            FeedbackItem(
                # the person, as on their comments; is_client shows the Client badge
                kind="approval",
                who=(u.name if u else a.guest_name) or (activity.CLIENT if client else ""),
                is_client=client,
                text=verb + (f": {a.note[:160]}" if a.note else ""),
                target=_target(label, n),
                task_id=a.task_id,
                created_at=a.created_at,
                project_code=code,
            )
        )
    items.sort(key=lambda i: i.created_at, reverse=True)
    return items[:limit]


def _target(label: str, number: int | None) -> str:
    return f"{label} {versions.label(number)}" if number else label


def _workload(open_tasks, today: date, session: Session) -> list[WorkloadBar]:
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
