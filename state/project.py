import reflex as rx

from feedback_app import routes
from services import activity, assets, projects, shots, tasks
from services.db import session_scope
from services.errors import NotFound
from state.base import AppState, guard
from state.rows import (
    ActivityRow,
    AssetRow,
    ShotRow,
    TaskRow,
    activity_row,
    asset_row,
    shot_row,
    task_row,
)

TABS = ("shots", "assets", "tasks", "kanban", "activity")
COLUMNS = ("TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "CLIENT_REVIEW", "CHANGES", "DONE")


class ProjectState(AppState):
    project_id: int = 0
    code: str = ""
    name: str = ""
    description: str = ""
    fps: str = ""
    resolution: str = ""
    start_frame: int = 1001
    tab: str = "shots"
    shots: list[ShotRow] = []
    assets: list[AssetRow] = []
    tasks: list[TaskRow] = []
    activity: list[ActivityRow] = []

    @rx.event
    @guard()
    def on_load(self, actor):
        try:
            project_id = int(self.route_arg("project_id"))
        except ValueError:
            raise NotFound("Project not found.") from None
        tab = self.router.url.query_parameters.get("tab", "shots")
        self.tab = tab if tab in TABS else "shots"
        with session_scope() as s:
            p = projects.get_project(s, actor=actor, project_id=project_id)
            self.project_id, self.code, self.name = p.id, p.code, p.name
            self.description, self.fps = p.description, f"{p.fps:g}"
            self.resolution, self.start_frame = p.resolution, p.start_frame
            self.shots = [shot_row(x) for x in shots.list_shots(s, actor=actor, project_id=p.id)]
            self.assets = [
                asset_row(x) for x in assets.list_assets(s, actor=actor, project_id=p.id)
            ]
            self.tasks = [task_row(t) for t in tasks.list_tasks(s, actor=actor, project_id=p.id)]
            self.activity = [
                activity_row(a) for a in activity.list_for_project(s, actor=actor, project_id=p.id)
            ]

    @rx.event
    def set_tab(self, tab: str):
        if tab in TABS:
            self.tab = tab
            return rx.call_script(
                f"window.history.replaceState(null, '', '{routes.project(self.project_id)}?tab={tab}')"
            )
