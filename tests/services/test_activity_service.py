from __future__ import annotations

import pytest

from services import activity, tasks
from services.errors import NotFound, PermissionDenied
from tests.factories import make_project, make_task, make_user, make_version


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
