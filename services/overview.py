"""The shot and asset overviews: each item with its tasks as compact chips and the latest
version of each task. A fixed number of queries whatever the project's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, func, select

from models import Approval, Asset, Shot, Task, TaskStatus, Version
from models.enums import STAFF_ROLES, Role
from services import access
from services.schemas import UserRead
from services.versions import label


@dataclass(frozen=True)
class TaskChip:
    task_id: int
    type: str
    status: str
    artist_name: str | None
    latest_version_id: int | None
    latest_version: str  # "v003" or ""
    processing_state: str
    approval: str  # "" | "APPROVED" | "CHANGES_REQUESTED" (the latest decision on that version)
    approval_stage: str  # "" | "INTERNAL" | "CLIENT"
    is_client_visible: bool


@dataclass(frozen=True)
class ItemOverview:
    id: int
    code: str
    name: str
    status: str
    frame_in: int | None
    frame_out: int | None
    due_date: date | None
    lead_name: str | None
    chips: tuple[TaskChip, ...]
    # Some task of it is not Done (any task, seen by this viewer or not). Without one the item
    # is finished, or has no work yet: its due date is no longer a deadline to miss.
    has_open_task: bool


def _chips(session: Session, actor: UserRead, tasks: list[Task]) -> dict[int, list[TaskChip]]:
    if Role(actor.role) not in STAFF_ROLES:
        visible = access.visible_task_ids(session, actor)
        tasks = [t for t in tasks if t.id in visible]
    ids = [t.id for t in tasks]
    latest: dict[int, Version] = {}
    if ids:
        newest = (
            select(Version.task_id, func.max(Version.number).label("n"))
            .where(Version.task_id.in_(ids))
            .group_by(Version.task_id)
            .subquery()
        )
        for v in session.exec(
            select(Version).join(
                newest, (Version.task_id == newest.c.task_id) & (Version.number == newest.c.n)
            )
        ).all():
            latest[v.task_id] = v
    decisions: dict[int, Approval] = {}
    if latest:
        for a in session.exec(
            select(Approval)
            .where(Approval.version_id.in_([v.id for v in latest.values()]))
            .order_by(Approval.created_at, Approval.id)
        ).all():
            decisions[a.version_id] = a  # the last one wins
    names = access.user_names(session, [t.assigned_artist_id for t in tasks])
    out: dict[int, list[TaskChip]] = {}
    for t in tasks:
        v = latest.get(t.id)
        a = decisions.get(v.id) if v else None
        key = t.shot_id or -(t.asset_id or 0)
        out.setdefault(key, []).append(
            TaskChip(
                task_id=t.id,
                type=t.type,
                status=t.status.value,
                artist_name=names.get(t.assigned_artist_id),
                latest_version_id=v.id if v else None,
                latest_version=label(v.number) if v else "",
                processing_state=v.processing_state.value if v else "",
                approval=a.decision.value if a else "",
                approval_stage=a.stage.value if a else "",
                is_client_visible=bool(v and v.is_client_visible),
            )
        )
    return out


def _with_open_tasks(tasks: list[Task], key: str) -> set[int]:
    """Ids of the shots (key "shot_id") or assets ("asset_id") with a task not Done."""
    return {getattr(t, key) for t in tasks if t.status is not TaskStatus.DONE}


def shot_overview(
    session: Session, *, actor: UserRead, project_id: int, only_id: int | None = None
) -> list[ItemOverview]:
    access.load_project(session, actor, project_id)
    q = select(Shot).where(Shot.project_id == project_id)
    tq = select(Task).where(Task.project_id == project_id, Task.shot_id.is_not(None))
    if only_id is not None:
        q, tq = q.where(Shot.id == only_id), tq.where(Task.shot_id == only_id)
    shots = session.exec(q.order_by(Shot.code)).all()
    tasks = session.exec(tq.order_by(Task.created_at, Task.id)).all()
    chips = _chips(session, actor, list(tasks))
    busy = _with_open_tasks(list(tasks), "shot_id")
    names = access.user_names(session, [s.lead_id for s in shots])
    return [
        ItemOverview(
            id=s.id,
            code=s.code,
            name=s.name,
            status=s.status.value,
            frame_in=s.frame_in,
            frame_out=s.frame_out,
            due_date=s.due_date,
            lead_name=names.get(s.lead_id),
            chips=tuple(chips.get(s.id, [])),
            has_open_task=s.id in busy,
        )
        for s in shots
    ]


def asset_overview(
    session: Session, *, actor: UserRead, project_id: int, only_id: int | None = None
) -> list[ItemOverview]:
    access.load_project(session, actor, project_id)
    q = select(Asset).where(Asset.project_id == project_id)
    tq = select(Task).where(Task.project_id == project_id, Task.asset_id.is_not(None))
    if only_id is not None:
        q, tq = q.where(Asset.id == only_id), tq.where(Task.asset_id == only_id)
    assets = session.exec(q.order_by(Asset.asset_code)).all()
    tasks = session.exec(tq.order_by(Task.created_at, Task.id)).all()
    chips = _chips(session, actor, list(tasks))
    busy = _with_open_tasks(list(tasks), "asset_id")
    names = access.user_names(session, [a.assigned_lead_id for a in assets])
    return [
        ItemOverview(
            id=a.id,
            code=a.asset_code,
            name=a.name,
            status=a.status.value,
            frame_in=None,
            frame_out=None,
            due_date=a.due_date,
            lead_name=names.get(a.assigned_lead_id),
            chips=tuple(chips.get(-a.id, [])),
            has_open_task=a.id in busy,
        )
        for a in assets
    ]


def item_overview(
    session: Session, *, actor: UserRead, shot_id: int | None = None, asset_id: int | None = None
) -> ItemOverview:
    """One shot's or asset's overview (its page)."""
    if shot_id is not None:
        shot = access.get_or_404(session, Shot, shot_id, "Shot")
        return shot_overview(session, actor=actor, project_id=shot.project_id, only_id=shot_id)[0]
    asset = access.get_or_404(session, Asset, asset_id, "Asset")
    return asset_overview(session, actor=actor, project_id=asset.project_id, only_id=asset_id)[0]
