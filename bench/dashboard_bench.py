"""The dashboard, read for one viewer, as a studio grows.

    python bench/dashboard_bench.py [--projects 1,3] [--tasks 1000] [--runs 30] [--db sqlite,postgres]

Seeds --tasks tasks per project (the board benches' show in progress: versions, comments,
approvals, watchers) and times services.dashboard.dashboard for a producer (every project)
and an artist (their tasks), as the dashboard page and its live refresh read it. A burst of
changes makes each open staff dashboard read it again (at most every 2 s), so this is also
the price of one live refresh per open dashboard.

No target in the issues; kept to see how it scales with the number of projects.
"""

from __future__ import annotations

import argparse
import os

from _common import (
    analyze,
    pg_answers,
    print_table,
    seed_production,
    summary,
    temp_database,
    timed,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--projects", default="1,3")
    ap.add_argument("--tasks", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--db", default="sqlite,postgres")
    args = ap.parse_args()

    from models import User
    from services import auth, dashboard
    from services.db import dispose_engines, session_scope

    rows = []
    for kind in args.db.split(","):
        if kind == "postgres" and not pg_answers():
            print("[bench] PostgreSQL does not answer: skipped")
            continue
        with temp_database(kind) as url:
            os.environ["REFLEX_DB_URL"] = url
            dispose_engines()
            made = 0
            for n_projects in sorted(int(x) for x in args.projects.split(",")):
                while made < n_projects:
                    with session_scope(url) as s:
                        ids = seed_production(s, tasks=args.tasks)
                    made += 1
                analyze(url)
                with session_scope(url) as s:
                    producer = auth.user_read(s.get(User, ids["producer"]))
                    artist = auth.user_read(s.get(User, ids["artists"][0]))
                for who, actor in (("producer", producer), ("artist", artist)):

                    def run(actor=actor):
                        with session_scope(url) as s:
                            return dashboard.dashboard(s, actor=actor)

                    st = summary(timed(run, args.runs))
                    rows.append(
                        [f"{who}, {n_projects} x {args.tasks} tasks", kind]
                        + [st["p50"], st["p95"], st["max"]]
                    )
            dispose_engines()
    print_table(
        "Dashboard data for one viewer (ms)", ["viewer, studio", "db", "p50", "p95", "max"], rows
    )


if __name__ == "__main__":
    main()
