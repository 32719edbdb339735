import reflex as rx

from feedback_app import routes
from services import projects
from services.db import session_scope
from services.errors import DomainError
from state.base import AppState, guard
from state.rows import ProjectRow, project_row


class ProjectsState(AppState):
    projects: list[ProjectRow] = []
    archived_projects: list[ProjectRow] = []  # shown under "Show archived"
    show_archived: bool = False
    create_open: bool = False
    create_error: str = ""

    def _load(self, actor) -> None:
        with session_scope() as s:
            self.projects = [project_row(p) for p in projects.list_projects(s, actor=actor)]
            self.archived_projects = [
                project_row(p) for p in projects.list_projects(s, actor=actor, archived=True)
            ]

    @rx.event
    @guard()
    def on_load(self, actor):
        self.show_archived = False  # each visit opens on the running shows
        self._load(actor)

    @rx.event
    def set_show_archived(self, value: bool):
        self.show_archived = bool(value)

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value
        self.create_error = ""

    @rx.event
    def create(self, form: dict):
        try:
            p = self.call(
                projects.create_project,
                code=form.get("code", ""),
                name=form.get("name", ""),
                fps=form.get("fps", "24") or "24",
                start_frame=form.get("start_frame", "1001") or "1001",
                resolution=form.get("resolution", "1920x1080") or "1920x1080",
                description=form.get("description", ""),
            )
        except DomainError as e:
            self.create_error = str(e)
            return
        self.create_open = False
        self.create_error = ""
        return [rx.toast.success(f"Project {p.code} created"), rx.redirect(routes.project(p.id))]
