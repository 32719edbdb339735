"""Deleting a version uploaded by mistake, in a browser: a supervisor deletes it from the review
page's version switcher after a confirmation that names it; their page moves to the task's
other version, its media link stops serving, and a second review page open on it (another
person's) says it is no longer available at once, with no reload, and a task page open on it
shows the task's other version. The artist who uploaded it
sees no Delete once someone else commented. A producer deletes the task: an open board drops its
card and an open task page of it says it is no longer available.

The module builds its own project through the services (in the app's database). The version to
delete gets files of its own (a copy of a demo clip), so deleting them touches no demo file."""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from integrations.storage import opaque_key
from models import Project, Version
from services import reviews
from services.db import session_scope
from tests.e2e.helpers import demo_user, playable_version, processed_demo_version
from tests.factories import add_member, make_project, make_shot, make_task

PLAYING = "#review-player[data-state=ready]"


@dataclass
class Mistake:
    project_id: int
    task_id: int
    shot_code: str
    keep: int  # v001, plays a demo clip
    wrong: int  # v002, uploaded by mistake, with its own files
    files: list[Path]
    demo_file: Path  # v001's clip, which the demo show's own version also plays


@pytest.fixture
def mistake(app_db_url) -> Iterator[Mistake]:
    media_root = Path(app_db_url.removeprefix("sqlite:///")).parent / "media"
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        artist = demo_user(s, "artist@demo.feedback")
        supervisor = demo_user(s, "supervisor@demo.feedback")
        project = make_project(s, producer, name=f"Mistakes {secrets.token_hex(3)}")
        for user in (artist, supervisor):
            add_member(s, producer, project.id, user)
        code = f"MK{secrets.randbelow(900) + 100}"
        shot = make_shot(s, producer, project.id, code=code)
        task = make_task(
            s,
            producer,
            shot_id=shot.id,
            type="COMP",
            title="Comp",
            assigned_artist_id=artist.id,
            assigned_supervisor_id=supervisor.id,
        )
        demo = processed_demo_version(s)
        keep = playable_version(s, artist, task.id, demo)
        wrong = playable_version(s, artist, task.id, demo)
        # its own copies of the clip and thumbnail
        v = s.get(Version, wrong)
        files = []
        for field in ("original_key", "thumbnail_key"):
            source = getattr(v, field)
            key = opaque_key(source.rsplit(".", 1)[-1])
            (media_root / key).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(media_root / source, media_root / key)
            setattr(v, field, key)
            files.append(media_root / key)
        v.proxy_key = v.original_key
        s.add(v)
        reviews.add_comment(s, actor=supervisor, version_id=keep, body="v001 looks right")
    demo_file = media_root / demo.original_key
    yield Mistake(project.id, task.id, code, keep, wrong, files, demo_file)
    with session_scope(app_db_url) as s:
        if (p := s.get(Project, project.id)) is not None:
            s.delete(p)


def _status(page: Page, url: str) -> int:
    return page.request.get(url, headers={"Range": "bytes=0-99"}).status


def test_a_supervisor_deletes_a_version_and_an_open_review_of_it_says_it_is_gone(
    page: Page, browser, app_server, login, mistake: Mistake
):
    other = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    other.set_default_timeout(15_000)
    try:
        artist = other.new_page()
        login(artist, app_server, "artist@demo.feedback")
        artist.goto(f"/review/{mistake.wrong}")
        artist.locator(PLAYING).wait_for()
        # the uploader may delete their own v002, not v001 that the supervisor commented on
        expect(
            artist.locator(f".version-thumb[data-version-id='{mistake.wrong}'] .version-menu")
        ).to_have_count(1)
        expect(
            artist.locator(f".version-thumb[data-version-id='{mistake.keep}'] .version-menu")
        ).to_have_count(0)

        task_page = other.new_page()  # the artist's task page, on v002 too
        task_page.goto(f"/tasks/{mistake.task_id}?version={mistake.wrong}")
        task_page.locator(f".version-row[data-version-id='{mistake.wrong}']").wait_for()

        login(page, app_server, "supervisor@demo.feedback")
        page.goto(f"/review/{mistake.wrong}")
        page.locator(PLAYING).wait_for()
        src = page.locator("#player-video-a").get_attribute("src")
        assert src and _status(page, src) in (200, 206)

        thumb = page.locator(f".version-thumb[data-version-id='{mistake.wrong}']")
        thumb.locator(".version-menu").click()
        page.locator(".version-delete").click()
        dialog = page.locator("#version-delete-dialog")
        expect(dialog).to_contain_text(f"Delete {mistake.shot_code} COMP v002?")
        expect(dialog).to_contain_text("cannot be undone")
        page.locator("#version-delete-confirm").click()

        # the deleter's page: v002 gone from the list, v001 in the player
        expect(thumb).to_have_count(0)
        expect(page.locator(".version-thumb")).to_have_count(1)
        expect(page.get_by_text(f"Deleted {mistake.shot_code} COMP v002")).to_be_visible()
        page.wait_for_url(f"**/review/{mistake.keep}")
        page.locator(PLAYING).wait_for()

        # the other open review page of v002, at once
        expect(artist.locator("#gone-title")).to_have_text("Version no longer available")
        expect(artist.locator("#review-player")).to_have_count(0)
        # the task page falls back to the task's newest version
        expect(task_page.locator(".version-row")).to_have_count(1)
        expect(
            task_page.locator(f".version-thumb[data-version-id='{mistake.keep}']")
        ).to_have_attribute("data-current", "1")

        # its media no longer serve (removed after the commit, off the request)
        deadline = time.monotonic() + 10
        while _status(page, src) != 404 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _status(page, src) == 404
        assert not any(f.exists() for f in mistake.files)
    finally:
        other.close()


def test_a_producer_deletes_a_task_and_open_boards_and_task_pages_drop_it(
    page: Page, browser, app_server, login, mistake: Mistake
):
    other = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    other.set_default_timeout(15_000)
    try:
        board = other.new_page()
        login(board, app_server, "supervisor@demo.feedback")
        board.goto(f"/projects/{mistake.project_id}/board")
        card = board.locator(f".kanban-card[data-task-id='{mistake.task_id}']")
        card.wait_for()
        task_page = other.new_page()
        task_page.goto(f"/tasks/{mistake.task_id}")
        task_page.locator(PLAYING).wait_for()
        expect(task_page.locator("#task-delete")).to_have_count(0)  # a supervisor may not

        login(page, app_server, "producer@demo.feedback")
        page.goto(f"/tasks/{mistake.task_id}")
        page.locator(PLAYING).wait_for()
        page.locator("#task-delete").click()
        dialog = page.locator("#task-delete-dialog")
        expect(dialog).to_contain_text(
            f"Delete the {mistake.shot_code} COMP task and its 2 versions?"
        )
        expect(dialog).to_contain_text("cannot be undone")
        page.locator("#task-delete-confirm").click()
        page.wait_for_url(f"**/projects/{mistake.project_id}")
        expect(page.get_by_text(f"Deleted the {mistake.shot_code} COMP task")).to_be_visible()

        expect(card).to_have_count(0)  # the open board, live
        expect(task_page.locator("#gone-title")).to_have_text("Task no longer available")
        deadline = time.monotonic() + 10
        while any(f.exists() for f in mistake.files) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(f.exists() for f in mistake.files)
        assert mistake.demo_file.exists()  # still used by the demo's version
    finally:
        other.close()
