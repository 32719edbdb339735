"""The board bus: how a change made in one process reaches the web workers holding open boards.

- `RedisBus` (REFLEX_REDIS_URL set): a global sequence number from one INCR, messages on one
  pub/sub channel. Any process can publish (a web worker, the scheduler, a script); every web
  worker listens and forwards to the boards whose sockets it holds.
- `LocalBus` (embedded mode, one process): the same contract in memory. Changes made by
  another process (a script next to a SQLite app) are not pushed; they show on the next load.

No reflex import: services publish through this, the app listens through it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

CHANNEL = "feedback:boards"
SEQ_KEY = "feedback:boards:seq"

Message = dict[str, Any]


class Bus(Protocol):
    def next_seq(self) -> int: ...

    def publish(self, message: Message) -> None: ...

    def listen(self) -> AsyncIterator[Message]: ...


class LocalBus:
    """In-process bus. `listen()` must run on an event loop; `publish` may be called from any
    thread (the message is handed to each listener's loop)."""

    def __init__(self) -> None:
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Message], None]] = []

    def next_seq(self) -> int:
        with self._lock:
            return next(self._seq)

    def publish(self, message: Message) -> None:
        for deliver in list(self._listeners):
            deliver(message)

    def add_listener(self, fn: Callable[[Message], None]) -> None:
        self._listeners.append(fn)

    def remove_listener(self, fn: Callable[[Message], None]) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    async def listen(self) -> AsyncIterator[Message]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Message] = asyncio.Queue()

        def deliver(message: Message) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, message)

        self.add_listener(deliver)
        try:
            while True:
                yield await queue.get()
        finally:
            self.remove_listener(deliver)


class RedisBus:
    def __init__(self, url: str, name: str = "boards") -> None:
        from redis.connection import parse_url

        self.url = url
        # Pub/sub ignores the database number; the channel carries it, so two deployments
        # sharing a Redis server on different databases do not hear each other.
        self.channel = f"feedback:{name}:{parse_url(url).get('db', 0)}"
        self._client = None
        self._pid = 0

    def _sync(self):
        # Web workers are forked after import: a connection must belong to its process.
        if self._client is None or self._pid != os.getpid():
            import redis

            self._client = redis.Redis.from_url(self.url, socket_timeout=5)
            self._pid = os.getpid()
        return self._client

    def next_seq(self) -> int:
        return int(self._sync().incr(SEQ_KEY))

    def publish(self, message: Message) -> None:
        self._sync().publish(self.channel, json.dumps(message, separators=(",", ":")))

    async def listen(self) -> AsyncIterator[Message]:
        """Messages from every process. Raises on a lost connection (the caller resubscribes
        and treats the gap as lost messages)."""
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(self.channel)
                async for raw in pubsub.listen():
                    if raw.get("type") != "message":
                        continue
                    try:
                        yield json.loads(raw["data"])
                    except (TypeError, ValueError):
                        log.warning("ignoring a malformed board message")
        finally:
            await client.aclose()


_bus: Bus | None = None
_named: dict[str, Bus] = {}
_bus_lock = threading.Lock()


def get_bus(name: str = "boards") -> Bus:
    """The process's bus for one channel ("boards" for the kanban, "users" for per-user
    pushes such as the bell): Redis when REFLEX_REDIS_URL is set, else in memory."""
    global _bus
    with _bus_lock:
        if name != "boards":
            if name not in _named:
                from services.settings import get_settings

                url = get_settings().redis_url
                _named[name] = RedisBus(url, name) if url else LocalBus()
            return _named[name]
        if _bus is None:
            from services.settings import get_settings

            url = get_settings().redis_url
            _bus = RedisBus(url) if url else LocalBus()
        return _bus


def set_bus(bus: Bus | None) -> None:
    """Replace the process's bus (tests, benchmarks); None goes back to the configured one."""
    global _bus
    with _bus_lock:
        _bus = bus
