"""`LiveArea`: what a page area needs to stay current through the feed hub
(feedback_app/live_feeds.py), as a state mixin.

The area's load calls `_load_live(topics, read)`; the page renders `components.live.live_follow`
inside the area, which calls `attach` when the area is on screen (and after a reconnect) and
`leave` when it is gone. The area implements `_live_read(actor)` (its normal read, as that
viewer) and may override `_live_route_ok()` (the event comes from the page the area was loaded
for) and `LIVE_GAP` (minimum seconds between two pushed refreshes).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from typing import ClassVar

import anyio
import reflex as rx

from feedback_app.live_feeds import hub
from services.errors import DomainError


class LiveArea(rx.State, mixin=True):
    live_epoch: str = ""
    _live_topics: list[str] = []
    _live_read_at: float = 0.0  # time.monotonic() when the last read started

    LIVE_GAP: ClassVar[float] = 0.0

    def _token(self) -> str:
        return self.router.session.client_token

    def _load_live(self, topics: Iterable[str], read: Callable[[], None]) -> None:
        """Read the area for these topics. If it is already followed here (a new project on
        the same mounted page, another dashboard scope), follow the new topics first, so no
        change falls between the read and the follow."""
        wanted = sorted(set(topics))
        token = self._token()
        if wanted != self._live_topics and hub.is_following(token, type(self), self.live_epoch):
            self.live_epoch = hub.follow(token, type(self), wanted, min_gap=self.LIVE_GAP)
        self._live_topics = wanted
        started = time.monotonic()
        read()
        self._live_read_at = started

    def _live_route_ok(self) -> bool:
        return True

    def _live_read(self, actor) -> None:
        raise NotImplementedError

    async def _live_refresh(self) -> None:
        """Called by the feed hub inside app.modify_state: read again as this viewer."""
        actor = await anyio.to_thread.run_sync(self.actor)
        if actor is None or not self._live_topics:
            return
        started = time.monotonic()
        with contextlib.suppress(DomainError):  # access removed: the next load says so
            await anyio.to_thread.run_sync(self._live_read, actor)
        self._live_read_at = started

    @rx.event
    async def attach(self):
        """The area is on screen: make sure this worker pushes to it; read again if something
        it follows changed since its last read (or if that is too long ago to tell)."""
        if not self._live_topics or not self._live_route_ok():
            return  # not loaded yet, or loaded for another page: its load follows
        token = self._token()
        if hub.is_following(token, type(self), self.live_epoch):
            return
        self.live_epoch = hub.follow(token, type(self), self._live_topics, min_gap=self.LIVE_GAP)
        if hub.changed_since(self._live_topics, self._live_read_at):
            await self._live_refresh()

    @rx.event
    def leave(self, epoch: str):
        """The area is gone (another tab of the page, another page)."""
        hub.unfollow(self._token(), type(self), str(epoch))
