"""Lightweight workload views: My Tasks, Due This Week, Overdue, Awaiting Review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, or_, select

from models import Task, TaskStatus, TaskWatcher
from services import permissions, tasks
from services.errors import ValidationError
from services.schemas import TaskRead, UserRead

VIEWS = ("mine", "week", "overdue", "review")


@dataclass(frozen=True)
class Workload:
    view: str
    scope: str  # "me", "everyone" or an artist id
    tasks: tuple[TaskRead, ...]
    counts: dict[str, int]


def _week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())  # through Sunday


def workload(
    session: Session,
    *,
    actor: UserRead,
    view: str = "mine",
    scope: str = "me",
    today: date | None = None,
) -> Workload:
    """`scope` is "me", "everyone" (staff) or an artist's id (staff). Counts cover all views."""
    if view not in VIEWS:
        raise ValidationError(f"Unknown view {view!r}.")
    permissions.require(actor, "board.view")
    today = today or date.today()
    base = select(Task).where(Task.status != TaskStatus.DONE)
    watched = set(
        session.exec(select(TaskWatcher.task_id).where(TaskWatcher.user_id == actor.id)).all()
    )
    if scope == "me":
        mine = or_(
            Task.assigned_artist_id == actor.id,
            Task.assigned_supervisor_id == actor.id,
            Task.id.in_(watched or {-1}),
        )
        base = base.where(mine)
    else:
        permissions.require(actor, "workload.view_others")
        if scope != "everyone":
            try:
                base = base.where(Task.assigned_artist_id == int(scope))
            except ValueError:
                raise ValidationError("Pick an artist or everyone.") from None
    open_tasks = list(session.exec(base.order_by(Task.due_date.is_(None), Task.due_date, Task.id)))
    week_end = _week_end(today)

    def in_view(t: Task, v: str) -> bool:
        if v == "mine":
            return True
        if v == "week":
            return t.due_date is not None and today <= t.due_date <= week_end
        if v == "overdue":
            return t.due_date is not None and t.due_date < today
        # awaiting review: in internal review and, for "me", supervised or watched by the user
        if t.status is not TaskStatus.INTERNAL_REVIEW:
            return False
        return scope != "me" or t.assigned_supervisor_id == actor.id or t.id in watched

    counts = {v: sum(1 for t in open_tasks if in_view(t, v)) for v in VIEWS}
    chosen = [t for t in open_tasks if in_view(t, view)]
    return Workload(
        view=view, scope=scope, tasks=tuple(tasks.to_reads(session, chosen)), counts=counts
    )
