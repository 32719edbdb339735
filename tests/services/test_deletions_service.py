"""Deleting a version made by mistake (services.deletions) and its files (services.media_cleanup):
who may, what is refused, what goes with it, what stays as history, and when the files go."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from integrations.storage import LocalDiskStorage
from models import (
    Activity,
    Annotation,
    Approval,
    Comment,
    Notification,
    ReviewSessionVersion,
    SchedulerLease,
    Version,
)
from services import (
    activity_events,
    annotations,
    deletions,
    media_cleanup,
    review_room,
    reviews,
    sharing,
)
from services.db import session_scope
from services.errors import Conflict, NotFound, PermissionDenied
from tests.factories import make_version

PEN = {"t": "pen", "c": "#34c759", "p": [[0.1, 0.1], [0.2, 0.25], [0.3, 0.2]]}


@pytest.fixture
def storage(tmp_path):
    """Local storage whose deleted versions' files go after commit, as in the app."""
    disk = LocalDiskStorage(tmp_path / "media")
    media_cleanup.install(disk)
    yield disk
    media_cleanup.uninstall()


def with_files(uow, storage, version_id: int, *, tag: str) -> dict[str, str]:
    """Give the version an original, proxy, thumbnail and poster in storage."""
    keys = {
        "original_key": f"m/{tag}/original.mov",
        "proxy_key": f"m/{tag}/proxy.mp4",
        "thumbnail_key": f"m/{tag}/thumb.jpg",
        "poster_key": f"m/{tag}/poster.jpg",
    }
    for key in keys.values():
        path = storage.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    with uow() as s:
        v = s.get(Version, version_id)
        for field, key in keys.items():
            setattr(v, field, key)
        s.add(v)
    return keys


def version_exists(uow, version_id: int) -> bool:
    with uow() as s:
        return s.get(Version, version_id) is not None


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("who", ["admin", "producer", "supervisor"])
def test_staff_delete_anyones_version(uow, prod, version, who):
    with uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="grain")
    with uow() as s:
        done = deletions.delete_version(s, actor=getattr(prod, who), version_id=version.id)
    assert done.label == f"{prod.shot.code} COMP v001"
    assert not version_exists(uow, version.id)


def test_the_uploader_deletes_their_own_version_while_nobody_else_touched_it(uow, prod, version):
    with uow() as s:  # their own note does not count
        reviews.add_comment(s, actor=prod.artist, version_id=version.id, body="wrong file")
    with uow() as s:
        deletions.delete_version(s, actor=prod.artist, version_id=version.id)
    assert not version_exists(uow, version.id)


def test_an_artist_may_not_delete_someone_elses_version(uow, prod):
    with uow() as s:
        theirs = make_version(s, prod.supervisor, prod.task.id)
    with uow() as s, pytest.raises(PermissionDenied, match="versions you uploaded"):
        deletions.delete_version(s, actor=prod.artist, version_id=theirs.id)
    assert version_exists(uow, theirs.id)


def test_the_uploader_may_not_delete_once_someone_else_commented(uow, prod, version):
    with uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="nice")
    with uow() as s, pytest.raises(PermissionDenied, match="ask a supervisor"):
        deletions.delete_version(s, actor=prod.artist, version_id=version.id)
    assert version_exists(uow, version.id)


def test_the_uploader_may_not_delete_once_someone_decided_on_it(uow, prod, version):
    with uow() as s:
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=version.id, decision="CHANGES_REQUESTED"
        )
    with uow() as s, pytest.raises(PermissionDenied, match="commented on or decided on"):
        deletions.delete_version(s, actor=prod.artist, version_id=version.id)
    assert version_exists(uow, version.id)


def test_an_artist_who_no_longer_sees_the_task_may_not_delete(uow, prod):
    with uow() as s:
        mine = make_version(s, prod.artist, prod.task.id)
    from services import tasks

    with uow() as s:
        tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=prod.other_artist.id)
    with uow() as s, pytest.raises(PermissionDenied):
        deletions.delete_version(s, actor=prod.artist, version_id=mine.id)
    assert version_exists(uow, mine.id)


def test_a_client_is_told_the_version_does_not_exist(uow, prod, shared):
    with uow() as s:
        sharing.unshare_version(s, actor=prod.supervisor, version_id=shared.id)
    with uow() as s, pytest.raises(NotFound):
        deletions.delete_version(s, actor=prod.client, version_id=shared.id)


def test_a_version_shared_with_the_client_is_refused_until_withdrawn(uow, prod, shared):
    with uow() as s, pytest.raises(Conflict, match="Withdraw it from the client first"):
        deletions.delete_version(s, actor=prod.admin, version_id=shared.id)
    assert version_exists(uow, shared.id)
    with uow() as s:
        sharing.unshare_version(s, actor=prod.supervisor, version_id=shared.id)
    with uow() as s:
        deletions.delete_version(s, actor=prod.admin, version_id=shared.id)
    assert not version_exists(uow, shared.id)


def test_a_version_still_in_a_review_link_is_refused(uow, prod, shared):
    with uow() as s:  # off the portal, still exposed by a link
        v = s.get(Version, shared.id)
        v.is_client_visible = False
        s.add(v)
    with uow() as s, pytest.raises(Conflict, match="shared with the client"):
        deletions.delete_version(s, actor=prod.producer, version_id=shared.id)


def test_the_room_offers_delete_to_exactly_those_who_may(uow, prod):
    with uow() as s:
        by_artist = make_version(s, prod.artist, prod.task.id)
        touched = make_version(s, prod.artist, prod.task.id)
        by_super = make_version(s, prod.supervisor, prod.task.id)
        reviews.add_comment(s, actor=prod.supervisor, version_id=touched.id, body="hm")

    def flags(actor):
        with uow() as s:
            room = review_room.room(s, actor=actor, task_id=prod.task.id)
        return {v.id: v.can_delete for v in room.versions}

    assert flags(prod.artist) == {by_artist.id: True, touched.id: False, by_super.id: False}
    assert flags(prod.supervisor) == {by_artist.id: True, touched.id: True, by_super.id: True}


# ---------------------------------------------------------------- numbers, rows, history


def test_a_deleted_versions_number_is_never_given_again(uow, prod):
    with uow() as s:
        for _ in range(3):
            make_version(s, prod.artist, prod.task.id)
        v3 = s.exec(select(Version).where(Version.number == 3)).one()
    with uow() as s:
        deletions.delete_version(s, actor=prod.supervisor, version_id=v3.id)
    with uow() as s:
        nxt = make_version(s, prod.artist, prod.task.id)
    assert (nxt.number, nxt.label) == (4, "v004")


def test_what_hangs_on_the_version_goes_with_it(uow, prod, version, db_url):
    activity_events.install(lambda: session_scope(db_url))
    try:
        with uow() as s:
            cid = annotations.add_comment(
                s,
                actor=prod.supervisor,
                version_id=version.id,
                body="more grain",
                frame=3,
                shapes=[PEN],
            )
            reviews.add_comment(
                s, actor=prod.supervisor, version_id=version.id, body="ok", parent_id=cid
            )
            reviews.record_approval(
                s, actor=prod.supervisor, version_id=version.id, decision="APPROVED"
            )
            s.add(
                SchedulerLease(
                    name=f"media-version:{version.id}",
                    holder="w",
                    expires_at=s.get(Version, version.id).created_at,
                )
            )
        with uow() as s:
            deletions.delete_version(s, actor=prod.producer, version_id=version.id)
    finally:
        activity_events.uninstall()
    with uow() as s:
        for model in (Comment, Annotation, Approval):
            assert s.exec(select(model).where(model.version_id == version.id)).all() == []
        assert s.get(SchedulerLease, f"media-version:{version.id}") is None
        lines = s.exec(
            select(Activity).where(Activity.task_id == prod.task.id).order_by(Activity.id)
        ).all()
    texts = [a.text for a in lines]
    code = prod.shot.code
    assert f"{prod.artist.name} uploaded {code} COMP v001" in texts  # history stays
    assert texts[-1] == f"{prod.producer.name} deleted {code} COMP v001"
    said = [t for t in texts if "commented on" in t]
    assert said and all(t.endswith(": comment deleted") for t in said)
    assert not any("more grain" in t for t in texts)


def test_bell_notifications_about_the_version_open_its_task(uow, prod, version, notifying):
    with uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="look")
    with uow() as s:
        before = s.exec(select(Notification).where(Notification.user_id == prod.artist.id)).all()
    assert any(n.payload.get("version_id") == version.id for n in before)
    with uow() as s:
        deletions.delete_version(s, actor=prod.producer, version_id=version.id)
    with uow() as s:
        after = s.exec(select(Notification).where(Notification.user_id == prod.artist.id)).all()
    assert len(after) == len(before)
    for n in after:
        assert n.payload.get("version_id") is None
        assert n.payload["link"] == f"/tasks/{prod.task.id}"


def test_version_deleted_is_emitted_after_commit_with_its_task(uow, prod, version, delivered):
    with uow() as s:
        deletions.delete_version(s, actor=prod.producer, version_id=version.id)
        assert not any(e.name == "version.deleted" for e in delivered)  # not before commit
    ev = next(e for e in delivered if e.name == "version.deleted")
    assert ev.project_id == prod.project.id
    assert (ev.payload["version_id"], ev.payload["task_id"]) == (version.id, prod.task.id)


def test_a_refused_delete_changes_nothing_and_emits_nothing(uow, prod, shared, delivered):
    with uow() as s, pytest.raises(Conflict):
        deletions.delete_version(s, actor=prod.producer, version_id=shared.id)
    assert not any(e.name == "version.deleted" for e in delivered)
    with uow() as s:
        assert s.exec(select(Activity).where(Activity.verb == "version.deleted")).all() == []
        assert s.exec(
            select(ReviewSessionVersion).where(ReviewSessionVersion.version_id == shared.id)
        ).all()


# ---------------------------------------------------------------- files


def test_files_leave_storage_only_after_the_commit(uow, prod, version, storage):
    keys = with_files(uow, storage, version.id, tag="a1")
    with uow() as s:
        deletions.delete_version(s, actor=prod.producer, version_id=version.id)
        s.flush()
        media_cleanup.flush()
        assert all(storage.exists(k) for k in keys.values())  # not yet: not committed
    assert media_cleanup.flush()
    assert not any(storage.exists(k) for k in keys.values())


def test_a_delete_that_rolls_back_keeps_its_files(uow, prod, version, storage):
    keys = with_files(uow, storage, version.id, tag="b2")
    with pytest.raises(RuntimeError), uow() as s:
        deletions.delete_version(s, actor=prod.producer, version_id=version.id)
        raise RuntimeError("something after it failed")
    media_cleanup.flush()
    assert version_exists(uow, version.id)
    assert all(storage.exists(k) for k in keys.values())


def test_a_file_another_version_uses_stays(uow, prod, version, storage):
    keys = with_files(uow, storage, version.id, tag="c3")
    with uow() as s:
        twin = make_version(s, prod.artist, prod.task.id)
        row = s.get(Version, twin.id)
        row.proxy_key = keys["proxy_key"]  # the demo show's versions share their clips
        s.add(row)
    with uow() as s:
        deletions.delete_version(s, actor=prod.producer, version_id=version.id)
    media_cleanup.flush()
    assert storage.exists(keys["proxy_key"])
    assert not storage.exists(keys["original_key"])


def test_a_file_that_cannot_be_removed_is_logged_and_blocks_nothing(
    uow, prod, version, storage, monkeypatch, caplog
):
    keys = with_files(uow, storage, version.id, tag="d4")

    real = storage.delete

    def flaky(key):
        if key == keys["poster_key"]:
            raise OSError("disk says no")
        real(key)

    monkeypatch.setattr(storage, "delete", flaky)
    with caplog.at_level(logging.ERROR, logger="services.media_cleanup"), uow() as s:
        deletions.delete_version(s, actor=prod.producer, version_id=version.id)
    media_cleanup.flush()
    assert not version_exists(uow, version.id)
    assert not storage.exists(keys["original_key"])
    assert storage.exists(keys["poster_key"])
    assert keys["poster_key"] in caplog.text


def test_files_leave_s3_storage_too(uow, prod, version, s3_storage):
    import io

    keys = ["m/e5/original.mov", "m/e5/thumb.jpg"]
    for key in keys:
        s3_storage.save_stream(key, io.BytesIO(b"x"))
    with uow() as s:
        v = s.get(Version, version.id)
        v.original_key, v.thumbnail_key = keys
        s.add(v)
    media_cleanup.install(s3_storage)
    try:
        with uow() as s:
            deletions.delete_version(s, actor=prod.producer, version_id=version.id)
        media_cleanup.flush()
    finally:
        media_cleanup.uninstall()
    assert not any(s3_storage.exists(k) for k in keys)


# ---------------------------------------------------------------- live pages


def test_open_boards_and_rooms_hear_of_the_delete_and_the_card_falls_back(uow, prod, delivered):
    from services import board, board_live, review_live

    with uow() as s:
        first = make_version(s, prod.artist, prod.task.id)
        second = make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        deletions.delete_version(s, actor=prod.producer, version_id=second.id)
    batch = [e for e in delivered if e.name == "version.deleted"]
    assert board_live._task_ids(batch) == {prod.task.id}
    assert review_live.task_ids(batch) == {prod.task.id}
    with uow() as s:
        (card,) = board.cards_for(s, [prod.task.id])
    assert (card.version_id, card.version_number) == (first.id, 1)


# ---------------------------------------------------------------- deleting a task


def task_exists(uow, task_id: int) -> bool:
    from models import Task

    with uow() as s:
        return s.get(Task, task_id) is not None


@pytest.mark.parametrize("who", ["admin", "producer"])
def test_an_admin_or_producer_deletes_a_task_with_its_versions_and_notes(uow, prod, who):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        v2 = make_version(s, prod.artist, prod.task.id)
        reviews.add_comment(s, actor=prod.supervisor, version_id=v2.id, body="grain")
        reviews.add_task_comment(s, actor=prod.supervisor, task_id=prod.task.id, body="brief")
    with uow() as s:
        done = deletions.delete_task(s, actor=getattr(prod, who), task_id=prod.task.id)
    assert (done.label, done.versions, done.project_id) == (
        f"{prod.shot.code} COMP",
        2,
        prod.project.id,
    )
    assert not task_exists(uow, prod.task.id)
    with uow() as s:
        assert s.exec(select(Version).where(Version.id.in_([v1.id, v2.id]))).all() == []
        assert s.exec(select(Comment)).all() == []


@pytest.mark.parametrize("who", ["supervisor", "artist"])
def test_supervisors_and_artists_may_not_delete_a_task(uow, prod, who):
    with uow() as s, pytest.raises(PermissionDenied, match="admin or a producer"):
        deletions.delete_task(s, actor=getattr(prod, who), task_id=prod.task.id)
    assert task_exists(uow, prod.task.id)


def test_a_client_is_told_the_task_does_not_exist(uow, prod):
    with uow() as s, pytest.raises(NotFound):
        deletions.delete_task(s, actor=prod.client, task_id=prod.task.id)
    assert task_exists(uow, prod.task.id)


def test_a_task_with_a_version_shared_with_the_client_is_refused(uow, prod, shared):
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)
    with uow() as s, pytest.raises(Conflict, match=r"shared with the client \(v001\)"):
        deletions.delete_task(s, actor=prod.admin, task_id=prod.task.id)
    assert task_exists(uow, prod.task.id) and version_exists(uow, shared.id)


def test_a_deleted_tasks_versions_go_through_the_version_path(
    uow, prod, version, storage, delivered
):
    keys = with_files(uow, storage, version.id, tag="t1")
    with uow() as s:
        deletions.delete_task(s, actor=prod.producer, task_id=prod.task.id)
    media_cleanup.flush()
    assert not any(storage.exists(k) for k in keys.values())
    names = [(e.name, e.payload.get("task_id")) for e in delivered]
    assert ("version.deleted", prod.task.id) in names
    assert ("task.deleted", prod.task.id) in names


def test_a_deleted_tasks_history_stays_in_the_project_feed_linked_to_nothing(
    uow, prod, version, notifying
):
    with uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="look")
    with uow() as s:
        deletions.delete_task(s, actor=prod.producer, task_id=prod.task.id)
    with uow() as s:
        lines = s.exec(
            select(Activity).where(Activity.project_id == prod.project.id).order_by(Activity.id)
        ).all()
        bell = s.exec(select(Notification).where(Notification.user_id == prod.artist.id)).all()
    code = prod.shot.code
    assert f"{prod.artist.name} uploaded {code} COMP v001" in [a.text for a in lines]
    assert all(a.task_id is None for a in lines)
    assert lines[-1].text == f"{prod.producer.name} deleted the {code} COMP task and its 1 version"
    assert bell and all(n.payload["link"] == f"/projects/{prod.project.id}" for n in bell)
    assert all(n.payload["task_id"] is None and n.payload["version_id"] is None for n in bell)


def test_open_boards_drop_a_deleted_tasks_card_and_its_pages_hear_of_it(uow, prod, delivered):
    from services import board, board_live, review_live

    with uow() as s:
        deletions.delete_task(s, actor=prod.admin, task_id=prod.task.id)
    batch = [e for e in delivered if e.name == "task.deleted"]
    assert board_live._task_ids(batch) == {prod.task.id}
    assert review_live.task_ids(batch) == {prod.task.id}
    with uow() as s:
        assert board.cards_for(s, [prod.task.id]) == []


def test_a_quote_inside_a_comment_leaves_no_trace_when_its_version_goes(uow, prod, version, db_url):
    """The line is written again from the comment, never cut at the last ': “' of the old one."""
    activity_events.install(lambda: session_scope(db_url))
    try:
        with uow() as s:
            reviews.add_comment(
                s, actor=prod.supervisor, version_id=version.id, body="Client said: “fee is 40k”"
            )
        with uow() as s:
            deletions.delete_version(s, actor=prod.producer, version_id=version.id)
    finally:
        activity_events.uninstall()
    with uow() as s:
        [line] = s.exec(select(Activity).where(Activity.verb == "comment.added")).all()
    assert line.text.endswith(": comment deleted")
    assert "40k" not in line.text and "Client said" not in line.text


def test_a_deleted_tasks_notes_leave_no_text_in_the_feed(uow, prod, db_url):
    activity_events.install(lambda: session_scope(db_url))
    try:
        with uow() as s:
            reviews.add_task_comment(
                s, actor=prod.supervisor, task_id=prod.task.id, body="Bid is 12 days"
            )
        with uow() as s:
            deletions.delete_task(s, actor=prod.producer, task_id=prod.task.id)
    finally:
        activity_events.uninstall()
    with uow() as s:
        [line] = s.exec(select(Activity).where(Activity.verb == "comment.added")).all()
    assert line.text.endswith(": comment deleted") and "12 days" not in line.text
    assert line.task_id is None  # still in the project's history, linked to nothing
