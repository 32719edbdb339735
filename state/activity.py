"""Live activity feeds: the project's Activity tab and the task page's activity.

Each is a page area of its own (not part of the project's or the task's big state), so a
pushed refresh reads and sends only the feed. Both follow their topics on the feed hub
(state.live.LiveArea) and read as the viewer: an artist's project feed shows their tasks only.
"""

from __future__ import annotations

import reflex as rx

from services import activity, feed_live
from services.db import session_scope
from services.errors import NotFound
from state.base import AppState, guard
from state.live import LiveArea
from state.rows import ActivityRow, activity_row


class ProjectActivityState(LiveArea, AppState):
    project_id: int = 0
    rows: list[ActivityRow] = []

    def _live_read(self, actor) -> None:
        with session_scope() as s:
            found = activity.list_for_project(s, actor=actor, project_id=self.project_id)
        fresh = [activity_row(a) for a in found]
        if fresh != self.rows:  # an unchanged feed is not sent again
            self.rows = fresh

    def _live_route_ok(self) -> bool:
        return self.route_arg("project_id") == str(self.project_id)

    @rx.event
    @guard()
    def on_load(self, actor):
        """Chained from the project page's load."""
        try:
            project_id = int(self.route_arg("project_id"))
        except ValueError:
            raise NotFound("Project not found.") from None
        if project_id != self.project_id:
            self.rows = []
        self.project_id = project_id
        self._load_live([feed_live.project_activity(project_id)], lambda: self._live_read(actor))


class TaskActivityState(LiveArea, AppState):
    task_id: int = 0
    rows: list[ActivityRow] = []

    def _live_read(self, actor) -> None:
        with session_scope() as s:
            found = activity.list_for_task(s, actor=actor, task_id=self.task_id)
        fresh = [activity_row(a) for a in found]
        if fresh != self.rows:
            self.rows = fresh

    def _live_route_ok(self) -> bool:
        return self.route_arg("task_id") == str(self.task_id)

    @rx.event
    @guard()
    def on_load(self, actor):
        """Chained from the task page's load."""
        try:
            task_id = int(self.route_arg("task_id"))
        except ValueError:
            raise NotFound("Task not found.") from None
        if task_id != self.task_id:
            self.rows = []
        self.task_id = task_id
        self._load_live([feed_live.task_activity(task_id)], lambda: self._live_read(actor))
