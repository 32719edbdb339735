"""A review page and a task page stay open while their project is deleted (in the database:
the app deletes versions and tasks, not projects; test_version_delete.py covers those, pushed
live). The next thing the page reads from the
server finds nothing: the page says the version (or task) is no longer available, in the
not-found page's style, instead of a stale player, a bare toast or a backend exception."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from models import Project, Version
from services.db import session_scope
from tests.e2e.helpers import demo_user, playable_version
from tests.factories import add_member, make_project, make_shot, make_task

PLAYING = "#review-player[data-state=ready]"


@dataclass
class Doomed:
    project_id: int
    task_id: int
    v1: int
    v2: int


@pytest.fixture
def doomed(app_db_url) -> Iterator[Doomed]:
    """A project with one shot, its Comp task and two playable versions; supervisor@ is a
    member."""
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        artist = demo_user(s, "artist@demo.feedback")
        project = make_project(s, producer, name=f"Doomed {secrets.token_hex(3)}")
        for email in ("artist@demo.feedback", "supervisor@demo.feedback"):
            add_member(s, producer, project.id, demo_user(s, email))
        shot = make_shot(s, producer, project.id, code="SH" + str(secrets.randbelow(900) + 100))
        task = make_task(
            s, producer, shot_id=shot.id, type="COMP", title="Comp", assigned_artist_id=artist.id
        )
        demo = s.exec(
            select(Version)
            .where(Version.proxy_key.is_not(None), Version.processing_state == "READY")
            .order_by(Version.id)
        ).all()
        v1 = playable_version(s, artist, task.id, demo[0])
        v2 = playable_version(s, artist, task.id, demo[1])
    yield Doomed(project.id, task.id, v1, v2)
    with session_scope(app_db_url) as s:
        if (p := s.get(Project, project.id)) is not None:
            s.delete(p)


def test_pages_open_on_a_deleted_project_say_it_is_no_longer_available(
    page: Page, browser, app_server, login, app_db_url, doomed: Doomed
):
    login(page, app_server, "supervisor@demo.feedback")
    page.goto(f"/review/{doomed.v2}")
    page.locator(PLAYING).wait_for()

    other = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    other.set_default_timeout(15_000)
    try:
        task_page = other.new_page()
        login(task_page, app_server, "supervisor@demo.feedback")
        task_page.goto(f"/tasks/{doomed.task_id}")
        task_page.locator(PLAYING).wait_for()

        with session_scope(app_db_url) as s:
            s.delete(s.get(Project, doomed.project_id))

        # the reviewer approves what they were looking at
        page.locator("#approve").click()
        expect(page.locator("#gone-title")).to_have_text("Version no longer available")
        expect(page.locator("#gone-message")).to_contain_text("deleted")
        expect(page.locator("#review-player")).to_have_count(0)
        expect(page.locator("#approve")).to_have_count(0)
        expect(page.get_by_text("Version not found.")).to_have_count(0)  # no toast on top
        page.locator("#gone-home").click()
        page.wait_for_url(f"{app_server}/")

        # on the task page, the other version in the switcher
        task_page.locator(f".version-thumb[data-version-id='{doomed.v1}']").click()
        expect(task_page.locator("#gone-title")).to_have_text("Task no longer available")
        expect(task_page.locator("#review-player")).to_have_count(0)
    finally:
        other.close()
