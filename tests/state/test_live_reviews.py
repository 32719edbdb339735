"""Live review rooms, receiving side: when the bus names a task, each worker's hub refreshes
the open pages of that task, every area of the page, once per burst, and drops pages whose
browser has gone."""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace

import pytest

from feedback_app.live_reviews import ReviewHub
from integrations import realtime, review_bus


class FakeState:
    refreshed: list[tuple[str, str]] = []
    delay = 0.0

    @classmethod
    def get_full_name(cls) -> str:
        return cls.__name__

    def __init__(self, token: str) -> None:
        self.token = token

    async def _live_refresh(self) -> None:
        await asyncio.sleep(self.delay)
        FakeState.refreshed.append((type(self).__name__, self.token))


class RoomArea(FakeState):
    pass


class TaskArea(FakeState):
    pass


class FakeApp:
    def __init__(self) -> None:
        self.connected: set[str] = set()
        manager = SimpleNamespace(is_token_connected=self._connected)
        self.event_namespace = SimpleNamespace(_token_manager=manager)

    async def _connected(self, token: str) -> bool:
        return token in self.connected

    @contextlib.asynccontextmanager
    async def modify_state(self, token):
        cls = token.cls

        class Root:
            async def get_state(self, wanted):
                return wanted(token.ident)

        assert cls in (RoomArea, TaskArea)
        yield Root()


@pytest.fixture
def hub():
    FakeState.refreshed = []
    FakeState.delay = 0.0
    h = ReviewHub()
    h._classes = {"RoomArea": RoomArea, "TaskArea": TaskArea}
    h._app = FakeApp()
    return h


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0.01)


def test_a_change_refreshes_the_open_pages_of_that_task_only(hub):
    async def run():
        for token, task in (("a", 1), ("b", 1), ("c", 2)):
            hub._app.connected.add(token)
            hub.open(token, task, RoomArea)
        hub.changed({1})
        await settle()

    asyncio.run(run())
    assert sorted(FakeState.refreshed) == [("RoomArea", "a"), ("RoomArea", "b")]


def test_every_area_of_the_task_page_is_refreshed(hub):
    async def run():
        hub._app.connected.add("t")
        hub.open("t", 7, TaskArea)
        hub.join("t", 7, RoomArea)
        hub.changed({7})
        await settle()

    asyncio.run(run())
    assert sorted(FakeState.refreshed) == [("RoomArea", "t"), ("TaskArea", "t")]


def test_joining_for_another_task_starts_over(hub):
    hub.open("t", 7, TaskArea)
    hub.join("t", 8, RoomArea)
    assert hub.states_of("t") == ["RoomArea"]


def test_a_burst_of_changes_during_a_refresh_costs_one_more_refresh(hub):
    async def run():
        FakeState.delay = 0.05
        hub._app.connected.add("a")
        hub.open("a", 1, RoomArea)
        hub.changed({1})
        await asyncio.sleep(0.01)
        for _ in range(5):
            hub.changed({1})
        await asyncio.sleep(0.3)

    asyncio.run(run())
    assert FakeState.refreshed == [("RoomArea", "a")] * 2


def test_a_page_whose_browser_has_gone_is_dropped(hub):
    async def run():
        hub.open("gone", 1, RoomArea)
        hub.changed({1})
        await settle()

    asyncio.run(run())
    assert FakeState.refreshed == []
    assert hub.open_rooms == 0


def test_closing_with_an_old_epoch_keeps_the_newer_page(hub):
    old = hub.open("a", 1, RoomArea)
    new = hub.open("a", 2, RoomArea)
    hub.close("a", old)
    assert hub.is_open("a", new)
    hub.close("a", new)
    assert not hub.is_open("a", new)


def test_reopening_after_a_reconnect_keeps_the_areas(hub):
    hub.open("a", 1, TaskArea)
    hub.join("a", 1, RoomArea)
    areas = hub.states_of("a")
    hub.close("a")
    epoch = hub.reopen("a", 1, [*areas, "NotARealState"])
    assert hub.is_open("a", epoch)
    assert hub.states_of("a") == ["RoomArea", "TaskArea"]


def test_the_hub_listens_to_the_review_bus(hub):
    bus = realtime.LocalBus()
    review_bus.set_bus(bus)

    async def run():
        hub._app.connected.add("a")
        hub.open("a", 3, RoomArea)
        listening = asyncio.get_running_loop().create_task(hub.run(hub._app))
        await asyncio.sleep(0.02)
        bus.publish({"tasks": [3]})
        await settle()
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening

    try:
        asyncio.run(run())
    finally:
        review_bus.set_bus(None)
    assert FakeState.refreshed == [("RoomArea", "a")]


def test_a_portal_list_follows_the_shares_of_its_projects(hub):
    async def run():
        for token in ("list", "room"):
            hub._app.connected.add(token)
        hub.open_projects("list", {4, 5}, RoomArea)
        hub.open("room", 9, TaskArea)
        hub.changed(set(), {5})  # a share in project 5: the list, not the other task's room
        await settle()
        hub.changed({9}, {6})  # a change on task 9 in project 6: the room only
        await settle()

    asyncio.run(run())
    assert FakeState.refreshed == [("RoomArea", "list"), ("TaskArea", "room")]


def test_a_reopened_portal_list_keeps_its_projects(hub):
    async def run():
        hub._app.connected.add("list")
        hub.open_projects("list", {4}, RoomArea)
        hub.close("list")
        hub.reopen("list", 0, ["RoomArea"], {4})
        bus = realtime.LocalBus()
        review_bus.set_bus(bus)
        listening = asyncio.get_running_loop().create_task(hub.run(hub._app))
        await asyncio.sleep(0.02)
        bus.publish({"tasks": [], "projects": [4]})
        await settle()
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening

    try:
        asyncio.run(run())
    finally:
        review_bus.set_bus(None)
    assert FakeState.refreshed == [("RoomArea", "list")]
