"""/tasks as the dashboard's "View all" opens it: Awaiting Review of everyone's work in one
project lists exactly what services.workload counts (Internal and Client Review), the project
shows as a chip, and clearing the chip widens the list to every project."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from feedback_app import routes
from services import tasks, workload
from services.db import session_scope
from tests.e2e.helpers import demo_user
from tests.factories import add_member, make_project, make_shot, make_task


@dataclass
class Scope:
    project_id: int
    in_project: list[int]  # awaiting review, this project
    everywhere: list[int]  # awaiting review, every project


@pytest.fixture
def scope(app_db_url) -> Iterator[Scope]:
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        blake = demo_user(s, "artist2@demo.feedback")
        project = make_project(s, producer, name="Review Scope Test")
        add_member(s, producer, project.id, blake)
        shot = make_shot(s, producer, project.id, code="SH010")
        for task_type, status in (
            ("COMP", "INTERNAL_REVIEW"),
            ("ROTO", "CLIENT_REVIEW"),
            ("TRACK", "IN_PROGRESS"),
        ):
            task = make_task(
                s, producer, shot_id=shot.id, type=task_type, assigned_artist_id=blake.id
            )
            tasks.move(s, actor=producer, task_id=task.id, status=status)

        def ids(project_id):
            found = workload.workload(
                s, actor=producer, view="review", scope="everyone", project_id=project_id
            )
            return sorted(t.id for t in found.tasks)

        made = Scope(project.id, ids(project.id), ids(None))
    yield made
    with session_scope(app_db_url) as s:
        s.execute(sa.text("DELETE FROM project WHERE id = :id"), {"id": project.id})


def _row_ids(page: Page) -> list[int]:
    ids = page.locator(".task-row").evaluate_all("rows => rows.map(r => r.dataset.task)")
    return sorted(int(i) for i in ids)


def test_awaiting_review_of_one_project_lists_what_the_dashboard_counts(
    page, app_server, login, scope
):
    # both review columns of this project count, and other projects hold some too
    assert len(scope.in_project) == 2
    assert len(scope.everywhere) > len(scope.in_project)

    login(page, app_server, "producer@demo.feedback")
    page.goto(routes.tasks_view("review", "everyone", scope.project_id))
    expect(page.locator("#tasks-project")).to_be_visible()
    rows = page.locator(".task-row")
    expect(rows).to_have_count(len(scope.in_project))
    assert _row_ids(page) == scope.in_project

    page.locator("#tasks-project-clear").click()
    expect(page.locator("#tasks-project")).to_have_count(0)
    expect(rows).to_have_count(len(scope.everywhere))
    assert _row_ids(page) == scope.everywhere
    expect(page).not_to_have_url(re.compile(r"project="))
    page.reload()
    expect(rows).to_have_count(len(scope.everywhere))


def test_an_empty_awaiting_review_of_everyone_does_not_say_yours(
    page, app_server, login, app_db_url
):
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        project = make_project(s, producer, name="Quiet Test")
        make_task(s, producer, shot_id=make_shot(s, producer, project.id).id, type="COMP")
    try:
        login(page, app_server, "producer@demo.feedback")
        page.goto(routes.tasks_view("review", "everyone", project.id))
        expect(page.locator("body")).to_contain_text(
            "No task here is in Internal or Client Review."
        )
        expect(page.locator("body")).not_to_contain_text("waiting for your review")
    finally:
        with session_scope(app_db_url) as s:
            s.execute(sa.text("DELETE FROM project WHERE id = :id"), {"id": project.id})
