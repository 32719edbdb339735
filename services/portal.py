"""What a client sees: only versions explicitly shared (is_client_visible) in their projects.

Read models here carry no production internals: no task status, no assignment, no artist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models import Asset, Project, ProjectMember, Shot, Task, Version
from services import permissions
from services.schemas import UserRead
from services.versions import label


@dataclass(frozen=True)
class SharedVersion:
    id: int
    project_name: str
    item_code: str  # shot or asset code
    task_type: str
    label: str
    shared_at: datetime | None


def list_shared_versions(session: Session, *, actor: UserRead) -> list[SharedVersion]:
    if actor.role != "CLIENT":
        # studio users review internally; the portal is the client's view
        permissions.require(actor, "version.share")
    member_projects = select(ProjectMember.project_id).where(ProjectMember.user_id == actor.id)
    rows = session.exec(
        select(Version, Project.name, Task.type, Shot.code, Asset.asset_code)
        .join(Project, Project.id == Version.project_id)
        .join(Task, Task.id == Version.task_id, isouter=True)
        .join(Shot, Shot.id == Version.shot_id, isouter=True)
        .join(Asset, Asset.id == Version.asset_id, isouter=True)
        .where(Version.is_client_visible, Version.project_id.in_(member_projects))
        .order_by(Version.shared_at.desc(), Version.id.desc())
    ).all()
    return [
        SharedVersion(
            id=v.id,
            project_name=pname,
            item_code=shot_code or asset_code or "",
            task_type=ttype or "",
            label=label(v.number),
            shared_at=v.shared_at,
        )
        for v, pname, ttype, shot_code, asset_code in rows
    ]
