"""Start the real app (`reflex run --env prod`, one port) on a throwaway database for a
benchmark, and a minimal Reflex websocket client (Engine.IO 4 / Socket.IO 5) to drive it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

from _common import ROOT

WEB_DIR = ROOT / ".tools" / "e2e-web" / "bench"  # the built frontend is reused between runs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running_app(
    db_url: str, *, redis_url: str | None = None, workers: int | None = None
) -> Iterator[str]:
    """Yield the base URL of the app serving `db_url` (already migrated and seeded)."""
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="feedback-bench-app-"))
    env = {
        **os.environ,
        "REFLEX_DB_URL": db_url,
        "FEEDBACK_DATA_DIR": str(tmp),
        "REFLEX_WEB_WORKDIR": str(WEB_DIR),
        "REFLEX_STATES_WORKDIR": str(tmp / "states"),
        "REFLEX_UPLOADED_FILES_DIR": str(tmp / "uploads"),
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "PYTHONUNBUFFERED": "1",
    }
    for key in ("REFLEX_FRONTEND_PORT", "REFLEX_BACKEND_PORT", "REFLEX_ENV_MODE", "PORT"):
        env.pop(key, None)
    env.pop("REFLEX_REDIS_URL", None)
    if redis_url:
        env["REFLEX_REDIS_URL"] = redis_url
    if workers:
        env["GRANIAN_WORKERS"] = str(workers)
    log = tmp / "server.log"
    cmd = [sys.executable, "-m", "reflex", "run", "--env", "prod"]
    cmd += ["--frontend-port", str(port), "--backend-port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while not (_ok(f"{base}/ping") and _ok(f"{base}/")):
            if proc.poll() is not None or time.monotonic() - started > 300:
                raise RuntimeError(f"app did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        print(f"[bench] app ready at {base} in {time.monotonic() - started:.1f} s (log {log})")
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(os.getpgid(proc.pid), signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(os.getpgid(proc.pid), signal.SIGKILL)


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
