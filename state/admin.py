from dataclasses import dataclass

import reflex as rx

from services import permissions, projects, users
from services.db import session_scope
from services.errors import DomainError
from state.base import AppState, guard
from state.rows import UserRow, user_row

ROLES = ["ADMIN", "PRODUCER", "SUPERVISOR", "ARTIST", "CLIENT"]


@dataclass
class ProjectOption:
    id: str
    label: str


class AdminState(AppState):
    users: list[UserRow] = []
    project_options: list[ProjectOption] = []
    selected_project: str = ""
    member_ids: list[int] = []
    create_open: bool = False
    create_error: str = ""
    edit_id: int = 0  # the user whose name/password the edit dialog changes (0: closed)
    edit_name: str = ""
    edit_email: str = ""
    edit_error: str = ""

    def _reload(self, actor) -> None:
        with session_scope() as s:
            self.users = [
                user_row(u) for u in users.list_users(s, actor=actor, include_inactive=True)
            ]
            self.project_options = [
                # membership still matters on an archived show (its client's portal)
                ProjectOption(
                    id=str(p.id),
                    label=f"{p.code} · {p.name}" + (" (archived)" if p.archived_at else ""),
                )
                for p in projects.list_projects(s, actor=actor, archived=None)
            ]
            if not self.selected_project and self.project_options:
                self.selected_project = self.project_options[0].id
            self.member_ids = (
                users.member_ids(s, actor=actor, project_id=int(self.selected_project))
                if self.selected_project
                else []
            )

    @rx.event
    @guard()
    def on_load(self, actor):
        permissions.require(actor, "user.manage")
        self._reload(actor)

    def _act(self, fn, success: str | None = None, **kwargs):
        try:
            self.call(fn, **kwargs)
        except DomainError as e:
            return rx.toast.error(str(e))
        self._reload(self.actor())
        return rx.toast.success(success) if success else None

    @rx.event
    def set_role(self, user_id: int, role: str):
        return self._act(users.update_user, "Role updated", user_id=user_id, role=role)

    @rx.event
    def set_active(self, user_id: int, active: bool):
        return self._act(
            users.update_user,
            "Account enabled" if active else "Account disabled",
            user_id=user_id,
            is_active=active,
        )

    @rx.event
    def select_project(self, project_id: str):
        self.selected_project = project_id
        return self._act(lambda s, actor: None)

    @rx.event
    def set_member(self, user_id: int, member: bool):
        if not self.selected_project:
            return rx.toast.error("Pick a project first.")
        return self._act(
            users.set_membership,
            project_id=int(self.selected_project),
            user_id=user_id,
            member=member,
        )

    @rx.event
    def open_edit(self, user_id: int):
        row = next((u for u in self.users if u.id == int(user_id)), None)
        if row is None:
            return
        self.edit_id, self.edit_name, self.edit_email, self.edit_error = (
            row.id,
            row.name,
            row.email,
            "",
        )

    @rx.event
    def set_edit_open(self, value: bool):
        if not value:
            self.edit_id, self.edit_error = 0, ""

    @rx.event
    def save_edit(self, form: dict):
        password = str(form.get("password", "") or "")
        try:
            u = self.call(
                users.update_user,
                user_id=self.edit_id,
                name=str(form.get("name", "")),
                password=password or None,
            )
        except DomainError as e:
            self.edit_error = str(e)
            return
        self.edit_id = 0
        self._reload(self.actor())
        if password:
            return rx.toast.success(f"{u.name}'s password is set; their other sessions ended")
        return rx.toast.success(f"Saved {u.name}")

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value
        self.create_error = ""

    @rx.event
    def create_user(self, form: dict):
        try:
            u = self.call(
                users.create_user,
                email=form.get("email", ""),
                name=form.get("name", ""),
                role=form.get("role", "ARTIST") or "ARTIST",
                password=form.get("password", ""),
            )
        except DomainError as e:
            self.create_error = str(e)
            return
        self.create_open = False
        self._reload(self.actor())
        return rx.toast.success(f"{u.name} can now sign in")
