"""Share With Client: client review sessions (links), sharing and withdrawing a version, the
people who review through a link without an account (guests), and the review email.

- A review session belongs to a project and exposes the versions added to it. Its link
  carries a token of 256 bits, HMAC(secret key, salt): the database keeps the salt and the
  token's SHA-256 only, so a copy of the database opens no link, yet the studio can copy a
  session's link again from the sessions page. Changing the secret key ends every link.
- A password, when set, is stored as a bcrypt hash. Wrong ones are throttled per session:
  FREE_ATTEMPTS, then a lock that doubles with each further failure (LOCK_BASE … LOCK_MAX),
  during which even the right password waits.
- Sharing marks the version client-visible, adds it to the session, moves its task to
  CLIENT_REVIEW (services.workflow), writes activity and emits `version.shared`
  (notifications, live pages). The review email goes through the outbox: a mail failure
  never blocks a share, it is retried and shown to the producer.
- A guest gives a name (and the password) once; their browser keeps a random guest token,
  only its hash is stored. Every event resolves it again: revoking or expiring the session
  ends every guest at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from models import (
    Approval,
    ApprovalStage,
    Comment,
    CommentVisibility,
    OutboxChannel,
    OutboxMessage,
    ProcessingState,
    Project,
    ReviewGuest,
    ReviewSession,
    ReviewSessionVersion,
    Role,
    Task,
    TaskStatus,
    User,
    Version,
)
from models.base import utcnow
from services import access, activity, auth, events, outbox, permissions, tasks, versions, workflow
from services.dates import date_label
from services.errors import DomainError, NotFound, ValidationError
from services.schemas import GuestRead, UserRead
from services.settings import Settings, get_settings

LINK_PREFIX = "/r/"
DEFAULT_DAYS = 14
MAX_DAYS = 365
FREE_ATTEMPTS = 5
LOCK_BASE = timedelta(seconds=30)
LOCK_MAX = timedelta(minutes=15)
MAX_RECIPIENTS = 50
SEEN_EVERY = timedelta(minutes=5)  # how often a guest's last_seen_at is written
_PURPOSE = b"feedback review link v1|"
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class SessionNeeded(DomainError):
    """The project has no active review session: the studio picks or creates one first."""


# ---------------------------------------------------------------- read models


@dataclass(frozen=True)
class NewSession:
    name: str = ""
    expires_on: date | None = None  # the last day the link works (UTC); default +14 days
    password: str = ""
    notify_client: bool = True


@dataclass(frozen=True)
class ReviewEmail:
    extra_addresses: str = ""  # comma, semicolon, space or newline separated
    message: str = ""
    to_project_contacts: bool = True


@dataclass(frozen=True)
class ReviewSessionRead:
    id: int
    project_id: int
    name: str
    state: str  # "active", "expired" or "revoked"
    expires_at: datetime | None
    created_at: datetime
    created_by_name: str
    has_password: bool
    notify_client: bool
    link: str  # the path (/r/<token>); "" for a session made without a copyable link
    version_count: int


@dataclass(frozen=True)
class SessionVersionRead:
    id: int
    title: str  # "SH010 COMP v004"
    shared: bool  # still client-visible
    added_at: datetime


@dataclass(frozen=True)
class ClientActivityRead:
    when: datetime
    text: str


@dataclass(frozen=True)
class ReviewSessionDetail:
    session: ReviewSessionRead
    versions: tuple[SessionVersionRead, ...]
    activity: tuple[ClientActivityRead, ...]
    guests: int


@dataclass(frozen=True)
class ShareCheck:
    version_id: int
    title: str
    can_share: bool
    reason: str  # why not, when not
    shared: bool
    sessions: tuple[ReviewSessionRead, ...]  # not revoked, newest first
    active_session_id: int | None  # the one a share goes to at once
    default_name: str
    default_expires_on: date
    client_emails: tuple[str, ...]
    email_ready: bool  # an SMTP server is configured


@dataclass(frozen=True)
class ShareResult:
    version_id: int
    title: str
    review_session_id: int
    session_name: str
    link: str
    created_session: bool
    emailed: tuple[str, ...]


@dataclass(frozen=True)
class LinkInfo:
    state: str  # "active", "expired", "revoked" or "invalid"
    needs_password: bool = False
    project_name: str = ""  # only for an active link
    session_name: str = ""


@dataclass(frozen=True)
class EnterResult:
    """Opening a link. Not an exception: a wrong password must be counted (committed)."""

    guest_token: str = ""
    guest: GuestRead | None = None
    error: str = ""
    retry_after: int = 0  # seconds, when throttled


# ---------------------------------------------------------------- tokens


def _token(salt: str, settings: Settings | None = None) -> str:
    key = (settings or get_settings()).secret_key.encode()
    digest = hmac.new(key, _PURPOSE + salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def link_path(row: ReviewSession, settings: Settings | None = None) -> str:
    return LINK_PREFIX + _token(row.token_salt, settings) if row.token_salt else ""


def _new_token(row: ReviewSession) -> str:
    row.token_salt = secrets.token_hex(16)
    token = _token(row.token_salt)
    row.token_hash = auth.token_hash(token)
    return token


def _state(row: ReviewSession, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def _session_read(
    row: ReviewSession, now: datetime, creator: str = "", count: int = 0
) -> ReviewSessionRead:
    return ReviewSessionRead(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        state=_state(row, now),
        expires_at=row.expires_at,
        created_at=row.created_at,
        created_by_name=creator,
        has_password=bool(row.password_hash),
        notify_client=row.notify_client,
        link=link_path(row),
        version_count=count,
    )


def _title(session: Session, version: Version) -> str:
    task = session.get(Task, version.task_id) if version.task_id else None
    parts = [access.parent_code(session, task), task.type] if task else []
    return " ".join([*parts, versions.label(version.number)])


def _sessions(session: Session, project_id: int, now: datetime) -> list[ReviewSessionRead]:
    counts = (
        select(sa.func.count())
        .where(ReviewSessionVersion.review_session_id == ReviewSession.id)
        .scalar_subquery()
    )
    rows = session.exec(
        select(ReviewSession, User.name, counts)
        .join(User, User.id == ReviewSession.created_by_id, isouter=True)
        .where(ReviewSession.project_id == project_id)
        .order_by(ReviewSession.created_at.desc(), ReviewSession.id.desc())
    ).all()
    return [_session_read(r, now, name or "", n) for r, name, n in rows]


def _load_session(session: Session, actor: UserRead, review_session_id: int) -> ReviewSession:
    row = access.get_or_404(session, ReviewSession, review_session_id, "Review session")
    access.load_project(session, actor, row.project_id, "project.view")
    permissions.require(actor, "version.share")
    return row


def _contacts(project: Project) -> list[str]:
    return [a for a in re.split(r"[\s,;]+", project.client_emails or "") if a]


def _addresses(project: Project, spec: ReviewEmail) -> list[str]:
    if not get_settings().smtp_host:
        raise ValidationError(
            "Email is not set up on this server (FEEDBACK_SMTP_HOST): copy the link instead."
        )
    wanted = (_contacts(project) if spec.to_project_contacts else []) + [
        a for a in re.split(r"[\s,;]+", spec.extra_addresses or "") if a
    ]
    bad = [a for a in wanted if not _EMAIL.match(a)]
    if bad:
        raise ValidationError(f"Not an email address: {', '.join(bad[:3])}")
    out = list(dict.fromkeys(a.lower() for a in wanted))
    if not out:
        raise ValidationError(
            "Add an address to send the review email to: this project has no client contacts."
        )
    if len(out) > MAX_RECIPIENTS:
        raise ValidationError(f"At most {MAX_RECIPIENTS} addresses per email.")
    return out


# ---------------------------------------------------------------- sessions (studio)


def create_session(
    session: Session,
    *,
    actor: UserRead,
    project_id: int,
    spec: NewSession,
    now: datetime | None = None,
) -> ReviewSessionRead:
    """A new client review link for the project."""
    now = now or utcnow()
    project = access.load_project(session, actor, project_id)
    permissions.require(actor, "version.share")
    name = (spec.name or "").strip() or default_name(project, now)
    if len(name) > 200:
        raise ValidationError("A review session name is at most 200 characters.")
    expires_on = spec.expires_on or (now + timedelta(days=DEFAULT_DAYS)).date()
    if expires_on < now.date():
        raise ValidationError("The expiry date is in the past.")
    if expires_on > (now + timedelta(days=MAX_DAYS)).date():
        raise ValidationError(f"A link lasts at most {MAX_DAYS} days.")
    password = spec.password or ""
    if password and len(password) < 4:
        raise ValidationError("A link password needs at least 4 characters.")
    row = ReviewSession(
        project_id=project.id,
        name=name,
        token_hash="",
        expires_at=_end_of(expires_on),
        password_hash=auth.hash_password(password) if password else None,
        notify_client=bool(spec.notify_client),
        created_by_id=actor.id,
        created_at=now,
    )
    _new_token(row)
    session.add(row)
    session.flush()
    activity.record(
        session,
        project_id=project.id,
        actor=actor,
        verb="review_session.created",
        target_type="review_session",
        target_id=row.id,
        text=f"{actor.name} created the client review link “{name}”",
    )
    return _session_read(row, now, actor.name)


def default_name(project: Project, now: datetime) -> str:
    return f"{project.name} {date_label(now)}"


def list_sessions(
    session: Session, *, actor: UserRead, project_id: int, now: datetime | None = None
) -> list[ReviewSessionDetail]:
    """The project's review sessions with their versions and the client's activity."""
    now = now or utcnow()
    access.load_project(session, actor, project_id)
    permissions.require(actor, "version.share")
    out = []
    for read in _sessions(session, project_id, now):
        held = session.exec(
            select(Version, ReviewSessionVersion.added_at)
            .join(ReviewSessionVersion, ReviewSessionVersion.version_id == Version.id)
            .where(ReviewSessionVersion.review_session_id == read.id)
            .order_by(ReviewSessionVersion.added_at.desc(), Version.id.desc())
        ).all()
        guests = session.exec(
            select(ReviewGuest).where(ReviewGuest.review_session_id == read.id)
        ).all()
        titles = {v.id: _title(session, v) for v, _ in held}
        out.append(
            ReviewSessionDetail(
                session=read,
                versions=tuple(
                    SessionVersionRead(
                        id=v.id, title=titles[v.id], shared=v.is_client_visible, added_at=at
                    )
                    for v, at in held
                ),
                activity=tuple(_client_activity(session, titles, guests)),
                guests=len(guests),
            )
        )
    return out


def _client_activity(
    session: Session, titles: dict[int, str], guests: list[ReviewGuest], limit: int = 20
) -> list[ClientActivityRead]:
    """What the client did on these versions: comments, decisions, and link visits."""
    lines: list[ClientActivityRead] = [
        ClientActivityRead(g.created_at, f"{g.name} opened the link") for g in guests
    ]
    version_ids = list(titles)
    if version_ids:
        for c, u in session.exec(
            select(Comment, User)
            .join(User, User.id == Comment.author_id, isouter=True)
            .where(
                Comment.version_id.in_(version_ids),
                Comment.visibility == CommentVisibility.CLIENT,
                Comment.deleted_at.is_(None),
                sa.or_(Comment.guest_name.is_not(None), User.role == Role.CLIENT),
            )
        ).all():
            who = u.name if u else c.guest_name
            lines.append(
                ClientActivityRead(c.created_at, f"{who} commented on {titles[c.version_id]}")
            )
        for a, u in session.exec(
            select(Approval, User)
            .join(User, User.id == Approval.user_id, isouter=True)
            .where(Approval.version_id.in_(version_ids), Approval.stage == ApprovalStage.CLIENT)
        ).all():
            who = u.name if u else a.guest_name
            verb = "approved" if a.decision.value == "APPROVED" else "requested changes on"
            lines.append(ClientActivityRead(a.created_at, f"{who} {verb} {titles[a.version_id]}"))
    lines.sort(key=lambda line: line.when, reverse=True)
    return lines[:limit]


def extend_session(
    session: Session,
    *,
    actor: UserRead,
    review_session_id: int,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> ReviewSessionRead:
    """Give the link `days` more (from today if it had expired), at most MAX_DAYS ahead."""
    now = now or utcnow()
    row = _load_session(session, actor, review_session_id)
    if row.revoked_at is not None:
        raise ValidationError("This link was revoked; create a new one.")
    if not 1 <= int(days) <= MAX_DAYS:
        raise ValidationError(f"Extend by 1 to {MAX_DAYS} days.")
    base = max(row.expires_at or now, now)
    row.expires_at = min(
        _end_of((base + timedelta(days=int(days))).date()), now + timedelta(days=MAX_DAYS)
    )
    session.add(row)
    activity.record(
        session,
        project_id=row.project_id,
        actor=actor,
        verb="review_session.extended",
        target_type="review_session",
        target_id=row.id,
        text=f"{actor.name} extended “{row.name}” to {date_label(row.expires_at)}",
    )
    _emit_session(session, row, actor)
    return _session_read(row, now, "")


def revoke_session(
    session: Session, *, actor: UserRead, review_session_id: int, now: datetime | None = None
) -> ReviewSessionRead:
    """End the link for good: its page says so, its guests are out at their next step."""
    now = now or utcnow()
    row = _load_session(session, actor, review_session_id)
    if row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
        activity.record(
            session,
            project_id=row.project_id,
            actor=actor,
            verb="review_session.revoked",
            target_type="review_session",
            target_id=row.id,
            text=f"{actor.name} revoked the client review link “{row.name}”",
        )
        _emit_session(session, row, actor)
    return _session_read(row, now, "")


def _emit_session(session: Session, row: ReviewSession, actor: UserRead) -> None:
    events.emit(
        session,
        "review_session.changed",
        row.project_id,
        review_session_id=row.id,
        actor_id=actor.id,
    )


# ---------------------------------------------------------------- sharing


def share_check(
    session: Session, *, actor: UserRead, version_id: int, now: datetime | None = None
) -> ShareCheck:
    """What the Share With Client button needs: may it share now, and where to."""
    now = now or utcnow()
    version = access.load_version(session, actor, version_id)
    permissions.require(actor, "version.share", access.version_target(session, actor, version))
    project = session.get(Project, version.project_id)
    sessions = [s for s in _sessions(session, version.project_id, now) if s.state != "revoked"]
    active = next((s.id for s in sessions if s.state == "active"), None)
    return ShareCheck(
        version_id=version.id,
        title=_title(session, version),
        can_share=(reason := _not_ready(version)) == "",
        reason=reason,
        shared=version.is_client_visible,
        sessions=tuple(sessions),
        active_session_id=active,
        default_name=default_name(project, now),
        default_expires_on=(now + timedelta(days=DEFAULT_DAYS)).date(),
        client_emails=tuple(_contacts(project)),
        email_ready=bool(get_settings().smtp_host),
    )


def _not_ready(version: Version) -> str:
    label = versions.label(version.number)
    if version.task_id is None:
        return f"{label} belongs to no task."
    if version.processing_state is ProcessingState.FAILED:
        return f"{label} failed to process; retry it before sharing."
    if version.processing_state is not ProcessingState.READY or not version.proxy_key:
        return f"{label} is still processing; share it when it is ready."
    return ""


def share_version(
    session: Session,
    *,
    actor: UserRead,
    version_id: int,
    review_session_id: int | None = None,
    new_session: NewSession | None = None,
    email: ReviewEmail | None = None,
    now: datetime | None = None,
) -> ShareResult:
    """Share With Client. Into `review_session_id`, or a session made from `new_session`, or
    else the project's newest active session (SessionNeeded when there is none)."""
    now = now or utcnow()
    version = access.load_version(session, actor, version_id)
    permissions.require(actor, "version.share", access.version_target(session, actor, version))
    reason = _not_ready(version)
    if reason:
        raise ValidationError(reason)
    project = session.get(Project, version.project_id)
    recipients = _addresses(project, email) if email is not None else []
    created = False
    if new_session is not None:
        read = create_session(
            session, actor=actor, project_id=version.project_id, spec=new_session, now=now
        )
        row, created = session.get(ReviewSession, read.id), True
    elif review_session_id is not None:
        row = _load_session(session, actor, int(review_session_id))
        if row.project_id != version.project_id:
            raise NotFound("Review session not found.")
        state = _state(row, now)
        if state == "revoked":
            raise ValidationError("That link was revoked; pick another or create a new one.")
        if state == "expired":  # picking an expired session brings it back for a while
            row.expires_at = _end_of((now + timedelta(days=DEFAULT_DAYS)).date())
    else:
        active = [s for s in _sessions(session, version.project_id, now) if s.state == "active"]
        if not active:
            raise SessionNeeded("Create a review link for the client first.")
        row = session.get(ReviewSession, active[0].id)
    if not row.token_salt:
        _new_token(row)  # a session without a copyable link gets one
    session.add(row)

    task = session.get(Task, version.task_id)
    title = _title(session, version)
    first_time = not version.is_client_visible
    version.is_client_visible = True
    if first_time or version.shared_at is None:
        version.shared_at, version.shared_by_id = now, actor.id
    session.add(version)
    if session.get(ReviewSessionVersion, (row.id, version.id)) is None:
        session.add(
            ReviewSessionVersion(
                review_session_id=row.id, version_id=version.id, added_by_id=actor.id, added_at=now
            )
        )
    session.flush()
    if first_time:
        activity.record(
            session,
            project_id=version.project_id,
            actor=actor,
            verb="version.shared",
            target_type="version",
            target_id=version.id,
            task_id=task.id,
            text=f"{actor.name} shared {title} with the client",
        )
    if task.status is not TaskStatus.DONE:
        tasks.apply_trigger(
            session, task=task, trigger=workflow.Trigger.SHARED_WITH_CLIENT, actor=actor
        )
    link = link_path(row)
    for address in recipients:
        _queue_email(session, row, version, task, project, title, link, address, email, now)
    events.emit(
        session,
        "version.shared",
        version.project_id,
        version_id=version.id,
        task_id=task.id,
        review_session_id=row.id,
        notify_client=row.notify_client,
        actor_id=actor.id,
    )
    return ShareResult(
        version_id=version.id,
        title=title,
        review_session_id=row.id,
        session_name=row.name,
        link=link,
        created_session=created,
        emailed=tuple(recipients),
    )


def _queue_email(
    session: Session,
    row: ReviewSession,
    version: Version,
    task: Task,
    project: Project,
    title: str,
    link: str,
    address: str,
    spec: ReviewEmail,
    now: datetime,
) -> None:
    outbox.enqueue(
        session,
        channel=OutboxChannel.EMAIL,
        dedupe_key=f"review:s{row.id}:v{version.id}:{address}:{now.timestamp():.0f}",
        project_id=project.id,
        payload={
            "kind": "review",
            "to": address,
            "text": f"{project.name}: {title} is ready for your review",
            "path": link,
            "project": project.name,
            "item": access.parent_code(session, task),
            "task": task.type,
            "version": versions.label(version.number),
            "message": (spec.message or "").strip()[:5000],
            "expires": date_label(row.expires_at) if row.expires_at else "",
        },
    )


def send_review_email(
    session: Session,
    *,
    actor: UserRead,
    review_session_id: int,
    version_id: int,
    email: ReviewEmail,
    now: datetime | None = None,
) -> tuple[str, ...]:
    """Send (again) the review email of a version already in the session."""
    now = now or utcnow()
    row = _load_session(session, actor, review_session_id)
    version = access.load_version(session, actor, version_id)
    if session.get(ReviewSessionVersion, (row.id, version.id)) is None or not (
        version.is_client_visible
    ):
        raise ValidationError("Share the version in this session first.")
    if _state(row, now) != "active":
        raise ValidationError("This link no longer works; extend it or create a new one.")
    project = session.get(Project, version.project_id)
    recipients = _addresses(project, email)
    task = session.get(Task, version.task_id)
    title, link = _title(session, version), link_path(row)
    for address in recipients:
        _queue_email(session, row, version, task, project, title, link, address, email, now)
    return tuple(recipients)


def links_for_version(
    session: Session, *, actor: UserRead, version_id: int, now: datetime | None = None
) -> list[str]:
    """The active links that show this version, newest session first (Copy link)."""
    now = now or utcnow()
    version = access.load_version(session, actor, version_id)
    permissions.require(actor, "version.share", access.version_target(session, actor, version))
    rows = session.exec(
        select(ReviewSession)
        .join(ReviewSessionVersion, ReviewSessionVersion.review_session_id == ReviewSession.id)
        .where(ReviewSessionVersion.version_id == version.id)
        .order_by(ReviewSession.created_at.desc(), ReviewSession.id.desc())
    ).all()
    return [link_path(r) for r in rows if _state(r, now) == "active" and r.token_salt]


def undo_share(
    session: Session,
    *,
    actor: UserRead,
    version_id: int,
    review_session_id: int | None = None,
    now: datetime | None = None,
) -> str:
    """The share toast's Undo: withdraw the version (unshare_version) and, when that share
    made a new review link for it (`review_session_id`, from ShareResult), let the link go
    too. Returns what became of the link: "removed", "revoked" or "kept".

    The link counts as made by that share only if the server agrees, whatever the browser
    sends: the actor created it, in the same instant the version was put in it (share_version
    gives both one `now`), and the version is the only thing it holds. Anything else (a link
    picked from the list, one someone has added to since) is kept as it is.

    Such a link is deleted only while nobody can have used it: no guest has opened it, no
    password was tried on it, no review email was queued with it. Once a client may hold it,
    deleting would turn it into "invalid link" and erase the record of who opened it and
    when, which the studio keeps (the sessions page lists it); so it is revoked instead: it
    says it has ended, holds nothing, and cannot later be reused to show something by
    accident, since a revoked link is never picked for a new share."""
    now = now or utcnow()
    made: ReviewSession | None = None
    if review_session_id is not None:
        row = _load_session(session, actor, int(review_session_id))
        # Locked until commit, as enter_link locks it: a guest entering meanwhile waits, then
        # finds the link gone or revoked; one already in is seen below and keeps the link.
        session.refresh(row, with_for_update=True)
        held = session.exec(
            select(ReviewSessionVersion).where(ReviewSessionVersion.review_session_id == row.id)
        ).all()
        if (
            row.created_by_id == actor.id
            and len(held) == 1
            and held[0].version_id == int(version_id)
            and _same_instant(held[0].added_at, row.created_at)
        ):
            made = row
    withdrawn = unshare_version(session, actor=actor, version_id=version_id, now=now)
    if made is None or not withdrawn:
        return "kept"
    if _may_have_reached_a_client(session, made):
        if made.revoked_at is None:
            revoke_session(session, actor=actor, review_session_id=made.id, now=now)
        return "revoked"
    activity.record(
        session,
        project_id=made.project_id,
        actor=actor,
        verb="review_session.removed",
        target_type="review_session",
        target_id=made.id,
        text=f"{actor.name} removed the unused client review link “{made.name}” (share undone)",
    )
    _emit_session(session, made, actor)
    session.delete(made)
    session.flush()
    return "removed"


def _same_instant(a: datetime, b: datetime) -> bool:
    """Timestamps read back from SQLite lose their zone; Postgres keeps it."""
    return a.replace(tzinfo=None) == b.replace(tzinfo=None)


def _may_have_reached_a_client(session: Session, row: ReviewSession) -> bool:
    opened = session.exec(
        select(ReviewGuest.id).where(ReviewGuest.review_session_id == row.id)
    ).first()
    emailed = session.exec(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key.startswith(f"review:s{row.id}:"))
    ).first()
    return opened is not None or emailed is not None or row.failed_attempts > 0


def unshare_version(
    session: Session, *, actor: UserRead, version_id: int, now: datetime | None = None
) -> bool:
    """Withdraw a version from the client: it leaves every portal and link at once. A task
    waiting on the client goes back to Internal Review when nothing else of it is shared."""
    version = access.load_version(session, actor, version_id)
    permissions.require(actor, "version.share", access.version_target(session, actor, version))
    if not version.is_client_visible:
        return False
    version.is_client_visible = False
    session.add(version)
    session.exec(
        sa.delete(ReviewSessionVersion).where(ReviewSessionVersion.version_id == version.id)
    )
    task = session.get(Task, version.task_id) if version.task_id else None
    title = _title(session, version)
    if task is not None:
        activity.record(
            session,
            project_id=version.project_id,
            actor=actor,
            verb="version.unshared",
            target_type="version",
            target_id=version.id,
            task_id=task.id,
            text=f"{actor.name} withdrew {title} from the client",
        )
        others = session.exec(
            select(Version.id).where(
                Version.task_id == task.id, Version.is_client_visible, Version.id != version.id
            )
        ).first()
        if task.status is TaskStatus.CLIENT_REVIEW and others is None:
            tasks.move(session, actor=actor, task_id=task.id, status="INTERNAL_REVIEW")
    session.flush()
    events.emit(
        session,
        "version.unshared",
        version.project_id,
        version_id=version.id,
        task_id=version.task_id,
        actor_id=actor.id,
    )
    return True


# ---------------------------------------------------------------- links (guests)


def _by_token(session: Session, token: str, *, lock: bool = False) -> ReviewSession | None:
    token = (token or "").strip()
    if not token or len(token) > 200:
        return None
    query = select(ReviewSession).where(ReviewSession.token_hash == auth.token_hash(token))
    return session.exec(query.with_for_update() if lock else query).first()


def open_link(session: Session, *, token: str, now: datetime | None = None) -> LinkInfo:
    """What a link's page may say before anyone is let in. An invalid, expired or revoked
    link says only that."""
    now = now or utcnow()
    row = _by_token(session, token)
    if row is None:
        return LinkInfo(state="invalid")
    state = _state(row, now)
    if state != "active":
        return LinkInfo(state=state)
    project = session.get(Project, row.project_id)
    return LinkInfo(
        state="active",
        needs_password=bool(row.password_hash),
        project_name=project.name,
        session_name=row.name,
    )


def enter_link(
    session: Session, *, token: str, name: str, password: str = "", now: datetime | None = None
) -> EnterResult:
    """A guest's way in: their name, and the password when the link has one. Wrong passwords
    are counted and throttled; the caller commits either way.

    The link is locked until commit, so a share's Undo (undo_share) either sees this guest
    and keeps the link, or has removed or revoked it before this reads it; wrong passwords
    counted at once are all counted."""
    now = now or utcnow()
    row = _by_token(session, token, lock=True)
    if row is None or _state(row, now) != "active":
        return EnterResult(error="This review link is not valid any more.")
    name = " ".join((name or "").split())
    if not name:
        return EnterResult(error="Tell the studio who you are: enter your name.")
    if len(name) > 120:
        return EnterResult(error="A name is at most 120 characters.")
    if row.password_hash:
        if row.locked_until is not None and row.locked_until > now:
            wait = int((row.locked_until - now).total_seconds()) + 1
            return EnterResult(
                error=f"Too many wrong passwords. Try again in {wait} s.", retry_after=wait
            )
        if not auth.verify_password(password or "", row.password_hash):
            row.failed_attempts += 1
            over = row.failed_attempts - FREE_ATTEMPTS
            wait = 0
            if over >= 0:
                lock = min(LOCK_BASE * 2**over, LOCK_MAX)
                row.locked_until = now + lock
                wait = int(lock.total_seconds())
            session.add(row)
            message = "Wrong password."
            if wait:
                message += f" Too many tries: wait {wait} s."
            return EnterResult(error=message, retry_after=wait)
        row.failed_attempts, row.locked_until = 0, None
        session.add(row)
    guest_token = secrets.token_urlsafe(32)
    guest = ReviewGuest(
        review_session_id=row.id,
        name=name,
        token_hash=auth.token_hash(guest_token),
        created_at=now,
        last_seen_at=now,
    )
    session.add(guest)
    session.flush()
    return EnterResult(
        guest_token=guest_token,
        guest=GuestRead(
            guest_id=guest.id, name=name, review_session_id=row.id, project_id=row.project_id
        ),
    )


def resolve_guest(
    session: Session, *, guest_token: str, token: str | None = None, now: datetime | None = None
) -> GuestRead | None:
    """The guest behind a browser's guest token, while their session is active (and, given
    `token`, only for that link)."""
    if not guest_token:
        return None
    now = now or utcnow()
    found = session.exec(
        select(ReviewGuest, ReviewSession)
        .join(ReviewSession, ReviewSession.id == ReviewGuest.review_session_id)
        .where(ReviewGuest.token_hash == auth.token_hash(guest_token))
    ).first()
    if found is None:
        return None
    guest, row = found
    if _state(row, now) != "active":
        return None
    if token is not None and not hmac.compare_digest(row.token_hash, auth.token_hash(token)):
        return None
    if now - guest.last_seen_at > SEEN_EVERY:
        guest.last_seen_at = now
        session.add(guest)
    return GuestRead(
        guest_id=guest.id, name=guest.name, review_session_id=row.id, project_id=row.project_id
    )
