"""Accounts and project membership (the admin page)."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from models import Project, ProjectMember, Role, User
from models.base import utcnow
from services import auth, permissions
from services.access import get_or_404
from services.errors import Conflict, ValidationError
from services.schemas import UserRead

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _validate(email: str, name: str, role: str, password: str | None) -> tuple[str, str, Role]:
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if not EMAIL_RE.match(email):
        raise ValidationError("Enter a valid email address.")
    if not name:
        raise ValidationError("Enter a name.")
    try:
        role_enum = Role(role)
    except ValueError:
        raise ValidationError(f"Unknown role {role!r}.") from None
    if password is not None and len(password) < auth.MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Password must be at least {auth.MIN_PASSWORD_LENGTH} characters.")
    return email, name, role_enum


def bootstrap_user(
    session: Session, *, email: str, name: str, role: str, password: str
) -> UserRead:
    """Create a user without an acting user: for the command line and the demo seed only."""
    email, name, role_enum = _validate(email, name, role, password)
    if session.exec(select(User).where(User.email == email)).first():
        raise Conflict(f"A user with email {email} already exists.")
    user = User(email=email, name=name, role=role_enum, password_hash=auth.hash_password(password))
    session.add(user)
    session.flush()
    return auth.user_read(user)


def create_user(
    session: Session, *, actor: UserRead, email: str, name: str, role: str, password: str
) -> UserRead:
    permissions.require(actor, "user.manage")
    return bootstrap_user(session, email=email, name=name, role=role, password=password)


def update_user(
    session: Session,
    *,
    actor: UserRead,
    user_id: int,
    role: str | None = None,
    is_active: bool | None = None,
    name: str | None = None,
    password: str | None = None,
) -> UserRead:
    permissions.require(actor, "user.manage")
    user = get_or_404(session, User, user_id, "User")
    if role is not None:
        try:
            new_role = Role(role)
        except ValueError:
            raise ValidationError(f"Unknown role {role!r}.") from None
        if user.id == actor.id and new_role is not Role.ADMIN:
            raise ValidationError("You cannot remove your own admin role.")
        user.role = new_role
    if is_active is not None:
        if user.id == actor.id and not is_active:
            raise ValidationError("You cannot disable your own account.")
        user.is_active = is_active
    if name is not None:
        if not name.strip():
            raise ValidationError("Enter a name.")
        user.name = name.strip()
    if password is not None:
        if len(password) < auth.MIN_PASSWORD_LENGTH:
            raise ValidationError(
                f"Password must be at least {auth.MIN_PASSWORD_LENGTH} characters."
            )
        user.password_hash = auth.hash_password(password)
        auth.password_reset(session, user=user, by=actor)
    user.updated_at = utcnow()
    session.add(user)
    session.flush()
    return auth.user_read(user)


def list_users(
    session: Session, *, actor: UserRead, include_inactive: bool = False
) -> list[UserRead]:
    """Staff see everyone (to assign work); others see nobody through this call."""
    permissions.require(actor, "task.manage")
    q = select(User).order_by(User.name)
    if not include_inactive:
        q = q.where(User.is_active)
    return [auth.user_read(u) for u in session.exec(q).all()]


def list_artists(session: Session, *, actor: UserRead) -> list[UserRead]:
    return [u for u in list_users(session, actor=actor) if u.role in ("ARTIST", "SUPERVISOR")]


def set_membership(
    session: Session, *, actor: UserRead, project_id: int, user_id: int, member: bool
) -> None:
    permissions.require(actor, "project.manage")
    get_or_404(session, Project, project_id, "Project")
    get_or_404(session, User, user_id, "User")
    row = session.get(ProjectMember, (project_id, user_id))
    if member and row is None:
        session.add(ProjectMember(project_id=project_id, user_id=user_id))
    elif not member and row is not None:
        session.delete(row)
    session.flush()


def member_ids(session: Session, *, actor: UserRead, project_id: int) -> list[int]:
    permissions.require(actor, "project.manage")
    return list(
        session.exec(select(ProjectMember.user_id).where(ProjectMember.project_id == project_id))
    )


def project_ids_of(session: Session, *, user_id: int) -> list[int]:
    return list(
        session.exec(select(ProjectMember.project_id).where(ProjectMember.user_id == user_id))
    )
