"""The review player in a browser: the frame on screen is the frame the counter says.

The clip used here encodes its own frame index in its pixels (eight columns, top half white
where a bit is set, bottom half the inverse), so the test reads what the <video> shows by
drawing it into a canvas, and compares it with the counter after every step, seek, play,
click on a comment and A/B switch. Uploads go through the page (button, drop) and the upload
route; each test module builds its own project through the services in the app's database."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from feedback_app import routes
from integrations import media
from models import ProcessingState, Project, Version
from services import auth
from services.db import session_scope
from tests.e2e.helpers import demo_user
from tests.factories import add_member, make_project, make_shot, make_task

START = 1001
FRAMES = 72
READY = "() => document.querySelector('#review-player')?.dataset.state === 'ready'"

# The index the clip encodes in the frame the <video> shows, read through a canvas.
DECODE = """(id) => {
  const v = document.getElementById(id);
  const c = document.createElement('canvas');
  c.width = v.videoWidth; c.height = v.videoHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(v, 0, 0, c.width, c.height);
  let n = 0;
  for (let i = 0; i < 8; i++) {
    const x = Math.floor((i + 0.5) * c.width / 8);
    const top = ctx.getImageData(x, Math.floor(c.height / 4), 1, 1).data[0];
    const bottom = ctx.getImageData(x, Math.floor(3 * c.height / 4), 1, 1).data[0];
    if (top > bottom) n |= 1 << i;
  }
  return n;
}"""


def make_frame_clip(path: Path, frames: int = FRAMES, fps: int = 24) -> Path:
    """An H.264 MP4 (B-frames, GOP 12) whose frame n shows n in binary: column i (of 8) is
    white on top and black below when bit i is set, the other way round when not."""
    bit = "mod(floor(N/pow(2,floor(X*8/W))),2)"
    lum = f"if(lt(Y,H/2),255*{bit},255*(1-{bit}))"
    args = [media.ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"]
    args += ["-i", f"color=c=black:s=320x180:r={fps},format=gray"]
    args += ["-vf", f"geq=lum='{lum}',format=yuv420p", "-frames:v", str(frames)]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "12"]
    args += ["-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path)]
    subprocess.run(args, check=True, stdin=subprocess.DEVNULL)
    return path


@dataclass
class Room:
    project_id: int
    task_id: int
    clip: Path
    versions: list[int]  # uploaded through the route: v001, v002 (READY)
    media_root: Path


def _token(db_url: str, email: str) -> str:
    with session_scope(db_url) as s:
        token, _ = auth.sign_in(s, email=email, password="feedback")
    return token


def _upload(base: str, token: str, task_id: int, path: Path, name: str) -> int:
    query = urllib.parse.urlencode({"filename": name})
    with httpx.Client(base_url=base, cookies={"fb_session": token}, timeout=60) as c:
        r = c.post(f"{routes.task_versions_api(task_id)}?{query}", content=path.read_bytes())
    assert r.status_code == 201, r.text
    return r.json()["version_id"]


def _wait_ready(db_url: str, version_id: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(db_url) as s:
            state = s.get(Version, version_id).processing_state
        if state is ProcessingState.READY:
            return
        assert state is not ProcessingState.FAILED, f"version {version_id} failed processing"
        time.sleep(0.2)
    pytest.fail(f"version {version_id} not processed in {timeout} s")


@pytest.fixture(scope="module")
def room(app_server, app_db_url, tmp_path_factory) -> Iterator[Room]:
    clip = make_frame_clip(tmp_path_factory.mktemp("clips") / "frames.mp4")
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        artist = demo_user(s, "artist@demo.feedback")
        supervisor = demo_user(s, "supervisor@demo.feedback")
        project = make_project(s, producer, name="Review Player Test", fps=24, start_frame=START)
        for person in (artist, supervisor, demo_user(s, "artist2@demo.feedback")):
            add_member(s, producer, project.id, person)
        shot = make_shot(s, producer, project.id, code="RP010")
        task = make_task(
            s,
            producer,
            shot_id=shot.id,
            type="COMP",
            title="Frame check",
            assigned_artist_id=artist.id,
            assigned_supervisor_id=supervisor.id,
        )
    token = _token(app_db_url, "artist@demo.feedback")
    versions = [_upload(app_server, token, task.id, clip, f"rp010_v{n}.mp4") for n in (1, 2)]
    for version_id in versions:
        _wait_ready(app_db_url, version_id)
    db_path = Path(app_db_url.removeprefix("sqlite:///"))
    yield Room(project.id, task.id, clip, versions, db_path.parent / "media")
    # Other modules count the demo's projects: leave none of ours behind (rows cascade).
    with session_scope(app_db_url) as s:
        s.delete(s.get(Project, project.id))


def _open(page: Page, app_server: str, login, email: str, url: str) -> None:
    login(page, app_server, email)
    page.goto(url)
    page.wait_for_function(READY)


def _settled(page: Page) -> None:
    page.wait_for_timeout(30)  # the key press reaches the player
    page.wait_for_function(READY)


def shown(page: Page, video: str = "player-video-a") -> tuple[int, int, str]:
    """(index the pixels say, index the player says, the counter's text)"""
    player = page.locator("#review-player")
    index = int(player.get_attribute("data-frame"))
    return page.evaluate(DECODE, video), index, page.locator("#player-frame").inner_text()


def assert_shows(page: Page, expected: int | None = None, video: str = "player-video-a") -> int:
    pixels, index, counter = shown(page, video)
    assert pixels == index, f"the picture shows frame {pixels}, the player says {index}"
    assert counter == str(START + index), f"counter {counter} for frame index {index}"
    if expected is not None:
        assert index == expected, f"expected frame {expected}, on {index}"
    return index


def test_stepping_seeking_and_playing_show_the_frame_the_counter_says(
    page: Page, app_server, login, room: Room
):
    _open(page, app_server, login, "supervisor@demo.feedback", routes.review(room.versions[-1]))
    assert_shows(page, 0)
    expect(page.locator("#player-timecode")).to_have_text("00:00:00:00")
    expected = 0
    for key, delta in [
        ("ArrowRight", 1),
        ("ArrowRight", 1),
        ("ArrowRight", 1),
        ("Shift+ArrowRight", 10),
        ("ArrowLeft", -1),
        ("Shift+ArrowRight", 10),
        ("Shift+ArrowLeft", -10),
        ("ArrowRight", 1),
    ]:
        page.keyboard.press(key)
        _settled(page)
        expected += delta
        assert_shows(page, expected)
    expect(page.locator("#player-timecode")).to_have_text("00:00:00:13")

    page.keyboard.press("End")
    _settled(page)
    assert_shows(page, FRAMES - 1)
    page.keyboard.press("Home")
    _settled(page)
    assert_shows(page, 0)

    # Seeking: clicks along the scrub bar land on whole frames, shown as counted.
    bar = page.locator("#player-scrub").bounding_box()
    for fraction in (0.13, 0.5, 0.77):
        page.mouse.click(bar["x"] + bar["width"] * fraction, bar["y"] + bar["height"] / 2)
        _settled(page)
        assert 0 < assert_shows(page) < FRAMES - 1

    # Play, pause: it stops on a frame and shows it.
    page.keyboard.press("Home")
    _settled(page)
    page.keyboard.press("Space")
    page.wait_for_function("() => +document.querySelector('#review-player').dataset.frame > 5")
    page.keyboard.press("Space")
    _settled(page)
    played = assert_shows(page)
    assert played > 5

    # J plays backwards, K stops, L plays forwards.
    page.keyboard.press("j")
    page.wait_for_function(
        f"() => +document.querySelector('#review-player').dataset.frame < {played - 3}"
    )
    page.keyboard.press("k")
    _settled(page)
    back = assert_shows(page)
    assert back < played
    page.keyboard.press("l")
    page.wait_for_function(
        f"() => +document.querySelector('#review-player').dataset.frame > {back + 3}"
    )
    page.keyboard.press("k")
    _settled(page)
    assert assert_shows(page) > back

    # The frame is in the URL: a reload opens on it.
    page.keyboard.press("Shift+ArrowRight")
    _settled(page)
    here = assert_shows(page)
    expect(page).to_have_url(re.compile(rf"frame={START + here}"), timeout=3000)
    page.reload()
    page.wait_for_function(READY)
    assert_shows(page, here)


def test_a_comment_with_a_drawing_comes_back_on_its_frame_and_live_for_others(
    page: Page, browser, app_server, login, room: Room
):
    url = routes.review(room.versions[-1])
    _open(page, app_server, login, "supervisor@demo.feedback", url)
    other_context = browser.new_context(
        base_url=app_server, viewport={"width": 1400, "height": 900}
    )
    other = other_context.new_page()
    try:
        _open(other, app_server, login, "producer@demo.feedback", url)

        for _ in range(3):
            page.keyboard.press("Shift+ArrowRight")
        _settled(page)
        frame = assert_shows(page, 30)
        page.click("button[data-tool=rect]")
        page.click("button[data-colour='#34c759']")
        box = page.locator("#player-canvas").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6, steps=6)
        page.mouse.up()
        expect(page.locator("#player-draft")).to_have_text(f"1 shape on frame {START + frame}")
        page.fill("#player-comment", "Hold this box")
        page.click("#player-post")

        mine = page.locator(".comment-item", has_text="Hold this box")
        expect(mine).to_have_attribute("data-seek-frame", str(frame))
        expect(mine.locator(".comment-frame")).to_have_text(str(START + frame))
        expect(mine.locator(".comment-drawing")).to_be_visible()
        # Live: the producer's open page gets it without a reload.
        theirs = other.locator(".comment-item", has_text="Hold this box")
        expect(theirs).to_be_visible(timeout=5000)

        # Drawn on its frame only.
        expect(page.locator("#player-canvas")).to_have_attribute("data-shapes", "1")
        page.keyboard.press("Home")
        _settled(page)
        expect(page.locator("#player-canvas")).to_have_attribute("data-shapes", "0")

        for viewer, comment in ((page, mine), (other, theirs)):
            comment.click()
            _settled(viewer)
            assert_shows(viewer, frame)
            canvas = viewer.locator("#player-canvas")
            expect(canvas).to_have_attribute("data-shapes", "1")
            # The rectangle's left edge, drawn in green at 25 % of the picture.
            rgba = viewer.evaluate(
                """() => {
                  const c = document.getElementById('player-canvas');
                  const x = Math.round(c.width * 0.25), y = Math.round(c.height * 0.42);
                  return Array.from(c.getContext('2d').getImageData(x - 2, y, 5, 1).data);
                }"""
            )
            greens = [rgba[i : i + 4] for i in range(0, len(rgba), 4)]
            assert any(g > 150 and r < 120 and a > 200 for r, g, _b, a in greens), greens
    finally:
        other_context.close()


def test_a_b_compare_shows_the_previous_version_at_the_same_frame(
    page: Page, app_server, login, room: Room
):
    _open(page, app_server, login, "supervisor@demo.feedback", routes.review(room.versions[-1]))
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("ArrowRight")
    _settled(page)
    assert_shows(page, 11)
    page.keyboard.press("b")
    expect(page.locator("#review-player")).to_have_attribute("data-side", "B")
    _settled(page)
    player = page.locator("#review-player")
    expect(player).to_have_attribute("data-version", str(room.versions[0]))
    assert_shows(page, 11, video="player-video-b")
    page.keyboard.press("ArrowRight")
    _settled(page)
    assert_shows(page, 12, video="player-video-b")
    page.keyboard.press("b")
    expect(player).to_have_attribute("data-side", "A")
    _settled(page)
    assert_shows(page, 12)

    # The switcher: the older version in the player, at the same frame.
    page.locator(f".version-thumb[data-version-id='{room.versions[0]}']").click()
    expect(player).to_have_attribute("data-version", str(room.versions[0]))
    _settled(page)
    assert_shows(page, 12)


def test_an_upload_on_the_task_page_shows_progress_then_processing_then_the_player(
    page: Page, app_server, app_db_url, login, room: Room
):
    login(page, app_server, "artist@demo.feedback")
    page.goto(routes.task(room.task_id))
    page.wait_for_function(READY)
    page.set_input_files("#upload-file", str(room.clip))
    expect(page.locator("#upload-move")).to_be_checked()
    expect(page.locator("#upload-notify")).to_be_checked()
    page.fill("#upload-note", "Denoised")
    page.click("#upload-start")
    expect(page.locator("#upload-message")).to_contain_text("uploaded")
    # the status beside the button follows the version live and covers nothing
    status = page.locator("#upload-status")
    comments = page.get_by_role("heading", name="Comments")
    expect(status).to_have_attribute("data-state", "ready", timeout=60_000)
    expect(page.locator("#upload-message")).to_contain_text("uploaded and ready")
    a, b = status.bounding_box(), comments.bounding_box()
    overlap = (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )
    assert not overlap, "the upload status covers the Comments heading"
    expect(status).to_have_count(0, timeout=10_000)  # then it goes by itself
    with session_scope(app_db_url) as s:
        newest = s.exec(
            select(Version).where(Version.task_id == room.task_id).order_by(Version.number.desc())
        ).first()
    assert newest.description == "Denoised"
    player = page.locator("#review-player")
    expect(player).to_have_attribute("data-version", str(newest.id))
    # Processing shows live, then the player plays it: no reload.
    expect(player).to_have_attribute("data-state", "ready", timeout=60_000)
    row = page.locator(f".version-row[data-version-id='{newest.id}']")
    expect(row.locator(".processing-state")).to_have_attribute("data-state", "READY")
    assert_shows(page, 0)
    page.keyboard.press("ArrowRight")
    _settled(page)
    assert_shows(page, 1)


def _media_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_a_cancelled_upload_leaves_no_version_and_no_file(
    page: Page, app_server, app_db_url, login, room: Room, tmp_path
):
    big = tmp_path / "big_render.mp4"
    with big.open("wb") as f:  # looks like an MP4 to the server's sniffing, 48 MB long
        f.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
        f.write(b"\x00" * (48 * 1024 * 1024))
    with session_scope(app_db_url) as s:
        before_versions = len(
            s.exec(select(Version.id).where(Version.task_id == room.task_id)).all()
        )
    before_files = _media_files(room.media_root)

    login(page, app_server, "artist@demo.feedback")
    page.goto(routes.task(room.task_id))
    page.wait_for_function(READY)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 4 << 20},
    )
    page.set_input_files("#upload-file", str(big))
    page.click("#upload-start")
    page.wait_for_function(
        "() => +(document.querySelector('#upload-progress')?.dataset.percent || 0) >= 3"
    )
    expect(page.locator("#upload-speed")).to_contain_text("/s")
    page.click("#upload-cancel")
    expect(page.locator("#upload-message")).to_have_text("Upload cancelled; nothing was saved.")

    deadline = time.monotonic() + 15
    while _media_files(room.media_root) - before_files and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _media_files(room.media_root) - before_files == set()
    with session_scope(app_db_url) as s:
        after = len(s.exec(select(Version.id).where(Version.task_id == room.task_id)).all())
    assert after == before_versions


def test_refused_files_show_their_message(page: Page, app_server, login, room: Room, tmp_path):
    login(page, app_server, "artist@demo.feedback")
    page.goto(routes.task(room.task_id))
    page.wait_for_function(READY)

    # Dropped on the page: the kind is checked before anything is sent.
    page.evaluate(
        """() => {
          const dt = new DataTransfer();
          dt.items.add(new File(['just notes'], 'notes.txt', {type: 'text/plain'}));
          for (const type of ['dragenter', 'dragover', 'drop']) {
            document.body.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true}));
          }
        }"""
    )
    message = page.locator("#upload-message")
    expect(message).to_have_attribute("data-kind", "error")
    expect(message).to_contain_text('"notes.txt" is not one')
    page.click("#upload-close")

    # Named like a video but not one: the server looks at the bytes and says so.
    fake = tmp_path / "fake.mp4"
    fake.write_text("this is a text file pretending to be a video, " * 4)
    page.set_input_files("#upload-file", str(fake))
    page.click("#upload-start")
    expect(message).to_have_attribute("data-kind", "error")
    expect(message).to_contain_text('"fake.mp4" does not contain a MOV/MP4 video')


def test_supervisor_requests_changes_with_a_note(
    page: Page, app_server, app_db_url, login, room: Room
):
    # On the newest pass (other tests upload more): a decision on an older one moves nothing.
    with session_scope(app_db_url) as s:
        newest = s.exec(
            select(Version).where(Version.task_id == room.task_id).order_by(Version.number.desc())
        ).first()
        newest_id, label = newest.id, f"v{newest.number:03d}"
    _open(page, app_server, login, "supervisor@demo.feedback", routes.review(newest_id))
    page.fill("#approval-note", "Grain is missing")
    page.click("#request-changes")
    history = page.locator("#approval-history")
    expect(history).to_contain_text(f"Changes requested {label}")
    expect(history).to_contain_text("Grain is missing")
    expect(page.locator("#breadcrumb")).to_contain_text("Changes")


def test_artist_not_on_the_task_cannot_open_its_review_page(
    page: Page, app_server, app_db_url, login, room: Room
):
    login(page, app_server, "artist2@demo.feedback")
    page.goto(routes.review(room.versions[0]))
    expect(page.get_by_text("You don't have permission to do that.")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/review/"))
    expect(page.locator("#review-player")).to_have_count(0)
    # Nor through the task page.
    page.goto(routes.task(room.task_id))
    expect(page).not_to_have_url(re.compile(rf"/tasks/{room.task_id}"))
