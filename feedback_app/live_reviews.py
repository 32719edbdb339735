"""Live review rooms, receiving side: one hub per web worker, the same mechanism as the live
boards (feedback_app/live_boards.py) on its own channel (integrations/review_bus.py).

A page showing a task's review room (/review/<id>, /tasks/<id>) registers here when it loads,
in the worker that holds its socket: its browser token, the task, and the page-area states to
refresh (each implements `async _live_refresh()`). When the bus says a task changed (a
comment, a decision, a new version, a step of the media pipeline), the hub refreshes those
states for every open page of that task through `app.modify_state`: each state reads its room
again as its own viewer (permissions included) and Reflex sends that browser what changed.
Review rooms have a handful of viewers, not hundreds, so a read per page is cheap; refreshes
of one page never overlap and a burst of changes costs one refresh.

A page's player reports when it is gone (`close` with the registration's epoch) and registers
again after a reconnect (`is_open`); a page whose socket has gone is dropped at the next push.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field

from reflex.istate.manager.token import BaseStateToken

from integrations import review_bus

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


@dataclass
class OpenRoom:
    token: str
    epoch: str
    task_id: int
    states: set[str] = field(default_factory=set)
    projects: frozenset[int] = frozenset()  # a portal list follows the shares of projects
    running: bool = False
    again: bool = False


class ReviewHub:
    def __init__(self) -> None:
        self._rooms: dict[str, OpenRoom] = {}
        self._classes: dict[str, type] = {}
        self._app = None
        self.refreshes = 0  # for tests

    # ------------------------------------------------------------ registry (event handlers)

    def open(self, token: str, task_id: int, state: type) -> str:
        """A page (re)loaded: it follows this task now; returns its epoch."""
        room = OpenRoom(token=token, epoch=secrets.token_hex(6), task_id=task_id)
        room.states.add(state.get_full_name())
        self._rooms[token] = room
        return room.epoch

    def open_projects(self, token: str, project_ids: set[int], state: type) -> str:
        """A portal list (re)loaded: it follows what is shared in these projects."""
        room = OpenRoom(token=token, epoch=secrets.token_hex(6), task_id=0)
        room.projects = frozenset(project_ids)
        room.states.add(state.get_full_name())
        self._rooms[token] = room
        return room.epoch

    def join(self, token: str, task_id: int, state: type) -> str:
        """Another area of the same page follows the same task (the task page's metadata
        beside its review room)."""
        room = self._rooms.get(token)
        if room is None or room.task_id != task_id:
            return self.open(token, task_id, state)
        room.states.add(state.get_full_name())
        return room.epoch

    def reopen(
        self, token: str, task_id: int, states: list[str], projects: set[int] | None = None
    ) -> str:
        room = OpenRoom(token=token, epoch=secrets.token_hex(6), task_id=task_id)
        room.projects = frozenset(projects or ())
        room.states.update(s for s in states if s in self._classes)
        self._rooms[token] = room
        return room.epoch

    def states_of(self, token: str) -> list[str]:
        room = self._rooms.get(token)
        return sorted(room.states) if room else []

    def is_open(self, token: str, epoch: str) -> bool:
        room = self._rooms.get(token)
        return room is not None and room.epoch == epoch

    def close(self, token: str, epoch: str | None = None) -> None:
        room = self._rooms.get(token)
        if room is not None and (epoch is None or room.epoch == epoch):
            del self._rooms[token]

    @property
    def open_rooms(self) -> int:
        return len(self._rooms)

    # ------------------------------------------------------------ the worker's loop

    def install(self, app, *states: type) -> None:
        """Run in every web worker for the app's lifetime; `states` may be refreshed."""
        for cls in states:
            self._classes[cls.get_full_name()] = cls
        app.register_lifespan_task(self.run)

    def register(self, *states: type) -> None:
        """More page-area states the hub may refresh (the portal's), without a second loop."""
        for cls in states:
            self._classes[cls.get_full_name()] = cls

    async def run(self, app) -> None:
        self._app = app
        bus = review_bus.get_bus()
        first = True
        while True:
            try:
                stream = bus.listen()
                if not first:  # changes published while we were away are lost: refresh all
                    self.changed(None)
                first = False
                async for message in stream:
                    self.changed(
                        {int(t) for t in message.get("tasks", ())},
                        {int(p) for p in message.get("projects", ())},
                    )
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("review bus connection lost (%s); retrying", e)
                await asyncio.sleep(RETRY_SECONDS)

    def changed(self, task_ids: set[int] | None, project_ids: set[int] | None = None) -> None:
        """Refresh the open pages of these tasks or following these projects (all of them
        for None)."""
        for room in list(self._rooms.values()):
            if (
                task_ids is None
                or (room.task_id and room.task_id in task_ids)
                or (project_ids and room.projects & project_ids)
            ):
                if room.running:
                    room.again = True
                else:
                    room.running = True
                    asyncio.get_running_loop().create_task(self._refresh(room))

    async def _refresh(self, room: OpenRoom) -> None:
        try:
            while True:
                room.again = False
                if not await self._alive(room):
                    return
                for name in list(room.states):
                    cls = self._classes.get(name)
                    if cls is None:
                        continue
                    try:
                        async with self._app.modify_state(
                            BaseStateToken(ident=room.token, cls=cls)
                        ) as root:
                            state = await root.get_state(cls)
                            await state._live_refresh()
                        self.refreshes += 1
                    except Exception:
                        log.exception("review room refresh failed (%s)", name)
                if not room.again:
                    return
        finally:
            room.running = False

    async def _alive(self, room: OpenRoom) -> bool:
        if self._rooms.get(room.token) is not room:
            return False  # closed, or replaced by a newer load
        namespace = self._app.event_namespace if self._app else None
        manager = getattr(namespace, "_token_manager", None)
        if manager is None:
            return False
        with contextlib.suppress(Exception):
            if await manager.is_token_connected(room.token):
                return True
        self.close(room.token, room.epoch)  # the tab is gone; a reconnect registers again
        return False


hub = ReviewHub()
