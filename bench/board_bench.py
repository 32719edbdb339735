"""Board data and server-side moves, without a browser.

    python bench/board_bench.py [--tasks 1000] [--runs 60] [--db sqlite,postgres]

Prints, per database:
- board data for one viewer (services.board.build_board: the queries and the card objects),
  for a producer (every card) and for an artist (their cards), and with the card payloads the
  state sends;
- a move applied on the server: board.move_card (permissions, workflow, sort order) + commit +
  the live push started (handed to the publisher thread), and until the message is on the bus
  (sequence number taken, card read, published), with the in-memory bus and with Redis when
  one answers; and the same move with no live push.

Targets (issue 7): board data p50 <= 25 ms for 1,000 tasks; a move p50 <= 8 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import time

from _common import (
    analyze,
    pg_answers,
    print_table,
    seed_production,
    summary,
    temp_database,
    timed,
)

REDIS_URL = os.environ.get("FEEDBACK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
        return True
    except Exception:
        return False


def bench_db(kind: str, n_tasks: int, runs: int) -> list[list]:
    from integrations import realtime
    from models import User
    from services import auth, board, board_live
    from services.board import BoardScope, Viewer
    from services.db import dispose_engines, session_scope
    from state.board_cards import card_payload

    rows = []
    with temp_database(kind) as url:
        os.environ["REFLEX_DB_URL"] = url  # the publisher reads cards through settings
        dispose_engines()
        with session_scope(url) as s:
            ids = seed_production(s, tasks=n_tasks)
        analyze(url)
        with session_scope(url) as s:
            producer = auth.user_read(s.get(User, ids["producer"]))
            artist = auth.user_read(s.get(User, ids["artists"][0]))
        scope = BoardScope(project_id=ids["project"])

        def build(actor):
            def run():
                with session_scope(url) as s:
                    return board.build_board(s, actor=actor, scope=scope)

            return run

        with session_scope(url) as s:
            shown_producer = len(board.build_board(s, actor=producer, scope=scope).cards)
            shown_artist = len(board.build_board(s, actor=artist, scope=scope).cards)
        rows.append(
            [f"board data, producer ({shown_producer} cards)", kind]
            + _cols(timed(build(producer), runs))
            + ["<= 25"]
        )
        rows.append(
            [f"board data, artist ({shown_artist} cards)", kind]
            + _cols(timed(build(artist), runs))
            + [""]
        )

        viewer = Viewer.of(producer)

        def build_and_payload():
            b = build(producer)()
            return [card_payload(c, viewer) for c in b.cards]

        rows.append(
            [f"board data + card payloads ({shown_producer})", kind]
            + _cols(timed(build_and_payload, runs))
            + [""]
        )

        rnd = random.Random(3)
        task_ids = ids["tasks"]

        def move():
            task_id = rnd.choice(task_ids)
            status = rnd.choice(["TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "DONE"])
            with session_scope(url) as s:
                column = [
                    c.id for c in board.cards_for(s, rnd.sample(task_ids, 3)) if c.status == status
                ]
            after = column[0] if column else None
            with session_scope(url) as s:
                board.move_card(s, actor=producer, task_id=task_id, status=status, after_id=after)

        def timed_moves(published: list[float] | None = None) -> list[float]:
            """The move's own unit of work, until its push is started (handed to the
            publisher); `published` gets the time until the message is on the bus. Moves are
            spaced out like people's drops, not fired back to back."""
            out = []
            for i in range(runs + 1):
                task_id = rnd.choice(task_ids)
                status = rnd.choice(["TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "DONE"])
                after = rnd.choice(task_ids)
                t0 = time.perf_counter()
                with session_scope(url) as s:
                    board.move_card(
                        s, actor=producer, task_id=task_id, status=status, after_id=after
                    )
                t1 = time.perf_counter()
                board_live.flush()
                t2 = time.perf_counter()
                if i:
                    out.append((t1 - t0) * 1000)
                    if published is not None:
                        published.append((t2 - t0) * 1000)
                time.sleep(0.02)
            return out

        move()
        rows.append(["move, no live push", kind] + _cols(timed_moves()) + [""])
        buses = [("in-memory bus", realtime.LocalBus())]
        if redis_answers():
            buses.append(("Redis bus", realtime.RedisBus(REDIS_URL)))
        board_live.install()
        try:
            for name, bus in buses:
                realtime.set_bus(bus)
                published: list[float] = []
                rows.append(
                    [f"move + commit + push started, {name}", kind]
                    + _cols(timed_moves(published))
                    + ["<= 8"]
                )
                rows.append([f"  ... until on the {name}", kind] + _cols(published) + [""])
        finally:
            board_live.uninstall()
            realtime.set_bus(None)
        dispose_engines()
    return rows


def _cols(values: list[float]) -> list:
    s = summary(values)
    return [s["n"], s["p50"], s["p95"], s["max"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--db", default="sqlite,postgres")
    args = ap.parse_args()
    rows: list[list] = []
    for kind in args.db.split(","):
        if kind == "postgres" and not pg_answers():
            print("PostgreSQL does not answer; skipped (set FEEDBACK_BENCH_PG_URL)")
            continue
        rows += bench_db(kind, args.tasks, args.runs)
    print_table(
        f"Board data and moves, {args.tasks} tasks (ms)",
        ["measure", "db", "n", "p50", "p95", "max", "target p50"],
        rows,
    )


if __name__ == "__main__":
    main()
