"""Live boards across several backend workers (issue 7).

With the Redis state manager Reflex runs several worker processes, each holding some of the
browsers' sockets. A card dropped on a board held by one worker must reach the boards held by
every other worker, every move, in order, with no gap in any board's feed; and when two
people drop the same card at the same moment, every board must end on the database's state.

The real app runs (`reflex run --env prod --backend-only`: the websocket needs no frontend
build) with REFLEX_REDIS_URL and three granian workers, on the test's database (SQLite, or
PostgreSQL with FEEDBACK_TEST_DB_URL). Boards are websocket clients (tests/reflex_client.py),
each with its own token and signed in as a producer, that load the project board as the
browser does. Which worker holds each socket is read from Reflex's token manager in Redis (a
record per token naming the instance id of the worker process that accepted it), so the test
knows, rather than hopes, that the movers sit on different workers and that every worker
holds boards that must hear of moves made elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import pickle
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa

from integrations.realtime import RedisBus
from models import Activity, Task
from services import auth
from services.db import session_scope
from tests import aio
from tests.factories import PASSWORD, make_task
from tests.reflex_client import ReflexClient, new_feed_entries
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 12  # flushed here; test_realtime uses 15, the benches 13 and 14
WORKERS = 3
OBSERVERS = 8  # boards that only watch; each mover's own board is checked too
MAX_CLIENTS = 40  # sockets opened at most while waiting for them to spread over the workers
ORDERED_ROUNDS = 4
CONTESTED_ROUNDS = 3
CYCLE = ("IN_PROGRESS", "INTERNAL_REVIEW", "TODO")  # each move changes the card's column
CONTESTED = ("IN_PROGRESS", "INTERNAL_REVIEW", "CHANGES", "TODO")
WAIT = 15.0  # seconds for a round to reach every board (it takes ~50 ms; CI machines are busy)
START_TIMEOUT = 60.0


def _redis_url() -> str:
    """The Redis server of FEEDBACK_TEST_REDIS_URL (default 127.0.0.1:6379), on a database of
    this test's own: it is flushed."""
    base = urlsplit(os.environ.get("FEEDBACK_TEST_REDIS_URL") or "redis://127.0.0.1:6379")
    return urlunsplit(base._replace(path=f"/{REDIS_DB}"))


REDIS_URL = _redis_url()


def _redis():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_timeout=2)


def _redis_answers() -> bool:
    try:
        return bool(_redis().ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_answers(),
    reason=f"no Redis at {REDIS_URL} (set FEEDBACK_TEST_REDIS_URL): "
    "Reflex runs several backend workers only with Redis",
)


# ---------------------------------------------------------------- the app on several workers


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group (granian's workers with it), SIGKILL what is left."""
    with contextlib.suppress(ProcessLookupError):
        pgid = os.getpgid(proc.pid)
        for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
            os.killpg(pgid, sig)
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(0.1)
                os.killpg(pgid, 0)  # raises ProcessLookupError once the whole group is gone
                time.sleep(0.1)


def _hubs_listening(channel: str) -> int:
    return _redis().pubsub_numsub(channel)[0][1]


@pytest.fixture
def app_on_workers(db_url, tmp_path) -> Iterator[str]:
    """The app with the Redis state manager and WORKERS workers, on the test's database;
    yields its base URL once every worker's board hub listens on the bus."""
    _redis().flushdb()  # no states, socket records or sequence of an earlier run
    port = free_port()
    env = {
        **os.environ,
        "REFLEX_DB_URL": db_url,
        "REFLEX_REDIS_URL": REDIS_URL,
        "GRANIAN_WORKERS": str(WORKERS),
        "FEEDBACK_DATA_DIR": str(tmp_path / "data"),
        "REFLEX_WEB_WORKDIR": str(tmp_path / "web"),  # never the developer's .web
        "REFLEX_STATES_WORKDIR": str(tmp_path / "states"),
        "REFLEX_UPLOADED_FILES_DIR": str(tmp_path / "uploads"),
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "PYTHONUNBUFFERED": "1",
    }
    for key in (
        "REFLEX_FRONTEND_PORT",
        "REFLEX_BACKEND_PORT",
        "REFLEX_ENV_MODE",
        "REFLEX_FRONTEND_ONLY",
        "PORT",
        "FEEDBACK_BOARD_TRACE",
    ):
        env.pop(key, None)
    cmd = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only"]
    cmd += ["--backend-host", "127.0.0.1", "--backend-port", str(port)]
    log = tmp_path / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )
    base = f"http://127.0.0.1:{port}"
    channel = RedisBus(REDIS_URL).channel
    try:
        started = time.monotonic()
        # Up once /ping answers and every worker's hub has subscribed to the board bus: a
        # move published before a hub listens would never reach that worker's boards.
        while not (_answers(f"{base}/ping") and _hubs_listening(channel) >= WORKERS):
            if proc.poll() is not None or time.monotonic() - started > START_TIMEOUT:
                pytest.fail(
                    f"the app did not start: /ping {_answers(f'{base}/ping')}, "
                    f"{_hubs_listening(channel)} of {WORKERS} board hubs on the bus\n"
                    f"{log.read_text()[-3000:]}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield base
    finally:
        _stop(proc)
        _redis().flushdb()


# ---------------------------------------------------------------- boards as websocket clients


def _state_names() -> tuple[str, str, str, str]:
    from state.base import AppState
    from state.board import BoardCardsState, BoardFeedState, BoardState

    return (
        f"{AppState.get_full_name()}.session_token_rx_state_",
        BoardState.get_full_name(),
        BoardCardsState.get_full_name(),
        BoardFeedState.get_full_name(),
    )


COOKIE, BOARD_STATE, CARDS_STATE, FEED_STATE = _state_names()


@dataclass(eq=False)
class Board:
    """One open board and what its feed delivered, checked as the board component applies it:
    entries of its epoch, each once, numbered 1, 2, 3… (a skipped number or a reload is a gap,
    which would make the browser fetch the whole board again)."""

    client: ReflexClient
    worker: str = ""
    epoch: str = ""
    last: int = 0
    gaps: int = 0
    seen: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.client.listeners.append(self.on_delta)

    def on_delta(self, delta: dict, _received: float) -> None:
        feed = delta.get(FEED_STATE, {}).get("feed_rx_state_")
        for entry in new_feed_entries(feed, self):
            for card in entry.get("up", ()):
                self.seen[card["id"]].append(card["status"])

    def shows(self, task_id: int) -> str | None:
        return self.seen[task_id][-1] if self.seen[task_id] else None

    def __repr__(self) -> str:
        return f"board on {self.worker}"

    async def load(self) -> None:
        await self.client.send(f"{BOARD_STATE}.load", search="")
        await _until(lambda: self.client.state.get(CARDS_STATE, {}).get("epoch_rx_state_"))
        self.epoch = self.client.state.get(CARDS_STATE, {}).get("epoch_rx_state_", "")

    async def drop(self, task_id: int, status: str) -> None:
        await self.client.send(
            f"{FEED_STATE}.move", task_id=task_id, status=status, after_id=0, before_id=0
        )


async def _until(condition: Callable[[], object], timeout: float = WAIT) -> bool:
    """Wait until condition() (or the value it awaits) is true; False when timeout passed."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result or time.monotonic() > deadline:
            return bool(result)
        await asyncio.sleep(0.01)


def _socket_owner(token: str) -> str:
    """The instance id of the worker holding this token's socket, as Reflex's token manager
    records it in Redis when the socket connects (each worker process draws a fresh id when
    it starts: Reflex's App._setup_event_processor)."""
    from reflex.utils.token_manager import RedisTokenManager

    raw = _redis().get(f"{RedisTokenManager._token_socket_record_prefix}{token}")
    assert raw, f"Reflex recorded no worker for socket {token}"
    return pickle.loads(raw).instance_id


async def _spread_boards(base: str, project_id: int, tokens: list[str]) -> list[Board]:
    """Open boards until every worker holds at least two (one mover and one observer at the
    least), and OBSERVERS + WORKERS in all. The kernel hands each new connection to one of
    the workers; a handful is normally enough."""
    path = f"/projects/{project_id}/board"
    boards: list[Board] = []
    per_worker: Counter[str] = Counter()
    while len(boards) < len(tokens):
        want = max(OBSERVERS + WORKERS - len(boards), 4)
        batch = [
            Board(ReflexClient(base, t, path, {"project_id": str(project_id)}))
            for t in tokens[len(boards) : len(boards) + want]
        ]
        await asyncio.gather(*(b.client.connect(COOKIE) for b in batch))
        await asyncio.gather(*(b.client.hydrated() for b in batch))
        for b in batch:
            b.worker = _socket_owner(b.client.token)
            per_worker[b.worker] += 1
        boards += batch
        spread = len(per_worker) >= WORKERS and min(per_worker.values()) >= 2
        if spread and len(boards) >= OBSERVERS + WORKERS:
            break
    names = {w: f"worker {i + 1}" for i, w in enumerate(sorted(per_worker))}
    for b in boards:
        b.worker = names[b.worker]
    return boards


# ---------------------------------------------------------------- the database's side


def _read(db_url: str, task_id: int) -> tuple[str, int]:
    """The task's status and the number of status changes committed for it (each move writes
    one activity row with its change)."""
    with session_scope(db_url) as s:
        moves = (
            sa.select(sa.func.count())
            .select_from(Activity)
            .where(Activity.task_id == task_id, Activity.verb == "task.status_changed")
        )
        return s.get(Task, task_id).status.value, s.execute(moves).scalar_one()


# ---------------------------------------------------------------- the test


def test_every_board_on_every_worker_gets_every_move_in_order(app_on_workers, db_url, uow, prod):
    with uow() as s:
        cards = [
            make_task(s, prod.producer, shot_id=prod.shot.id, type=t).id
            for t in ("TRACK", "ROTO", "FX")
        ]
        contested = prod.task.id
        tokens = [
            auth.sign_in(s, email=prod.producer.email, password=PASSWORD)[0]
            for _ in range(MAX_CLIENTS)
        ]

    async def in_db(task_id: int) -> tuple[str, int]:
        return await asyncio.to_thread(_read, db_url, task_id)

    async def scenario() -> None:
        boards = await _spread_boards(app_on_workers, prod.project.id, tokens)
        try:
            await play(boards)
        finally:
            await asyncio.gather(*(b.client.close() for b in boards))

    async def play(boards: list[Board]) -> None:
        per_worker = Counter(b.worker for b in boards)
        # The proof that the test exercises several workers: Reflex's own records put the
        # sockets on WORKERS distinct processes, each holding two boards or more, so each
        # mover's moves must cross to boards held by the two other workers.
        assert len(per_worker) == WORKERS and min(per_worker.values()) >= 2, (
            f"{len(boards)} sockets did not spread over {WORKERS} workers: {dict(per_worker)}"
        )
        movers = [next(b for b in boards if b.worker == w) for w in sorted(per_worker)]
        print(f"\n[boards] {dict(sorted(per_worker.items()))}, a mover on each worker")
        await asyncio.gather(*(b.load() for b in boards))
        assert all(b.epoch for b in boards), "a board did not load"

        made: dict[int, list[str]] = {c: [] for c in cards}  # the moves of each card, in order

        async def drop_all(drops: list[tuple[Board, int, str]]) -> None:
            """These drops at the same moment; returns once every board has them."""
            for _, card, status in drops:
                made[card].append(status)
            await asyncio.gather(*(m.drop(card, status) for m, card, status in drops))

            def missing() -> list[str]:
                return [
                    f"{b} lacks card {c} -> {s} (dropped on {m.worker})"
                    for b in boards
                    for m, c, s in drops
                    if len(b.seen[c]) < len(made[c])
                ]

            await _until(lambda: not missing())
            assert not missing(), f"after {WAIT:.0f} s:\n" + "\n".join(missing())

        def next_status(card: int) -> str:
            return CYCLE[len(made[card]) % len(CYCLE)]

        # Each mover, on its own worker, drops its own card, all at the same moment.
        for _ in range(ORDERED_ROUNDS):
            await drop_all([(m, c, next_status(c)) for m, c in zip(movers, cards)])

        # Two movers on two workers drop the same card into two different columns at the same
        # moment (and the third its own card). Once both moves are committed, every board
        # must show the card where the database has it.
        for round_ in range(CONTESTED_ROUNDS):
            before, committed = await in_db(contested)
            targets = [s for s in CONTESTED if s != before]
            to_one, to_other = targets[round_ % 3], targets[(round_ + 1) % 3]
            one, other, third = (movers[(round_ + i) % WORKERS] for i in range(3))
            own = cards[(round_ + 2) % WORKERS]
            await asyncio.gather(
                one.drop(contested, to_one),
                other.drop(contested, to_other),
                drop_all([(third, own, next_status(own))]),
            )

            async def both_committed(committed=committed) -> bool:
                return (await in_db(contested))[1] >= committed + 2

            await _until(both_committed)
            final, moves = await in_db(contested)
            assert moves - committed == 2, (
                f"of two simultaneous moves of one card (by {one} and {other}), "
                f"{moves - committed} committed"
            )
            assert final in (to_one, to_other)
            await _until(lambda final=final: all(b.shows(contested) == final for b in boards))
            shown = Counter(f"{b} shows {b.shows(contested)}" for b in boards)
            assert all(b.shows(contested) == final for b in boards), (
                f"{one} moved a card to {to_one} and {other} to {to_other} at once; the "
                f"database has {final}, but {dict(shown)}"
            )

        # Every board, on every worker, got every move of the other cards, in the order made,
        # still shows the contested card where the database has it (nothing older came in
        # late), and its feed had no gap.
        final, _ = await in_db(contested)
        wrong = [
            f"{b} card {c}: got {b.seen[c]}, made {want}"
            for b in boards
            for c, want in made.items()
            if b.seen[c] != want
        ] + [
            f"{b} shows {b.shows(contested)}, not {final}"
            for b in boards
            if b.shows(contested) != final
        ]
        assert not wrong, "moves lost, out of order or stale:\n" + "\n".join(wrong)
        gaps = [f"{b}: {b.gaps}" for b in boards if b.gaps]
        assert not gaps, f"feed gaps (a browser would reload its board): {gaps}"

    aio.run(scenario())
