"""What a UX review found in the shell, the boards and the dialogs, seen in a browser once
fixed: the sidebar Board gives a lead an artist to look at (and a picker), the sidebar shows
where you are, kanban cards say a task's type once and whole, the New shot dialog offers a
free code and the project's start frame in full-width fields, quick-add buttons show (and
say when nothing is left to add), roles and types read as people write them, muted text is
readable, and a wrong address gets a real page (and the browser its icon).

Tests that need shots build their own project through the services (in the app's database)
and remove it afterwards, so the demo show other tests read is left as it was."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from services.db import session_scope
from tests.e2e.helpers import demo_user
from tests.factories import add_member, make_project, make_shot, make_task

READY = "#kanban-board[data-state=ready]"

# WCAG contrast of an element's text on what is painted behind it (alpha blended).
CONTRAST = """el => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const blend = (t, b) => ({r: t.r*t.a + b.r*(1-t.a), g: t.g*t.a + b.g*(1-t.a),
    b: t.b*t.a + b.b*(1-t.a), a: 1});
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v/12.92
    : Math.pow((v+0.055)/1.055, 2.4); }; return 0.2126*f(c.r) + 0.7152*f(c.g) + 0.0722*f(c.b); };
  const stack = []; let e = el;
  while (e) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) stack.push(c); if (c && c.a >= 1) break; e = e.parentElement; }
  let bg = {r: 17, g: 17, b: 19, a: 1};
  for (let i = stack.length - 1; i >= 0; i--) bg = blend(stack[i], bg);
  const fg = blend(parse(getComputedStyle(el).color), bg);
  const a = lum(fg), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@dataclass
class Show:
    id: int
    roto: int  # SH020's ROTO task titled "Roto", assigned to Blake Artist
    fx: int  # SH020's FX task "Muzzle flash elements", assigned to Blake Artist


@pytest.fixture
def show(app_db_url) -> Iterator[Show]:
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        blake = demo_user(s, "artist2@demo.feedback")
        project = make_project(s, producer, name="Polish Test", start_frame=2001)
        add_member(s, producer, project.id, blake)
        for code in ("SH010", "SH020", "SH070"):
            shot = make_shot(s, producer, project.id, code=code)
        roto = make_task(
            s, producer, shot_id=shot.id, type="ROTO", title="", assigned_artist_id=blake.id
        )
        fx = make_task(
            s,
            producer,
            shot_id=shot.id,
            type="FX",
            title="Muzzle flash elements",
            assigned_artist_id=blake.id,
        )
    yield Show(project.id, roto.id, fx.id)
    with session_scope(app_db_url) as s:
        s.execute(sa.text("DELETE FROM project WHERE id = :id"), {"id": project.id})


def _nav_active(page: Page) -> list[str]:
    return page.locator("[aria-current=page]").evaluate_all("els => els.map(e => e.id)")


def test_a_producers_board_opens_on_an_artist_and_the_picker_keeps_its_choice(
    page, app_server, login, show, app_db_url
):
    login(page, app_server, "producer@demo.feedback")
    page.locator("#nav-board").click()
    page.locator(READY).wait_for()
    # Not the producer's own empty board: an artist who has work, named in the URL.
    expect(page).to_have_url(re.compile(r"/tasks/board/?\?artist=\d+$"))
    expect(page.locator(".kanban-card").first).to_be_visible()
    expect(page.locator("#page-title")).not_to_contain_text("Pat Producer")
    assert _nav_active(page) == ["nav-board"]

    page.locator("#board-artist-picker").click()
    page.get_by_role("option", name=re.compile(r"^Blake Artist \(\d+ tasks?\)$")).click()
    expect(page.locator("#page-title")).to_have_text("Blake Artist · Board")
    with session_scope(app_db_url) as s:
        blake = demo_user(s, "artist2@demo.feedback")
    expect(page).to_have_url(re.compile(rf"\?artist={blake.id}$"))
    expect(page.locator(f".kanban-card[data-task-id='{show.fx}']")).to_be_visible()

    page.reload()
    page.locator(READY).wait_for()
    expect(page.locator("#page-title")).to_have_text("Blake Artist · Board")
    expect(page.locator("#board-artist-picker")).to_contain_text("Blake Artist")
    expect(page.locator(f".kanban-card[data-task-id='{show.fx}']")).to_be_visible()


def test_an_artist_gets_their_own_board_without_a_picker(page, app_server, login):
    login(page, app_server, "artist@demo.feedback")
    page.locator("#nav-board").click()
    page.locator(READY).wait_for()
    expect(page.locator("#page-title")).to_have_text("Alex Artist · Board")
    expect(page.locator("#board-artist-picker")).to_have_count(0)


def test_the_sidebar_highlights_the_section_you_are_in(page, app_server, login, show):
    login(page, app_server, "producer@demo.feedback")
    expect(page.locator("#nav-dashboard")).to_have_attribute("aria-current", "page")
    for path, item in (
        ("/projects", "nav-projects"),
        (f"/projects/{show.id}", "nav-projects"),
        ("/tasks", "nav-tasks"),
        (f"/tasks/{show.roto}", "nav-tasks"),
        ("/settings/notifications", "nav-settings"),
    ):
        page.goto(path)
        page.locator("#nav-user").wait_for()
        expect(page.locator(f"#{item}")).to_have_attribute("aria-current", "page")
        assert _nav_active(page) == [item], path
    page.locator("#nav-projects").click()  # and after a click, without a reload
    expect(page.locator("#nav-projects")).to_have_attribute("aria-current", "page")
    expect(page.locator("#nav-settings")).to_have_attribute("aria-current", "false")
    active = page.locator("#nav-projects").evaluate("e => getComputedStyle(e).backgroundColor")
    idle = page.locator("#nav-tasks").evaluate("e => getComputedStyle(e).backgroundColor")
    assert active != idle


def test_a_card_says_its_type_once_and_whole(page, app_server, login, show):
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/projects/{show.id}/board")
    page.locator(READY).wait_for()
    roto = page.locator(f".kanban-card[data-task-id='{show.roto}']")
    expect(roto.locator(".kanban-card-title")).to_have_text("Roto")
    expect(roto.locator(".kanban-card-type")).to_have_count(0)  # not "SH070 Roto / Roto"
    fx = page.locator(f".kanban-card[data-task-id='{show.fx}']")
    expect(fx.locator(".kanban-card-type")).to_have_text("FX")  # not "Fx"
    expect(fx.locator(".kanban-card-title")).to_have_text("Muzzle flash elements")
    cut = fx.locator(".kanban-card-type").evaluate("e => e.scrollWidth > e.clientWidth")
    assert not cut
    expect(page.locator("#board-filter-type")).to_be_visible()
    page.locator("#board-filter-type").click()
    expect(page.get_by_role("option", name="FX", exact=True)).to_be_visible()


def test_new_shot_offers_the_next_free_code_and_the_start_frame_in_wide_fields(
    page, app_server, login, show
):
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/projects/{show.id}")
    expect(page.locator(".shot-row")).to_have_count(3)
    page.locator("#new-shot").click()
    dialog = page.locator("#item-dialog")
    code = dialog.locator("input[name=code]")
    expect(code).to_have_value("SH080")  # after SH070, the highest
    expect(dialog.locator("input[name=frame_in]")).to_have_value("2001")  # the project's start
    # Fields take their column's width: the label's text is not cut.
    for name in ("code", "frame_in"):
        field_w = dialog.locator(f"input[name={name}]").evaluate(
            "e => e.closest('.rt-Flex').getBoundingClientRect().width"
        )
        input_w = dialog.locator(f"input[name={name}]").evaluate(
            "e => e.closest('.rt-TextFieldRoot').getBoundingClientRect().width"
        )
        assert input_w >= field_w - 1, (name, input_w, field_w)
    page.keyboard.type("SH075")  # the offer is selected: typing replaces it
    expect(code).to_have_value("SH075")
    code.fill("SH080")
    dialog.locator("input[name=name]").fill("Offered code")
    dialog.locator("#item-dialog-submit").click()
    expect(dialog).to_have_count(0)
    row = page.locator(".shot-row", has_text="SH080")
    expect(row).to_contain_text("from 2001")  # no last frame yet

    # Quick-add: visible "+ Track"-style buttons, then a hint once all three are there.
    for t in ("TRACK", "ROTO", "COMP"):
        button = row.locator(f".quick-add[data-type={t}]")
        expect(button).to_be_visible()
        expect(button).to_have_attribute("aria-label", f"Add {t.title()}")
        expect(row.locator(".quick-done")).to_have_count(0)
        button.click()
        expect(button).to_have_count(0)
    expect(row.locator(".quick-done")).to_have_text("All standard tasks added")
    ratio = row.locator(".quick-done").evaluate(CONTRAST)
    assert ratio >= 4.5, ratio


def test_muted_text_reads_at_4_5_to_1_in_the_dark_theme(page, app_server, login, show):
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/projects/{show.id}?tab=assets")
    expect(page.get_by_text("No assets yet")).to_be_visible()
    hint = page.get_by_text("Add characters, props and vehicles with New asset.")
    assert hint.evaluate(CONTRAST) >= 4.5
    assert page.locator("#nav-role").evaluate(CONTRAST) >= 4.5  # on the sidebar
    page.locator("#tab-shots").click()
    dash = page.locator(".shot-row", has_text="SH010").get_by_text("—")  # no due date
    assert dash.evaluate(CONTRAST) >= 4.5


def test_a_wrong_address_gets_a_page_with_the_way_home_and_the_app_has_an_icon(
    page, app_server, login
):
    r = httpx.get(f"{app_server}/favicon.ico", timeout=10)
    assert r.status_code == 200 and r.content[:4] == b"\x00\x00\x01\x00"  # an .ico
    login(page, app_server, "producer@demo.feedback")
    page.goto("/no/such/page")
    expect(page.locator("#not-found-title")).to_have_text("Page not found")
    page.locator("#not-found-home").click()
    expect(page).to_have_url(re.compile(r"127\.0\.0\.1:\d+/?$"))
    page.locator("#nav-user").wait_for()
