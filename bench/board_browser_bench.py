"""A big board in headless Chromium: how soon it is interactive, and what a move re-renders.

    python bench/board_browser_bench.py [--tasks 2000] [--runs 5]

Starts the prod app on a fresh SQLite database holding one project of --tasks tasks, signs in
as its producer in Chromium and opens the project board --runs times. For each load it reads
when the board was ready (all cards rendered, dnd-kit sensors attached: the component marks it
in the frame after rendering the cards; measured from navigation start), then drags a card
with the mouse and times the drop until the card shows in its new column. A second browser
watching the same board reports how many cards its React tree re-rendered for that move.

Target (issue 7): a 2,000-task board interactive in <= 1.5 s; a move re-renders the cards it
touches, not the whole board.
"""

from __future__ import annotations

import argparse
import os
import time

from _common import analyze, print_table, seed_production, summary, temp_database
from _server import running_app

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = "#kanban-board[data-state=ready]"


def login(context, base: str):
    page = context.new_page()
    page.goto(f"{base}/login")
    page.locator("#login-email").fill("producer@bench.test")
    page.locator("#login-password").fill("feedback")
    page.locator("#login-submit").click()
    page.locator("#nav-user").wait_for()
    return page


def drag(page, source, target) -> None:
    a, b = source.bounding_box(), target.bounding_box()
    x0, y0 = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 8, y0 + 8, steps=3)
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + 60, steps=8)


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    chromium = os.environ.get("FEEDBACK_CHROMIUM") or "/usr/bin/chromium"
    from services.db import session_scope

    with temp_database("sqlite") as url:
        with session_scope(url) as s:
            ids = seed_production(s, tasks=args.tasks)
        analyze(url)
        board = f"/projects/{ids['project']}/board"
        ready, drops, rerendered, payload = [], [], [], []
        stages: dict[str, list[float]] = {"page": [], "server": [], "render": []}
        with running_app(url) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
            viewport = {"width": 1600, "height": 1000}
            mover = login(browser.new_context(viewport=viewport), base)
            watcher = login(browser.new_context(viewport=viewport), base)
            watcher.goto(f"{base}{board}")
            watcher.locator(READY).wait_for(timeout=60_000)
            received: list[int] = []
            mover.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda f: received.append(len(f))),
            )
            for _ in range(args.runs):
                received.clear()
                mover.goto(f"{base}{board}")
                mover.locator(READY).wait_for(timeout=60_000)
                mover.wait_for_function("window.__kanban && window.__kanban.readyAt")
                probe = mover.evaluate("window.__kanban")
                ready.append(probe["readyAt"])
                stages["page"].append(probe["askedAt"])
                stages["server"].append(probe["cardsAt"] - probe["askedAt"])
                stages["render"].append(probe["readyAt"] - probe["cardsAt"])
                payload.append(sum(received) / 1024)
                first = mover.locator("[data-column=TODO] .kanban-card").first
                task_id = first.get_attribute("data-task-id")
                watcher.evaluate("window.__kanban.renders = {}")
                drag(mover, first, mover.locator("[data-column=IN_PROGRESS] .kanban-column-body"))
                t0 = time.perf_counter()
                mover.mouse.up()
                mover.locator(
                    f"[data-column=IN_PROGRESS] .kanban-card[data-task-id='{task_id}']"
                ).wait_for()
                drops.append((time.perf_counter() - t0) * 1000)
                watcher.locator(
                    f"[data-column=IN_PROGRESS] .kanban-card[data-task-id='{task_id}']"
                ).wait_for()
                watcher.wait_for_timeout(200)
                rerendered.append(len(watcher.evaluate("window.__kanban.renders")))
            mounted = mover.locator(".kanban-card").count()
            browser.close()
    r, d = summary(ready), summary(drops)
    print_table(
        f"A {args.tasks}-card board in headless Chromium ({args.runs} loads; columns mount "
        f"their first cards and more on scroll: {mounted} mounted)",
        ["measure", "p50", "p95", "max", "target"],
        [
            ["interactive after navigation (ms)", r["p50"], r["p95"], r["max"], "<= 1500"],
            *(
                [f"  {label} (ms)", st["p50"], st["p95"], st["max"], ""]
                for label, st in (
                    ("page loaded, board asked for", summary(stages["page"])),
                    ("asked until the cards arrived", summary(stages["server"])),
                    ("cards arrived until interactive", summary(stages["render"])),
                )
            ),
            ["drop until the card shows in its column (ms)", d["p50"], d["p95"], d["max"], ""],
            ["websocket data received per load (KiB)", summary(payload)["p50"], "", "", ""],
            [
                "cards rendered on another board by one move (*)",
                summary([float(x) for x in rerendered])["p50"],
                "",
                max(rerendered),
                "touched only",
            ],
        ],
    )
    print(
        "(*) the moved card, plus at most one card that slides into or out of a column's "
        "mounted window; the other cards are not rendered again"
    )


if __name__ == "__main__":
    main()
