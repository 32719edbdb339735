"""A shot's or an asset's page: details, its tasks with their latest versions, its activity."""

from dataclasses import dataclass

import reflex as rx

from feedback_app import routes
from services import activity, assets, media_access, overview, shots, tasks
from services.db import session_scope
from services.errors import DomainError, NotFound
from state.base import AppState, guard
from state.formatting import type_label
from state.project import ASSET_QUICK, SHOT_QUICK
from state.review_rows import PROCESSING_LABELS
from state.rows import (
    ActivityRow,
    ItemRow,
    TaskRow,
    activity_row,
    approval_label,
    item_row,
    task_row,
)


@dataclass
class LatestVersion:
    """The newest version of one of the item's tasks, as a card linking to its review."""

    task_id: int
    version_id: int
    type_label: str
    label: str
    state: str
    state_label: str
    approval: str
    approval_label: str
    thumb: str
    shared: bool = False


class ItemState(AppState):
    kind: str = "shot"  # "shot" or "asset"
    item_id: int = 0
    project_id: int = 0
    item: ItemRow | None = None
    description: str = ""
    tasks: list[TaskRow] = []
    latest: list[LatestVersion] = []
    activity: list[ActivityRow] = []
    board_url: str = ""  # the By Shot / By Asset board: this item's tasks only
    # the edit dialog's current values
    edit_open: bool = False
    edit_error: str = ""
    e_name: str = ""
    e_frame_in: str = ""
    e_frame_out: str = ""
    e_due: str = ""
    e_status: str = "ACTIVE"

    def _load(self, actor) -> None:
        key = {"shot_id": self.item_id} if self.kind == "shot" else {"asset_id": self.item_id}
        with session_scope() as s:
            if self.kind == "shot":
                info = shots.get_shot(s, actor=actor, shot_id=self.item_id)
            else:
                info = assets.get_asset(s, actor=actor, asset_id=self.item_id)
            if info.project_id != self.project_id:
                raise NotFound(f"{self.kind.title()} not found.")
            self.e_name, self.e_status = info.name, info.status
            self.e_due = info.due_date.isoformat() if info.due_date else ""
            frames = (getattr(info, "frame_in", None), getattr(info, "frame_out", None))
            self.e_frame_in, self.e_frame_out = (str(f) if f is not None else "" for f in frames)
            ov = overview.item_overview(s, actor=actor, **key)
            self.item = item_row(ov, SHOT_QUICK if self.kind == "shot" else ASSET_QUICK)
            with_version = [c for c in ov.chips if c.latest_version_id]
            thumbs = media_access.thumbnail_urls(
                s, actor=actor, version_ids=[c.latest_version_id for c in with_version]
            )
            self.latest = [
                LatestVersion(
                    task_id=c.task_id,
                    version_id=c.latest_version_id,
                    type_label=type_label(c.type),
                    label=c.latest_version,
                    state=c.processing_state,
                    state_label=PROCESSING_LABELS.get(c.processing_state, c.processing_state),
                    approval=c.approval,
                    approval_label=approval_label(c.approval, c.approval_stage),
                    thumb=thumbs.get(c.latest_version_id) or "",
                    shared=c.is_client_visible,
                )
                for c in with_version
            ]
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
        self.board_url = routes.project_board(self.project_id, **{f"{kind}_id": self.item_id})
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

    @rx.event
    def set_edit_open(self, value: bool):
        self.edit_open = value
        self.edit_error = ""

    @rx.event
    def save_item(self, form: dict):
        fields = {
            "name": form.get("name", ""),
            "description": form.get("description", ""),
            "due_date": form.get("due_date", ""),
            "status": form.get("status", "ACTIVE"),
        }
        try:
            if self.kind == "shot":
                self.call(
                    shots.update_shot,
                    shot_id=self.item_id,
                    frame_in=form.get("frame_in", ""),
                    frame_out=form.get("frame_out", ""),
                    **fields,
                )
            else:
                self.call(assets.update_asset, asset_id=self.item_id, **fields)
        except DomainError as e:
            self.edit_error = str(e)
            return
        self.edit_open = False
        self._load(self.actor())
        return rx.toast.success("Saved")
