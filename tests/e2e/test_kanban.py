"""The kanban board in a browser: real mouse drags, two browsers live, refusals, artists'
limits, reorder, filters in the URL, and a client who gets neither the route nor the data.

Each test builds its own project through the services (in the app's database), so it neither
depends on nor disturbs the demo show other tests read."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from integrations import media
from services import auth, tasks
from services.db import session_scope
from tests.e2e.helpers import demo_user
from tests.factories import add_member, make_asset, make_project, make_shot, make_task

READY = "#kanban-board[data-state=ready]"


@dataclass
class BoardProject:
    id: int
    shot_id: int
    asset_id: int
    todo: list[int]  # the four TODO cards on the shot, top to bottom
    artist_own: int  # artist@demo's card (TODO, on the asset)
    artist_watched: int  # artist2's card that artist@demo watches (IN_PROGRESS)
    titles: list[str]

    @property
    def asset_cards(self) -> list[int]:
        return [self.artist_own, self.artist_watched]


@pytest.fixture
def board_project(app_db_url) -> Iterator[BoardProject]:
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        artist, artist2 = (
            demo_user(s, "artist@demo.feedback"),
            demo_user(s, "artist2@demo.feedback"),
        )
        project = make_project(s, producer, name="Kanban Test")
        for person in (artist, artist2, demo_user(s, "supervisor@demo.feedback")):
            add_member(s, producer, project.id, person)
        shot = make_shot(s, producer, project.id, code="KB010")
        asset = make_asset(s, producer, project.id, asset_code="KBPROP")
        names = ["Alpha roto", "Bravo comp", "Charlie track", "Delta paint"]
        todo = [
            make_task(s, producer, shot_id=shot.id, type=t, title=n).id
            for t, n in zip(("ROTO", "COMP", "TRACK", "COMP"), names)
        ]
        own = make_task(
            s,
            producer,
            asset_id=asset.id,
            type="MODEL",
            title="Echo model",
            assigned_artist_id=artist.id,
        ).id
        watched = make_task(
            s,
            producer,
            asset_id=asset.id,
            type="TEXTURE",
            title="Foxtrot texture",
            assigned_artist_id=artist2.id,
        ).id
        tasks.move(s, actor=producer, task_id=watched, status="IN_PROGRESS")
        tasks.set_watchers(s, actor=producer, task_id=watched, user_ids=[artist.id])
    yield BoardProject(
        project.id,
        shot.id,
        asset.id,
        todo,
        own,
        watched,
        [*names, "Echo model", "Foxtrot texture"],
    )
    # Other tests read the demo show (e.g. "the producer sees two projects"): leave no trace.
    with session_scope(app_db_url) as s:
        s.execute(sa.text("DELETE FROM project WHERE id = :id"), {"id": project.id})


def open_board(page: Page, path: str) -> None:
    page.goto(path)
    page.locator(READY).wait_for()


def card(page: Page, task_id: int):
    return page.locator(f".kanban-card[data-task-id='{task_id}']")


def column_ids(page: Page, status: str) -> list[int]:
    return [
        int(x)
        for x in page.locator(f"[data-column={status}] .kanban-card").evaluate_all(
            "els => els.map(e => e.dataset.taskId)"
        )
    ]


def drag(page: Page, source, target, *, y_offset: float | None = None) -> None:
    """A real mouse drag: press, move past the activation distance, glide, release."""
    a, b = source.bounding_box(), target.bounding_box()
    x0, y0 = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 8, y0 + 8, steps=4)
    y1 = b["y"] + (b["height"] / 2 if y_offset is None else y_offset)
    page.mouse.move(b["x"] + b["width"] / 2, y1, steps=20)
    page.mouse.move(b["x"] + b["width"] / 2, y1 + 1, steps=2)
    page.mouse.up()


def to_column(page: Page, status: str):
    return page.locator(f"[data-column={status}] .kanban-column-body")


def test_producer_drags_a_card_to_in_progress_and_it_stays(page, app_server, login, board_project):
    login(page, app_server, "producer@demo.feedback")
    open_board(page, f"/projects/{board_project.id}?tab=kanban")
    moved = board_project.todo[0]
    expect(page.locator("[data-column=TODO] .kanban-count")).to_have_text("5")
    drag(page, card(page, moved), to_column(page, "IN_PROGRESS"))
    expect(card(page, moved)).to_have_attribute("data-status", "IN_PROGRESS")
    expect(page.locator("[data-column=IN_PROGRESS] .kanban-count")).to_have_text("2")
    expect(page.locator("[data-column=TODO] .kanban-count")).to_have_text("4")
    page.reload()
    page.locator(READY).wait_for()
    expect(card(page, moved)).to_have_attribute("data-status", "IN_PROGRESS")


def test_a_drag_in_one_browser_shows_in_another_within_a_second(
    page, browser, app_server, login, board_project
):
    other = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    try:
        watcher = other.new_page()
        login(watcher, app_server, "supervisor@demo.feedback")
        open_board(watcher, f"/projects/{board_project.id}/board")
        login(page, app_server, "producer@demo.feedback")
        open_board(page, f"/projects/{board_project.id}?tab=kanban")
        moved = board_project.todo[1]
        drag(page, card(page, moved), to_column(page, "INTERNAL_REVIEW"))
        released = time.monotonic()
        expect(card(watcher, moved)).to_have_attribute(
            "data-status", "INTERNAL_REVIEW", timeout=1000
        )
        assert time.monotonic() - released < 1.0
        # Only the moved card was re-rendered on the other board.
        renders = watcher.evaluate("window.__kanban.renders")
        assert renders[str(moved)] == 2
        assert all(n == 1 for tid, n in renders.items() if tid != str(moved))
    finally:
        other.close()


def test_a_refused_move_snaps_back_with_a_message(page, app_server, login, board_project):
    login(page, app_server, "artist@demo.feedback")
    open_board(page, f"/projects/{board_project.id}?tab=kanban")
    own = board_project.artist_own
    expect(card(page, own)).to_have_attribute("data-draggable", "true")
    drag(page, card(page, own), to_column(page, "DONE"))
    expect(page.get_by_text("You can only move your own tasks between")).to_be_visible()
    expect(card(page, own)).to_have_attribute("data-status", "TODO")
    expect(page.locator("[data-column=DONE] .kanban-card")).to_have_count(0)


def test_an_artist_cannot_drag_someone_elses_card(page, app_server, login, board_project):
    login(page, app_server, "artist@demo.feedback")
    open_board(page, f"/projects/{board_project.id}?tab=kanban")
    # The artist sees only their own card and the one they watch.
    expect(page.locator(".kanban-card")).to_have_count(2)
    theirs = board_project.artist_watched
    expect(card(page, theirs)).to_have_attribute("data-draggable", "false")
    drag(page, card(page, theirs), to_column(page, "TODO"))
    page.wait_for_timeout(500)
    expect(card(page, theirs)).to_have_attribute("data-status", "IN_PROGRESS")
    page.reload()
    page.locator(READY).wait_for()
    expect(card(page, theirs)).to_have_attribute("data-status", "IN_PROGRESS")


def test_a_reorder_within_a_column_persists(page, app_server, login, board_project):
    login(page, app_server, "producer@demo.feedback")
    open_board(page, f"/projects/{board_project.id}/board")
    a, b, c, d = board_project.todo
    own = board_project.artist_own
    start = column_ids(page, "TODO")
    assert start == [a, b, c, d, own]
    drag(page, card(page, c), card(page, a), y_offset=5)  # onto the top card
    expected = [c, a, b, d, own]
    expect(page.locator("[data-column=TODO] .kanban-card").first).to_have_attribute(
        "data-task-id", str(c)
    )
    assert column_ids(page, "TODO") == expected
    page.wait_for_timeout(300)
    page.reload()
    page.locator(READY).wait_for()
    assert column_ids(page, "TODO") == expected


def test_keyboard_dragging_moves_a_card(page, app_server, login, board_project):
    login(page, app_server, "producer@demo.feedback")
    open_board(page, f"/projects/{board_project.id}/board")
    moved = board_project.todo[3]
    card(page, moved).focus()
    page.keyboard.press("Space")  # pick up
    expect(page.locator(".kanban-card[aria-pressed=true]")).to_have_count(1)
    targets = [str(i) for i in column_ids(page, "IN_PROGRESS")] + ["col:IN_PROGRESS"]
    page.keyboard.press("ArrowRight")  # to the next column
    # Drop only once dnd-kit says it is over that column (its screen-reader announcement):
    # on a busy machine a fixed pause could end before the move was measured.
    page.wait_for_function(
        """targets => {
            const live = document.querySelector('[id^="DndLiveRegion"]');
            const m = live && live.textContent.match(/moved over droppable area (\\S+?)\\.?$/);
            return !!m && targets.includes(m[1]);
        }""",
        arg=targets,
    )
    page.keyboard.press("Space")  # drop
    expect(card(page, moved)).to_have_attribute("data-status", "IN_PROGRESS")
    page.reload()
    page.locator(READY).wait_for()
    expect(card(page, moved)).to_have_attribute("data-status", "IN_PROGRESS")


def _pick(page: Page, trigger_id: str, option: str) -> None:
    page.locator(f"#{trigger_id}").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_filters_narrow_the_board_and_survive_reload(page, app_server, login, board_project):
    login(page, app_server, "producer@demo.feedback")
    open_board(page, f"/projects/{board_project.id}?tab=kanban")
    expect(page.locator(".kanban-card")).to_have_count(6)
    _pick(page, "board-filter-type", "Comp")
    expect(page.locator(".kanban-card")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"tab=kanban.*type=COMP|type=COMP.*tab=kanban"))
    page.locator("#board-filter-text").fill("delta")
    expect(page.locator(".kanban-card")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=delta"))
    page.reload()
    page.locator(READY).wait_for()
    expect(page.locator(".kanban-card")).to_have_count(1)
    expect(card(page, board_project.todo[3])).to_be_visible()
    expect(page.locator("#board-filter-type")).to_have_text("Comp")
    expect(page.locator("#board-filter-text")).to_have_value("delta")
    page.locator("#board-filter-clear").click()
    expect(page.locator(".kanban-card")).to_have_count(6)


def test_by_shot_and_by_artist_boards(page, app_server, login, board_project):
    login(page, app_server, "producer@demo.feedback")
    open_board(page, f"/projects/{board_project.id}/board?shot={board_project.shot_id}")
    expect(page.locator(".kanban-card")).to_have_count(4)
    open_board(page, f"/projects/{board_project.id}/board?asset={board_project.asset_id}")
    expect(page.locator(".kanban-card")).to_have_count(2)
    page.locator("#sign-out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    login(page, app_server, "artist@demo.feedback")
    page.locator("#nav-board").click()
    page.locator(READY).wait_for()
    expect(card(page, board_project.artist_own)).to_be_visible()
    expect(card(page, board_project.artist_watched)).to_have_count(0)  # not theirs


@pytest.mark.parametrize("kind", ["shot", "asset"])
def test_a_shot_or_asset_page_links_to_its_own_board(page, app_server, login, board_project, kind):
    login(page, app_server, "producer@demo.feedback")
    item_id = board_project.shot_id if kind == "shot" else board_project.asset_id
    page.goto(f"/projects/{board_project.id}/{kind}s/{item_id}")
    page.locator("#item-board-link").click()
    expect(page).to_have_url(re.compile(rf"/projects/{board_project.id}/board\?{kind}={item_id}$"))
    page.locator(READY).wait_for()
    ours = board_project.todo if kind == "shot" else board_project.asset_cards
    expect(page.locator(".kanban-card")).to_have_count(len(ours))
    shown = page.locator(".kanban-card").evaluate_all("els => els.map(e => +e.dataset.taskId)")
    assert sorted(shown) == sorted(ours)
    code = "KB010" if kind == "shot" else "KBPROP"
    assert set(page.locator(".kanban-card-code").all_inner_texts()) == {code}
    # The board's own filter says so, and it survives a reload.
    page.reload()
    page.locator(READY).wait_for()
    expect(page.locator(".kanban-card")).to_have_count(len(ours))
    expect(page.locator("#board-filter-parent")).to_have_text(code)


def test_an_artist_follows_the_link_to_the_shots_board_and_sees_only_their_cards(
    page, app_server, login, board_project, app_db_url
):
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        artist = demo_user(s, "artist@demo.feedback")
        tasks.assign(s, actor=producer, task_id=board_project.todo[2], artist_id=artist.id)
    login(page, app_server, "artist@demo.feedback")
    page.goto(f"/projects/{board_project.id}/shots/{board_project.shot_id}")
    page.locator("#item-board-link").click()
    page.locator(READY).wait_for()
    expect(page.locator(".kanban-card")).to_have_count(1)
    expect(card(page, board_project.todo[2])).to_be_visible()


def test_a_cards_thumbnail_appears_live_when_its_new_version_is_processed(
    page, app_server, login, board_project, app_db_url, tmp_path
):
    login(page, app_server, "producer@demo.feedback")
    open_board(page, f"/projects/{board_project.id}/board?shot={board_project.shot_id}")
    task_id = board_project.todo[0]
    expect(card(page, task_id).locator("img")).to_have_count(0)
    with session_scope(app_db_url) as s:
        token, _ = auth.sign_in(s, email="producer@demo.feedback", password="feedback")
    clip = media.make_test_clip(tmp_path / "kb.mp4", frames=12, width=320, height=180)
    with httpx.Client(base_url=app_server, cookies={"fb_session": token}, timeout=60) as c:
        r = c.post(
            f"/api/tasks/{task_id}/versions?filename=kb010_v1.mp4", content=clip.read_bytes()
        )
    assert r.status_code == 201, r.text
    # Uploaded, processed in the background, pushed: no reload.
    thumb = card(page, task_id).locator("img.kanban-card-thumb")
    expect(thumb).to_be_visible(timeout=60_000)
    expect(card(page, task_id).locator(".kanban-card-version")).to_have_text("v001")
    assert thumb.get_attribute("src").startswith("/media/")
    page.wait_for_function(
        "el => el.complete && el.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000
    )
    box = thumb.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (64, 36)


def test_clicking_a_card_opens_its_task(page, app_server, login, board_project):
    login(page, app_server, "producer@demo.feedback")
    open_board(page, f"/projects/{board_project.id}/board")
    card(page, board_project.todo[0]).click()
    expect(page).to_have_url(re.compile(rf"/tasks/{board_project.todo[0]}$"))


def test_a_client_gets_no_board_route_and_no_board_data(page, app_server, login, board_project):
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    login(page, app_server, "client@demo.feedback")
    for path in (
        f"/projects/{board_project.id}/board",
        f"/projects/{board_project.id}?tab=kanban",
        "/tasks/board",
        f"/tasks/board?artist={board_project.artist_own}",
    ):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/portal/?$"))
        expect(page.locator(".kanban-card")).to_have_count(0)
    page.wait_for_timeout(500)
    received = "\n".join(frames)
    assert "Kanban Test" not in received
    for title in board_project.titles:
        assert title not in received


BOARD_READ = re.compile(r"board_state\.(load|refetch)\b")


def _count_board_reads(page: Page) -> list[str]:
    """The board reads this page asks the server for (its websocket events), as they go."""
    reads: list[str] = []

    def on_frame(payload) -> None:
        text = payload if isinstance(payload, str) else payload.decode(errors="replace")
        reads.extend(m.group(1) for m in BOARD_READ.finditer(text))

    page.on("websocket", lambda ws: ws.on("framesent", on_frame))
    return reads


def test_a_click_to_a_board_loads_it_once(page, app_server, login, board_project):
    """The Kanban tab and the Board menu item each built the board twice per click."""
    reads = _count_board_reads(page)
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/projects/{board_project.id}")
    page.locator("#tab-kanban").wait_for()
    page.wait_for_timeout(500)
    assert reads == []
    page.locator("#tab-kanban").click()
    page.locator(READY).wait_for()
    page.wait_for_timeout(1500)
    assert reads == ["load"]
    expect(page.locator(".kanban-card")).to_have_count(6)

    reads.clear()
    page.locator("#nav-board").click()
    expect(page).to_have_url(re.compile(r"/tasks/board"))
    page.locator(READY).wait_for()
    page.wait_for_timeout(1500)
    assert reads == ["load"]


def test_a_board_reached_without_a_new_hydration_loads_once_the_server_has_its_route(
    page, app_server, login, board_project
):
    """Reflex marks the page unhydrated on a client-side navigation and runs its on_load,
    except for a navigation flagged as coming from its 404 page: a board mounted so (the
    server's route still the last page's) waited for a hydration that never came, and did
    not load even once the page's next event had told the server its route."""
    reads = _count_board_reads(page)
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/projects/{board_project.id}")
    page.locator("#tab-kanban").wait_for()
    page.wait_for_timeout(500)
    page.evaluate(
        """(path) => {
            const idx = (window.history.state && window.history.state.idx) || 0;
            window.history.pushState({ usr: { fromNotFound: true }, key: "nf", idx: idx + 1 },
                                     "", path);
            window.dispatchEvent(new PopStateEvent("popstate", { state: window.history.state }));
        }""",
        f"/projects/{board_project.id}/board",
    )
    expect(page.locator("#kanban-board[data-state=loading]")).to_be_visible()
    page.wait_for_timeout(500)
    assert reads == []  # the server has not heard of this page yet
    # Any event of the page carries its route (a filter typed before the board shows: a
    # no-op on the server, which has no board for this browser yet).
    page.locator("#board-filter-text").fill("x")
    page.locator(READY).wait_for()
    page.wait_for_timeout(1500)
    assert reads == ["load"]
    expect(page.locator(".kanban-card")).to_have_count(6)
