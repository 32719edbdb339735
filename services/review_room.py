"""The review room's reads: a task's versions around the one in the player, its comments with
their drawings, and what the viewer may do there. Studio users only (a client reviews through
the portal); every rule comes from services.access and services.permissions.

Frames are 0-based clip frame indexes everywhere here; the page adds the project's start
frame (1001 by default) when it shows one.
"""

from __future__ import annotations

from sqlmodel import Session, func, select

from models import Approval, Comment, CommentVisibility, ProcessingState, Project, User, Version
from services import access, annotations, deletions, media_access, permissions, tasks, versions
from services import comments as comment_rules  # `comments` is this module's read
from services.errors import NotFound
from services.schemas import (
    GuestRead,
    ReviewRoomRead,
    RoomVersionRead,
    UserRead,
    VersionCommentRead,
)


def room(
    session: Session,
    *,
    actor: UserRead,
    version_id: int | None = None,
    task_id: int | None = None,
) -> ReviewRoomRead:
    """The room of a version (its task's other versions beside it), or of a task (its newest
    version in the player, or none yet)."""
    if version_id is not None:
        version = access.load_version(session, actor, version_id)
        if version.task_id is None:
            raise NotFound("This version belongs to no task.")
        task_id = version.task_id
    if task_id is None:
        raise NotFound("Task not found.")
    task_row = access.load_task(session, actor, task_id)  # the room is for the studio
    task = tasks.to_reads(session, [task_row])[0]
    rows = _versions(session, actor, task.id)
    if version_id is None and rows:
        version_id = rows[0].id
    current = next((r for r in rows if r.id == version_id), None)
    previous = next(
        (
            r.id
            for r in rows
            if current and r.number < current.number and r.processing_state == "READY"
        ),
        None,
    )
    # Not session.get: on Postgres each statement sees the latest commit, so a project deleted
    # after the task was read is gone here; the room is then "not found", not a crash.
    project = access.get_or_404(session, Project, task.project_id, "Project")
    task_target = access.task_target(session, actor, task_row)
    return ReviewRoomRead(
        task=task,
        start_frame=project.start_frame,
        project_fps=project.fps,
        versions=tuple(rows),
        version_id=version_id,
        previous_id=previous,
        can_upload=permissions.can(actor, "version.create", task_target),
        can_comment=permissions.can(actor, "comment.create_internal", task_target),
        can_comment_for_client=permissions.can(actor, "comment.create_client", task_target),
        can_approve=permissions.can(actor, "approval.internal", task_target),
        can_retry=permissions.can(actor, "version.reprocess", task_target),
    )


def _versions(session: Session, actor: UserRead, task_id: int) -> list[RoomVersionRead]:
    rows = session.exec(
        select(Version).where(Version.task_id == task_id).order_by(Version.number.desc())
    ).all()
    ids = [v.id for v in rows]
    counts: dict[int, int] = {}
    decisions: dict[int, Approval] = {}
    if ids:
        counts = dict(
            session.exec(
                select(Comment.version_id, func.count(Comment.id))
                .where(Comment.version_id.in_(ids), Comment.deleted_at.is_(None))
                .group_by(Comment.version_id)
            ).all()
        )
        for a in session.exec(
            select(Approval)
            .where(Approval.version_id.in_(ids))
            .order_by(Approval.created_at, Approval.id)
        ).all():
            decisions[a.version_id] = a  # the last one wins
    names = access.user_names(session, [v.uploaded_by_id for v in rows])
    thumbs = media_access.thumbnail_urls(session, actor=actor, version_ids=ids)
    target = access.version_target(session, actor, rows[0]) if rows else None
    # Staff delete any version; an uploader their own while nobody else touched it.
    staff = target is not None and permissions.can(actor, "version.delete_any", target)
    own = [v.id for v in rows if v.uploaded_by_id == actor.id]
    touched = deletions.touched_by_others(session, own) if own and not staff else set()
    out = []
    for v in rows:
        a = decisions.get(v.id)
        out.append(
            RoomVersionRead(
                id=v.id,
                number=v.number,
                label=versions.label(v.number),
                uploaded_by_name=names.get(v.uploaded_by_id),
                created_at=v.created_at,
                processing_state=v.processing_state.value,
                processing_error=v.processing_error
                if v.processing_state is ProcessingState.FAILED
                else None,
                description=v.description,
                is_client_visible=v.is_client_visible,
                comment_count=counts.get(v.id, 0),
                approval=a.decision.value if a else "",
                approval_stage=a.stage.value if a else "",
                thumbnail_url=thumbs.get(v.id),
                can_delete=deletions.may_delete_version(actor, v, target, v.id in touched),
            )
        )
    return out


def comments(
    session: Session, *, actor: UserRead | GuestRead, version_id: int
) -> list[VersionCommentRead]:
    """The comments on one version, oldest first, each with the shapes drawn with it and what
    this viewer may do with it. A client sees only the comments meant for clients; a deleted
    comment shows only while a reply under it does (services.comments)."""
    version = access.load_version(session, actor, version_id)
    q = (
        select(Comment, User)
        .join(User, User.id == Comment.author_id, isouter=True)
        .where(Comment.version_id == version.id)
        .order_by(Comment.created_at, Comment.id)
    )
    if actor.role == "CLIENT":
        q = q.where(Comment.visibility == CommentVisibility.CLIENT)
    rows = session.exec(q).all()
    shown = comment_rules.shown_ids(c for c, _ in rows)
    rows = [(c, u) for c, u in rows if c.id in shown]
    shapes = annotations.shapes_by_comment(session, [c.id for c, _ in rows])
    target = access.version_target(session, actor, version)
    return [
        VersionCommentRead(
            id=c.id,
            author_name=(u.name if u else c.guest_name) or "Guest",
            is_client=(u.role.value == "CLIENT") if u else c.guest_name is not None,
            body=c.body,
            frame=c.frame,
            visibility=c.visibility.value,
            parent_id=c.parent_id,
            created_at=c.created_at,
            shapes=shapes.get(c.id, ()),
            edited_at=c.edited_at,
            deleted=c.deleted_at is not None,
            can_edit=comment_rules.may_edit(actor, c, target),
            can_delete=comment_rules.may_delete(actor, c, target),
        )
        for c, u in rows
    ]
