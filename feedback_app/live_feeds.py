"""Live activity feeds and dashboards, receiving side: one hub per web worker, the review
hub's mechanism (feedback_app/live_reviews.py) keyed by topic, on the feed bus.

A page area that should stay current (a project's Activity tab, a task page's activity, the
dashboard) follows some topics (services/feed_live.py names them) in the worker that holds its
socket: its browser token, its state class, the topics. When the bus names one of them, the hub
runs the area's `async _live_refresh()` inside `app.modify_state`: the area reads again as its
own viewer (an artist's feed shows only their tasks) and Reflex sends that browser what changed.
No polling. Refreshes of one area never overlap, a burst costs one more refresh at most, an
area may ask for a minimum gap between two refreshes (the dashboard: its read is the heaviest),
and at most a few refreshes read the database at once, whatever the number of open pages.

The page's `LiveFollow` component (components/live.py) says when the area is on screen
(`attach`, also after a reconnect that may have landed on another worker) and when it is gone
(`leave` with the epoch it followed under); an area whose socket has gone is dropped at the
next push.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from reflex.istate.manager.token import BaseStateToken

from integrations import feed_bus

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
MAX_CONCURRENT = 3  # refreshes reading the database at once, per worker
SEEN_WINDOW = 60.0  # how long the hub remembers when a topic last changed (changed_since)
SWEEP_SECONDS = 300.0  # how often areas whose tab has gone are dropped


@dataclass
class Area:
    token: str
    state: str
    epoch: str
    topics: frozenset[str]
    min_gap: float = 0.0
    running: bool = False
    again: bool = False
    last: float = field(default=-1e9)


class FeedHub:
    def __init__(self) -> None:
        self._areas: dict[tuple[str, str], Area] = {}
        self._by_topic: dict[str, set[tuple[str, str]]] = {}
        self._classes: dict[str, type] = {}
        self._app = None
        self._limit: asyncio.Semaphore | None = None
        self._seen: dict[str, float] = {}  # topic -> time.monotonic() of its last message
        self._all_seen = -1e9  # the last time every topic counted as changed (bus lost)
        self._swept = 0.0
        self.refreshes = 0  # for tests

    # ------------------------------------------------------------ registry (event handlers)

    def follow(
        self, token: str, state: type, topics: Iterable[str], *, min_gap: float = 0.0
    ) -> str:
        """This area of this tab shows data of these topics; returns its epoch. Following
        again (another project, another dashboard scope) replaces what it followed."""
        name = state.get_full_name()
        self.unfollow(token, state)
        area = Area(
            token=token,
            state=name,
            epoch=secrets.token_hex(6),
            topics=frozenset(topics),
            min_gap=min_gap,
        )
        key = (token, name)
        self._areas[key] = area
        for topic in area.topics:
            self._by_topic.setdefault(topic, set()).add(key)
        return area.epoch

    def is_following(self, token: str, state: type, epoch: str) -> bool:
        area = self._areas.get((token, state.get_full_name()))
        return area is not None and bool(epoch) and area.epoch == epoch

    def unfollow(self, token: str, state: type | str, epoch: str | None = None) -> None:
        name = state if isinstance(state, str) else state.get_full_name()
        key = (token, name)
        area = self._areas.get(key)
        if area is None or (epoch is not None and area.epoch != epoch):
            return
        del self._areas[key]
        for topic in area.topics:
            keys = self._by_topic.get(topic)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_topic[topic]

    @property
    def open_areas(self) -> int:
        return len(self._areas)

    def changed_since(self, topics: Iterable[str], since: float) -> bool:
        """Whether this worker heard of a change to any of these topics at or after `since`
        (time.monotonic()); True when that is too long ago to tell. An area that starts being
        followed after its read asks this to know whether to read again."""
        now = time.monotonic()
        if now - since > SEEN_WINDOW or self._all_seen >= since:
            return True
        return any(self._seen.get(t, -1e9) >= since for t in topics)

    def _note(self, topics: set[str] | None) -> None:
        now = time.monotonic()
        if topics is None:
            self._all_seen = now
            return
        for topic in topics:
            self._seen[topic] = now
        if now - self._swept > SEEN_WINDOW:  # forget what no late reader can ask about
            self._swept = now
            self._seen = {t: at for t, at in self._seen.items() if now - at <= SEEN_WINDOW}

    # ------------------------------------------------------------ the worker's loop

    def install(self, app, *states: type) -> None:
        """Run in every web worker for the app's lifetime; `states` may be refreshed."""
        for cls in states:
            self._classes[cls.get_full_name()] = cls
        app.register_lifespan_task(self.run)

    async def run(self, app) -> None:
        self._app = app
        janitor = asyncio.get_running_loop().create_task(self._sweep_forever())
        try:
            await self._listen()
        finally:
            janitor.cancel()

    async def _listen(self) -> None:
        bus = feed_bus.get_bus()
        first = True
        while True:
            try:
                stream = bus.listen()
                if not first:  # changes published while we were away are lost: refresh all
                    self.changed(None)
                first = False
                async for message in stream:
                    self.changed({str(t) for t in message.get("topics", ())})
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("feed bus connection lost (%s); retrying", e)
                await asyncio.sleep(RETRY_SECONDS)

    def changed(self, topics: set[str] | None) -> None:
        """Refresh the areas following any of these topics (every area for None)."""
        self._note(topics)
        if topics is None:
            keys = set(self._areas)
        else:
            keys = set()
            for topic in topics:
                keys |= self._by_topic.get(topic, set())
        for key in keys:
            area = self._areas.get(key)
            if area is None:
                continue
            if area.running:
                area.again = True
            else:
                area.running = True
                asyncio.get_running_loop().create_task(self._refresh(area))

    async def _refresh(self, area: Area) -> None:
        loop = asyncio.get_running_loop()
        if self._limit is None:
            self._limit = asyncio.Semaphore(MAX_CONCURRENT)
        try:
            while True:
                wait = area.last + area.min_gap - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                area.again = False  # what arrives from now on needs another read
                if not await self._alive(area):
                    return
                cls = self._classes.get(area.state)
                if cls is None:
                    return
                async with self._limit:
                    try:
                        async with self._app.modify_state(
                            BaseStateToken(ident=area.token, cls=cls)
                        ) as root:
                            state = await root.get_state(cls)
                            await state._live_refresh()
                        self.refreshes += 1
                    except Exception:
                        log.exception("live feed refresh failed (%s)", area.state)
                area.last = loop.time()
                if not area.again:
                    return
        finally:
            area.running = False

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            await self.sweep()

    async def sweep(self) -> None:
        """Drop the areas whose tab is no longer connected to this worker (a tab closed
        while nothing it followed changed)."""
        for area in list(self._areas.values()):
            if not area.running:
                with contextlib.suppress(Exception):
                    await self._alive(area)

    async def _alive(self, area: Area) -> bool:
        if self._areas.get((area.token, area.state)) is not area:
            return False  # left, or replaced by a newer follow
        if await self._connected_here(area.token):
            return True
        self.unfollow(area.token, area.state, area.epoch)  # a reconnect attaches again
        return False

    async def _connected_here(self, token: str) -> bool:
        """The tab's socket is held by this worker (after a reconnect elsewhere, the other
        worker's hub has it)."""
        namespace = self._app.event_namespace if self._app else None
        manager = getattr(namespace, "_token_manager", None)
        if manager is None:
            return False
        sockets = getattr(manager, "token_to_socket", None)
        if sockets is not None:
            record = sockets.get(token)
            mine = getattr(manager, "instance_id", None)
            return record is not None and getattr(record, "instance_id", mine) == mine
        with contextlib.suppress(Exception):
            return bool(await manager.is_token_connected(token))
        return False


hub = FeedHub()
