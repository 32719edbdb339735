"""The New Task dialog, shared by the project's tabs, shot/asset pages and /tasks."""

from dataclasses import dataclass

import reflex as rx

from models import TaskType
from services import choices, tasks
from services.db import session_scope
from services.errors import DomainError
from state.base import AppState

TASK_TYPES = [t.value for t in TaskType]
PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"]
NOBODY = "none"


@dataclass
class Option:
    value: str
    label: str


class TaskDialogState(AppState):
    open: bool = False
    error: str = ""
    parent_fixed: bool = False
    parent: str = ""
    parent_label: str = ""
    parents: list[Option] = []
    artists: list[Option] = []
    supervisors: list[Option] = []
    created_id: int = 0

    def _prepare(self, project_id: int | None, parent: str = "", label: str = ""):
        actor = self.actor()
        try:
            with session_scope() as s:
                self.parents = [
                    Option(c.value, c.label)
                    for c in choices.task_parents(s, actor=actor, project_id=project_id)
                ]
                artists, sups = choices.assignees(s, actor=actor)
        except DomainError as e:
            return rx.toast.error(str(e))
        none = [Option(NOBODY, "Unassigned")]
        self.artists = none + [Option(c.value, c.label) for c in artists]
        self.supervisors = none + [Option(c.value, c.label) for c in sups]
        self.parent, self.parent_label, self.parent_fixed = parent, label, bool(parent)
        self.error = ""
        self.open = True

    @rx.event
    def open_for_parent(self, parent: str, label: str, project_id: int):
        return self._prepare(project_id, parent, label)

    @rx.event
    def open_for_project(self, project_id: int):
        return self._prepare(project_id)

    @rx.event
    def open_anywhere(self):
        return self._prepare(None)

    @rx.event
    def set_open(self, value: bool):
        self.open = value
        self.error = ""

    @rx.event
    def set_parent(self, value: str):
        self.parent = value

    @rx.event
    def create(self, form: dict):
        parent = self.parent or form.get("parent", "")
        kind, _, raw_id = parent.partition(":")
        if kind not in ("shot", "asset") or not raw_id.isdecimal():
            self.error = "Pick the shot or asset this task is for."
            return
        artist = form.get("artist", NOBODY)
        supervisor = form.get("supervisor", NOBODY)
        try:
            t = self.call(
                tasks.create_task,
                shot_id=int(raw_id) if kind == "shot" else None,
                asset_id=int(raw_id) if kind == "asset" else None,
                type=form.get("type", "GENERAL"),
                title=form.get("title", ""),
                description=form.get("description", ""),
                assigned_artist_id=None if artist in ("", NOBODY) else int(artist),
                assigned_supervisor_id=None if supervisor in ("", NOBODY) else int(supervisor),
                due_date=form.get("due_date", ""),
                priority=form.get("priority", "NORMAL"),
                estimated_hours=form.get("estimated_hours", ""),
            )
        except DomainError as e:
            self.error = str(e)
            return
        self.open = False
        self.created_id = t.id
        return rx.toast.success(f"{t.parent_code} {t.title} created")
