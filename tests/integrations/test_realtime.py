"""The board bus: in memory for one process, Redis pub/sub across processes (a script or the
scheduler moving a card reaches the web workers' open boards)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from integrations import realtime
from services.db import session_scope
from tests import aio
from tests.factories import make_production

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("FEEDBACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
        return True
    except Exception:
        return False


needs_redis = pytest.mark.skipif(not redis_answers(), reason=f"no Redis at {REDIS_URL}")


async def first_messages(bus, count: int, publish, timeout: float = 5.0) -> list[dict]:
    got: list[dict] = []

    async def listen():
        async for m in bus.listen():
            got.append(m)
            if len(got) == count:
                return

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.2)  # subscribed
    await asyncio.to_thread(publish)
    await asyncio.wait_for(task, timeout)
    return got


def test_local_bus_hands_messages_from_any_thread_to_the_listening_loop():
    bus = realtime.LocalBus()

    def publish():
        t = threading.Thread(target=lambda: [bus.publish({"n": i}) for i in range(3)])
        t.start()
        t.join()

    got = aio.run(first_messages(bus, 3, publish))
    assert [m["n"] for m in got] == [0, 1, 2]
    assert [bus.next_seq() for _ in range(3)] == [1, 2, 3]


@needs_redis
def test_redis_bus_carries_messages_and_one_sequence_across_processes():
    bus = realtime.RedisBus(REDIS_URL)
    before = bus.next_seq()
    script = textwrap.dedent(
        f"""
        from integrations.realtime import RedisBus
        bus = RedisBus({REDIS_URL!r})
        bus.publish({{"s": bus.next_seq(), "from": "script"}})
        """
    )

    def publish():
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=30)

    (got,) = aio.run(first_messages(bus, 1, publish))
    assert got["from"] == "script" and got["s"] > before


@needs_redis
def test_a_move_made_by_a_script_reaches_an_open_board_in_the_web_worker(db_url):
    """The script path of the issue: a separate process commits a move; the hub (here, in the
    test process, as in a web worker) hears it on Redis and pushes it to the open board."""
    from feedback_app.live_boards import BoardHub
    from services.board import BoardFilters, BoardScope, Viewer
    from tests.state.test_live_boards import FakeNamespace

    with session_scope() as s:
        prod = make_production(s)
    bus = realtime.RedisBus(REDIS_URL)
    realtime.set_bus(bus)
    hub = BoardHub()
    hub._feed_state = "feed_state"
    namespace = FakeNamespace()
    app = SimpleNamespace(event_namespace=namespace)
    script = textwrap.dedent(
        f"""
        from models import User
        from services import auth, board_live, tasks
        from services.db import session_scope
        board_live.install()
        with session_scope() as s:
            producer = auth.user_read(s.get(User, {prod.producer.id}))
            tasks.move(s, actor=producer, task_id={prod.task.id}, status="INTERNAL_REVIEW")
        """
    )
    env = {**os.environ, "REFLEX_DB_URL": db_url, "REFLEX_REDIS_URL": REDIS_URL}

    async def scenario():
        runner = asyncio.create_task(hub.run(app))
        await asyncio.sleep(0.3)
        namespace.connect("tab")
        hub.open("tab", Viewer.of(prod.supervisor), BoardScope(prod.project.id), BoardFilters())
        await asyncio.to_thread(
            subprocess.run, [sys.executable, "-c", script], cwd=ROOT, env=env, check=True
        )
        for _ in range(300):
            if namespace.sent:
                break
            await asyncio.sleep(0.01)
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner

    try:
        aio.run(scenario())
    finally:
        realtime.set_bus(None)
    (token, delta) = namespace.sent[0]
    entry = delta["feed_state"]["feed_rx_state_"][-1]
    assert token == "tab" and entry["up"][0]["status"] == "INTERNAL_REVIEW"
