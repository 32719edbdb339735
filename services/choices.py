"""Options for pickers: which shots/assets a task can go on, who can be assigned."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from models import Asset, Project, Role, Shot, User
from services import permissions
from services.schemas import UserRead


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def task_parents(
    session: Session, *, actor: UserRead, project_id: int | None = None
) -> list[Choice]:
    """Shots ("shot:<id>") and assets ("asset:<id>") a task may be created on."""
    permissions.require(actor, "task.manage")
    shots = select(Shot.id, Shot.code, Project.code).join(Project, Project.id == Shot.project_id)
    assets = select(Asset.id, Asset.asset_code, Project.code).join(
        Project, Project.id == Asset.project_id
    )
    if project_id is not None:
        shots = shots.where(Shot.project_id == project_id)
        assets = assets.where(Asset.project_id == project_id)
    many = project_id is None
    out = [
        Choice(f"shot:{i}", f"{p} / {c}" if many else c)
        for i, c, p in session.exec(shots.order_by(Project.code, Shot.code)).all()
    ]
    out += [
        Choice(f"asset:{i}", f"{p} / {c}" if many else c)
        for i, c, p in session.exec(assets.order_by(Project.code, Asset.asset_code)).all()
    ]
    return out


def assignees(session: Session, *, actor: UserRead) -> tuple[list[Choice], list[Choice]]:
    """(artists, supervisors): who may be assigned as artist, and as supervisor."""
    permissions.require(actor, "task.manage")
    users = session.exec(select(User).where(User.is_active).order_by(User.name)).all()
    artists = [Choice(str(u.id), u.name) for u in users if u.role is not Role.CLIENT]
    sups = [
        Choice(str(u.id), u.name)
        for u in users
        if u.role in (Role.ADMIN, Role.PRODUCER, Role.SUPERVISOR)
    ]
    return artists, sups
