"""The role matrix, in one place. Every use case asks `require(actor, action, target)`.

Hiding a button in the UI is a courtesy; this module is the check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.enums import STAFF_ROLES, Role, TaskStatus
from services.errors import PermissionDenied

# Statuses an artist may move their own task between.
ARTIST_STATUSES = frozenset({TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.INTERNAL_REVIEW})


@dataclass(frozen=True)
class Target:
    """Facts about the object acted on, relative to the actor."""

    project_member: bool = False  # the actor belongs to the object's project
    assigned: bool = False  # the actor is the task's assigned artist
    watching: bool = False  # the actor watches the task
    supervising: bool = False  # the actor is the task's supervisor
    client_visible: bool = False  # the version is shared with the client
    from_status: TaskStatus | None = None
    to_status: TaskStatus | None = None


def _staff(role: Role, _t: Target) -> bool:
    return role in STAFF_ROLES


def _admin_or_producer(role: Role, _t: Target) -> bool:
    return role in (Role.ADMIN, Role.PRODUCER)


def _admin(role: Role, _t: Target) -> bool:
    return role is Role.ADMIN


def _internal(role: Role, _t: Target) -> bool:
    return role is not Role.CLIENT


def _artist_sees_task(role: Role, t: Target) -> bool:
    return role is Role.ARTIST and (t.assigned or t.watching or t.supervising)


def _sees_task(role: Role, t: Target) -> bool:
    return role in STAFF_ROLES or _artist_sees_task(role, t)


def _moves_task(role: Role, t: Target) -> bool:
    if role in STAFF_ROLES:
        return True
    return (
        role is Role.ARTIST
        and t.assigned
        and t.from_status in ARTIST_STATUSES
        and t.to_status in ARTIST_STATUSES
    )


def _uploads(role: Role, t: Target) -> bool:
    return role in STAFF_ROLES or (role is Role.ARTIST and t.assigned)


def _client_on_shared(role: Role, t: Target) -> bool:
    return role is Role.CLIENT and t.client_visible and t.project_member


def _views_version(role: Role, t: Target) -> bool:
    return _sees_task(role, t) or _client_on_shared(role, t)


def _views_project(role: Role, t: Target) -> bool:
    return role in STAFF_ROLES or (role is Role.ARTIST and t.project_member)


def _comments_for_client(role: Role, t: Target) -> bool:
    return role in STAFF_ROLES or _client_on_shared(role, t)


RULES: dict[str, Callable[[Role, Target], bool]] = {
    "dashboard.view": _internal,
    "project.view": _views_project,
    "project.manage": _admin_or_producer,
    "project.archive": _admin_or_producer,  # archive a finished show, or bring it back
    "shot.manage": _staff,
    "asset.manage": _staff,
    "task.view": _sees_task,
    "task.manage": _staff,  # create, edit, assign, due dates, templates
    "task.move": _moves_task,
    "task.watch": _sees_task,
    "task.delete": _admin_or_producer,
    "board.view": _internal,  # artists get a board of the cards they may see
    "workload.view_others": _staff,
    "version.create": _uploads,
    "version.view": _views_version,
    "version.share": _staff,
    "version.reprocess": _staff,  # retry a version whose media processing failed
    # anyone's version; an uploader deletes their own while nobody else has touched it
    # (services.deletions)
    "version.delete_any": _staff,
    "comment.view_internal": _sees_task,
    "comment.create_internal": _sees_task,
    "comment.create_client": _comments_for_client,
    "comment.delete_any": _staff,  # anyone's comment where they reach; edits: the author only
    "approval.internal": _staff,
    "approval.client": _client_on_shared,
    "user.manage": _admin,
    "delivery.manage": _admin_or_producer,  # see and retry failed Slack/email deliveries
}

DENIAL_REASONS: dict[str, str] = {
    "task.move": "You can only move your own tasks between Todo, In Progress and Internal Review.",
    "task.view": "This task is not assigned to you.",
    "user.manage": "Only an admin can manage users.",
    "project.manage": "Only an admin or a producer can do that.",
    "project.archive": "Only an admin or a producer can archive or unarchive a project.",
    "delivery.manage": "Only an admin or a producer can see and retry deliveries.",
    "comment.delete_any": "You can only delete your own comments.",
    "version.delete_any": "You can only delete versions you uploaded.",
    "task.delete": "Only an admin or a producer can delete a task.",
}


def can(actor, action: str, target: Target | None = None) -> bool:
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"unknown action {action!r}")
    if actor is None or not getattr(actor, "is_active", True):
        return False
    return rule(Role(actor.role), target or Target())


def require(actor, action: str, target: Target | None = None) -> None:
    if not can(actor, action, target):
        raise PermissionDenied(DENIAL_REASONS.get(action, "You don't have permission to do that."))
