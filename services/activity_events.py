"""Activity written after commit, for use cases that leave a trace in the feed but do not
record it themselves: a comment ("Ada commented on SH010 COMP v003: “more grain”").

A comment's line quotes the comment as it is now: an edit rewrites the quote, a delete leaves
"Ada commented on SH010 COMP v003: comment deleted" (`restate_comment`, called by the edit and
delete use cases in their own transaction), so a deleted text stays in no feed. The line names
its comment (target "comment", the comment's id); migration 0007 tied the lines written before
that to their comments.

`install()` subscribes the writers to the domain events (the app at startup, the CLI); each
runs after the comment's unit of work committed, in a unit of its own, and reads the rows
again (an event carries ids). A failure here never undoes the comment.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

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


def _line(
    session: Session, comment: Comment, *, deleted: bool = False
) -> tuple[Task, User | None, str, str] | None:
    """(task, author, the author as the feed names them, the whole line) for a comment on a
    task; None otherwise (no feed shows it)."""
    task = session.get(Task, comment.task_id) if comment.task_id is not None else None
    if task is None:
        return None
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
    quote = f": {DELETED}" if deleted else _quote(comment)
    return task, author, who, f"{who} commented on {target}{quote}"


def on_comment_added(session: Session, event: events.DomainEvent) -> None:
    # The comment's lock, as edits and deletes take it: one landing while this line is written
    # waits, then finds the line and restates it (else the old text would stay in the feed).
    comment = session.exec(
        select(Comment).where(Comment.id == event.payload.get("comment_id")).with_for_update()
    ).first()
    made = _line(session, comment) if comment is not None else None
    if made is None:
        return  # gone meanwhile, or not about a task
    task, author, who, text = made
    activity.record(
        session,
        project_id=task.project_id,
        actor=auth.user_read(author) if author is not None else None,
        actor_name=who,
        verb="comment.added",
        target_type="comment",
        target_id=comment.id,
        task_id=task.id,
        text=text,
    )


def restate_comment(session: Session, comment: Comment) -> None:
    """After an edit or a delete, in its transaction: the comment's feed line is written again
    from the comment as it is now (never by cutting the old quote out of it: a quote may hold
    anything). If the line is not written yet, its writer, waiting for the comment's lock,
    reads the comment as it is then. Older lines were tied to their comment by migration 0007."""
    line = session.exec(
        select(Activity).where(
            Activity.verb == "comment.added",
            Activity.target_type == "comment",
            Activity.target_id == comment.id,
        )
    ).first()
    made = _line(session, comment) if line is not None else None
    if made is None:
        return
    line.text = made[3]
    session.add(line)
    events.emit(session, "activity.changed", line.project_id, task_id=line.task_id)


def restate_as_deleted(session: Session, comment_ids: list[int]) -> None:
    """Before comments go with their version or task (services.deletions): their lines are written
    again as "comment deleted", as after a comment delete, so the text stays in no feed."""
    if not comment_ids:
        return
    comments = {
        c.id: c for c in session.exec(select(Comment).where(Comment.id.in_(comment_ids))).all()
    }
    lines = session.exec(
        select(Activity).where(
            Activity.verb == "comment.added",
            Activity.target_type == "comment",
            Activity.target_id.in_(comment_ids),
        )
    ).all()
    feeds = set()
    for line in lines:
        made = _line(session, comments[line.target_id], deleted=True)
        if made is not None:
            line.text = made[3]
            session.add(line)
            feeds.add((line.project_id, line.task_id))
    for project_id, task_id in feeds:
        events.emit(session, "activity.changed", project_id, task_id=task_id)


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
