"""Lightweight workload views: My Tasks, Watching, Due This Week, Overdue, Awaiting Review.

For oneself ("me"), My Tasks is the work one answers for: the tasks assigned to you, and for
staff the tasks they supervise (only staff can be a task's supervisor, so an artist's My Tasks
is exactly their assigned tasks, as in the dashboard's workload bar). Tasks you only follow are
under Watching. Due This Week and Overdue look at My Tasks. Awaiting Review is, for staff
looking at their own, the tasks in Internal Review they supervise (theirs to review); looking
at artists' work (an artist's own, one artist's, everyone's), the tasks waiting on someone's
review (Internal or Client Review), as the dashboard's "in review" list counts them.
Every view can be narrowed to one project (the dashboard's project scope). Archived projects
are left out unless asked for by that scope (a link to an archived show's tasks still works).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, or_, select

from models import Role, Task, TaskStatus, TaskWatcher
from models.enums import STAFF_ROLES
from services import access, permissions, projects, tasks
from services.errors import ValidationError
from services.schemas import TaskRead, UserRead

VIEWS = ("mine", "week", "overdue", "review", "watching")
# What an artist's own task awaits: the supervisor's review, then the client's.
ARTIST_REVIEW = (TaskStatus.INTERNAL_REVIEW, TaskStatus.CLIENT_REVIEW)


@dataclass(frozen=True)
class Workload:
    view: str
    scope: str  # "me", "everyone" or an artist id
    tasks: tuple[TaskRead, ...]
    counts: dict[str, int]
    project_id: int | None = None  # the views keep this project's tasks only
    project_code: str = ""


def _week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())  # through Sunday


def workload(
    session: Session,
    *,
    actor: UserRead,
    view: str = "mine",
    scope: str = "me",
    today: date | None = None,
    project_id: int | None = None,
) -> Workload:
    """`scope` is "me", "everyone" (staff) or an artist's id (staff). Counts cover all views.
    Looking at others (everyone, one artist), a view holds their assigned work and Watching
    is empty: following a task is one's own business. `project_id` keeps one project's."""
    if view not in VIEWS:
        raise ValidationError(f"Unknown view {view!r}.")
    permissions.require(actor, "board.view")
    today = today or date.today()
    base = select(Task).where(Task.status != TaskStatus.DONE)
    project_code = ""
    if project_id is not None:
        project_code = access.load_project(session, actor, project_id).code
        base = base.where(Task.project_id == project_id)
    else:
        base = base.where(projects.not_archived(Task.project_id))
    watched: set[int] = set()
    if scope == "me":
        watched = set(
            session.exec(select(TaskWatcher.task_id).where(TaskWatcher.user_id == actor.id))
        )
        base = base.where(
            or_(
                Task.assigned_artist_id == actor.id,
                Task.assigned_supervisor_id == actor.id,
                Task.id.in_(watched or {-1}),
            )
        )
    else:
        permissions.require(actor, "workload.view_others")
        if scope != "everyone":
            try:
                base = base.where(Task.assigned_artist_id == int(scope))
            except ValueError:
                raise ValidationError("Pick an artist or everyone.") from None
    open_tasks = list(session.exec(base.order_by(Task.due_date.is_(None), Task.due_date, Task.id)))
    week_end = _week_end(today)
    staff = Role(actor.role) in STAFF_ROLES

    def mine(t: Task) -> bool:
        return scope != "me" or actor.id in (t.assigned_artist_id, t.assigned_supervisor_id)

    def in_view(t: Task, v: str) -> bool:
        if v == "watching":
            return scope == "me" and t.id in watched and not mine(t)
        if not mine(t):
            return False
        if v == "mine":
            return True
        if v == "week":
            return t.due_date is not None and today <= t.due_date <= week_end
        if v == "overdue":
            return t.due_date is not None and t.due_date < today
        # awaiting review: the staff's own is what they have to review
        if scope == "me" and staff:
            return t.status is TaskStatus.INTERNAL_REVIEW and t.assigned_supervisor_id == actor.id
        return t.status in ARTIST_REVIEW

    counts = {v: sum(1 for t in open_tasks if in_view(t, v)) for v in VIEWS}
    chosen = [t for t in open_tasks if in_view(t, view)]
    return Workload(
        view=view,
        scope=scope,
        tasks=tuple(tasks.to_reads(session, chosen)),
        counts=counts,
        project_id=project_id,
        project_code=project_code,
    )
