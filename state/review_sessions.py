"""/projects/<id>/reviews: the project's client review sessions (links): copy a link, extend
or revoke it, see which versions it holds and what the client did there. Staff only; the
rules are services.sharing's. Live: a share, a withdrawal, a client decision or a change to
a session refreshes the page (the review hub follows the project)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import anyio.to_thread
import reflex as rx

from feedback_app import routes
from feedback_app.live_reviews import hub
from services import access, sharing
from services.dates import date_label
from services.db import session_scope
from services.errors import DomainError, NotFound
from state.base import AppState, chain, guard, toast_error
from state.formatting import when
from state.share import copy_link_script

STATE_COLORS = {"active": "green", "expired": "amber", "revoked": "red"}


@dataclass
class SessionRow:
    id: int
    name: str
    state: str
    expires: str
    created: str
    created_by: str
    has_password: bool
    link: str
    versions: list[dict]  # {"id", "title", "shared", "href"}
    activity: list[dict]  # {"when", "text"}
    guests: int


class ReviewSessionsState(AppState):
    loaded: bool = False
    project_id: int = 0
    project_name: str = ""
    rows: list[SessionRow] = []
    origin: str = ""  # where the browser reached us: links are shown whole
    live_epoch: str = ""
    new_open: bool = False
    new_error: str = ""

    @rx.event
    @guard()
    def on_load(self, actor):
        try:
            self.project_id = int(self.route_arg("project_id"))
        except ValueError:
            raise NotFound("Project not found.") from None
        self.origin = self.router.headers.origin or ""
        self._read(actor)
        self.live_epoch = hub.open_projects(
            self.router.session.client_token, {self.project_id}, ReviewSessionsState
        )
        self.loaded = True

    def _read(self, actor) -> None:
        with session_scope() as s:
            project = access.load_project(s, actor, self.project_id)
            details = sharing.list_sessions(s, actor=actor, project_id=self.project_id)
        self.project_name = project.name
        self.rows = [
            SessionRow(
                id=d.session.id,
                name=d.session.name,
                state=d.session.state,
                expires=date_label(d.session.expires_at) if d.session.expires_at else "never",
                created=when(d.session.created_at),
                created_by=d.session.created_by_name,
                has_password=d.session.has_password,
                link=d.session.link,
                versions=[
                    {
                        "id": str(v.id),
                        "title": v.title,
                        "shared": "1" if v.shared else "",
                        "href": routes.review(v.id),
                    }
                    for v in d.versions
                ],
                activity=[{"when": when(a.when), "text": a.text} for a in d.activity],
                guests=d.guests,
            )
            for d in details
        ]

    def _refresh(self):
        actor = self.actor()
        if actor is None:
            return rx.redirect(routes.LOGIN)
        try:
            self._read(actor)
        except DomainError as e:
            return toast_error(e)
        return None

    async def _live_refresh(self) -> None:
        actor = await anyio.to_thread.run_sync(self.actor)
        if actor is None or not self.project_id:
            return
        try:
            await anyio.to_thread.run_sync(lambda: self._read(actor))
        except DomainError:
            self.rows = []

    @rx.event
    def attach(self):
        token = self.router.session.client_token
        if not self.project_id or hub.is_open(token, self.live_epoch):
            return None
        self.live_epoch = hub.reopen(
            token, 0, [ReviewSessionsState.get_full_name()], {self.project_id}
        )
        return self._refresh()

    @rx.event
    def leave(self, epoch: str):
        hub.close(self.router.session.client_token, str(epoch))

    @rx.event
    def copy(self, link: str):
        if not link:
            return rx.toast.error("This link cannot be copied; create a new one.")
        return [rx.call_script(copy_link_script(str(link))), rx.toast.success("Link copied")]

    @rx.event
    def extend(self, session_id: int):
        try:
            read = self.call(sharing.extend_session, review_session_id=int(session_id))
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        return chain(
            self._refresh(), rx.toast.success(f"Extended to {date_label(read.expires_at)}")
        )

    @rx.event
    def revoke(self, session_id: int):
        try:
            self.call(sharing.revoke_session, review_session_id=int(session_id))
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        return chain(self._refresh(), rx.toast.success("Link revoked: it no longer opens"))

    @rx.event
    def unshare(self, version_id: int):
        try:
            self.call(sharing.unshare_version, version_id=int(version_id))
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        return chain(self._refresh(), rx.toast.success("Withdrawn from the client"))

    @rx.event
    def set_new_open(self, value: bool):
        self.new_open, self.new_error = bool(value), ""

    @rx.event
    def create(self, form: dict):
        try:
            raw = str(form.get("expires_on", "") or "")
            spec = sharing.NewSession(
                name=str(form.get("name", "")),
                expires_on=date.fromisoformat(raw) if raw else None,
                password=str(form.get("password", "")),
            )
            self.call(sharing.create_session, project_id=self.project_id, spec=spec)
        except ValueError:
            self.new_error = "Pick an expiry date."
            return None
        except DomainError as e:
            self.new_error = str(e)
            return None
        self.new_open, self.new_error = False, ""
        return chain(self._refresh(), rx.toast.success("Review link created"))

    @rx.var
    def board_href(self) -> str:
        return routes.project(self.project_id) if self.project_id else routes.PROJECTS
