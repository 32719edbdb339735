"""Per user and per notification type: Slack on or off, email on or off. In-app is always on.

A missing row means the type's default, so a new type or a new user needs no backfill.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, or_, select

from models import NotificationPreference, NotificationType, Project, ProjectMember, Role
from models.base import utcnow
from models.enums import STAFF_ROLES
from services import outbox
from services.errors import PermissionDenied, ValidationError
from services.schemas import UserRead
from services.settings import Settings, get_settings

T = NotificationType


@dataclass(frozen=True)
class Channels:
    slack: bool
    email: bool


# Comments are chatty: in-app only unless a user asks for more.
DEFAULTS: dict[NotificationType, Channels] = {
    T.TASK_ASSIGNED: Channels(slack=True, email=True),
    T.TASK_READY_FOR_REVIEW: Channels(slack=True, email=True),
    T.TASK_APPROVED: Channels(slack=True, email=True),
    T.TASK_CHANGES_REQUESTED: Channels(slack=True, email=True),
    T.TASK_OVERDUE: Channels(slack=True, email=True),
    T.COMMENT_ADDED: Channels(slack=False, email=False),
    T.VERSION_SHARED: Channels(slack=True, email=False),
}

LABELS: dict[NotificationType, str] = {
    T.TASK_ASSIGNED: "A task is assigned to me",
    T.TASK_READY_FOR_REVIEW: "A task is ready for review",
    T.TASK_APPROVED: "A task is approved",
    T.TASK_CHANGES_REQUESTED: "Changes are requested on a task",
    T.TASK_OVERDUE: "A task is overdue",
    T.COMMENT_ADDED: "Someone comments on a version",
    T.VERSION_SHARED: "A version is shared with the client",
}


@dataclass(frozen=True)
class PreferenceRead:
    type: str
    label: str
    slack: bool
    email: bool


def channels_for(
    session: Session, user_ids: Iterable[int], kind: NotificationType
) -> dict[int, Channels]:
    """Each user's channels for one type, defaults filled in."""
    ids = set(user_ids)
    chosen = {
        p.user_id: Channels(slack=p.slack, email=p.email)
        for p in session.exec(
            select(NotificationPreference).where(
                NotificationPreference.user_id.in_(ids or {-1}),
                NotificationPreference.type == kind,
            )
        )
    }
    return {uid: chosen.get(uid, DEFAULTS[kind]) for uid in ids}


def _parse_type(value: str) -> NotificationType:
    try:
        return NotificationType(value)
    except ValueError:
        raise ValidationError(f"Unknown notification type {value!r}.") from None


def _require_studio_user(actor: UserRead) -> None:
    # Slack is the studio's channel and a client's emails come with the share flow: a client
    # has nothing to choose here.
    if actor.role == Role.CLIENT.value or not actor.is_active:
        raise PermissionDenied("Notification settings are for studio accounts.")


def list_preferences(session: Session, *, actor: UserRead) -> list[PreferenceRead]:
    """The actor's settings for every type, in the order of the settings page."""
    _require_studio_user(actor)
    current = {
        p.type: p
        for p in session.exec(
            select(NotificationPreference).where(NotificationPreference.user_id == actor.id)
        )
    }
    out = []
    for kind in LABELS:
        row = current.get(kind)
        channels = Channels(row.slack, row.email) if row else DEFAULTS[kind]
        out.append(PreferenceRead(kind.value, LABELS[kind], channels.slack, channels.email))
    return out


def set_preference(
    session: Session,
    *,
    actor: UserRead,
    type: str,
    slack: bool | None = None,
    email: bool | None = None,
) -> PreferenceRead:
    """Turn Slack and/or email on or off for one type (None leaves that channel as it is)."""
    _require_studio_user(actor)
    kind = _parse_type(type)
    row = session.get(NotificationPreference, (actor.id, kind))
    if row is None:
        default = DEFAULTS[kind]
        row = NotificationPreference(
            user_id=actor.id, type=kind, slack=default.slack, email=default.email
        )
    if slack is not None:
        row.slack = bool(slack)
    if email is not None:
        row.email = bool(email)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return PreferenceRead(kind.value, LABELS[kind], row.slack, row.email)


@dataclass(frozen=True)
class Availability:
    """Whether a choice can take effect at all, for the settings page to say so."""

    slack: bool  # one of the actor's projects posts to Slack
    email: bool  # this server sends email (SMTP configured)


def availability(
    session: Session, *, actor: UserRead, settings: Settings | None = None
) -> Availability:
    _require_studio_user(actor)
    settings = settings or get_settings()
    q = select(Project).where(
        or_(Project.slack_webhook_url.is_not(None), Project.slack_channel.is_not(None))
    )
    if Role(actor.role) not in STAFF_ROLES:
        q = q.where(
            Project.id.in_(
                select(ProjectMember.project_id).where(ProjectMember.user_id == actor.id)
            )
        )
    slack = any(outbox.slack_configured(p, settings) for p in session.exec(q))
    return Availability(slack=slack, email=bool(settings.smtp_host))
