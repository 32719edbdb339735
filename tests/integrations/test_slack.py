"""Slack through slack-sdk against a stand-in for Slack's Web API and webhooks on loopback:
messages read like the spec's and link back; Slack failing or slow never touches the person's
action, and the message goes out later, once."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from sqlmodel import select

from integrations import slack
from integrations.slack import SlackDeliveryError
from models import OutboxMessage, Project, Task
from models.base import utcnow
from services import outbox, tasks
from services.db import session_scope
from tests.factories import make_version


class SlackStandIn:
    """A tiny Slack on 127.0.0.1: records each request; `mode` says how it answers."""

    def __init__(self):
        self.requests: list[dict] = []
        self.mode = "ok"  # ok | 500 | slow | 429 | error:<code> | webhook-400
        self.delay = 2.0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stand_in.requests.append(
                    {
                        "path": urlparse(self.path).path,
                        "auth": self.headers.get("Authorization"),
                        "body": json.loads(raw or b"{}"),
                    }
                )
                stand_in.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        mode, webhook = self.mode, h.path.startswith("/hooks/")
        if mode == "slow":
            time.sleep(self.delay)
        if mode == "500":
            return self._send(h, 500, b"upstream trouble", "text/plain")
        if mode == "429":
            return self._send(
                h, 429, b'{"ok": false, "error": "ratelimited"}', extra={"Retry-After": "120"}
            )
        if mode == "webhook-400" and webhook:
            return self._send(h, 400, b"invalid_payload", "text/plain")
        if mode.startswith("error:"):
            body = json.dumps({"ok": False, "error": mode.split(":", 1)[1]}).encode()
            return self._send(h, 200, body)
        if webhook:
            return self._send(h, 200, b"ok", "text/plain")
        return self._send(h, 200, b'{"ok": true, "channel": "C1", "ts": "1.0"}')

    @staticmethod
    def _send(h, status, body, content_type="application/json", extra=None):
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (timeout test)
            h.wfile.write(body)

    def texts(self) -> list[str]:
        return [r["body"].get("text") for r in self.requests]


@pytest.fixture
def slack_api():
    stand_in = SlackStandIn()
    stand_in.thread.start()
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


@pytest.fixture
def studio(uow, prod, slack_api, monkeypatch):
    """The production's project posts to #nightfall-vfx through the stand-in's Web API."""
    monkeypatch.setenv("FEEDBACK_SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("FEEDBACK_SLACK_BASE_URL", slack_api.url + "/api")
    monkeypatch.setenv("FEEDBACK_BASE_URL", "https://feedback.studio.test")
    monkeypatch.setattr(slack, "DEFAULT_TIMEOUT", 0.5)
    with uow() as s:
        project = s.get(Project, prod.project.id)
        project.slack_channel = "#nightfall-vfx"
        s.add(project)
    return prod


@pytest.fixture
def factory(db_url):
    return lambda: session_scope(db_url)


def outbox_rows(uow) -> list[OutboxMessage]:
    with uow() as s:
        return list(s.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def shot_code(prod) -> str:
    return prod.shot.code


# ---------------------------------------------------------------- the client itself


def test_chat_post_message_goes_to_the_channel_with_the_bot_token(slack_api):
    slack.post(
        text=slack.message_text("SH010 COMP task ready for review", "https://fb.test/review/5"),
        channel="#nightfall-vfx",
        token="xoxb-1",
        base_url=slack_api.url + "/api",
    )

    [request] = slack_api.requests
    assert request["path"] == "/api/chat.postMessage"
    assert request["auth"] == "Bearer xoxb-1"
    assert request["body"]["channel"] == "#nightfall-vfx"
    assert request["body"]["text"] == "<https://fb.test/review/5|SH010 COMP task ready for review>"


def test_an_incoming_webhook_gets_the_same_message(slack_api):
    slack.post(text="ASSET_CAR01 MODEL task approved", webhook_url=slack_api.url + "/hooks/T1/B2")

    assert [(r["path"], r["body"]["text"]) for r in slack_api.requests] == [
        ("/hooks/T1/B2", "ASSET_CAR01 MODEL task approved")
    ]


def test_mrkdwn_control_characters_in_a_headline_are_escaped():
    assert slack.message_text("A <b> & c", "https://x.test/t/1") == (
        "<https://x.test/t/1|A &lt;b&gt; &amp; c>"
    )


@pytest.mark.parametrize(
    ("mode", "permanent", "retry_after"),
    [
        ("500", False, None),
        ("error:channel_not_found", False, None),  # the set-up: fixable, so retried
        ("error:msg_too_long", True, None),  # the message itself: no retry cures it
        ("429", False, 120.0),
    ],
)
def test_web_api_failures_say_whether_to_retry(slack_api, mode, permanent, retry_after):
    slack_api.mode = mode

    with pytest.raises(SlackDeliveryError) as err:
        slack.post(text="x", channel="#c", token="t", base_url=slack_api.url + "/api")

    assert (err.value.permanent, err.value.retry_after) == (permanent, retry_after)


def test_a_malformed_webhook_message_is_not_retried(slack_api):
    slack_api.mode = "webhook-400"

    with pytest.raises(SlackDeliveryError) as err:
        slack.post(text="x", webhook_url=slack_api.url + "/hooks/T/B")

    assert err.value.permanent is True


def test_a_slow_slack_times_out_and_is_worth_a_retry(slack_api):
    slack_api.mode = "slow"
    started = time.monotonic()

    with pytest.raises(SlackDeliveryError, match="unreachable") as err:
        slack.post(text="x", channel="#c", token="t", base_url=slack_api.url + "/api", timeout=0.3)

    assert time.monotonic() - started < 1.5
    assert err.value.permanent is False


def test_no_destination_is_a_permanent_failure():
    with pytest.raises(SlackDeliveryError) as err:
        slack.post(text="x", channel="#c", token=None)
    assert err.value.permanent is True


# ---------------------------------------------------------------- end to end, through the outbox


def test_an_upload_reaches_the_projects_channel_after_commit(
    uow, factory, studio, slack_api, notifying
):
    with uow() as s:
        version = make_version(s, studio.artist, studio.task.id)
    assert slack_api.requests == []  # nothing is sent inside the person's action

    report = outbox.deliver_due(factory)
    again = outbox.deliver_due(factory, utcnow() + timedelta(days=1))

    assert (report.sent, again) == (1, outbox.DeliveryReport())
    [request] = slack_api.requests
    assert request["body"]["channel"] == "#nightfall-vfx"
    assert request["body"]["text"] == (
        f"<https://feedback.studio.test/review/{version.id}|"
        f"{shot_code(studio)} COMP task ready for review>"
    )


@pytest.mark.parametrize("trouble", ["500", "slow"])
def test_slack_down_or_slow_leaves_the_action_done_and_the_message_retried(
    uow, factory, studio, slack_api, notifying, trouble
):
    slack_api.mode = trouble
    started = time.monotonic()
    with uow() as s:
        tasks.assign(
            s, actor=studio.producer, task_id=studio.task.id, artist_id=studio.other_artist.id
        )
    assert time.monotonic() - started < 0.5  # Slack is not on the person's path at all
    with uow() as s:
        assert s.get(Task, studio.task.id).assigned_artist_id == studio.other_artist.id

    t0 = utcnow()
    assert outbox.deliver_due(factory, t0).retried == 1
    [pending] = outbox_rows(uow)
    assert (pending.state.value, pending.attempts) == ("PENDING", 1)
    assert pending.next_attempt_at == t0 + outbox.backoff(1)

    slack_api.mode = "ok"
    assert outbox.deliver_due(factory, t0 + timedelta(seconds=10)) == outbox.DeliveryReport()
    assert outbox.deliver_due(factory, pending.next_attempt_at).sent == 1
    assert outbox.deliver_due(factory, pending.next_attempt_at + timedelta(hours=1)).sent == 0

    [sent] = outbox_rows(uow)
    assert (sent.state.value, sent.attempts) == ("SENT", 2)
    expected = f"{shot_code(studio)} COMP task assigned to {studio.other_artist.name}"
    assert slack_api.texts()[-1].endswith(f"|{expected}>")
    assert slack_api.texts().count(slack_api.texts()[-1]) == len(slack_api.requests)


def test_a_webhook_project_posts_there_instead(uow, factory, studio, slack_api, notifying):
    with uow() as s:
        project = s.get(Project, studio.project.id)
        project.slack_webhook_url = slack_api.url + "/hooks/T9/B9"
        s.add(project)
    with uow() as s:
        make_version(s, studio.artist, studio.task.id)

    outbox.deliver_due(factory)

    assert [r["path"] for r in slack_api.requests] == ["/hooks/T9/B9"]
