"""Activity written after commit, for use cases that leave a trace in the feed but do not
record it themselves: a comment ("Ada commented on SH010 COMP v003: “more grain”").

`install()` subscribes the writers to the domain events (the app at startup, the CLI); each
runs after the comment's unit of work committed, in a unit of its own, and reads the rows
again (an event carries ids). A failure here never undoes the comment.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlmodel import Session

from models import Comment, Role, Task, User, Version
from services import access, activity, auth, events
from services.db import session_scope
from services.versions import label as version_label

EXCERPT = 60

SessionFactory = Callable[[], AbstractContextManager[Session]]
_subscriber: events.Subscriber | None = None


def _excerpt(body: str) -> str:
    text = " ".join((body or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def on_comment_added(session: Session, event: events.DomainEvent) -> None:
    comment = session.get(Comment, event.payload.get("comment_id"))
    if comment is None or comment.task_id is None:
        return  # deleted meanwhile, or not about a task: no feed shows it
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
        target_type="version" if comment.version_id else "task",
        target_id=comment.version_id or task.id,
        task_id=task.id,
        text=f"{who} commented on {target}: “{_excerpt(comment.body)}”",
    )


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
