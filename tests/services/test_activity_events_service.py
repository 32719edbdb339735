"""A comment leaves a line in the activity feed, written after the comment committed: who,
on what, a short excerpt; a client is named as such; the line is visible only where the task
is (an artist's feed holds their tasks only). The line quotes the comment as it is now: an
edit shows the new text, a delete leaves "comment deleted" and the text nowhere."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models import Activity
from services import activity, activity_events, comments, events, reviews
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


# ---------------------------------------------------------------- after an edit or a delete


def all_feeds(uow, prod):
    """Every feed that may hold the line, as staff read them."""
    with uow() as s:
        return [
            a.text
            for a in activity.list_for_project(s, actor=prod.producer, project_id=prod.project.id)
            + activity.list_for_task(s, actor=prod.producer, task_id=prod.task.id)
            + activity.list_for_item(s, actor=prod.producer, shot_id=prod.shot.id)
        ]


def test_an_edited_comment_line_quotes_the_new_text(uow, prod, recording):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
        cid = reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="grain")
    with uow() as s:
        comments.edit_comment(s, actor=prod.supervisor, comment_id=cid, body="less grain")
    lines = all_feeds(uow, prod)
    expected = f"{prod.supervisor.name} commented on {prod.shot.code} COMP v001: “less grain”"
    assert lines.count(expected) == 3
    assert not any("“grain”" in t for t in lines)


def test_a_deleted_comment_text_is_in_no_feed(uow, prod, recording):
    with uow() as s:
        cid = reviews.add_task_comment(
            s, actor=prod.artist, task_id=prod.task.id, body="secret plan"
        )
    with uow() as s:
        comments.edit_comment(s, actor=prod.artist, comment_id=cid, body="secret plan b")
    with uow() as s:
        comments.delete_comment(s, actor=prod.producer, comment_id=cid)
    lines = all_feeds(uow, prod)
    assert not any("secret" in t for t in lines)
    assert f"{prod.artist.name} commented on {prod.shot.code} COMP: comment deleted" in lines


def test_a_comment_deleted_before_its_line_is_written_leaves_no_text(uow, prod, db_url):
    with uow() as s:
        cid = reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="oops")
        comments.delete_comment(s, actor=prod.artist, comment_id=cid)
    with uow() as s:  # the line's writer runs late, as after a slow commit
        activity_events.on_comment_added(
            s, events.DomainEvent("comment.added", None, {"comment_id": cid})
        )
    lines = all_feeds(uow, prod)
    assert not any("oops" in t for t in lines)
    assert any(t.endswith(": comment deleted") for t in lines)


def test_an_edit_touches_only_its_own_line(uow, prod, recording):
    with uow() as s:
        first = reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="ok")
        reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="ok")
    with uow() as s:
        comments.delete_comment(s, actor=prod.artist, comment_id=first)
    with uow() as s:
        texts = [
            a.text for a in activity.list_for_task(s, actor=prod.producer, task_id=prod.task.id)
        ]
    quotes = [t.rpartition(": ")[2] for t in texts if " commented on " in t]
    assert quotes == ["“ok”", "comment deleted"]  # newest first


def test_a_quote_inside_the_comment_does_not_survive_its_deletion(uow, prod, recording):
    """The line is written again from the comment, never cut at the last ': “' of the old one."""
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
        cid = reviews.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="Client said: “fee is 40k”"
        )
    with uow() as s:
        comments.delete_comment(s, actor=prod.supervisor, comment_id=cid)
    with uow() as s:
        [line] = s.exec(select(Activity).where(Activity.verb == "comment.added")).all()
    assert line.text.endswith(": comment deleted")
    assert "40k" not in line.text and "Client said" not in line.text


def _comment_lines(s) -> list[Activity]:
    return list(s.exec(select(Activity).where(Activity.verb == "comment.added")).all())


def test_migration_0007_ties_older_lines_to_their_comments_as_they_are_now(
    uow, prod, recording, db_url
):
    """Lines written before lines named their comment (they named the version or the task),
    then edits and deletes made before the migration: afterwards each line is its comment's,
    quoting it as it is, and a comment that never had a line takes no one else's."""
    import sqlalchemy as sa
    from alembic import command

    from models import Comment
    from models.base import utcnow
    from tests.conftest import _alembic_config

    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
    activity_events.uninstall()  # a comment from before the feeds: it has no line
    with uow() as s:
        lineless = reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="a")
    activity_events.install(lambda: session_scope(db_url))
    ids = {}
    for name, body in (("kept", "Soften the key"), ("edited", "Fee is 40k"), ("gone", "Wrong")):
        with uow() as s:
            ids[name] = reviews.add_comment(
                s, actor=prod.supervisor, version_id=version.id, body=body
            )
    with uow() as s:
        ids["note"] = reviews.add_task_comment(
            s, actor=prod.supervisor, task_id=prod.task.id, body="Use the new LUT"
        )

    config = _alembic_config(db_url)
    command.downgrade(config, "0006")  # the lines as they were: version or task targets
    with uow() as s:
        assert {a.target_type for a in _comment_lines(s)} == {"version", "task"}
        # an edit and a delete made before the migration, which left the lines as they were
        now = utcnow()
        s.execute(
            sa.update(Comment)
            .where(Comment.id == ids["edited"])
            .values(body="Fee to be agreed", edited_at=now)
        )
        s.execute(
            sa.update(Comment).where(Comment.id == ids["gone"]).values(body="", deleted_at=now)
        )
    command.upgrade(config, "head")

    with uow() as s:
        lines = {a.target_id: a for a in _comment_lines(s)}
    assert {a.target_type for a in lines.values()} == {"comment"}
    assert set(lines) == set(ids.values())  # the lineless comment took none
    assert lineless not in lines
    quotes = {name: lines[cid].text.partition(" v001")[2] for name, cid in ids.items()}
    assert quotes == {
        "kept": ": “Soften the key”",
        "edited": ": “Fee to be agreed”",
        "gone": ": comment deleted",
        "note": "",
    }
    assert lines[ids["note"]].text.endswith(": “Use the new LUT”")
    assert not any("40k" in a.text or "Wrong" in a.text for a in lines.values())


def test_an_edit_tells_open_feeds_to_read_again(uow, prod, recording):
    from services import feed_live

    with uow() as s:
        cid = reviews.add_task_comment(s, actor=prod.artist, task_id=prod.task.id, body="a")
    seen: list = []
    sub = events.subscribe_batch(seen.extend)
    try:
        with uow() as s:
            comments.edit_comment(s, actor=prod.artist, comment_id=cid, body="b")
    finally:
        events.unsubscribe(sub)
    assert {
        feed_live.project_activity(prod.project.id),
        feed_live.task_activity(prod.task.id),
    } <= feed_live.topics(seen)
