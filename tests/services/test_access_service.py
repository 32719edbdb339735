"""services.access: the batch reading of view permissions agrees with the one-by-one rule."""

from __future__ import annotations

import contextlib

import pytest

from services import access, tasks
from services.errors import NotFound, PermissionDenied
from services.schemas import GuestRead
from tests.factories import (
    add_member,
    make_production,
    make_project,
    make_shot,
    make_task,
    make_user,
    make_version,
    share_version,
)


@pytest.fixture
def world(uow):
    """Versions an actor may or may not view, for every reason the rule knows."""
    with uow() as s:
        prod = make_production(s)
        own = make_version(s, prod.artist, prod.task.id).id  # the artist's task, internal
        shared = make_version(s, prod.artist, prod.task.id).id
        result = share_version(s, prod.supervisor, shared)
        others = make_task(
            s, prod.producer, shot_id=prod.shot.id, type="ROTO", assigned_artist_id=None
        )
        unassigned = make_version(s, prod.producer, others.id).id
        watched_task = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        watched = make_version(s, prod.producer, watched_task.id).id
        tasks.set_watchers(
            s, actor=prod.producer, task_id=watched_task.id, user_ids=[prod.other_artist.id]
        )
        elsewhere = make_project(s, prod.producer)
        add_member(s, prod.producer, elsewhere.id, prod.client)
        far_shot = make_shot(s, prod.producer, elsewhere.id)
        far_task = make_task(s, prod.producer, shot_id=far_shot.id, type="COMP")
        far_shared = make_version(s, prod.producer, far_task.id).id
        share_version(s, prod.producer, far_shared)
        outsider = make_user(s, role="CLIENT")
    guest = GuestRead(
        guest_id=1,
        name="Guest",
        review_session_id=result.review_session_id,
        project_id=prod.project.id,
    )
    ids = [own, shared, unassigned, watched, far_shared, 987654, shared]
    actors = {
        "admin": prod.admin,
        "producer": prod.producer,
        "supervisor": prod.supervisor,
        "artist": prod.artist,
        "other_artist": prod.other_artist,
        "client": prod.client,
        "outsider": outsider,
        "guest": guest,
    }
    return ids, actors, {"own": own, "shared": shared, "watched": watched, "far": far_shared}


def _one_by_one(s, actor, ids):
    seen = []
    for i in dict.fromkeys(ids):
        with contextlib.suppress(NotFound, PermissionDenied):
            seen.append(access.load_version(s, actor, i).id)
    return seen


def test_viewable_versions_answers_as_load_version_does_for_every_kind_of_viewer(uow, world):
    ids, actors, v = world
    answers = {}
    with uow() as s:
        for name, actor in actors.items():
            batch = [x.id for x in access.viewable_versions(s, actor, ids)]
            assert batch == _one_by_one(s, actor, ids), name
            answers[name] = batch
    # The rule does tell these viewers apart (else the comparison above proves little).
    assert answers["artist"] == [v["own"], v["shared"]]
    assert answers["other_artist"] == [v["watched"]]
    assert answers["client"] == [v["shared"], v["far"]]
    assert answers["outsider"] == []
    assert answers["guest"] == [v["shared"]]
    assert answers["producer"] == [i for i in dict.fromkeys(ids) if i != 987654]
