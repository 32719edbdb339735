from __future__ import annotations

from datetime import date

import pytest

from services import assets
from services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tests.factories import add_member, make_asset, make_project, make_user


@pytest.fixture
def setup(uow):
    with uow() as s:
        producer = make_user(s, role="PRODUCER")
        project = make_project(s, producer)
    return producer, project


def test_create_asset_normalises_and_parses_form_input(uow, setup):
    producer, project = setup
    with uow() as s:
        lead = make_user(s, role="SUPERVISOR", name="Lea Lead")
        asset = assets.create_asset(
            s,
            actor=producer,
            project_id=project.id,
            asset_code=" asset_car01 ",
            name=" Hero car ",
            due_date=date(2027, 1, 15),
            priority="urgent",
            assigned_lead_id=lead.id,
        )
    assert (asset.asset_code, asset.name, asset.due_date) == (
        "ASSET_CAR01",
        "Hero car",
        date(2027, 1, 15),
    )
    assert (asset.priority, asset.status, asset.lead_name) == ("URGENT", "ACTIVE", "Lea Lead")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"asset_code": "  "}, "Asset code must be 1–64 characters without spaces."),
        ({"asset_code": "CAR 01"}, "Asset code must be 1–64 characters without spaces."),
        ({"due_date": "tomorrow"}, "Due date must be a date like 2026-12-31."),
        ({"priority": "meh"}, "Priority must be LOW, NORMAL, HIGH or URGENT."),
        ({"status": "LOST"}, "Unknown status."),
    ],
)
def test_create_asset_validation_messages(uow, setup, fields, message):
    producer, project = setup
    kwargs = {"asset_code": "CAR01", **fields}
    with pytest.raises(ValidationError) as err, uow() as s:
        assets.create_asset(s, actor=producer, project_id=project.id, **kwargs)
    assert str(err.value) == message


def test_asset_code_is_unique_per_project(uow, setup):
    producer, project = setup
    with uow() as s:
        make_asset(s, producer, project.id, asset_code="CAR01")
    with pytest.raises(Conflict, match="Asset CAR01 already exists in this project."), uow() as s:
        make_asset(s, producer, project.id, asset_code="car01")
    with uow() as s:
        other = make_project(s, producer)
        assert make_asset(s, producer, other.id, asset_code="CAR01").asset_code == "CAR01"


def test_renaming_an_asset_onto_a_taken_code_conflicts(uow, setup):
    producer, project = setup
    with uow() as s:
        make_asset(s, producer, project.id, asset_code="CAR01")
        asset = make_asset(s, producer, project.id, asset_code="CAR02")
    with pytest.raises(Conflict), uow() as s:
        assets.update_asset(s, actor=producer, asset_id=asset.id, asset_code="CAR01")


def test_update_asset_fields(uow, setup):
    producer, project = setup
    with uow() as s:
        asset = make_asset(s, producer, project.id)
    with uow() as s:
        updated = assets.update_asset(
            s, actor=producer, asset_id=asset.id, status="ON_HOLD", due_date="", priority="low"
        )
    assert (updated.status, updated.due_date, updated.priority) == ("ON_HOLD", None, "LOW")


@pytest.mark.parametrize("role", ["ARTIST", "CLIENT"])
def test_artists_and_clients_cannot_manage_assets(uow, setup, role):
    producer, project = setup
    with uow() as s:
        actor = make_user(s, role=role)
        add_member(s, producer, project.id, actor)
        asset = make_asset(s, producer, project.id)
    with pytest.raises(PermissionDenied), uow() as s:
        make_asset(s, actor, project.id)
    with pytest.raises(PermissionDenied), uow() as s:
        assets.update_asset(s, actor=actor, asset_id=asset.id, name="Nope")


def test_supervisor_manages_assets(uow, setup):
    producer, project = setup
    with uow() as s:
        supervisor = make_user(s, role="SUPERVISOR")
        assert make_asset(s, supervisor, project.id).id


def test_list_assets_is_ordered_by_code(uow, setup):
    producer, project = setup
    with uow() as s:
        for code in ("PROP_B", "CHAR_A", "ENV_C"):
            make_asset(s, producer, project.id, asset_code=code)
    with uow() as s:
        codes = [a.asset_code for a in assets.list_assets(s, actor=producer, project_id=project.id)]
    assert codes == ["CHAR_A", "ENV_C", "PROP_B"]


def test_artist_outside_the_project_cannot_list_or_read_its_assets(uow, setup):
    producer, project = setup
    with uow() as s:
        artist = make_user(s)
        asset = make_asset(s, producer, project.id)
    with pytest.raises(PermissionDenied), uow() as s:
        assets.list_assets(s, actor=artist, project_id=project.id)
    with pytest.raises(PermissionDenied), uow() as s:
        assets.get_asset(s, actor=artist, asset_id=asset.id)


def test_missing_asset_or_lead_is_not_found(uow, setup):
    producer, project = setup
    with pytest.raises(NotFound, match="Asset not found."), uow() as s:
        assets.get_asset(s, actor=producer, asset_id=999_999)
    with pytest.raises(NotFound, match="Lead not found."), uow() as s:
        make_asset(s, producer, project.id, assigned_lead_id=999_999)
