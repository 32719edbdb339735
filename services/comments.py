"""A comment after it is posted: its text rules, editing and deleting it, and which deleted
comments still show.

Who may do what:
- edit: the author only (a user by account; a review-link guest by the guest who wrote it,
  `Comment.guest_id`), while they may still write such a comment there (an artist on a task
  they see, a client on a version still shared with them). Text only: the frame, the drawing
  and who may see it stay as posted.
- delete: the author (same condition), or staff (ADMIN, PRODUCER, SUPERVISOR) on any comment
  of a version or task they reach.
A client asking about a comment they may not see is told it does not exist.

A delete is always soft: the row stays without its text or drawing, so a thread keeps its
replies and a reply being posted at that moment is never lost. Lists show a deleted comment
("Comment deleted") only while a reply still shows under it; a deleted comment without one is
gone from every list and count. Edits and deletes notify nobody and write no new activity:
the comment's feed line then quotes the new text, or says the comment was deleted
(services.activity_events.restate_comment). They go live to open review rooms and portals
(services.review_live).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, select

from models import Annotation, Comment, CommentVisibility
from models.base import utcnow
from services import access, activity_events, events, permissions
from services.errors import NotFound, PermissionDenied, ValidationError
from services.permissions import Target
from services.schemas import GuestRead, UserRead

MAX_COMMENT = 10_000


def clean_body(body: str | None, *, empty: str = "Write something first.") -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(empty)
    if len(text) > MAX_COMMENT:
        raise ValidationError(f"A comment is at most {MAX_COMMENT} characters.")
    return text


# ---------------------------------------------------------------- who may


def is_author(actor: UserRead | GuestRead, comment: Comment) -> bool:
    if access.is_guest(actor):  # a guest has no account id: only their guest id tells
        return comment.guest_id is not None and comment.guest_id == actor.guest_id
    return comment.author_id is not None and comment.author_id == actor.id


def _writes(actor: UserRead | GuestRead, comment: Comment, target: Target) -> bool:
    """The actor may still write a comment like this one, where it is."""
    client = comment.visibility is CommentVisibility.CLIENT
    action = "comment.create_client" if client else "comment.create_internal"
    return permissions.can(actor, action, target)


def may_edit(actor: UserRead | GuestRead, comment: Comment, target: Target) -> bool:
    return (
        comment.deleted_at is None and is_author(actor, comment) and _writes(actor, comment, target)
    )


def may_delete(actor: UserRead | GuestRead, comment: Comment, target: Target) -> bool:
    return comment.deleted_at is None and (
        may_edit(actor, comment, target) or permissions.can(actor, "comment.delete_any", target)
    )


def _load(session: Session, actor: UserRead | GuestRead, comment_id: int) -> tuple:
    """The comment (locked until commit, so an edit and a delete never interleave), its
    project and the facts the permission matrix needs about where it is."""
    comment = session.exec(
        select(Comment).where(Comment.id == comment_id).with_for_update()
    ).first()
    if comment is None or (
        actor.role == "CLIENT" and comment.visibility is not CommentVisibility.CLIENT
    ):
        raise NotFound("Comment not found.")
    if comment.version_id is not None:
        version = access.load_version(session, actor, comment.version_id)
        return comment, version.project_id, access.version_target(session, actor, version)
    task = access.load_task(session, actor, comment.task_id)  # NotFound for clients
    return comment, task.project_id, access.task_target(session, actor, task)


def _emit(session: Session, name: str, comment: Comment, project_id: int, actor) -> None:
    events.emit(
        session,
        name,
        project_id,
        comment_id=comment.id,
        version_id=comment.version_id,
        task_id=comment.task_id,
        actor_id=actor.id,
        visibility=comment.visibility.value,
    )


# ---------------------------------------------------------------- use cases


def edit_comment(
    session: Session, *, actor: UserRead | GuestRead, comment_id: int, body: str
) -> None:
    """The author changes the text of their comment; it then reads "edited"."""
    comment, project_id, target = _load(session, actor, comment_id)
    if comment.deleted_at is not None:
        raise ValidationError("This comment was deleted.")
    if not is_author(actor, comment):
        raise PermissionDenied("You can only edit your own comments.")
    if not _writes(actor, comment, target):
        raise PermissionDenied("You can no longer comment here.")
    text = clean_body(body, empty="A comment cannot be empty: write something, or delete it.")
    if text == comment.body:
        return
    now = utcnow()
    comment.body, comment.edited_at, comment.updated_at = text, now, now
    session.add(comment)
    activity_events.restate_comment(session, comment)
    session.flush()
    _emit(session, "comment.edited", comment, project_id, actor)


def delete_comment(session: Session, *, actor: UserRead | GuestRead, comment_id: int) -> None:
    """The author, or staff, delete a comment: its text and drawing go; the row stays for the
    replies under it (if none, lists no longer show it). Deleting it again changes nothing."""
    comment, project_id, target = _load(session, actor, comment_id)
    if comment.deleted_at is not None:
        return
    if not may_delete(actor, comment, target):
        raise PermissionDenied("You can only delete your own comments.")
    now = utcnow()
    comment.body, comment.deleted_at, comment.updated_at = "", now, now
    comment.deleted_by_id = actor.id  # None for a guest
    session.add(comment)
    activity_events.restate_comment(session, comment)
    session.execute(sa.delete(Annotation).where(Annotation.comment_id == comment.id))
    session.flush()
    _emit(session, "comment.deleted", comment, project_id, actor)


# ---------------------------------------------------------------- what lists show


def shown_ids(comments: Iterable[Comment]) -> set[int]:
    """Of these comments (already only those the viewer may see), the ones a list shows:
    every live one, and a deleted one while something under it shows."""
    rows = sorted(comments, key=lambda c: c.id, reverse=True)  # a reply is newer than its parent
    shown: set[int] = set()
    holding: set[int] = set()  # parents with a shown reply
    for c in rows:
        if c.deleted_at is None or c.id in holding:
            shown.add(c.id)
            if c.parent_id is not None:
                holding.add(c.parent_id)
    return shown
