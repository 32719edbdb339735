"""What the review room shows: frame numbers from the project's start frame, SMPTE timecode
at the version's rate, replies under the comment they answer, decisions in words, and media
links kept while they still have time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from services.schemas import RoomVersionRead, VersionCommentRead
from state.formatting import timecode
from state.review import ReviewState
from state.review_rows import room_comments, version_card

NOW = datetime.now(UTC)


@pytest.mark.parametrize(
    ("index", "fps", "expected"),
    [
        (0, 24, "00:00:00:00"),
        (23, 24, "00:00:00:23"),
        (24, 24, "00:00:01:00"),
        (100, 23.976, "00:00:04:04"),  # counted at the nominal 24
        (90_000, 25, "01:00:00:00"),
        (1799, 29.97, "00:00:59;29"),  # drop-frame: ;01 and ;00 of minute 1 do not exist
        (1800, 29.97, "00:01:00;02"),
        (17_982, 29.97, "00:10:00;00"),  # every tenth minute keeps them
        (3600, 59.94, "00:01:00;04"),
        (1800, 30, "00:01:00:00"),
    ],
)
def test_timecode(index, fps, expected):
    assert timecode(index, fps) == expected


def comment(id, frame=None, parent=None, shapes=(), visibility="INTERNAL"):
    return VersionCommentRead(
        id=id,
        author_name="Sam",
        is_client=False,
        body=f"c{id}",
        frame=frame,
        visibility=visibility,
        parent_id=parent,
        created_at=NOW,
        shapes=shapes,
    )


def test_comments_show_frames_from_the_start_frame_with_replies_under_their_comment():
    rows = room_comments(
        [
            comment(1, frame=11, shapes=({"t": "rect"},)),
            comment(2),
            comment(3, parent=1),
            comment(4, frame=0, visibility="CLIENT"),
        ],
        start_frame=1001,
        fps=24,
    )
    assert [(r.id, r.reply) for r in rows] == [(1, False), (3, True), (2, False), (4, False)]
    first, reply, whole, for_client = rows
    assert (first.frame, first.frame_label, first.timecode, first.drawing) == (
        11,
        "1012",
        "00:00:00:11",
        True,
    )
    assert (whole.frame, whole.frame_label, whole.timecode) == (-1, "", "")
    assert for_client.for_client and not first.for_client


def test_a_comment_says_it_was_edited_and_what_this_viewer_may_do_with_it():
    now = datetime.now(UTC)  # not NOW: set at import, minutes before a full run gets here
    edited, deleted, plain = room_comments(
        [
            replace(comment(1), edited_at=now, can_edit=True, can_delete=True),
            replace(comment(2), body="", edited_at=now, deleted=True),
            replace(comment(3), can_delete=True),
        ],
        start_frame=1001,
        fps=24,
    )
    assert (edited.edited, edited.can_edit, edited.can_delete) == ("edited just now", True, True)
    assert (deleted.deleted, deleted.edited, deleted.body) == (True, "", "")
    assert (plain.edited, plain.can_edit, plain.can_delete) == ("", False, True)


def room_version(**fields):
    base = {
        "id": 1,
        "number": 2,
        "label": "v002",
        "uploaded_by_name": "Alex",
        "created_at": NOW,
        "processing_state": "FAILED",
        "processing_error": "moov atom not found",
        "description": "",
        "is_client_visible": False,
        "comment_count": 3,
        "approval": "CHANGES_REQUESTED",
        "approval_stage": "CLIENT",
        "thumbnail_url": None,
    }
    return RoomVersionRead(**{**base, **fields})


def test_a_version_card_says_its_state_and_decision_in_words():
    card = version_card(room_version())
    assert (card.state_label, card.error, card.approval_label, card.thumb) == (
        "Failed",
        "moov atom not found",
        "Client: changes requested",
        "",
    )
    assert version_card(room_version(approval="", approval_stage="")).approval_label == ""


def test_a_refresh_keeps_links_with_time_left_and_replaces_the_rest():
    old = {"version_id": 1, "state": "READY", "frames": 48, "fps": 24, "src": "/media/a?sig=1"}
    new = {**old, "src": "/media/a?sig=2"}
    far = {**old, "expires": (NOW.timestamp() + 3000) * 1000}
    near = {**old, "expires": (NOW.timestamp() + 60) * 1000}
    assert ReviewState._keep_links(far, {**new, "expires": 1})["src"] == "/media/a?sig=1"
    assert ReviewState._keep_links(near, {**new, "expires": 1})["src"] == "/media/a?sig=2"
    moved_on = {**new, "version_id": 2}
    assert ReviewState._keep_links(far, moved_on)["src"] == "/media/a?sig=2"
