"""The overdue job: TASK_OVERDUE once per task and due date, for tasks past due and not DONE.

The overdue_notice row (PRIMARY KEY task_id, due_date) is the memory of what was sent and the
arbiter between two runs that overlap (the scheduler and `python -m feedback_app
send-overdue`): only the run that inserts it notifies. Moving a task's due date re-arms it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, and_, select

from models import NotificationType, OverdueNotice, Project, Task, TaskStatus
from models.base import utcnow
from services.dates import date_label
from services.inserts import insert_if_absent
from services.notifications import Occurrence, notify, task_link, task_name, task_parties


@dataclass(frozen=True)
class OverdueRun:
    tasks: int  # overdue tasks noticed for the first time at their current due date
    notifications: int


def send_overdue(session: Session, *, today: date) -> OverdueRun:
    """Notify artist and supervisor of every task due before `today` and not DONE, unless
    already done for that due date. Archived projects are left alone. Runs in the caller's
    unit of work; the notifications announce themselves after its commit."""
    noticed = select(OverdueNotice.task_id).where(
        and_(OverdueNotice.task_id == Task.id, OverdueNotice.due_date == Task.due_date)
    )
    overdue = session.exec(
        select(Task)
        .join(Project, Project.id == Task.project_id)
        .where(
            Task.due_date < today,
            Task.status != TaskStatus.DONE,
            Project.archived_at.is_(None),
            ~noticed.exists(),
        )
        .order_by(Task.due_date, Task.id)
    ).all()
    tasks = notifications = 0
    for task in overdue:
        first = insert_if_absent(
            session,
            OverdueNotice.__table__,
            {"task_id": task.id, "due_date": task.due_date, "sent_at": utcnow()},
            ["task_id", "due_date"],
        )
        if not first:
            continue  # another run got there first
        occ = Occurrence(
            kind=NotificationType.TASK_OVERDUE,
            key=f"overdue:t{task.id}:{task.due_date.isoformat()}",
            project_id=task.project_id,
            task_id=task.id,
            text=f"{task_name(session, task)} overdue (due {date_label(task.due_date, today)})",
            link=task_link(task.id),
        )
        tasks += 1
        notifications += len(notify(session, occ, task_parties(session, task), actor_id=None))
    return OverdueRun(tasks=tasks, notifications=notifications)
