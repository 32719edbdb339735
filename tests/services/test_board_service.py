"""The kanban board's data: what each viewer sees, what the filters let through, the card
facts (version, comments, approval), the fixed number of queries, and drops on a board."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa

from models import ProcessingState, Version
from services import board, media_access, permissions, reviews, tasks
from services.board import BoardFilters, BoardScope, Viewer
from services.errors import NotFound, PermissionDenied
from services.permissions import Target
from services.schemas import UserRead
from services.settings import get_settings
from tests.factories import make_asset, make_project, make_shot, make_task, make_user, make_version

TODAY = date(2026, 11, 26)  # a Thursday


def project_board(s, actor, prod, **filters):
    return board.build_board(
        s,
        actor=actor,
        scope=BoardScope(project_id=prod.project.id),
        filters=BoardFilters(**filters),
        today=TODAY,
    )


def ids(b) -> list[int]:
    return [c.id for c in b.cards]


@pytest.fixture
def studio(uow, prod):
    """prod plus a few more tasks on its shot and asset, in several columns."""
    with uow() as s:
        p = prod.producer
        roto = make_task(
            s,
            p,
            shot_id=prod.shot.id,
            type="ROTO",
            title="Roto the rain",
            assigned_artist_id=prod.other_artist.id,
            due_date=TODAY - timedelta(days=2),
        )
        model = make_task(
            s,
            p,
            asset_id=prod.asset.id,
            type="MODEL",
            assigned_artist_id=prod.artist.id,
            due_date=TODAY + timedelta(days=2),
        )
        unassigned = make_task(s, p, asset_id=prod.asset.id, type="RIG")
        tasks.move(s, actor=p, task_id=model.id, status="IN_PROGRESS")
        tasks.move(s, actor=p, task_id=unassigned.id, status="DONE")
    return {"roto": roto.id, "model": model.id, "rig": unassigned.id, "comp": prod.task.id}


# ---------------------------------------------------------------- what a viewer sees


def test_staff_see_every_card_in_column_order_with_counts(uow, prod, studio):
    with uow() as s:
        b = project_board(s, prod.supervisor, prod)
    assert ids(b) == [studio["comp"], studio["roto"], studio["model"], studio["rig"]]
    assert [c.status for c in b.cards] == ["TODO", "TODO", "IN_PROGRESS", "DONE"]
    assert b.counts == {
        "TODO": 2,
        "IN_PROGRESS": 1,
        "INTERNAL_REVIEW": 0,
        "CLIENT_REVIEW": 0,
        "CHANGES": 0,
        "DONE": 1,
    }
    assert (b.title, b.total) == (prod.project.name, 4)


def test_a_card_names_its_shot_or_asset_artist_and_due_date(uow, prod, studio):
    with uow() as s:
        cards = {c.id: c for c in project_board(s, prod.producer, prod).cards}
    roto = cards[studio["roto"]]
    assert (roto.title, roto.type, roto.parent_code) == ("Roto the rain", "ROTO", prod.shot.code)
    assert (roto.artist_id, roto.artist_name) == (prod.other_artist.id, prod.other_artist.name)
    assert roto.due_date == TODAY - timedelta(days=2)
    assert cards[studio["model"]].parent_code == prod.asset.asset_code
    assert (cards[studio["rig"]].artist_id, cards[studio["rig"]].artist_name) == (None, "")
    assert cards[studio["comp"]].project_code == prod.project.code


def test_a_card_shows_the_latest_version_comment_count_and_approval(uow, prod):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        reviews.add_comment(s, actor=prod.supervisor, version_id=v1.id, body="Edge is soft")
        reviews.add_comment(s, actor=prod.artist, version_id=v1.id, body="Fixing")
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=v1.id, decision="CHANGES_REQUESTED"
        )
    with uow() as s:
        card = board.cards_for(s, [prod.task.id])[0]
    assert (card.version_number, card.comment_count, card.approval) == (
        1,
        2,
        board.CHANGES_REQUESTED,
    )
    assert card.thumbnail_url == ""  # not processed yet: no thumbnail

    with uow() as s:
        v2 = make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        card = board.cards_for(s, [prod.task.id])[0]
    # v2 has no decision yet: v1's "changes requested" is history, not v2's state
    assert (card.version_number, card.approval) == (2, "")

    with uow() as s:
        reviews.record_approval(s, actor=prod.supervisor, version_id=v2.id, decision="APPROVED")
    with uow() as s:
        assert board.cards_for(s, [prod.task.id])[0].approval == board.INTERNAL_APPROVED


def test_a_client_decision_shows_as_client_approved(uow, prod):
    from tests.factories import share_version

    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        reviews.record_approval(s, actor=prod.supervisor, version_id=v.id, decision="APPROVED")
        share_version(s, prod.producer, v.id)
    with uow() as s:
        reviews.record_approval(s, actor=prod.client, version_id=v.id, decision="APPROVED")
    with uow() as s:
        card = board.cards_for(s, [prod.task.id])[0]
    assert (card.approval, card.status) == (board.CLIENT_APPROVED, "DONE")


def test_an_artist_sees_only_cards_assigned_supervised_or_watched(uow, prod, studio):
    with uow() as s:
        watched = make_task(s, prod.producer, shot_id=prod.shot.id, type="FX")
        tasks.set_watchers(s, actor=prod.producer, task_id=watched.id, user_ids=[prod.artist.id])
    with uow() as s:
        b = project_board(s, prod.artist, prod)
    assert set(ids(b)) == {studio["comp"], studio["model"], watched.id}
    assert b.total == 3
    with uow() as s:
        assert set(ids(project_board(s, prod.other_artist, prod))) == {studio["roto"]}


@pytest.mark.parametrize("who", ["client"])
def test_a_client_gets_no_board_at_all(uow, prod, who):
    client = getattr(prod, who)
    with uow() as s, pytest.raises(PermissionDenied):
        project_board(s, client, prod)
    with uow() as s, pytest.raises(PermissionDenied):
        board.build_board(s, actor=client, scope=BoardScope(artist_id=prod.artist.id))


def test_an_artist_outside_the_project_is_refused(uow, prod):
    with uow() as s:
        outsider = make_user(s, role="ARTIST")
    with uow() as s, pytest.raises(PermissionDenied):
        project_board(s, outsider, prod)


def test_a_missing_project_is_not_found(uow, prod):
    with uow() as s, pytest.raises(NotFound):
        board.build_board(s, actor=prod.producer, scope=BoardScope(project_id=10_000))


def test_by_artist_board_spans_projects(uow, prod):
    with uow() as s:
        other = make_project(s, prod.producer)
        shot = make_shot(s, prod.producer, other.id)
        elsewhere = make_task(s, prod.producer, shot_id=shot.id, assigned_artist_id=prod.artist.id)
        make_task(s, prod.producer, shot_id=shot.id, assigned_artist_id=prod.other_artist.id)
    with uow() as s:
        mine = board.build_board(s, actor=prod.artist, scope=BoardScope(artist_id=prod.artist.id))
        theirs = board.build_board(
            s, actor=prod.producer, scope=BoardScope(artist_id=prod.artist.id)
        )
    assert set(ids(mine)) == set(ids(theirs)) == {prod.task.id, elsewhere.id}
    assert mine.title == prod.artist.name
    assert {c.value for c in mine.parents} == {f"shot:{prod.shot.id}", f"shot:{shot.id}"}


def test_an_artist_cannot_open_another_artists_board(uow, prod):
    with uow() as s, pytest.raises(PermissionDenied):
        board.build_board(s, actor=prod.artist, scope=BoardScope(artist_id=prod.other_artist.id))


def test_a_lead_picks_among_the_studios_artists_and_opens_the_first_with_tasks(uow, prod):
    with uow() as s:
        idle = make_user(s, role="ARTIST", name="Aaron Idle")  # sorts first, has no task
        make_user(s, role="ARTIST", name="Gone Away", is_active=False)
        picker = board.artist_picker(s, actor=prod.producer)
    offered = {int(c.value) for c in picker.artists}
    assert {idle.id, prod.artist.id, prod.other_artist.id, prod.supervisor.id} <= offered
    assert not offered & {prod.producer.id, prod.client.id, prod.admin.id}  # no work, no client
    assert [c.label for c in picker.artists][0] == "Aaron Idle (0 tasks)"
    assert f"{prod.artist.name} (1 task)" in [c.label for c in picker.artists]
    assert picker.default_id == prod.artist.id  # the only one with a task


def test_a_lead_with_tasks_of_their_own_opens_their_own_board(uow, prod):
    with uow() as s:
        make_task(s, prod.producer, shot_id=prod.shot.id, assigned_artist_id=prod.supervisor.id)
        picker = board.artist_picker(s, actor=prod.supervisor)
    assert picker.default_id == prod.supervisor.id


def test_with_no_task_assigned_anywhere_the_picker_opens_on_nobody(uow):
    with uow() as s:
        producer = make_user(s, role="PRODUCER")
        make_user(s, role="ARTIST")
        picker = board.artist_picker(s, actor=producer)
    assert picker.default_id is None and len(picker.artists) == 1


@pytest.mark.parametrize("who", ["artist", "client"])
def test_only_leads_get_the_artist_picker(uow, prod, who):
    with uow() as s, pytest.raises(PermissionDenied):
        board.artist_picker(s, actor=getattr(prod, who))


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["comp", "roto", "model", "rig"]),
        ({"artist_id": "artist"}, ["comp", "model"]),
        ({"artist_id": 0}, ["rig"]),  # unassigned
        ({"task_type": "ROTO"}, ["roto"]),
        ({"shot_id": "shot"}, ["comp", "roto"]),
        ({"asset_id": "asset"}, ["model", "rig"]),
        ({"due": "overdue"}, ["roto"]),
        ({"due": "week"}, ["model"]),
        ({"text": "RAIN"}, ["roto"]),
        ({"text": "asset_"}, ["model", "rig"]),  # matches the asset code
        ({"asset_id": "asset", "artist_id": "artist"}, ["model"]),  # they combine
        ({"task_type": "ROTO", "artist_id": "artist"}, []),
    ],
)
def test_filters_narrow_the_board_and_combine(uow, prod, studio, filters, expected):
    resolve = {"artist": prod.artist.id, "shot": prod.shot.id, "asset": prod.asset.id}
    filters = {
        k: (resolve[v] if k.endswith("_id") and isinstance(v, str) else v)
        for k, v in filters.items()
    }
    with uow() as s:
        b = project_board(s, prod.producer, prod, **filters)
    assert ids(b) == [studio[name] for name in expected]
    assert b.total == 4  # the counts and the filter choices come from the unfiltered board
    assert sum(b.counts.values()) == len(expected)


def test_filter_choices_list_what_is_on_the_board(uow, prod, studio):
    with uow() as s:
        b = project_board(s, prod.producer, prod, task_type="ROTO")
    assert [c.label for c in b.artists] == sorted([prod.artist.name, prod.other_artist.name]) + [
        "Unassigned"
    ]
    assert [c.value for c in b.types] == ["COMP", "MODEL", "RIG", "ROTO"]
    assert {c.value for c in b.parents} == {f"shot:{prod.shot.id}", f"asset:{prod.asset.id}"}


def test_filters_round_trip_through_the_url_query():
    f = BoardFilters(artist_id=7, task_type="COMP", shot_id=3, due="overdue", text="rain fx")
    assert BoardFilters.from_query(f.to_query()) == f
    assert BoardFilters.from_query({"artist": "none"}).artist_id == board.UNASSIGNED
    assert BoardFilters.from_query({"artist": "none"}).to_query() == {"artist": "none"}
    assert BoardFilters().to_query() == {}


def test_nonsense_in_the_url_is_ignored_not_an_error():
    f = BoardFilters.from_query(
        {"artist": "x", "type": "<script>", "shot": "-1", "due": "someday", "q": " a" * 200}
    )
    assert (f.artist_id, f.task_type, f.shot_id, f.due) == (None, "", None, "")
    assert len(f.text) <= 100


def test_due_this_week_runs_from_today_to_sunday():
    assert board.end_of_week(TODAY) == date(2026, 11, 29)
    assert board.end_of_week(date(2026, 11, 29)) == date(2026, 11, 29)


# ---------------------------------------------------------------- the live routing rule


def test_live_routing_agrees_with_the_board_for_every_viewer_and_filter(uow, prod, studio):
    """A change is pushed to an open board exactly when a reload would show the card."""
    with uow() as s:
        all_cards = board.cards_for(s, studio.values())
        for actor in (prod.producer, prod.artist, prod.other_artist, prod.supervisor):
            for filters in (
                {},
                {"artist_id": prod.artist.id},
                {"shot_id": prod.shot.id},
                {"due": "overdue"},
                {"text": "roto"},
            ):
                shown = set(ids(project_board(s, actor, prod, **filters)))
                routed = {
                    c.id
                    for c in all_cards
                    if board.card_for_board(
                        Viewer.of(actor),
                        BoardScope(project_id=prod.project.id),
                        BoardFilters(**filters),
                        c,
                        TODAY,
                    )
                }
                assert routed == shown, (actor.role, filters)


def test_only_staff_and_the_assigned_artist_may_pick_a_card_up(uow, prod, studio):
    with uow() as s:
        comp = board.cards_for(s, [studio["comp"]])[0]
    assert board.can_drag(Viewer.of(prod.producer), comp)
    assert board.can_drag(Viewer.of(prod.supervisor), comp)
    assert board.can_drag(Viewer.of(prod.artist), comp)
    assert not board.can_drag(Viewer.of(prod.other_artist), comp)
    assert not board.can_drag(Viewer.of(prod.client), comp)


def test_cards_survive_the_trip_between_processes(uow, prod, studio):
    with uow() as s:
        cards = board.cards_for(s, studio.values())
    assert [board.card_from_wire(board.card_to_wire(c)) for c in cards] == cards


# ---------------------------------------------------------------- thumbnails


def with_thumbnail(s, version_id: int, state: ProcessingState = ProcessingState.READY) -> str:
    """What the media pipeline leaves on a version: a thumbnail key (no file needed here)."""
    v = s.get(Version, version_id)
    v.thumbnail_key = f"m/{v.id % 256:02x}/{uuid.uuid4().hex}.jpg"
    v.processing_state = state
    s.add(v)
    s.flush()
    return v.thumbnail_key


def signed_key(link: str) -> str:
    """The key a card's link opens, after checking the link as the /media route does."""
    url = urlparse(link)
    assert url.path.startswith(media_access.URL_PREFIX + "/")
    key = url.path.removeprefix(media_access.URL_PREFIX + "/")
    query = parse_qs(url.query)
    media_access.verify(key, exp=query["exp"][0], sig=query["sig"][0])
    return key


def test_a_card_shows_the_latest_versions_thumbnail_once_it_is_ready(uow, prod):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        key = with_thumbnail(s, v1.id, ProcessingState.PROCESSING)
    with uow() as s:
        assert board.cards_for(s, [prod.task.id])[0].thumbnail_url == ""  # not ready yet
    with uow() as s:
        with_thumbnail(s, v1.id)
        key = s.get(Version, v1.id).thumbnail_key
    with uow() as s:
        card = board.cards_for(s, [prod.task.id])[0]
        on_board = project_board(s, prod.producer, prod).cards[0]
    assert signed_key(card.thumbnail_url) == key
    assert on_board.thumbnail_url == card.thumbnail_url

    with uow() as s:  # a new version, still processing: the card shows no older picture
        make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        card = board.cards_for(s, [prod.task.id])[0]
    assert (card.version_number, card.thumbnail_url) == (2, "")


def test_a_failed_version_shows_no_thumbnail(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        with_thumbnail(s, v.id, ProcessingState.FAILED)
    with uow() as s:
        assert board.cards_for(s, [prod.task.id])[0].thumbnail_url == ""


def test_card_thumbnail_links_are_made_once_per_expiry_step():
    key = f"m/ab/{uuid.uuid4().hex}.jpg"
    now = 1_800_000_010.0  # inside an expiry step
    first = media_access.card_thumbnail_urls({7: key}, now=now)[7]
    again = media_access.card_thumbnail_urls({8: key}, now=now + 1)[8]
    later = media_access.card_thumbnail_urls({7: key}, now=now + media_access.EXPIRY_STEP)[7]
    assert first == again != later
    assert first == media_access.signed_path(key, int(parse_qs(urlparse(first).query)["exp"][0]))
    exp = int(parse_qs(urlparse(first).query)["exp"][0])
    settings = get_settings()
    assert (
        settings.media_url_ttl_seconds
        <= exp - now
        <= (settings.media_url_ttl_seconds + media_access.EXPIRY_STEP)
    )


@pytest.mark.parametrize("role", ["ADMIN", "PRODUCER", "SUPERVISOR", "ARTIST"])
def test_whoever_may_see_a_card_may_view_its_versions(role):
    """Why a card's thumbnail link is made once for every board showing the card: for a
    studio user, version.view is exactly task.view (clients get no board at all)."""
    actor = UserRead(id=1, email="x@studio.test", name="X", role=role)
    for facts in itertools.product([False, True], repeat=5):
        member, assigned, watching, supervising, shared = facts
        target = Target(
            project_member=member,
            assigned=assigned,
            watching=watching,
            supervising=supervising,
            client_visible=shared,
        )
        assert permissions.can(actor, "version.view", target) == permissions.can(
            actor, "task.view", target
        ), facts


# ---------------------------------------------------------------- cost


def test_the_board_costs_the_same_number_of_queries_for_5_or_60_tasks(uow, engine, prod):
    def queries_for_board() -> int:
        count = 0

        def before(*_args):
            nonlocal count
            count += 1

        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            with uow() as s:
                project_board(s, prod.producer, prod)
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)
        return count

    with uow() as s:
        for i in range(4):
            make_task(s, prod.producer, shot_id=prod.shot.id, type="FX", title=f"fx {i}")
    few = queries_for_board()
    with uow() as s:
        shot = make_shot(s, prod.producer, prod.project.id)
        for i in range(55):
            t = make_task(s, prod.producer, shot_id=shot.id, assigned_artist_id=prod.artist.id)
            if i % 5 == 0:
                v = make_version(s, prod.artist, t.id)
                reviews.add_comment(s, actor=prod.supervisor, version_id=v.id, body="note")
            if i % 10 == 0:
                with_thumbnail(s, v.id)
    many = queries_for_board()
    assert few == many
    assert many <= 3  # the project, the viewer's membership, the cards


# ---------------------------------------------------------------- drops


def column(s, actor, prod, status) -> list[int]:
    return [c.id for c in project_board(s, actor, prod).cards if c.status == status]


@pytest.fixture
def todo_column(uow, prod):
    """Five TODO tasks on the shot: a, b, c, d, e (top to bottom), prod.task first."""
    with uow() as s:
        made = [
            make_task(s, prod.producer, shot_id=prod.shot.id, title=n).id for n in ("b", "c", "d")
        ]
        made.append(make_task(s, prod.producer, asset_id=prod.asset.id, title="e", type="MODEL").id)
    return [prod.task.id, *made]


def test_a_drop_between_two_cards_lands_between_them(uow, prod, todo_column):
    a, b, c, d, e = todo_column
    with uow() as s:
        board.move_card(s, actor=prod.producer, task_id=e, status="TODO", after_id=a, before_id=b)
    with uow() as s:
        assert column(s, prod.producer, prod, "TODO") == [a, e, b, c, d]


def test_a_drop_on_a_filtered_board_keeps_hidden_cards_in_place(uow, prod, todo_column):
    """The shot board shows a, b, c, d (not e, on the asset). Dropping d between a and b
    puts it right after a in the whole column."""
    a, b, c, d, e = todo_column
    with uow() as s:
        board.move_card(s, actor=prod.producer, task_id=d, status="TODO", after_id=a, before_id=b)
    with uow() as s:
        assert column(s, prod.producer, prod, "TODO") == [a, d, b, c, e]
        shot_board = project_board(s, prod.producer, prod, shot_id=prod.shot.id)
    assert ids(shot_board) == [a, d, b, c]


def test_dropping_at_the_top_and_into_another_column(uow, prod, todo_column):
    a, b, c, d, e = todo_column
    with uow() as s:
        board.move_card(s, actor=prod.producer, task_id=c, status="TODO", before_id=a)
        board.move_card(s, actor=prod.producer, task_id=b, status="IN_PROGRESS")
        card = board.move_card(s, actor=prod.producer, task_id=e, status="IN_PROGRESS", after_id=b)
    assert card.status == "IN_PROGRESS"
    with uow() as s:
        assert column(s, prod.producer, prod, "TODO") == [c, a, d]
        assert column(s, prod.producer, prod, "IN_PROGRESS") == [b, e]


def test_an_artist_drops_their_own_card_but_not_into_review_columns(uow, prod):
    with uow() as s:
        card = board.move_card(s, actor=prod.artist, task_id=prod.task.id, status="IN_PROGRESS")
    assert card.status == "IN_PROGRESS"
    with uow() as s, pytest.raises(PermissionDenied, match="only move your own tasks"):
        board.move_card(s, actor=prod.artist, task_id=prod.task.id, status="DONE")


def test_an_artist_cannot_move_someone_elses_card(uow, prod):
    with uow() as s:
        theirs = make_task(
            s, prod.producer, shot_id=prod.shot.id, assigned_artist_id=prod.other_artist.id
        )
        tasks.set_watchers(s, actor=prod.producer, task_id=theirs.id, user_ids=[prod.artist.id])
    with uow() as s, pytest.raises(PermissionDenied):
        board.move_card(s, actor=prod.artist, task_id=theirs.id, status="IN_PROGRESS")


def test_a_client_dropping_is_told_the_task_does_not_exist(uow, prod):
    with uow() as s, pytest.raises(NotFound):
        board.move_card(s, actor=prod.client, task_id=prod.task.id, status="DONE")


def test_extra_asset_and_shot_factories_are_isolated(uow, prod):
    # guards the fixtures above: a second project's tasks never show on this board
    with uow() as s:
        other = make_project(s, prod.producer)
        make_task(s, prod.producer, asset_id=make_asset(s, prod.producer, other.id).id)
        assert ids(project_board(s, prod.producer, prod)) == [prod.task.id]


def test_a_few_cards_read_alone_equal_the_same_cards_on_the_board(uow, prod, studio):
    """The live push reads cards by id, a board load by project (and for an artist, what
    they may see): the same facts either way."""
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        reviews.add_comment(s, actor=prod.supervisor, version_id=v1.id, body="one")
        reviews.record_approval(s, actor=prod.supervisor, version_id=v1.id, decision="APPROVED")
        make_version(s, prod.artist, studio["model"])
        tasks.set_watchers(
            s, actor=prod.producer, task_id=studio["roto"], user_ids=[prod.artist.id]
        )
    with uow() as s:
        on_board = {c.id: c for c in project_board(s, prod.producer, prod).cards}
        alone = {c.id: c for c in board.cards_for(s, studio.values())}
        many = {c.id: c for c in board._cards(s, "ids", ids=list(studio.values()))}
        artists = {c.id: c for c in project_board(s, prod.artist, prod).cards}
    assert alone == on_board == many
    assert artists == {i: alone[i] for i in artists} and len(artists) == 3
    assert alone[prod.task.id].approval == board.INTERNAL_APPROVED


def test_a_card_knows_its_latest_version_for_share_with_client(uow, prod):
    from services import sharing
    from tests.factories import mark_ready, share_version

    with uow() as s:
        assert board.cards_for(s, [prod.task.id])[0].version_id == 0
        v = make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        card = board.cards_for(s, [prod.task.id])[0]
    assert (card.version_id, card.version_ready, card.shared) == (v.id, False, False)
    with uow() as s:
        mark_ready(s, v.id)
    with uow() as s:
        assert board.cards_for(s, [prod.task.id])[0].version_ready
        share_version(s, prod.producer, v.id)
    with uow() as s:
        card = board.cards_for(s, [prod.task.id])[0]
    assert card.shared and card.status == "CLIENT_REVIEW"
    with uow() as s:
        sharing.unshare_version(s, actor=prod.producer, version_id=v.id)
    with uow() as s:
        assert not board.cards_for(s, [prod.task.id])[0].shared
