"""The review room, task page, portal and Share With Client as a person sees them, after a UX
review: at 1024 px the player keeps the room and the side panel goes under it; the task page
says status, artist and due date above the player and names itself like the review room; a
share can be undone from its toast (with the unused link it made) and the share dialog's fields
reach the server by name; Approve is readable; clients see no A/B hint; a drawing is not marked with a pencil.

Each test builds its own project through the services (in the app's database), with versions
that play demo clips, and removes it afterwards."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from models import Project, ReviewSession, Version
from services import annotations, reviews, sharing
from services.db import session_scope
from tests.e2e.helpers import demo_user, playable_version
from tests.factories import add_member, make_project, make_shot, make_task

PLAYING = "#review-player[data-state=ready]"
# WCAG contrast of an element's text on its own background, in the browser.
CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const cs = getComputedStyle(el);
  const a = lum(cs.color), b = lum(cs.backgroundColor);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@dataclass
class Room:
    project_id: int
    code: str  # the shot's code
    task_id: int
    v1: int
    v2: int  # the newest; v1 is its A/B partner


@pytest.fixture
def room(app_db_url) -> Iterator[Room]:
    """SHxxx's Comp task, assigned to artist@, due yesterday, with two playable versions;
    artist@, supervisor@ and client@ are members. No review link yet."""
    code = "SH" + str(secrets.randbelow(900) + 100)
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        artist = demo_user(s, "artist@demo.feedback")
        project = make_project(s, producer, name=f"UX Room {secrets.token_hex(3)}")
        for email in ("artist@demo.feedback", "supervisor@demo.feedback", "client@demo.feedback"):
            add_member(s, producer, project.id, demo_user(s, email))
        shot = make_shot(s, producer, project.id, code=code)
        task = make_task(
            s,
            producer,
            shot_id=shot.id,
            type="COMP",
            title="Comp",
            assigned_artist_id=artist.id,
            assigned_supervisor_id=demo_user(s, "supervisor@demo.feedback").id,
            due_date=(date.today() - timedelta(days=1)).isoformat(),
        )
        demo = s.exec(
            select(Version)
            .where(Version.proxy_key.is_not(None), Version.processing_state == "READY")
            .order_by(Version.id)
        ).all()
        v1 = playable_version(s, artist, task.id, demo[0])
        v2 = playable_version(s, artist, task.id, demo[1])
    yield Room(project.id, code, task.id, v1, v2)
    with session_scope(app_db_url) as s:
        s.delete(s.get(Project, project.id))


def _box(page: Page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} is not on screen"
    return box


def _client_visible(app_db_url: str, version_id: int) -> bool:
    with session_scope(app_db_url) as s:
        return s.get(Version, version_id).is_client_visible


# ---------------------------------------------------------------- layout and header


def test_at_1024_px_the_player_keeps_the_width_and_the_panel_goes_under_it(
    page: Page, app_server, login, room: Room
):
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, app_server, "producer@demo.feedback")
    for url in (f"/tasks/{room.task_id}", f"/review/{room.v2}"):
        page.goto(url)
        page.locator(PLAYING).wait_for()
        stage, panel = _box(page, "#player-stage"), _box(page, "#review-room .beside-panel")
        assert stage["width"] >= 700, f"{url}: the player is {stage['width']} px wide"
        assert panel["y"] >= stage["y"] + stage["height"], f"{url}: the panel is beside it"
        assert panel["width"] >= 700, f"{url}: the panel under the player keeps its width"

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"/review/{room.v2}")
    page.locator(PLAYING).wait_for()
    stage, panel = _box(page, "#player-stage"), _box(page, "#review-room .beside-panel")
    assert panel["x"] >= stage["x"] + stage["width"], "wide: the panel sits beside the player"
    assert 340 <= panel["width"] <= 380
    assert stage["width"] >= 750


def test_the_task_page_header_says_status_artist_and_due_date_and_names_it_like_the_room(
    page: Page, app_server, login, room: Room
):
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/tasks/{room.task_id}")
    page.locator(PLAYING).wait_for()
    title = f"{room.code} Comp · v002"
    expect(page.locator("#page-title")).to_have_text(title)
    status = page.locator("#task-header-status")
    expect(status).to_have_text("Internal Review")
    expect(page.locator("#task-header-artist")).to_contain_text("Alex Artist")
    due = page.locator("#task-header-due")
    expect(due).to_have_attribute("data-tone", "overdue")
    for facts in (status, page.locator("#task-header-artist"), due):
        box = facts.bounding_box()
        assert box and box["y"] + box["height"] < 200, "above the player, not below the fold"
    red = due.locator("span, p").last.evaluate("(el) => getComputedStyle(el).color")
    r, g, b = (int(float(x)) for x in red[red.index("(") + 1 : -1].split(",")[:3])
    assert r > g + 60 and r > b + 60, f"an overdue date is red, not {red}"

    page.goto(f"/review/{room.v2}")
    page.locator(PLAYING).wait_for()
    expect(page.locator("#page-title")).to_have_text(title)  # the same form in the room


def test_the_portal_at_1024_px_keeps_titles_and_the_back_link_on_one_line(
    page: Page, app_server, app_db_url, login, room: Room
):
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        sharing.share_version(
            s, actor=producer, version_id=room.v2, new_session=sharing.NewSession(name="Dailies")
        )
        reviews.record_approval(
            s,
            actor=demo_user(s, "client@demo.feedback"),
            version_id=room.v2,
            decision="CHANGES_REQUESTED",
            note="Warmer",
        )
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, app_server, "client@demo.feedback")
    page.goto("/portal")
    card = page.locator(f".shared-version[data-version-id='{room.v2}']")
    expect(card.locator(".client-decision")).to_have_text("Changes requested")
    title = card.get_by_text(f"{room.code} COMP", exact=True)
    height = title.evaluate("(el) => el.getBoundingClientRect().height")
    line = title.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)")
    assert height < 1.5 * line, "the code and task wrap onto two lines"

    card.click()
    page.locator(PLAYING).wait_for()
    back = page.locator("#portal-back")
    expect(back).to_have_text("All shared work")
    assert back.bounding_box()["height"] < 30, "'All shared work' wraps under its arrow"


# ---------------------------------------------------------------- Share With Client


def test_the_share_dialog_sends_its_fields_by_name_and_a_share_can_be_undone(
    page: Page, app_server, app_db_url, login, room: Room
):
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/review/{room.v1}")
    page.locator(".share-with-client").click()
    # no review link in this project yet: the dialog; Undo takes back the link it made too
    expect(page.locator("#share-dialog")).to_be_visible()
    page.locator("#share-name").fill("Shared by mistake")
    page.locator("#share-submit").click()
    toast = page.locator("[data-sonner-toast]", has_text="shared with the client")
    toast.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("the new review link was removed")).to_be_visible()
    expect(page.locator(".share-with-client")).to_be_visible()
    assert not _client_visible(app_db_url, room.v1)
    with session_scope(app_db_url) as s:
        assert not s.exec(
            select(ReviewSession).where(ReviewSession.project_id == room.project_id)
        ).all()

    page.locator(".share-with-client").click()
    expect(page.locator("#share-dialog")).to_be_visible()
    page.locator("#share-name").fill("Week 49 dailies")
    expires = date.today() + timedelta(days=200)
    page.locator("#share-expires").fill(expires.isoformat())
    page.locator("#share-password").fill("open-sesame")
    page.locator("#share-notify-client").click()  # untick
    page.locator("#share-submit").click()
    toast = page.locator("[data-sonner-toast]", has_text="shared with the client")
    expect(toast.get_by_role("button", name="Copy link")).to_be_visible()
    expect(toast.get_by_role("button", name="Undo")).to_be_visible()
    with session_scope(app_db_url) as s:
        link = s.exec(
            select(ReviewSession).where(ReviewSession.project_id == room.project_id)
        ).one()
        assert link.name == "Week 49 dailies"
        assert link.expires_at.date() == expires
        assert link.password_hash and not link.notify_client
    assert _client_visible(app_db_url, room.v1)

    # with a link active, the button shares at once; Undo takes it back
    page.goto(f"/review/{room.v2}")
    page.locator(".share-with-client").click()
    toast = page.locator("[data-sonner-toast]", has_text="shared with the client")
    expect(page.locator(".share-menu")).to_be_visible()  # the room says it is shared
    assert _client_visible(app_db_url, room.v2)
    toast.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Withdrawn from the client")).to_be_visible()
    expect(page.locator(".share-with-client")).to_be_visible()  # and the room says so, live
    assert not _client_visible(app_db_url, room.v2)
    assert _client_visible(app_db_url, room.v1)  # the other share stays

    # sharing again what is already shared offers no Undo: it would take it away
    page.goto(f"/review/{room.v1}")
    page.locator(".share-menu").click()
    page.get_by_text("Share again with options…").click()
    expect(page.locator("#share-dialog")).to_be_visible()
    page.locator("#share-submit").click()
    toast = page.locator("[data-sonner-toast]", has_text="shared with the client")
    expect(toast.get_by_role("button", name="Copy link")).to_be_visible()
    expect(toast.get_by_role("button", name="Undo")).to_have_count(0)


# ---------------------------------------------------------------- the player and comments


def test_approve_is_readable_clients_get_no_ab_hint_and_a_drawing_is_not_a_pencil(
    page: Page, browser, app_server, app_db_url, login, room: Room
):
    with session_scope(app_db_url) as s:
        supervisor = demo_user(s, "supervisor@demo.feedback")
        annotations.add_comment(
            s,
            actor=supervisor,
            version_id=room.v2,
            body="Box round the lamp post",
            frame=3,
            shapes=[{"t": "rect", "c": "#ff3b30", "w": 0.004, "p": [[0.1, 0.1], [0.3, 0.3]]}],
            client_visible=True,
        )
        sharing.share_version(
            s, actor=supervisor, version_id=room.v2, new_session=sharing.NewSession(name="Look")
        )

    login(page, app_server, "supervisor@demo.feedback")
    page.goto(f"/review/{room.v2}")
    page.locator(PLAYING).wait_for()
    assert page.locator("#approve").evaluate(CONTRAST) >= 4.5
    # the studio compares with v001: the hint says B, the side label is off the picture
    expect(page.locator("#player-keys")).to_contain_text("B A/B")
    expect(page.locator("#player-side")).to_have_text("A · v002")
    assert page.locator("#player-stage #player-side").count() == 0
    drawing = page.locator(".comment-item", has_text="Box round the lamp post").locator(
        ".comment-drawing"
    )
    expect(drawing).to_be_visible()
    assert "pencil" not in (drawing.get_attribute("class") or "")
    drawing.hover()
    expect(page.get_by_role("tooltip")).to_contain_text("Has a drawing")

    client_context = browser.new_context(
        base_url=app_server, viewport={"width": 1400, "height": 900}
    )
    try:
        client = client_context.new_page()
        login(client, app_server, "client@demo.feedback")
        client.goto("/portal")
        client.locator(f".shared-version[data-version-id='{room.v2}']").click()
        client.locator(PLAYING).wait_for()
        expect(client.locator("#player-keys")).not_to_contain_text("A/B")
        expect(client.locator("#player-side")).to_have_count(0)
        assert client.locator("#client-approve").evaluate(CONTRAST) >= 4.5
        expect(
            client.locator(".comment-item", has_text="Box round the lamp post").locator(
                ".comment-drawing"
            )
        ).to_be_visible()
    finally:
        client_context.close()
