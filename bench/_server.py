"""Start the real app (`reflex run --env prod`, one port) on a throwaway database for a
benchmark. The websocket client that drives it lives with the tests (tests/reflex_client.py),
which use it too."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from _common import ROOT

from tests.reflex_client import ReflexClient  # noqa: F401  (the benches import it from here)

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
