"""The outbox: Slack and email deliveries written in the unit of work that decided them and
sent after commit by a worker, with retries and exponential backoff.

- `enqueue` runs inside a unit of work; its dedupe_key (UNIQUE) makes a second enqueue of the
  same delivery a no-op, so a delivery exists at most once.
- `deliver_due` claims due messages with one conditional UPDATE (plus FOR UPDATE SKIP LOCKED on
  PostgreSQL): a claim pushes next_attempt_at past CLAIM_TIMEOUT, so several workers never take
  the same message, and a worker that died mid-send gives it back when the claim times out.
  Slack and SMTP are called outside every transaction; the outcome is written in a second,
  short one. A message once SENT is never claimed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from integrations import email, slack
from models import OutboxChannel, OutboxMessage, OutboxState, Project
from models.base import utcnow
from services.db import session_scope
from services.inserts import insert_if_absent
from services.settings import Settings, get_settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min, then FAILED: about an hour of Slack downtime
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
CLAIM_TIMEOUT = timedelta(minutes=10)  # far above the integrations' 10 s timeouts
ERROR_LENGTH = 500

SessionFactory = Callable[[], AbstractContextManager[Session]]
_T = OutboxMessage.__table__


@dataclass(frozen=True)
class OutboxJob:
    """A claimed message, as plain data for a sender (no session is open while it sends)."""

    id: int
    channel: OutboxChannel
    payload: dict[str, Any]
    attempts: int  # including this one
    project_id: int | None
    slack_channel: str | None = None  # the project's, read at claim time
    slack_webhook_url: str | None = None


Sender = Callable[[OutboxJob], None]


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed ones: 30 s, 1 min, 2 min, … ≤ 1 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def enqueue(
    session: Session,
    *,
    channel: OutboxChannel,
    dedupe_key: str,
    payload: dict[str, Any],
    project_id: int | None = None,
) -> bool:
    """Queue a delivery in the caller's unit of work; False if that dedupe_key exists."""
    now = utcnow()
    return insert_if_absent(
        session,
        _T,
        {
            "channel": channel,
            "dedupe_key": dedupe_key[:200],
            "payload": payload,
            "state": OutboxState.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "project_id": project_id,
            "created_at": now,
        },
        ["dedupe_key"],
    )


def slack_configured(project: Project, settings: Settings | None = None) -> bool:
    settings = settings or get_settings()
    return bool(project.slack_webhook_url or (project.slack_channel and settings.slack_bot_token))


# ---------------------------------------------------------------- the worker


def _claim(session_factory: SessionFactory, now: datetime, limit: int) -> list[OutboxJob]:
    with session_factory() as s:
        due = (
            select(OutboxMessage.id)
            .where(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if s.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(s.exec(due))
        if not ids:
            return []
        # The WHERE is checked again under the row (PostgreSQL) or database (SQLite) write
        # lock: a message another worker claimed meanwhile is no longer due and is skipped.
        rows = s.execute(
            sa.update(_T)
            .where(
                _T.c.id.in_(ids),
                _T.c.state == OutboxState.PENDING,
                _T.c.next_attempt_at <= now,
            )
            .values(attempts=_T.c.attempts + 1, next_attempt_at=now + CLAIM_TIMEOUT)
            .returning(_T.c.id, _T.c.channel, _T.c.payload, _T.c.attempts, _T.c.project_id)
        ).all()
        project_ids = {r.project_id for r in rows if r.project_id is not None}
        slack_of = {
            p.id: (p.slack_channel, p.slack_webhook_url)
            for p in s.exec(select(Project).where(Project.id.in_(project_ids or {-1})))
        }
    jobs = []
    for r in sorted(rows, key=lambda r: r.id):
        target = slack_of.get(r.project_id, (None, None))
        jobs.append(
            OutboxJob(
                id=r.id,
                channel=OutboxChannel(r.channel),
                payload=dict(r.payload or {}),
                attempts=r.attempts,
                project_id=r.project_id,
                slack_channel=target[0],
                slack_webhook_url=target[1],
            )
        )
    return jobs


def _finish(
    session_factory: SessionFactory, job: OutboxJob, now: datetime, error: Exception | None
) -> str:
    """Record the outcome of one attempt; returns "sent", "retried" or "failed"."""
    values: dict[str, Any]
    if error is None:
        outcome, values = "sent", {"state": OutboxState.SENT, "sent_at": now, "last_error": None}
    else:
        message = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        if getattr(error, "permanent", False) or job.attempts >= MAX_ATTEMPTS:
            outcome, values = "failed", {"state": OutboxState.FAILED, "last_error": message}
        else:
            delay = backoff(job.attempts)
            retry_after = getattr(error, "retry_after", None)
            if retry_after:
                delay = max(delay, timedelta(seconds=float(retry_after)))
            outcome = "retried"
            values = {"next_attempt_at": now + delay, "last_error": message}
    with session_factory() as s:
        updated = s.execute(
            sa.update(_T)
            .where(
                _T.c.id == job.id,
                _T.c.state == OutboxState.PENDING,
                _T.c.attempts == job.attempts,  # still our claim
            )
            .values(**values)
        ).rowcount
    if not updated:
        log.warning(
            "outbox message %s: claim lost before its outcome (%s) was saved", job.id, outcome
        )
    elif outcome == "retried":
        log.warning(
            "outbox message %s (%s) attempt %s failed, retrying: %s",
            job.id,
            job.channel.value,
            job.attempts,
            values["last_error"],
        )
    elif outcome == "failed":
        log.error(
            "outbox message %s (%s) failed for good after %s attempts: %s",
            job.id,
            job.channel.value,
            job.attempts,
            values["last_error"],
        )
    return outcome


def deliver_due(
    session_factory: SessionFactory = session_scope,
    now: datetime | None = None,
    *,
    senders: Mapping[OutboxChannel, Sender] | None = None,
    limit: int = 50,
) -> DeliveryReport:
    """Send the messages that are due, once each; failures come back later with backoff."""
    now = now or utcnow()
    senders = senders if senders is not None else default_senders()
    counts = {"sent": 0, "retried": 0, "failed": 0}
    for job in _claim(session_factory, now, limit):
        sender = senders.get(job.channel)
        error: Exception | None = None
        try:
            if sender is None:
                raise LookupError(f"no sender for {job.channel.value}")
            sender(job)
        except Exception as exc:  # any failure of one message must not stop the others
            error = exc
        counts[_finish(session_factory, job, now, error)] += 1
    return DeliveryReport(**counts)


# ---------------------------------------------------------------- the real senders


def default_senders(settings: Settings | None = None) -> dict[OutboxChannel, Sender]:
    """Slack and SMTP as configured by the environment (services.settings)."""
    settings = settings or get_settings()

    def link(job: OutboxJob) -> str:
        return settings.base_url + job.payload.get("path", "/")

    def send_slack(job: OutboxJob) -> None:
        slack.post(
            text=slack.message_text(job.payload["text"], link(job)),
            channel=job.slack_channel,
            webhook_url=job.slack_webhook_url,
            token=settings.slack_bot_token,
            base_url=settings.slack_base_url,
        )

    def send_email(job: OutboxJob) -> None:
        p = job.payload
        if p.get("kind") == "review":  # Share With Client's review email
            message = email.compose_review(
                sender=settings.mail_from,
                to=p["to"],
                subject=p["text"],
                url=link(job),
                project=p.get("project", ""),
                item=p.get("item", ""),
                task=p.get("task", ""),
                version=p.get("version", ""),
                message=p.get("message", ""),
                expires=p.get("expires", ""),
            )
        else:
            message = email.compose(
                sender=settings.mail_from,
                to=p["to"],
                name=p.get("name", ""),
                headline=p["text"],
                url=link(job),
            )
        email.send(
            message,
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            tls=settings.smtp_tls,
        )

    return {OutboxChannel.SLACK: send_slack, OutboxChannel.EMAIL: send_email}
