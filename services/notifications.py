"""Notifications: who hears about what, and the bell's read API.

They are written by subscribers to domain events (`install()`), after the action that caused
them has committed, in their own unit of work (services.notification_events), and by the overdue
job (services.overdue). In that same unit, the Slack and email deliveries are queued in the
outbox (services.outbox), to be sent later by the worker: nothing here talks to Slack or SMTP.
After commit each new row announces itself with a "notification.created" event (user_id) for
live push.

Rules: the actor never hears about their own action; a CLIENT never gets a notification. The
client portal and review links have no bell, so a row for a client would wait unseen forever;
clients hear of a shared version from the review email of the share flow (services.sharing),
and see it in the portal at once. Notifications are the studio's.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, func, select

from models import (
    Asset,
    Notification,
    NotificationType,
    OutboxChannel,
    Project,
    Role,
    Shot,
    Task,
    TaskWatcher,
    User,
)
from models.base import utcnow
from services import events, notification_preferences, outbox
from services.db import session_scope
from services.errors import NotFound
from services.schemas import UserRead
from services.settings import get_settings

T = NotificationType

# Who hears about what (names of Parties fields). The actor is always taken out.
RECIPIENT_RULES: dict[NotificationType, frozenset[str]] = {
    T.TASK_ASSIGNED: frozenset({"assignee"}),
    T.TASK_READY_FOR_REVIEW: frozenset({"supervisor", "watchers"}),
    T.TASK_APPROVED: frozenset({"artist", "supervisor", "watchers"}),
    T.TASK_CHANGES_REQUESTED: frozenset({"artist", "supervisor", "watchers"}),
    T.TASK_OVERDUE: frozenset({"artist", "supervisor"}),
    T.COMMENT_ADDED: frozenset({"artist", "supervisor", "watchers"}),
    T.VERSION_SHARED: frozenset({"artist", "supervisor", "watchers"}),
}

MAX_LIST = 100


@dataclass(frozen=True)
class Parties:
    """The people around a task when something happened to it."""

    assignee: int | None = None  # the artist just assigned
    artist: int | None = None
    supervisor: int | None = None
    watchers: frozenset[int] = frozenset()


def recipients(kind: NotificationType, parties: Parties, *, actor_id: int | None) -> set[int]:
    """The user ids the rules name for `kind`, never the actor (roles are checked later)."""
    ids: set[int] = set()
    for part in RECIPIENT_RULES[kind]:
        value = getattr(parties, part)
        ids |= set(value) if isinstance(value, (set, frozenset, tuple, list)) else {value}
    return ids - {None, actor_id}


@dataclass(frozen=True)
class Occurrence:
    """One thing that happened, worded for the people who hear about it."""

    kind: NotificationType
    key: str  # names this happening once: the outbox's dedupe keys derive from it
    project_id: int
    text: str  # "SH010 COMP task ready for review"
    link: str  # "/tasks/12" or "/review/34"
    task_id: int | None = None
    version_id: int | None = None
    slack_text: str | None = None  # the channel's wording when it differs ("… assigned to Ada")


# ---------------------------------------------------------------- wording and links


def task_link(task_id: int) -> str:
    return f"/tasks/{task_id}"


def review_link(version_id: int, frame: int | None = None) -> str:
    """The review room; `frame` is a frame number as shown (project start frame + index)."""
    return f"/review/{version_id}" if frame is None else f"/review/{version_id}?frame={frame}"


def item_label(session: Session, task: Task) -> str:
    """The shot code, or the asset code as the spec writes it: ASSET_CAR01."""
    if task.shot_id is not None:
        shot = session.get(Shot, task.shot_id)
        return shot.code if shot else "?"
    asset = session.get(Asset, task.asset_id)
    code = asset.asset_code if asset else "?"
    return code if code.upper().startswith("ASSET_") else f"ASSET_{code}"


def task_name(session: Session, task: Task) -> str:
    """ "SH010 COMP task", "ASSET_CAR01 MODEL task"."""
    return f"{item_label(session, task)} {task.type} task"


def task_parties(session: Session, task: Task) -> Parties:
    watchers = session.exec(select(TaskWatcher.user_id).where(TaskWatcher.task_id == task.id))
    return Parties(
        artist=task.assigned_artist_id,
        supervisor=task.assigned_supervisor_id,
        watchers=frozenset(watchers),
    )


# ---------------------------------------------------------------- writing


def _payload(occ: Occurrence) -> dict:
    # Shown as is by the bell: wording, link and ids to navigate, nothing else (no comment
    # bodies, notes, emails).
    return {
        "text": occ.text,
        "link": occ.link,
        "project_id": occ.project_id,
        "task_id": occ.task_id,
        "version_id": occ.version_id,
    }


def notify(
    session: Session, occ: Occurrence, parties: Parties, *, actor_id: int | None
) -> list[int]:
    """Write the in-app notifications of one occurrence and queue its Slack and email
    deliveries, in the caller's unit of work; returns the user ids notified."""
    ids = recipients(occ.kind, parties, actor_id=actor_id)
    if not ids:
        return []
    users = session.exec(
        select(User)
        .where(User.id.in_(ids), User.is_active, User.role != Role.CLIENT)  # (see the rules)
        .order_by(User.id)
    ).all()
    settings = get_settings()
    wanted = notification_preferences.channels_for(session, ids, occ.kind)
    notified: list[Notification] = []
    slack_wanted = False
    for user in users:
        row = Notification(user_id=user.id, type=occ.kind, payload=_payload(occ))
        session.add(row)
        notified.append(row)
        channels = wanted[user.id]
        slack_wanted = slack_wanted or channels.slack
        if channels.email and settings.smtp_host:
            outbox.enqueue(
                session,
                channel=OutboxChannel.EMAIL,
                dedupe_key=f"email:{occ.key}:u{user.id}",
                project_id=occ.project_id,
                payload={
                    "kind": occ.kind.value,
                    "to": user.email,
                    "name": user.name,
                    "text": occ.text,
                    "path": occ.link,
                },
            )
    project = session.get(Project, occ.project_id)
    if slack_wanted and project is not None and outbox.slack_configured(project, settings):
        # One message to the project's channel, sent if anyone it concerns wants Slack for it.
        outbox.enqueue(
            session,
            channel=OutboxChannel.SLACK,
            dedupe_key=f"slack:{occ.key}",
            project_id=occ.project_id,
            payload={"kind": occ.kind.value, "text": occ.slack_text or occ.text, "path": occ.link},
        )
    session.flush()
    for row in notified:
        events.emit(
            session,
            "notification.created",
            occ.project_id,
            user_id=row.user_id,
            notification_id=row.id,
            type=occ.kind.value,
        )
    return [row.user_id for row in notified]


# ---------------------------------------------------------------- subscribing to events

SessionFactory = Callable[[], AbstractContextManager[Session]]
_subscriber: events.Subscriber | None = None


def install(session_factory: SessionFactory | None = None) -> None:
    """Subscribe the notification writers to the domain events. Called once by the app (at
    its lifespan) and by the CLI; calling it again replaces the subscription, never doubles
    it. `session_factory` opens the subscriber's own unit of work (default: session_scope)."""
    global _subscriber
    from services import notification_events  # it builds on this module

    uninstall()
    factory = session_factory or session_scope
    handlers = notification_events.HANDLERS

    def write_notifications(event: events.DomainEvent) -> None:
        with factory() as session:
            handlers[event.name](session, event)

    _subscriber = events.subscribe(write_notifications, set(handlers))


def uninstall() -> None:
    global _subscriber
    if _subscriber is not None:
        events.unsubscribe(_subscriber)
        _subscriber = None


def installed() -> bool:
    return _subscriber is not None


# ---------------------------------------------------------------- the bell (read API)


@dataclass(frozen=True)
class NotificationRead:
    id: int
    type: str
    text: str  # "SH010 COMP task ready for review"
    link: str  # "/tasks/12", "/review/34?frame=1013"
    is_read: bool
    created_at: datetime
    read_at: datetime | None
    project_id: int | None
    task_id: int | None
    version_id: int | None
    project_code: str = ""  # "HBR": shot codes repeat across projects, the bell says whose


def _read(n: Notification, codes: dict[int, str] | None = None) -> NotificationRead:
    p = n.payload or {}
    return NotificationRead(
        id=n.id,
        type=n.type.value,
        text=p.get("text", ""),
        link=p.get("link", "/"),
        is_read=n.read_at is not None,
        created_at=n.created_at,
        read_at=n.read_at,
        project_id=p.get("project_id"),
        task_id=p.get("task_id"),
        version_id=p.get("version_id"),
        project_code=(codes or {}).get(p.get("project_id"), ""),
    )


def _outside_archived_projects() -> sa.ColumnElement[bool]:
    """The bell leaves out what is about an archived project; unarchiving brings it back."""
    project_id = Notification.payload["project_id"].as_integer()
    archived = select(Project.id).where(Project.archived_at.is_not(None))
    return sa.or_(project_id.is_(None), project_id.not_in(archived))


def list_for_user(
    session: Session, *, actor: UserRead, limit: int = 20, unread_only: bool = False
) -> list[NotificationRead]:
    """The actor's own notifications, newest first, each with its project's code; none
    about an archived project."""
    q = select(Notification).where(Notification.user_id == actor.id, _outside_archived_projects())
    if unread_only:
        q = q.where(Notification.read_at.is_(None))
    q = q.order_by(Notification.created_at.desc(), Notification.id.desc())
    rows = session.exec(q.limit(max(1, min(int(limit), MAX_LIST)))).all()
    ids = {(n.payload or {}).get("project_id") for n in rows} - {None}
    codes = (
        dict(session.exec(select(Project.id, Project.code).where(Project.id.in_(ids))).all())
        if ids
        else {}
    )
    return [_read(n, codes) for n in rows]


def unread_count(session: Session, *, actor: UserRead) -> int:
    return count_unread(session, user_id=actor.id)


def count_unread(session: Session, *, user_id: int) -> int:
    """The bell's number for one user: for live push, which sends it only to that user."""
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
            _outside_archived_projects(),
        )
    ).one()


def mark_read(session: Session, *, actor: UserRead, notification_id: int) -> NotificationRead:
    """Mark one of the actor's own notifications read; another's is "not found"."""
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != actor.id:
        raise NotFound("Notification not found.")
    if row.read_at is None:
        row.read_at = utcnow()
        session.add(row)
        session.flush()
        events.emit(session, "notification.read", None, user_id=actor.id)
    return _read(row)


def mark_all_read(session: Session, *, actor: UserRead) -> int:
    """Mark every unread notification of the actor read; returns how many were."""
    changed = session.execute(
        sa.update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        events.emit(session, "notification.read", None, user_id=actor.id)
    return changed
