"""Local accounts: password hashing, sign-in sessions that expire, resolving a session.

Failed sign-ins are throttled, counted per email (FREE_PER_EMAIL tries) and per client address
(FREE_PER_ADDRESS, for one machine trying many emails): past the free tries each failure locks
that key for LOCK_BASE, doubling up to LOCK_MAX, and while locked even the right password
waits (nor is it checked: bcrypt costs CPU). A quiet QUIET_RESET after the last failure starts
the count again, and a successful sign-in clears its email's count. Failures are committed on a
connection of their own, so they count although the caller's unit of work rolls back on the
AuthError. Unknown emails are counted like known ones: the answers never tell them apart.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import bcrypt
import sqlalchemy as sa
from sqlmodel import Session, select

from models import LoginSession, LoginThrottle, User
from models.base import utcnow
from services.errors import AuthError
from services.schemas import UserRead
from services.settings import get_settings

MIN_PASSWORD_LENGTH = 8
FREE_PER_EMAIL = 5
FREE_PER_ADDRESS = 50
LOCK_BASE = timedelta(seconds=30)
LOCK_MAX = timedelta(minutes=15)
QUIET_RESET = timedelta(hours=1)


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(rounds=10)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode()[:72], password_hash.encode())
    except ValueError:
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id, email=user.email, name=user.name, role=user.role.value, is_active=user.is_active
    )


# A fixed hash so a sign-in for an unknown email costs as much as one for a known email.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds=10)).decode()


def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    client_ip: str | None = None,
    now: datetime | None = None,
) -> tuple[str, UserRead]:
    """Check the credentials and open a login session. Returns (token, user); the token is shown
    to the browser once and only its hash is stored. Throttled (see the module)."""
    now = now or utcnow()
    email = (email or "").strip().lower()
    keys = _throttle_keys(email, client_ip)
    wait = _locked_for(session, keys, now)
    if wait:
        raise AuthError(f"Too many failed sign-ins. Try again in {_duration(wait)}.")
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password or "", user.password_hash if user else _DUMMY_HASH)
    if user is None or not ok:
        wait = _count_failure(session, keys, now)
        message = "Wrong email or password."
        if wait:
            message += f" Too many tries: wait {_duration(wait)} before the next one."
        raise AuthError(message)
    if not user.is_active:
        raise AuthError("This account is disabled. Ask an admin.")
    session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == keys[0][0]))
    token = secrets.token_urlsafe(32)
    ttl = timedelta(hours=get_settings().session_ttl_hours)
    session.add(LoginSession(user_id=user.id, token_hash=token_hash(token), expires_at=now + ttl))
    session.flush()
    return token, user_read(user)


def password_reset(session: Session, *, user: User, by: UserRead) -> None:
    """After an admin sets someone's password: their other browsers are signed out (whoever
    had the old password is out too), and a lock from failed sign-ins on their email ends."""
    if user.id != by.id:
        session.execute(
            sa.update(LoginSession)
            .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    session.execute(
        sa.delete(LoginThrottle).where(LoginThrottle.key == token_hash(f"email:{user.email}"))
    )


def _throttle_keys(email: str, client_ip: str | None) -> list[tuple[str, int]]:
    """[(key, free tries)]: the email's first, then the client address's when known."""
    keys = [(token_hash(f"email:{email}"), FREE_PER_EMAIL)]
    if client_ip:
        keys.append((token_hash(f"ip:{client_ip.strip().lower()}"), FREE_PER_ADDRESS))
    return keys


def _locked_for(session: Session, keys: list[tuple[str, int]], now: datetime) -> int:
    """Seconds until every key may try again (0: none is locked)."""
    until = session.exec(
        select(sa.func.max(LoginThrottle.locked_until)).where(
            LoginThrottle.key.in_([k for k, _ in keys]), LoginThrottle.locked_until > now
        )
    ).one()
    return 0 if until is None else max(1, int((until - now).total_seconds() + 0.999))


def _count_failure(session: Session, keys: list[tuple[str, int]], now: datetime) -> int:
    """Count one failure on every key, committed at once on a connection of its own; returns
    the longest lock it caused, in seconds (0: still within the free tries)."""
    wait = timedelta(0)
    with Session(session.get_bind()) as side:
        for key, free in keys:
            row = side.exec(
                select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
            ).first()
            if row is None:
                row = LoginThrottle(key=key, failed_attempts=0, last_failed_at=now)
            elif now - row.last_failed_at > QUIET_RESET:
                row.failed_attempts, row.locked_until = 0, None
            row.failed_attempts += 1
            row.last_failed_at = now
            over = row.failed_attempts - free
            if over >= 0:
                lock = min(LOCK_BASE * 2**over, LOCK_MAX)
                row.locked_until = now + lock
                wait = max(wait, lock)
            side.add(row)
        try:
            side.commit()
        except sa.exc.IntegrityError:  # a concurrent first failure made a row: count again
            side.rollback()
            return _count_failure(session, keys, now)
    return int(wait.total_seconds())


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    minutes = -(-seconds // 60)
    return f"{minutes} min"


def resolve(session: Session, *, token: str | None) -> UserRead | None:
    """The user behind a session token, or None if missing, expired, revoked or disabled."""
    if not token:
        return None
    row = session.exec(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    login, user = row
    if login.revoked_at is not None or login.expires_at <= utcnow() or not user.is_active:
        return None
    return user_read(user)


def sign_out(session: Session, *, token: str | None) -> None:
    if not token:
        return
    login = session.exec(
        select(LoginSession).where(LoginSession.token_hash == token_hash(token))
    ).first()
    if login is not None and login.revoked_at is None:
        login.revoked_at = utcnow()
        session.add(login)
