"""Live feeds and dashboards, publishing side: after a commit, the topics whose pages should
read again go on the feed bus (names only, never content); work that rolled back announces
nothing; a viewer's dashboard follows exactly the topics of what it shows."""

from __future__ import annotations

import pytest

from integrations import feed_bus, realtime
from services import feed_live, reviews, tasks
from services.errors import PermissionDenied
from tests.factories import make_project, make_shot, make_task, make_user, make_version


@pytest.fixture
def published(db_url):
    bus = realtime.LocalBus()
    seen: list[dict] = []
    bus.add_listener(seen.append)
    feed_bus.set_bus(bus)
    feed_live.install()
    yield seen
    feed_live.uninstall()
    feed_bus.set_bus(None)


def topics_of(published: list[dict]) -> set[str]:
    feed_live.flush()
    return {t for m in published for t in m["topics"]}


def test_a_move_announces_the_project_feed_the_task_feed_and_the_dashboards(uow, prod, published):
    feed_live.flush()  # what the fixtures published has gone out: start from here
    published.clear()
    with uow() as s:
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="IN_PROGRESS")
    assert topics_of(published) == {
        f"activity:p{prod.project.id}",
        f"activity:t{prod.task.id}",
        f"dash:p{prod.project.id}",
        "dash:all",
    }


def test_one_commit_is_one_message(uow, prod, published):
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)  # upload + automatic move: many events
    feed_live.flush()
    assert len(published) == 1
    assert all(isinstance(t, str) for t in published[0]["topics"])


def test_an_assignment_reaches_the_dashboards_of_both_artists(uow, prod, published):
    feed_live.flush()  # what the fixtures published has gone out: start from here
    published.clear()
    with uow() as s:
        tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=prod.other_artist.id)
    names = topics_of(published)
    assert {f"dash:u{prod.other_artist.id}", f"dash:u{prod.artist.id}"} <= names


def test_a_comment_changes_the_dashboards_feedback(uow, prod, published):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
    feed_live.flush()
    feed_live.flush()  # what the fixtures published has gone out: start from here
    published.clear()
    with uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="grain")
    assert f"dash:p{prod.project.id}" in topics_of(published)


def test_work_that_rolled_back_announces_nothing(uow, prod, published):
    feed_live.flush()  # what the fixtures published has gone out: start from here
    published.clear()
    with pytest.raises(RuntimeError), uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="DONE")
        raise RuntimeError("the rest of the use case failed")
    assert topics_of(published) == set()


def test_a_staff_dashboard_follows_the_studio_or_one_project(uow, prod):
    with uow() as s:
        assert feed_live.dashboard_topics(s, actor=prod.supervisor) == ["dash:all"]
        assert feed_live.dashboard_topics(s, actor=prod.producer, project_id=prod.project.id) == [
            f"dash:p{prod.project.id}"
        ]


def test_an_artist_dashboard_follows_their_projects_and_their_assignments(uow, prod):
    with uow() as s:
        elsewhere = make_project(s, prod.producer)
        make_task(s, prod.producer, shot_id=make_shot(s, prod.producer, elsewhere.id).id)
        topics = feed_live.dashboard_topics(s, actor=prod.artist)
    assert f"dash:u{prod.artist.id}" in topics
    assert f"dash:p{prod.project.id}" in topics  # member through the assignment
    assert f"dash:p{elsewhere.id}" not in topics
    assert "dash:all" not in topics


def test_clients_have_no_dashboard_to_follow(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        feed_live.dashboard_topics(s, actor=prod.client)


def test_only_what_a_page_shows_is_announced():
    from services.events import DomainEvent

    batch = [
        DomainEvent("notification.created", 3, {"user_id": 1}),
        DomainEvent("project.updated", 3, {}),
        DomainEvent("activity.recorded", 3, {"task_id": None, "text": "x"}),
    ]
    assert feed_live.topics(batch) == {"activity:p3"}


def test_an_outsider_gets_no_topic_of_a_project_they_cannot_see(uow, prod):
    with uow() as s:
        outsider = make_user(s, role="ARTIST")
        assert f"dash:p{prod.project.id}" not in feed_live.dashboard_topics(s, actor=outsider)
