"""Live per-user updates (the notification bell), receiving side: one hub per web worker.

A tab registers (client token → user) when its shell mounts. After a notification is written
or read, a small message {"user": id} goes on the "users" bus (Redis pub/sub across workers, or
in memory when embedded); every worker's hub recounts that user's unread notifications once
and pushes the number to the tabs it holds for them, straight through Reflex's delta channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from reflex.state import StateUpdate
from reflex_base.constants.state import FIELD_MARKER
from sqlmodel import Session

from integrations import realtime
from services import events, notifications
from services.db import get_engine

log = logging.getLogger(__name__)
CHANNEL = "users"


def _announce(ev: events.DomainEvent) -> None:
    user_id = ev.payload.get("user_id")
    if user_id:
        realtime.get_bus(CHANNEL).publish({"user": int(user_id)})


class UserHub:
    def __init__(self) -> None:
        self._tabs: dict[str, int] = {}  # client token -> user id
        self._app = None
        self._state = ""

    def register(self, token: str, user_id: int) -> None:
        if token:
            self._tabs[token] = user_id

    def install(self, app, bell_state) -> None:
        self._state = bell_state.get_full_name()
        events.subscribe(_announce, {"notification.created", "notification.read"})
        app.register_lifespan_task(self.run)

    async def run(self, app) -> None:
        self._app = app
        while True:
            try:
                async for message in realtime.get_bus(CHANNEL).listen():
                    try:
                        await self.deliver(int(message["user"]))
                    except Exception:
                        log.exception("bell push failed")
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("user bus connection lost (%s); retrying", e)
                await asyncio.sleep(1.0)

    def _connected_here(self, token: str) -> bool:
        manager = getattr(self._app.event_namespace, "_token_manager", None)
        if manager is None:
            return True
        record = manager.token_to_socket.get(token)
        return record is not None and record.instance_id == manager.instance_id

    async def deliver(self, user_id: int) -> None:
        if self._app is None or self._app.event_namespace is None:
            return
        tokens = [t for t, u in list(self._tabs.items()) if u == user_id]
        if not tokens:
            return
        with Session(get_engine()) as s:
            count = notifications.count_unread(s, user_id=user_id)
        for token in tokens:
            if not self._connected_here(token):
                self._tabs.pop(token, None)
                continue
            update = StateUpdate(delta={self._state: {"unread" + FIELD_MARKER: count}})
            with contextlib.suppress(Exception):
                await self._app.event_namespace.emit_update(update, token)


hub = UserHub()
