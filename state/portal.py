"""The client portal's state, for two kinds of viewer on the same pages:

- a CLIENT user signed in (/portal, /portal/review/<version>): the shared versions of the
  projects they belong to;
- a link guest (/r/<token>, /r/<token>/<version>): the shared versions of that review
  session, after giving a name (and the password when the link has one). The guest's browser
  keeps a guest token in a cookie; every event resolves it again (services.sharing), so a
  revoked or expired link stops working at the next click.

What reaches the browser comes only from services.portal's read models: no task status,
artist, internal comment, internal decision or file name. The task a room follows for live
updates lives in a backend-only var (leading underscore), never sent to the browser.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

import anyio.to_thread
import reflex as rx

from feedback_app import routes
from feedback_app.live_reviews import hub
from services import annotations, media_access, portal, reviews, sharing
from services.db import session_scope
from services.errors import DomainError, NotFound, PermissionDenied
from services.schemas import GuestRead, UserRead
from state.base import AppState, chain, toast_error
from state.comment_actions import CommentActions
from state.formatting import when
from state.review_rows import RoomComment, player_media, room_comments

GUEST_COOKIE = "fb_guest"
DECISION_LABELS = {"APPROVED": "Approved", "CHANGES_REQUESTED": "Changes requested"}


@dataclass
class PortalCard:
    id: int  # the latest shared version
    title: str
    project: str
    label: str
    shared: str
    thumb: str
    decision: str
    decision_label: str
    earlier: list[dict]  # {"id", "label"} of earlier shared versions
    href: str


@dataclass
class PortalVersionCard:
    id: int
    label: str
    thumb: str
    href: str


@dataclass
class DecisionRow:
    who: str
    decision: str
    label: str
    note: str
    version: str
    when: str


class PortalViewer(AppState):
    """Who is looking: a CLIENT user, or the guest of the link in the URL."""

    guest_token: str = rx.Cookie(
        "", name=GUEST_COOKIE, max_age=60 * 60 * 24 * 30, same_site="lax", path="/r/"
    )
    link_token: str = ""  # the /r/<token> of this page ("" for the signed-in portal)
    viewer_name: str = ""

    def viewer(self) -> UserRead | GuestRead | None:
        self.link_token = self.route_arg("token")
        if self.link_token:
            with session_scope() as s:
                guest = sharing.resolve_guest(
                    s, guest_token=self.guest_token, token=self.link_token
                )
            self.viewer_name = guest.name if guest else ""
            return guest
        actor = self.actor()
        self.viewer_name = actor.name if actor else ""
        return actor

    def portal_href(self, version_id: int | None = None) -> str:
        if self.link_token:
            base = routes.link(self.link_token)
            return f"{base}/{version_id}" if version_id else base
        return routes.portal_review(version_id) if version_id else routes.PORTAL

    def _leave(self):
        """Not (or no longer) allowed here: the sign-in page, or the link's own page."""
        if self.link_token:
            return rx.redirect(routes.link(self.link_token))
        return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")

    def _studio(self, viewer) -> bool:
        return not isinstance(viewer, GuestRead) and viewer.role != "CLIENT"


class PortalState(PortalViewer):
    """The list: /portal and /r/<token>."""

    loaded: bool = False
    link_state: str = ""  # for /r/<token>: active, expired, revoked, invalid
    needs_password: bool = False
    needs_name: bool = False
    session_name: str = ""
    project_name: str = ""
    gate_error: str = ""
    cards: list[PortalCard] = []
    live_epoch: str = ""
    _live_projects: list[int] = []

    @rx.event
    def on_load(self):
        self.loaded, self.gate_error, self.cards = False, "", []
        token = self.route_arg("token")
        if token:
            with session_scope() as s:
                info = sharing.open_link(s, token=token)
            self.link_state, self.needs_password = info.state, info.needs_password
            self.session_name, self.project_name = info.session_name, info.project_name
            if info.state != "active":
                self.loaded = True
                return None
        viewer = self.viewer()
        if viewer is None:
            if token:
                self.needs_name, self.loaded = True, True
                return None
            return self._leave()
        if self._studio(viewer):
            return [rx.redirect(routes.home_for(viewer.role))]
        self.needs_name = False
        self._read(viewer)
        self._follow(viewer)
        self.loaded = True
        return None

    def _read(self, viewer) -> None:
        with session_scope() as s:
            items = portal.list_items(s, actor=viewer)
        self.cards = [
            PortalCard(
                id=i.latest.id,
                title=i.title,
                project=i.project_name,
                label=i.latest.label,
                shared=when(i.latest.shared_at),
                thumb=i.latest.thumbnail_url or "",
                decision=i.decision,
                decision_label=DECISION_LABELS.get(i.decision, ""),
                earlier=[{"id": str(e.id), "label": e.label} for e in i.earlier],
                href=self.portal_href(i.latest.id),
            )
            for i in items
        ]

    def _follow(self, viewer) -> None:
        with session_scope() as s:
            projects = portal.project_ids(s, actor=viewer)
        self._live_projects = sorted(projects)
        self.live_epoch = hub.open_projects(self.router.session.client_token, projects, PortalState)

    async def _live_refresh(self) -> None:
        viewer = await anyio.to_thread.run_sync(self.viewer)
        if viewer is None:
            self.cards = []  # revoked or expired meanwhile: the next click says so
            return
        with contextlib.suppress(DomainError):
            await anyio.to_thread.run_sync(lambda: self._read(viewer))

    @rx.event
    def attach(self):
        token = self.router.session.client_token
        if not self.loaded or hub.is_open(token, self.live_epoch):
            return None
        self.live_epoch = hub.reopen(
            token, 0, [PortalState.get_full_name()], set(self._live_projects)
        )
        viewer = self.viewer()
        if viewer is not None:
            self._read(viewer)
        return None

    @rx.event
    def leave(self, epoch: str):
        hub.close(self.router.session.client_token, str(epoch))

    # ---------------------------------------------------------------- the link's gate

    @rx.event
    def enter(self, form: dict):
        token = self.route_arg("token")
        with session_scope() as s:
            got = sharing.enter_link(
                s,
                token=token,
                name=str(form.get("name", "")),
                password=str(form.get("password", "")),
            )
        if got.guest is None:
            self.gate_error = got.error
            return None
        self.guest_token = got.guest_token
        self.gate_error, self.needs_name = "", False
        self.viewer_name = got.guest.name
        self._read(got.guest)
        self._follow(got.guest)
        return None


class PortalRoomState(CommentActions, PortalViewer):
    """The player: /portal/review/<version> and /r/<token>/<version>."""

    loaded: bool = False
    title: str = ""
    project_name: str = ""
    version_id: int = 0
    version_label: str = ""
    start_frame: int = 1001
    fps: float = 24.0
    media: dict = {}
    versions: list[PortalVersionCard] = []
    comments: list[RoomComment] = []
    annotations: list[dict] = []
    decisions: list[DecisionRow] = []
    decision: str = ""
    can_comment: bool = False
    can_decide: bool = False
    latest: bool = True
    approval_note: str = ""
    current_frame: int = 0
    initial_frame: int = 0
    load_seq: int = 0
    draft_reset: int = 0
    live_epoch: str = ""
    back_href: str = ""
    _task_id: int = 0

    @rx.event
    def on_load(self):
        self.loaded = False
        viewer = self.viewer()
        if viewer is None:
            return self._leave()
        if self._studio(viewer):
            return rx.redirect(routes.review(self.route_arg("version_id") or 0))
        try:
            version_id = int(self.route_arg("version_id"))
            self._read(viewer, version_id)
        except (ValueError, NotFound, PermissionDenied):
            return [
                rx.toast.error("That version is not shared with you."),
                rx.redirect(self.portal_href()),
            ]
        self.initial_frame = self.current_frame = 0
        self.load_seq += 1
        self.approval_note = ""
        self.back_href = self.portal_href()
        self.live_epoch = hub.open(self.router.session.client_token, self._task_id, PortalRoomState)
        self.loaded = True
        return None

    def _read(self, viewer, version_id: int) -> None:
        with session_scope() as s:
            room = portal.room(s, actor=viewer, version_id=version_id)
            media = media_access.version_media(s, actor=viewer, version_id=room.version_id)
        self._task_id = room.task_id
        self.title, self.project_name = room.title, room.project_name
        self.version_id, self.version_label = room.version_id, room.version_label
        self.start_frame = room.start_frame
        self.fps = media.fps or room.project_fps
        self.media = player_media(media, room.version_label)
        self.versions = [
            PortalVersionCard(
                id=v.id, label=v.label, thumb=v.thumbnail_url or "", href=self.portal_href(v.id)
            )
            for v in room.versions
        ]
        self.comments = room_comments(list(room.comments), self.start_frame, self.fps)
        self._keep_open_actions(self.comments)
        self.annotations = [
            {"comment_id": c.id, "frame": c.frame, "shapes": list(c.shapes)}
            for c in room.comments
            if c.shapes and c.frame is not None
        ]
        self.decisions = [
            DecisionRow(
                who=d.who,
                decision=d.decision,
                label=DECISION_LABELS.get(d.decision, d.decision),
                note=d.note,
                version=d.version_label,
                when=when(d.created_at),
            )
            for d in room.decisions
        ]
        self.decision = room.decision
        self.can_comment, self.can_decide, self.latest = (
            room.can_comment,
            room.can_decide,
            room.latest,
        )

    def _refresh(self):
        viewer = self.viewer()
        if viewer is None:
            return self._leave()
        try:
            self._read(viewer, self.version_id)
        except DomainError:
            return [rx.toast.error("This version was withdrawn."), rx.redirect(self.portal_href())]
        return None

    async def _live_refresh(self) -> None:
        if not self.version_id:
            return
        viewer = await anyio.to_thread.run_sync(self.viewer)
        if viewer is None:
            return
        try:
            await anyio.to_thread.run_sync(lambda: self._read(viewer, self.version_id))
        except DomainError:  # withdrawn: the page says so instead of a stale player
            self.media, self.can_comment, self.can_decide = {}, False, False
            self.comments, self.annotations = [], []

    @rx.event
    def attach(self):
        token = self.router.session.client_token
        if not self._task_id or hub.is_open(token, self.live_epoch):
            return None
        self.live_epoch = hub.reopen(token, self._task_id, [PortalRoomState.get_full_name()])
        return self._refresh()

    @rx.event
    def leave(self, epoch: str):
        hub.close(self.router.session.client_token, str(epoch))

    @rx.event
    def frame_changed(self, frame: int):
        with contextlib.suppress(TypeError, ValueError):
            frames = int(self.media.get("frames") or 0) if self.media else 0
            index = max(0, int(frame))
            self.current_frame = min(index, frames - 1) if frames else index

    @rx.event
    def media_expired(self):
        return self._refresh()

    def _as_viewer(self, fn, **kwargs):
        viewer = self.viewer()
        if viewer is None:
            raise PermissionDenied("This review link no longer works.")
        with session_scope() as s:
            return fn(s, actor=viewer, **kwargs)

    _as_commenter = _as_viewer

    @rx.event
    def post_comment(self, body: str, frame: int, shapes: str, for_client: bool):
        try:
            drawn = json.loads(shapes) if shapes else []
            at = int(frame)
        except (TypeError, ValueError):
            return rx.toast.error("That drawing could not be read; try again.")
        try:
            self._as_viewer(
                annotations.add_comment,
                version_id=self.version_id,
                body=str(body or ""),
                frame=None if at < 0 else at,
                shapes=drawn,
            )
        except DomainError as e:
            return toast_error(e)
        self.draft_reset += 1
        return self._refresh()

    @rx.event
    def set_approval_note(self, text: str):
        self.approval_note = str(text or "")[:5000]

    def _decide(self, decision: str, done: str):
        try:
            self._as_viewer(
                reviews.record_approval,
                version_id=self.version_id,
                decision=decision,
                note=self.approval_note,
            )
        except DomainError as e:
            return toast_error(e)
        self.approval_note = ""
        return chain(self._refresh(), rx.toast.success(done))

    @rx.event
    def approve(self):
        return self._decide("APPROVED", f"{self.title} {self.version_label} approved. Thank you!")

    @rx.event
    def request_changes(self):
        if not self.approval_note.strip():
            return rx.toast.error("Tell the studio what to change: write a note first.")
        return self._decide("CHANGES_REQUESTED", "Changes requested: the studio is on it.")

    @rx.var
    def current_frame_label(self) -> str:
        return str(self.start_frame + self.current_frame)

    @rx.var
    def decision_label(self) -> str:
        return DECISION_LABELS.get(self.decision, "")
