from __future__ import annotations

import pytest

from services import users
from services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tests.factories import make_project, make_user


@pytest.fixture
def admin(uow):
    with uow() as s:
        return make_user(s, role="ADMIN")


def test_admin_creates_a_user_with_a_normalised_email(uow, admin):
    with uow() as s:
        user = users.create_user(
            s,
            actor=admin,
            email="  New.Artist@Studio.Test ",
            name="  New Artist ",
            role="ARTIST",
            password="long-enough",
        )
    assert (user.email, user.name, user.role, user.is_active) == (
        "new.artist@studio.test",
        "New Artist",
        "ARTIST",
        True,
    )


@pytest.mark.parametrize("role", ["PRODUCER", "SUPERVISOR", "ARTIST", "CLIENT"])
def test_only_an_admin_creates_users(uow, role):
    with uow() as s:
        actor = make_user(s, role=role)
    with pytest.raises(PermissionDenied, match="Only an admin"), uow() as s:
        users.create_user(
            s, actor=actor, email="x@studio.test", name="X", role="ARTIST", password="long-enough"
        )


@pytest.mark.parametrize("role", ["PRODUCER", "SUPERVISOR", "ARTIST", "CLIENT"])
def test_only_an_admin_updates_users(uow, role):
    with uow() as s:
        actor = make_user(s, role=role)
        target = make_user(s)
    with pytest.raises(PermissionDenied, match="Only an admin"), uow() as s:
        users.update_user(s, actor=actor, user_id=target.id, role="ADMIN")


def test_disabled_admin_cannot_manage_users(uow):
    with uow() as s:
        admin = make_user(s, role="ADMIN", is_active=False)
    with pytest.raises(PermissionDenied), uow() as s:
        users.create_user(
            s, actor=admin, email="x@studio.test", name="X", role="ARTIST", password="long-enough"
        )


@pytest.mark.parametrize(
    ("email", "name", "role", "password", "message"),
    [
        ("not-an-email", "X", "ARTIST", "long-enough", "valid email"),
        ("a@b", "X", "ARTIST", "long-enough", "valid email"),
        ("two words@studio.test", "X", "ARTIST", "long-enough", "valid email"),
        ("x@studio.test", "   ", "ARTIST", "long-enough", "Enter a name"),
        ("x@studio.test", "X", "WIZARD", "long-enough", "Unknown role"),
        ("x@studio.test", "X", "ARTIST", "short", "at least 8 characters"),
    ],
)
def test_create_user_validation_messages(uow, admin, email, name, role, password, message):
    with pytest.raises(ValidationError, match=message), uow() as s:
        users.create_user(s, actor=admin, email=email, name=name, role=role, password=password)


def test_email_is_unique_whatever_its_case(uow, admin):
    with uow() as s:
        make_user(s, email="dup@studio.test")
    with pytest.raises(Conflict, match="already exists"), uow() as s:
        users.create_user(
            s, actor=admin, email="DUP@Studio.test", name="X", role="ARTIST", password="long-enough"
        )


def test_admin_changes_role_name_and_disables_a_user(uow, admin):
    with uow() as s:
        target = make_user(s, role="ARTIST")
    with uow() as s:
        updated = users.update_user(
            s, actor=admin, user_id=target.id, role="SUPERVISOR", name=" Renamed ", is_active=False
        )
    assert (updated.role, updated.name, updated.is_active) == ("SUPERVISOR", "Renamed", False)


def test_admin_cannot_remove_own_admin_role(uow, admin):
    with pytest.raises(ValidationError, match="cannot remove your own admin role"), uow() as s:
        users.update_user(s, actor=admin, user_id=admin.id, role="PRODUCER")


def test_admin_may_reassert_own_admin_role(uow, admin):
    with uow() as s:
        assert users.update_user(s, actor=admin, user_id=admin.id, role="ADMIN").role == "ADMIN"


def test_admin_cannot_disable_own_account(uow, admin):
    with pytest.raises(ValidationError, match="cannot disable your own account"), uow() as s:
        users.update_user(s, actor=admin, user_id=admin.id, is_active=False)


def test_admin_can_demote_another_admin(uow, admin):
    with uow() as s:
        other = make_user(s, role="ADMIN")
    with uow() as s:
        assert users.update_user(s, actor=admin, user_id=other.id, role="ARTIST").role == "ARTIST"


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"role": "WIZARD"}, ValidationError, "Unknown role"),
        ({"name": "  "}, ValidationError, "Enter a name"),
        ({"password": "short"}, ValidationError, "at least 8 characters"),
    ],
)
def test_update_user_validation_messages(uow, admin, changes, error, message):
    with uow() as s:
        target = make_user(s)
    with pytest.raises(error, match=message), uow() as s:
        users.update_user(s, actor=admin, user_id=target.id, **changes)


def test_update_of_a_missing_user_is_not_found(uow, admin):
    with pytest.raises(NotFound), uow() as s:
        users.update_user(s, actor=admin, user_id=999_999, name="Ghost")


def test_refused_update_changes_nothing(uow, admin):
    with uow() as s:
        target = make_user(s, role="ARTIST")
    with pytest.raises(ValidationError), uow() as s:
        users.update_user(s, actor=admin, user_id=target.id, role="SUPERVISOR", password="short")
    with uow() as s:
        assert [u.role for u in users.list_users(s, actor=admin) if u.id == target.id] == ["ARTIST"]


def test_list_users_hides_disabled_users_unless_asked(uow, admin):
    with uow() as s:
        active = make_user(s)
        disabled = make_user(s, is_active=False)
    with uow() as s:
        default_ids = {u.id for u in users.list_users(s, actor=admin)}
        all_ids = {u.id for u in users.list_users(s, actor=admin, include_inactive=True)}
    assert active.id in default_ids and disabled.id not in default_ids
    assert {active.id, disabled.id} <= all_ids


@pytest.mark.parametrize("role", ["ARTIST", "CLIENT"])
def test_non_staff_cannot_list_users(uow, role):
    with uow() as s:
        actor = make_user(s, role=role)
    with pytest.raises(PermissionDenied), uow() as s:
        users.list_users(s, actor=actor)


def test_list_artists_offers_artists_and_supervisors_only(uow):
    with uow() as s:
        producer = make_user(s, role="PRODUCER")
        artist = make_user(s, role="ARTIST")
        supervisor = make_user(s, role="SUPERVISOR")
        client = make_user(s, role="CLIENT")
    with uow() as s:
        ids = {u.id for u in users.list_artists(s, actor=producer)}
    assert artist.id in ids and supervisor.id in ids
    assert client.id not in ids and producer.id not in ids


@pytest.mark.parametrize("role", ["ADMIN", "PRODUCER"])
def test_admin_or_producer_adds_and_removes_project_members(uow, role):
    with uow() as s:
        actor = make_user(s, role=role)
        project = make_project(s, actor)
        artist = make_user(s)
    with uow() as s:
        users.set_membership(s, actor=actor, project_id=project.id, user_id=artist.id, member=True)
        # adding twice is harmless
        users.set_membership(s, actor=actor, project_id=project.id, user_id=artist.id, member=True)
    with uow() as s:
        assert artist.id in users.member_ids(s, actor=actor, project_id=project.id)
        assert users.project_ids_of(s, user_id=artist.id) == [project.id]
    with uow() as s:
        users.set_membership(s, actor=actor, project_id=project.id, user_id=artist.id, member=False)
        users.set_membership(s, actor=actor, project_id=project.id, user_id=artist.id, member=False)
    with uow() as s:
        assert artist.id not in users.member_ids(s, actor=actor, project_id=project.id)
        assert users.project_ids_of(s, user_id=artist.id) == []


@pytest.mark.parametrize("role", ["SUPERVISOR", "ARTIST", "CLIENT"])
def test_only_admin_or_producer_manages_membership(uow, role):
    with uow() as s:
        producer = make_user(s, role="PRODUCER")
        project = make_project(s, producer)
        actor = make_user(s, role=role)
    with pytest.raises(PermissionDenied, match="admin or a producer"), uow() as s:
        users.set_membership(s, actor=actor, project_id=project.id, user_id=actor.id, member=True)
    with pytest.raises(PermissionDenied), uow() as s:
        users.member_ids(s, actor=actor, project_id=project.id)


def test_membership_of_missing_project_or_user_is_not_found(uow):
    with uow() as s:
        producer = make_user(s, role="PRODUCER")
        project = make_project(s, producer)
    with pytest.raises(NotFound, match="Project"), uow() as s:
        users.set_membership(
            s, actor=producer, project_id=999_999, user_id=producer.id, member=True
        )
    with pytest.raises(NotFound, match="User"), uow() as s:
        users.set_membership(s, actor=producer, project_id=project.id, user_id=999_999, member=True)


def test_bootstrap_user_needs_no_actor_but_keeps_the_rules(uow):
    with uow() as s:
        first = users.bootstrap_user(
            s, email="Root@Studio.Test", name="Root", role="ADMIN", password="long-enough"
        )
    assert first.email == "root@studio.test" and first.role == "ADMIN"
    with pytest.raises(Conflict), uow() as s:
        users.bootstrap_user(
            s, email="root@studio.test", name="Root", role="ADMIN", password="long-enough"
        )
    with pytest.raises(ValidationError), uow() as s:
        users.bootstrap_user(s, email="x@studio.test", name="X", role="ADMIN", password="short")


def test_user_initials_come_from_the_name_or_the_email(uow):
    with uow() as s:
        named = make_user(s, name="ada lovelace king")
    assert named.initials == "AL"


def test_a_password_set_by_an_admin_signs_the_person_out_everywhere_and_ends_a_lock(uow, admin):
    from services import auth
    from services.errors import AuthError
    from tests.factories import PASSWORD

    with uow() as s:
        ada = make_user(s, role="ARTIST")
        old_token, _ = auth.sign_in(s, email=ada.email, password=PASSWORD)
        admin_token, _ = auth.sign_in(s, email=admin.email, password=PASSWORD)
    for _ in range(auth.FREE_PER_EMAIL):  # Ada forgot it: her email is locked now
        with pytest.raises(AuthError), uow() as s:
            auth.sign_in(s, email=ada.email, password="not-it-at-all")

    with uow() as s:
        users.update_user(s, actor=admin, user_id=ada.id, password="a-brand-new-one")

    with uow() as s:
        assert auth.resolve(s, token=old_token) is None  # signed out
        assert auth.resolve(s, token=admin_token) is not None  # the admin is not
        _, back = auth.sign_in(s, email=ada.email, password="a-brand-new-one")  # no lock left
    assert back.id == ada.id


def test_an_admin_changing_their_own_password_stays_signed_in(uow, admin):
    from services import auth
    from tests.factories import PASSWORD

    with uow() as s:
        token, _ = auth.sign_in(s, email=admin.email, password=PASSWORD)
        users.update_user(s, actor=admin, user_id=admin.id, password="my-new-password")
    with uow() as s:
        assert auth.resolve(s, token=token) is not None
