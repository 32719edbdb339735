"""A move seen by other open boards: real websocket clients against the prod server.

    python bench/live_bench.py [--observers 50] [--movers 1,5] [--rounds 20] [--tasks 1000]
                               [--db sqlite|postgres] [--redis URL|none] [--workers N]

Starts `reflex run --env prod` on a fresh database holding a project of --tasks tasks (with
Redis, Reflex runs several backend workers; --workers sets how many). Opens --observers board
clients and the movers' clients (each a websocket with its own token, signed in, that loads
the project board exactly as the browser does), then, round after round, has 1 (then 5)
movers drop a card into another column at the same moment. For every move and every observer
it records when the change arrived, and checks that each observer saw every move, in order,
with no gap in its feed.

Target (issue 7): p95 <= 150 ms at 50 boards, also with 5 simultaneous movers; nothing lost
or out of order.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import time
from collections import defaultdict
from datetime import timedelta

from _common import analyze, pg_answers, print_table, seed_production, summary, temp_database
from _server import ReflexClient, running_app

from tests.reflex_client import new_feed_entries

STATUSES = ("IN_PROGRESS", "INTERNAL_REVIEW", "TODO")


def state_names():
    from state.base import AppState
    from state.board import BoardCardsState, BoardFeedState, BoardState

    return (
        f"{AppState.get_full_name()}.session_token_rx_state_",
        BoardState.get_full_name(),
        BoardCardsState.get_full_name(),
        BoardFeedState.get_full_name(),
    )


class Observer:
    def __init__(self, client: ReflexClient, feed_state: str) -> None:
        self.client = client
        self.feed_state = feed_state
        self.epoch = ""
        self.last = 0
        self.gaps = 0
        self.seen: dict[int, list[tuple[str, float]]] = defaultdict(list)
        # (card id, status) -> (published, pushed) as stamped by the server (trace mode)
        self.stamps: dict[tuple[int, str], list[float]] = {}
        client.listeners.append(self.on_delta)

    def on_delta(self, delta: dict, received: float) -> None:
        feed = delta.get(self.feed_state, {}).get("feed_rx_state_")
        for entry in new_feed_entries(feed, self):
            for card in entry.get("up", ()):
                self.seen[card["id"]].append((card["status"], received))
                if "t" in entry:
                    self.stamps[(card["id"], card["status"], received)] = entry["t"]


async def load_board(client: ReflexClient, board_state: str, cards_state: str) -> str:
    await client.hydrated()
    await client.send(f"{board_state}.load", search="")
    for _ in range(6000):
        epoch = client.state.get(cards_state, {}).get("epoch_rx_state_")
        if epoch:
            return epoch
        await asyncio.sleep(0.01)
    raise TimeoutError("board did not load")


async def scenario(base: str, project_id: int, tokens: list[str], tasks: list[int], args) -> list:
    cookie_var, board_state, cards_state, feed_state = state_names()
    path = f"/projects/{project_id}/board"
    clients = [ReflexClient(base, t, path, {"project_id": str(project_id)}) for t in tokens]
    t0 = time.time()
    for i in range(0, len(clients), 10):
        await asyncio.gather(*(c.connect(cookie_var) for c in clients[i : i + 10]))
    observers = [Observer(c, feed_state) for c in clients[: args.observers]]
    movers = clients[args.observers :]
    epochs = await asyncio.gather(*(load_board(c, board_state, cards_state) for c in clients))
    for o, epoch in zip(observers, epochs):
        o.epoch = epoch
    cards = len(clients[0].state[cards_state]["cards_rx_state_"])
    print(f"[bench] {len(clients)} boards of {cards} cards loaded in {time.time() - t0:.1f} s")

    rows, breakdown = [], []
    current = {}
    for n_movers in [int(x) for x in args.movers.split(",")]:
        expected: list[tuple[int, str, float]] = []
        for _round in range(args.rounds):
            moves = []
            for m, task_id in zip(movers[:n_movers], tasks):
                status = STATUSES[(current.get(task_id, -1) + 1) % len(STATUSES)]
                current[task_id] = STATUSES.index(status)
                moves.append((m, task_id, status))
            sent = time.time()
            await asyncio.gather(
                *(
                    m.send(f"{feed_state}.move", task_id=t, status=s, after_id=0, before_id=0)
                    for m, t, s in moves
                )
            )
            expected += [(t, s, sent) for _, t, s in moves]
            deadline = time.time() + 3
            while time.time() < deadline:
                if all(
                    any(st == s and at >= sent for st, at in o.seen[t])
                    for o in observers
                    for _, t, s in moves
                ):
                    break
                await asyncio.sleep(0.005)
            await asyncio.sleep(args.pause)
        latencies, lost = [], 0
        stages: dict[str, list[float]] = defaultdict(list)
        for t, s, sent in expected:
            for o in observers:
                arrived = [at for st, at in o.seen[t] if st == s and at >= sent]
                if arrived:
                    latencies.append((arrived[0] - sent) * 1000)
                    stamp = o.stamps.get((t, s, arrived[0]))
                    if stamp:
                        published, pushed = stamp
                        stages["send -> published"].append((published - sent) * 1000)
                        stages["published -> pushed"].append((pushed - published) * 1000)
                        stages["pushed -> received"].append((arrived[0] - pushed) * 1000)
                else:
                    lost += 1
        for name, values in stages.items():
            st = summary(values)
            breakdown.append([n_movers, name, st["p50"], st["p95"]])
        out_of_order = 0
        for o in observers:
            for t in {t for t, _, _ in expected}:
                want = [s for tt, s, _ in expected if tt == t]
                got = [s for s, at in o.seen[t] if at >= expected[0][2]]
                if got != want:
                    out_of_order += 1
        st = summary(latencies)
        rows.append(
            [
                n_movers,
                len(observers),
                len(expected),
                st["n"],
                st["p50"],
                st["p95"],
                st["max"],
                lost,
                out_of_order,
                sum(o.gaps for o in observers),
            ]
        )
    await asyncio.gather(*(c.close() for c in clients))
    return rows, breakdown


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--observers", type=int, default=50)
    ap.add_argument("--movers", default="1,5")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--tasks", type=int, default=1000)
    ap.add_argument("--db", default="postgres")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--pause", type=float, default=0.15)
    args = ap.parse_args()
    if args.db == "postgres" and not pg_answers():
        args.db = "sqlite"
        print("[bench] PostgreSQL does not answer: using SQLite")
    redis_url = None if args.redis == "none" else args.redis
    n_movers = max(int(x) for x in args.movers.split(","))

    from models import LoginSession
    from models.base import utcnow
    from services.auth import token_hash
    from services.db import session_scope

    with temp_database(args.db) as url:
        with session_scope(url) as s:
            ids = seed_production(s, tasks=args.tasks)
            tokens = []
            for _ in range(args.observers + n_movers):
                token = secrets.token_urlsafe(32)
                s.add(
                    LoginSession(
                        user_id=ids["producer"],
                        token_hash=token_hash(token),
                        expires_at=utcnow() + timedelta(hours=2),
                    )
                )
                tokens.append(token)
        analyze(url)
        if redis_url:
            import redis

            redis.Redis.from_url(redis_url).flushdb()  # no states of an earlier run
        with running_app(url, redis_url=redis_url, workers=args.workers or None) as base:
            rows, breakdown = asyncio.run(
                scenario(base, ids["project"], tokens, ids["tasks"], args)
            )
    workers = args.workers or ("Reflex default" if redis_url else 1)
    print_table(
        f"A move seen by other open boards ({args.db}, Redis {'on' if redis_url else 'off'}, "
        f"workers: {workers}, {args.tasks}-card boards; ms from the mover's send to the "
        "observer's receipt)",
        [
            "movers",
            "observers",
            "moves",
            "samples",
            "p50",
            "p95",
            "max",
            "lost",
            "out of order",
            "gaps",
        ],
        rows,
    )
    print("target: p95 <= 150 ms; lost, out of order and gaps all 0")
    print_table(
        "Where the time goes (server stamps: published = on the bus, pushed = sent by the hub)",
        ["movers", "stage", "p50", "p95"],
        breakdown,
    )


if __name__ == "__main__":
    os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    os.environ["FEEDBACK_BOARD_TRACE"] = "1"  # the server stamps feed entries (breakdown)
    main()
