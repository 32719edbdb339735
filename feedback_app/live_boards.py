"""Live boards, receiving side: one hub per web worker.

A board registers here when it loads (`open`), in the worker that holds its socket. The hub
listens to the board bus (Redis pub/sub across workers and processes, or in memory when
embedded) and, for each message, decides per open board with the same rules the board was
built with (services.board.card_for_board) whether a card appears, changes or leaves.

The full card list goes to a browser once per load (`snapshot`, as the card state's vars),
sent from here too, so it is never stored per tab in the state manager nor resent when a
reconnect rehydrates the page.

What goes to a browser on a change is small: each board keeps a window of its last WINDOW
changes, numbered 1, 2, 3… per load ("epoch"), and the hub sends that window as the feed state's
`feed` var straight through Reflex's delta channel (no per-board state load and save, which is
what made a SharedState list push cost ~1 ms per client). The board component applies the
entries it has not applied yet, in order, and asks for the full board again when it finds a
gap. The window, not just the last change, is sent because the browser may render once for
several quick updates.

Events on one socket are processed one at a time by Reflex; the board's load handler is
synchronous, so registering the board and reading its snapshot happen without the hub running
in between (it runs on the same event loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reflex.state import StateUpdate
from reflex_base.constants.state import FIELD_MARKER

from integrations import realtime
from services import board, board_live
from services.board import BoardFilters, BoardScope, Viewer
from services.db import read_scope
from state.board_cards import card_payload

log = logging.getLogger(__name__)

WINDOW = 8
MAX_BATCH = 200  # messages merged into one round of pushes when they queue up
RETRY_SECONDS = 1.0


@dataclass
class OpenBoard:
    token: str
    epoch: str
    viewer: Viewer
    scope: BoardScope
    filters: BoardFilters
    shown: set[int] = field(default_factory=set)
    # card id -> number of the newest message applied for it on this board
    seen: dict[int, int] = field(default_factory=dict)
    seq: int = 0
    window: deque = field(default_factory=lambda: deque(maxlen=WINDOW))


class BoardHub:
    def __init__(self) -> None:
        self._boards: dict[str, OpenBoard] = {}
        self._drops: dict[str, asyncio.Lock] = {}
        self._queue: asyncio.Queue | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._app = None
        self._feed_state = ""
        self._cards_state = ""
        self._published: float | None = None
        self.pending: list[dict[str, Any]] = []

    # ------------------------------------------------------------ registry (event handlers)

    def open(
        self, token: str, viewer: Viewer, scope: BoardScope, filters: BoardFilters
    ) -> OpenBoard:
        """Register (or re-register) the board shown by this browser tab."""
        b = OpenBoard(
            token=token, epoch=secrets.token_hex(6), viewer=viewer, scope=scope, filters=filters
        )
        self._boards[token] = b
        return b

    def close(self, token: str) -> None:
        self._boards.pop(token, None)
        self._drops.pop(token, None)

    def drops_of(self, token: str) -> asyncio.Lock:
        """Held while one tab's drop is applied, so its drops land in the order made."""
        return self._drops.setdefault(token, asyncio.Lock())

    def board(self, token: str) -> OpenBoard | None:
        return self._boards.get(token)

    def snapshot(self, opened: OpenBoard, cards: list[dict]) -> None:
        """Send a board its full card list and epoch: the start of its numbered changes. Sent
        by the hub, in order with those changes, and kept out of the per-tab state store."""
        self._enqueue({"snapshot": opened.token, "epoch": opened.epoch, "cards": cards})

    def refresh(self, token: str, task_ids: list[int]) -> None:
        """Send this board the current cards (after a refused move: the card snaps back)."""
        if token not in self._boards:
            return
        seq = realtime.get_bus().next_seq()
        with read_scope() as s:
            cards = board.cards_for(s, task_ids)
        found = {c.id for c in cards}
        self._enqueue(
            {
                "s": seq,
                "cards": [board.card_to_wire(c) for c in cards],
                "gone": [i for i in task_ids if i not in found],
                "only": token,
            }
        )

    def _enqueue(self, message: dict[str, Any]) -> None:
        if self._loop is None or self._queue is None:
            self.pending.append(message)  # the hub starts with the app: handled then
            return
        self._loop.call_soon_threadsafe(self._queue.put_nowait, message)

    # ------------------------------------------------------------ the worker's loop

    def install(self, app, *, feed_state, cards_state) -> None:
        """For the app's lifetime, in every web worker: publish each commit's changed cards
        (services.board_live) and push what the bus carries to this worker's open boards.
        `cards_state` gets a board's cards and epoch on load, `feed_state` its changes."""
        self._feed_state = feed_state.get_full_name()
        self._cards_state = cards_state.get_full_name()
        app.register_lifespan_task(self.run)

    async def run(self, app) -> None:
        self._app = app
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        for message in self.pending:
            self._queue.put_nowait(message)
        self.pending.clear()
        board_live.install()
        pump = asyncio.create_task(self._pump())
        try:
            while True:
                batch = [await self._queue.get()]
                while not self._queue.empty() and len(batch) < MAX_BATCH:
                    batch.append(self._queue.get_nowait())
                try:
                    await self.deliver_all(batch)
                except Exception:
                    log.exception("board push failed")
        finally:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
            board_live.uninstall()  # flushes what is still queued

    async def _pump(self) -> None:
        bus = realtime.get_bus()
        first = True
        while True:
            try:
                stream = bus.listen()
                if not first:  # messages published while we were away are lost: reload
                    self._queue.put_nowait({"reload": True})
                first = False
                async for message in stream:
                    self._queue.put_nowait(message)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("board bus connection lost (%s); retrying", e)
                await asyncio.sleep(RETRY_SECONDS)

    async def deliver(self, message: dict[str, Any]) -> None:
        await self.deliver_all([message])

    async def deliver_all(self, messages: list[dict[str, Any]]) -> None:
        """Deliver messages that arrived together: each board gets one push with the newest
        state of every card they touched (a burst of moves costs one push per board, not one
        per move), then any message addressed to one board, then any reload."""
        latest: dict[int, tuple[int, board.Card | None]] = {}
        direct, reload = [], False
        self._published = min((m["t"] for m in messages if "t" in m), default=None)
        for m in messages:
            if "snapshot" in m:
                await self._send_snapshot(m)
            elif m.get("reload"):
                reload = True
            elif m.get("only"):
                direct.append(m)
            else:
                for task_id, item in _items(m).items():
                    if task_id not in latest or latest[task_id][0] < item[0]:
                        latest[task_id] = item
        if latest:
            await self._route(latest, list(self._boards.values()))
        for m in direct:
            if m["only"] in self._boards:
                await self._route(_items(m), [self._boards[m["only"]]])
        if reload:
            for b in list(self._boards.values()):
                await self._push(b, {"reload": True})

    async def _route(
        self, items: dict[int, tuple[int, board.Card | None]], targets: list[OpenBoard]
    ) -> None:
        today = date.today()
        payloads: dict[tuple[int, bool], dict] = {}
        for b in targets:
            up, rm = [], []
            for task_id, (s, c) in items.items():
                if b.seen.get(task_id, 0) >= s:
                    continue  # an older state of a card this board already has newer
                b.seen[task_id] = s
                if c is not None and board.card_for_board(b.viewer, b.scope, b.filters, c, today):
                    key = (c.id, board.can_drag(b.viewer, c))
                    if key not in payloads:
                        payloads[key] = card_payload(c, b.viewer)
                    up.append(payloads[key])
                    b.shown.add(c.id)
                elif task_id in b.shown:  # deleted, or no longer for this board
                    rm.append(task_id)
                    b.shown.discard(task_id)
            if up or rm:
                await self._push(b, {"up": up, "rm": rm})

    async def _send_snapshot(self, m: dict[str, Any]) -> None:
        b = self._boards.get(m["snapshot"])
        if b is None or b.epoch != m["epoch"] or not self._ready(b):
            return  # reloaded again since, or gone
        delta = {
            self._cards_state: {"cards" + FIELD_MARKER: m["cards"], "epoch" + FIELD_MARKER: b.epoch}
        }
        await self._app.event_namespace.emit_update(StateUpdate(delta=delta), b.token)

    def _ready(self, b: OpenBoard) -> bool:
        """Whether this worker can reach the board's browser (else it forgets the board)."""
        if self._app is None or self._app.event_namespace is None:
            return False
        if not self._connected_here(b.token):
            # The tab closed or reconnected elsewhere; its reload registers it again.
            if self._boards.get(b.token) is b:
                self.close(b.token)
            return False
        return True

    def _connected_here(self, token: str) -> bool:
        manager = getattr(self._app.event_namespace, "_token_manager", None)
        if manager is None:
            return True
        record = manager.token_to_socket.get(token)
        return record is not None and record.instance_id == manager.instance_id

    async def _push(self, b: OpenBoard, change: dict[str, Any]) -> None:
        if not self._ready(b):
            return
        b.seq += 1
        entry = {"e": b.epoch, "s": b.seq, **change}
        if board_live.TRACE and self._published:
            entry["t"] = [self._published, time.time()]  # published, pushed (benchmarks)
        b.window.append(entry)
        update = StateUpdate(delta={self._feed_state: {"feed" + FIELD_MARKER: list(b.window)}})
        await self._app.event_namespace.emit_update(update, b.token)


def _items(message: dict[str, Any]) -> dict[int, tuple[int, board.Card | None]]:
    """{task id: (message number, card or None when the task is gone)}"""
    s = int(message["s"])
    items: dict[int, tuple[int, board.Card | None]] = {
        int(i): (s, None) for i in message.get("gone", ())
    }
    for wire in message.get("cards", ()):
        c = board.card_from_wire(wire)
        items[c.id] = (s, c)
    return items


hub = BoardHub()
