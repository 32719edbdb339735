"""Loading objects together with the facts the permission matrix needs about them."""

from __future__ import annotations

from sqlmodel import Session, or_, select

from models import (
    Asset,
    Project,
    ProjectMember,
    ReviewSessionVersion,
    Shot,
    Task,
    TaskWatcher,
    User,
    Version,
)
from services import permissions
from services.errors import NotFound
from services.permissions import Target
from services.schemas import GuestRead, UserRead


def get_or_404(session: Session, model, obj_id: int | None, what: str):
    obj = session.get(model, obj_id) if obj_id is not None else None
    if obj is None:
        raise NotFound(f"{what} not found.")
    return obj


def is_member(session: Session, user_id: int, project_id: int) -> bool:
    return session.get(ProjectMember, (project_id, user_id)) is not None


def is_guest(actor) -> bool:
    return isinstance(actor, GuestRead)


def reaches_version(session: Session, actor: UserRead | GuestRead, version: Version) -> bool:
    """A user: a member of the version's project. A link guest: the version is in their
    review session (and so in its project)."""
    if is_guest(actor):
        return version.project_id == actor.project_id and (
            session.get(ReviewSessionVersion, (actor.review_session_id, version.id)) is not None
        )
    return is_member(session, actor.id, version.project_id)


def is_watching(session: Session, user_id: int, task_id: int) -> bool:
    return session.get(TaskWatcher, (task_id, user_id)) is not None


def task_target(session: Session, actor: UserRead, task: Task, **extra) -> Target:
    return Target(
        project_member=is_member(session, actor.id, task.project_id),
        assigned=task.assigned_artist_id == actor.id,
        supervising=task.assigned_supervisor_id == actor.id,
        watching=is_watching(session, actor.id, task.id),
        **extra,
    )


def load_task(session: Session, actor: UserRead, task_id: int, action: str = "task.view") -> Task:
    """The task, if the actor may do `action` on it. An invisible task is "not found" for
    clients, so its existence leaks nothing."""
    task = get_or_404(session, Task, task_id, "Task")
    if actor.role == "CLIENT":
        raise NotFound("Task not found.")
    permissions.require(actor, action, task_target(session, actor, task))
    return task


def version_target(session: Session, actor: UserRead, version: Version) -> Target:
    if is_guest(actor):
        return Target(
            project_member=reaches_version(session, actor, version),
            client_visible=version.is_client_visible,
        )
    task = session.get(Task, version.task_id) if version.task_id else None
    return Target(
        project_member=is_member(session, actor.id, version.project_id),
        assigned=bool(task and task.assigned_artist_id == actor.id),
        supervising=bool(task and task.assigned_supervisor_id == actor.id),
        watching=bool(task and is_watching(session, actor.id, task.id)),
        client_visible=version.is_client_visible,
    )


def load_version(
    session: Session, actor: UserRead, version_id: int, action: str = "version.view"
) -> Version:
    version = get_or_404(session, Version, version_id, "Version")
    if not permissions.can(actor, action, version_target(session, actor, version)):
        if actor.role == "CLIENT":
            raise NotFound("Version not found.")
        permissions.require(actor, action, version_target(session, actor, version))
    return version


def viewable_versions(
    session: Session, actor: UserRead | GuestRead, version_ids: list[int]
) -> list[Version]:
    """The versions among version_ids the actor may view (version.view), in the order given:
    load_version's rule for a list, in a few queries whatever its length (its facts are read in
    bulk; tests hold the two to the same answers)."""
    ids = list(dict.fromkeys(version_ids))
    if not ids:
        return []
    versions = {v.id: v for v in session.exec(select(Version).where(Version.id.in_(ids))).all()}
    if is_guest(actor):
        in_session = set(
            session.exec(
                select(ReviewSessionVersion.version_id).where(
                    ReviewSessionVersion.review_session_id == actor.review_session_id,
                    ReviewSessionVersion.version_id.in_(ids),
                )
            ).all()
        )

        def target(v: Version) -> Target:
            return Target(
                project_member=v.project_id == actor.project_id and v.id in in_session,
                client_visible=v.is_client_visible,
            )
    else:
        project_ids = {v.project_id for v in versions.values()}
        task_ids = {v.task_id for v in versions.values() if v.task_id}
        member_of = set(
            session.exec(
                select(ProjectMember.project_id).where(
                    ProjectMember.user_id == actor.id, ProjectMember.project_id.in_(project_ids)
                )
            ).all()
        )
        tasks = {t.id: t for t in session.exec(select(Task).where(Task.id.in_(task_ids))).all()}
        watched = set(
            session.exec(
                select(TaskWatcher.task_id).where(
                    TaskWatcher.user_id == actor.id, TaskWatcher.task_id.in_(task_ids)
                )
            ).all()
        )

        def target(v: Version) -> Target:
            task = tasks.get(v.task_id) if v.task_id else None
            return Target(
                project_member=v.project_id in member_of,
                assigned=bool(task and task.assigned_artist_id == actor.id),
                supervising=bool(task and task.assigned_supervisor_id == actor.id),
                watching=bool(task and task.id in watched),
                client_visible=v.is_client_visible,
            )

    return [
        versions[i]
        for i in ids
        if i in versions and permissions.can(actor, "version.view", target(versions[i]))
    ]


def load_project(
    session: Session, actor: UserRead, project_id: int, action: str = "project.view"
) -> Project:
    project = get_or_404(session, Project, project_id, "Project")
    member = (
        project_id == actor.project_id
        if is_guest(actor)
        else is_member(session, actor.id, project_id)
    )
    permissions.require(actor, action, Target(project_member=member))
    return project


def parent_code(session: Session, task: Task) -> str:
    if task.shot_id is not None:
        return get_or_404(session, Shot, task.shot_id, "Shot").code
    return get_or_404(session, Asset, task.asset_id, "Asset").asset_code


def user_names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.name).where(User.id.in_(ids))).all())


def visible_task_ids(session: Session, actor: UserRead, project_id: int | None = None) -> set[int]:
    """Ids of the tasks an ARTIST may see: assigned, supervised or watched."""
    watched = select(TaskWatcher.task_id).where(TaskWatcher.user_id == actor.id)
    q = select(Task.id).where(
        or_(
            Task.assigned_artist_id == actor.id,
            Task.assigned_supervisor_id == actor.id,
            Task.id.in_(watched),
        )
    )
    if project_id is not None:
        q = q.where(Task.project_id == project_id)
    return set(session.exec(q).all())
