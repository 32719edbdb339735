"""Email through smtplib against aiosmtpd on loopback: plain text with an HTML alternative,
linked back to FeedBack; a refused recipient fails for good, an unreachable server is retried."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlmodel import select

from integrations import email
from integrations.email import EmailDeliveryError
from models import OutboxMessage
from models.base import utcnow
from services import outbox, tasks
from services.db import session_scope


class Mailbox:
    """An aiosmtpd handler keeping what it receives; refuses addresses starting "nobody"."""

    def __init__(self):
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp(request):
    """A mail server on 127.0.0.1; `@pytest.mark.parametrize("smtp", ["auth"], indirect=True)`
    makes it require a login."""
    mailbox = Mailbox()
    auth = getattr(request, "param", None) == "auth"
    extra = {"authenticator": authenticate, "auth_require_tls": False}
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=free_port(), **(extra if auth else {})
    )
    controller.start()
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


@pytest.fixture
def mail_settings(smtp, monkeypatch):
    monkeypatch.setenv("FEEDBACK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FEEDBACK_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("FEEDBACK_SMTP_TLS", "0")
    monkeypatch.setenv("FEEDBACK_MAIL_FROM", "FeedBack <feedback@studio.test>")
    monkeypatch.setenv("FEEDBACK_BASE_URL", "https://feedback.studio.test")
    return smtp


@pytest.fixture
def factory(db_url):
    return lambda: session_scope(db_url)


def compose(to="ada@studio.test", name="Ada Okafor") -> EmailMessage:
    return email.compose(
        sender="FeedBack <feedback@studio.test>",
        to=to,
        name=name,
        headline="SH010 COMP task ready for review",
        url="https://feedback.studio.test/review/7",
    )


def test_a_notification_email_has_text_and_html_with_the_link(smtp):
    email.send(compose(), host="127.0.0.1", port=smtp.port, tls=False)

    [(rcpt, msg)] = smtp.messages
    assert rcpt == ["ada@studio.test"]
    assert msg["Subject"] == "SH010 COMP task ready for review"
    assert msg["To"] == "Ada Okafor <ada@studio.test>"
    assert msg["From"] == "FeedBack <feedback@studio.test>"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "SH010 COMP task ready for review" in text
    assert "https://feedback.studio.test/review/7" in text
    assert '<a href="https://feedback.studio.test/review/7"' in html


def test_html_escapes_names_and_headlines(smtp):
    message = email.compose(
        sender="f@x.test", to="a@x.test", name="<b>Eve</b>", headline="A & B", url="https://x/1"
    )
    html = message.get_body(("html",)).get_content()

    assert "&lt;b&gt;Eve&lt;/b&gt;" in html and "A &amp; B" in html and "<b>Eve" not in html


@pytest.mark.parametrize("smtp", ["auth"], indirect=True)
def test_the_server_login_is_used_and_a_refused_login_is_retried(smtp):
    email.send(compose(), host="127.0.0.1", port=smtp.port, tls=False, user="fb", password="s3cret")
    with pytest.raises(EmailDeliveryError) as err:
        email.send(compose(), host="127.0.0.1", port=smtp.port, tls=False, user="fb", password="no")

    assert len(smtp.messages) == 1
    assert err.value.permanent is False  # the set-up is wrong, not the message


def test_a_refused_recipient_fails_for_good(smtp):
    with pytest.raises(EmailDeliveryError) as err:
        email.send(compose(to="nobody@studio.test"), host="127.0.0.1", port=smtp.port, tls=False)

    assert err.value.permanent is True


def test_an_unreachable_server_is_worth_a_retry():
    with pytest.raises(EmailDeliveryError) as err:
        email.send(compose(), host="127.0.0.1", port=free_port(), tls=False, timeout=1)

    assert err.value.permanent is False


def test_an_assignment_emails_the_artist_after_commit(uow, factory, prod, mail_settings, notifying):
    with uow() as s:
        tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=prod.other_artist.id)
    assert mail_settings.messages == []  # nothing is sent inside the person's action

    report = outbox.deliver_due(factory)

    assert report == outbox.DeliveryReport(sent=1)
    [(rcpt, msg)] = mail_settings.messages
    assert rcpt == [prod.other_artist.email]
    assert msg["Subject"] == f"{prod.shot.code} COMP task assigned to you"
    link = f"https://feedback.studio.test/tasks/{prod.task.id}"
    assert link in msg.get_body(("plain",)).get_content()


def test_mail_waits_in_the_outbox_while_the_server_is_down(
    uow, factory, prod, mail_settings, notifying, monkeypatch
):
    monkeypatch.setenv("FEEDBACK_SMTP_PORT", str(free_port()))  # nothing listens there
    with uow() as s:
        tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=prod.other_artist.id)
    t0 = utcnow()
    assert outbox.deliver_due(factory, t0).retried == 1

    monkeypatch.setenv("FEEDBACK_SMTP_PORT", str(mail_settings.port))
    assert outbox.deliver_due(factory, t0 + timedelta(minutes=1)).sent == 1

    assert len(mail_settings.messages) == 1
    with uow() as s:
        [row] = s.exec(select(OutboxMessage)).all()
    assert (row.state.value, row.attempts) == ("SENT", 2)


def test_the_review_email_reaches_the_client_with_the_link_and_message(
    uow, factory, prod, mail_settings
):
    from services import sharing
    from tests.factories import make_version, mark_ready

    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        mark_ready(s, v.id)
        result = sharing.share_version(
            s,
            actor=prod.producer,
            version_id=v.id,
            new_session=sharing.NewSession(name="Week 3"),
            email=sharing.ReviewEmail(extra_addresses="dana@client.test", message="Sky <pass> two"),
        )
    assert mail_settings.messages == []  # the share does not wait for the mail server

    assert outbox.deliver_due(factory).sent == 1

    [(rcpt, msg)] = mail_settings.messages
    link = "https://feedback.studio.test" + result.link
    assert rcpt == ["dana@client.test"]
    assert (
        msg["Subject"]
        == f"{prod.project.name}: {prod.shot.code} COMP v001 is ready for your review"
    )
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert link in text and "Sky <pass> two" in text and "works until" in text
    assert f'href="{link}"' in html and "Sky &lt;pass&gt; two" in html


def test_a_review_email_that_fails_leaves_the_share_done_and_is_retried(
    uow, factory, prod, mail_settings, monkeypatch
):
    from models import Version
    from services import sharing
    from tests.factories import make_version, mark_ready

    monkeypatch.setenv("FEEDBACK_SMTP_PORT", str(free_port()))  # nothing listens there
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        mark_ready(s, v.id)
        sharing.share_version(
            s,
            actor=prod.producer,
            version_id=v.id,
            new_session=sharing.NewSession(),
            email=sharing.ReviewEmail(extra_addresses="dana@client.test"),
        )
    t0 = utcnow()
    assert outbox.deliver_due(factory, t0).retried == 1
    with uow() as s:
        assert s.get(Version, v.id).is_client_visible
    monkeypatch.setenv("FEEDBACK_SMTP_PORT", str(mail_settings.port))
    assert outbox.deliver_due(factory, t0 + timedelta(minutes=1)).sent == 1
    assert [r for r, _ in mail_settings.messages] == [["dana@client.test"]]
