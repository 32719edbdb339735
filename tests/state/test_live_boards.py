"""The live hub: which open board receives what, numbered so the board component can apply
each change once and in order, and nothing a viewer may not see."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest

from feedback_app.live_boards import WINDOW, BoardHub
from integrations import realtime
from services import board, board_live, tasks
from services.board import BoardFilters, BoardScope, Card, Viewer
from services.db import session_scope
from tests import aio
from tests.factories import make_production

PRODUCER = Viewer(id=1, role="PRODUCER")
ARTIST = Viewer(id=2, role="ARTIST")
OTHER_ARTIST = Viewer(id=3, role="ARTIST")
PROJECT = BoardScope(project_id=10)


def card(id: int = 100, **fields) -> Card:
    base = Card(
        id=id,
        project_id=10,
        project_code="NIGHT",
        title=f"Task {id}",
        type="COMP",
        status="TODO",
        sort_order=1024.0,
        shot_id=5,
        asset_id=None,
        parent_code="SH010",
        artist_id=3,
        artist_name="Other Artist",
        supervisor_id=None,
        watcher_ids=(),
        due_date=date(2030, 1, 1),
        version_number=0,
        thumbnail_url="",
        comment_count=0,
        approval="",
    )
    return replace(base, **fields)


def message(s: int, *cards: Card, gone=(), only=None) -> dict:
    m = {"s": s, "cards": [board.card_to_wire(c) for c in cards], "gone": list(gone)}
    if only:
        m["only"] = only
    return m


class FakeNamespace:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []
        self._token_manager = SimpleNamespace(token_to_socket={}, instance_id="here")

    async def emit_update(self, update, token: str) -> None:
        self.sent.append((token, update.delta))

    def connect(self, token: str, instance: str = "here") -> None:
        self._token_manager.token_to_socket[token] = SimpleNamespace(instance_id=instance)


@pytest.fixture
def hub():
    h = BoardHub()
    h._app = SimpleNamespace(event_namespace=FakeNamespace())
    h._feed_state, h._cards_state = "feed_state", "cards_state"
    return h


def ns(hub) -> FakeNamespace:
    return hub._app.event_namespace


def open_board(hub, token, viewer=PRODUCER, scope=PROJECT, filters=None, shown=()):
    ns(hub).connect(token)
    b = hub.open(token, viewer, scope, filters or BoardFilters())
    b.shown.update(shown)
    return b


def windows(hub, token) -> list[list[dict]]:
    return [
        delta["feed_state"]["feed_rx_state_"]
        for t, delta in ns(hub).sent
        if t == token and "feed_state" in delta
    ]


def last_entry(hub, token) -> dict:
    return windows(hub, token)[-1][-1]


def deliver(hub, *messages) -> None:
    async def run():
        for m in messages:
            await hub.deliver(m)

    aio.run(run())


def test_a_change_reaches_every_open_board_that_shows_its_project(hub):
    a = open_board(hub, "tab-a")
    b = open_board(hub, "tab-b")
    open_board(hub, "tab-elsewhere", scope=BoardScope(project_id=11))
    deliver(hub, message(7, card(status="IN_PROGRESS")))
    for token, opened in (("tab-a", a), ("tab-b", b)):
        entry = last_entry(hub, token)
        assert (entry["e"], entry["s"], entry["rm"]) == (opened.epoch, 1, [])
        (sent,) = entry["up"]
        assert (sent["id"], sent["status"], sent["drag"]) == (100, "IN_PROGRESS", True)
    assert windows(hub, "tab-elsewhere") == []


def test_routing_facts_never_reach_a_browser(hub):
    open_board(hub, "tab")
    deliver(hub, message(1, card(supervisor_id=9, watcher_ids=(4, 5))))
    (sent,) = last_entry(hub, "tab")["up"]
    assert not {"supervisor_id", "watcher_ids", "watchers", "supervisor"} & set(sent)


def test_an_artist_board_never_hears_of_a_card_the_artist_may_not_see(hub):
    open_board(hub, "artist", viewer=ARTIST)
    deliver(hub, message(1, card(artist_id=3)))
    assert windows(hub, "artist") == []  # not even its id

    deliver(hub, message(2, card(artist_id=2, artist_name="Alex Artist")))
    (sent,) = last_entry(hub, "artist")["up"]
    assert (sent["id"], sent["drag"]) == (100, True)

    deliver(hub, message(3, card(artist_id=3)))  # reassigned away: it leaves the board
    assert last_entry(hub, "artist")["rm"] == [100]
    assert [e["s"] for e in windows(hub, "artist")[-1]] == [1, 2]


def test_a_watching_artist_sees_the_card_but_may_not_pick_it_up(hub):
    open_board(hub, "artist", viewer=ARTIST)
    deliver(hub, message(1, card(artist_id=3, watcher_ids=(2,))))
    (sent,) = last_entry(hub, "artist")["up"]
    assert sent["drag"] is False


def test_a_filtered_board_gains_and_loses_cards_as_they_match(hub):
    open_board(hub, "comp-only", filters=BoardFilters(task_type="COMP"))
    deliver(hub, message(1, card(type="ROTO")))
    assert windows(hub, "comp-only") == []
    deliver(hub, message(2, card(type="COMP")))
    assert last_entry(hub, "comp-only")["up"][0]["type"] == "COMP"
    deliver(hub, message(3, card(type="ROTO")))
    assert last_entry(hub, "comp-only")["rm"] == [100]


def test_an_older_state_arriving_after_a_newer_one_is_ignored(hub):
    """Two processes published moves of one card in the other order: the newer number wins."""
    open_board(hub, "tab")
    deliver(hub, message(9, card(status="DONE")), message(8, card(status="IN_PROGRESS")))
    (window,) = windows(hub, "tab")[-1:]
    assert [e["up"][0]["status"] for e in window] == ["DONE"]


def test_entries_are_numbered_per_board_and_the_window_keeps_the_latest(hub):
    open_board(hub, "tab")
    deliver(hub, *[message(i, card(sort_order=float(i))) for i in range(1, 21)])
    window = windows(hub, "tab")[-1]
    assert len(window) == WINDOW
    assert [e["s"] for e in window] == list(range(21 - WINDOW, 21))


def test_a_card_deleted_from_a_board_that_shows_it(hub):
    open_board(hub, "shows", shown={100})
    open_board(hub, "does-not")
    deliver(hub, message(4, gone=[100]))
    assert last_entry(hub, "shows")["rm"] == [100]
    assert windows(hub, "does-not") == []


def test_a_board_whose_tab_left_this_worker_is_dropped(hub):
    open_board(hub, "gone")
    ns(hub)._token_manager.token_to_socket["gone"].instance_id = "another-worker"
    deliver(hub, message(1, card()))
    assert windows(hub, "gone") == [] and hub.board("gone") is None


def test_a_lost_bus_connection_makes_every_board_reload(hub):
    open_board(hub, "a")
    open_board(hub, "b")
    deliver(hub, {"reload": True})
    assert last_entry(hub, "a")["reload"] is True
    assert last_entry(hub, "b")["reload"] is True


def test_reopening_a_board_starts_a_new_numbering(hub):
    first = open_board(hub, "tab")
    deliver(hub, message(1, card()))
    second = open_board(hub, "tab", filters=BoardFilters(text="task"))
    deliver(hub, message(2, card(title="Task renamed")))
    assert second.epoch != first.epoch
    entry = last_entry(hub, "tab")
    assert (entry["e"], entry["s"]) == (second.epoch, 1)


def test_a_message_for_one_board_goes_to_that_board_only(hub):
    open_board(hub, "mover")
    open_board(hub, "watcher")
    deliver(hub, message(3, card(status="TODO"), only="mover"))
    assert len(windows(hub, "mover")) == 1
    assert windows(hub, "watcher") == []


def test_a_burst_of_messages_costs_one_push_per_board_with_the_newest_states(hub):
    open_board(hub, "a")
    open_board(hub, "b")

    async def burst():
        await hub.deliver_all(
            [
                message(1, card(100, status="IN_PROGRESS")),
                message(3, card(100, status="DONE")),
                message(2, card(101, status="CHANGES")),
                message(4, card(102), only="a"),
            ]
        )

    aio.run(burst())
    for token in ("a", "b"):
        first = windows(hub, token)[0][-1]
        assert {c["id"]: c["status"] for c in first["up"]} == {100: "DONE", 101: "CHANGES"}
    assert len(windows(hub, "a")) == 2 and len(windows(hub, "b")) == 1


def test_a_load_sends_its_snapshot_to_that_board_only_and_ahead_of_its_changes(hub):
    opened = open_board(hub, "tab")
    open_board(hub, "other")
    hub.snapshot(opened, [{"id": 100, "status": "TODO"}])  # queued: the hub is not running
    (queued,) = hub_queue(hub)
    # A change that was already waiting when the load queued its snapshot: one batch.
    aio.run(hub.deliver_all([message(5, card(status="DONE")), queued]))
    first, second = [d for t, d in ns(hub).sent if t == "tab"]
    assert first["cards_state"] == {
        "cards_rx_state_": [{"id": 100, "status": "TODO"}],
        "epoch_rx_state_": opened.epoch,
    }
    assert second["feed_state"]["feed_rx_state_"][-1]["up"][0]["status"] == "DONE"
    assert [d for t, d in ns(hub).sent if t == "other"] == [
        {"feed_state": {"feed_rx_state_": windows(hub, "other")[0]}}
    ]


def test_a_snapshot_of_a_load_since_replaced_is_dropped(hub):
    first = open_board(hub, "tab")
    hub.snapshot(first, [])
    (stale,) = hub_queue(hub)
    open_board(hub, "tab")  # reloaded (new filters) before the hub got to it
    deliver(hub, stale)
    assert ns(hub).sent == []


def hub_queue(hub) -> list[dict]:
    """What the hub was handed while not running (messages wait for its loop)."""
    return hub.pending


# ---------------------------------------------------------------- the whole path, in process


def test_a_committed_move_reaches_an_open_board_through_the_bus(db_url, monkeypatch):
    """service → commit → publisher → bus → hub → the board's feed (no browser)."""
    with session_scope() as s:
        prod = make_production(s)
    bus = realtime.LocalBus()
    realtime.set_bus(bus)
    board_live.install()
    hub = BoardHub()
    namespace = FakeNamespace()
    app = SimpleNamespace(event_namespace=namespace)
    hub._feed_state = "feed_state"

    async def scenario():
        runner = asyncio.create_task(hub.run(app))
        await asyncio.sleep(0.05)
        namespace.connect("producer-tab")
        namespace.connect("other-tab")
        hub.open(
            "producer-tab", Viewer.of(prod.producer), BoardScope(prod.project.id), BoardFilters()
        )
        hub.open(
            "other-tab", Viewer.of(prod.other_artist), BoardScope(prod.project.id), BoardFilters()
        )

        def move():
            with session_scope() as s:
                tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="IN_PROGRESS")

        await asyncio.to_thread(move)
        for _ in range(100):
            if namespace.sent:
                break
            await asyncio.sleep(0.01)
        # and a refused move: the mover's board alone gets the card's real state back
        hub.refresh("producer-tab", [prod.task.id])
        for _ in range(100):
            if len(namespace.sent) > 1:
                break
            await asyncio.sleep(0.01)
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner

    try:
        aio.run(scenario())
    finally:
        board_live.uninstall()
        realtime.set_bus(None)
    tokens = [t for t, _ in namespace.sent]
    assert tokens == ["producer-tab", "producer-tab"]  # other_artist may not see the card
    first = namespace.sent[0][1]["feed_state"]["feed_rx_state_"][-1]
    assert first["up"][0]["status"] == "IN_PROGRESS"
    second = namespace.sent[1][1]["feed_state"]["feed_rx_state_"][-1]
    assert second["s"] == 2


def test_two_people_moving_one_card_at_once_leave_every_board_on_the_final_state(db_url):
    """Racing drops of the same card, many times: every open board ends where the database
    ends, whichever commit's message is published or delivered first."""
    with session_scope() as s:
        prod = make_production(s)
    bus = realtime.LocalBus()
    realtime.set_bus(bus)
    hub = BoardHub()
    namespace = FakeNamespace()
    hub._feed_state = "feed_state"
    app = SimpleNamespace(event_namespace=namespace)
    scope = BoardScope(prod.project.id)

    def drop(actor, status):
        with session_scope() as s:
            tasks.move(s, actor=actor, task_id=prod.task.id, status=status)

    def final_status() -> str:
        with session_scope() as s:
            return board.cards_for(s, [prod.task.id])[0].status

    async def scenario() -> list[tuple[str, dict[str, str]]]:
        runner = asyncio.create_task(hub.run(app))
        await asyncio.sleep(0.05)
        for tab, who in (("producer", prod.producer), ("supervisor", prod.supervisor)):
            namespace.connect(tab)
            hub.open(tab, Viewer.of(who), scope, BoardFilters())
        outcomes = []
        for a, b in [("IN_PROGRESS", "DONE"), ("CHANGES", "TODO"), ("CLIENT_REVIEW", "DONE")] * 3:
            await asyncio.gather(
                asyncio.to_thread(drop, prod.producer, a),
                asyncio.to_thread(drop, prod.supervisor, b),
            )
            board_live.flush()
            await asyncio.sleep(0.05)
            shown = {}
            for token, delta in namespace.sent:
                for entry in delta.get("feed_state", {}).get("feed_rx_state_", []):
                    for c in entry.get("up", ()):
                        shown[token] = c["status"]
            outcomes.append((final_status(), shown))
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner
        return outcomes

    try:
        outcomes = aio.run(scenario())
    finally:
        board_live.uninstall()
        realtime.set_bus(None)
    for final, shown in outcomes:
        assert shown == {"producer": final, "supervisor": final}
