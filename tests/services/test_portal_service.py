from __future__ import annotations

import pytest

from services import portal
from services.errors import PermissionDenied
from tests.factories import (
    make_project,
    make_shot,
    make_task,
    make_user,
    make_version,
    share_version,
)


def test_client_sees_only_shared_versions_of_their_projects(uow, prod):
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)  # v001, never shared
        v2 = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.supervisor, v2.id)
        # shared, but in a project the client does not belong to
        other = make_project(s, prod.producer)
        other_task = make_task(s, prod.producer, shot_id=make_shot(s, prod.producer, other.id).id)
        share_version(s, prod.producer, make_version(s, prod.producer, other_task.id).id)
    with uow() as s:
        seen = portal.list_shared_versions(s, actor=prod.client)
    assert [(v.id, v.label, v.item_code, v.task_type) for v in seen] == [
        (v2.id, "v002", prod.shot.code, "COMP")
    ]
    assert seen[0].project_name == prod.project.name
    assert seen[0].shared_at is not None


def test_portal_lists_the_latest_share_first(uow, prod):
    with uow() as s:
        first = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.supervisor, first.id)
    with uow() as s:
        second = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.supervisor, second.id)
    with uow() as s:
        ids = [v.id for v in portal.list_shared_versions(s, actor=prod.client)]
    assert ids == [second.id, first.id]


def test_portal_read_model_carries_no_production_internals(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.supervisor, v.id)
        [seen] = portal.list_shared_versions(s, actor=prod.client)
    fields = set(vars(seen))
    assert not fields & {"status", "assigned_artist_id", "artist_name", "uploaded_by_name"}


def test_client_with_no_projects_sees_nothing(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.supervisor, v.id)
        stranger = make_user(s, role="CLIENT")
        assert portal.list_shared_versions(s, actor=stranger) == []


def test_artist_has_no_portal(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        portal.list_shared_versions(s, actor=prod.artist)


def test_staff_preview_the_portal_of_their_projects(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.supervisor, v.id)
    with uow() as s:
        assert [x.id for x in portal.list_shared_versions(s, actor=prod.supervisor)] == [v.id]
