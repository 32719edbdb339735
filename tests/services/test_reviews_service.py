from __future__ import annotations

import pytest
from sqlmodel import select

from models import Activity, Approval, Comment, Task
from services import reviews, tasks
from services.errors import NotFound, PermissionDenied, ValidationError
from tests.factories import (
    enter_as_guest,
    make_production,
    make_task,
    make_user,
    make_version,
    share_version,
)


def status_of(uow, task_id) -> str:
    with uow() as s:
        return s.get(Task, task_id).status.value


def last_activity(uow, task_id) -> str:
    with uow() as s:
        return s.exec(
            select(Activity.text).where(Activity.task_id == task_id).order_by(Activity.id.desc())
        ).first()


# ---------------------------------------------------------------- comments


def test_artist_comments_internally_on_own_version(uow, prod, version, delivered):
    delivered.clear()
    with uow() as s:
        comment_id = reviews.add_comment(
            s, actor=prod.artist, version_id=version.id, body="  matte edge fixed ", frame=1012
        )
    with uow() as s:
        c = s.get(Comment, comment_id)
    assert (c.body, c.frame, c.visibility.value, c.author_id) == (
        "matte edge fixed",
        1012,
        "INTERNAL",
        prod.artist.id,
    )
    assert (c.version_id, c.task_id) == (version.id, prod.task.id)
    [added] = [e for e in delivered if e.name == "comment.added"]
    assert added.payload == {
        "comment_id": comment_id,
        "version_id": version.id,
        "task_id": prod.task.id,
        "actor_id": prod.artist.id,
        "visibility": "INTERNAL",
    }


@pytest.mark.parametrize(
    ("body", "frame", "message"),
    [
        ("", None, "Write something first."),
        ("   \n ", None, "Write something first."),
        (None, None, "Write something first."),
        ("x" * 10_001, None, "A comment is at most 10000 characters."),
        ("ok", -1, "Frame must not be negative."),
    ],
)
def test_comment_validation_messages(uow, prod, version, body, frame, message):
    with pytest.raises(ValidationError) as err, uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body=body, frame=frame)
    assert str(err.value) == message


def test_a_comment_of_exactly_the_limit_is_accepted(uow, prod, version):
    with uow() as s:
        assert reviews.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="x" * reviews.MAX_COMMENT
        )


def test_replies_point_at_their_parent(uow, prod, version):
    with uow() as s:
        parent = reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="why?")
        reply = reviews.add_comment(
            s, actor=prod.artist, version_id=version.id, body="because", parent_id=parent
        )
        assert s.get(Comment, reply).parent_id == parent


def test_artist_cannot_comment_on_someone_elses_version(uow, prod, version):
    with pytest.raises(PermissionDenied), uow() as s:
        reviews.add_comment(s, actor=prod.other_artist, version_id=version.id, body="hmm")


def test_staff_comment_for_the_client(uow, prod, shared):
    with uow() as s:
        cid = reviews.add_comment(
            s, actor=prod.producer, version_id=shared.id, body="here you go", client_visible=True
        )
        assert s.get(Comment, cid).visibility.value == "CLIENT"


def test_artist_cannot_write_to_the_client(uow, prod, shared):
    with pytest.raises(PermissionDenied), uow() as s:
        reviews.add_comment(
            s, actor=prod.artist, version_id=shared.id, body="hi client", client_visible=True
        )


def test_client_comments_on_a_shared_version_are_client_visible(uow, prod, shared):
    with uow() as s:
        # asking for an internal comment does not make a client's note internal
        cid = reviews.add_comment(s, actor=prod.client, version_id=shared.id, body="lovely")
        c = s.get(Comment, cid)
    assert (c.visibility.value, c.author_id) == ("CLIENT", prod.client.id)


def test_client_cannot_comment_on_an_unshared_version(uow, prod, version):
    with pytest.raises(NotFound, match="Version not found."), uow() as s:
        reviews.add_comment(s, actor=prod.client, version_id=version.id, body="let me see")
    with uow() as s:
        assert s.exec(select(Comment)).all() == []


def test_client_outside_the_project_cannot_comment_on_a_shared_version(uow, prod, shared):
    with uow() as s:
        stranger = make_user(s, role="CLIENT")
    with pytest.raises(NotFound), uow() as s:
        reviews.add_comment(s, actor=stranger, version_id=shared.id, body="hello?")


def test_comment_on_a_missing_version_is_not_found(uow, prod):
    with pytest.raises(NotFound), uow() as s:
        reviews.add_comment(s, actor=prod.producer, version_id=999_999, body="?")


# ---------------------------------------------------------------- approvals


def test_client_approval_moves_the_task_to_done(uow, prod, shared, delivered):
    assert status_of(uow, prod.task.id) == "CLIENT_REVIEW"
    delivered.clear()
    with uow() as s:
        approval_id = reviews.record_approval(
            s, actor=prod.client, version_id=shared.id, decision="APPROVED", note=" great "
        )
    assert status_of(uow, prod.task.id) == "DONE"
    with uow() as s:
        a = s.get(Approval, approval_id)
    assert (a.stage.value, a.decision.value, a.user_id, a.note) == (
        "CLIENT",
        "APPROVED",
        prod.client.id,
        "great",
    )
    [recorded] = [e for e in delivered if e.name == "approval.recorded"]
    assert recorded.payload == {
        "approval_id": approval_id,
        "version_id": shared.id,
        "task_id": prod.task.id,
        "stage": "CLIENT",
        "decision": "APPROVED",
        "actor_id": prod.client.id,
    }
    [changed] = [e for e in delivered if e.name == "task.status_changed"]
    assert (changed.payload["from_status"], changed.payload["to_status"]) == (
        "CLIENT_REVIEW",
        "DONE",
    )


def test_client_approval_reads_as_client_name_approved_shot_type_version(uow):
    with uow() as s:
        p = make_production(s, shot_code="SH010")
        for _ in range(3):
            make_version(s, p.artist, p.task.id)
        v4 = make_version(s, p.artist, p.task.id)
        share_version(s, p.supervisor, v4.id)
    with uow() as s:
        reviews.record_approval(s, actor=p.client, version_id=v4.id, decision="APPROVED")
    with uow() as s:
        texts = s.exec(
            select(Activity.text).where(Activity.task_id == p.task.id).order_by(Activity.id)
        ).all()
    assert f"Client {p.client.name} approved SH010 COMP v004" in texts
    assert texts[-1] == f"Client {p.client.name} moved SH010 COMP to Done"


def test_client_changes_request_reads_and_moves_the_task_to_changes(uow):
    with uow() as s:
        p = make_production(s, shot_code="SH020")
        track = make_task(
            s, p.producer, shot_id=p.shot.id, type="TRACK", assigned_artist_id=p.artist.id
        )
        make_version(s, p.artist, track.id)
        v2 = make_version(s, p.artist, track.id)
        share_version(s, p.producer, v2.id)
    with uow() as s:
        reviews.record_approval(
            s, actor=p.client, version_id=v2.id, decision="CHANGES_REQUESTED", note="darker"
        )
    assert status_of(uow, track.id) == "CHANGES"
    with uow() as s:
        texts = s.exec(select(Activity.text).where(Activity.task_id == track.id)).all()
    assert f"Client {p.client.name} requested changes on SH020 TRACK v002" in texts


@pytest.mark.parametrize("who", ["admin", "producer", "supervisor"])
def test_staff_internal_approval_keeps_the_task_where_it_is(uow, prod, version, who):
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"
    actor = getattr(prod, who)
    with uow() as s:
        approval_id = reviews.record_approval(
            s, actor=actor, version_id=version.id, decision="APPROVED"
        )
        a = s.get(Approval, approval_id)
    assert (a.stage.value, a.decision.value) == ("INTERNAL", "APPROVED")
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"
    assert last_activity(uow, prod.task.id) == (
        f"{actor.name} approved {prod.shot.code} COMP {version.label}"
    )


def test_approving_the_newest_version_takes_the_task_out_of_changes(uow, prod):
    """The supervisor sends v002 back, then changes their mind: the task is ready to share."""
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)
        v2 = make_version(s, prod.artist, prod.task.id)
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=v2.id, decision="CHANGES_REQUESTED"
        )
    assert status_of(uow, prod.task.id) == "CHANGES"
    with uow() as s:
        reviews.record_approval(s, actor=prod.supervisor, version_id=v2.id, decision="APPROVED")
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"
    assert last_activity(uow, prod.task.id) == (
        f"{prod.supervisor.name} moved {prod.shot.code} COMP to Internal Review"
    )


@pytest.mark.parametrize("start", ["TODO", "IN_PROGRESS", "CHANGES"])
def test_an_internal_approval_of_the_newest_version_moves_open_work_to_internal_review(
    uow, prod, version, start
):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=start)
    with uow() as s:
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=version.id, decision="APPROVED"
        )
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"


@pytest.mark.parametrize("start", ["CLIENT_REVIEW", "DONE"])
def test_an_internal_approval_leaves_a_task_with_the_client_or_done(uow, prod, version, start):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=start)
    with uow() as s:
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=version.id, decision="APPROVED"
        )
    assert status_of(uow, prod.task.id) == start


def test_approving_an_older_version_does_not_move_the_task(uow, prod, delivered):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        v2 = make_version(s, prod.artist, prod.task.id)
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=v2.id, decision="CHANGES_REQUESTED"
        )
    delivered.clear()
    with uow() as s:
        approval_id = reviews.record_approval(
            s, actor=prod.supervisor, version_id=v1.id, decision="APPROVED"
        )
    assert status_of(uow, prod.task.id) == "CHANGES"
    assert [e.name for e in delivered if e.name == "task.status_changed"] == []
    with uow() as s:
        assert s.get(Approval, approval_id).version_id == v1.id
    assert last_activity(uow, prod.task.id) == (
        f"{prod.supervisor.name} approved {prod.shot.code} COMP v001"
    )


def test_requesting_changes_on_an_older_version_does_not_move_the_task(uow, prod):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        make_version(s, prod.artist, prod.task.id)  # v002 is in Internal Review
    with uow() as s:
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=v1.id, decision="CHANGES_REQUESTED", note="old"
        )
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"


def test_internal_changes_request_moves_the_task_to_changes(uow, prod, version):
    with uow() as s:
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=version.id, decision="CHANGES_REQUESTED"
        )
    assert status_of(uow, prod.task.id) == "CHANGES"
    with uow() as s:
        texts = s.exec(select(Activity.text).where(Activity.task_id == prod.task.id)).all()
    assert f"{prod.supervisor.name} requested changes on {prod.shot.code} COMP v001" in texts
    assert texts[-1] == f"{prod.supervisor.name} moved {prod.shot.code} COMP to Changes"


@pytest.mark.parametrize("who", ["artist", "other_artist"])
def test_artists_cannot_approve(uow, prod, version, who):
    with pytest.raises(PermissionDenied), uow() as s:
        reviews.record_approval(
            s, actor=getattr(prod, who), version_id=version.id, decision="APPROVED"
        )
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"


def test_client_cannot_approve_an_unshared_version(uow, prod, version):
    with pytest.raises(NotFound), uow() as s:
        reviews.record_approval(s, actor=prod.client, version_id=version.id, decision="APPROVED")
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"
    with uow() as s:
        assert s.exec(select(Approval)).all() == []


def test_client_outside_the_project_cannot_approve(uow, prod, shared):
    with uow() as s:
        stranger = make_user(s, role="CLIENT")
    with pytest.raises(NotFound), uow() as s:
        reviews.record_approval(s, actor=stranger, version_id=shared.id, decision="APPROVED")
    assert status_of(uow, prod.task.id) == "CLIENT_REVIEW"


def test_unknown_decision_is_refused(uow, prod, version):
    with (
        pytest.raises(ValidationError, match="Decision must be APPROVED or CHANGES_REQUESTED."),
        uow() as s,
    ):
        reviews.record_approval(s, actor=prod.supervisor, version_id=version.id, decision="MEH")


def test_approvals_are_append_only(uow, prod, shared):
    with uow() as s:
        reviews.record_approval(
            s, actor=prod.client, version_id=shared.id, decision="CHANGES_REQUESTED"
        )
    with uow() as s:
        reviews.record_approval(s, actor=prod.client, version_id=shared.id, decision="APPROVED")
    with uow() as s:
        history = s.exec(select(Approval.decision).order_by(Approval.id)).all()
    assert [d.value for d in history] == ["CHANGES_REQUESTED", "APPROVED"]
    assert status_of(uow, prod.task.id) == "DONE"


def test_an_approved_task_reopens_to_internal_review_on_a_new_upload(uow, prod, shared):
    with uow() as s:
        reviews.record_approval(s, actor=prod.client, version_id=shared.id, decision="APPROVED")
    with uow() as s:
        v2 = make_version(s, prod.artist, prod.task.id)
    assert v2.label == "v002"
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"


def test_full_review_round_trip(uow, prod):
    """Upload → INTERNAL_REVIEW, Share → CLIENT_REVIEW, client changes → CHANGES, artist back to
    work, upload → INTERNAL_REVIEW, share, client approves → DONE."""
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"
    with uow() as s:
        share_version(s, prod.supervisor, v1.id)
    assert status_of(uow, prod.task.id) == "CLIENT_REVIEW"
    with uow() as s:
        reviews.record_approval(
            s, actor=prod.client, version_id=v1.id, decision="CHANGES_REQUESTED"
        )
    assert status_of(uow, prod.task.id) == "CHANGES"
    with uow() as s:
        tasks.move(s, actor=prod.supervisor, task_id=prod.task.id, status="IN_PROGRESS")
        v2 = make_version(s, prod.artist, prod.task.id)
    assert status_of(uow, prod.task.id) == "INTERNAL_REVIEW"
    with uow() as s:
        reviews.record_approval(s, actor=prod.supervisor, version_id=v2.id, decision="APPROVED")
        share_version(s, prod.supervisor, v2.id)
    with uow() as s:
        reviews.record_approval(s, actor=prod.client, version_id=v2.id, decision="APPROVED")
    assert status_of(uow, prod.task.id) == "DONE"


def test_a_client_decision_names_the_client_as_such_and_the_person(uow, prod, shared):
    with uow() as s:
        reviews.record_approval(s, actor=prod.client, version_id=shared.id, decision="APPROVED")
    with uow() as s:
        texts = s.exec(
            select(Activity.text).where(
                Activity.task_id == prod.task.id, Activity.actor_id == prod.client.id
            )
        ).all()
    who = f"Client {prod.client.name}"
    assert sorted(texts) == [
        f"{who} approved {prod.shot.code} COMP v001",
        f"{who} moved {prod.shot.code} COMP to Done",
    ]


def test_a_link_guests_decision_is_signed_with_the_name_they_gave(uow, prod, version):
    with uow() as s:
        result = share_version(s, prod.supervisor, version.id)
        guest = enter_as_guest(s, result.link, "Jordan (Harbor Films)")
    with uow() as s:
        reviews.record_approval(s, actor=guest, version_id=version.id, decision="APPROVED")
    with uow() as s:
        texts = s.exec(
            select(Activity.text).where(Activity.task_id == prod.task.id).order_by(Activity.id)
        ).all()
        history = reviews.approval_history(s, actor=prod.producer, task_id=prod.task.id)
    assert texts[-2:] == [
        f"Client Jordan (Harbor Films) approved {prod.shot.code} COMP v001",
        f"Client Jordan (Harbor Films) moved {prod.shot.code} COMP to Done",
    ]
    assert [(a.who, a.stage) for a in history] == [("Jordan (Harbor Films)", "CLIENT")]


def test_a_reply_must_be_on_the_same_version_as_its_parent(uow, prod, version):
    with uow() as s:
        other = make_version(s, prod.artist, prod.task.id)
        parent_id = reviews.add_comment(s, actor=prod.supervisor, version_id=other.id, body="a")
    with pytest.raises(ValidationError, match="same version"), uow() as s:
        reviews.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="b", parent_id=parent_id
        )


# ---------------------------------------------------------------- task comments


def test_a_task_comment_is_an_internal_note_on_the_task(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        comment_id = reviews.add_task_comment(
            s, actor=prod.artist, task_id=prod.task.id, body="  starting on the roto today "
        )
    with uow() as s:
        c = s.get(Comment, comment_id)
    assert (c.task_id, c.version_id, c.author_id, c.body, c.visibility.value) == (
        prod.task.id,
        None,
        prod.artist.id,
        "starting on the roto today",
        "INTERNAL",
    )
    [added] = [e for e in delivered if e.name == "comment.added"]
    assert added.payload == {
        "comment_id": comment_id,
        "version_id": None,
        "task_id": prod.task.id,
        "actor_id": prod.artist.id,
        "visibility": "INTERNAL",
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something first."),
        ("  \n", "Write something first."),
        (None, "Write something first."),
        ("x" * 10_001, "A comment is at most 10000 characters."),
    ],
)
def test_task_comment_validation_messages(uow, prod, body, message):
    with pytest.raises(ValidationError) as err, uow() as s:
        reviews.add_task_comment(s, actor=prod.supervisor, task_id=prod.task.id, body=body)
    assert str(err.value) == message


def test_a_watching_artist_may_comment_on_the_task(uow, prod):
    with uow() as s:
        tasks.watch(s, actor=prod.artist, task_id=prod.task.id, watching=True)
        tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.other_artist.id]
        )
    with uow() as s:
        assert reviews.add_task_comment(
            s, actor=prod.other_artist, task_id=prod.task.id, body="following"
        )


def test_artist_cannot_comment_on_a_task_they_cannot_see(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        reviews.add_task_comment(s, actor=prod.other_artist, task_id=prod.task.id, body="hi")


def test_client_commenting_on_a_task_is_told_it_does_not_exist(uow, prod):
    with pytest.raises(NotFound, match="Task not found."), uow() as s:
        reviews.add_task_comment(s, actor=prod.client, task_id=prod.task.id, body="hello")
    with pytest.raises(NotFound), uow() as s:
        reviews.add_task_comment(s, actor=prod.producer, task_id=999_999, body="hello")
    with uow() as s:
        assert s.exec(select(Comment)).all() == []


def test_task_comments_include_version_comments_oldest_first(uow, prod, shared):
    with uow() as s:
        on_task = reviews.add_task_comment(
            s, actor=prod.supervisor, task_id=prod.task.id, body="plate is in"
        )
        on_v1 = reviews.add_comment(
            s, actor=prod.artist, version_id=shared.id, body="edge", frame=1012
        )
        from_client = reviews.add_comment(s, actor=prod.client, version_id=shared.id, body="nice")
        reply = reviews.add_comment(
            s, actor=prod.supervisor, version_id=shared.id, body="thanks", parent_id=from_client
        )
        s.add(Comment(version_id=shared.id, task_id=prod.task.id, guest_name="Marta", body="ok"))
        # another task's notes stay on that task
        other = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        reviews.add_task_comment(s, actor=prod.producer, task_id=other.id, body="elsewhere")
    with uow() as s:
        listed = reviews.list_task_comments(s, actor=prod.artist, task_id=prod.task.id)
    assert [(c.id, c.author_name, c.is_client, c.body) for c in listed[:4]] == [
        (on_task, prod.supervisor.name, False, "plate is in"),
        (on_v1, prod.artist.name, False, "edge"),
        (from_client, prod.client.name, True, "nice"),
        (reply, prod.supervisor.name, False, "thanks"),
    ]
    assert [(c.version_id, c.version_label, c.visibility) for c in listed[:3]] == [
        (None, "", "INTERNAL"),
        (shared.id, "v001", "INTERNAL"),
        (shared.id, "v001", "CLIENT"),
    ]
    assert (listed[1].frame, listed[3].parent_id) == (1012, from_client)
    guest = listed[4]
    assert (len(listed), guest.author_name, guest.is_client) == (5, "Marta", True)


def test_task_comments_label_each_version(uow, prod):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        v2 = make_version(s, prod.artist, prod.task.id)
        for v in (v2, v1):
            reviews.add_comment(s, actor=prod.supervisor, version_id=v.id, body=v.label)
        listed = reviews.list_task_comments(s, actor=prod.supervisor, task_id=prod.task.id)
    assert [(c.body, c.version_label) for c in listed] == [("v002", "v002"), ("v001", "v001")]


def test_a_task_without_comments_lists_none(uow, prod):
    with uow() as s:
        assert reviews.list_task_comments(s, actor=prod.producer, task_id=prod.task.id) == []


def test_task_comments_follow_task_visibility(uow, prod, shared):
    with pytest.raises(PermissionDenied), uow() as s:
        reviews.list_task_comments(s, actor=prod.other_artist, task_id=prod.task.id)
    # even with a shared version, the studio's thread is not the client's to read
    with pytest.raises(NotFound, match="Task not found."), uow() as s:
        reviews.list_task_comments(s, actor=prod.client, task_id=prod.task.id)


# ---------------------------------------------------------------- approval history


def test_approval_history_is_newest_first_naming_each_person(uow, prod):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        first = reviews.record_approval(
            s, actor=prod.supervisor, version_id=v1.id, decision="CHANGES_REQUESTED", note="soft"
        )
        tasks.move(s, actor=prod.supervisor, task_id=prod.task.id, status="IN_PROGRESS")
        v2 = make_version(s, prod.artist, prod.task.id)
        second = reviews.record_approval(
            s, actor=prod.producer, version_id=v2.id, decision="APPROVED"
        )
        share_version(s, prod.supervisor, v2.id)
    with uow() as s:
        third = reviews.record_approval(
            s, actor=prod.client, version_id=v2.id, decision="APPROVED", note="final"
        )
    with uow() as s:
        history = reviews.approval_history(s, actor=prod.artist, task_id=prod.task.id)
    assert [
        (a.id, a.who, a.stage, a.decision, a.note, a.version_id, a.version_label) for a in history
    ] == [
        (third, prod.client.name, "CLIENT", "APPROVED", "final", v2.id, "v002"),
        (second, prod.producer.name, "INTERNAL", "APPROVED", "", v2.id, "v002"),
        (first, prod.supervisor.name, "INTERNAL", "CHANGES_REQUESTED", "soft", v1.id, "v001"),
    ]


def test_approval_history_holds_that_task_only(uow, prod, version):
    with uow() as s:
        other = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        elsewhere = make_version(s, prod.producer, other.id)
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=elsewhere.id, decision="APPROVED"
        )
        assert reviews.approval_history(s, actor=prod.producer, task_id=prod.task.id) == []
        assert [
            a.version_id for a in reviews.approval_history(s, actor=prod.producer, task_id=other.id)
        ] == [elsewhere.id]


def test_approval_history_follows_task_visibility(uow, prod, shared):
    with pytest.raises(PermissionDenied), uow() as s:
        reviews.approval_history(s, actor=prod.other_artist, task_id=prod.task.id)
    with pytest.raises(NotFound, match="Task not found."), uow() as s:
        reviews.approval_history(s, actor=prod.client, task_id=prod.task.id)
    with pytest.raises(NotFound), uow() as s:
        reviews.approval_history(s, actor=prod.producer, task_id=999_999)
