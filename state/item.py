"""A shot's or an asset's page: details, its tasks with their latest versions, its activity."""

import reflex as rx

from services import activity, assets, overview, shots, tasks
from services.db import session_scope
from services.errors import DomainError, NotFound
from state.base import AppState, guard
from state.project import ASSET_QUICK, SHOT_QUICK
from state.rows import ActivityRow, ItemRow, TaskRow, activity_row, item_row, task_row


class ItemState(AppState):
    kind: str = "shot"  # "shot" or "asset"
    item_id: int = 0
    project_id: int = 0
    item: ItemRow | None = None
    description: str = ""
    tasks: list[TaskRow] = []
    activity: list[ActivityRow] = []

    def _load(self, actor) -> None:
        key = {"shot_id": self.item_id} if self.kind == "shot" else {"asset_id": self.item_id}
        with session_scope() as s:
            if self.kind == "shot":
                info = shots.get_shot(s, actor=actor, shot_id=self.item_id)
            else:
                info = assets.get_asset(s, actor=actor, asset_id=self.item_id)
            if info.project_id != self.project_id:
                raise NotFound(f"{self.kind.title()} not found.")
            ov = overview.item_overview(s, actor=actor, **key)
            self.item = item_row(ov, SHOT_QUICK if self.kind == "shot" else ASSET_QUICK)
            self.description = info.description
            self.tasks = [
                task_row(t)
                for t in tasks.list_tasks(s, actor=actor, project_id=self.project_id, **key)
            ]
            self.activity = [activity_row(a) for a in activity.list_for_item(s, actor=actor, **key)]

    def _open(self, actor, kind: str):
        try:
            self.project_id = int(self.route_arg("project_id"))
            self.item_id = int(self.route_arg(f"{kind}_id"))
        except ValueError:
            raise NotFound(f"{kind.title()} not found.") from None
        self.kind = kind
        self.item = None
        self._load(actor)

    @rx.event
    @guard()
    def on_load_shot(self, actor):
        self._open(actor, "shot")

    @rx.event
    @guard()
    def on_load_asset(self, actor):
        self._open(actor, "asset")

    @rx.event
    def reload(self):
        actor = self.actor()
        if actor is None or not self.item_id:
            return
        try:
            self._load(actor)
        except DomainError as e:
            return rx.toast.error(str(e))

    @rx.event
    def quick_add(self, task_type: str):
        key = {"shot_id": self.item_id} if self.kind == "shot" else {"asset_id": self.item_id}
        try:
            t = self.call(tasks.quick_add, type=task_type, **key)
        except DomainError as e:
            return rx.toast.error(str(e))
        self._load(self.actor())
        return rx.toast.success(f"{t.parent_code} {t.title} added")
