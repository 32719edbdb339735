"""Editing and deleting comments: the author edits (text only), the author or staff delete,
an artist and a client touch only their own, a client only on what is shared with them and
never an internal comment, a link guest only what that guest wrote. A delete keeps the thread
(the row stays without text or drawing while a reply shows under it) and a deleted comment
without one is gone from lists and counts. Edits and deletes go live, notify nobody and
write no activity."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models import Activity, Annotation, Comment, CommentVisibility, Notification
from services import (
    activity_events,
    annotations,
    board,
    comments,
    portal,
    review_room,
    reviews,
    sharing,
    tasks,
)
from services.db import session_scope
from services.errors import NotFound, PermissionDenied, ValidationError
from services.sharing import NewSession
from tests.factories import make_version, share_version

BOX = {"t": "rect", "c": "#ff3b30", "p": [[0.1, 0.1], [0.4, 0.4]]}


def post(uow, actor, version_id, body="note", **kw) -> int:
    with uow() as s:
        return reviews.add_comment(s, actor=actor, version_id=version_id, body=body, **kw)


def edit(uow, actor, comment_id, body):
    with uow() as s:
        comments.edit_comment(s, actor=actor, comment_id=comment_id, body=body)


def delete(uow, actor, comment_id):
    with uow() as s:
        comments.delete_comment(s, actor=actor, comment_id=comment_id)


def refused(uow, actor, comment_id, error, match: str | None = None) -> None:
    """Neither an edit nor a delete by `actor` goes through."""
    with pytest.raises(error, match=match):
        edit(uow, actor, comment_id, "changed")
    with pytest.raises(error, match=match):
        delete(uow, actor, comment_id)


def row(uow, comment_id) -> Comment:
    with uow() as s:
        return s.get(Comment, comment_id)


def listed(uow, actor, version_id) -> list:
    with uow() as s:
        return review_room.comments(s, actor=actor, version_id=version_id)


def guest_of(uow, link: str, name: str):
    with uow() as s:
        got = sharing.enter_link(s, token=link[len(sharing.LINK_PREFIX) :], name=name)
    assert got.error == "", got.error
    return got.guest


# ---------------------------------------------------------------- editing


def test_the_author_edits_the_text_and_keeps_frame_drawing_and_visibility(
    uow, prod, shared, delivered
):
    with uow() as s:
        cid = annotations.add_comment(
            s,
            actor=prod.supervisor,
            version_id=shared.id,
            body="edge too soft",
            frame=4,
            shapes=[BOX],
            client_visible=True,
        )
    delivered.clear()
    edit(uow, prod.supervisor, cid, "  edge too sharp ")
    c = row(uow, cid)
    assert (c.body, c.frame, c.visibility.value) == ("edge too sharp", 4, "CLIENT")
    assert c.edited_at is not None and c.deleted_at is None
    [read] = listed(uow, prod.supervisor, shared.id)
    assert read.shapes[0]["t"] == "rect" and read.edited_at == c.edited_at
    [event] = delivered
    assert (event.name, event.project_id) == ("comment.edited", prod.project.id)
    assert event.payload == {
        "comment_id": cid,
        "version_id": shared.id,
        "task_id": prod.task.id,
        "actor_id": prod.supervisor.id,
        "visibility": "CLIENT",
    }


def test_saving_the_same_text_is_no_edit(uow, prod, version, delivered):
    cid = post(uow, prod.artist, version.id, "same")
    delivered.clear()
    edit(uow, prod.artist, cid, " same  ")
    assert row(uow, cid).edited_at is None
    assert delivered == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "A comment cannot be empty: write something, or delete it."),
        ("  \n ", "A comment cannot be empty: write something, or delete it."),
        (None, "A comment cannot be empty: write something, or delete it."),
        ("x" * 10_001, "A comment is at most 10000 characters."),
    ],
)
def test_an_edit_needs_some_text(uow, prod, version, body, message):
    cid = post(uow, prod.artist, version.id, "keep me")
    with pytest.raises(ValidationError) as err:
        edit(uow, prod.artist, cid, body)
    assert str(err.value) == message
    assert row(uow, cid).body == "keep me"


@pytest.mark.parametrize("who", ["admin", "producer", "supervisor"])
def test_staff_cannot_edit_someone_elses_comment(uow, prod, version, who):
    cid = post(uow, prod.artist, version.id, "mine")
    with pytest.raises(PermissionDenied, match="only edit your own"):
        edit(uow, getattr(prod, who), cid, "theirs now")
    assert row(uow, cid).body == "mine"


def test_an_artist_touches_only_their_own_comments(uow, prod, version):
    cid = post(uow, prod.supervisor, version.id, "from the sup")
    refused(uow, prod.artist, cid, PermissionDenied, "your own")
    assert row(uow, cid).deleted_at is None


def test_an_artist_off_the_task_may_no_longer_edit_their_comment(uow, prod, version):
    cid = post(uow, prod.artist, version.id, "before the handover")
    with uow() as s:
        tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=prod.other_artist.id)
    refused(uow, prod.artist, cid, PermissionDenied)


def test_a_deleted_comment_cannot_be_edited(uow, prod, version):
    cid = post(uow, prod.artist, version.id)
    delete(uow, prod.artist, cid)
    with pytest.raises(ValidationError, match="was deleted"):
        edit(uow, prod.artist, cid, "back")


def test_a_missing_comment_is_not_found(uow, prod):
    refused(uow, prod.admin, 999_999, NotFound)


# ---------------------------------------------------------------- deleting


@pytest.mark.parametrize("who", ["admin", "producer", "supervisor"])
def test_staff_delete_anyones_comment(uow, prod, shared, who):
    cid = post(uow, prod.client, shared.id, "wrong shot, sorry")
    delete(uow, getattr(prod, who), cid)
    c = row(uow, cid)
    assert c.deleted_at is not None and c.body == ""
    assert c.deleted_by_id == getattr(prod, who).id


def test_the_author_deletes_a_comment_with_its_drawing(uow, prod, version, delivered):
    with uow() as s:
        cid = annotations.add_comment(
            s, actor=prod.artist, version_id=version.id, body="x", frame=2, shapes=[BOX]
        )
    delivered.clear()
    delete(uow, prod.artist, cid)
    with uow() as s:
        assert s.exec(select(Annotation).where(Annotation.comment_id == cid)).all() == []
        assert annotations.list_for_version(s, actor=prod.artist, version_id=version.id) == []
    [event] = delivered
    assert (event.name, event.payload["comment_id"], event.payload["task_id"]) == (
        "comment.deleted",
        cid,
        prod.task.id,
    )


def test_a_deleted_comment_without_replies_is_gone_from_lists_and_counts(uow, prod, version):
    keep = post(uow, prod.artist, version.id, "keep")
    gone = post(uow, prod.artist, version.id, "gone")
    delete(uow, prod.artist, gone)
    assert [c.id for c in listed(uow, prod.supervisor, version.id)] == [keep]
    with uow() as s:
        room = review_room.room(s, actor=prod.supervisor, version_id=version.id)
        notes = reviews.list_task_comments(s, actor=prod.supervisor, task_id=prod.task.id)
        [card] = board.cards_for(s, [prod.task.id])
    assert room.versions[0].comment_count == 1
    assert [n.id for n in notes] == [keep]
    assert card.comment_count == 1


def test_a_deleted_comment_with_replies_keeps_the_thread(uow, prod, version):
    parent = post(uow, prod.supervisor, version.id, "why the flicker?")
    reply = post(uow, prod.artist, version.id, "fixed in v2", parent_id=parent)
    delete(uow, prod.supervisor, parent)
    shown = listed(uow, prod.artist, version.id)
    assert [(c.id, c.deleted, c.body, c.can_edit, c.can_delete) for c in shown] == [
        (parent, True, "", False, False),
        (reply, False, "fixed in v2", True, True),
    ]
    with uow() as s:
        notes = reviews.list_task_comments(s, actor=prod.artist, task_id=prod.task.id)
    assert [(n.id, n.deleted) for n in notes] == [(parent, True), (reply, False)]
    # the last reply goes: the thread goes with it
    delete(uow, prod.artist, reply)
    assert listed(uow, prod.artist, version.id) == []


def test_deleting_twice_changes_nothing(uow, prod, version, delivered):
    cid = post(uow, prod.artist, version.id)
    delete(uow, prod.artist, cid)
    first = row(uow, cid).deleted_at
    delivered.clear()
    delete(uow, prod.supervisor, cid)
    assert row(uow, cid).deleted_at == first and row(uow, cid).deleted_by_id == prod.artist.id
    assert delivered == []


def test_no_reply_to_a_deleted_comment(uow, prod, version):
    parent = post(uow, prod.supervisor, version.id)
    post(uow, prod.artist, version.id, "a reply keeps it listed", parent_id=parent)
    delete(uow, prod.supervisor, parent)
    with pytest.raises(ValidationError, match="was deleted"):
        post(uow, prod.artist, version.id, "late", parent_id=parent)


def test_edits_and_deletes_notify_nobody_and_write_no_activity(uow, prod, db_url, notifying):
    activity_events.install(lambda: session_scope(db_url))
    try:
        with uow() as s:
            v = make_version(s, prod.artist, prod.task.id)
        cid = post(uow, prod.supervisor, v.id, "first")
        with uow() as s:
            notes = len(s.exec(select(Notification)).all())
            lines = len(s.exec(select(Activity)).all())
        edit(uow, prod.supervisor, cid, "second")
        delete(uow, prod.supervisor, cid)
        with uow() as s:
            assert len(s.exec(select(Notification)).all()) == notes
            assert len(s.exec(select(Activity)).all()) == lines
    finally:
        activity_events.uninstall()


# ---------------------------------------------------------------- notes on the task


def test_a_note_on_the_task_is_edited_and_deleted_by_its_author(uow, prod):
    with uow() as s:
        cid = reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="tyop")
    edit(uow, prod.artist, cid, "typo")
    with pytest.raises(PermissionDenied):
        edit(uow, prod.supervisor, cid, "mine")
    with pytest.raises(NotFound):  # a client is told the task does not exist
        delete(uow, prod.client, cid)
    delete(uow, prod.supervisor, cid)
    assert row(uow, cid).deleted_at is not None


def test_the_tasks_notes_say_what_each_viewer_may_do_with_them(uow, prod, shared):
    with uow() as s:
        note = reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="wip")
    on_version = post(uow, prod.artist, shared.id, "v1 note")
    for_client = post(uow, prod.supervisor, shared.id, "for them", client_visible=True)

    def may(actor):
        with uow() as s:
            found = reviews.list_task_comments(s, actor=actor, task_id=prod.task.id)
        return {c.id: (c.can_edit, c.can_delete) for c in found}

    assert may(prod.artist) == {
        note: (True, True),
        on_version: (True, True),
        for_client: (False, False),
    }
    assert may(prod.supervisor) == {
        note: (False, True),
        on_version: (False, True),
        for_client: (True, True),
    }
    delete(uow, prod.artist, note)
    assert note not in may(prod.producer)  # gone: no replies hold it


# ---------------------------------------------------------------- clients


def test_a_client_edits_and_deletes_their_own_comment_on_a_shared_version(uow, prod, shared):
    cid = post(uow, prod.client, shared.id, "warmer")
    edit(uow, prod.client, cid, "warmer sky")
    c = row(uow, cid)
    assert (c.body, c.visibility.value) == ("warmer sky", "CLIENT")
    with uow() as s:
        room = portal.room(s, actor=prod.client, version_id=shared.id)
    assert [(x.body, x.can_edit, x.can_delete) for x in room.comments] == [
        ("warmer sky", True, True)
    ]
    delete(uow, prod.client, cid)
    assert row(uow, cid).deleted_at is not None


def test_a_client_is_told_an_internal_comment_does_not_exist(uow, prod, shared):
    internal = post(uow, prod.supervisor, shared.id, "internal only")
    refused(uow, prod.client, internal, NotFound, "Comment not found")
    assert row(uow, internal).body == "internal only"


def test_a_client_cannot_touch_the_studios_comments_meant_for_them(uow, prod, shared):
    cid = post(uow, prod.producer, shared.id, "v002 tomorrow", client_visible=True)
    refused(uow, prod.client, cid, PermissionDenied, "your own")
    with uow() as s:
        [read] = portal.room(s, actor=prod.client, version_id=shared.id).comments
    assert (read.can_edit, read.can_delete) == (False, False)


def test_a_client_loses_their_comments_with_the_version_withdrawn(uow, prod, shared):
    cid = post(uow, prod.client, shared.id, "warmer")
    with uow() as s:
        sharing.unshare_version(s, actor=prod.producer, version_id=shared.id)
    refused(uow, prod.client, cid, NotFound)


# ---------------------------------------------------------------- link guests


def test_a_guest_edits_only_what_that_guest_wrote(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        result = share_version(s, prod.producer, v.id, new_session=NewSession(name="Week 1"))
    dana = guest_of(uow, result.link, "Dana")
    other = guest_of(uow, result.link, "Dana")  # same name, another browser
    cid = post(uow, dana, v.id, "sky")
    assert row(uow, cid).guest_id == dana.guest_id
    client_note = post(uow, prod.client, v.id, "from the client user")
    edit(uow, dana, cid, "sky too bright")
    assert row(uow, cid).body == "sky too bright"
    for target in (cid, client_note):
        refused(uow, other, target, PermissionDenied, "your own")
    with uow() as s:
        mine = portal.room(s, actor=dana, version_id=v.id).comments
        theirs = portal.room(s, actor=other, version_id=v.id).comments
    assert [(c.can_edit, c.can_delete) for c in mine] == [(True, True), (False, False)]
    assert [(c.can_edit, c.can_delete) for c in theirs] == [(False, False), (False, False)]
    delete(uow, dana, cid)
    c = row(uow, cid)
    assert c.deleted_at is not None and c.deleted_by_id is None


def test_a_guest_comment_without_a_guest_id_is_nobodys_to_edit(uow, prod):
    """Guest comments written before guests were told apart carry only a name."""
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        result = share_version(s, prod.producer, v.id, new_session=NewSession(name="Week 1"))
        old = Comment(
            version_id=v.id,
            task_id=prod.task.id,
            guest_name="Dana",
            body="old",
            visibility=CommentVisibility.CLIENT,
        )
        s.add(old)
        s.flush()
        old_id = old.id
    dana = guest_of(uow, result.link, "Dana")
    with pytest.raises(PermissionDenied):
        edit(uow, dana, old_id, "new")
    delete(uow, prod.supervisor, old_id)  # staff still may


def test_a_guest_reaches_comments_on_their_sessions_versions_only(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        result = share_version(s, prod.producer, v.id, new_session=NewSession(name="A"))
        elsewhere = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.producer, elsewhere.id, new_session=NewSession(name="B"))
    guest = guest_of(uow, result.link, "Dana")
    theirs = post(uow, prod.client, elsewhere.id, "on another link")
    with pytest.raises(NotFound):
        delete(uow, guest, theirs)


# ---------------------------------------------------------------- what each viewer may do


def test_each_viewer_is_told_what_they_may_do_with_each_comment(uow, prod, version):
    mine = post(uow, prod.artist, version.id, "artist's")
    sups = post(uow, prod.supervisor, version.id, "supervisor's")
    as_artist = {c.id: (c.can_edit, c.can_delete) for c in listed(uow, prod.artist, version.id)}
    as_sup = {c.id: (c.can_edit, c.can_delete) for c in listed(uow, prod.supervisor, version.id)}
    as_producer = {c.id: (c.can_edit, c.can_delete) for c in listed(uow, prod.producer, version.id)}
    assert as_artist == {mine: (True, True), sups: (False, False)}
    assert as_sup == {mine: (False, True), sups: (True, True)}
    assert as_producer == {mine: (False, True), sups: (False, True)}
