"""Live feeds and dashboards, receiving side: when the bus names a topic, each worker's hub
refreshes the open areas following it, once per burst, no sooner than an area's minimum gap,
and drops areas whose browser has gone (or moved to another worker)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from types import SimpleNamespace

import pytest

from feedback_app.live_feeds import FeedHub
from integrations import feed_bus, realtime


class FakeState:
    refreshed: list[tuple[str, str, float]] = []
    delay = 0.0

    @classmethod
    def get_full_name(cls) -> str:
        return cls.__name__

    def __init__(self, token: str) -> None:
        self.token = token

    async def _live_refresh(self) -> None:
        await asyncio.sleep(self.delay)
        FakeState.refreshed.append((type(self).__name__, self.token, time.monotonic()))


class Feed(FakeState):
    pass


class Dash(FakeState):
    pass


class FakeApp:
    """Sockets held by this worker (instance "here") or another one."""

    def __init__(self) -> None:
        self.manager = SimpleNamespace(token_to_socket={}, instance_id="here")
        self.event_namespace = SimpleNamespace(_token_manager=self.manager)

    def connect(self, token: str, instance: str = "here") -> None:
        self.manager.token_to_socket[token] = SimpleNamespace(instance_id=instance)

    @contextlib.asynccontextmanager
    async def modify_state(self, token):
        class Root:
            async def get_state(self, wanted):
                return wanted(token.ident)

        assert token.cls in (Feed, Dash)
        yield Root()


@pytest.fixture
def hub():
    FakeState.refreshed = []
    FakeState.delay = 0.0
    h = FeedHub()
    h._classes = {"Feed": Feed, "Dash": Dash}
    h._app = FakeApp()
    return h


def who() -> list[tuple[str, str]]:
    return sorted((name, token) for name, token, _ in FakeState.refreshed)


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0.01)


def test_a_topic_refreshes_the_areas_following_it_only(hub):
    async def run():
        for token, topic in (("a", "activity:p1"), ("b", "activity:p1"), ("c", "activity:p2")):
            hub._app.connect(token)
            hub.follow(token, Feed, [topic])
        hub.changed({"activity:p1", "activity:t9"})
        await settle()

    asyncio.run(run())
    assert who() == [("Feed", "a"), ("Feed", "b")]


def test_two_areas_of_one_tab_are_refreshed_independently(hub):
    async def run():
        hub._app.connect("t")
        hub.follow("t", Feed, ["activity:p1"])
        hub.follow("t", Dash, ["dash:all"])
        hub.changed({"dash:all"})
        await settle()

    asyncio.run(run())
    assert who() == [("Dash", "t")]


def test_following_again_replaces_the_topics(hub):
    async def run():
        hub._app.connect("t")
        hub.follow("t", Feed, ["activity:p1"])
        hub.follow("t", Feed, ["activity:p2"])
        hub.changed({"activity:p1"})
        await settle()
        assert FakeState.refreshed == []
        hub.changed({"activity:p2"})
        await settle()

    asyncio.run(run())
    assert who() == [("Feed", "t")]
    assert hub.open_areas == 1


def test_a_burst_during_a_refresh_costs_one_more_refresh(hub):
    async def run():
        FakeState.delay = 0.05
        hub._app.connect("a")
        hub.follow("a", Feed, ["activity:p1"])
        hub.changed({"activity:p1"})
        await asyncio.sleep(0.01)
        for _ in range(5):
            hub.changed({"activity:p1"})
        await asyncio.sleep(0.3)

    asyncio.run(run())
    assert who() == [("Feed", "a")] * 2


def test_an_area_with_a_minimum_gap_is_not_refreshed_sooner(hub):
    async def run():
        hub._app.connect("d")
        hub.follow("d", Dash, ["dash:all"], min_gap=0.2)
        hub.changed({"dash:all"})
        await asyncio.sleep(0.02)
        for _ in range(10):
            hub.changed({"dash:all"})
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.4)

    asyncio.run(run())
    assert len(FakeState.refreshed) == 2
    first, second = (at for _, _, at in FakeState.refreshed)
    assert second - first >= 0.19


def test_left_areas_are_not_refreshed_and_an_old_epoch_does_not_leave(hub):
    async def run():
        hub._app.connect("a")
        old = hub.follow("a", Feed, ["activity:p1"])
        new = hub.follow("a", Feed, ["activity:p1"])
        hub.unfollow("a", Feed, old)  # a late leave from the previous mount
        assert hub.is_following("a", Feed, new)
        hub.unfollow("a", Feed, new)
        hub.changed({"activity:p1"})
        await settle()

    asyncio.run(run())
    assert FakeState.refreshed == []
    assert hub.open_areas == 0


def test_an_area_whose_tab_has_gone_or_moved_to_another_worker_is_dropped(hub):
    async def run():
        hub._app.connect("moved", instance="other-worker")
        hub.follow("gone", Feed, ["activity:p1"])
        hub.follow("moved", Feed, ["activity:p1"])
        hub.changed({"activity:p1"})
        await settle()

    asyncio.run(run())
    assert FakeState.refreshed == []
    assert hub.open_areas == 0


def test_the_sweep_drops_areas_nothing_pushed_to(hub):
    async def run():
        hub._app.connect("here")
        hub.follow("here", Feed, ["activity:p1"])
        hub.follow("closed", Feed, ["activity:p2"])
        await hub.sweep()

    asyncio.run(run())
    assert hub.open_areas == 1


def test_changed_since_tells_a_late_follower_whether_to_read_again(hub):
    async def run():
        read_at = time.monotonic()
        assert not hub.changed_since(["activity:p1"], read_at)
        hub.changed({"activity:p2"})
        assert not hub.changed_since(["activity:p1"], read_at)
        hub.changed({"activity:p1"})
        assert hub.changed_since(["activity:p1"], read_at)
        assert hub.changed_since(["activity:p3"], read_at - 3600)  # too long ago to tell

    asyncio.run(run())


def test_the_hub_listens_to_the_feed_bus(hub):
    bus = realtime.LocalBus()
    feed_bus.set_bus(bus)

    async def run():
        hub._app.connect("a")
        hub.follow("a", Feed, ["activity:t3"])
        listening = asyncio.get_running_loop().create_task(hub.run(hub._app))
        await asyncio.sleep(0.02)
        bus.publish({"topics": ["activity:t3", "dash:all"]})
        await settle()
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening

    try:
        asyncio.run(run())
    finally:
        feed_bus.set_bus(None)
    assert who() == [("Feed", "a")]
