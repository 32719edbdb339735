import reflex as rx

from services import activity, tasks, versions
from services.db import session_scope
from services.errors import NotFound
from state.base import AppState, guard
from state.rows import (
    ActivityRow,
    TaskRow,
    VersionRow,
    activity_row,
    task_row,
    version_row,
)


class MyTasksState(AppState):
    tasks: list[TaskRow] = []

    @rx.event
    @guard()
    def on_load(self, actor):
        with session_scope() as s:
            self.tasks = [task_row(t) for t in tasks.list_my_tasks(s, actor=actor)]


class TaskState(AppState):
    task: TaskRow | None = None
    description: str = ""
    estimated_hours: str = ""
    shot_id: int = 0
    asset_id: int = 0
    watching: bool = False
    versions: list[VersionRow] = []
    activity: list[ActivityRow] = []

    @rx.event
    @guard()
    def on_load(self, actor):
        try:
            task_id = int(self.route_arg("task_id"))
        except ValueError:
            raise NotFound("Task not found.") from None
        self.task = None
        with session_scope() as s:
            t = tasks.get_task(s, actor=actor, task_id=task_id)
            self.versions = [
                version_row(v) for v in versions.list_for_task(s, actor=actor, task_id=t.id)
            ]
            self.activity = [
                activity_row(a) for a in activity.list_for_task(s, actor=actor, task_id=t.id)
            ]
        self.task = task_row(t)
        self.description = t.description
        self.estimated_hours = f"{t.estimated_hours:g} h" if t.estimated_hours is not None else ""
        self.shot_id, self.asset_id = t.shot_id or 0, t.asset_id or 0
        self.watching = actor.id in t.watcher_ids
