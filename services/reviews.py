"""Comments and approvals on versions. Approvals are append-only."""

from __future__ import annotations

from sqlmodel import Session, select

from models import (
    Approval,
    ApprovalDecision,
    ApprovalStage,
    Comment,
    CommentVisibility,
    Task,
    User,
    Version,
)
from services import access, activity, comments, events, permissions, tasks, versions, workflow
from services.errors import ValidationError
from services.schemas import ApprovalRead, CommentRead, UserRead

MAX_COMMENT = comments.MAX_COMMENT

_TRIGGERS = {
    (ApprovalStage.INTERNAL, ApprovalDecision.APPROVED): workflow.Trigger.INTERNAL_APPROVED,
    (ApprovalStage.INTERNAL, ApprovalDecision.CHANGES_REQUESTED): (
        workflow.Trigger.INTERNAL_CHANGES_REQUESTED
    ),
    (ApprovalStage.CLIENT, ApprovalDecision.APPROVED): workflow.Trigger.CLIENT_APPROVED,
    (ApprovalStage.CLIENT, ApprovalDecision.CHANGES_REQUESTED): (
        workflow.Trigger.CLIENT_CHANGES_REQUESTED
    ),
}


def add_comment(
    session: Session,
    *,
    actor: UserRead,
    version_id: int,
    body: str,
    frame: int | None = None,
    client_visible: bool = False,
    parent_id: int | None = None,
) -> int:
    body = comments.clean_body(body)
    if frame is not None and frame < 0:
        raise ValidationError("Frame must not be negative.")
    version = access.load_version(session, actor, version_id)
    target = access.version_target(session, actor, version)
    if actor.role == "CLIENT" or client_visible:
        permissions.require(actor, "comment.create_client", target)
        visibility = CommentVisibility.CLIENT
    else:
        permissions.require(actor, "comment.create_internal", target)
        visibility = CommentVisibility.INTERNAL
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if (
            parent is None
            or parent.version_id != version.id
            or (actor.role == "CLIENT" and parent.visibility is not CommentVisibility.CLIENT)
        ):
            raise ValidationError("You can only reply to a comment on the same version.")
        if parent.deleted_at is not None:
            raise ValidationError("That comment was deleted.")
    guest = access.is_guest(actor)
    comment = Comment(
        version_id=version.id,
        task_id=version.task_id,
        author_id=actor.id,
        guest_name=actor.name if guest else None,
        guest_id=actor.guest_id if guest else None,
        body=body,
        frame=frame,
        visibility=visibility,
        parent_id=parent_id,
    )
    session.add(comment)
    session.flush()
    events.emit(
        session,
        "comment.added",
        version.project_id,
        comment_id=comment.id,
        version_id=version.id,
        task_id=version.task_id,
        actor_id=actor.id,
        visibility=visibility.value,
    )
    return comment.id


def record_approval(
    session: Session,
    *,
    actor: UserRead,
    version_id: int,
    decision: str,
    note: str = "",
) -> int:
    """A supervisor's (INTERNAL) or a client's (CLIENT) decision on a version; moves the task."""
    version = access.load_version(session, actor, version_id)
    stage = ApprovalStage.CLIENT if actor.role == "CLIENT" else ApprovalStage.INTERNAL
    action = "approval.client" if stage is ApprovalStage.CLIENT else "approval.internal"
    permissions.require(actor, action, access.version_target(session, actor, version))
    try:
        decision_enum = ApprovalDecision(decision)
    except ValueError:
        raise ValidationError("Decision must be APPROVED or CHANGES_REQUESTED.") from None
    if stage is ApprovalStage.CLIENT:
        _require_latest_shared(session, version)
    approval = Approval(
        version_id=version.id,
        task_id=version.task_id,
        user_id=actor.id,
        guest_name=actor.name if access.is_guest(actor) else None,
        decision=decision_enum,
        stage=stage,
        note=(note or "").strip(),
    )
    session.add(approval)
    session.flush()
    if version.task_id is not None:
        task = session.get(Task, version.task_id)
        code = access.parent_code(session, task)
        who = activity.client_label(actor.name) if stage is ApprovalStage.CLIENT else actor.name
        verb = "approved" if decision_enum is ApprovalDecision.APPROVED else "requested changes on"
        activity.record(
            session,
            project_id=task.project_id,
            actor=actor,
            actor_name=who,
            verb=f"approval.{decision_enum.value.lower()}",
            target_type="version",
            target_id=version.id,
            task_id=task.id,
            text=f"{who} {verb} {code} {task.type} {versions.label(version.number)}",
        )
        trigger = _TRIGGERS[(stage, decision_enum)]
        if stage is not ApprovalStage.INTERNAL or _is_newest(session, version):
            # a decision on an older pass says nothing about the work in hand: the task stays
            # (a client decides on the newest version shared with them, checked above)
            tasks.apply_trigger(session, task=task, trigger=trigger, actor=actor)
    events.emit(
        session,
        "approval.recorded",
        version.project_id,
        approval_id=approval.id,
        version_id=version.id,
        task_id=version.task_id,
        stage=stage.value,
        decision=decision_enum.value,
        actor_id=actor.id,
    )
    return approval.id


def _is_newest(session: Session, version: Version) -> bool:
    newer = session.exec(
        select(Version.id).where(
            Version.task_id == version.task_id, Version.number > version.number
        )
    ).first()
    return newer is None


def _require_latest_shared(session: Session, version: Version) -> None:
    """A client decides on the newest version shared with them: approving an older one
    would close the task on work the studio has since replaced."""
    if version.task_id is None:
        return
    newer = session.exec(
        select(Version.number)
        .where(
            Version.task_id == version.task_id,
            Version.is_client_visible,
            Version.number > version.number,
        )
        .order_by(Version.number.desc())
    ).first()
    if newer is not None:
        raise ValidationError(
            f"{versions.label(newer)} replaces this version: review that one instead."
        )


def add_task_comment(session: Session, *, actor: UserRead, task_id: int, body: str) -> int:
    """An internal note on the task itself (not on a version)."""
    body = comments.clean_body(body)
    task = access.load_task(session, actor, task_id, "comment.create_internal")
    comment = Comment(task_id=task.id, author_id=actor.id, body=body)
    session.add(comment)
    session.flush()
    events.emit(
        session,
        "comment.added",
        task.project_id,
        comment_id=comment.id,
        version_id=None,
        task_id=task.id,
        actor_id=actor.id,
        visibility=CommentVisibility.INTERNAL.value,
    )
    return comment.id


def list_task_comments(session: Session, *, actor: UserRead, task_id: int) -> list[CommentRead]:
    """Every comment on the task and its versions, oldest first (studio users only); a
    deleted one only while a reply under it shows; each with what this viewer may do with it."""
    task = access.load_task(session, actor, task_id, "comment.view_internal")
    rows = session.exec(
        select(Comment, User, Version.number)
        .join(User, User.id == Comment.author_id, isouter=True)
        .join(Version, Version.id == Comment.version_id, isouter=True)
        .where(Comment.task_id == task_id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    shown = comments.shown_ids(c for c, *_ in rows)
    # A comment on a version is judged on the task too: whether the version is shared
    # matters to a client only (permissions._client_on_shared), and clients get no list.
    target = access.task_target(session, actor, task)
    return [
        CommentRead(
            id=c.id,
            author_name=(u.name if u else c.guest_name) or "Guest",
            is_client=(u.role.value == "CLIENT") if u else c.guest_name is not None,
            body=c.body,
            frame=c.frame,
            version_id=c.version_id,
            version_label=versions.label(n) if n else "",
            visibility=c.visibility.value,
            parent_id=c.parent_id,
            created_at=c.created_at,
            edited_at=c.edited_at,
            deleted=c.deleted_at is not None,
            can_edit=comments.may_edit(actor, c, target),
            can_delete=comments.may_delete(actor, c, target),
        )
        for c, u, n in rows
        if c.id in shown
    ]


def approval_history(session: Session, *, actor: UserRead, task_id: int) -> list[ApprovalRead]:
    """Every decision on the task's versions, newest first (studio users only)."""
    access.load_task(session, actor, task_id)
    rows = session.exec(
        select(Approval, User, Version.number)
        .join(User, User.id == Approval.user_id, isouter=True)
        .join(Version, Version.id == Approval.version_id)
        .where(Version.task_id == task_id)
        .order_by(Approval.created_at.desc(), Approval.id.desc())
    ).all()
    return [
        ApprovalRead(
            id=a.id,
            # the person (the stage says when it was the client), as their comments are signed
            who=(u.name if u else a.guest_name)
            or (activity.CLIENT if a.stage is ApprovalStage.CLIENT else ""),
            stage=a.stage.value,
            decision=a.decision.value,
            note=a.note,
            version_id=a.version_id,
            version_label=versions.label(n),
            created_at=a.created_at,
        )
        for a, u, n in rows
    ]
