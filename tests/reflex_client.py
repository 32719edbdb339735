"""A minimal Reflex websocket client (Engine.IO 4 / Socket.IO 5): one browser tab as far as
the backend can tell. Used by the multi-worker board test and by the live benchmark
(bench/_server.py), which drive the real app without a browser."""

from __future__ import annotations

import asyncio
import json
import time
import uuid


class ReflexClient:
    """One browser tab, as far as the backend can tell: a websocket with its own token that
    hydrates a page (signed in by its session cookie value) and sends events."""

    NAMESPACE = "/_event"

    def __init__(self, base: str, session_token: str, path: str, query: dict) -> None:
        self.base = base.replace("http://", "ws://")
        self.token = str(uuid.uuid4())
        self.session_token = session_token
        self.router = {"pathname": path, "asPath": path, "query": query}
        self.ws = None
        self.state: dict[str, dict] = {}
        self.listeners: list = []
        self._reader: asyncio.Task | None = None
        self._hydrated = asyncio.Event()

    async def connect(self, cookie_var: str) -> None:
        import websockets

        url = f"{self.base}/_event/?token={self.token}&EIO=4&transport=websocket"
        self.ws = await websockets.connect(url, max_size=None, compression=None)
        opened = await self.ws.recv()
        assert opened.startswith("0"), opened
        boot = {
            "event": {
                "name": "reflex___state____state.hydrate_and_load",
                "payload": {"vars": {cookie_var: self.session_token}},
                "router_data": self.router,
            }
        }
        await self.ws.send(f"40{self.NAMESPACE}," + json.dumps(boot))
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        prefix = f"42{self.NAMESPACE},"
        async for raw in self.ws:
            if raw == "2":
                await self.ws.send("3")
                continue
            if not raw.startswith(prefix):
                continue
            received = time.time()
            name, payload = json.loads(raw[len(prefix) :])[:2]
            if name != "event":
                continue
            for state, values in (payload.get("delta") or {}).items():
                self.state.setdefault(state, {}).update(values)
                if values.get("is_hydrated_rx_state_") is True:
                    self._hydrated.set()
            for fn in self.listeners:
                fn(payload.get("delta") or {}, received)

    async def hydrated(self, timeout: float = 60) -> None:
        await asyncio.wait_for(self._hydrated.wait(), timeout)

    async def send(self, event: str, **payload) -> None:
        message = {"name": event, "payload": payload, "router_data": self.router}
        await self.ws.send(f"42{self.NAMESPACE}," + json.dumps(["event", message]))

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()


def new_feed_entries(feed: list[dict] | None, board) -> list[dict]:
    """The entries of a board's live feed window (`feed` as pushed) that the board component
    would apply now, in order: those of the board's epoch it has not applied yet. `board` has
    `epoch`, `last` (the last number applied) and `gaps`, updated here: a skipped number or a
    reload is a gap, after which the browser would fetch the whole board again."""
    if not feed or not board.epoch:
        return []
    new = []
    for entry in sorted(feed, key=lambda e: e["s"]):
        if entry.get("e") != board.epoch or entry["s"] <= board.last:
            continue
        if entry["s"] != board.last + 1 or entry.get("reload"):
            board.gaps += 1
        board.last = entry["s"]
        new.append(entry)
    return new
