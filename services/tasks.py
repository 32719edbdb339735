"""Tasks, the core production object: create, quick-add, templates, assignment, due dates,
status changes and ordering on the board."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, func, select

from models import (
    Asset,
    Project,
    ProjectMember,
    Role,
    Shot,
    Task,
    TaskStatus,
    TaskTemplate,
    TaskType,
    TaskWatcher,
    User,
)
from models.base import utcnow
from models.enums import STAFF_ROLES
from services import access, activity, events, permissions, workflow
from services.errors import NotFound, ValidationError
from services.parsing import parse_date, parse_hours, parse_priority
from services.schemas import TaskRead, TemplateRead, UserRead

QUICK_ADD: dict[str, tuple[TaskType, ...]] = {
    "shot": (TaskType.TRACK, TaskType.ROTO, TaskType.COMP),
    "asset": (TaskType.MODEL, TaskType.TEXTURE, TaskType.RIG),
}
SORT_STEP = 1024.0
_UNSET = object()


_TYPE_LABELS = {"FX": "FX"}  # abbreviations stay in capitals


def type_label(task_type: str) -> str:
    """ "COMP" -> "Comp", "FX" -> "FX": a task type as people write it (a default title too)."""
    return _TYPE_LABELS.get(task_type) or task_type.replace("_", " ").title()


def _parse_type(value) -> str:
    t = (value or "").strip().upper()
    try:
        return TaskType(t).value
    except ValueError:
        raise ValidationError(f"Unknown task type {value!r}.") from None


def _parse_status(value) -> TaskStatus:
    try:
        return TaskStatus(value)
    except ValueError:
        raise ValidationError(f"Unknown status {value!r}.") from None


# ---------------------------------------------------------------- read models


def to_reads(session: Session, tasks: list[Task]) -> list[TaskRead]:
    """Read models for many tasks with a fixed number of queries (no query per task)."""
    if not tasks:
        return []
    ids = [t.id for t in tasks]
    names = access.user_names(
        session, [t.assigned_artist_id for t in tasks] + [t.assigned_supervisor_id for t in tasks]
    )
    shot_ids = {t.shot_id for t in tasks if t.shot_id}
    asset_ids = {t.asset_id for t in tasks if t.asset_id}
    shot_codes = (
        dict(session.exec(select(Shot.id, Shot.code).where(Shot.id.in_(shot_ids))).all())
        if shot_ids
        else {}
    )
    asset_codes = (
        dict(session.exec(select(Asset.id, Asset.asset_code).where(Asset.id.in_(asset_ids))).all())
        if asset_ids
        else {}
    )
    project_codes = dict(
        session.exec(
            select(Project.id, Project.code).where(Project.id.in_({t.project_id for t in tasks}))
        ).all()
    )
    watchers: dict[int, list[int]] = {}
    for task_id, user_id in session.exec(
        select(TaskWatcher.task_id, TaskWatcher.user_id).where(TaskWatcher.task_id.in_(ids))
    ).all():
        watchers.setdefault(task_id, []).append(user_id)
    return [
        TaskRead(
            id=t.id,
            project_id=t.project_id,
            project_code=project_codes.get(t.project_id, ""),
            title=t.title,
            description=t.description,
            type=t.type,
            status=t.status.value,
            priority=t.priority.value,
            due_date=t.due_date,
            estimated_hours=t.estimated_hours,
            sort_order=t.sort_order,
            shot_id=t.shot_id,
            asset_id=t.asset_id,
            parent_code=shot_codes.get(t.shot_id) or asset_codes.get(t.asset_id) or "",
            assigned_artist_id=t.assigned_artist_id,
            artist_name=names.get(t.assigned_artist_id),
            assigned_supervisor_id=t.assigned_supervisor_id,
            supervisor_name=names.get(t.assigned_supervisor_id),
            watcher_ids=tuple(sorted(watchers.get(t.id, []))),
            latest_version_number=t.last_version_number or None,
            created_at=t.created_at,
            updated_at=t.updated_at,
        )
        for t in tasks
    ]


def get_task(session: Session, *, actor: UserRead, task_id: int) -> TaskRead:
    return to_reads(session, [access.load_task(session, actor, task_id)])[0]


def list_tasks(
    session: Session,
    *,
    actor: UserRead,
    project_id: int | None = None,
    shot_id: int | None = None,
    asset_id: int | None = None,
    artist_id: int | None = None,
    statuses: Iterable[str] | None = None,
) -> list[TaskRead]:
    """Tasks the actor may see, ordered as on the board (status column, then sort order)."""
    permissions.require(actor, "board.view")
    q = select(Task)
    if project_id is not None:
        access.load_project(session, actor, project_id)
        q = q.where(Task.project_id == project_id)
    if shot_id is not None:
        q = q.where(Task.shot_id == shot_id)
    if asset_id is not None:
        q = q.where(Task.asset_id == asset_id)
    if artist_id is not None:
        if artist_id != actor.id:
            permissions.require(actor, "workload.view_others")
        q = q.where(Task.assigned_artist_id == artist_id)
    if statuses:
        q = q.where(Task.status.in_([_parse_status(s) for s in statuses]))
    if Role(actor.role) not in STAFF_ROLES:
        visible = access.visible_task_ids(session, actor, project_id)
        q = q.where(Task.id.in_(visible or {-1}))
    tasks = session.exec(q.order_by(Task.status, Task.sort_order, Task.id)).all()
    return to_reads(session, list(tasks))


# ---------------------------------------------------------------- creation


def _parent(session: Session, shot_id: int | None, asset_id: int | None) -> tuple[int, str]:
    """(project_id, code) of the task's shot or asset; exactly one must be given."""
    if (shot_id is None) == (asset_id is None):
        raise ValidationError("A task belongs to a shot or to an asset, never both or neither.")
    if shot_id is not None:
        shot = access.get_or_404(session, Shot, shot_id, "Shot")
        return shot.project_id, shot.code
    asset = access.get_or_404(session, Asset, asset_id, "Asset")
    return asset.project_id, asset.asset_code


def _end_of_column(session: Session, project_id: int, status: TaskStatus) -> float:
    top = session.exec(
        select(func.max(Task.sort_order)).where(
            Task.project_id == project_id, Task.status == status
        )
    ).one()
    return (top or 0.0) + SORT_STEP


def _check_assignee(session: Session, user_id: int | None, *, supervisor: bool) -> int | None:
    if user_id in (None, "", 0):
        return None
    user = access.get_or_404(session, User, int(user_id), "User")
    if not user.is_active:
        raise ValidationError(f"{user.name} is disabled.")
    if user.role is Role.CLIENT:
        raise ValidationError("A client cannot be assigned to a task.")
    if supervisor and user.role not in STAFF_ROLES:
        raise ValidationError(f"{user.name} is not a supervisor, producer or admin.")
    return user.id


def _ensure_member(session: Session, project_id: int, user_id: int | None) -> None:
    if user_id is not None and session.get(ProjectMember, (project_id, user_id)) is None:
        session.add(ProjectMember(project_id=project_id, user_id=user_id))


def create_task(
    session: Session,
    *,
    actor: UserRead,
    type: str,
    shot_id: int | None = None,
    asset_id: int | None = None,
    title: str | None = None,
    description: str = "",
    assigned_artist_id: int | None = None,
    assigned_supervisor_id: int | None = None,
    due_date=None,
    priority=None,
    estimated_hours=None,
    status: str = TaskStatus.TODO.value,
) -> TaskRead:
    project_id, code = _parent(session, shot_id, asset_id)
    access.load_project(session, actor, project_id, "task.manage")
    task_type = _parse_type(type)
    title = (title or "").strip() or type_label(task_type)
    if len(title) > 200:
        raise ValidationError("Title must be at most 200 characters.")
    status_enum = _parse_status(status)
    task = Task(
        project_id=project_id,
        shot_id=shot_id,
        asset_id=asset_id,
        title=title,
        description=(description or "").strip(),
        type=task_type,
        status=status_enum,
        priority=parse_priority(priority),
        due_date=parse_date(due_date),
        estimated_hours=parse_hours(estimated_hours),
        assigned_artist_id=_check_assignee(session, assigned_artist_id, supervisor=False),
        assigned_supervisor_id=_check_assignee(session, assigned_supervisor_id, supervisor=True),
        created_by_id=actor.id,
        sort_order=_end_of_column(session, project_id, status_enum),
    )
    session.add(task)
    session.flush()
    _ensure_member(session, project_id, task.assigned_artist_id)
    _ensure_member(session, project_id, task.assigned_supervisor_id)
    activity.record(
        session,
        project_id=project_id,
        actor=actor,
        verb="task.created",
        target_type="task",
        target_id=task.id,
        task_id=task.id,
        text=f"{actor.name} created {code} {task_type} task",
    )
    events.emit(session, "task.created", project_id, task_id=task.id, actor_id=actor.id)
    if task.assigned_artist_id:
        events.emit(
            session,
            "task.assigned",
            project_id,
            task_id=task.id,
            artist_id=task.assigned_artist_id,
            previous_artist_id=None,
            actor_id=actor.id,
        )
    session.flush()
    return to_reads(session, [task])[0]


def quick_add(
    session: Session,
    *,
    actor: UserRead,
    type: str,
    shot_id: int | None = None,
    asset_id: int | None = None,
) -> TaskRead:
    """One click: a task of that type on the shot/asset, due with it, supervised by its lead."""
    if shot_id is not None:
        parent = access.get_or_404(session, Shot, shot_id, "Shot")
        lead_id = parent.lead_id
    else:
        parent = access.get_or_404(session, Asset, asset_id, "Asset")
        lead_id = parent.assigned_lead_id
    lead = session.get(User, lead_id) if lead_id else None
    supervisor = lead.id if lead is not None and lead.role in STAFF_ROLES else None
    return create_task(
        session,
        actor=actor,
        type=type,
        shot_id=shot_id,
        asset_id=asset_id,
        due_date=parent.due_date,
        priority=parent.priority.value,
        assigned_supervisor_id=supervisor,
    )


# ---------------------------------------------------------------- templates


def _template_read(t: TaskTemplate) -> TemplateRead:
    return TemplateRead(
        id=t.id, name=t.name, applies_to=t.applies_to, task_types=tuple(t.task_types)
    )


def create_template(
    session: Session, *, actor: UserRead, name: str, applies_to: str, task_types: list[str]
) -> TemplateRead:
    permissions.require(actor, "task.manage")
    name = (name or "").strip()
    if not name:
        raise ValidationError("Enter a template name.")
    if applies_to not in ("SHOT", "ASSET"):
        raise ValidationError("A template applies to shots or to assets.")
    types = list(dict.fromkeys(_parse_type(t) for t in task_types))
    if not types:
        raise ValidationError("Pick at least one task type.")
    if session.exec(select(TaskTemplate).where(TaskTemplate.name == name)).first():
        raise ValidationError(f"A template named {name!r} already exists.")
    t = TaskTemplate(name=name, applies_to=applies_to, task_types=types)
    session.add(t)
    session.flush()
    return _template_read(t)


def list_templates(session: Session, *, actor: UserRead) -> list[TemplateRead]:
    permissions.require(actor, "task.manage")
    rows = session.exec(select(TaskTemplate).order_by(TaskTemplate.name)).all()
    return [_template_read(t) for t in rows]


def apply_template(
    session: Session,
    *,
    actor: UserRead,
    template_id: int,
    shot_ids: Iterable[int] = (),
    asset_ids: Iterable[int] = (),
) -> list[TaskRead]:
    """Create the template's task types on each shot/asset, skipping types it already has."""
    permissions.require(actor, "task.manage")
    template = access.get_or_404(session, TaskTemplate, template_id, "Template")
    shot_ids, asset_ids = list(shot_ids), list(asset_ids)
    if template.applies_to == "SHOT" and asset_ids or template.applies_to == "ASSET" and shot_ids:
        raise ValidationError(f"Template {template.name!r} applies to {template.applies_to}s only.")
    created: list[TaskRead] = []
    for column, parent_ids, key in (
        (Task.shot_id, shot_ids, "shot_id"),
        (Task.asset_id, asset_ids, "asset_id"),
    ):
        for parent_id in parent_ids:
            existing = set(session.exec(select(Task.type).where(column == parent_id)).all())
            for task_type in template.task_types:
                if task_type not in existing:
                    created.append(
                        quick_add(session, actor=actor, type=task_type, **{key: parent_id})
                    )
    return created


# ---------------------------------------------------------------- edits


def _touch(session: Session, task: Task, name: str, actor: UserRead, **payload) -> TaskRead:
    task.updated_at = utcnow()
    session.add(task)
    session.flush()
    events.emit(session, name, task.project_id, task_id=task.id, actor_id=actor.id, **payload)
    return to_reads(session, [task])[0]


def update_task(session: Session, *, actor: UserRead, task_id: int, **fields) -> TaskRead:
    """Edit the descriptive fields: title, description, type, priority, estimated_hours."""
    task = access.load_task(session, actor, task_id, "task.manage")
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title or len(title) > 200:
            raise ValidationError("Title must be 1–200 characters.")
        task.title = title
    if "description" in fields:
        task.description = (fields["description"] or "").strip()
    if "type" in fields:
        task.type = _parse_type(fields["type"])
    if "priority" in fields:
        task.priority = parse_priority(fields["priority"])
    if "estimated_hours" in fields:
        task.estimated_hours = parse_hours(fields["estimated_hours"])
    return _touch(session, task, "task.updated", actor)


def assign(
    session: Session,
    *,
    actor: UserRead,
    task_id: int,
    artist_id=_UNSET,
    supervisor_id=_UNSET,
) -> TaskRead:
    task = access.load_task(session, actor, task_id, "task.manage")
    code = access.parent_code(session, task)
    if artist_id is not _UNSET:
        new_artist = _check_assignee(session, artist_id, supervisor=False)
        if new_artist != task.assigned_artist_id:
            previous = task.assigned_artist_id
            task.assigned_artist_id = new_artist
            _ensure_member(session, task.project_id, new_artist)
            name = access.user_names(session, [new_artist]).get(new_artist, "nobody")
            activity.record(
                session,
                project_id=task.project_id,
                actor=actor,
                verb="task.assigned",
                target_type="task",
                target_id=task.id,
                task_id=task.id,
                text=f"{actor.name} assigned {code} {task.type} to {name}",
            )
            events.emit(
                session,
                "task.assigned",
                task.project_id,
                task_id=task.id,
                artist_id=new_artist,
                previous_artist_id=previous,
                actor_id=actor.id,
            )
    if supervisor_id is not _UNSET:
        task.assigned_supervisor_id = _check_assignee(session, supervisor_id, supervisor=True)
        _ensure_member(session, task.project_id, task.assigned_supervisor_id)
    return _touch(session, task, "task.updated", actor)


def set_due_date(session: Session, *, actor: UserRead, task_id: int, due_date) -> TaskRead:
    task = access.load_task(session, actor, task_id, "task.manage")
    task.due_date = parse_date(due_date)
    return _touch(session, task, "task.updated", actor, due_date=str(task.due_date or ""))


def set_watchers(
    session: Session, *, actor: UserRead, task_id: int, user_ids: Iterable[int]
) -> TaskRead:
    task = access.load_task(session, actor, task_id, "task.manage")
    wanted = {_check_assignee(session, u, supervisor=False) for u in user_ids} - {None}
    current = set(session.exec(select(TaskWatcher.user_id).where(TaskWatcher.task_id == task.id)))
    for uid in current - wanted:
        session.delete(session.get(TaskWatcher, (task.id, uid)))
    for uid in wanted - current:
        session.add(TaskWatcher(task_id=task.id, user_id=uid))
        _ensure_member(session, task.project_id, uid)
    return _touch(session, task, "task.updated", actor)


def watch(session: Session, *, actor: UserRead, task_id: int, watching: bool) -> TaskRead:
    """The Watch toggle: anyone who can see a task may follow or unfollow it themselves."""
    task = access.load_task(session, actor, task_id, "task.watch")
    row = session.get(TaskWatcher, (task.id, actor.id))
    if watching and row is None:
        session.add(TaskWatcher(task_id=task.id, user_id=actor.id))
    elif not watching and row is not None:
        session.delete(row)
    return _touch(session, task, "task.updated", actor)


# ---------------------------------------------------------------- status and order


@dataclass(frozen=True, slots=True)
class TaskMoveRead:
    """What a move changed (a board needs no more: every open board, the mover's too, gets
    the card itself from the live push)."""

    id: int
    project_id: int
    status: str
    sort_order: float
    status_changed: bool


def _column(session: Session, task: Task, status: TaskStatus) -> list[tuple[int, float]]:
    """(id, sort key) of the other tasks in the task's project column, top to bottom."""
    return [
        (row[0], row[1])
        for row in session.execute(
            select(Task.id, Task.sort_order)
            .where(Task.project_id == task.project_id, Task.status == status, Task.id != task.id)
            .order_by(Task.sort_order, Task.id)
        )
    ]


def _sort_key_at(session: Session, column: list[tuple[int, float]], index: int | None) -> float:
    """A sort key that puts a task at `index` in the column (end when None)."""
    if index is None or index >= len(column):
        return (column[-1][1] if column else 0.0) + SORT_STEP
    index = max(0, index)
    after = column[index][1]
    before = column[index - 1][1] if index > 0 else after - 2 * SORT_STEP
    if after - before > 1e-6:
        return (before + after) / 2
    # Keys too close: renumber the column once, leaving room at `index`.
    ids = [other_id for other_id, _ in column]
    others = {t.id: t for t in session.exec(select(Task).where(Task.id.in_(ids))).all()}
    for i, other_id in enumerate(ids):
        other = others[other_id]
        other.sort_order = (i + (1 if i >= index else 0)) * SORT_STEP
        session.add(other)
    return index * SORT_STEP


def _set_status(
    session: Session,
    task: Task,
    to: TaskStatus,
    actor: UserRead | None,
    *,
    actor_name: str = "",
    trigger: workflow.Trigger | None = None,
    code: str | None = None,
) -> bool:
    """Change status, record activity and emit; returns whether it changed. An automation's
    event names its trigger, so listeners can tell an upload's move from a person's.
    `code` is the task's shot/asset code when the caller already has it."""
    previous = task.status
    if previous == to:
        return False
    task.status = to
    if code is None:
        code = access.parent_code(session, task)
    if actor is not None and actor.role == "CLIENT":
        who = activity.client_label(actor.name)  # named as in the approval line
    else:
        who = actor.name if actor else actor_name or "FeedBack"
    activity.record(
        session,
        project_id=task.project_id,
        actor=actor,
        actor_name=who,
        verb="task.status_changed",
        target_type="task",
        target_id=task.id,
        task_id=task.id,
        text=f"{who} moved {code} {task.type} to {workflow.label(to)}",
    )
    events.emit(
        session,
        "task.status_changed",
        task.project_id,
        task_id=task.id,
        from_status=previous.value,
        to_status=to.value,
        actor_id=actor.id if actor else None,
        **({"trigger": trigger.value} if trigger else {}),
    )
    return True


@functools.cache
def _move_query() -> sa.Select:
    """The task with everything a drop needs, in one statement (a drop is the board's hot
    path): its shot/asset code, the permission facts about the actor (member of the project,
    watching the task), and where it lands in the `to` column: the sort keys of the neighbour
    it was dropped after and of the task below that one, of the neighbour it was dropped
    before and of the task above that one, and the column's last key. A neighbour counts only
    if it is in that column. Built once; values are bound parameters."""

    def in_column(other):
        return sa.and_(
            other.project_id == Task.project_id,
            other.status == sa.bindparam("to"),
            other.id != Task.id,
        )

    after, below = aliased(Task, name="after_task"), aliased(Task, name="below_task")
    before, above = aliased(Task, name="before_task"), aliased(Task, name="above_task")
    last = aliased(Task, name="last_task")
    below_after = (
        select(below.sort_order)
        .where(
            in_column(below),
            sa.tuple_(below.sort_order, below.id) > sa.tuple_(after.sort_order, after.id),
        )
        .order_by(below.sort_order, below.id)
        .limit(1)
        .scalar_subquery()
    )
    above_before = (
        select(above.sort_order)
        .where(
            in_column(above),
            sa.tuple_(above.sort_order, above.id) < sa.tuple_(before.sort_order, before.id),
        )
        .order_by(above.sort_order.desc(), above.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    actor_id = sa.bindparam("actor_id")
    member = (
        select(ProjectMember.user_id)
        .where(ProjectMember.project_id == Task.project_id, ProjectMember.user_id == actor_id)
        .exists()
    )
    watching = (
        select(TaskWatcher.user_id)
        .where(TaskWatcher.task_id == Task.id, TaskWatcher.user_id == actor_id)
        .exists()
    )
    return (
        select(
            Task,
            func.coalesce(Shot.code, Asset.asset_code, ""),
            member,
            watching,
            after.sort_order,
            below_after,
            before.sort_order,
            above_before,
            select(func.max(last.sort_order)).where(in_column(last)).scalar_subquery(),
        )
        .outerjoin(Shot, Shot.id == Task.shot_id)
        .outerjoin(Asset, Asset.id == Task.asset_id)
        .outerjoin(after, sa.and_(after.id == sa.bindparam("after_id"), in_column(after)))
        .outerjoin(before, sa.and_(before.id == sa.bindparam("before_id"), in_column(before)))
        .where(Task.id == sa.bindparam("task_id"))
    )


def _between(low: float, high: float | None) -> float | None:
    """A key between two neighbours' keys (after the low one when nothing is below it);
    None when they are too close to split."""
    if high is None:
        return low + SORT_STEP
    return (low + high) / 2 if high - low > 1e-6 else None


def move_task(
    session: Session,
    *,
    actor: UserRead,
    task_id: int,
    status: str,
    index: int | None = None,
    after_id: int | None = None,
    before_id: int | None = None,
) -> TaskMoveRead:
    """A kanban drop or a status control: change the status and/or the position in a column.

    The position is `index` in the column, or the place right after `after_id` (else right
    before `before_id`) when that task is in the column: a filtered board shows only part of a
    column, so a drop names the neighbours the person saw. Neither: the end of the column when
    the status changes, else the task stays where it is. A drop by neighbours reads nothing
    but the one row of _move_query; the whole column is read only for an `index` or when the
    neighbours' keys are too close to split (the column is renumbered)."""
    to = _parse_status(status)
    if actor.role == "CLIENT":
        raise NotFound("Task not found.")
    row = session.execute(
        _move_query(),
        {
            "task_id": task_id,
            "actor_id": actor.id,
            "to": to,
            "after_id": after_id or 0,
            "before_id": before_id or 0,
        },
    ).first()
    if row is None:
        raise NotFound("Task not found.")
    task, code, member, watching, after_key, below_key, before_key, above_key, end_key = row
    permissions.require(
        actor,
        "task.move",
        permissions.Target(
            project_member=bool(member),
            assigned=task.assigned_artist_id == actor.id,
            supervising=task.assigned_supervisor_id == actor.id,
            watching=bool(watching),
            from_status=task.status,
            to_status=to,
        ),
    )
    key: float | None = None
    if index is not None:
        key = _sort_key_at(session, _column(session, task, to), index)
    elif after_key is not None or before_key is not None:
        if after_key is not None:
            key = _between(after_key, below_key)
        else:
            key = _between(
                above_key if above_key is not None else before_key - 2 * SORT_STEP, before_key
            )
        if key is None:  # too close: renumber the column, leaving room at the drop
            column = _column(session, task, to)
            ids = [other_id for other_id, _ in column]
            at = ids.index(after_id) + 1 if after_key is not None else ids.index(before_id)
            key = _sort_key_at(session, column, at)
    elif to != task.status:
        key = (end_key or 0.0) + SORT_STEP
    if key is not None:
        task.sort_order = key
    changed = _set_status(session, task, to, actor, code=code)
    task.updated_at = utcnow()
    session.add(task)
    events.emit(
        session,
        "task.moved",
        task.project_id,
        task_id=task.id,
        actor_id=actor.id,
        status=to.value,
        sort_order=task.sort_order,
    )
    return TaskMoveRead(
        id=task.id,
        project_id=task.project_id,
        status=to.value,
        sort_order=task.sort_order,
        status_changed=changed,
    )


def move(
    session: Session,
    *,
    actor: UserRead,
    task_id: int,
    status: str,
    index: int | None = None,
) -> TaskRead:
    """`move_task`, answered with the whole task (the task page shows it)."""
    moved = move_task(session, actor=actor, task_id=task_id, status=status, index=index)
    session.flush()
    return to_reads(session, [session.get(Task, moved.id)])[0]


def apply_trigger(
    session: Session,
    *,
    task: Task,
    trigger: workflow.Trigger,
    actor: UserRead | None,
    actor_name: str = "",
) -> bool:
    """Run a workflow automation (upload, share, approval) on a task the caller already checked."""
    to = workflow.status_after(trigger, task.status)
    if to == task.status:
        return False
    task.sort_order = _end_of_column(session, task.project_id, to)
    _set_status(session, task, to, actor, actor_name=actor_name, trigger=trigger)
    task.updated_at = utcnow()
    session.add(task)
    return True


def bulk_move(
    session: Session, *, actor: UserRead, task_ids: Iterable[int], status: str
) -> list[TaskRead]:
    """Set one status on many tasks: all of them or, if any is refused, none."""
    ids = list(dict.fromkeys(int(i) for i in task_ids))
    if not ids:
        raise ValidationError("Select at least one task.")
    return [move(session, actor=actor, task_id=i, status=status) for i in ids]


def bulk_assign(
    session: Session, *, actor: UserRead, task_ids: Iterable[int], artist_id: int | None
) -> list[TaskRead]:
    """Assign many tasks to one artist (or unassign): all or none."""
    ids = list(dict.fromkeys(int(i) for i in task_ids))
    if not ids:
        raise ValidationError("Select at least one task.")
    return [assign(session, actor=actor, task_id=i, artist_id=artist_id) for i in ids]
