from __future__ import annotations

from datetime import date

import pytest

from services import shots
from services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tests.factories import add_member, make_project, make_shot, make_user


@pytest.fixture
def setup(uow):
    with uow() as s:
        producer = make_user(s, role="PRODUCER")
        project = make_project(s, producer)
    return producer, project


def test_create_shot_normalises_and_parses_form_input(uow, setup):
    producer, project = setup
    with uow() as s:
        lead = make_user(s, role="SUPERVISOR", name="Lea Lead")
        shot = shots.create_shot(
            s,
            actor=producer,
            project_id=project.id,
            code=" sh010 ",
            name=" Opening ",
            frame_in="1001",
            frame_out="1100",
            due_date="2026-12-31",
            priority="high",
            lead_id=str(lead.id),
        )
    assert (shot.code, shot.name, shot.frame_in, shot.frame_out) == ("SH010", "Opening", 1001, 1100)
    assert (shot.due_date, shot.priority, shot.status) == (date(2026, 12, 31), "HIGH", "ACTIVE")
    assert (shot.lead_id, shot.lead_name) == (lead.id, "Lea Lead")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": ""}, "Shot code must be 1–64 characters without spaces."),
        ({"code": "SH 010"}, "Shot code must be 1–64 characters without spaces."),
        ({"code": "S" * 65}, "Shot code must be 1–64 characters without spaces."),
        ({"frame_in": "ten"}, "Frame in must be a whole number."),
        ({"frame_in": -1}, "Frame in must be at least 0."),
        ({"frame_out": "1.5"}, "Frame out must be a whole number."),
        ({"frame_in": 1100, "frame_out": 1001}, "Frame out must not be before frame in."),
        ({"due_date": "31/12/2026"}, "Due date must be a date like 2026-12-31."),
        ({"priority": "ASAP"}, "Priority must be LOW, NORMAL, HIGH or URGENT."),
        ({"status": "GONE"}, "Unknown status."),
    ],
)
def test_create_shot_validation_messages(uow, setup, fields, message):
    producer, project = setup
    kwargs = {"code": "SH010", **fields}
    with pytest.raises(ValidationError) as err, uow() as s:
        shots.create_shot(s, actor=producer, project_id=project.id, **kwargs)
    assert str(err.value) == message


def test_a_one_frame_shot_is_valid(uow, setup):
    producer, project = setup
    with uow() as s:
        shot = make_shot(s, producer, project.id, frame_in=1001, frame_out=1001)
    assert (shot.frame_in, shot.frame_out) == (1001, 1001)


def test_frame_range_is_checked_against_the_stored_end_on_update(uow, setup):
    producer, project = setup
    with uow() as s:
        shot = make_shot(s, producer, project.id, frame_in=1001, frame_out=1100)
    with pytest.raises(ValidationError, match="Frame out must not be before frame in"), uow() as s:
        shots.update_shot(s, actor=producer, shot_id=shot.id, frame_in=1200)
    with uow() as s:
        assert shots.get_shot(s, actor=producer, shot_id=shot.id).frame_in == 1001


def test_blank_frame_clears_it(uow, setup):
    producer, project = setup
    with uow() as s:
        shot = make_shot(s, producer, project.id, frame_in=1001, frame_out=1100)
    with uow() as s:
        updated = shots.update_shot(s, actor=producer, shot_id=shot.id, frame_out="")
    assert (updated.frame_in, updated.frame_out) == (1001, None)


def test_shot_code_is_unique_per_project(uow, setup):
    producer, project = setup
    with uow() as s:
        make_shot(s, producer, project.id, code="SH010")
    with pytest.raises(Conflict, match="Shot SH010 already exists in this project."), uow() as s:
        make_shot(s, producer, project.id, code="sh010")


def test_the_same_shot_code_may_exist_in_another_project(uow, setup):
    producer, project = setup
    with uow() as s:
        other = make_project(s, producer)
        make_shot(s, producer, project.id, code="SH010")
        assert make_shot(s, producer, other.id, code="SH010").code == "SH010"


def test_renaming_a_shot_onto_a_taken_code_conflicts(uow, setup):
    producer, project = setup
    with uow() as s:
        make_shot(s, producer, project.id, code="SH010")
        shot = make_shot(s, producer, project.id, code="SH020")
    with pytest.raises(Conflict), uow() as s:
        shots.update_shot(s, actor=producer, shot_id=shot.id, code="SH010")
    with uow() as s:
        assert shots.update_shot(s, actor=producer, shot_id=shot.id, code="SH020").code == "SH020"


def test_update_shot_status_and_lead(uow, setup):
    producer, project = setup
    with uow() as s:
        lead = make_user(s, role="SUPERVISOR")
        shot = make_shot(s, producer, project.id, lead_id=lead.id)
    with uow() as s:
        updated = shots.update_shot(s, actor=producer, shot_id=shot.id, status="FINAL", lead_id="")
    assert (updated.status, updated.lead_id, updated.lead_name) == ("FINAL", None, None)


def test_unknown_lead_is_not_found(uow, setup):
    producer, project = setup
    with pytest.raises(NotFound, match="Lead not found."), uow() as s:
        make_shot(s, producer, project.id, lead_id=999_999)


@pytest.mark.parametrize("role", ["ADMIN", "PRODUCER", "SUPERVISOR"])
def test_staff_manage_shots(uow, setup, role):
    producer, project = setup
    with uow() as s:
        actor = make_user(s, role=role)
        shot = make_shot(s, actor, project.id)
        assert shots.update_shot(s, actor=actor, shot_id=shot.id, name="Ok").name == "Ok"


@pytest.mark.parametrize("role", ["ARTIST", "CLIENT"])
def test_artists_and_clients_cannot_manage_shots(uow, setup, role):
    producer, project = setup
    with uow() as s:
        actor = make_user(s, role=role)
        add_member(s, producer, project.id, actor)
        shot = make_shot(s, producer, project.id)
    with pytest.raises(PermissionDenied), uow() as s:
        make_shot(s, actor, project.id)
    with pytest.raises(PermissionDenied), uow() as s:
        shots.update_shot(s, actor=actor, shot_id=shot.id, name="Nope")


def test_list_shots_is_ordered_by_code_with_lead_names(uow, setup):
    producer, project = setup
    with uow() as s:
        lead = make_user(s, role="SUPERVISOR", name="Lea Lead")
        make_shot(s, producer, project.id, code="SH030")
        make_shot(s, producer, project.id, code="SH010", lead_id=lead.id)
        make_shot(s, producer, project.id, code="SH020")
        make_shot(s, producer, make_project(s, producer).id, code="SH000")
    with uow() as s:
        listed = shots.list_shots(s, actor=producer, project_id=project.id)
    assert [x.code for x in listed] == ["SH010", "SH020", "SH030"]
    assert [x.lead_name for x in listed] == ["Lea Lead", None, None]


def test_artist_lists_shots_of_member_projects_only(uow, setup):
    producer, project = setup
    with uow() as s:
        artist = make_user(s)
        make_shot(s, producer, project.id)
    with pytest.raises(PermissionDenied), uow() as s:
        shots.list_shots(s, actor=artist, project_id=project.id)
    with uow() as s:
        add_member(s, producer, project.id, artist)
    with uow() as s:
        assert len(shots.list_shots(s, actor=artist, project_id=project.id)) == 1


def test_shot_in_a_missing_project_or_missing_shot_is_not_found(uow, setup):
    producer, _ = setup
    with pytest.raises(NotFound), uow() as s:
        make_shot(s, producer, 999_999)
    with pytest.raises(NotFound), uow() as s:
        shots.get_shot(s, actor=producer, shot_id=999_999)
    with pytest.raises(NotFound), uow() as s:
        shots.update_shot(s, actor=producer, shot_id=999_999, name="x")


@pytest.mark.parametrize(
    ("codes", "offered"),
    [
        (["SH010", "SH020", "SH080", "SH070"], "SH090"),  # after the highest, not a gap
        (["SH010", "SH045"], "SH050"),  # the next multiple of ten
        (["SH090"], "SH100"),
        (["sh0095"], "SH0100"),  # the list's digit count
        (["A1", "SH010", "SH020"], "SH030"),  # the prefix most shots use
        ([], "SH010"),
        (["OPENING"], "SH010"),
    ],
)
def test_a_new_shot_is_offered_the_next_free_code(codes, offered):
    assert shots.next_code(codes) == offered
