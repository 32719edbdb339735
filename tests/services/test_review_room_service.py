"""The review room's reads: a task's versions around the one in the player (newest first,
comment counts, the latest decision), the B side of an A/B, what the viewer may do there, and
the comments on one version with their drawings."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import ProcessingState, Project, Version
from services import annotations, review_room, reviews
from services.errors import NotFound, PermissionDenied
from tests.factories import make_task, make_version, share_version

BOX = {"t": "rect", "c": "#ff3b30", "p": [[0.1, 0.1], [0.4, 0.4]]}


def set_state(uow, version_id: int, state: ProcessingState) -> None:
    with uow() as s:
        v = s.get(Version, version_id)
        v.processing_state = state
        s.add(v)


@pytest.fixture
def three(uow, prod):
    """v001 READY, v002 FAILED, v003 READY (in the player)."""
    with uow() as s:
        made = [make_version(s, prod.artist, prod.task.id) for _ in range(3)]
    set_state(uow, made[0].id, ProcessingState.READY)
    set_state(uow, made[1].id, ProcessingState.FAILED)
    set_state(uow, made[2].id, ProcessingState.READY)
    return made


def test_a_version_room_lists_the_task_versions_newest_first(uow, prod, three):
    v1, v2, v3 = three
    with uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=v1.id, body="a", frame=1)
        reviews.add_comment(s, actor=prod.artist, version_id=v1.id, body="b")
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=v1.id, decision="CHANGES_REQUESTED"
        )
        reviews.record_approval(s, actor=prod.supervisor, version_id=v1.id, decision="APPROVED")
        room = review_room.room(s, actor=prod.supervisor, version_id=v3.id)
    assert [v.label for v in room.versions] == ["v003", "v002", "v001"]
    assert room.version_id == v3.id
    first = room.versions[-1]
    assert (first.comment_count, first.approval, first.approval_stage) == (
        2,
        "APPROVED",
        "INTERNAL",
    )
    assert room.versions[0].comment_count == 0 and room.versions[0].approval == ""
    assert room.task.id == prod.task.id
    assert (room.start_frame, room.project_fps) == (1001, 24.0)


def test_the_b_side_is_the_newest_older_version_that_is_ready(uow, prod, three):
    v1, v2, v3 = three
    with uow() as s:
        assert review_room.room(s, actor=prod.artist, version_id=v3.id).previous_id == v1.id
        assert review_room.room(s, actor=prod.artist, version_id=v2.id).previous_id == v1.id
        assert review_room.room(s, actor=prod.artist, version_id=v1.id).previous_id is None


def test_a_task_room_shows_its_newest_version(uow, prod, three):
    with uow() as s:
        room = review_room.room(s, actor=prod.artist, task_id=prod.task.id)
    assert room.version_id == three[-1].id


def test_a_task_without_versions_has_an_empty_room(uow, prod):
    with uow() as s:
        room = review_room.room(s, actor=prod.artist, task_id=prod.task.id)
    assert (room.version_id, room.previous_id, room.versions) == (None, None, ())


def test_a_failed_version_carries_its_reason(uow, prod, three):
    with uow() as s:
        v = s.get(Version, three[1].id)
        v.processing_error = "moov atom not found"
        s.add(v)
    with uow() as s:
        room = review_room.room(s, actor=prod.artist, version_id=three[2].id)
    assert [v.processing_error for v in room.versions] == [None, "moov atom not found", None]


@pytest.mark.parametrize(
    ("who", "upload", "comment", "for_client", "approve", "retry"),
    [
        ("artist", True, True, False, False, False),
        ("supervisor", True, True, True, True, True),
        ("producer", True, True, True, True, True),
    ],
)
def test_what_each_viewer_may_do_in_the_room(
    uow, prod, three, who, upload, comment, for_client, approve, retry
):
    with uow() as s:
        room = review_room.room(s, actor=getattr(prod, who), version_id=three[0].id)
    assert (
        room.can_upload,
        room.can_comment,
        room.can_comment_for_client,
        room.can_approve,
        room.can_retry,
    ) == (upload, comment, for_client, approve, retry)


def test_a_watching_artist_may_comment_but_not_upload(uow, prod, three):
    from services import tasks

    with uow() as s:
        tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.other_artist.id]
        )
        room = review_room.room(s, actor=prod.other_artist, version_id=three[0].id)
    assert (room.can_upload, room.can_comment, room.can_approve) == (False, True, False)


def test_an_artist_not_on_the_task_cannot_open_its_room(uow, prod, three):
    with uow() as s, pytest.raises(PermissionDenied):
        review_room.room(s, actor=prod.other_artist, version_id=three[0].id)
    with uow() as s, pytest.raises(PermissionDenied):
        review_room.room(s, actor=prod.other_artist, task_id=prod.task.id)


def test_a_client_has_no_studio_room_even_for_a_shared_version(uow, prod, three):
    with uow() as s:
        share_version(s, prod.supervisor, three[0].id)
    with uow() as s, pytest.raises(NotFound):
        review_room.room(s, actor=prod.client, version_id=three[0].id)


def test_a_missing_version_is_not_found(uow, prod):
    with uow() as s, pytest.raises(NotFound):
        review_room.room(s, actor=prod.producer, version_id=999_999)


def test_comments_come_oldest_first_with_their_drawings(uow, prod, three):
    v = three[0]
    with uow() as s:
        first = annotations.add_comment(
            s, actor=prod.supervisor, version_id=v.id, body="edge", frame=4, shapes=[BOX]
        )
        reply = reviews.add_comment(
            s, actor=prod.artist, version_id=v.id, body="on it", parent_id=first
        )
        other_version = make_version(s, prod.artist, prod.task.id)
        reviews.add_comment(s, actor=prod.artist, version_id=other_version.id, body="elsewhere")
        found = review_room.comments(s, actor=prod.artist, version_id=v.id)
    assert [(c.id, c.frame, c.parent_id) for c in found] == [(first, 4, None), (reply, None, first)]
    assert found[0].shapes[0]["t"] == "rect"
    assert found[1].shapes == ()
    assert found[0].author_name == prod.supervisor.name


def test_a_client_reads_only_the_comments_meant_for_clients(uow, prod, three):
    v = three[0]
    with uow() as s:
        share_version(s, prod.supervisor, v.id)
        reviews.add_comment(s, actor=prod.supervisor, version_id=v.id, body="internal")
        shown = reviews.add_comment(
            s, actor=prod.supervisor, version_id=v.id, body="for you", client_visible=True
        )
        found = review_room.comments(s, actor=prod.client, version_id=v.id)
    assert [c.id for c in found] == [shown]


def test_a_room_belongs_to_its_own_task(uow, prod, three):
    with uow() as s:
        other = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        theirs = make_version(s, prod.producer, other.id)
        room = review_room.room(s, actor=prod.producer, version_id=theirs.id)
    assert room.task.id == other.id
    assert [v.id for v in room.versions] == [theirs.id]


def test_a_room_whose_project_was_deleted_is_not_found(uow, prod, three):
    with uow() as s:
        s.execute(sa.delete(Project).where(Project.id == prod.project.id))
    for where in ({"version_id": three[0].id}, {"task_id": prod.task.id}):
        with uow() as s, pytest.raises(NotFound):
            review_room.room(s, actor=prod.supervisor, **where)


def test_a_project_deleted_while_its_room_is_read_is_not_found(uow, prod, three, monkeypatch):
    """On Postgres each statement sees the latest commit: the task read, then its project
    deleted before the room reads the project. The live refresh must hear "not found" (the
    page says so), not an AttributeError on a missing project."""
    real = review_room.tasks.to_reads

    def then_delete_the_project(session, rows):
        out = real(session, rows)
        session.execute(sa.delete(Project).where(Project.id == prod.project.id))
        return out

    monkeypatch.setattr(review_room.tasks, "to_reads", then_delete_the_project)
    with uow() as s, pytest.raises(NotFound):
        review_room.room(s, actor=prod.supervisor, task_id=prod.task.id)
