"""What a UX review of the running app found, seen in a browser once fixed: an approval takes
a task out of Changes; the bell and the all-projects dashboard say which project a line is
about (both demo shows have an SH010); a guest's decision keeps their name; a shot whose
tasks are all done is not overdue; a comment's notification opens at its frame; My Tasks
counts what is yours and lists watched tasks apart.

Each test builds its own project through the services (in the app's database), so it neither
depends on nor changes the demo show the other tests read, and removes it afterwards."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from models import Notification, Project
from services import activity_events, notifications, reviews, sharing, tasks
from services.db import session_scope
from tests.e2e.helpers import demo_user, playable_version
from tests.factories import add_member, make_project, make_shot, make_task, make_user


@dataclass
class Show:
    id: int
    code: str
    name: str


@pytest.fixture
def show(app_db_url) -> Iterator[Show]:
    """An empty project with artist@, supervisor@ and client@ as members; removed after the
    test, with the notifications written about it."""
    code = "UX" + secrets.token_hex(3).upper()
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        project = make_project(s, producer, code=code, name=f"UX Review {code}")
        for email in ("artist@demo.feedback", "supervisor@demo.feedback", "client@demo.feedback"):
            add_member(s, producer, project.id, demo_user(s, email))
        first_note = max(s.exec(select(Notification.id)).all() or [0])
    yield Show(project.id, project.code, project.name)
    with session_scope(app_db_url) as s:
        for n in s.exec(select(Notification).where(Notification.id > first_note)).all():
            if (n.payload or {}).get("project_id") == project.id:
                s.delete(n)
        s.delete(s.get(Project, project.id))


@contextmanager
def _told(app_db_url: str) -> Iterator[None]:
    """Notifications and comment feed lines written for what the block does, as the app's
    own subscribers would (the test process does the work, not the app)."""
    notifications.install(lambda: session_scope(app_db_url))
    activity_events.install(lambda: session_scope(app_db_url))
    try:
        yield
    finally:
        notifications.uninstall()
        activity_events.uninstall()


def _comp_task(s, show: Show, shot_code: str = "SH010", **fields) -> int:
    producer = demo_user(s, "producer@demo.feedback")
    shot = make_shot(s, producer, show.id, code=shot_code, **fields)
    return make_task(
        s,
        producer,
        shot_id=shot.id,
        type="COMP",
        assigned_artist_id=demo_user(s, "artist@demo.feedback").id,
        assigned_supervisor_id=demo_user(s, "supervisor@demo.feedback").id,
    ).id


def _reviewed_task(s, show: Show) -> tuple[int, int]:
    """(task id, version id): SH010's COMP task with one playable version by artist@."""
    task_id = _comp_task(s, show)
    return task_id, playable_version(s, demo_user(s, "artist@demo.feedback"), task_id)


# ---------------------------------------------------------------- 1. approval out of Changes


def test_approving_the_newest_version_takes_the_task_out_of_changes(
    page: Page, app_server, app_db_url, login, show: Show
):
    with session_scope(app_db_url) as s:
        task_id, _v1 = _reviewed_task(s, show)
        v2 = playable_version(s, demo_user(s, "artist@demo.feedback"), task_id)
        reviews.record_approval(
            s,
            actor=demo_user(s, "supervisor@demo.feedback"),
            version_id=v2,
            decision="CHANGES_REQUESTED",
        )

    login(page, app_server, "supervisor@demo.feedback")
    page.goto(f"/review/{v2}")
    expect(page.locator("#breadcrumb")).to_contain_text("Changes")
    page.locator("#approve").click()  # changed their mind
    expect(page.locator("#breadcrumb")).to_contain_text("Internal Review")
    expect(page.locator("#approval-history")).to_contain_text("Approved")


# ---------------------------------------------------------------- 2 + 6. the bell


def test_the_bell_says_which_project_and_a_comment_opens_at_its_frame(
    page: Page, app_server, app_db_url, login, show: Show
):
    with session_scope(app_db_url) as s:
        _task_id, version_id = _reviewed_task(s, show)
    with _told(app_db_url), session_scope(app_db_url) as s:
        reviews.add_comment(
            s,
            actor=demo_user(s, "supervisor@demo.feedback"),
            version_id=version_id,
            body="Edge flickers here",
            frame=12,
        )

    login(page, app_server, "artist@demo.feedback")
    page.locator("#bell").click()
    note = page.locator(".notification", has_text="commented on SH010 COMP v001").first
    expect(note.locator(".notification-project")).to_have_text(show.code)
    note.click()
    # frames count from the project's start frame (1001): the note at index 12 is 1013
    expect(page).to_have_url(re.compile(rf"/review/{version_id}\?frame=1013$"))
    expect(page.locator("#current-frame-label")).to_have_text("frame 1013")


# ---------------------------------------------------------------- 2 + 4. the dashboard


def test_the_all_projects_dashboard_names_projects_and_a_guests_decision_their_name(
    page: Page, app_server, app_db_url, login, show: Show
):
    with session_scope(app_db_url) as s:
        task_id, version_id = _reviewed_task(s, show)
        shared = sharing.share_version(
            s,
            actor=demo_user(s, "producer@demo.feedback"),
            version_id=version_id,
            new_session=sharing.NewSession(name="UX review link"),
        )
        token = shared.link[len(sharing.LINK_PREFIX) :]
        guest = sharing.enter_link(s, token=token, name="Jordan (Harbor Films)").guest
    with _told(app_db_url), session_scope(app_db_url) as s:
        reviews.add_comment(s, actor=guest, version_id=version_id, body="Sky a bit warmer?")
        reviews.record_approval(
            s, actor=guest, version_id=version_id, decision="CHANGES_REQUESTED", note="warmer"
        )

    login(page, app_server, "producer@demo.feedback")
    page.goto("/")
    feedback = page.locator("#w-feedback")
    decision = feedback.locator(".feedback-item", has_text="requested changes: warmer")
    expect(decision).to_contain_text("Jordan (Harbor Films)")
    expect(decision.get_by_text("Client", exact=True)).to_be_visible()
    expect(decision.locator(".project-code")).to_have_text(show.code)
    comment = feedback.locator(".feedback-item", has_text="Sky a bit warmer?")
    expect(comment).to_contain_text("Jordan (Harbor Films)")
    expect(comment.locator(".project-code")).to_have_text(show.code)
    # both demo shows have an SH010 COMP v001 upload too: the code tells ours apart
    ours = page.locator(".project-code", has_text=show.code)
    upload = page.locator("#w-uploads .upload-card", has=ours)
    expect(upload).to_have_count(1)
    expect(upload).to_contain_text("SH010 COMP v001")

    # one project chosen: the lines are all its own, no code needed
    page.locator("#dashboard-scope").click()
    page.get_by_role("option", name=f"{show.code} · {show.name}").click()
    expect(feedback.locator(".feedback-item", has_text="Sky a bit warmer?")).to_be_visible()
    expect(page.locator(".project-code")).to_have_count(0)

    page.goto(f"/tasks/{task_id}")
    expect(page.locator("#task-activity")).to_contain_text(
        "Client Jordan (Harbor Films) requested changes on SH010 COMP v001"
    )
    expect(page.locator("#task-activity")).to_contain_text(
        "Client Jordan (Harbor Films) commented on SH010 COMP v001"
    )


# ---------------------------------------------------------------- 5. a finished shot


def test_a_shot_whose_tasks_are_all_done_is_not_overdue(
    page: Page, app_server, app_db_url, login, show: Show
):
    two_days_ago = date.today() - timedelta(days=2)
    with session_scope(app_db_url) as s:
        done = _comp_task(s, show, "SH010", due_date=two_days_ago)
        _comp_task(s, show, "SH020", due_date=two_days_ago)
        tasks.move(s, actor=demo_user(s, "producer@demo.feedback"), task_id=done, status="DONE")

    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/projects/{show.id}")
    finished = page.locator(".shot-row[data-code=SH010]")
    expect(finished).to_be_visible()
    expect(finished).not_to_contain_text("overdue")
    expect(page.locator(".shot-row[data-code=SH020]")).to_contain_text("2d overdue")


# ---------------------------------------------------------------- 7. My Tasks


def test_my_tasks_counts_my_work_and_lists_watched_tasks_apart(
    page: Page, app_server, app_db_url, login, show: Show
):
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        me = make_user(s, role="ARTIST", name="Robin Reviewtest", password="feedback")
        add_member(s, producer, show.id, me)
        shot = make_shot(s, producer, show.id, code="SH010")

        def task(type_, **fields):
            return make_task(s, producer, shot_id=shot.id, type=type_, **fields).id

        in_review = task("COMP", assigned_artist_id=me.id)
        task("ROTO", assigned_artist_id=me.id)
        watched = task("TRACK", assigned_artist_id=demo_user(s, "artist@demo.feedback").id)
        tasks.set_watchers(s, actor=producer, task_id=watched, user_ids=[me.id])
        tasks.move(s, actor=me, task_id=in_review, status="INTERNAL_REVIEW")

    login(page, app_server, me.email)
    page.goto("/tasks")
    expect(page.locator("#count-mine").first).to_have_text("2")
    expect(page.locator("#count-review").first).to_have_text("1")
    expect(page.locator("#count-watching").first).to_have_text("1")
    expect(page.locator(".task-row")).to_have_count(2)

    page.locator("#view-review").click()
    expect(page.locator(".task-row")).to_have_count(1)
    expect(page.locator(".task-row")).to_contain_text("Comp")

    page.locator("#view-watching").click()
    expect(page.locator(".task-row")).to_have_count(1)
    expect(page.locator(".task-row")).to_contain_text("Track")

    page.goto("/")  # the same two tasks in their workload bar
    bar = page.locator("#w-workload .workload-bar", has_text="Robin Reviewtest")
    expect(bar).to_have_text(re.compile(r"^Robin Reviewtest\s*2\s*$"))
