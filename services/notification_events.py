"""What each domain event means for notifications (services.notifications.install subscribes
these). Each handler runs after the event's unit of work committed, in a unit of its own, and
reads the rows again: an event carries ids, not state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from models import (
    Approval,
    ApprovalDecision,
    ApprovalStage,
    Comment,
    NotificationType,
    Project,
    Role,
    Task,
    TaskStatus,
    User,
    Version,
)
from services.activity import client_label
from services.events import DomainEvent
from services.notifications import (
    Occurrence,
    Parties,
    item_label,
    notify,
    review_link,
    task_link,
    task_name,
    task_parties,
)
from services.versions import label as version_label

T = NotificationType


def _stamp(moment: datetime | None) -> str:
    return f"{moment.timestamp():.6f}" if moment else "0"


def _get(session: Session, model, obj_id):
    return session.get(model, obj_id) if obj_id is not None else None


def _version_and_task(session: Session, event: DomainEvent) -> tuple[Version, Task] | None:
    version = _get(session, Version, event.payload.get("version_id"))
    task = session.get(Task, version.task_id) if version and version.task_id else None
    return (version, task) if task else None  # a version outside a task concerns nobody yet


def on_task_assigned(session: Session, event: DomainEvent) -> None:
    artist_id = event.payload.get("artist_id")
    task = _get(session, Task, event.payload.get("task_id"))
    if not artist_id or task is None:
        return  # unassigned: nobody to tell
    name = task_name(session, task)
    artist = session.get(User, artist_id)
    occ = Occurrence(
        kind=T.TASK_ASSIGNED,
        # re-assigning the same artist later is news again: the edit time tells them apart
        key=f"assigned:t{task.id}:u{artist_id}:{_stamp(task.updated_at)}",
        project_id=task.project_id,
        task_id=task.id,
        text=f"{name} assigned to you",
        slack_text=f"{name} assigned to {artist.name if artist else 'an artist'}",
        link=task_link(task.id),
    )
    notify(session, occ, Parties(assignee=artist_id), actor_id=event.payload.get("actor_id"))


def on_version_created(session: Session, event: DomainEvent) -> None:
    """An upload is ready for review, unless the uploader chose not to notify."""
    found = _version_and_task(session, event)
    if not event.payload.get("notify", True) or found is None:
        return
    version, task = found
    occ = Occurrence(
        kind=T.TASK_READY_FOR_REVIEW,
        key=f"ready:v{version.id}",
        project_id=task.project_id,
        task_id=task.id,
        version_id=version.id,
        text=f"{task_name(session, task)} ready for review",
        link=review_link(version.id),
    )
    notify(session, occ, task_parties(session, task), actor_id=event.payload.get("actor_id"))


def on_status_changed(session: Session, event: DomainEvent) -> None:
    """Someone moved a task to Internal Review by hand. An upload's own move (it carries its
    trigger) is told by version.created, which honours the uploader's notify choice."""
    p = event.payload
    if p.get("to_status") != TaskStatus.INTERNAL_REVIEW.value or p.get("trigger"):
        return
    task = _get(session, Task, p.get("task_id"))
    if task is None:
        return
    occ = Occurrence(
        kind=T.TASK_READY_FOR_REVIEW,
        key=f"ready:t{task.id}:{_stamp(task.updated_at)}",
        project_id=task.project_id,
        task_id=task.id,
        text=f"{task_name(session, task)} ready for review",
        link=task_link(task.id),
    )
    notify(session, occ, task_parties(session, task), actor_id=p.get("actor_id"))


# (kind, wording): {task} is "SH010 COMP task", {client} "Client Jordan (Harbor Films)".
_DECISIONS = {
    (ApprovalDecision.APPROVED, ApprovalStage.INTERNAL): (T.TASK_APPROVED, "{task} approved"),
    (ApprovalDecision.APPROVED, ApprovalStage.CLIENT): (
        T.TASK_APPROVED,
        "{task} approved by {client}",
    ),
    (ApprovalDecision.CHANGES_REQUESTED, ApprovalStage.INTERNAL): (
        T.TASK_CHANGES_REQUESTED,
        "{task}: changes requested",
    ),
    (ApprovalDecision.CHANGES_REQUESTED, ApprovalStage.CLIENT): (
        T.TASK_CHANGES_REQUESTED,
        "{task}: {client} requested changes",
    ),
}


def _author_name(session: Session, user_id: int | None, guest_name: str | None) -> str | None:
    user = _get(session, User, user_id)
    return user.name if user else guest_name


def on_approval_recorded(session: Session, event: DomainEvent) -> None:
    p = event.payload
    found = _version_and_task(session, event)
    if found is None:
        return
    version, task = found
    kind, wording = _DECISIONS[(ApprovalDecision(p["decision"]), ApprovalStage(p["stage"]))]
    approval = _get(session, Approval, p.get("approval_id"))
    client = client_label(
        _author_name(session, approval.user_id, approval.guest_name) if approval else None
    )
    occ = Occurrence(
        kind=kind,
        key=f"approval:{p['approval_id']}",
        project_id=task.project_id,
        task_id=task.id,
        version_id=version.id,
        text=wording.format(task=task_name(session, task), client=client),
        link=review_link(version.id),
    )
    notify(session, occ, task_parties(session, task), actor_id=p.get("actor_id"))


def on_comment_added(session: Session, event: DomainEvent) -> None:
    p = event.payload
    found = _version_and_task(session, event)
    if found is None:
        return
    version, task = found
    author = _get(session, User, p.get("actor_id"))
    comment = _get(session, Comment, p.get("comment_id"))
    # the studio's wording for a client, as in the activity feed; never the body itself
    if author is None:
        who = client_label(comment.guest_name if comment else None)  # a review link's guest
    elif author.role is Role.CLIENT:
        who = client_label(author.name)
    else:
        who = author.name
    frame = None  # a note on the whole version opens the room at its start
    if comment is not None and comment.frame is not None:
        project = session.get(Project, task.project_id)
        frame = (project.start_frame if project else 0) + comment.frame
    occ = Occurrence(
        kind=T.COMMENT_ADDED,
        key=f"comment:{p['comment_id']}",
        project_id=task.project_id,
        task_id=task.id,
        version_id=version.id,
        text=f"{who} commented on {item_label(session, task)} {task.type} "
        f"{version_label(version.number)}",
        link=review_link(version.id, frame),
    )
    notify(session, occ, task_parties(session, task), actor_id=p.get("actor_id"))


def on_version_shared(session: Session, event: DomainEvent) -> None:
    """The studio hears that the version went out. (The client hears of it by the share's
    review email and sees it in the portal: clients get no notifications.)"""
    found = _version_and_task(session, event)
    if found is None or not found[0].is_client_visible:
        return
    version, task = found
    what = f"{item_label(session, task)} {task.type} {version_label(version.number)}"
    occ = Occurrence(
        kind=T.VERSION_SHARED,
        key=f"shared:v{version.id}:{_stamp(version.shared_at)}",
        project_id=task.project_id,
        task_id=task.id,
        version_id=version.id,
        text=f"{what} shared with the client",
        link=review_link(version.id),
    )
    notify(session, occ, task_parties(session, task), actor_id=event.payload.get("actor_id"))


HANDLERS: dict[str, Callable[[Session, DomainEvent], None]] = {
    "task.assigned": on_task_assigned,
    "version.created": on_version_created,
    "task.status_changed": on_status_changed,
    "approval.recorded": on_approval_recorded,
    "comment.added": on_comment_added,
    "version.shared": on_version_shared,
}
