"""Activity and dashboards live across browsers, each viewer seeing only what they may; the
notification settings page; a producer retrying a failed Slack delivery.

Each test builds its own project through the services (in the app's database), so it neither
depends on nor disturbs the demo show other tests read."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect
from sqlmodel import select

from models import OutboxChannel, OutboxMessage, OutboxState, Project
from services import outbox
from services.db import session_scope
from tests.e2e.helpers import demo_user
from tests.factories import add_member, make_project, make_shot, make_task

LIVE = 8_000  # ms: a pushed change shows well within this (no reload anywhere)


def _drop_project(db_url: str, project_id: int) -> None:
    with session_scope(db_url) as s:
        s.execute(sa.text("DELETE FROM project WHERE id = :id"), {"id": project_id})


@dataclass
class LiveProject:
    id: int
    code: str  # the shot code
    own: int  # artist@demo's COMP task
    other: int  # artist2@demo's ROTO task


@pytest.fixture
def live_project(app_db_url) -> Iterator[LiveProject]:
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        artist, artist2 = (
            demo_user(s, "artist@demo.feedback"),
            demo_user(s, "artist2@demo.feedback"),
        )
        project = make_project(s, producer, name="Live Activity")
        for person in (artist, artist2, demo_user(s, "supervisor@demo.feedback")):
            add_member(s, producer, project.id, person)
        shot = make_shot(s, producer, project.id, code="LA010")
        own = make_task(s, producer, shot_id=shot.id, type="COMP", assigned_artist_id=artist.id)
        other = make_task(s, producer, shot_id=shot.id, type="ROTO", assigned_artist_id=artist2.id)
        made = LiveProject(id=project.id, code=shot.code, own=own.id, other=other.id)
    yield made
    _drop_project(app_db_url, made.id)


def _signed_in(browser, app_server, login, email: str) -> Page:
    context = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, app_server, email)
    return page


def _open_feed(page: Page, project_id: int) -> None:
    page.goto(f"/projects/{project_id}?tab=activity")
    expect(page.locator("#tab-activity")).to_have_attribute("data-state", "active")
    expect(page.locator("#project-activity")).to_be_visible()
    page.wait_for_timeout(500)  # the feed has attached to the live channel


def _post_note(page: Page, text: str) -> None:
    page.locator("#comment-input").fill(text)
    page.locator("#comment-post").click()
    expect(page.locator(".comment", has_text=text)).to_be_visible()


def _set_status(page: Page, label: str) -> None:
    page.locator("#task-status").click()
    page.get_by_role("option", name=label, exact=True).click()


def test_activity_updates_live_in_other_browsers_each_as_its_viewer(
    page, browser, app_server, login, live_project
):
    p = live_project
    login(page, app_server, "producer@demo.feedback")
    _open_feed(page, p.id)
    artist2 = _signed_in(browser, app_server, login, "artist2@demo.feedback")
    artist = _signed_in(browser, app_server, login, "artist@demo.feedback")
    supervisor = _signed_in(browser, app_server, login, "supervisor@demo.feedback")
    try:
        _open_feed(artist2, p.id)
        artist.goto(f"/tasks/{p.own}")
        expect(artist.locator("#task-activity")).to_be_attached()
        artist.wait_for_timeout(500)

        # The supervisor writes a note on artist@demo's task…
        supervisor.goto(f"/tasks/{p.own}")
        _post_note(supervisor, "Edges need a softer matte")
        line = f"commented on {p.code} COMP: “Edges need a softer matte”"
        # …the producer's Activity tab and the artist's task page show it, without reload.
        expect(page.locator("#project-activity .activity-item").first).to_contain_text(
            line, timeout=LIVE
        )
        expect(artist.locator("#task-activity .activity-item").first).to_contain_text(
            line, timeout=LIVE
        )

        # …then moves artist2's task: artist2's feed shows that, and never the note on a
        # task that is not theirs.
        supervisor.goto(f"/tasks/{p.other}")
        _set_status(supervisor, "In Progress")
        moved = f"moved {p.code} ROTO to In Progress"
        expect(artist2.locator("#project-activity .activity-item").first).to_contain_text(
            moved, timeout=LIVE
        )
        expect(page.locator("#project-activity")).to_contain_text(moved, timeout=LIVE)
        expect(artist2.locator("#project-activity")).not_to_contain_text("softer matte")
        # The task page's feed is the task's own: the other task's move does not appear.
        expect(artist.locator("#task-activity")).not_to_contain_text(moved)
    finally:
        for other in (artist2, artist, supervisor):
            other.context.close()


def test_dashboard_widgets_update_live(page, browser, app_server, login, live_project):
    p = live_project
    login(page, app_server, "supervisor@demo.feedback")
    page.goto("/")
    page.locator("#dashboard-scope").click()
    page.get_by_role("option", name="Live Activity", exact=False).click()
    in_review = page.locator("#w-in-review")
    expect(in_review.locator(".widget-count")).to_have_text("0")
    page.wait_for_timeout(500)

    artist = _signed_in(browser, app_server, login, "artist@demo.feedback")
    try:
        artist.goto(f"/tasks/{p.own}")
        _set_status(artist, "Internal Review")
        expect(in_review.locator(".widget-count")).to_have_text("1", timeout=LIVE)
        expect(in_review.locator(".widget-task").first).to_contain_text(p.code)
        artist.goto(f"/tasks/{p.own}")
        _post_note(artist, "Ready for a look")
        expect(page.locator("#w-feedback .feedback-item").first).to_contain_text(
            "Ready for a look", timeout=LIVE
        )
    finally:
        artist.context.close()


def test_notification_settings_toggle_saves_at_once_and_persists(page, app_server, login):
    login(page, app_server, "artist2@demo.feedback")
    page.locator("#bell").click()
    page.locator("#bell-settings").click()
    expect(page).to_have_url(f"{app_server}/settings/notifications")
    email = page.locator("#pref-email-TASK_APPROVED")
    slack = page.locator("#pref-slack-TASK_APPROVED")
    expect(email).to_have_attribute("data-state", "checked")  # the default
    email.click()
    expect(page.get_by_text("Email off: a task is approved")).to_be_visible()
    expect(email).to_have_attribute("data-state", "unchecked")

    page.reload()
    email = page.locator("#pref-email-TASK_APPROVED")
    expect(email).to_have_attribute("data-state", "unchecked")
    expect(page.locator("#pref-slack-TASK_APPROVED")).to_have_attribute("data-state", "checked")
    expect(slack).to_have_attribute("data-state", "checked")

    email.click()  # back to the default for the other tests
    expect(page.get_by_text("Email on: a task is approved")).to_be_visible()
    page.reload()
    expect(page.locator("#pref-email-TASK_APPROVED")).to_have_attribute("data-state", "checked")


class SlackWebhook:
    """A Slack incoming webhook on 127.0.0.1 that records what it is sent."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hook.texts.append(json.loads(raw or b"{}").get("text", ""))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/T0/B0/x"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def failed_delivery(app_db_url) -> Iterator[tuple[int, SlackWebhook]]:
    """A project posting to a (now working) webhook, and a Slack message to it that failed
    for good while the webhook was broken."""
    hook = SlackWebhook()
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        project = make_project(s, producer, name="Delivery Check")
        s.get(Project, project.id).slack_webhook_url = hook.url
        outbox.enqueue(
            s,
            channel=OutboxChannel.SLACK,
            dedupe_key=f"slack:e2e-failed:{project.id}",
            payload={"kind": "TASK_APPROVED", "text": "DC010 COMP task approved", "path": "/"},
            project_id=project.id,
        )
        s.flush()
        message = s.exec(select(OutboxMessage).where(OutboxMessage.project_id == project.id)).one()
        message.state = OutboxState.FAILED
        message.attempts = outbox.MAX_ATTEMPTS
        message.last_error = "SlackDeliveryError: Slack answered 404: no_service"
        s.add(message)
    try:
        yield message.id, hook
    finally:
        hook.close()
        _drop_project(app_db_url, project.id)


def test_a_producer_sees_a_failed_delivery_and_retries_it(
    page, browser, app_server, login, failed_delivery
):
    _, hook = failed_delivery
    supervisor = _signed_in(browser, app_server, login, "supervisor@demo.feedback")
    try:
        supervisor.goto("/")
        expect(supervisor.locator("#w-due-today")).to_be_visible()
        expect(supervisor.locator("#w-deliveries")).to_have_count(0)  # producers' business
    finally:
        supervisor.context.close()

    login(page, app_server, "producer@demo.feedback")
    page.goto("/")
    row = page.locator("#w-deliveries .delivery-row", has_text="DC010 COMP task approved")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Failed")
    expect(row).to_contain_text("Slack webhook")
    expect(row).not_to_contain_text("hooks")  # the webhook URL is a secret
    expect(row.locator(".delivery-error")).to_contain_text("no_service")
    expect(row).to_contain_text(str(outbox.MAX_ATTEMPTS))

    row.locator(".delivery-retry").click()
    expect(page.get_by_text("Delivered to Slack webhook")).to_be_visible(timeout=15_000)
    expect(row).to_have_count(0)
    assert hook.texts and all("DC010 COMP task approved" in t for t in hook.texts)
    assert len(hook.texts) == 1
    page.reload()
    expect(page.locator("#w-due-today")).to_be_visible()
    expect(page.locator("#w-deliveries .delivery-row", has_text="DC010")).to_have_count(0)
