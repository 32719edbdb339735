"""The live publisher: after each commit, one message with the changed cards, numbered, never
for a rollback, whatever use case (or script) made the change."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlmodel import select

from integrations import realtime
from models import Task
from services import board, board_live, events, media_access, media_pipeline, reviews, tasks
from services.errors import PermissionDenied
from tests.factories import make_task, make_version


class RecordingBus(realtime.LocalBus):
    def __init__(self) -> None:
        super().__init__()
        self._messages: list[dict] = []
        self.add_listener(self._messages.append)

    @property
    def messages(self) -> list[dict]:
        """What was published once the publisher thread caught up."""
        assert board_live.flush()
        return self._messages


@pytest.fixture
def bus(db_url):
    bus = RecordingBus()
    realtime.set_bus(bus)
    board_live.install()
    yield bus
    board_live.uninstall()
    realtime.set_bus(None)


def cards(message) -> dict[int, board.Card]:
    return {c["id"]: board.card_from_wire(c) for c in message["cards"]}


def test_a_move_publishes_one_message_with_the_card_as_committed(uow, prod, bus):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="IN_PROGRESS")
        assert bus.messages == []  # nothing before the commit
    (message,) = bus.messages  # status_changed + moved: still one message
    assert message["gone"] == []
    card = cards(message)[prod.task.id]
    assert (card.status, card.artist_id) == ("IN_PROGRESS", prod.artist.id)


def test_a_refused_or_rolled_back_change_publishes_nothing(uow, prod, bus):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="DONE")
    with pytest.raises(RuntimeError), uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="DONE")
        raise RuntimeError("boom")
    assert bus.messages == []


def test_messages_are_numbered_in_commit_order(uow, prod, bus):
    for status in ("IN_PROGRESS", "INTERNAL_REVIEW", "TODO"):
        with uow() as s:
            tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=status)
        assert board_live.flush()  # else commits that queue up go out as one message
    numbers = [m["s"] for m in bus.messages]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


@pytest.mark.parametrize(
    "change",
    ["upload", "comment", "assign", "approval", "due date", "create"],
)
def test_every_kind_of_card_change_is_published(uow, prod, bus, change):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
    bus.messages.clear()
    with uow() as s:
        if change == "upload":
            make_version(s, prod.artist, prod.task.id)
        elif change == "comment":
            reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="ok")
        elif change == "assign":
            tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=None)
        elif change == "approval":
            reviews.record_approval(
                s, actor=prod.supervisor, version_id=version.id, decision="APPROVED"
            )
        elif change == "due date":
            tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date="2030-01-01")
        else:
            new = make_task(s, prod.producer, shot_id=prod.shot.id, type="FX")
    (message,) = bus.messages
    expected_id = new.id if change == "create" else prod.task.id
    card = cards(message)[expected_id]
    if change == "upload":
        assert (card.version_number, card.status) == (2, "INTERNAL_REVIEW")
    elif change == "comment":
        assert card.comment_count == 1
    elif change == "assign":
        assert card.artist_id is None
    elif change == "approval":
        assert card.approval == board.INTERNAL_APPROVED
    elif change == "due date":
        assert card.due_date.isoformat() == "2030-01-01"


def test_a_deleted_task_is_announced_as_gone(uow, prod, bus):
    with uow() as s:
        s.delete(s.get(Task, prod.task.id))
        events.emit(s, "task.deleted", prod.project.id, task_id=prod.task.id)
    (message,) = bus.messages
    assert (message["cards"], message["gone"]) == ([], [prod.task.id])


def test_a_renumbered_column_publishes_every_card_whose_position_changed(uow, prod, bus):
    with uow() as s:
        ids = [
            make_task(s, prod.producer, shot_id=prod.shot.id, title=f"t{i}").id for i in range(3)
        ]
    # Squeeze the keys so the next drop between two cards must renumber the column.
    with uow() as s:
        for i, task in enumerate(
            s.exec(select(Task).where(Task.id.in_([prod.task.id, *ids])).order_by(Task.id))
        ):
            task.sort_order = 1.0 + i * 1e-9
            s.add(task)
    bus.messages.clear()
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=ids[2], status="TODO", index=1)
    (message,) = bus.messages
    published = cards(message)
    assert set(published) == {prod.task.id, *ids}
    order = sorted(published.values(), key=lambda c: (c.sort_order, c.id))
    assert [c.id for c in order] == [prod.task.id, ids[2], ids[0], ids[1]]


def test_a_script_that_installs_the_publisher_reaches_the_bus(uow, prod, bus):
    """Any process (scheduler, script) publishes by calling install(); the app does too."""
    assert board_live.installed()
    board_live.install()  # idempotent: still one message per commit
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="CHANGES")
    assert len(bus.messages) == 1


def test_commits_that_queue_up_behind_a_busy_publisher_go_out_as_one(uow, prod, bus, monkeypatch):
    with uow() as s:
        other = make_task(s, prod.producer, shot_id=prod.shot.id, type="FX").id
    bus.messages.clear()
    gate, busy, real = threading.Event(), threading.Event(), board_live.publish_cards
    calls = []

    def slow_publish(ids, **kw):
        calls.append(set(ids))
        if len(calls) == 1:
            busy.set()
            gate.wait(5)
        return real(ids, **kw)

    monkeypatch.setattr(board_live, "publish_cards", slow_publish)
    moves = ((prod.task.id, "IN_PROGRESS"), (other, "DONE"), (prod.task.id, "DONE"))
    for n, (task_id, status) in enumerate(moves):
        with uow() as s:
            tasks.move(s, actor=prod.producer, task_id=task_id, status=status)
        if n == 0:  # the publisher is busy with the first commit while the next two queue up
            assert busy.wait(5)
    gate.set()
    first, second = bus.messages
    assert calls == [{prod.task.id}, {prod.task.id, other}]
    assert {c["id"]: c["status"] for c in second["cards"]} == {prod.task.id: "DONE", other: "DONE"}


def test_events_that_change_no_card_publish_nothing(uow, prod, bus):
    with uow() as s:
        events.emit(s, "activity.recorded", prod.project.id, task_id=prod.task.id, text="x")
        events.emit(s, "notification.created", prod.project.id, user_id=prod.artist.id)
        events.emit(
            s,
            board_live.PROCESSING_CHANGED,
            prod.project.id,
            task_id=prod.task.id,
            state="PROCESSING",
        )
    assert bus.messages == []
    with uow() as s:  # a finished version is: its thumbnail now exists
        events.emit(
            s, board_live.PROCESSING_CHANGED, prod.project.id, task_id=prod.task.id, state="READY"
        )
    assert len(bus.messages) == 1


def test_a_version_becoming_ready_publishes_its_thumbnail(uow, prod, bus):
    """The pipeline's steps reach the boards only when the latest version is READY: the one
    step a card shows (its thumbnail)."""
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
    bus.messages.clear()
    with uow() as s:
        assert media_pipeline.claim(s, version_id=version.id)  # QUEUED -> PROCESSING
    assert bus.messages == []
    key = f"m/00/{uuid.uuid4().hex}.jpg"
    assert media_pipeline._record(
        uow, version.id, media_pipeline.READY, fields={"thumbnail_key": key}
    )
    (message,) = bus.messages
    link = cards(message)[prod.task.id].thumbnail_url
    assert link.startswith(f"{media_access.URL_PREFIX}/{key}?exp=")


def test_sharing_and_withdrawing_a_version_publish_its_card(uow, prod, bus):
    from services import sharing
    from tests.factories import mark_ready, share_version

    with uow() as s:
        task = make_task(s, prod.producer, shot_id=prod.shot.id, type="FX")
        tasks.move(s, actor=prod.producer, task_id=task.id, status="DONE")
        v = make_version(s, prod.producer, task.id, move_to_review=False)
        mark_ready(s, v.id)
    bus.messages.clear()
    with uow() as s:
        share_version(s, prod.producer, v.id)  # a DONE task keeps its status
    shared = cards(bus.messages[-1])[task.id]  # (reading flushes the publisher)
    with uow() as s:
        sharing.unshare_version(s, actor=prod.producer, version_id=v.id)
    withdrawn = cards(bus.messages[-1])[task.id]
    assert (shared.status, shared.shared, withdrawn.shared) == ("DONE", True, False)
