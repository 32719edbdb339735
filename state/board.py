"""The kanban board's state, in three classes:

- `BoardState`: the view, its filters (kept in the URL query, so a filtered board survives
  reload) and the choices the filter bar offers; its handlers load the board. On /tasks/board
  a lead (admin, producer, supervisor) picks whose board it is (?artist=ID); without one it
  opens on their own board if they have tasks, else on the first artist with tasks, else it
  asks them to pick an artist.
- `BoardCardsState`: the card list and its epoch, and `BoardFeedState`: the live feed (a short
  numbered window of changes) and the drag handlers. Their vars are never assigned here: this
  worker's hub sends them straight to the browser (feedback_app/live_boards.py), so the card
  list is not stored per tab in the state manager nor resent by a reconnect's hydration, and a
  live change re-renders only the board.

The board loads when its component says the page is hydrated (also after a reconnect, which
may land on another worker) and registers with this worker's hub before it reads the cards.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

import reflex as rx

from feedback_app.live_boards import hub
from services import auth, board
from services.board import BoardFilters, BoardScope, Viewer
from services.db import session_scope
from services.errors import DomainError, PermissionDenied
from state.base import AppState, chain, guard, toast_error
from state.board_cards import card_payload

log = logging.getLogger(__name__)

FILTER_KEYS = ("artist", "type", "shot", "asset", "due", "q")
ALL = "all"  # a select's "no filter" value (Radix selects refuse an empty one)


@dataclass
class ChoiceRow:
    value: str
    label: str


def _choices(items) -> list[ChoiceRow]:
    return [ChoiceRow(value=c.value, label=c.label) for c in items]


class BoardState(AppState):
    loaded: bool = False
    refused: str = ""
    title: str = ""
    kind: str = ""  # "project" or "artist"
    project_id: int = 0
    artist_id: int = 0
    shown: int = 0  # cards the filters let through
    total: int = 0  # cards the viewer may see on this board
    cleared: int = 0  # bumped by "Clear filters" (remounts the search box)
    filter_artist: str = ALL
    filter_type: str = ALL
    filter_parent: str = ALL
    filter_due: str = ALL
    filter_text: str = ""
    artists: list[ChoiceRow] = []
    types: list[ChoiceRow] = []
    parents: list[ChoiceRow] = []
    # /tasks/board for a lead: the artists they may open (staff only) and, when no artist
    # has any task, no board at all until they pick one.
    studio_artists: list[ChoiceRow] = []
    picking: bool = False
    # The page's query parameters that are not filters (e.g. tab=kanban).
    _other_query: dict[str, str] = {}

    @rx.event
    @guard()
    def on_load(self, actor):
        """The dedicated board pages: sign-in and role check only; the component loads."""
        self.loaded, self.refused = False, ""

    @rx.event
    def load(self, search: str):
        """Build the board for the page the browser is on (`search` is its location.search)."""
        query = dict(parse_qsl((search or "").lstrip("?")))
        self._other_query = {k: v for k, v in query.items() if k not in FILTER_KEYS}
        filters = BoardFilters.from_query(query)
        project = self.route_arg("project_id")
        if project:
            scope_query = {}
            try:
                scope = BoardScope(project_id=int(project))
            except ValueError:
                return self._refuse("Project not found.")
        else:
            actor = self.actor()
            if actor is None or actor.role == "CLIENT":
                return self._refuse("The board is for the studio.")
            artist = filters.artist_id
            if Viewer.of(actor).is_staff:
                with session_scope() as s:
                    picker = board.artist_picker(s, actor=actor)
                self.studio_artists = _choices(picker.artists)
                if not artist:
                    if picker.default_id is None:
                        return self._pick_artist()
                    artist = picker.default_id
            else:
                self.studio_artists = []
            # A lead's board always names its artist in the URL (reload, share).
            scope_query = {"artist": str(artist)} if artist else {}
            scope = BoardScope(artist_id=artist or actor.id)
            filters = replace(filters, artist_id=None)
        self._other_query.update(scope_query)
        result = self._build(scope, filters)
        if result is None and scope_query and query.get("artist") != scope_query["artist"]:
            return self._keep_url(filters)
        return result

    def _pick_artist(self):
        """A lead on /tasks/board when no artist has a task: the picker, no board."""
        hub.close(self.router.session.client_token)
        self.loaded, self.refused, self.kind, self.picking = True, "", "artist", True
        self.title, self.artist_id, self.shown, self.total = "", 0, 0, 0
        self.artists, self.types, self.parents = [], [], []
        return None

    def _refuse(self, message: str):
        self.loaded, self.refused, self.kind, self.picking = True, message, "", False
        hub.close(self.router.session.client_token)
        return rx.toast.error(message)

    def _build(self, scope: BoardScope, filters: BoardFilters):
        actor = self.actor()
        if actor is None or actor.role == "CLIENT":
            return self._refuse("The board is for the studio.")
        token = self.router.session.client_token
        viewer = Viewer.of(actor)
        # Register first, then read: a change committed in between reaches this board too.
        opened = hub.open(token, viewer, scope, filters)
        try:
            with session_scope() as s:
                b = board.build_board(s, actor=actor, scope=scope, filters=filters)
        except DomainError as e:
            return self._refuse(str(e))
        opened.shown.update(c.id for c in b.cards)
        hub.snapshot(opened, [card_payload(c, viewer) for c in b.cards])
        self.shown = len(b.cards)
        self.loaded, self.refused, self.picking = True, "", False
        self.title, self.total = b.title, b.total
        self.kind = "project" if scope.project_id is not None else "artist"
        self.project_id, self.artist_id = scope.project_id or 0, scope.artist_id or 0
        self.artists, self.types, self.parents = (
            _choices(b.artists),
            _choices(b.types),
            _choices(b.parents),
        )
        f = b.filters
        self.filter_artist = (
            ALL if f.artist_id is None else ("none" if f.artist_id == 0 else str(f.artist_id))
        )
        self.filter_type = f.task_type or ALL
        self.filter_parent = (
            f"shot:{f.shot_id}" if f.shot_id else f"asset:{f.asset_id}" if f.asset_id else ALL
        )
        self.filter_due = f.due or ALL
        self.filter_text = f.text
        # A lead's picker names the board's artist even when it would not offer them (e.g.
        # ?artist= a producer with work).
        picked = str(self.artist_id)
        if self.kind == "artist" and self.studio_artists and picked not in self._offered():
            self.studio_artists = [*self.studio_artists, ChoiceRow(picked, b.title)]
        return None

    def _offered(self) -> set[str]:
        return {c.value for c in self.studio_artists}

    def _filters(self) -> BoardFilters:
        query = {
            "artist": "" if self.filter_artist == ALL else self.filter_artist,
            "type": "" if self.filter_type == ALL else self.filter_type,
            "due": "" if self.filter_due == ALL else self.filter_due,
            "q": self.filter_text,
        }
        kind, _, ident = self.filter_parent.partition(":")
        if kind in ("shot", "asset"):
            query[kind] = ident
        return BoardFilters.from_query(query)

    def _scope(self) -> BoardScope:
        if self.kind == "project":
            return BoardScope(project_id=self.project_id)
        return BoardScope(artist_id=self.artist_id or -1)

    def _rebuild(self):
        filters = self._filters()
        if self.kind == "artist":
            filters = replace(filters, artist_id=None)
        result = self._build(self._scope(), filters)
        return chain(result, self._keep_url(filters))

    def _keep_url(self, filters: BoardFilters):
        query = {**self._other_query, **filters.to_query()}
        search = "?" + urlencode(query) if query else ""
        # The URL carries the filters (share, reload) without a navigation that reloads the page.
        # The path is the browser's: a board's first load can come before the server has heard
        # of a client-side navigation (self.router still holds the page it came from).
        return rx.call_script(
            "window.history.replaceState(window.history.state, '', "
            f"window.location.pathname + {search!r})"
        )

    @rx.event
    def set_artist(self, value: str):
        """A lead picks whose board /tasks/board shows (services.board checks they may)."""
        if self.kind != "artist" or not str(value).isdecimal():
            return None
        self.artist_id = int(value)
        self._other_query["artist"] = str(self.artist_id)
        return self._rebuild()

    @rx.event
    def set_filter(self, name: str, value: str):
        if not self.kind or self.picking:
            return None
        if name == "artist":
            self.filter_artist = value or ALL
        elif name == "type":
            self.filter_type = value or ALL
        elif name == "parent":
            self.filter_parent = value or ALL
        elif name == "due":
            self.filter_due = value or ALL
        elif name == "text":
            self.filter_text = (value or "")[:100]
        else:
            return None
        return self._rebuild()

    @rx.event
    def clear_filters(self):
        if not self.kind or self.picking:
            return None
        self.filter_artist = self.filter_type = self.filter_parent = self.filter_due = ALL
        self.filter_text = ""
        self.cleared += 1
        return self._rebuild()

    @rx.event
    def refetch(self):
        """The component found a gap in the live feed: send the whole board again."""
        if not self.kind or self.picking:
            return None
        return self._build(self._scope(), self._filters())

    @rx.var
    def filtered(self) -> bool:
        return (
            self.filter_artist != ALL
            or self.filter_type != ALL
            or self.filter_parent != ALL
            or self.filter_due != ALL
            or self.filter_text != ""
        )


class BoardCardsState(AppState):
    # Never assigned on the server: the hub sends them when the board (re)loads.
    cards: list[dict] = []
    epoch: str = ""


class BoardFeedState(AppState):
    # Never assigned on the server: the hub sends each open board its window of changes.
    feed: list[dict] = []

    @rx.event(background=True)
    async def move(self, task_id: int, status: str, after_id: int, before_id: int):
        """A drop. On refusal the board gets the card's real state back (it snaps back) and
        the person is told why.

        The database work runs in a thread: the worker's event loop, which also pushes live
        changes to every board on this worker, is not held up by it. One tab's drops are
        applied one after the other, in the order they were made."""
        tab = self.router.session.client_token
        session_token = self.session_token
        try:
            task_id = int(task_id)
            move = {
                "task_id": task_id,
                "status": str(status),
                "after_id": int(after_id) or None,
                "before_id": int(before_id) or None,
            }
        except (TypeError, ValueError):
            return rx.toast.error("That drop made no sense.")
        async with hub.drops_of(tab):
            try:
                await asyncio.to_thread(_apply_drop, session_token, move)
            except Exception as e:
                if not isinstance(e, DomainError):
                    log.exception("drop of task %s failed", task_id)
                await asyncio.to_thread(hub.refresh, tab, [task_id])
                return toast_error(e)
        return None

    @rx.event
    def leave(self):
        hub.close(self.router.session.client_token)


def _apply_drop(session_token: str, move: dict) -> None:
    """One unit of work: who is dropping (resolved again from the session), then the move."""
    with session_scope() as s:
        actor = auth.resolve(s, token=session_token)
        if actor is None:
            raise PermissionDenied("Your session has ended. Sign in again.")
        board.move_card(s, actor=actor, **move)
