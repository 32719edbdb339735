"""Activity written after commit, for use cases that leave a trace in the feed but do not
record it themselves: a comment ("Ada commented on SH010 COMP v003: “more grain”").

A comment's line quotes the comment as it is now: an edit rewrites the quote, a delete leaves
"Ada commented on SH010 COMP v003: comment deleted" (`restate_comment`, called by the edit and
delete use cases in their own transaction), so a deleted text stays in no feed. The line names
its comment (target "comment", the comment's id); lines written before it did name the version
or task and are found by the quote they hold.

`install()` subscribes the writers to the domain events (the app at startup, the CLI); each
runs after the comment's unit of work committed, in a unit of its own, and reads the rows
again (an event carries ids). A failure here never undoes the comment.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import sqlalchemy as sa
from sqlmodel import Session, select

from models import Activity, Comment, Role, Task, User, Version
from services import access, activity, auth, events
from services.db import session_scope
from services.versions import label as version_label

EXCERPT = 60
DELETED = "comment deleted"

SessionFactory = Callable[[], AbstractContextManager[Session]]
_subscriber: events.Subscriber | None = None


def _excerpt(body: str) -> str:
    text = " ".join((body or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _quote(comment: Comment, body: str | None = None) -> str:
    """How a comment's line ends: its excerpt, or that it was deleted."""
    if comment.deleted_at is not None and body is None:
        return f": {DELETED}"
    return f": “{_excerpt(comment.body if body is None else body)}”"


def on_comment_added(session: Session, event: events.DomainEvent) -> None:
    # The comment's lock, as edits and deletes take it: one landing while this line is written
    # waits, then finds the line and restates it (else the old text would stay in the feed).
    comment = session.exec(
        select(Comment).where(Comment.id == event.payload.get("comment_id")).with_for_update()
    ).first()
    if comment is None or comment.task_id is None:
        return  # gone meanwhile, or not about a task: no feed shows it
    task = session.get(Task, comment.task_id)
    if task is None:
        return
    author = session.get(User, comment.author_id) if comment.author_id else None
    # The studio's feed names a client as such, like the approval and status lines.
    if author is None:
        who = activity.client_label(comment.guest_name)  # a review link's guest
    elif author.role is Role.CLIENT:
        who = activity.client_label(author.name)
    else:
        who = author.name
    target = f"{access.parent_code(session, task)} {task.type}"
    if comment.version_id is not None:
        version = session.get(Version, comment.version_id)
        if version is not None:
            target += f" {version_label(version.number)}"
    activity.record(
        session,
        project_id=task.project_id,
        actor=auth.user_read(author) if author is not None else None,
        actor_name=who,
        verb="comment.added",
        target_type="comment",
        target_id=comment.id,
        task_id=task.id,
        text=f"{who} commented on {target}{_quote(comment)}",
    )


def restate_comment(session: Session, comment: Comment, *, previous_body: str) -> None:
    """After an edit or a delete, in its transaction: the comment's feed line quotes it as it
    is now. `previous_body` is the text the line may still quote. If the line is not written
    yet, its writer reads the comment as it is then."""
    if comment.task_id is None:
        return
    old = _quote(comment, previous_body)
    rows = session.exec(
        select(Activity)
        .where(
            Activity.task_id == comment.task_id,
            Activity.verb == "comment.added",
            sa.or_(
                (Activity.target_type == "comment") & (Activity.target_id == comment.id),
                # a line from before lines named their comment: same version or task, not
                # older than the comment, holding its quote (the oldest such is its own)
                (Activity.target_type == ("version" if comment.version_id else "task"))
                & (Activity.target_id == (comment.version_id or comment.task_id))
                & (Activity.created_at >= comment.created_at),
            ),
        )
        .order_by(Activity.created_at, Activity.id)
    ).all()
    line = next((a for a in rows if a.target_type == "comment"), None) or next(
        (a for a in rows if a.text.endswith(old)), None
    )
    if line is None:
        return
    if line.text.endswith(old):
        head = line.text[: -len(old)]
    else:  # quoting another text of it (not seen: edits and deletes take the comment's lock)
        head, quoted, _ = line.text.rpartition(": “")
        head = head if quoted else line.text
    line.text = head + _quote(comment)
    session.add(line)
    events.emit(session, "activity.changed", line.project_id, task_id=line.task_id)


HANDLERS: dict[str, Callable[[Session, events.DomainEvent], None]] = {
    "comment.added": on_comment_added,
}


def install(session_factory: SessionFactory | None = None) -> None:
    """Subscribe the activity writers. Calling it again replaces the subscription."""
    global _subscriber
    uninstall()
    factory = session_factory or session_scope

    def write_activity(event: events.DomainEvent) -> None:
        with factory() as session:
            HANDLERS[event.name](session, event)

    _subscriber = events.subscribe(write_activity, set(HANDLERS))


def uninstall() -> None:
    global _subscriber
    if _subscriber is not None:
        events.unsubscribe(_subscriber)
        _subscriber = None
