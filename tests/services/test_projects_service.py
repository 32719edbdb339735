from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import Activity, ProjectMember
from services import projects, tasks
from services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tests.factories import (
    add_member,
    make_asset,
    make_project,
    make_shot,
    make_task,
    make_user,
)


@pytest.fixture
def producer(uow):
    with uow() as s:
        return make_user(s, role="PRODUCER")


def test_producer_creates_a_project_with_normalised_fields(uow, producer):
    with uow() as s:
        p = projects.create_project(
            s,
            actor=producer,
            code=" dune2 ",
            name="  Dune Part Two ",
            description=" desert ",
            fps="23.976",
            start_frame="1001",
            resolution=" 4096X2160 ",
            slack_channel="  ",
        )
    assert (p.code, p.name, p.description, p.fps, p.start_frame, p.resolution) == (
        "DUNE2",
        "Dune Part Two",
        "desert",
        23.976,
        1001,
        "4096x2160",
    )
    assert p.slack_channel is None
    assert p.status == "ACTIVE"


def test_creator_becomes_a_member_and_the_creation_is_in_the_activity_feed(uow, producer):
    with uow() as s:
        p = make_project(s, producer)
    with uow() as s:
        assert s.get(ProjectMember, (p.id, producer.id)) is not None
        texts = s.exec(select(Activity.text).where(Activity.project_id == p.id)).all()
    assert texts == [f"{producer.name} created project {p.code}"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": ""}, "Project code: letters, digits, - or _, up to 32 characters."),
        ({"code": "HAS SPACE"}, "Project code"),
        ({"code": "-LEADING"}, "Project code"),
        ({"code": "X" * 33}, "Project code"),
        ({"code": "BAD!"}, "Project code"),
        ({"name": "   "}, "Enter a project name."),
        ({"fps": "fast"}, "Frame rate must be a number, e.g. 24 or 23.976."),
        ({"fps": 0}, "Frame rate must be between 1 and 240."),
        ({"fps": 241}, "Frame rate must be between 1 and 240."),
        ({"start_frame": "1001.5"}, "Start frame must be a whole number."),
        ({"start_frame": -1}, "Start frame cannot be negative."),
        ({"resolution": "1920*1080"}, "Resolution must look like 1920x1080."),
        ({"resolution": "1x1"}, "Resolution must look like 1920x1080."),
        ({"resolution": ""}, "Resolution must look like 1920x1080."),
    ],
)
def test_create_project_validation_messages(uow, producer, fields, message):
    kwargs = {"code": "OK1", "name": "Okay", **fields}
    with pytest.raises(ValidationError) as err, uow() as s:
        projects.create_project(s, actor=producer, **kwargs)
    assert str(err.value).startswith(message)


def test_project_code_is_unique_whatever_its_case(uow, producer):
    with uow() as s:
        make_project(s, producer, code="ALPHA")
    with pytest.raises(Conflict, match="A project with code ALPHA already exists."), uow() as s:
        make_project(s, producer, code="alpha")


@pytest.mark.parametrize("role", ["SUPERVISOR", "ARTIST", "CLIENT"])
def test_only_admin_or_producer_creates_projects(uow, role):
    with uow() as s:
        actor = make_user(s, role=role)
    with pytest.raises(PermissionDenied, match="admin or a producer"), uow() as s:
        make_project(s, actor)


def test_admin_creates_projects_too(uow):
    with uow() as s:
        admin = make_user(s, role="ADMIN")
        assert make_project(s, admin).id


def test_update_project_changes_only_the_given_fields(uow, producer):
    with uow() as s:
        p = make_project(s, producer, fps=25, resolution="2048x858")
    with uow() as s:
        updated = projects.update_project(
            s, actor=producer, project_id=p.id, name="Renamed", status="ON_HOLD"
        )
    assert (updated.name, updated.status, updated.fps, updated.resolution, updated.code) == (
        "Renamed",
        "ON_HOLD",
        25.0,
        "2048x858",
        p.code,
    )


def test_update_project_refuses_a_code_taken_by_another_project(uow, producer):
    with uow() as s:
        make_project(s, producer, code="TAKEN")
        p = make_project(s, producer)
    with pytest.raises(Conflict), uow() as s:
        projects.update_project(s, actor=producer, project_id=p.id, code="taken")
    with uow() as s:
        # keeping its own code is no clash
        assert projects.update_project(s, actor=producer, project_id=p.id, code=p.code).code == (
            p.code
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "DELETED"}, "Unknown project status."),
        ({"fps": -5}, "Frame rate must be between 1 and 240."),
        ({"name": ""}, "Enter a project name."),
    ],
)
def test_update_project_validation_messages(uow, producer, changes, message):
    with uow() as s:
        p = make_project(s, producer)
    with pytest.raises(ValidationError, match=message), uow() as s:
        projects.update_project(s, actor=producer, project_id=p.id, **changes)


def test_update_of_a_missing_project_is_not_found(uow, producer):
    with pytest.raises(NotFound), uow() as s:
        projects.update_project(s, actor=producer, project_id=999_999, name="X")


@pytest.mark.parametrize("role", ["SUPERVISOR", "ARTIST", "CLIENT"])
def test_only_admin_or_producer_updates_projects(uow, producer, role):
    with uow() as s:
        p = make_project(s, producer)
        actor = make_user(s, role=role)
        add_member(s, producer, p.id, actor)
    with pytest.raises(PermissionDenied), uow() as s:
        projects.update_project(s, actor=actor, project_id=p.id, name="Hijacked")


def test_list_projects_reports_progress_counts_and_the_next_open_due_date(uow, producer):
    today = date.today()
    with uow() as s:
        p = make_project(s, producer)
        shot = make_shot(s, producer, p.id)
        make_shot(s, producer, p.id)
        asset = make_asset(s, producer, p.id)
        make_task(s, producer, shot_id=shot.id, type="TRACK", due_date=today + timedelta(days=9))
        make_task(s, producer, shot_id=shot.id, type="ROTO", due_date=today + timedelta(days=3))
        # overdue: not "next due"
        make_task(s, producer, shot_id=shot.id, type="COMP", due_date=today - timedelta(days=1))
        done = make_task(s, producer, asset_id=asset.id, type="MODEL", due_date=today)
        tasks.move(s, actor=producer, task_id=done.id, status="DONE")
        empty = make_project(s, producer)
    with uow() as s:
        listed = {r.id: r for r in projects.list_projects(s, actor=producer)}
    stats = listed[p.id]
    assert (stats.tasks_total, stats.tasks_done) == (4, 1)
    assert stats.counts_by_status == {"TODO": 3, "DONE": 1}
    assert stats.next_due == today + timedelta(days=3)
    assert (stats.shot_count, stats.asset_count) == (2, 1)
    blank = listed[empty.id]
    assert (blank.tasks_total, blank.tasks_done, blank.next_due) == (0, 0, None)
    assert (blank.shot_count, blank.asset_count, blank.counts_by_status) == (0, 0, {})


def test_next_due_can_be_today(uow, producer):
    with uow() as s:
        p = make_project(s, producer)
        shot = make_shot(s, producer, p.id)
        make_task(s, producer, shot_id=shot.id, due_date=date.today())
    with uow() as s:
        assert projects.get_project(s, actor=producer, project_id=p.id).next_due == date.today()


@pytest.mark.parametrize("role", ["ADMIN", "PRODUCER", "SUPERVISOR"])
def test_staff_see_every_project(uow, producer, role):
    with uow() as s:
        a = make_project(s, producer)
        b = make_project(s, producer)
        viewer = make_user(s, role=role)
    with uow() as s:
        ids = {p.id for p in projects.list_projects(s, actor=viewer)}
    assert {a.id, b.id} <= ids


def test_artist_sees_only_member_projects(uow, producer):
    with uow() as s:
        mine = make_project(s, producer)
        theirs = make_project(s, producer)
        artist = make_user(s)
        add_member(s, producer, mine.id, artist)
    with uow() as s:
        assert [p.id for p in projects.list_projects(s, actor=artist)] == [mine.id]
        assert projects.get_project(s, actor=artist, project_id=mine.id).id == mine.id
        assert projects.project_choices(s, actor=artist) == [
            (mine.id, f"{mine.code} · {mine.name}")
        ]
    with pytest.raises(PermissionDenied), uow() as s:
        projects.get_project(s, actor=artist, project_id=theirs.id)


def test_assigning_a_task_makes_the_artist_see_the_project(uow, producer):
    with uow() as s:
        p = make_project(s, producer)
        artist = make_user(s)
        shot = make_shot(s, producer, p.id)
    with uow() as s:
        assert projects.list_projects(s, actor=artist) == []
        make_task(s, producer, shot_id=shot.id, assigned_artist_id=artist.id)
    with uow() as s:
        assert [r.id for r in projects.list_projects(s, actor=artist)] == [p.id]


def test_client_does_not_use_the_project_dashboard(uow, producer):
    with uow() as s:
        p = make_project(s, producer)
        client = make_user(s, role="CLIENT")
        add_member(s, producer, p.id, client)
    with pytest.raises(PermissionDenied), uow() as s:
        projects.list_projects(s, actor=client)
    with pytest.raises(PermissionDenied), uow() as s:
        projects.get_project(s, actor=client, project_id=p.id)


def test_get_missing_project_is_not_found(uow, producer):
    with pytest.raises(NotFound, match="Project not found."), uow() as s:
        projects.get_project(s, actor=producer, project_id=999_999)
