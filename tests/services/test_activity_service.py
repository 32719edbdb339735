from __future__ import annotations

import pytest

from services import activity, tasks
from services.errors import NotFound, PermissionDenied
from tests.factories import make_project, make_shot, make_task, make_user, make_version


def test_project_feed_is_newest_first_in_plain_sentences(uow, prod):
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        feed = activity.list_for_project(s, actor=prod.producer, project_id=prod.project.id)
    code = prod.shot.code
    assert [a.text for a in feed[:2]] == [
        f"{prod.artist.name} moved {code} COMP to Internal Review",
        f"{prod.artist.name} uploaded {code} COMP v001",
    ]
    assert feed[-1].text == f"{prod.producer.name} created project {prod.project.code}"
    assert feed[0].actor_name == prod.artist.name
    assert feed[0].task_id == prod.task.id


def test_project_feed_is_limited(uow, prod):
    with uow() as s:
        for _ in range(5):
            make_version(s, prod.producer, prod.task.id)
        feed = activity.list_for_project(
            s, actor=prod.producer, project_id=prod.project.id, limit=3
        )
    assert len(feed) == 3


def test_artist_reads_only_the_activity_of_tasks_they_see(uow, prod):
    with uow() as s:
        hidden = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        make_version(s, prod.producer, hidden.id)
        make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        feed = activity.list_for_project(s, actor=prod.artist, project_id=prod.project.id)
        other_feed = activity.list_for_project(
            s, actor=prod.other_artist, project_id=prod.project.id
        )
    assert feed and {a.task_id for a in feed} == {prod.task.id}
    assert other_feed == []


def test_artist_outside_the_project_and_clients_cannot_read_the_project_feed(uow, prod):
    with uow() as s:
        outsider = make_user(s)
    for actor in (outsider, prod.client):
        with pytest.raises(PermissionDenied), uow() as s:
            activity.list_for_project(s, actor=actor, project_id=prod.project.id)


def test_task_feed_holds_that_task_only(uow, prod):
    with uow() as s:
        other = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        tasks.move(s, actor=prod.producer, task_id=other.id, status="DONE")
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="IN_PROGRESS")
    with uow() as s:
        feed = activity.list_for_task(s, actor=prod.artist, task_id=prod.task.id)
    assert [a.text for a in feed] == [
        f"{prod.artist.name} moved {prod.shot.code} COMP to In Progress",
        f"{prod.producer.name} created {prod.shot.code} COMP task",
    ]


def test_task_feed_follows_task_visibility(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        activity.list_for_task(s, actor=prod.other_artist, task_id=prod.task.id)
    with pytest.raises(NotFound), uow() as s:
        activity.list_for_task(s, actor=prod.client, task_id=prod.task.id)


def test_feeds_are_per_project(uow, prod):
    with uow() as s:
        elsewhere = make_project(s, prod.producer)
        feed = activity.list_for_project(s, actor=prod.producer, project_id=elsewhere.id)
    assert [a.text for a in feed] == [f"{prod.producer.name} created project {elsewhere.code}"]


# ---------------------------------------------------------------- shot and asset feeds


@pytest.fixture
def busy_project(uow, prod):
    """Work on prod.shot (prod.task and a hidden ROTO), on another shot and on prod.asset."""
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)
        roto = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        tasks.move(s, actor=prod.producer, task_id=roto.id, status="IN_PROGRESS")
        other_shot = make_shot(s, prod.producer, prod.project.id)
        theirs = make_task(
            s,
            prod.producer,
            shot_id=other_shot.id,
            type="TRACK",
            assigned_artist_id=prod.artist.id,
        )
        model = make_task(s, prod.producer, asset_id=prod.asset.id, type="MODEL")
    return {"roto": roto, "other_shot": other_shot, "theirs": theirs, "model": model}


def test_shot_feed_holds_the_shot_and_its_tasks_newest_first(uow, prod, busy_project):
    with uow() as s:
        feed = activity.list_for_item(s, actor=prod.producer, shot_id=prod.shot.id)
    code, producer, artist = prod.shot.code, prod.producer.name, prod.artist.name
    assert [a.text for a in feed] == [
        f"{producer} moved {code} ROTO to In Progress",
        f"{producer} created {code} ROTO task",
        f"{artist} moved {code} COMP to Internal Review",
        f"{artist} uploaded {code} COMP v001",
        f"{producer} created {code} COMP task",
        f"{producer} added shot {code}",
    ]
    assert {a.task_id for a in feed} == {prod.task.id, busy_project["roto"].id, None}


def test_asset_feed_holds_the_asset_and_its_tasks(uow, prod, busy_project):
    with uow() as s:
        feed = activity.list_for_item(s, actor=prod.supervisor, asset_id=prod.asset.id)
    assert [a.text for a in feed] == [
        f"{prod.producer.name} created {prod.asset.asset_code} MODEL task",
        f"{prod.producer.name} added asset {prod.asset.asset_code}",
    ]


def test_artist_reads_only_their_tasks_on_that_shot(uow, prod, busy_project):
    with uow() as s:
        feed = activity.list_for_item(s, actor=prod.artist, shot_id=prod.shot.id)
        other_shot = activity.list_for_item(
            s, actor=prod.artist, shot_id=busy_project["other_shot"].id
        )
        asset = activity.list_for_item(s, actor=prod.artist, asset_id=prod.asset.id)
        nothing = activity.list_for_item(s, actor=prod.other_artist, shot_id=prod.shot.id)
    assert feed and {a.task_id for a in feed} == {prod.task.id}
    assert other_shot and {a.task_id for a in other_shot} == {busy_project["theirs"].id}
    assert (asset, nothing) == ([], [])


def test_item_feed_is_limited(uow, prod, busy_project):
    with uow() as s:
        feed = activity.list_for_item(s, actor=prod.producer, shot_id=prod.shot.id, limit=2)
    assert [a.text for a in feed] == [
        f"{prod.producer.name} moved {prod.shot.code} ROTO to In Progress",
        f"{prod.producer.name} created {prod.shot.code} ROTO task",
    ]


def test_item_feed_is_refused_to_clients_and_outsiders(uow, prod):
    with uow() as s:
        outsider = make_user(s)
    for actor in (outsider, prod.client):
        with pytest.raises(PermissionDenied), uow() as s:
            activity.list_for_item(s, actor=actor, shot_id=prod.shot.id)
        with pytest.raises(PermissionDenied), uow() as s:
            activity.list_for_item(s, actor=actor, asset_id=prod.asset.id)


def test_item_feed_of_a_missing_item_is_not_found(uow, prod):
    with pytest.raises(NotFound, match="Shot not found."), uow() as s:
        activity.list_for_item(s, actor=prod.producer, shot_id=999_999)
    with pytest.raises(NotFound, match="Asset not found."), uow() as s:
        activity.list_for_item(s, actor=prod.producer, asset_id=999_999)
