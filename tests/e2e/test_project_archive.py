"""A producer archives a finished show: after a confirm that says what it does, the project
page shows it Archived, it leaves the projects page and the dashboard's project picker, shows
under "Show archived", and Unarchive brings it back.

The test builds its own project through the services (in the app's database) and removes it
afterwards, so the demo show other tests read is left as it was."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from services.db import session_scope
from tests.e2e.helpers import demo_user
from tests.factories import make_project, random_code


@dataclass
class Show:
    id: int
    code: str
    name: str


@pytest.fixture
def show(app_db_url) -> Iterator[Show]:
    code = random_code("ARC")
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        project = make_project(s, producer, code=code, name=f"Wrapped {code}")
    yield Show(project.id, project.code, project.name)
    with session_scope(app_db_url) as s:
        s.execute(sa.text("DELETE FROM project WHERE id = :id"), {"id": project.id})


def _card(page: Page, show: Show, within: str = "body"):
    return page.locator(within).locator(f".project-card[href='/projects/{show.id}']")


def _picker_has(page: Page, show: Show) -> bool:
    page.goto("/")
    page.locator("#dashboard-scope").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    found = options.filter(has_text=show.code).count() > 0
    page.keyboard.press("Escape")
    return found


def test_a_producer_archives_a_project_and_brings_it_back(page, app_server, login, show):
    login(page, app_server, "producer@demo.feedback")
    assert _picker_has(page, show)
    page.goto("/projects")
    expect(_card(page, show)).to_be_visible()

    page.goto(f"/projects/{show.id}")
    expect(page.locator("#page-title")).to_contain_text(show.name)
    expect(page.locator("#project-archived-badge")).to_have_count(0)
    page.locator("#project-archive").click()
    dialog = page.locator("#project-archive-dialog")
    expect(dialog).to_contain_text("hidden from the projects list, dashboards")
    expect(dialog).to_contain_text("Nothing is deleted")
    expect(dialog).to_contain_text("unarchive it at any time")
    page.locator("#project-archive-confirm").click()
    expect(page.locator("#project-archived-badge")).to_be_visible()
    expect(page.locator("#project-unarchive")).to_be_visible()

    page.goto("/projects")
    page.locator("#show-archived").wait_for()
    expect(_card(page, show)).to_have_count(0)
    page.locator("#show-archived").click()
    archived = _card(page, show, "#archived-projects")
    expect(archived).to_be_visible()
    expect(archived).to_contain_text("Archived")
    assert not _picker_has(page, show)

    # Still opens from the archived section; Unarchive brings it back everywhere.
    page.goto("/projects")
    page.locator("#show-archived").click()
    _card(page, show, "#archived-projects").click()
    expect(page.locator("#project-archived-badge")).to_be_visible()
    page.locator("#project-unarchive").click()
    expect(page.locator("#project-archived-badge")).to_have_count(0)
    expect(page.locator("#project-archive")).to_be_visible()
    page.goto("/projects")
    expect(_card(page, show)).to_be_visible()
    assert _picker_has(page, show)
