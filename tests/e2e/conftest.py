"""Browser tests against a real `reflex run --env prod` server.

Fixtures:
- ``app_server`` (session): fresh data dir + SQLite DB, ``python -m feedback_app migrate`` and
  ``seed-demo``, then the app in prod mode on one free port. Yields the base URL.
- ``browser`` (session): one Playwright Chromium for the whole session.
- ``page``: a fresh browser context per test (``page.goto("/")`` is relative to the server).
- ``login``: ``login(page, base_url, email, password="feedback")``.

Environment knobs: FEEDBACK_CHROMIUM (browser binary; default /usr/bin/chromium if present,
else Playwright's own), FEEDBACK_E2E_START_TIMEOUT (seconds, default 240),
FEEDBACK_E2E_KEEP=1 (keep the temp data dir and server log for inspection),
FEEDBACK_DEMO_CACHE (demo clips; default <data dir>/cache/demo-clips, shared with the demo).

Each session builds the frontend in its own web dir (REFLEX_WEB_WORKDIR under .tools/e2e-web/)
so it never touches the developer's .web (which a running `scripts/demo.sh` serves from) and
two sessions don't clobber each other. bun installs from the shared cache in .tools/bun-cache.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
E2E_WEB_ROOT = ROOT / ".tools" / "e2e-web"
DEMO_PASSWORD = "feedback"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is marked ``e2e`` (deselect with ``-m 'not e2e'``) and runs
    last: Playwright's sync API leaves an event loop running in the main thread for the rest of
    the session, where other tests' asyncio.run() would refuse to start."""
    here = Path(__file__).parent
    browser = []
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            browser.append(item)
    if browser:
        ids = {id(item) for item in browser}
        items[:] = [item for item in items if id(item) not in ids] + browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop_group(proc: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM the server's process group, then SIGKILL whatever is left."""
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.2)
            try:
                os.killpg(pgid, 0)  # any member of the group still alive?
            except ProcessLookupError:
                return
        # fall through to SIGKILL


def _run_cli(args: list[str], env: dict[str, str], log: Path) -> None:
    cmd = [sys.executable, "-m", "feedback_app", *args]
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        rc = subprocess.call(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    if rc != 0:
        pytest.fail(
            f"`python -m feedback_app {' '.join(args)}` exited {rc}\n{_tail(log)}", pytrace=False
        )


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Start the app (prod mode, one port) on a fresh seeded database; yield its base URL."""
    tmp = Path(tempfile.mkdtemp(prefix="feedback-e2e-"))
    E2E_WEB_ROOT.mkdir(parents=True, exist_ok=True)
    web_dir = Path(tempfile.mkdtemp(prefix="web-", dir=E2E_WEB_ROOT))
    log = tmp / "server.log"
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"

    smtp, mailbox = _start_smtp()
    env = dict(os.environ)
    # Demo clips (ffmpeg) are made once and shared with scripts/demo.sh, not per session.
    env.setdefault(
        "FEEDBACK_DEMO_CACHE",
        str(Path(env.get("FEEDBACK_DATA_DIR") or ROOT / "data") / "cache" / "demo-clips"),
    )
    env.update(
        FEEDBACK_DATA_DIR=str(tmp / "data"),
        REFLEX_DB_URL=f"sqlite:///{tmp / 'data' / 'feedback.db'}",
        FEEDBACK_BASE_URL=base_url,
        REFLEX_WEB_WORKDIR=str(web_dir),
        REFLEX_STATES_WORKDIR=str(tmp / "states"),
        REFLEX_UPLOADED_FILES_DIR=str(tmp / "uploads"),
        REFLEX_TELEMETRY_ENABLED="false",
        # Email goes to an SMTP server on loopback (the `mailbox` fixture reads it).
        FEEDBACK_SMTP_HOST="127.0.0.1",
        FEEDBACK_SMTP_PORT=str(smtp.port),
        FEEDBACK_SMTP_TLS="0",
        FEEDBACK_MAIL_FROM="FeedBack <feedback@studio.test>",
        FEEDBACK_OUTBOX_INTERVAL_SECONDS="1",
        REFLEX_CHECK_LATEST_VERSION="0",
        PYTHONUNBUFFERED="1",
    )
    # Ports come from the command line; stale values would only confuse Reflex.
    for key in ("REFLEX_FRONTEND_PORT", "REFLEX_BACKEND_PORT", "REFLEX_ENV_MODE", "PORT"):
        env.pop(key, None)
    (tmp / "data").mkdir(parents=True)
    _SERVER["db_url"] = env["REFLEX_DB_URL"]
    _SERVER["log"] = str(log)
    _SERVER_MAILBOX.append(mailbox)

    proc: subprocess.Popen | None = None
    try:
        _run_cli(["migrate"], env, log)
        _run_cli(["seed-demo"], env, log)

        cmd = [
            sys.executable,
            "-m",
            "reflex",
            "run",
            "--env",
            "prod",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
        ]
        with log.open("a") as out:
            out.write(f"\n$ {' '.join(cmd)}\n")
            out.flush()
            proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: killed as a whole below
            )

        timeout = float(os.environ.get("FEEDBACK_E2E_START_TIMEOUT", "240"))
        started = time.monotonic()
        while not (_http_ok(f"{base_url}/ping") and _http_ok(f"{base_url}/")):
            if proc.poll() is not None:
                pytest.fail(
                    f"reflex run exited with {proc.returncode} before serving\n{_tail(log)}",
                    pytrace=False,
                )
            if time.monotonic() - started > timeout:
                pytest.fail(f"app not ready after {timeout:.0f} s\n{_tail(log)}", pytrace=False)
            time.sleep(0.25)
        print(f"\n[e2e] app ready at {base_url} in {time.monotonic() - started:.1f} s (log {log})")

        yield base_url
    finally:
        if proc is not None:
            _stop_group(proc)
        smtp.stop()
        shutil.rmtree(web_dir, ignore_errors=True)
        if os.environ.get("FEEDBACK_E2E_KEEP") == "1":
            print(f"\n[e2e] kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


_SERVER: dict[str, str] = {}
_SERVER_MAILBOX: list = []


class Mailbox:
    """What the app's SMTP server on loopback received: (recipients, parsed message)."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


def _start_smtp():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    return controller, mailbox


@pytest.fixture(scope="session")
def mailbox(app_server) -> Mailbox:
    """The SMTP server the running app sends its email to."""
    return _SERVER_MAILBOX[-1]


@pytest.fixture(scope="session")
def app_db_url(app_server) -> str:
    """The running app's database, for tests that arrange their own data through the services
    instead of depending on (or changing) the demo show other tests read."""
    return _SERVER["db_url"]


def _chromium_path() -> str | None:
    path = os.environ.get("FEEDBACK_CHROMIUM")
    if path:
        return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def browser():
    """One Playwright + Chromium per session (a second sync_playwright() fails)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=_chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def no_backend_exception(request):
    """Fail a browser test whose clicks raised in an event handler. Reflex then shows a generic
    "An error occurred" toast, even when the action itself worked, so a test that only checks
    the outcome would not notice."""
    if "app_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("app_server")
    log = Path(_SERVER["log"])
    start = log.stat().st_size
    yield
    with log.open(errors="replace") as f:
        f.seek(start)
        new = f.read()
    if "[Reflex Backend Exception]" in new:
        at = new.index("[Reflex Backend Exception]")
        pytest.fail(f"an event handler raised on the server:\n{new[at : at + 3000]}", pytrace=False)


@pytest.fixture
def page(browser, app_server):
    """A page in a fresh context (own cookies/storage); relative URLs resolve to the app."""
    context = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def login(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the UI and wait for the logged-in shell (#nav-user)."""
    page.goto(f"{base_url}/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()
    # Navigating before the shell appears loses the login.
    page.locator("#nav-user").wait_for(state="visible")


@pytest.fixture(name="login")
def login_fixture() -> Callable[..., None]:
    """The ``login(page, base_url, email, password="feedback")`` helper as a fixture."""
    return login
