"""What a client sees: only versions explicitly shared (is_client_visible). A CLIENT user sees
those of the projects they belong to; a link guest those of their review session.

Read models here carry no production internals: no task status, no assignment, no artist or
uploader, no internal comment or decision, no file name. Ids are of versions only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlmodel import Session, select

from models import (
    Approval,
    ApprovalStage,
    Asset,
    Project,
    ProjectMember,
    ReviewSessionVersion,
    Shot,
    Task,
    User,
    Version,
)
from services import access, media_access, permissions, review_room
from services.errors import NotFound, PermissionDenied
from services.schemas import GuestRead, UserRead, VersionCommentRead
from services.versions import label

DECISIONS = ("APPROVED", "CHANGES_REQUESTED")


@dataclass(frozen=True)
class SharedVersion:
    id: int
    project_name: str
    item_code: str  # shot or asset code
    task_type: str
    label: str
    shared_at: datetime | None


@dataclass(frozen=True)
class PortalVersion:
    id: int
    label: str
    shared_at: datetime | None
    thumbnail_url: str | None


@dataclass(frozen=True)
class PortalItem:
    """One piece of work as the client sees it: the latest version shared, earlier ones."""

    project_name: str
    item_code: str
    task_type: str
    title: str  # "SH010 COMP"
    latest: PortalVersion
    earlier: tuple[PortalVersion, ...]
    decision: str  # the client's latest decision on the latest version ("" when none)


@dataclass(frozen=True)
class ClientDecisionRead:
    who: str
    decision: str
    note: str
    version_label: str
    created_at: datetime


@dataclass(frozen=True)
class PortalRoom:
    """The portal's review room. `task_id` is for the server's live follow-up only: the
    page keeps it out of what it sends to the browser."""

    task_id: int
    project_name: str
    title: str
    version_id: int
    version_label: str
    start_frame: int
    project_fps: float
    versions: tuple[PortalVersion, ...]  # shared versions of this work, newest first
    comments: tuple[VersionCommentRead, ...]
    decisions: tuple[ClientDecisionRead, ...]  # newest first
    decision: str  # the latest client decision on this version
    can_comment: bool
    can_decide: bool
    latest: bool  # this is the newest shared version (decisions go there)


def _require_portal(actor: UserRead | GuestRead) -> None:
    if actor.role != "CLIENT":
        # studio users review internally; they may preview their projects' portal
        permissions.require(actor, "version.share")


def _shared_query(actor: UserRead | GuestRead):
    q = select(Version).where(Version.is_client_visible, Version.task_id.is_not(None))
    if access.is_guest(actor):
        in_session = select(ReviewSessionVersion.version_id).where(
            ReviewSessionVersion.review_session_id == actor.review_session_id
        )
        return q.where(Version.project_id == actor.project_id, Version.id.in_(in_session))
    member = select(ProjectMember.project_id).where(ProjectMember.user_id == actor.id)
    return q.where(Version.project_id.in_(member))


def project_ids(session: Session, *, actor: UserRead | GuestRead) -> set[int]:
    """The projects whose shares may change what this viewer's portal lists."""
    if access.is_guest(actor):
        return {actor.project_id}
    return set(
        session.exec(select(ProjectMember.project_id).where(ProjectMember.user_id == actor.id))
    )


def list_shared_versions(session: Session, *, actor: UserRead | GuestRead) -> list[SharedVersion]:
    """Every shared version the viewer may see, the latest share first."""
    _require_portal(actor)
    shared = _shared_query(actor).subquery()
    rows = session.exec(
        select(Version, Project.name, Task.type, Shot.code, Asset.asset_code)
        .join(shared, shared.c.id == Version.id)
        .join(Project, Project.id == Version.project_id)
        .join(Task, Task.id == Version.task_id)
        .join(Shot, Shot.id == Version.shot_id, isouter=True)
        .join(Asset, Asset.id == Version.asset_id, isouter=True)
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


def _client_decisions(session: Session, version_ids: list[int]) -> dict[int, str]:
    """The latest client decision per version."""
    out: dict[int, str] = {}
    if version_ids:
        for a in session.exec(
            select(Approval)
            .where(Approval.version_id.in_(version_ids), Approval.stage == ApprovalStage.CLIENT)
            .order_by(Approval.created_at, Approval.id)
        ).all():
            out[a.version_id] = a.decision.value
    return out


def list_items(session: Session, *, actor: UserRead | GuestRead) -> list[PortalItem]:
    """The portal's list: one entry per piece of work, the most recently shared first."""
    _require_portal(actor)
    rows = session.exec(
        select(Version, Project.name, Task.type, Shot.code, Asset.asset_code)
        .join(Project, Project.id == Version.project_id)
        .join(Task, Task.id == Version.task_id)
        .join(Shot, Shot.id == Version.shot_id, isouter=True)
        .join(Asset, Asset.id == Version.asset_id, isouter=True)
        .where(Version.id.in_(_shared_query(actor).with_only_columns(Version.id)))
        .order_by(Version.task_id, Version.number.desc())
    ).all()
    ids = [v.id for v, *_ in rows]
    thumbs = media_access.thumbnail_urls(session, actor=actor, version_ids=ids)
    decisions = _client_decisions(session, ids)
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(row[0].task_id, []).append(row)
    items = []
    for group in groups.values():
        versions = [
            PortalVersion(
                id=v.id,
                label=label(v.number),
                shared_at=v.shared_at,
                thumbnail_url=thumbs.get(v.id),
            )
            for v, *_ in group
        ]
        _, pname, ttype, shot_code, asset_code = group[0]
        code = shot_code or asset_code or ""
        items.append(
            PortalItem(
                project_name=pname,
                item_code=code,
                task_type=ttype,
                title=f"{code} {ttype}".strip(),
                latest=versions[0],
                earlier=tuple(versions[1:]),
                decision=decisions.get(versions[0].id, ""),
            )
        )
    never = datetime.min.replace(tzinfo=UTC)
    items.sort(key=lambda i: (i.latest.shared_at or never, i.latest.id), reverse=True)
    return items


def room(session: Session, *, actor: UserRead | GuestRead, version_id: int) -> PortalRoom:
    """A shared version in the portal's player, with the other shared versions of the same
    work, the comments meant for the client and the client's decisions."""
    if actor.role != "CLIENT":
        raise PermissionDenied("The portal is the client's view; use the review page.")
    version = access.load_version(session, actor, version_id)  # NotFound unless shared with them
    if version.task_id is None:
        raise NotFound("Version not found.")
    # deleted since the version was read (each Postgres statement sees the latest commit)
    task = access.get_or_404(session, Task, version.task_id, "Version")
    project = access.get_or_404(session, Project, version.project_id, "Version")
    siblings = session.exec(
        _shared_query(actor)
        .where(Version.task_id == version.task_id)
        .order_by(Version.number.desc())
    ).all()
    ids = [v.id for v in siblings]
    thumbs = media_access.thumbnail_urls(session, actor=actor, version_ids=ids)
    shared = tuple(
        PortalVersion(
            id=v.id, label=label(v.number), shared_at=v.shared_at, thumbnail_url=thumbs.get(v.id)
        )
        for v in siblings
    )
    names = dict(
        session.exec(
            select(User.id, User.name).where(
                User.id.in_(
                    select(Approval.user_id).where(
                        Approval.version_id.in_(ids or [-1]),
                        Approval.stage == ApprovalStage.CLIENT,
                    )
                )
            )
        ).all()
    )
    labels = {v.id: label(v.number) for v in siblings}
    decisions = tuple(
        ClientDecisionRead(
            who=names.get(a.user_id) or a.guest_name or "Client",
            decision=a.decision.value,
            note=a.note,
            version_label=labels.get(a.version_id, ""),
            created_at=a.created_at,
        )
        for a in session.exec(
            select(Approval)
            .where(Approval.version_id.in_(ids or [-1]), Approval.stage == ApprovalStage.CLIENT)
            .order_by(Approval.created_at.desc(), Approval.id.desc())
        ).all()
    )
    target = access.version_target(session, actor, version)
    latest = bool(siblings) and siblings[0].id == version.id
    code = access.parent_code(session, task)
    return PortalRoom(
        task_id=task.id,
        project_name=project.name,
        title=f"{code} {task.type}",
        version_id=version.id,
        version_label=label(version.number),
        start_frame=project.start_frame,
        project_fps=project.fps,
        versions=shared,
        comments=tuple(_client_comments(session, actor, version.id)),
        decisions=decisions,
        decision=_client_decisions(session, [version.id]).get(version.id, ""),
        can_comment=permissions.can(actor, "comment.create_client", target),
        can_decide=latest and permissions.can(actor, "approval.client", target),
        latest=latest,
    )


def _client_comments(
    session: Session, actor: UserRead | GuestRead, version_id: int
) -> list[VersionCommentRead]:
    """The comments meant for the client; studio authors shown as the studio's people."""
    return [
        c if c.is_client else replace(c, author_name=f"{c.author_name} (studio)")
        for c in review_room.comments(session, actor=actor, version_id=version_id)
    ]
