"""The activity feed: plain sentences written in the use case's own transaction."""

from __future__ import annotations

from sqlmodel import Session, or_, select

from models import Activity, Asset, Shot, Task
from services import access, events
from services.schemas import ActivityRead, UserRead

CLIENT = "Client"


def client_label(name: str | None) -> str:
    """How the studio's feeds and notifications name someone reviewing for the client: the
    spec's "Client approved SH010 COMP v004" with the person in it, as their comments are
    signed ("Client Jordan (Harbor Films) approved SH010 COMP v004"); "Client" when the name
    is gone."""
    name = " ".join((name or "").split())
    return f"{CLIENT} {name}" if name else CLIENT


def record(
    session: Session,
    *,
    project_id: int,
    actor: UserRead | None,
    verb: str,
    target_type: str,
    target_id: int | None,
    text: str,
    task_id: int | None = None,
    actor_name: str | None = None,
) -> None:
    row = Activity(
        project_id=project_id,
        actor_id=actor.id if actor else None,
        actor_name=actor_name or (actor.name if actor else "FeedBack"),
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        task_id=task_id,
        text=text,
    )
    session.add(row)
    events.emit(session, "activity.recorded", project_id, verb=verb, task_id=task_id, text=text)


def _read(a: Activity) -> ActivityRead:
    return ActivityRead(
        id=a.id,
        project_id=a.project_id,
        actor_name=a.actor_name,
        verb=a.verb,
        text=a.text,
        task_id=a.task_id,
        created_at=a.created_at,
    )


def list_for_project(
    session: Session, *, actor: UserRead, project_id: int, limit: int = 50
) -> list[ActivityRead]:
    access.load_project(session, actor, project_id, "project.view")
    if actor.role == "ARTIST":
        # artists read the feed of what they may see: their tasks only
        visible = access.visible_task_ids(session, actor, project_id)
        rows = session.exec(
            select(Activity)
            .where(Activity.project_id == project_id, Activity.task_id.in_(visible or {-1}))
            .order_by(Activity.created_at.desc(), Activity.id.desc())
            .limit(limit)
        ).all()
    else:
        rows = session.exec(
            select(Activity)
            .where(Activity.project_id == project_id)
            .order_by(Activity.created_at.desc(), Activity.id.desc())
            .limit(limit)
        ).all()
    return [_read(a) for a in rows]


def list_for_task(
    session: Session, *, actor: UserRead, task_id: int, limit: int = 50
) -> list[ActivityRead]:
    access.load_task(session, actor, task_id)
    rows = session.exec(
        select(Activity)
        .where(Activity.task_id == task_id)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .limit(limit)
    ).all()
    return [_read(a) for a in rows]


def list_for_item(
    session: Session,
    *,
    actor: UserRead,
    shot_id: int | None = None,
    asset_id: int | None = None,
    limit: int = 50,
) -> list[ActivityRead]:
    """The feed of one shot or asset: its own events and its tasks' (artists: their tasks)."""
    if shot_id is not None:
        item = access.get_or_404(session, Shot, shot_id, "Shot")
        task_ids = select(Task.id).where(Task.shot_id == shot_id)
        own = (Activity.target_type == "shot") & (Activity.target_id == shot_id)
    else:
        item = access.get_or_404(session, Asset, asset_id, "Asset")
        task_ids = select(Task.id).where(Task.asset_id == asset_id)
        own = (Activity.target_type == "asset") & (Activity.target_id == asset_id)
    access.load_project(session, actor, item.project_id)
    cond = or_(Activity.task_id.in_(task_ids), own)
    if actor.role == "ARTIST":
        visible = access.visible_task_ids(session, actor, item.project_id)
        cond = Activity.task_id.in_(task_ids) & Activity.task_id.in_(visible or {-1})
    rows = session.exec(
        select(Activity)
        .where(Activity.project_id == item.project_id, cond)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .limit(limit)
    ).all()
    return [_read(a) for a in rows]
