"""Editing and deleting comments in a browser: a supervisor fixes a typo and removes comments
in the review room while another open room sees it at once; a refused edit says why; an
artist has no Delete on someone else's comment; a client edits their own comment in the
portal, and the studio's open room sees it live; on the task page an artist edits and deletes
their own notes on the task (the same ⋯ menu), and the task's activity follows, on an open task
page too.

The module builds its own project through the services (in the app's database); its version
gets the media of a demo version (already processed), so the player has a real clip."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from models import Project
from services import reviews, sharing
from services.db import session_scope
from tests.e2e.helpers import demo_user, playable_version
from tests.factories import add_member, make_project, make_shot, make_task


@dataclass
class Room:
    project_id: int
    version_id: int
    task_id: int


@pytest.fixture
def room(app_db_url) -> Iterator[Room]:
    """A shot's COMP task (artist@ on it, supervisor@ supervising, client@ a member) with one
    shared version that plays a demo clip."""
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        project = make_project(s, producer, name="Comment Edits Test")
        for email in ("artist@demo.feedback", "supervisor@demo.feedback", "client@demo.feedback"):
            add_member(s, producer, project.id, demo_user(s, email))
        shot = make_shot(s, producer, project.id, code="CE010")
        task = make_task(
            s,
            producer,
            shot_id=shot.id,
            type="COMP",
            assigned_artist_id=demo_user(s, "artist@demo.feedback").id,
            assigned_supervisor_id=demo_user(s, "supervisor@demo.feedback").id,
        )
        version_id = playable_version(s, demo_user(s, "artist@demo.feedback"), task.id)
        sharing.share_version(
            s, actor=producer, version_id=version_id, new_session=sharing.NewSession(name="Edits")
        )
    yield Room(project.id, version_id, task.id)
    with session_scope(app_db_url) as s:
        s.delete(s.get(Project, project.id))


def _comment(app_db_url: str, email: str, version_id: int, body: str, **kw) -> int:
    with session_scope(app_db_url) as s:
        return reviews.add_comment(
            s, actor=demo_user(s, email), version_id=version_id, body=body, **kw
        )


@contextmanager
def _second_room(browser, app_server, login, email: str, room: Room) -> Iterator[Page]:
    """Another browser, signed in as `email`, with the room's review page open."""
    context = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        login(page, app_server, email)
        page.goto(f"/review/{room.version_id}")
        yield page
    finally:
        context.close()


def _item(page: Page, text: str):
    return page.locator(".comment-item", has_text=text)


def _menu(page: Page, text: str, choice: str) -> None:
    """⋯ on the comment holding `text`, then Edit or Delete."""
    # A menu still closing (its exit animation) takes the next press as a click outside.
    expect(page.get_by_role("menu")).to_have_count(0)
    _item(page, text).locator(".comment-menu").click()
    page.locator(f".comment-{choice}").click()


def test_a_supervisor_edits_and_deletes_and_another_open_room_sees_it_at_once(
    page: Page, browser, app_server, app_db_url, login, room: Room
):
    _comment(app_db_url, "supervisor@demo.feedback", room.version_id, "Edge too sft")
    _comment(app_db_url, "supervisor@demo.feedback", room.version_id, "Wrong shot, ignore")
    asked = _comment(app_db_url, "supervisor@demo.feedback", room.version_id, "Why the flicker?")
    _comment(app_db_url, "artist@demo.feedback", room.version_id, "Fixed in v2", parent_id=asked)
    with _second_room(browser, app_server, login, "producer@demo.feedback", room) as other:
        expect(_item(other, "Edge too sft")).to_be_visible()

        login(page, app_server, "supervisor@demo.feedback")
        page.goto(f"/review/{room.version_id}")
        _menu(page, "Edge too sft", "edit")
        box = page.locator(".comment-edit-body textarea")
        expect(box).to_have_value("Edge too sft")

        # an empty text is refused with the service's words, and the box stays open
        box.fill("   ")
        page.locator(".comment-edit-save").click()
        expect(page.get_by_text("A comment cannot be empty")).to_be_visible()
        box.fill("Edge too soft")
        page.locator(".comment-edit-save").click()
        fixed = _item(page, "Edge too soft")
        expect(fixed.locator(".comment-edited")).to_have_attribute("title", "edited just now")
        expect(page.locator(".comment-edit-body")).to_have_count(0)

        # the other room has the new text without a reload
        expect(_item(other, "Edge too soft").locator(".comment-edited")).to_be_visible(timeout=5000)
        expect(_item(other, "Edge too sft")).to_have_count(0)

        # a comment without replies goes; Cancel first keeps it
        _menu(page, "Wrong shot, ignore", "delete")
        page.locator(".comment-delete-cancel").click()
        expect(page.locator(".comment-delete-cancel")).to_have_count(0)
        expect(_item(page, "Wrong shot, ignore")).to_be_visible()
        _menu(page, "Wrong shot, ignore", "delete")
        page.locator(".comment-delete-confirm").click()
        expect(_item(page, "Wrong shot, ignore")).to_have_count(0)
        expect(_item(other, "Wrong shot, ignore")).to_have_count(0, timeout=5000)

        # one with a reply keeps the thread
        _menu(page, "Why the flicker?", "delete")
        page.locator(".comment-delete-confirm").click()
        for viewer in (page, other):
            expect(viewer.get_by_text("Why the flicker?")).to_have_count(0, timeout=5000)
            expect(viewer.locator(".comment-deleted")).to_have_text("Comment deleted")
            expect(_item(viewer, "Fixed in v2")).to_be_visible()


def test_an_artist_has_no_delete_on_someone_elses_comment(
    page: Page, app_server, app_db_url, login, room: Room
):
    _comment(app_db_url, "supervisor@demo.feedback", room.version_id, "Grain too heavy")
    _comment(app_db_url, "artist@demo.feedback", room.version_id, "Regrained")
    login(page, app_server, "artist@demo.feedback")
    page.goto(f"/review/{room.version_id}")
    expect(_item(page, "Grain too heavy")).to_be_visible()
    expect(_item(page, "Grain too heavy").locator(".comment-menu")).to_have_count(0)
    _item(page, "Regrained").locator(".comment-menu").click()
    expect(page.locator(".comment-edit")).to_be_visible()
    expect(page.locator(".comment-delete")).to_be_visible()


def test_a_client_edits_their_own_comment_in_the_portal_and_the_studio_sees_it(
    page: Page, browser, app_server, app_db_url, login, room: Room
):
    _comment(app_db_url, "client@demo.feedback", room.version_id, "Sky warmr please")
    _comment(
        app_db_url,
        "supervisor@demo.feedback",
        room.version_id,
        "v002 tomorrow",
        client_visible=True,
    )
    with _second_room(browser, app_server, login, "supervisor@demo.feedback", room) as studio:
        expect(_item(studio, "Sky warmr please")).to_be_visible()

        login(page, app_server, "client@demo.feedback")
        page.goto(f"/portal/review/{room.version_id}")
        expect(_item(page, "v002 tomorrow")).to_be_visible()
        # the studio's comment is not the client's to change
        expect(_item(page, "v002 tomorrow").locator(".comment-menu")).to_have_count(0)
        _menu(page, "Sky warmr please", "edit")
        page.locator(".comment-edit-body textarea").fill("Sky warmer please")
        page.locator(".comment-edit-save").click()
        expect(_item(page, "Sky warmer please").locator(".comment-edited")).to_be_visible()
        expect(_item(studio, "Sky warmer please")).to_be_visible(timeout=5000)


def _note(page: Page, text: str):
    return page.locator("#task-notes .comment", has_text=text)


def test_an_artist_edits_and_deletes_their_notes_on_the_task_page(
    page: Page, app_server, app_db_url, login, room: Room
):
    with session_scope(app_db_url) as s:
        reviews.add_task_comment(
            s,
            actor=demo_user(s, "supervisor@demo.feedback"),
            task_id=room.task_id,
            body="Use the new LUT",
        )
    login(page, app_server, "artist@demo.feedback")
    page.goto(f"/tasks/{room.task_id}")
    for text in ("Plate is misalgned", "Ignore this one"):
        page.locator("#comment-input").fill(text)
        page.locator("#comment-post").click()
        expect(_note(page, text)).to_be_visible()
    # the supervisor's note is not the artist's to change
    expect(_note(page, "Use the new LUT").locator(".comment-menu")).to_have_count(0)

    expect(page.get_by_role("menu")).to_have_count(0)
    _note(page, "Plate is misalgned").locator(".comment-menu").click()
    page.locator(".comment-edit").click()
    box = page.locator("#task-notes .comment-edit-body textarea")
    expect(box).to_have_value("Plate is misalgned")
    box.fill("Plate is misaligned")
    page.locator("#task-notes .comment-edit-save").click()
    expect(_note(page, "Plate is misaligned").locator(".comment-edited")).to_be_visible()

    expect(page.get_by_role("menu")).to_have_count(0)
    _note(page, "Ignore this one").locator(".comment-menu").click()
    page.locator(".comment-delete").click()
    page.locator("#task-notes .comment-delete-confirm").click()
    expect(_note(page, "Ignore this one")).to_have_count(0)

    page.reload()
    expect(_note(page, "Plate is misaligned").locator(".comment-edited")).to_be_visible()
    expect(_note(page, "Use the new LUT")).to_be_visible()
    expect(page.locator("#task-notes .comment")).to_have_count(2)
    # the task's activity quotes the note as it is now, and the deleted one not at all
    activity = page.locator("#task-activity")
    expect(activity).to_contain_text("“Plate is misaligned”")
    expect(activity).to_contain_text("comment deleted")
    expect(activity).not_to_contain_text("misalgned")
    expect(activity).not_to_contain_text("Ignore this one")


def test_an_open_task_page_sees_the_activity_follow_an_edit_and_a_delete(
    page: Page, browser, app_server, app_db_url, login, room: Room
):
    """The supervisor's task page is open; the artist edits and deletes notes elsewhere: the
    open page's activity reads again (activity.changed) without a reload."""
    context = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    try:
        watcher = context.new_page()
        login(watcher, app_server, "supervisor@demo.feedback")
        watcher.goto(f"/tasks/{room.task_id}")
        activity = watcher.locator("#task-activity")

        login(page, app_server, "artist@demo.feedback")
        page.goto(f"/tasks/{room.task_id}")
        for text in ("Matte is ofset", "Scratch that"):
            page.locator("#comment-input").fill(text)
            page.locator("#comment-post").click()
            expect(_note(page, text)).to_be_visible()
        expect(activity).to_contain_text("“Matte is ofset”", timeout=5000)
        expect(activity).to_contain_text("“Scratch that”")

        expect(page.get_by_role("menu")).to_have_count(0)
        _note(page, "Matte is ofset").locator(".comment-menu").click()
        page.locator(".comment-edit").click()
        page.locator("#task-notes .comment-edit-body textarea").fill("Matte is offset")
        page.locator("#task-notes .comment-edit-save").click()
        expect(activity).to_contain_text("“Matte is offset”", timeout=5000)
        expect(activity).not_to_contain_text("ofset”")

        expect(page.get_by_role("menu")).to_have_count(0)
        _note(page, "Scratch that").locator(".comment-menu").click()
        page.locator(".comment-delete").click()
        page.locator("#task-notes .comment-delete-confirm").click()
        expect(activity).not_to_contain_text("Scratch that", timeout=5000)
        expect(activity).to_contain_text("comment deleted")
    finally:
        context.close()
