"""A comment leaves a line in the activity feed, written after the comment committed: who,
on what, a short excerpt; a client is named as such; the line is visible only where the task
is (an artist's feed holds their tasks only)."""

from __future__ import annotations

import pytest

from services import activity, activity_events, reviews
from services.db import session_scope
from tests.factories import enter_as_guest, make_task, make_version, share_version


@pytest.fixture
def recording(db_url):
    activity_events.install(lambda: session_scope(db_url))
    yield
    activity_events.uninstall()


def feed(uow, actor, project_id):
    with uow() as s:
        return activity.list_for_project(s, actor=actor, project_id=project_id)


def test_a_comment_on_a_version_is_a_feed_line(uow, prod, recording):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
        reviews.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="More   grain\non the left"
        )
    line = feed(uow, prod.producer, prod.project.id)[0]
    assert line.text == (
        f"{prod.supervisor.name} commented on {prod.shot.code} COMP v001: “More grain on the left”"
    )
    assert line.task_id == prod.task.id
    assert line.actor_name == prod.supervisor.name


def test_a_note_on_the_task_is_a_feed_line(uow, prod, recording):
    with uow() as s:
        reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="wip")
    lines = [a.text for a in feed(uow, prod.producer, prod.project.id)]
    assert lines[0] == f"{prod.artist.name} commented on {prod.shot.code} COMP: “wip”"


def test_a_long_comment_is_cut_short(uow, prod, recording):
    with uow() as s:
        reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="x" * 500)
    text = feed(uow, prod.producer, prod.project.id)[0].text
    assert text.endswith("…”") and len(text) < 120


def test_a_client_comment_names_the_client_as_such_and_the_person(uow, prod, recording):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.producer, version.id)
    with uow() as s:
        reviews.add_comment(s, actor=prod.client, version_id=version.id, body="love it")
    assert feed(uow, prod.producer, prod.project.id)[0].text == (
        f"Client {prod.client.name} commented on {prod.shot.code} COMP v001: “love it”"
    )


def test_a_link_guests_comment_is_signed_with_the_name_they_gave(uow, prod, recording):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
        guest = enter_as_guest(s, share_version(s, prod.producer, version.id).link, "Jordan")
    with uow() as s:
        reviews.add_comment(s, actor=guest, version_id=version.id, body="warmer")
    assert feed(uow, prod.producer, prod.project.id)[0].text == (
        f"Client Jordan commented on {prod.shot.code} COMP v001: “warmer”"
    )


def test_another_artist_does_not_read_the_comment_line(uow, prod, recording):
    with uow() as s:
        theirs = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        reviews.add_task_comment(s, actor=prod.producer, task_id=theirs.id, body="hidden")
    assert not any("hidden" in a.text for a in feed(uow, prod.artist, prod.project.id))
    assert any("hidden" in a.text for a in feed(uow, prod.producer, prod.project.id))


def test_a_comment_that_rolled_back_leaves_no_line(uow, prod, recording):
    with pytest.raises(RuntimeError), uow() as s:
        reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="nope")
        raise RuntimeError("failed after the comment")
    assert not any("nope" in a.text for a in feed(uow, prod.producer, prod.project.id))


def test_without_the_writer_installed_no_line_is_written(uow, prod):
    with uow() as s:
        reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="quiet")
    assert not any("quiet" in a.text for a in feed(uow, prod.producer, prod.project.id))
