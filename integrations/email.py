"""Outgoing email through smtplib: plain text with an HTML alternative. Called by the outbox
worker only, never inside a use case."""

from __future__ import annotations

import html
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr

DEFAULT_TIMEOUT = 10  # seconds


class EmailDeliveryError(Exception):
    """The SMTP server did not take the message; `permanent` when it refused it for good."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def compose(*, sender: str, to: str, name: str, headline: str, url: str) -> EmailMessage:
    """One notification as an email: the headline is the subject, the link leads back."""
    message = EmailMessage()
    message["Subject"] = headline
    message["From"] = sender
    message["To"] = formataddr((name, to)) if name else to
    greeting = f"Hi {name}," if name else "Hi,"
    message.set_content(
        f"{greeting}\n\n{headline}.\n\nOpen in FeedBack: {url}\n\n"
        "-- \nFeedBack. Choose which notifications reach you by email in your settings.\n"
    )
    e = html.escape
    message.add_alternative(
        f"""<!doctype html>
<html><body style="font-family: Inter, system-ui, sans-serif; color: #1c2024">
<p>{e(greeting)}</p>
<p><a href="{e(url, quote=True)}" style="font-weight: 600">{e(headline)}</a></p>
<p style="color: #60646c; font-size: 12px">FeedBack. Choose which notifications reach you
by email in your settings.</p>
</body></html>
""",
        subtype="html",
    )
    return message


def compose_review(
    *,
    sender: str,
    to: str,
    subject: str,
    url: str,
    project: str,
    item: str,
    task: str,
    version: str,
    message: str = "",
    expires: str = "",
) -> EmailMessage:
    """The "Send Review Email" of Share With Client: what to review, the link, the studio's
    note; plain text with an HTML alternative."""
    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = sender
    mail["To"] = to
    what = f"{item} {task} {version}".strip()
    until = f"\nThe link works until {expires}.\n" if expires else ""
    note = f"\n{message}\n" if message else ""
    mail.set_content(
        f"Hi,\n\n{what} of {project} is ready for your review.\n{note}\n"
        f"Review it here: {url}\n{until}\n-- \nSent with FeedBack\n"
    )
    e = html.escape
    note_html = (
        f'<p style="white-space: pre-wrap; border-left: 3px solid #8e8cff; padding-left: 8px">'
        f"{e(message)}</p>"
        if message
        else ""
    )
    until_html = (
        f'<p style="color: #60646c; font-size: 12px">The link works until {e(expires)}.</p>'
        if expires
        else ""
    )
    mail.add_alternative(
        f"""<!doctype html>
<html><body style="font-family: Inter, system-ui, sans-serif; color: #1c2024">
<p>Hi,</p>
<p><strong>{e(what)}</strong> of {e(project)} is ready for your review.</p>
{note_html}
<p><a href="{e(url, quote=True)}" style="display: inline-block; padding: 10px 16px;
background: #5b5bd6; color: #ffffff; border-radius: 6px; text-decoration: none;
font-weight: 600">Review {e(version)}</a></p>
<p style="font-size: 12px">Or open {e(url)}</p>
{until_html}
<p style="color: #60646c; font-size: 12px">Sent with FeedBack</p>
</body></html>
""",
        subtype="html",
    )
    return mail


def send(
    message: EmailMessage,
    *,
    host: str | None,
    port: int,
    user: str | None = None,
    password: str | None = None,
    tls: bool = True,
    timeout: float | None = None,
) -> None:
    """Hand the message to the SMTP server (implicit TLS on 465, STARTTLS when `tls`).
    Raises EmailDeliveryError when it is not accepted."""
    timeout = timeout or DEFAULT_TIMEOUT
    if not host:
        raise EmailDeliveryError("no SMTP server configured (FEEDBACK_SMTP_HOST)")
    try:
        if port == 465:
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if tls and port != 465:
                smtp.starttls(context=ssl.create_default_context())
            if user:
                smtp.login(user, password or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise EmailDeliveryError(f"recipient refused: {exc.recipients}", permanent=True) from exc
    except smtplib.SMTPAuthenticationError as exc:
        # the set-up is wrong, not the message: retried, so fixing the password lets it through
        raise EmailDeliveryError(f"SMTP login refused: {exc.smtp_code}") from exc
    except smtplib.SMTPResponseException as exc:
        # 5xx is a final no for this message (bad address, too big); 4xx is "try again later"
        raise EmailDeliveryError(
            f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", permanent=500 <= exc.smtp_code < 600
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise EmailDeliveryError(f"SMTP unreachable: {type(exc).__name__}: {exc}") from exc
