"""Local accounts: password hashing, sign-in sessions that expire, resolving a session."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import bcrypt
from sqlmodel import Session, select

from models import LoginSession, User
from models.base import utcnow
from services.errors import AuthError
from services.schemas import UserRead
from services.settings import get_settings

MIN_PASSWORD_LENGTH = 8


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


def sign_in(session: Session, *, email: str, password: str) -> tuple[str, UserRead]:
    """Check the credentials and open a login session. Returns (token, user); the token is shown
    to the browser once and only its hash is stored."""
    email = (email or "").strip().lower()
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password or "", user.password_hash if user else _DUMMY_HASH)
    if user is None or not ok:
        raise AuthError("Wrong email or password.")
    if not user.is_active:
        raise AuthError("This account is disabled. Ask an admin.")
    token = secrets.token_urlsafe(32)
    ttl = timedelta(hours=get_settings().session_ttl_hours)
    session.add(
        LoginSession(user_id=user.id, token_hash=token_hash(token), expires_at=utcnow() + ttl)
    )
    session.flush()
    return token, user_read(user)


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
