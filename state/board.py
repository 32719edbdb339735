"""The kanban board's state, in three classes:

- `BoardState`: the view, its filters (kept in the URL query, so a filtered board survives
  reload) and the choices the filter bar offers; its handlers load the board.
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
from state.base import AppState, guard, toast_error
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
    # The page's path and its query parameters that are not filters (e.g. tab=kanban).
    _path: str = ""
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
        self._path = self.router.url.path
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
            artist = filters.artist_id or (actor.id if actor else 0)
            scope_query = {"artist": str(artist)} if filters.artist_id else {}
            scope = BoardScope(artist_id=artist or -1)
            filters = replace(filters, artist_id=None)
        self._other_query.update(scope_query)
        return self._build(scope, filters)

    def _refuse(self, message: str):
        self.loaded, self.refused, self.kind = True, message, ""
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
        self.loaded, self.refused = True, ""
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
        return None

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
        query = {**self._other_query, **filters.to_query()}
        url = self._path + ("?" + urlencode(query) if query else "")
        # The URL carries the filters (share, reload) without a navigation that reloads the page.
        keep_url = rx.call_script(f"window.history.replaceState(null, '', {url!r})")
        return [keep_url] if result is None else [result, keep_url]

    @rx.event
    def set_filter(self, name: str, value: str):
        if not self.kind:
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
        if not self.kind:
            return None
        self.filter_artist = self.filter_type = self.filter_parent = self.filter_due = ALL
        self.filter_text = ""
        self.cleared += 1
        return self._rebuild()

    @rx.event
    def refetch(self):
        """The component found a gap in the live feed: send the whole board again."""
        if not self.kind:
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
