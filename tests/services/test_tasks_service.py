from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from models import Activity, ProjectMember, Task
from services import tasks
from services.errors import NotFound, PermissionDenied, ValidationError
from tests.factories import (
    add_member,
    make_asset,
    make_project,
    make_shot,
    make_task,
    make_user,
)


def column(s, actor, project_id, status) -> list[int]:
    """Task ids of one board column, top to bottom."""
    return [
        t.id for t in tasks.list_tasks(s, actor=actor, project_id=project_id, statuses=[status])
    ]


def activity_texts(s, task_id) -> list[str]:
    return list(
        s.exec(select(Activity.text).where(Activity.task_id == task_id).order_by(Activity.id))
    )


# ---------------------------------------------------------------- create


def test_create_task_defaults(uow, prod):
    with uow() as s:
        task = tasks.create_task(s, actor=prod.producer, type="track", shot_id=prod.shot.id)
    assert (task.title, task.type, task.status, task.priority) == (
        "Track",
        "TRACK",
        "TODO",
        "NORMAL",
    )
    assert (task.shot_id, task.asset_id, task.parent_code) == (prod.shot.id, None, prod.shot.code)
    assert (task.project_id, task.project_code) == (prod.project.id, prod.project.code)
    assert (task.assigned_artist_id, task.due_date, task.latest_version_number) == (
        None,
        None,
        None,
    )
    assert task.watcher_ids == ()


def test_create_task_with_every_field(uow, prod):
    with uow() as s:
        task = tasks.create_task(
            s,
            actor=prod.supervisor,
            type="FX",
            asset_id=prod.asset.id,
            title="  Dust hits ",
            description=" heavy ",
            assigned_artist_id=prod.artist.id,
            assigned_supervisor_id=prod.supervisor.id,
            due_date="2026-11-30",
            priority="urgent",
            estimated_hours="12.5",
            status="IN_PROGRESS",
        )
    assert (task.title, task.description, task.status, task.priority) == (
        "Dust hits",
        "heavy",
        "IN_PROGRESS",
        "URGENT",
    )
    assert (task.due_date, task.estimated_hours, task.parent_code) == (
        date(2026, 11, 30),
        12.5,
        prod.asset.asset_code,
    )
    assert (task.artist_name, task.supervisor_name) == (prod.artist.name, prod.supervisor.name)


def test_new_tasks_go_to_the_bottom_of_their_column(uow, prod):
    with uow() as s:
        a = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        b = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        assert a.sort_order < b.sort_order
        assert column(s, prod.producer, prod.project.id, "TODO")[-2:] == [a.id, b.id]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"shot_id": None}, "A task belongs to a shot or to an asset, never both or neither."),
        ({"asset_id": "asset"}, "A task belongs to a shot or to an asset, never both or neither."),
        ({"type": "DANCE"}, "Unknown task type 'DANCE'."),
        ({"title": "x" * 201}, "Title must be at most 200 characters."),
        ({"status": "LIMBO"}, "Unknown status 'LIMBO'."),
        ({"estimated_hours": "lots"}, "Estimate must be a number of hours."),
        ({"estimated_hours": -1}, "Estimate must be between 0 and 10000 hours."),
        ({"due_date": "soon"}, "Due date must be a date like 2026-12-31."),
        ({"priority": "MEH"}, "Priority must be LOW, NORMAL, HIGH or URGENT."),
    ],
)
def test_create_task_validation_messages(uow, prod, fields, message):
    kwargs = {"type": "COMP", "shot_id": prod.shot.id, **fields}
    if kwargs.get("asset_id") == "asset":
        kwargs["asset_id"] = prod.asset.id
    with pytest.raises(ValidationError) as err, uow() as s:
        tasks.create_task(s, actor=prod.producer, **kwargs)
    assert str(err.value) == message


def test_task_on_a_missing_shot_is_not_found(uow, prod):
    with pytest.raises(NotFound, match="Shot not found."), uow() as s:
        tasks.create_task(s, actor=prod.producer, type="COMP", shot_id=999_999)


@pytest.mark.parametrize(
    ("who", "field", "message"),
    [
        ("client", "assigned_artist_id", "A client cannot be assigned to a task."),
        ("artist", "assigned_supervisor_id", "is not a supervisor, producer or admin."),
        ("disabled", "assigned_artist_id", "is disabled."),
    ],
)
def test_create_task_refuses_unfit_assignees(uow, prod, who, field, message):
    with uow() as s:
        disabled = make_user(s, is_active=False)
    user = {"client": prod.client, "artist": prod.artist, "disabled": disabled}[who]
    with pytest.raises(ValidationError, match=message), uow() as s:
        make_task(s, prod.producer, shot_id=prod.shot.id, **{field: user.id})


@pytest.mark.parametrize("role", ["ADMIN", "PRODUCER", "SUPERVISOR"])
def test_staff_create_tasks(uow, prod, role):
    actor = {"ADMIN": prod.admin, "PRODUCER": prod.producer, "SUPERVISOR": prod.supervisor}[role]
    with uow() as s:
        assert make_task(s, actor, shot_id=prod.shot.id).created_at


@pytest.mark.parametrize("who", ["artist", "client"])
def test_artists_and_clients_cannot_create_tasks(uow, prod, who):
    with pytest.raises(PermissionDenied), uow() as s:
        make_task(s, getattr(prod, who), shot_id=prod.shot.id)


def test_creating_an_assigned_task_makes_the_assignees_members_and_emits_assigned(
    uow, prod, delivered
):
    with uow() as s:
        artist = make_user(s)
        supervisor = make_user(s, role="SUPERVISOR")
    delivered.clear()
    with uow() as s:
        task = make_task(
            s,
            prod.producer,
            shot_id=prod.shot.id,
            type="ROTO",
            assigned_artist_id=artist.id,
            assigned_supervisor_id=supervisor.id,
        )
    with uow() as s:
        assert s.get(ProjectMember, (prod.project.id, artist.id)) is not None
        assert s.get(ProjectMember, (prod.project.id, supervisor.id)) is not None
        assert activity_texts(s, task.id) == [
            f"{prod.producer.name} created {prod.shot.code} ROTO task"
        ]
    names = [e.name for e in delivered]
    assert names.count("task.created") == 1
    [assigned] = [e for e in delivered if e.name == "task.assigned"]
    assert assigned.project_id == prod.project.id
    assert assigned.payload == {
        "task_id": task.id,
        "artist_id": artist.id,
        "previous_artist_id": None,
        "actor_id": prod.producer.id,
    }


def test_creating_an_unassigned_task_emits_no_assignment(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        make_task(s, prod.producer, shot_id=prod.shot.id)
    assert "task.assigned" not in [e.name for e in delivered]


# ---------------------------------------------------------------- quick add


def test_quick_add_on_a_shot_takes_due_date_priority_and_supervisor_from_the_shot(uow, prod):
    due = date.today() + timedelta(days=10)
    with uow() as s:
        shot = make_shot(
            s,
            prod.producer,
            prod.project.id,
            due_date=due,
            priority="HIGH",
            lead_id=prod.supervisor.id,
        )
    with uow() as s:
        task = tasks.quick_add(s, actor=prod.producer, type="ROTO", shot_id=shot.id)
    assert (task.type, task.title, task.status) == ("ROTO", "Roto", "TODO")
    assert (task.due_date, task.priority, task.assigned_supervisor_id) == (
        due,
        "HIGH",
        prod.supervisor.id,
    )
    assert task.assigned_artist_id is None


def test_quick_add_on_an_asset_uses_the_asset_lead(uow, prod):
    with uow() as s:
        asset = make_asset(
            s, prod.producer, prod.project.id, assigned_lead_id=prod.producer.id, priority="LOW"
        )
    with uow() as s:
        task = tasks.quick_add(s, actor=prod.supervisor, type="MODEL", asset_id=asset.id)
    assert (task.asset_id, task.priority, task.assigned_supervisor_id) == (
        asset.id,
        "LOW",
        prod.producer.id,
    )


def test_quick_add_leaves_the_supervisor_empty_when_the_lead_is_an_artist(uow, prod):
    with uow() as s:
        shot = make_shot(s, prod.producer, prod.project.id, lead_id=prod.artist.id)
    with uow() as s:
        task = tasks.quick_add(s, actor=prod.producer, type="COMP", shot_id=shot.id)
    assert task.assigned_supervisor_id is None


def test_quick_add_without_a_lead_or_due_date(uow, prod):
    with uow() as s:
        shot = make_shot(s, prod.producer, prod.project.id)
        task = tasks.quick_add(s, actor=prod.producer, type="TRACK", shot_id=shot.id)
    assert (task.due_date, task.priority, task.assigned_supervisor_id) == (None, "NORMAL", None)


def test_quick_add_buttons_are_track_roto_comp_for_shots_and_model_texture_rig_for_assets():
    assert [t.value for t in tasks.QUICK_ADD["shot"]] == ["TRACK", "ROTO", "COMP"]
    assert [t.value for t in tasks.QUICK_ADD["asset"]] == ["MODEL", "TEXTURE", "RIG"]


@pytest.mark.parametrize("who", ["artist", "client"])
def test_artists_and_clients_cannot_quick_add(uow, prod, who):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.quick_add(s, actor=getattr(prod, who), type="TRACK", shot_id=prod.shot.id)


# ---------------------------------------------------------------- templates


def test_create_template_deduplicates_and_normalises_types(uow, prod):
    with uow() as s:
        t = tasks.create_template(
            s,
            actor=prod.supervisor,
            name=" Standard shot ",
            applies_to="SHOT",
            task_types=["track", "ROTO", "Track", "comp"],
        )
    assert (t.name, t.applies_to, t.task_types) == (
        "Standard shot",
        "SHOT",
        ("TRACK", "ROTO", "COMP"),
    )
    with uow() as s:
        assert tasks.list_templates(s, actor=prod.producer) == [t]


@pytest.mark.parametrize(
    ("name", "applies_to", "types", "message"),
    [
        ("  ", "SHOT", ["COMP"], "Enter a template name."),
        ("T", "SEQUENCE", ["COMP"], "A template applies to shots or to assets."),
        ("T", "SHOT", [], "Pick at least one task type."),
        ("T", "SHOT", ["COMP", "DANCE"], "Unknown task type 'DANCE'."),
    ],
)
def test_create_template_validation_messages(uow, prod, name, applies_to, types, message):
    with pytest.raises(ValidationError) as err, uow() as s:
        tasks.create_template(
            s, actor=prod.producer, name=name, applies_to=applies_to, task_types=types
        )
    assert str(err.value) == message


def test_template_names_are_unique(uow, prod):
    with uow() as s:
        tasks.create_template(
            s, actor=prod.producer, name="Std", applies_to="SHOT", task_types=["COMP"]
        )
    with pytest.raises(ValidationError, match="already exists"), uow() as s:
        tasks.create_template(
            s, actor=prod.producer, name="Std", applies_to="ASSET", task_types=["MODEL"]
        )


@pytest.mark.parametrize("who", ["artist", "client"])
def test_artists_and_clients_cannot_use_templates(uow, prod, who):
    actor = getattr(prod, who)
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.create_template(s, actor=actor, name="T", applies_to="SHOT", task_types=["COMP"])
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.list_templates(s, actor=actor)
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.apply_template(s, actor=actor, template_id=1, shot_ids=[prod.shot.id])


def test_apply_template_skips_types_a_shot_already_has(uow, prod):
    # prod.shot already has a COMP task
    with uow() as s:
        bare = make_shot(s, prod.producer, prod.project.id)
        template = tasks.create_template(
            s, actor=prod.producer, name="Std", applies_to="SHOT", task_types=["TRACK", "COMP"]
        )
    with uow() as s:
        created = tasks.apply_template(
            s, actor=prod.producer, template_id=template.id, shot_ids=[prod.shot.id, bare.id]
        )
    assert sorted((t.shot_id, t.type) for t in created) == sorted(
        [(prod.shot.id, "TRACK"), (bare.id, "TRACK"), (bare.id, "COMP")]
    )
    with uow() as s:
        again = tasks.apply_template(
            s, actor=prod.producer, template_id=template.id, shot_ids=[prod.shot.id, bare.id]
        )
        assert again == []
        comps = s.exec(select(Task).where(Task.shot_id == prod.shot.id, Task.type == "COMP")).all()
    assert len(comps) == 1


def test_apply_template_tasks_are_quick_added_with_the_shot_defaults(uow, prod):
    due = date.today() + timedelta(days=5)
    with uow() as s:
        shot = make_shot(
            s, prod.producer, prod.project.id, due_date=due, lead_id=prod.supervisor.id
        )
        template = tasks.create_template(
            s, actor=prod.producer, name="Std", applies_to="SHOT", task_types=["TRACK"]
        )
        [task] = tasks.apply_template(
            s, actor=prod.producer, template_id=template.id, shot_ids=[shot.id]
        )
    assert (task.due_date, task.assigned_supervisor_id) == (due, prod.supervisor.id)


def test_apply_template_on_assets(uow, prod):
    with uow() as s:
        template = tasks.create_template(
            s, actor=prod.producer, name="Asset", applies_to="ASSET", task_types=["MODEL", "RIG"]
        )
        created = tasks.apply_template(
            s, actor=prod.producer, template_id=template.id, asset_ids=[prod.asset.id]
        )
    assert [(t.asset_id, t.type) for t in created] == [
        (prod.asset.id, "MODEL"),
        (prod.asset.id, "RIG"),
    ]


def test_apply_template_refuses_the_wrong_kind_of_item(uow, prod):
    with uow() as s:
        template = tasks.create_template(
            s, actor=prod.producer, name="Std", applies_to="SHOT", task_types=["COMP"]
        )
    with pytest.raises(ValidationError, match="applies to SHOTs only"), uow() as s:
        tasks.apply_template(
            s, actor=prod.producer, template_id=template.id, asset_ids=[prod.asset.id]
        )


def test_apply_missing_template_is_not_found(uow, prod):
    with pytest.raises(NotFound, match="Template not found."), uow() as s:
        tasks.apply_template(s, actor=prod.producer, template_id=999_999, shot_ids=[prod.shot.id])


# ---------------------------------------------------------------- edits


def test_update_task_changes_descriptive_fields(uow, prod):
    with uow() as s:
        task = tasks.update_task(
            s,
            actor=prod.supervisor,
            task_id=prod.task.id,
            title=" Final comp ",
            description="grade match",
            type="lighting",
            priority="HIGH",
            estimated_hours="",
        )
    assert (task.title, task.description, task.type, task.priority, task.estimated_hours) == (
        "Final comp",
        "grade match",
        "LIGHTING",
        "HIGH",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Title must be 1–200 characters."),
        ({"title": "x" * 201}, "Title must be 1–200 characters."),
        ({"type": "NAP"}, "Unknown task type 'NAP'."),
        ({"estimated_hours": 10_001}, "Estimate must be between 0 and 10000 hours."),
    ],
)
def test_update_task_validation_messages(uow, prod, fields, message):
    with pytest.raises(ValidationError) as err, uow() as s:
        tasks.update_task(s, actor=prod.producer, task_id=prod.task.id, **fields)
    assert str(err.value) == message


def test_artist_cannot_edit_own_task(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.update_task(s, actor=prod.artist, task_id=prod.task.id, title="Mine now")


def test_missing_task_is_not_found(uow, prod):
    with pytest.raises(NotFound, match="Task not found."), uow() as s:
        tasks.update_task(s, actor=prod.producer, task_id=999_999, title="x")
    with pytest.raises(NotFound), uow() as s:
        tasks.get_task(s, actor=prod.producer, task_id=999_999)
    with pytest.raises(NotFound), uow() as s:
        tasks.move(s, actor=prod.producer, task_id=999_999, status="DONE")


# ---------------------------------------------------------------- assignment


def test_assign_adds_membership_records_activity_and_emits_task_assigned(uow, prod, delivered):
    with uow() as s:
        newcomer = make_user(s, name="Nia Newcomer")
    delivered.clear()
    with uow() as s:
        task = tasks.assign(s, actor=prod.supervisor, task_id=prod.task.id, artist_id=newcomer.id)
    assert (task.assigned_artist_id, task.artist_name) == (newcomer.id, "Nia Newcomer")
    # the supervisor is left as it was
    assert task.assigned_supervisor_id == prod.supervisor.id
    with uow() as s:
        assert s.get(ProjectMember, (prod.project.id, newcomer.id)) is not None
        assert activity_texts(s, prod.task.id)[-1] == (
            f"{prod.supervisor.name} assigned {prod.shot.code} COMP to Nia Newcomer"
        )
    [assigned] = [e for e in delivered if e.name == "task.assigned"]
    assert assigned.payload == {
        "task_id": prod.task.id,
        "artist_id": newcomer.id,
        "previous_artist_id": prod.artist.id,
        "actor_id": prod.supervisor.id,
    }


def test_reassigning_the_same_artist_emits_nothing(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=prod.artist.id)
    assert "task.assigned" not in [e.name for e in delivered]
    assert "activity.recorded" not in [e.name for e in delivered]


def test_unassigning_an_artist(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        task = tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=None)
        assert activity_texts(s, prod.task.id)[-1].endswith("to nobody")
    assert (task.assigned_artist_id, task.artist_name) == (None, None)
    [assigned] = [e for e in delivered if e.name == "task.assigned"]
    assert (assigned.payload["artist_id"], assigned.payload["previous_artist_id"]) == (
        None,
        prod.artist.id,
    )


def test_assign_supervisor_only_leaves_the_artist_alone(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        producer2 = make_user(s, role="PRODUCER")
        task = tasks.assign(
            s, actor=prod.producer, task_id=prod.task.id, supervisor_id=producer2.id
        )
    assert (task.assigned_artist_id, task.assigned_supervisor_id) == (prod.artist.id, producer2.id)
    assert "task.assigned" not in [e.name for e in delivered]
    with uow() as s:
        assert s.get(ProjectMember, (prod.project.id, producer2.id)) is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"artist_id": "client"}, "A client cannot be assigned to a task."),
        ({"supervisor_id": "artist"}, "is not a supervisor, producer or admin."),
    ],
)
def test_assign_refuses_unfit_users(uow, prod, kwargs, message):
    kwargs = {k: getattr(prod, v).id for k, v in kwargs.items()}
    with pytest.raises(ValidationError, match=message), uow() as s:
        tasks.assign(s, actor=prod.producer, task_id=prod.task.id, **kwargs)


def test_assign_unknown_user_is_not_found(uow, prod):
    with pytest.raises(NotFound, match="User not found."), uow() as s:
        tasks.assign(s, actor=prod.producer, task_id=prod.task.id, artist_id=999_999)


@pytest.mark.parametrize("who", ["artist", "other_artist"])
def test_artists_cannot_assign(uow, prod, who):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.assign(
            s, actor=getattr(prod, who), task_id=prod.task.id, artist_id=prod.other_artist.id
        )


def test_client_assigning_is_told_the_task_does_not_exist(uow, prod):
    with pytest.raises(NotFound), uow() as s:
        tasks.assign(s, actor=prod.client, task_id=prod.task.id, artist_id=prod.artist.id)


# ---------------------------------------------------------------- due dates


def test_set_and_clear_the_due_date(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        task = tasks.set_due_date(
            s, actor=prod.producer, task_id=prod.task.id, due_date="2027-02-01"
        )
    assert task.due_date == date(2027, 2, 1)
    assert [e.payload["due_date"] for e in delivered if e.name == "task.updated"] == ["2027-02-01"]
    with uow() as s:
        assert (
            tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date="").due_date
            is None
        )


def test_due_date_validation_message(uow, prod):
    with (
        pytest.raises(ValidationError, match="Due date must be a date like 2026-12-31."),
        uow() as s,
    ):
        tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date="next friday")


def test_artist_cannot_change_own_due_date(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.set_due_date(s, actor=prod.artist, task_id=prod.task.id, due_date=date.today())


# ---------------------------------------------------------------- watchers


def test_set_watchers_replaces_the_set_and_adds_membership(uow, prod):
    with uow() as s:
        outsider = make_user(s)
    with uow() as s:
        task = tasks.set_watchers(
            s,
            actor=prod.producer,
            task_id=prod.task.id,
            user_ids=[prod.other_artist.id, outsider.id],
        )
    assert task.watcher_ids == tuple(sorted([prod.other_artist.id, outsider.id]))
    with uow() as s:
        assert s.get(ProjectMember, (prod.project.id, outsider.id)) is not None
        task = tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[outsider.id, outsider.id]
        )
    assert task.watcher_ids == (outsider.id,)
    with uow() as s:
        assert (
            tasks.set_watchers(
                s, actor=prod.producer, task_id=prod.task.id, user_ids=[]
            ).watcher_ids
            == ()
        )


def test_a_client_cannot_watch_a_task(uow, prod):
    with pytest.raises(ValidationError, match="A client cannot be assigned"), uow() as s:
        tasks.set_watchers(s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.client.id])


def test_artist_cannot_set_watchers(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.set_watchers(s, actor=prod.artist, task_id=prod.task.id, user_ids=[prod.artist.id])


def test_watch_toggle_follows_and_unfollows(uow, prod):
    with uow() as s:
        assert tasks.watch(
            s, actor=prod.artist, task_id=prod.task.id, watching=True
        ).watcher_ids == (prod.artist.id,)
    with uow() as s:
        # toggling on twice is harmless
        assert tasks.watch(
            s, actor=prod.artist, task_id=prod.task.id, watching=True
        ).watcher_ids == (prod.artist.id,)
    with uow() as s:
        assert (
            tasks.watch(s, actor=prod.artist, task_id=prod.task.id, watching=False).watcher_ids
            == ()
        )
    with uow() as s:
        assert (
            tasks.watch(s, actor=prod.artist, task_id=prod.task.id, watching=False).watcher_ids
            == ()
        )


def test_staff_may_watch_any_task(uow, prod):
    with uow() as s:
        task = tasks.watch(s, actor=prod.admin, task_id=prod.task.id, watching=True)
    assert task.watcher_ids == (prod.admin.id,)


def test_artist_cannot_watch_a_task_they_cannot_see(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.watch(s, actor=prod.other_artist, task_id=prod.task.id, watching=True)


def test_a_watcher_sees_the_task_until_they_unwatch(uow, prod):
    with uow() as s:
        tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.other_artist.id]
        )
    with uow() as s:
        assert tasks.get_task(s, actor=prod.other_artist, task_id=prod.task.id).id == prod.task.id
        tasks.watch(s, actor=prod.other_artist, task_id=prod.task.id, watching=False)
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.get_task(s, actor=prod.other_artist, task_id=prod.task.id)


def test_client_watching_is_told_the_task_does_not_exist(uow, prod):
    with pytest.raises(NotFound), uow() as s:
        tasks.watch(s, actor=prod.client, task_id=prod.task.id, watching=True)


# ---------------------------------------------------------------- move: permissions


@pytest.mark.parametrize(
    "status", ["TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "CLIENT_REVIEW", "CHANGES", "DONE"]
)
@pytest.mark.parametrize("who", ["admin", "producer", "supervisor"])
def test_staff_move_any_task_to_any_status(uow, prod, who, status):
    with uow() as s:
        assert (
            tasks.move(s, actor=getattr(prod, who), task_id=prod.task.id, status=status).status
            == status
        )


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("TODO", "IN_PROGRESS"),
        ("IN_PROGRESS", "INTERNAL_REVIEW"),
        ("INTERNAL_REVIEW", "IN_PROGRESS"),
        ("IN_PROGRESS", "TODO"),
        ("INTERNAL_REVIEW", "TODO"),
    ],
)
def test_artist_moves_own_task_between_todo_in_progress_and_internal_review(uow, prod, start, to):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=start)
    with uow() as s:
        assert tasks.move(s, actor=prod.artist, task_id=prod.task.id, status=to).status == to


@pytest.mark.parametrize("to", ["CLIENT_REVIEW", "CHANGES", "DONE"])
def test_artist_cannot_move_own_task_out_of_the_artist_columns(uow, prod, to):
    with (
        pytest.raises(
            PermissionDenied,
            match="You can only move your own tasks between Todo, In Progress and Internal Review.",
        ),
        uow() as s,
    ):
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status=to)
    with uow() as s:
        assert tasks.get_task(s, actor=prod.artist, task_id=prod.task.id).status == "TODO"


def test_artist_cannot_move_own_task_to_done(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="DONE")


@pytest.mark.parametrize("start", ["CLIENT_REVIEW", "CHANGES", "DONE"])
def test_artist_cannot_pull_own_task_back_from_a_staff_column(uow, prod, start):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=start)
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="IN_PROGRESS")


def test_artist_cannot_move_someone_elses_task(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.move(s, actor=prod.other_artist, task_id=prod.task.id, status="IN_PROGRESS")


def test_watching_or_supervising_artist_still_cannot_move_the_task(uow, prod):
    with uow() as s:
        tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.other_artist.id]
        )
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.move(s, actor=prod.other_artist, task_id=prod.task.id, status="IN_PROGRESS")


def test_client_moving_a_task_is_told_it_does_not_exist(uow, prod):
    with pytest.raises(NotFound, match="Task not found."), uow() as s:
        tasks.move(s, actor=prod.client, task_id=prod.task.id, status="DONE")


def test_move_to_an_unknown_status_is_refused(uow, prod):
    with pytest.raises(ValidationError, match="Unknown status 'REVIEW'."), uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="REVIEW")


# ---------------------------------------------------------------- move: effects


def test_status_change_records_activity_and_emits_status_changed(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        tasks.move(s, actor=prod.supervisor, task_id=prod.task.id, status="CLIENT_REVIEW")
        assert activity_texts(s, prod.task.id)[-1] == (
            f"{prod.supervisor.name} moved {prod.shot.code} COMP to Client Review"
        )
    [changed] = [e for e in delivered if e.name == "task.status_changed"]
    assert changed.payload == {
        "task_id": prod.task.id,
        "from_status": "TODO",
        "to_status": "CLIENT_REVIEW",
        "actor_id": prod.supervisor.id,
    }
    assert [e.name for e in delivered].count("task.moved") == 1


def test_reorder_within_a_column_emits_no_status_change(uow, prod, delivered):
    with uow() as s:
        make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
    delivered.clear()
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="TODO", index=1)
        assert len(activity_texts(s, prod.task.id)) == 1  # only "created"
    names = [e.name for e in delivered]
    assert "task.status_changed" not in names and "task.moved" in names


def test_move_to_the_same_status_without_index_keeps_the_position(uow, prod):
    with uow() as s:
        make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        before = tasks.get_task(s, actor=prod.producer, task_id=prod.task.id).sort_order
        after = tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="TODO").sort_order
    assert after == before


@pytest.fixture
def four_todo(uow, prod):
    """Four more tasks in TODO on prod's project; returns the whole column's ids in order."""
    with uow() as s:
        for kind in ("TRACK", "ROTO", "FX", "LIGHTING"):
            make_task(s, prod.producer, shot_id=prod.shot.id, type=kind)
        return column(s, prod.producer, prod.project.id, "TODO")


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, [4, 0, 1, 2, 3]),
        (1, [0, 4, 1, 2, 3]),
        (2, [0, 1, 4, 2, 3]),
        (3, [0, 1, 2, 4, 3]),
        (4, [0, 1, 2, 3, 4]),
        (None, [0, 1, 2, 3, 4]),
        (99, [0, 1, 2, 3, 4]),
        (-3, [4, 0, 1, 2, 3]),
    ],
)
def test_move_places_the_task_at_the_index_within_its_column(uow, prod, four_todo, index, expected):
    ids = four_todo
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=ids[4], status="TODO", index=index)
    with uow() as s:
        assert column(s, prod.producer, prod.project.id, "TODO") == [ids[i] for i in expected]


def test_move_into_another_column_at_an_index(uow, prod, four_todo):
    ids = four_todo
    with uow() as s:
        for task_id in ids[:3]:
            tasks.move(s, actor=prod.producer, task_id=task_id, status="IN_PROGRESS")
        assert column(s, prod.producer, prod.project.id, "IN_PROGRESS") == ids[:3]
        tasks.move(s, actor=prod.producer, task_id=ids[4], status="IN_PROGRESS", index=1)
        tasks.move(s, actor=prod.producer, task_id=ids[3], status="IN_PROGRESS", index=0)
        assert column(s, prod.producer, prod.project.id, "IN_PROGRESS") == [
            ids[3],
            ids[0],
            ids[4],
            ids[1],
            ids[2],
        ]
        assert column(s, prod.producer, prod.project.id, "TODO") == []


def test_move_renumbers_the_column_when_the_neighbours_keys_collide(uow, prod, four_todo):
    ids = four_todo
    with uow() as s:
        # two cards with one key, as after concurrent drops
        for task_id, key in zip(ids, (10.0, 20.0, 20.0, 30.0)):
            row = s.get(Task, task_id)
            row.sort_order = key
            s.add(row)
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=ids[4], status="TODO", index=2)
    with uow() as s:
        assert column(s, prod.producer, prod.project.id, "TODO") == [
            ids[0],
            ids[1],
            ids[4],
            ids[2],
            ids[3],
        ]
        keys = [
            s.get(Task, i).sort_order for i in column(s, prod.producer, prod.project.id, "TODO")
        ]
    assert keys == [0.0, 1024.0, 2048.0, 3072.0, 4096.0]


def test_repeated_drops_between_the_same_neighbours_never_collide(uow, prod, four_todo):
    """Halving the gap again and again would run out of float precision; the column is
    renumbered instead, and every drop still lands where it was dropped."""
    ids = four_todo
    a, b = ids[3], ids[4]
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=b, status="TODO", index=1)
        for i in range(60):
            moving, resting = (a, b) if i % 2 == 0 else (b, a)
            tasks.move(s, actor=prod.producer, task_id=moving, status="TODO", index=1)
            order = column(s, prod.producer, prod.project.id, "TODO")
            assert order[:3] == [ids[0], moving, resting], f"drop {i}"
        keys = [s.get(Task, i).sort_order for i in order]
    assert len(set(keys)) == len(keys)
    assert keys == sorted(keys)


def test_the_column_is_per_project(uow, prod):
    with uow() as s:
        other = make_task(s, prod.producer)  # another project
        moved = tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="DONE", index=0)
        assert column(s, prod.producer, prod.project.id, "DONE") == [prod.task.id]
        assert column(s, prod.producer, other.project_id, "TODO") == [other.id]
    assert moved.status == "DONE"


def test_moving_to_a_new_status_without_index_goes_to_the_end(uow, prod, four_todo):
    ids = four_todo
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=ids[2], status="CHANGES")
        tasks.move(s, actor=prod.producer, task_id=ids[0], status="CHANGES")
        assert column(s, prod.producer, prod.project.id, "CHANGES") == [ids[2], ids[0]]


@pytest.mark.parametrize(
    ("after", "before", "expected"),
    [
        (0, None, [0, 4, 1, 2, 3]),  # right after a neighbour
        (None, 0, [4, 0, 1, 2, 3]),  # right before one
        (1, 3, [0, 1, 4, 2, 3]),  # "after" wins when both are given
        (99, 2, [0, 1, 4, 2, 3]),  # an unknown "after": the other neighbour
        (99, 98, [0, 1, 2, 3, 4]),  # neither in the column: stays put
    ],
)
def test_move_task_places_the_task_by_its_neighbours(uow, prod, four_todo, after, before, expected):
    ids = four_todo
    pick = {i: ids[i] for i in range(4)} | {99: 999_999, 98: 999_998}
    with uow() as s:
        tasks.move_task(
            s,
            actor=prod.producer,
            task_id=ids[4],
            status="TODO",
            after_id=pick.get(after),
            before_id=pick.get(before),
        )
    with uow() as s:
        assert column(s, prod.producer, prod.project.id, "TODO") == [ids[i] for i in expected]


def test_move_task_answers_with_what_changed(uow, prod, four_todo, delivered):
    ids = four_todo
    with uow() as s:
        moved = tasks.move_task(
            s, actor=prod.producer, task_id=ids[1], status="IN_PROGRESS", before_id=ids[0]
        )
        reordered = tasks.move_task(
            s, actor=prod.producer, task_id=ids[3], status="TODO", before_id=ids[0]
        )
    assert moved == tasks.TaskMoveRead(
        id=ids[1],
        project_id=prod.project.id,
        status="IN_PROGRESS",
        sort_order=moved.sort_order,
        status_changed=True,
    )
    assert (reordered.status, reordered.status_changed) == ("TODO", False)
    with uow() as s:
        assert column(s, prod.producer, prod.project.id, "TODO")[0] == ids[3]
    names = [e.name for e in delivered]
    assert names.count("task.moved") == 2 and names.count("task.status_changed") == 1


def test_a_drop_costs_three_statements_whatever_the_column(uow, engine, prod, four_todo):
    """One read of the task with its permission facts and its neighbours' keys, one UPDATE,
    one INSERT (activity): the column is not read, nor the task again to answer."""
    ids = four_todo
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement.split(None, 1)[0].upper())

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        with uow() as s:
            tasks.move_task(
                s, actor=prod.artist, task_id=prod.task.id, status="IN_PROGRESS", after_id=ids[1]
            )
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert sorted(seen) == ["INSERT", "SELECT", "UPDATE"]


@pytest.mark.parametrize("side", ["after", "before"])
def test_a_drop_between_neighbours_whose_keys_collide_renumbers_the_column(
    uow, prod, four_todo, side
):
    ids = four_todo
    with uow() as s:
        for task_id, key in zip(ids, (10.0, 20.0, 20.0, 30.0)):
            row = s.get(Task, task_id)
            row.sort_order = key
            s.add(row)
    # ids[1] and ids[2] share a key: dropping ids[4] between them cannot split it
    place = {"after_id": ids[1]} if side == "after" else {"before_id": ids[2]}
    with uow() as s:
        tasks.move_task(s, actor=prod.producer, task_id=ids[4], status="TODO", **place)
    with uow() as s:
        order = column(s, prod.producer, prod.project.id, "TODO")
        keys = [s.get(Task, i).sort_order for i in order]
    assert order == [ids[0], ids[1], ids[4], ids[2], ids[3]]
    assert keys == [0.0, 1024.0, 2048.0, 3072.0, 4096.0]


def test_a_drop_next_to_a_card_of_another_column_goes_to_the_end(uow, prod, four_todo):
    ids = four_todo
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=ids[0], status="DONE")
        tasks.move_task(s, actor=prod.producer, task_id=ids[1], status="DONE", before_id=ids[2])
    with uow() as s:
        assert column(s, prod.producer, prod.project.id, "DONE") == [ids[0], ids[1]]


def test_move_task_refuses_like_move(uow, prod):
    with uow() as s, pytest.raises(PermissionDenied, match="only move your own tasks"):
        tasks.move_task(s, actor=prod.artist, task_id=prod.task.id, status="DONE")
    with uow() as s, pytest.raises(NotFound):
        tasks.move_task(s, actor=prod.client, task_id=prod.task.id, status="TODO")
    with uow() as s, pytest.raises(NotFound):
        tasks.move_task(s, actor=prod.producer, task_id=999_999, status="TODO")
    with uow() as s, pytest.raises(ValidationError):
        tasks.move_task(s, actor=prod.producer, task_id=prod.task.id, status="LATER")
    with uow() as s:
        assert tasks.get_task(s, actor=prod.producer, task_id=prod.task.id).status == "TODO"


# ---------------------------------------------------------------- reads and visibility


def test_artist_lists_only_tasks_assigned_supervised_or_watched(uow, prod):
    with uow() as s:
        supervised = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        watched = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        hidden = make_task(s, prod.producer, shot_id=prod.shot.id, type="FX")
        # an artist's "supervising" fact comes from data, not from the role
        row = s.get(Task, supervised.id)
        row.assigned_supervisor_id = prod.artist.id
        s.add(row)
        tasks.set_watchers(s, actor=prod.producer, task_id=watched.id, user_ids=[prod.artist.id])
    with uow() as s:
        ids = {t.id for t in tasks.list_tasks(s, actor=prod.artist)}
        in_project = {
            t.id for t in tasks.list_tasks(s, actor=prod.artist, project_id=prod.project.id)
        }
        mine = {t.id for t in tasks.list_tasks(s, actor=prod.artist, artist_id=prod.artist.id)}
    assert ids == in_project == {prod.task.id, supervised.id, watched.id}
    assert hidden.id not in ids
    assert mine == {prod.task.id}


def test_artist_with_no_tasks_sees_an_empty_board(uow, prod):
    with uow() as s:
        assert tasks.list_tasks(s, actor=prod.other_artist, project_id=prod.project.id) == []


def test_staff_list_every_task_with_filters(uow, prod):
    with uow() as s:
        asset_task = make_task(s, prod.producer, asset_id=prod.asset.id, type="MODEL")
        done = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        tasks.move(s, actor=prod.producer, task_id=done.id, status="DONE")
        elsewhere = make_task(s, prod.producer)
    with uow() as s:
        sup = prod.supervisor
        every = {t.id for t in tasks.list_tasks(s, actor=sup)}
        project = [t.id for t in tasks.list_tasks(s, actor=sup, project_id=prod.project.id)]
        by_shot = {t.id for t in tasks.list_tasks(s, actor=sup, shot_id=prod.shot.id)}
        by_asset = [t.id for t in tasks.list_tasks(s, actor=sup, asset_id=prod.asset.id)]
        by_artist = [t.id for t in tasks.list_tasks(s, actor=sup, artist_id=prod.artist.id)]
        done_only = [t.id for t in tasks.list_tasks(s, actor=sup, statuses=["DONE"])]
    assert {prod.task.id, asset_task.id, done.id, elsewhere.id} <= every
    assert sorted(project) == sorted([prod.task.id, asset_task.id, done.id])
    assert by_shot == {prod.task.id, done.id}
    assert by_asset == [asset_task.id]
    assert by_artist == [prod.task.id]
    assert done_only == [done.id]


def test_list_tasks_with_an_unknown_status_filter_is_refused(uow, prod):
    with pytest.raises(ValidationError, match="Unknown status"), uow() as s:
        tasks.list_tasks(s, actor=prod.producer, statuses=["WAITING"])


def test_artist_cannot_look_at_another_artists_workload(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.list_tasks(s, actor=prod.other_artist, artist_id=prod.artist.id)


def test_artist_cannot_list_a_project_they_do_not_belong_to(uow, prod):
    with uow() as s:
        outsider = make_user(s)
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.list_tasks(s, actor=outsider, project_id=prod.project.id)


def test_clients_never_see_the_board(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.list_tasks(s, actor=prod.client)
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.list_tasks(s, actor=prod.client, project_id=prod.project.id)


def test_get_task_for_its_artist_and_not_for_others(uow, prod):
    with uow() as s:
        assert (
            tasks.get_task(s, actor=prod.artist, task_id=prod.task.id).artist_name
            == prod.artist.name
        )
    with pytest.raises(PermissionDenied, match="This task is not assigned to you."), uow() as s:
        tasks.get_task(s, actor=prod.other_artist, task_id=prod.task.id)


def test_client_is_told_a_task_does_not_exist(uow, prod):
    with pytest.raises(NotFound, match="Task not found."), uow() as s:
        tasks.get_task(s, actor=prod.client, task_id=prod.task.id)


def test_to_reads_of_nothing_is_nothing(uow):
    with uow() as s:
        assert tasks.to_reads(s, []) == []


def test_type_label():
    assert tasks.type_label("LOOKDEV") == "Lookdev"
    assert tasks.type_label("CUSTOM_TYPE") == "Custom Type"


def test_supervisor_set_on_creation_is_visible_to_a_member_artist_watching(uow):
    with uow() as s:
        producer = make_user(s, role="PRODUCER")
        project = make_project(s, producer)
        artist = make_user(s)
        add_member(s, producer, project.id, artist)
        shot = make_shot(s, producer, project.id)
        task = make_task(s, producer, shot_id=shot.id)
        tasks.set_watchers(s, actor=producer, task_id=task.id, user_ids=[artist.id])
    with uow() as s:
        assert [t.id for t in tasks.list_tasks(s, actor=artist, project_id=project.id)] == [task.id]


# ---------------------------------------------------------------- bulk edits


def statuses(uow, task_ids) -> list[str]:
    with uow() as s:
        return [s.get(Task, i).status.value for i in task_ids]


@pytest.fixture
def three(uow, prod):
    """prod.task and two more TODO tasks of prod.artist's on prod.shot."""
    with uow() as s:
        more = [
            make_task(s, prod.producer, shot_id=prod.shot.id, type=kind, assigned_artist_id=a)
            for kind, a in (("TRACK", prod.artist.id), ("ROTO", prod.artist.id))
        ]
    return [prod.task.id] + [t.id for t in more]


def test_bulk_move_changes_every_selected_task(uow, prod, three, delivered):
    delivered.clear()
    with uow() as s:
        moved = tasks.bulk_move(s, actor=prod.supervisor, task_ids=three, status="CLIENT_REVIEW")
    assert [t.id for t in moved] == three
    assert {t.status for t in moved} == {"CLIENT_REVIEW"}
    assert statuses(uow, three) == ["CLIENT_REVIEW"] * 3
    changed = [e.payload["task_id"] for e in delivered if e.name == "task.status_changed"]
    assert changed == three
    with uow() as s:
        assert all(activity_texts(s, i)[-1].endswith("to Client Review") for i in three)


def test_bulk_move_lets_an_artist_move_their_own_tasks(uow, prod, three):
    with uow() as s:
        tasks.bulk_move(s, actor=prod.artist, task_ids=three, status="IN_PROGRESS")
    assert statuses(uow, three) == ["IN_PROGRESS"] * 3


def test_bulk_move_is_all_or_nothing_when_one_task_is_someone_elses(uow, prod, three, delivered):
    with uow() as s:
        theirs = make_task(
            s, prod.producer, shot_id=prod.shot.id, assigned_artist_id=prod.other_artist.id
        )
    delivered.clear()
    selection = [three[0], three[1], theirs.id, three[2]]
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.bulk_move(s, actor=prod.artist, task_ids=selection, status="IN_PROGRESS")
    assert statuses(uow, selection) == ["TODO"] * 4
    assert delivered == []
    with uow() as s:
        assert all(len(activity_texts(s, i)) == 1 for i in selection)  # only "created"


def test_bulk_move_to_a_status_the_artist_may_not_set_changes_nothing(uow, prod, three):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.bulk_move(s, actor=prod.artist, task_ids=three, status="DONE")
    assert statuses(uow, three) == ["TODO"] * 3


def test_bulk_move_with_a_missing_task_changes_nothing(uow, prod, three):
    with pytest.raises(NotFound, match="Task not found."), uow() as s:
        tasks.bulk_move(s, actor=prod.producer, task_ids=[*three, 999_999], status="DONE")
    assert statuses(uow, three) == ["TODO"] * 3


def test_bulk_move_refuses_an_unknown_status(uow, prod, three):
    with pytest.raises(ValidationError, match="Unknown status"), uow() as s:
        tasks.bulk_move(s, actor=prod.producer, task_ids=three, status="LATER")


def test_bulk_move_counts_a_task_selected_twice_once(uow, prod, three, delivered):
    delivered.clear()
    with uow() as s:
        moved = tasks.bulk_move(
            s, actor=prod.producer, task_ids=[three[0], str(three[0]), three[1]], status="DONE"
        )
    assert [t.id for t in moved] == three[:2]
    assert [e.name for e in delivered].count("task.status_changed") == 2


def test_clients_bulk_moving_are_told_the_tasks_do_not_exist(uow, prod, three):
    with pytest.raises(NotFound), uow() as s:
        tasks.bulk_move(s, actor=prod.client, task_ids=three, status="DONE")
    assert statuses(uow, three) == ["TODO"] * 3


def test_bulk_assign_assigns_every_selected_task(uow, prod, three, delivered):
    delivered.clear()
    with uow() as s:
        assigned = tasks.bulk_assign(
            s, actor=prod.producer, task_ids=three, artist_id=prod.other_artist.id
        )
    assert {(t.assigned_artist_id, t.artist_name) for t in assigned} == {
        (prod.other_artist.id, prod.other_artist.name)
    }
    events = [e.payload for e in delivered if e.name == "task.assigned"]
    assert [(p["task_id"], p["previous_artist_id"]) for p in events] == [
        (i, prod.artist.id) for i in three
    ]


def test_bulk_assign_to_nobody_unassigns(uow, prod, three):
    with uow() as s:
        tasks.bulk_assign(s, actor=prod.supervisor, task_ids=three, artist_id=None)
    with uow() as s:
        assert {s.get(Task, i).assigned_artist_id for i in three} == {None}


@pytest.mark.parametrize("who", ["artist", "other_artist"])
def test_artists_cannot_bulk_assign(uow, prod, three, who):
    with pytest.raises(PermissionDenied), uow() as s:
        tasks.bulk_assign(
            s, actor=getattr(prod, who), task_ids=three, artist_id=prod.other_artist.id
        )
    with uow() as s:
        assert {s.get(Task, i).assigned_artist_id for i in three} == {prod.artist.id}


def test_bulk_assign_is_all_or_nothing_when_one_task_is_missing(uow, prod, three, delivered):
    delivered.clear()
    with pytest.raises(NotFound), uow() as s:
        tasks.bulk_assign(
            s, actor=prod.producer, task_ids=[*three, 999_999], artist_id=prod.other_artist.id
        )
    with uow() as s:
        assert {s.get(Task, i).assigned_artist_id for i in three} == {prod.artist.id}
    assert delivered == []


def test_bulk_assign_refuses_a_client_assignee(uow, prod, three):
    with pytest.raises(ValidationError, match="A client cannot be assigned"), uow() as s:
        tasks.bulk_assign(s, actor=prod.producer, task_ids=three, artist_id=prod.client.id)


@pytest.mark.parametrize("bulk", ["bulk_move", "bulk_assign"])
def test_an_empty_selection_is_refused(uow, prod, bulk):
    kwargs = {"status": "DONE"} if bulk == "bulk_move" else {"artist_id": prod.artist.id}
    with pytest.raises(ValidationError, match="Select at least one task."), uow() as s:
        getattr(tasks, bulk)(s, actor=prod.producer, task_ids=[], **kwargs)
