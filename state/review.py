"""The review room's state: the player, its version switcher, comments and decisions.

One page area shared by /review/[version_id] and the task page (task page = review room +
production metadata). It follows one task: the version in the player, the task's other
versions, the comments and drawings on the one in the player, the approval history. It
refreshes itself when the review hub (feedback_app/live_reviews.py) says the task changed:
a comment, a decision, a new version, a step of the media pipeline.

Frames: the player and the services speak 0-based clip frame indexes; only labels add the
project's start frame.
"""

from __future__ import annotations

import contextlib
import json
import time

import anyio.to_thread
import reflex as rx

from feedback_app import routes
from feedback_app.live_reviews import hub
from services import (
    annotations,
    deletions,
    media_access,
    media_pipeline,
    review_room,
    reviews,
    uploads,
)
from services.db import session_scope
from services.errors import DomainError, NotFound, PermissionDenied
from services.schemas import UserRead, VersionCommentRead
from state.base import AppState, chain, guard, toast_error
from state.comment_actions import CommentActions
from state.formatting import when
from state.review_rows import (
    APPROVAL_LABELS,
    RoomComment,
    VersionCard,
    player_media,
    room_comments,
    version_card,
)
from state.rows import STATUS_TEXT, ApprovalRow

# A media link this close to its expiry is signed again on the next refresh.
RESIGN_MARGIN_SECONDS = 600


class ReviewState(CommentActions, AppState):
    loaded: bool = False
    page: str = "review"  # "review" (/review/<id>) or "task" (the task page)
    task_id: int = 0
    task_title: str = ""
    task_type: str = ""
    task_status: str = ""
    parent_code: str = ""
    project_id: int = 0
    project_code: str = ""
    start_frame: int = 1001
    fps: float = 24.0
    version_id: int = 0
    version_label: str = ""
    version_note: str = ""
    version_state: str = ""  # the processing state of the version in the player
    version_shared: bool = False  # shared with the client
    media: dict = {}
    compare: dict = {}
    versions: list[VersionCard] = []
    comments: list[RoomComment] = []
    annotations: list[dict] = []
    approvals: list[ApprovalRow] = []
    can_upload: bool = False
    can_comment: bool = False
    can_comment_for_client: bool = False
    can_approve: bool = False
    can_retry: bool = False
    current_frame: int = 0
    initial_frame: int = 0  # where the player starts (?frame=, or the frame kept on a switch)
    load_seq: int = 0  # bumped with initial_frame: the player goes there
    draft_reset: int = 0  # bumped when a comment is saved: the player clears its draft
    approval_note: str = ""
    reply_to: int = 0  # the comment whose reply box is open
    reply_for_client: bool = False
    live_epoch: str = ""
    gone: bool = False  # what the page shows was deleted (or access to it removed) while open
    delete_id: int = 0  # the version whose Delete asks for confirmation (0: none)
    delete_title: str = ""  # "SH010 Comp v003", as the confirmation names it
    upload_max_bytes: int = 0
    upload_extensions: list[str] = []
    upload_accept: str = ""
    _live_states: list[str] = []

    # ------------------------------------------------------------------ loading

    @rx.event
    @guard()
    def on_load(self, actor):
        """/review/[version_id][?frame=1012]"""
        try:
            version_id = int(self.route_arg("version_id"))
        except ValueError:
            raise NotFound("Version not found.") from None
        self.page = "review"
        self.gone = False
        self._open(actor, version_id=version_id, frame=self._frame_from_query())
        self._follow(open_new=True)

    @rx.event
    @guard()
    def on_load_task(self, actor):
        """The task page's review room: ?version=<id> or the newest version."""
        try:
            task_id = int(self.route_arg("task_id"))
        except ValueError:
            raise NotFound("Task not found.") from None
        wanted = self.router.url.query_parameters.get("version", "")
        frame = self._frame_from_query()
        self.page = "task"
        self.gone = False
        shown = False
        if wanted.isdecimal():
            with contextlib.suppress(NotFound, PermissionDenied):
                self._open(actor, version_id=int(wanted), frame=frame)
                shown = self.task_id == task_id  # a version of another task: this task's
        if not shown:
            self._open(actor, task_id=task_id, frame=frame)
        self._follow(open_new=False)

    def _frame_from_query(self) -> int | None:
        raw = self.router.url.query_parameters.get("frame", "")
        return int(raw) if raw.lstrip("-").isdecimal() else None

    def _open(
        self,
        actor: UserRead,
        *,
        version_id: int | None = None,
        task_id: int | None = None,
        frame: int | None = None,
    ) -> None:
        """Read the room; `frame` is a frame number as shown (start frame + index)."""
        self._read(actor, version_id=version_id, task_id=task_id, keep_media=False)
        index = (frame - self.start_frame) if frame is not None else 0
        self.initial_frame = self._clamp(index)
        self.current_frame = self.initial_frame
        self.load_seq += 1
        self.approval_note = ""
        self.loaded = True

    def _read(
        self,
        actor: UserRead,
        *,
        version_id: int | None = None,
        task_id: int | None = None,
        keep_media: bool = True,
    ) -> None:
        with session_scope() as s:
            room = review_room.room(s, actor=actor, version_id=version_id, task_id=task_id)
            labels = {v.id: v.label for v in room.versions}
            media = compare = None
            comment_reads: list[VersionCommentRead] = []
            if room.version_id is not None:
                media = media_access.version_media(s, actor=actor, version_id=room.version_id)
                comment_reads = review_room.comments(s, actor=actor, version_id=room.version_id)
            if room.previous_id is not None:
                compare = media_access.version_media(s, actor=actor, version_id=room.previous_id)
            approvals = reviews.approval_history(s, actor=actor, task_id=room.task.id)
        t = room.task
        self.task_id, self.task_title, self.task_type = t.id, t.title, t.type
        self.task_status, self.parent_code = t.status, t.parent_code
        self.project_id, self.project_code = t.project_id, t.project_code
        self.start_frame = room.start_frame
        self.can_upload, self.can_comment = room.can_upload, room.can_comment
        self.can_comment_for_client = room.can_comment_for_client
        self.can_approve, self.can_retry = room.can_approve, room.can_retry
        self.versions = [version_card(v) for v in room.versions]
        self.version_id = room.version_id or 0
        self.version_label = labels.get(self.version_id, "")
        current = next((v for v in room.versions if v.id == room.version_id), None)
        self.version_note = current.description if current else ""
        self.version_state = current.processing_state if current else ""
        self.version_shared = bool(current and current.is_client_visible)
        self.fps = (media.fps if media and media.fps else None) or room.project_fps
        new_media = player_media(media, self.version_label)
        self.media = self._keep_links(self.media, new_media) if keep_media else new_media
        new_compare = player_media(compare, labels.get(room.previous_id or 0, ""))
        self.compare = self._keep_links(self.compare, new_compare) if keep_media else new_compare
        self.comments = room_comments(comment_reads, self.start_frame, self.fps)
        self._keep_open_actions(self.comments)
        self.annotations = [
            {"comment_id": c.id, "frame": c.frame, "shapes": list(c.shapes)}
            for c in comment_reads
            if c.shapes and c.frame is not None
        ]
        self.approvals = [
            ApprovalRow(
                id=a.id,
                who=a.who,
                stage=a.stage.title(),
                decision=APPROVAL_LABELS.get(a.decision, a.decision),
                note=a.note,
                version=a.version_label,
                when=when(a.created_at),
            )
            for a in approvals
        ]
        limits = uploads.limits()
        self.upload_max_bytes = limits.max_bytes
        self.upload_extensions = list(limits.extensions)
        self.upload_accept = limits.accept

    @staticmethod
    def _keep_links(old: dict, new: dict) -> dict:
        """A refresh keeps the links the player already has while they have time left, so
        a comment by someone else does not reload the video under the reviewer."""
        if not old or not new:
            return new
        same = all(old.get(k) == new.get(k) for k in ("version_id", "state", "frames", "fps"))
        fresh = old.get("expires", 0) / 1000 - time.time() > RESIGN_MARGIN_SECONDS
        if same and fresh and bool(old.get("src")) == bool(new.get("src")):
            return {
                **new,
                "src": old.get("src"),
                "poster": old.get("poster"),
                "expires": old["expires"],
            }
        return new

    def _clamp(self, index: int) -> int:
        frames = int(self.media.get("frames") or 0) if self.media else 0
        if frames <= 0:
            return max(0, index)
        return min(max(0, index), frames - 1)

    def _as_commenter(self, fn, **kwargs):
        return self.call(fn, **kwargs)

    def _reread(self, actor: UserRead) -> None:
        """Read the room again as it stands. If its subject has gone (the version, its task or
        its project deleted, or the viewer's access removed), the page says so in place of a
        stale player: `gone`. The task page falls back to the task's newest version when only
        the version in its player went. Other refusals raise DomainError."""
        try:
            self._read(actor, version_id=self.version_id or None, task_id=self.task_id)
            return
        except (NotFound, PermissionDenied):
            if self.page != "task" or not self.version_id:
                self._mark_gone()
                return
        try:
            self._read(actor, task_id=self.task_id, keep_media=False)
        except (NotFound, PermissionDenied):
            self._mark_gone()

    def _mark_gone(self) -> None:
        self.gone = True
        self.media, self.compare = {}, {}  # the player lets go of its (now refused) links
        self.comments, self.annotations, self.versions, self.approvals = [], [], [], []
        self.can_upload = self.can_comment = self.can_comment_for_client = False
        self.can_approve = self.can_retry = False

    def _refresh(self):
        actor = self.actor()
        if actor is None or not self.task_id or self.gone:
            return None
        try:
            self._reread(actor)
        except DomainError as e:
            return rx.toast.error(str(e))
        return None

    def _after_refusal(self, e: Exception):
        """An action was refused: if that is because the room has gone, the page says so
        (no toast on top); otherwise the refusal is the toast."""
        if isinstance(e, (NotFound, PermissionDenied)):
            self._refresh()
        return None if self.gone else toast_error(e)

    async def _live_refresh(self) -> None:
        """Called by the review hub (inside app.modify_state) when the task changed."""
        if not self.task_id or self.gone:
            return
        actor = await anyio.to_thread.run_sync(self.actor)
        if actor is None:
            return
        with contextlib.suppress(DomainError):  # anything else refused: the next action says so
            await anyio.to_thread.run_sync(self._reread, actor)

    # ------------------------------------------------------------------ live

    def _follow(self, open_new: bool) -> None:
        token = self.router.session.client_token
        if open_new:
            self.live_epoch = hub.open(token, self.task_id, ReviewState)
        else:
            self.live_epoch = hub.join(token, self.task_id, ReviewState)
        self._live_states = hub.states_of(token)

    @rx.event
    def attach(self):
        """The player is on screen and connected (first load, or after a reconnect that may
        have landed on another worker): make sure this worker pushes to it."""
        token = self.router.session.client_token
        if not self.task_id or self.gone or hub.is_open(token, self.live_epoch):
            return None
        self.live_epoch = hub.reopen(token, self.task_id, self._live_states)
        return self._refresh()  # what changed while it was away

    @rx.event
    def leave(self, epoch: str):
        hub.close(self.router.session.client_token, str(epoch))

    # ------------------------------------------------------------------ the player

    @rx.event
    def frame_changed(self, frame: int):
        try:
            self.current_frame = self._clamp(int(frame))
        except (TypeError, ValueError):
            return

    @rx.event
    def select_version(self, version_id: int):
        """The switcher: another version of the same task, at the same frame."""
        if not any(v.id == version_id for v in self.versions):
            return None
        actor = self.actor()
        if actor is None:
            return rx.redirect(routes.LOGIN)
        keep = self.current_frame
        try:
            self._read(actor, version_id=int(version_id), keep_media=False)
        except DomainError as e:
            return self._after_refusal(e)
        self.initial_frame = self.current_frame = self._clamp(keep)
        self.load_seq += 1
        frame = self.start_frame + self.current_frame
        if self.page == "review":
            url = f"{routes.review(self.version_id)}?frame={frame}"
        else:
            url = f"{routes.task(self.task_id)}?version={self.version_id}&frame={frame}"
        return rx.call_script(f"window.history.replaceState(window.history.state, '', {url!r})")

    @rx.event
    def media_expired(self):
        """The player's links stopped working (or are about to): sign new ones."""
        actor = self.actor()
        if actor is None or not self.task_id:
            return None
        try:
            self._read(actor, version_id=self.version_id or None, keep_media=False)
        except DomainError as e:
            return self._after_refusal(e)
        return None

    @rx.event
    def post_comment(self, body: str, frame: int, shapes: str, for_client: bool):
        """The player's composer: text, the frame (-1: the whole version) and the shapes
        drawn on it (JSON, normalised coordinates)."""
        try:
            drawn = json.loads(shapes) if shapes else []
            at = int(frame)
        except (TypeError, ValueError):
            return rx.toast.error("That drawing could not be read; try again.")
        try:
            self.call(
                annotations.add_comment,
                version_id=self.version_id,
                body=str(body or ""),
                frame=None if at < 0 else at,
                shapes=drawn,
                client_visible=bool(for_client),
            )
        except DomainError as e:
            return self._after_refusal(e)
        self.draft_reset += 1
        return self._refresh()

    @rx.event
    def open_reply(self, comment_id: int, for_client: bool):
        """A reply box under a comment; to a client's (or client-visible) comment the reply
        is meant for the client too, unless unticked."""
        self.reply_to = int(comment_id)
        self.reply_for_client = bool(for_client) and self.can_comment_for_client

    @rx.event
    def close_reply(self):
        self.reply_to = 0

    @rx.event
    def set_reply_for_client(self, value: bool):
        self.reply_for_client = bool(value)

    @rx.event
    def post_reply(self, form: dict):
        try:
            self.call(
                reviews.add_comment,
                version_id=self.version_id,
                body=str(form.get("body", "")),
                parent_id=self.reply_to or None,
                client_visible=self.reply_for_client,
            )
        except DomainError as e:
            return self._after_refusal(e)
        self.reply_to = 0
        return self._refresh()

    # ------------------------------------------------------------------ decisions

    @rx.event
    def set_approval_note(self, text: str):
        self.approval_note = str(text or "")[:5000]

    def _decide(self, decision: str, done: str):
        try:
            self.call(
                reviews.record_approval,
                version_id=self.version_id,
                decision=decision,
                note=self.approval_note,
            )
        except DomainError as e:
            return self._after_refusal(e)
        self.approval_note = ""
        return chain(self._refresh(), rx.toast.success(done))

    @rx.event
    def approve(self):
        return self._decide("APPROVED", f"{self.version_label} approved")

    @rx.event
    def request_changes(self):
        return self._decide("CHANGES_REQUESTED", f"Changes requested on {self.version_label}")

    @rx.event
    def retry_processing(self, version_id: int):
        try:
            self.call(media_pipeline.retry, version_id=int(version_id))
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        return chain(self._refresh(), rx.toast.success("Processing again"))

    # ------------------------------------------------------------------ deleting a version

    @rx.event
    def ask_delete_version(self, version_id: int):
        """Delete in a version's menu: ask first, naming the version."""
        card = next((v for v in self.versions if v.id == version_id), None)
        if card is None:
            return
        self.delete_id = card.id
        self.delete_title = f"{self.parent_code} {self.task_type} {card.label}".strip()

    @rx.event
    def set_delete_open(self, is_open: bool):
        if not is_open:
            self.delete_id = 0

    @rx.event
    def delete_version(self):
        """Confirmed: delete it. The page then shows the task's newest version (a review
        page of the deleted one moves to it); other open pages follow through the hub."""
        version_id, self.delete_id = self.delete_id, 0
        if not version_id:
            return None
        actor = self.actor()
        if actor is None:
            return rx.redirect(routes.LOGIN)
        try:
            done = self.call(deletions.delete_version, version_id=version_id)
        except DomainError as e:
            return self._after_refusal(e)
        url = None
        if version_id == self.version_id:
            try:
                self._read(actor, task_id=self.task_id, keep_media=False)
            except DomainError as e:
                return self._after_refusal(e)
            self.initial_frame = self.current_frame = 0
            self.load_seq += 1
            if self.page == "review" and not self.version_id:  # it was the task's only one
                return chain(
                    rx.redirect(routes.task(self.task_id)),
                    rx.toast.success(f"Deleted {done.label}"),
                )
            if self.page == "review":
                url = routes.review(self.version_id)
            else:
                url = routes.task(self.task_id)
        else:
            self._refresh()
        return chain(
            rx.call_script(f"window.history.replaceState(window.history.state, '', {url!r})")
            if url
            else None,
            rx.toast.success(f"Deleted {done.label}"),
        )

    # ------------------------------------------------------------------ uploads

    @rx.event
    def uploaded(self, version_id: int, label: str):
        """The upload component finished: show the new version (it is processing)."""
        actor = self.actor()
        if actor is None:
            return rx.redirect(routes.LOGIN)
        try:
            self._read(actor, version_id=int(version_id), keep_media=False)
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        self.initial_frame = self.current_frame = 0
        self.load_seq += 1
        if self.page == "review":
            url = routes.review(self.version_id)
        else:
            url = f"{routes.task(self.task_id)}?version={self.version_id}"
        # no toast: the upload button's status follows the version until it is ready
        return rx.call_script(f"window.history.replaceState(window.history.state, '', {url!r})")

    # ------------------------------------------------------------------ labels

    @rx.var
    def status_label(self) -> str:
        return STATUS_TEXT.get(self.task_status, self.task_status)

    @rx.var
    def current_frame_label(self) -> str:
        return str(self.start_frame + self.current_frame)

    @rx.var
    def review_url(self) -> str:
        return routes.review(self.version_id) if self.version_id else ""

    @rx.var
    def media_state(self) -> str:
        return str(self.media.get("state", "")) if self.media else ""

    @rx.var
    def media_error(self) -> str:
        return str(self.media.get("error", "")) if self.media else ""

    @rx.var
    def upload_url(self) -> str:
        return routes.task_versions_api(self.task_id) if self.task_id else ""

    @rx.var
    def task_label(self) -> str:
        """ "SH030 Comp": the shot or asset code and the task's title, as the task page
        names it (the review page adds the version)."""
        return f"{self.parent_code} {self.task_title}".strip()
