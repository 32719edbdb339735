"""Slack and email deliveries that went wrong, for the people who run the studio (ADMIN,
PRODUCER): the outbox messages that FAILED for good and those still retrying, and "Retry now"
for a failed one.

Retrying starts a failed message over (PENDING, due now, attempts from zero: the whole backoff
schedule again; the old error is cleared, so a claimed message with no error is in flight); the
outbox worker sends it like any other, claims and de-duplication included
(services/outbox.py). A message still retrying is not offered a retry: it may be in flight at
this very moment, and moving it would let a second worker send it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, and_, or_, select

from models import OutboxChannel, OutboxMessage, OutboxState, Project
from models.base import utcnow
from services import permissions
from services.errors import Conflict, NotFound
from services.schemas import UserRead

MAX_LIST = 100
FAILED, RETRYING = "FAILED", "RETRYING"

_T = OutboxMessage.__table__


@dataclass(frozen=True)
class DeliveryRead:
    id: int
    channel: str  # "SLACK" | "EMAIL"
    status: str  # FAILED | RETRYING | PENDING (queued again) | SENT
    target: str  # "#vfx-nightfall", "Slack webhook", "ada@studio.test"
    text: str  # what it says: "SH010 COMP task ready for review"
    error: str  # the last attempt's error
    attempts: int
    project_code: str
    created_at: datetime
    next_attempt_at: datetime | None  # RETRYING: when the worker tries again
    can_retry: bool
    in_flight: bool  # claimed by a worker and not answered yet (no error since the claim)


def _target(m: OutboxMessage, project: Project | None) -> str:
    payload = m.payload or {}
    if m.channel is OutboxChannel.EMAIL:
        return str(payload.get("to") or "?")
    if project is not None and project.slack_webhook_url:
        return "Slack webhook"  # the URL is a secret: never shown
    if project is not None and project.slack_channel:
        channel = project.slack_channel
        return channel if channel.startswith(("#", "C", "G")) else f"#{channel}"
    return "Slack (not configured)"


def _status(m: OutboxMessage) -> str:
    if m.state is OutboxState.FAILED:
        return FAILED
    if m.state is OutboxState.PENDING and m.attempts > 0:
        return RETRYING
    return m.state.value


def _read(m: OutboxMessage, project: Project | None) -> DeliveryRead:
    status = _status(m)
    payload = m.payload or {}
    return DeliveryRead(
        id=m.id,
        channel=m.channel.value,
        status=status,
        target=_target(m, project),
        text=str(payload.get("text") or payload.get("subject") or payload.get("kind") or ""),
        error=m.last_error or "",
        attempts=m.attempts,
        project_code=project.code if project is not None else "",
        created_at=m.created_at,
        next_attempt_at=m.next_attempt_at if status == RETRYING else None,
        can_retry=status == FAILED,
        in_flight=status == RETRYING and m.last_error is None,
    )


def _projects(session: Session, rows: list[OutboxMessage]) -> dict[int, Project]:
    ids = {m.project_id for m in rows if m.project_id is not None}
    return {p.id: p for p in session.exec(select(Project).where(Project.id.in_(ids or {-1})))}


def list_problems(session: Session, *, actor: UserRead, limit: int = 50) -> list[DeliveryRead]:
    """Failed deliveries first, then those retrying; newest first within each."""
    permissions.require(actor, "delivery.manage")
    failed_first = sa.case((OutboxMessage.state == OutboxState.FAILED, 0), else_=1)
    rows = list(
        session.exec(
            select(OutboxMessage)
            .where(
                or_(
                    OutboxMessage.state == OutboxState.FAILED,
                    and_(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.attempts > 0),
                )
            )
            .order_by(failed_first, OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
            .limit(max(1, min(int(limit), MAX_LIST)))
        ).all()
    )
    projects = _projects(session, rows)
    return [_read(m, projects.get(m.project_id)) for m in rows]


def get(session: Session, *, actor: UserRead, delivery_id: int) -> DeliveryRead:
    permissions.require(actor, "delivery.manage")
    m = session.get(OutboxMessage, delivery_id)
    if m is None:
        raise NotFound("Delivery not found.")
    return _read(m, session.get(Project, m.project_id) if m.project_id else None)


def retry(session: Session, *, actor: UserRead, delivery_id: int) -> DeliveryRead:
    """Queue a failed delivery again, due now; the outbox worker sends it."""
    permissions.require(actor, "delivery.manage")
    m = session.get(OutboxMessage, delivery_id)
    if m is None:
        raise NotFound("Delivery not found.")
    if m.state is OutboxState.SENT:
        raise Conflict("This message was already delivered.")
    if m.state is not OutboxState.FAILED:
        raise Conflict("This message is still being retried automatically.")
    # Conditional: two producers clicking at once queue it once.
    changed = session.execute(
        sa.update(_T)
        .where(_T.c.id == m.id, _T.c.state == OutboxState.FAILED)
        .values(state=OutboxState.PENDING, attempts=0, next_attempt_at=utcnow(), last_error=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise Conflict("Someone else retried it just now.")
    session.expire(m)
    return get(session, actor=actor, delivery_id=m.id)
