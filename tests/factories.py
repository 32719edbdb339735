"""Random-data factories that build users, projects, shots, assets, tasks and versions through
the services, so every fixture row obeys the same rules as the app's own data.

Each factory takes the session to work in and returns the service's read model. Codes and
emails are random, so two factories never collide and a test never depends on a literal it
did not choose itself.
"""

from __future__ import annotations

import itertools
import random
import string
from dataclasses import dataclass

from sqlmodel import Session

from models import ProcessingState, Version
from services import assets, projects, sharing, shots, tasks, users, versions
from services.access import get_or_404
from services.schemas import (
    AssetRead,
    GuestRead,
    ProjectRead,
    ShotRead,
    TaskRead,
    UserRead,
    VersionRead,
)
from services.sharing import ShareResult

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)

_FIRST = ("Ada", "Ben", "Chloe", "Dev", "Eun", "Farah", "Gus", "Hana", "Ivo", "Juno", "Kai")
_LAST = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Reyes", "Kowalski")
# Every name once before any repeats: users made together (a production's six) never share a
# name, so a test that checks one person's name is absent cannot trip over a namesake.
_ALL_NAMES = [f"{first} {last}" for first in _FIRST for last in _LAST]
_NAMES = itertools.cycle(random.sample(_ALL_NAMES, len(_ALL_NAMES)))


def random_suffix(n: int = 6) -> str:
    return "".join(random.choices(string.ascii_uppercase + string.digits, k=n))


def random_code(prefix: str) -> str:
    return f"{prefix}{next(_seq):03d}{random_suffix(4)}"


def make_user(
    s: Session,
    *,
    role: str = "ARTIST",
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
    is_active: bool = True,
) -> UserRead:
    name = name or next(_NAMES)
    email = email or f"{role.lower()}.{next(_seq)}.{random_suffix().lower()}@studio.test"
    user = users.bootstrap_user(s, email=email, name=name, role=role, password=password)
    if not is_active:
        admin = make_user(s, role="ADMIN")
        user = users.update_user(s, actor=admin, user_id=user.id, is_active=False)
    return user


def make_project(s: Session, actor: UserRead, **fields) -> ProjectRead:
    fields.setdefault("code", random_code("P"))
    fields.setdefault("name", f"Feature {random_suffix(3)}")
    return projects.create_project(s, actor=actor, **fields)


def add_member(s: Session, actor: UserRead, project_id: int, user: UserRead) -> None:
    users.set_membership(s, actor=actor, project_id=project_id, user_id=user.id, member=True)


def make_shot(s: Session, actor: UserRead, project_id: int, **fields) -> ShotRead:
    fields.setdefault("code", random_code("SH"))
    return shots.create_shot(s, actor=actor, project_id=project_id, **fields)


def make_asset(s: Session, actor: UserRead, project_id: int, **fields) -> AssetRead:
    fields.setdefault("asset_code", random_code("ASSET_"))
    return assets.create_asset(s, actor=actor, project_id=project_id, **fields)


def make_task(
    s: Session,
    actor: UserRead,
    *,
    shot_id: int | None = None,
    asset_id: int | None = None,
    type: str = "COMP",
    **fields,
) -> TaskRead:
    """A task on the given shot or asset; on a new shot in a new project when neither is given."""
    if shot_id is None and asset_id is None:
        project = make_project(s, actor)
        shot_id = make_shot(s, actor, project.id).id
    return tasks.create_task(
        s, actor=actor, type=type, shot_id=shot_id, asset_id=asset_id, **fields
    )


def make_version(s: Session, actor: UserRead, task_id: int, **fields) -> VersionRead:
    fields.setdefault("original_filename", f"render_{random_suffix().lower()}.mov")
    return versions.create_version(s, actor=actor, task_id=task_id, **fields)


def mark_ready(s: Session, version_id: int) -> Version:
    """What the media pipeline leaves behind: a playable proxy (keys only, no files)."""
    version = get_or_404(s, Version, version_id, "Version")
    if version.processing_state is not ProcessingState.READY or not version.proxy_key:
        version.processing_state = ProcessingState.READY
        version.proxy_key = version.proxy_key or f"test/{version.id}/proxy.mp4"
        version.frame_count = version.frame_count or 48
        version.fps = version.fps or 24.0
        s.add(version)
        s.flush()
    return version


def share_version(s: Session, actor: UserRead, version_id: int, **kwargs) -> ShareResult:
    """Share With Client through the use case (the version made ready first if needed)."""
    mark_ready(s, version_id)
    if "review_session_id" not in kwargs and "new_session" not in kwargs:
        version = get_or_404(s, Version, version_id, "Version")
        check = sharing.share_check(s, actor=actor, version_id=version_id)
        if check.active_session_id is None:
            kwargs["new_session"] = sharing.NewSession(name=f"review {version.project_id}")
    result = sharing.share_version(s, actor=actor, version_id=version_id, **kwargs)
    s.flush()
    return result


def enter_as_guest(s: Session, link: str, name: str) -> GuestRead:
    """Someone opening a client review link (`ShareResult.link`) and signing with `name`."""
    got = sharing.enter_link(s, token=link[len(sharing.LINK_PREFIX) :], name=name)
    assert got.error == "", got.error
    return got.guest


@dataclass(frozen=True)
class Production:
    """A small studio: one of each role, a project with a shot and an asset, and a COMP task on
    the shot assigned to `artist` and supervised by `supervisor`. `other_artist` is a member
    of the project with no task; `client` is a member (clients see only their projects)."""

    admin: UserRead
    producer: UserRead
    supervisor: UserRead
    artist: UserRead
    other_artist: UserRead
    client: UserRead
    project: ProjectRead
    shot: ShotRead
    asset: AssetRead
    task: TaskRead


def make_production(s: Session, *, shot_code: str | None = None) -> Production:
    admin = make_user(s, role="ADMIN")
    producer = make_user(s, role="PRODUCER")
    supervisor = make_user(s, role="SUPERVISOR")
    artist = make_user(s, role="ARTIST")
    other_artist = make_user(s, role="ARTIST")
    client = make_user(s, role="CLIENT")
    project = make_project(s, producer)
    for user in (supervisor, other_artist, client):
        add_member(s, producer, project.id, user)
    shot = make_shot(s, producer, project.id, **({"code": shot_code} if shot_code else {}))
    asset = make_asset(s, producer, project.id)
    task = make_task(
        s,
        producer,
        shot_id=shot.id,
        type="COMP",
        assigned_artist_id=artist.id,
        assigned_supervisor_id=supervisor.id,
    )
    return Production(
        admin=admin,
        producer=producer,
        supervisor=supervisor,
        artist=artist,
        other_artist=other_artist,
        client=client,
        project=project,
        shot=shot,
        asset=asset,
        task=task,
    )
