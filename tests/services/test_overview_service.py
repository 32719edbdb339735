from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from services import overview, reviews, tasks
from services.db import get_engine
from services.errors import NotFound, PermissionDenied
from tests.factories import (
    add_member,
    make_asset,
    make_project,
    make_shot,
    make_task,
    make_user,
    make_version,
    share_version,
)


def by_id(items: list[overview.ItemOverview]) -> dict[int, overview.ItemOverview]:
    return {i.id: i for i in items}


def chip_of(item: overview.ItemOverview, task_id: int) -> overview.TaskChip:
    [chip] = [c for c in item.chips if c.task_id == task_id]
    return chip


@pytest.fixture
def count_queries(db_url):
    """`with count_queries() as n:` counts the SQL statements sent inside the block."""

    class Counter:
        def __init__(self):
            self.n = 0

        def __enter__(self):
            sa.event.listen(get_engine(db_url), "before_cursor_execute", self._count)
            return self

        def __exit__(self, *exc):
            sa.event.remove(get_engine(db_url), "before_cursor_execute", self._count)

        def _count(self, *args):
            self.n += 1

    return Counter


# ---------------------------------------------------------------- shot rows and chips


def test_each_shot_is_a_row_with_its_fields_in_code_order(uow, prod):
    with uow() as s:
        late = make_shot(
            s,
            prod.producer,
            prod.project.id,
            code="ZZ990",
            name="Ending",
            frame_in=1001,
            frame_out=1240,
            due_date=date(2026, 12, 1),
            lead_id=prod.supervisor.id,
        )
        early = make_shot(s, prod.producer, prod.project.id, code="AA010")
        rows = overview.shot_overview(s, actor=prod.producer, project_id=prod.project.id)
    assert [r.code for r in rows] == ["AA010", prod.shot.code, "ZZ990"]
    ending = by_id(rows)[late.id]
    assert (ending.name, ending.status, ending.frame_in, ending.frame_out) == (
        "Ending",
        "ACTIVE",
        1001,
        1240,
    )
    assert (ending.due_date, ending.lead_name, ending.chips) == (
        date(2026, 12, 1),
        prod.supervisor.name,
        (),
    )
    assert by_id(rows)[early.id].lead_name is None


def test_a_chip_per_task_with_type_status_and_artist_in_creation_order(uow, prod):
    with uow() as s:
        roto = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        tasks.move(s, actor=prod.producer, task_id=roto.id, status="IN_PROGRESS")
        rows = overview.shot_overview(s, actor=prod.producer, project_id=prod.project.id)
    [shot] = rows
    assert [(c.task_id, c.type, c.status, c.artist_name) for c in shot.chips] == [
        (prod.task.id, "COMP", "TODO", prod.artist.name),
        (roto.id, "ROTO", "IN_PROGRESS", None),
    ]
    assert shot.chips[0] == overview.TaskChip(
        task_id=prod.task.id,
        type="COMP",
        status="TODO",
        artist_name=prod.artist.name,
        latest_version_id=None,
        latest_version="",
        processing_state="",
        approval="",
        approval_stage="",
        is_client_visible=False,
    )


def test_a_chip_shows_the_latest_version_and_its_latest_decision(uow, prod):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        reviews.record_approval(s, actor=prod.supervisor, version_id=v1.id, decision="APPROVED")
        v2 = make_version(s, prod.artist, prod.task.id)
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=v2.id, decision="CHANGES_REQUESTED"
        )
        reviews.record_approval(s, actor=prod.producer, version_id=v2.id, decision="APPROVED")
    with uow() as s:
        [shot] = overview.shot_overview(s, actor=prod.supervisor, project_id=prod.project.id)
    chip = chip_of(shot, prod.task.id)
    assert (chip.latest_version_id, chip.latest_version, chip.processing_state) == (
        v2.id,
        "v002",
        "QUEUED",
    )
    assert (chip.approval, chip.approval_stage, chip.is_client_visible) == (
        "APPROVED",
        "INTERNAL",
        False,
    )


def test_a_new_version_without_a_decision_shows_no_decision(uow, prod):
    with uow() as s:
        v1 = make_version(s, prod.artist, prod.task.id)
        reviews.record_approval(s, actor=prod.supervisor, version_id=v1.id, decision="APPROVED")
        make_version(s, prod.artist, prod.task.id)
        [shot] = overview.shot_overview(s, actor=prod.producer, project_id=prod.project.id)
    chip = chip_of(shot, prod.task.id)
    assert (chip.latest_version, chip.approval, chip.approval_stage) == ("v002", "", "")


def test_a_client_decision_on_a_shared_version_shows_on_the_chip(uow, prod):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.supervisor, version.id)
    with uow() as s:
        reviews.record_approval(
            s, actor=prod.client, version_id=version.id, decision="CHANGES_REQUESTED"
        )
    with uow() as s:
        [shot] = overview.shot_overview(s, actor=prod.producer, project_id=prod.project.id)
    chip = chip_of(shot, prod.task.id)
    assert (chip.status, chip.approval, chip.approval_stage, chip.is_client_visible) == (
        "CHANGES",
        "CHANGES_REQUESTED",
        "CLIENT",
        True,
    )


def test_chips_stay_on_their_own_shot_and_project(uow, prod):
    with uow() as s:
        other_shot = make_shot(s, prod.producer, prod.project.id)
        track = make_task(s, prod.producer, shot_id=other_shot.id, type="TRACK")
        make_task(s, prod.producer)  # a shot task in another project
        make_task(s, prod.producer, asset_id=prod.asset.id, type="MODEL")
        rows = by_id(overview.shot_overview(s, actor=prod.producer, project_id=prod.project.id))
    assert [c.task_id for c in rows[prod.shot.id].chips] == [prod.task.id]
    assert [c.task_id for c in rows[other_shot.id].chips] == [track.id]


def test_a_shot_has_open_work_while_any_task_is_not_done(uow, prod):
    """SH010 with every task Done is finished: its due date is no longer a deadline to miss.
    A shot without tasks has no open work either."""
    with uow() as s:
        track = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        empty = make_shot(s, prod.producer, prod.project.id)
        tasks.move(s, actor=prod.producer, task_id=track.id, status="DONE")

        def open_work() -> dict[int, bool]:
            rows = overview.shot_overview(s, actor=prod.producer, project_id=prod.project.id)
            return {r.id: r.has_open_task for r in rows}

        assert open_work() == {prod.shot.id: True, empty.id: False}
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="DONE")
        assert open_work() == {prod.shot.id: False, empty.id: False}


def test_open_work_counts_tasks_an_artist_does_not_see(uow, prod):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="DONE")
        make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")  # nobody's, open
        [shot] = overview.shot_overview(s, actor=prod.artist, project_id=prod.project.id)
    assert [c.task_id for c in shot.chips] == [prod.task.id]
    assert shot.has_open_task


def test_an_asset_has_open_work_while_any_task_is_not_done(uow, prod):
    with uow() as s:
        model = make_task(s, prod.producer, asset_id=prod.asset.id, type="MODEL")
        assert overview.item_overview(s, actor=prod.producer, asset_id=prod.asset.id).has_open_task
        tasks.move(s, actor=prod.producer, task_id=model.id, status="DONE")
        assert not overview.item_overview(
            s, actor=prod.producer, asset_id=prod.asset.id
        ).has_open_task


# ---------------------------------------------------------------- assets


def test_asset_rows_carry_their_asset_tasks(uow, prod):
    with uow() as s:
        lead = make_user(s, role="SUPERVISOR")
        rig_asset = make_asset(
            s, prod.producer, prod.project.id, name="Hero rig", assigned_lead_id=lead.id
        )
        model = make_task(
            s,
            prod.producer,
            asset_id=prod.asset.id,
            type="MODEL",
            assigned_artist_id=prod.artist.id,
        )
        version = make_version(s, prod.artist, model.id)
        rig = make_task(s, prod.producer, asset_id=rig_asset.id, type="RIG")
        rows = by_id(overview.asset_overview(s, actor=prod.producer, project_id=prod.project.id))
    assert set(rows) == {prod.asset.id, rig_asset.id}
    model_chip = chip_of(rows[prod.asset.id], model.id)
    assert (model_chip.type, model_chip.status, model_chip.latest_version_id) == (
        "MODEL",
        "INTERNAL_REVIEW",
        version.id,
    )
    hero = rows[rig_asset.id]
    assert (hero.code, hero.name, hero.lead_name, hero.frame_in, hero.frame_out) == (
        rig_asset.asset_code,
        "Hero rig",
        lead.name,
        None,
        None,
    )
    assert [c.task_id for c in hero.chips] == [rig.id]
    # the shot task is no asset's chip
    assert prod.task.id not in {c.task_id for r in rows.values() for c in r.chips}


# ---------------------------------------------------------------- one item


def test_item_overview_of_a_shot_is_its_row(uow, prod):
    with uow() as s:
        make_shot(s, prod.producer, prod.project.id)
        item = overview.item_overview(s, actor=prod.supervisor, shot_id=prod.shot.id)
    assert (item.id, item.code) == (prod.shot.id, prod.shot.code)
    assert [c.task_id for c in item.chips] == [prod.task.id]


def test_item_overview_of_an_asset_is_its_row(uow, prod):
    with uow() as s:
        model = make_task(s, prod.producer, asset_id=prod.asset.id, type="MODEL")
        item = overview.item_overview(s, actor=prod.producer, asset_id=prod.asset.id)
    assert (item.id, item.code, [c.task_id for c in item.chips]) == (
        prod.asset.id,
        prod.asset.asset_code,
        [model.id],
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"shot_id": 999_999}, "Shot not found."),
        ({"asset_id": 999_999}, "Asset not found."),
        ({}, "Asset not found."),
    ],
)
def test_item_overview_of_a_missing_item_is_not_found(uow, prod, kwargs, message):
    with pytest.raises(NotFound, match=message), uow() as s:
        overview.item_overview(s, actor=prod.producer, **kwargs)


# ---------------------------------------------------------------- who sees what


def test_artists_see_every_row_but_only_chips_of_their_visible_tasks(uow, prod):
    with uow() as s:
        hidden = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        watched = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        tasks.set_watchers(s, actor=prod.producer, task_id=watched.id, user_ids=[prod.artist.id])
        bare = make_shot(s, prod.producer, prod.project.id)
        make_task(s, prod.producer, asset_id=prod.asset.id, type="MODEL")
    with uow() as s:
        shots = by_id(overview.shot_overview(s, actor=prod.artist, project_id=prod.project.id))
        assets = overview.asset_overview(s, actor=prod.artist, project_id=prod.project.id)
        item = overview.item_overview(s, actor=prod.artist, shot_id=prod.shot.id)
        nothing = overview.shot_overview(s, actor=prod.other_artist, project_id=prod.project.id)
    assert set(shots) == {prod.shot.id, bare.id}
    assert [c.task_id for c in shots[prod.shot.id].chips] == [prod.task.id, watched.id]
    assert hidden.id not in {c.task_id for c in item.chips}
    assert [a.chips for a in assets] == [()]
    assert [r.chips for r in nothing] == [(), ()]


def test_outsiders_and_clients_cannot_read_the_overview(uow, prod):
    with uow() as s:
        outsider = make_user(s)
    for actor in (outsider, prod.client):
        for read in (overview.shot_overview, overview.asset_overview):
            with pytest.raises(PermissionDenied), uow() as s:
                read(s, actor=actor, project_id=prod.project.id)
        with pytest.raises(PermissionDenied), uow() as s:
            overview.item_overview(s, actor=actor, shot_id=prod.shot.id)


def test_overview_of_a_missing_project_is_not_found(uow, prod):
    with pytest.raises(NotFound, match="Project not found."), uow() as s:
        overview.shot_overview(s, actor=prod.producer, project_id=999_999)


# ---------------------------------------------------------------- query count


def _populate(s, producer, artist, supervisor, items: int) -> int:
    """A project of `items` shots and `items` assets, three tasks each, every task with a
    version and a decision on it; returns the project id."""
    project = make_project(s, producer)
    add_member(s, producer, project.id, artist)
    for _ in range(items):
        shot = make_shot(s, producer, project.id, lead_id=supervisor.id)
        asset = make_asset(s, producer, project.id, assigned_lead_id=supervisor.id)
        parents = [({"shot_id": shot.id}, kind) for kind in ("TRACK", "ROTO", "COMP")] + [
            ({"asset_id": asset.id}, kind) for kind in ("MODEL", "TEXTURE", "RIG")
        ]
        for parent, kind in parents:
            task = make_task(s, producer, type=kind, assigned_artist_id=artist.id, **parent)
            version = make_version(s, artist, task.id)
            reviews.record_approval(s, actor=supervisor, version_id=version.id, decision="APPROVED")
    return project.id


@pytest.mark.parametrize("who", ["producer", "artist"])
def test_the_overview_takes_the_same_number_of_queries_for_3_or_30_tasks(
    uow, prod, count_queries, who
):
    with uow() as s:
        small = _populate(s, prod.producer, prod.artist, prod.supervisor, items=1)
        large = _populate(s, prod.producer, prod.artist, prod.supervisor, items=10)
    actor = getattr(prod, who)
    counts = {}
    for name, project_id in (("small", small), ("large", large)):
        for read in (overview.shot_overview, overview.asset_overview):
            with uow() as s, count_queries() as counter:
                rows = read(s, actor=actor, project_id=project_id)
            chips = [c for r in rows for c in r.chips]
            assert len(chips) == (3 if name == "small" else 30)
            assert {(c.latest_version, c.approval) for c in chips} == {("v001", "APPROVED")}
            counts[name, read.__name__] = counter.n
    assert counts["small", "shot_overview"] == counts["large", "shot_overview"]
    assert counts["small", "asset_overview"] == counts["large", "asset_overview"]
    assert counts["large", "shot_overview"] <= 10
