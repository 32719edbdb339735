from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models import LoginSession
from models.base import utcnow
from services import auth, users
from services.errors import AuthError
from tests.factories import PASSWORD, make_user


def test_sign_in_returns_a_token_that_resolves_to_the_user(uow):
    with uow() as s:
        user = make_user(s, role="SUPERVISOR")
    with uow() as s:
        token, signed_in = auth.sign_in(s, email=user.email, password=PASSWORD)
    assert signed_in == user
    with uow() as s:
        assert auth.resolve(s, token=token) == user


def test_sign_in_stores_only_the_hash_of_the_token(uow):
    with uow() as s:
        user = make_user(s)
        token, _ = auth.sign_in(s, email=user.email, password=PASSWORD)
    with uow() as s:
        stored = s.exec(select(LoginSession.token_hash)).all()
    assert stored == [auth.token_hash(token)]
    assert token not in stored


def test_sign_in_email_is_case_and_space_insensitive(uow):
    with uow() as s:
        user = make_user(s, email="Ada.Okafor@Studio.Test")
    assert user.email == "ada.okafor@studio.test"
    with uow() as s:
        _, signed_in = auth.sign_in(s, email="  ADA.okafor@STUDIO.test ", password=PASSWORD)
    assert signed_in.id == user.id


def test_sign_in_with_wrong_password_is_refused(uow):
    with uow() as s:
        user = make_user(s)
    with pytest.raises(AuthError, match="Wrong email or password"), uow() as s:
        auth.sign_in(s, email=user.email, password=PASSWORD + "x")


def test_sign_in_with_unknown_email_gives_the_same_message_as_a_wrong_password(uow):
    with pytest.raises(AuthError, match="Wrong email or password"), uow() as s:
        auth.sign_in(s, email="nobody@studio.test", password=PASSWORD)


def test_sign_in_with_empty_credentials_is_refused(uow):
    with uow() as s:
        make_user(s)
    with pytest.raises(AuthError), uow() as s:
        auth.sign_in(s, email="", password="")


def test_disabled_user_cannot_sign_in(uow):
    with uow() as s:
        user = make_user(s, is_active=False)
    with pytest.raises(AuthError, match="disabled"), uow() as s:
        auth.sign_in(s, email=user.email, password=PASSWORD)


def test_disabled_user_with_a_wrong_password_learns_nothing_about_the_account(uow):
    with uow() as s:
        user = make_user(s, is_active=False)
    with pytest.raises(AuthError, match="Wrong email or password"), uow() as s:
        auth.sign_in(s, email=user.email, password="not-the-password")


def test_failed_sign_in_opens_no_login_session(uow):
    with uow() as s:
        user = make_user(s)
    with pytest.raises(AuthError), uow() as s:
        auth.sign_in(s, email=user.email, password="nope-nope")
    with uow() as s:
        assert s.exec(select(LoginSession)).all() == []


@pytest.mark.parametrize("token", [None, "", "not-a-real-token"])
def test_missing_or_unknown_token_resolves_to_none(uow, token):
    with uow() as s:
        assert auth.resolve(s, token=token) is None


def test_expired_session_resolves_to_none(uow):
    with uow() as s:
        user = make_user(s)
        token, _ = auth.sign_in(s, email=user.email, password=PASSWORD)
    with uow() as s:
        login = s.exec(select(LoginSession)).one()
        login.expires_at = utcnow() - timedelta(seconds=1)
        s.add(login)
    with uow() as s:
        assert auth.resolve(s, token=token) is None


def test_session_expires_after_the_configured_ttl(uow, monkeypatch):
    monkeypatch.setenv("FEEDBACK_SESSION_TTL_HOURS", "2")
    with uow() as s:
        user = make_user(s)
        before = utcnow()
        auth.sign_in(s, email=user.email, password=PASSWORD)
    with uow() as s:
        login = s.exec(select(LoginSession)).one()
    expires = login.expires_at.replace(tzinfo=None)
    start = before.replace(tzinfo=None)
    assert start + timedelta(hours=2) <= expires <= start + timedelta(hours=2, minutes=1)


def test_signed_out_session_resolves_to_none(uow):
    with uow() as s:
        user = make_user(s)
        token, _ = auth.sign_in(s, email=user.email, password=PASSWORD)
    with uow() as s:
        auth.sign_out(s, token=token)
    with uow() as s:
        assert auth.resolve(s, token=token) is None


def test_sign_out_revokes_only_that_session(uow):
    with uow() as s:
        user = make_user(s)
        laptop, _ = auth.sign_in(s, email=user.email, password=PASSWORD)
        phone, _ = auth.sign_in(s, email=user.email, password=PASSWORD)
    with uow() as s:
        auth.sign_out(s, token=laptop)
    with uow() as s:
        assert auth.resolve(s, token=laptop) is None
        assert auth.resolve(s, token=phone) == user


@pytest.mark.parametrize("token", [None, "", "unknown"])
def test_sign_out_without_a_known_token_does_nothing(uow, token):
    with uow() as s:
        auth.sign_out(s, token=token)


def test_session_of_a_user_disabled_later_resolves_to_none(uow):
    with uow() as s:
        admin = make_user(s, role="ADMIN")
        user = make_user(s)
        token, _ = auth.sign_in(s, email=user.email, password=PASSWORD)
    with uow() as s:
        users.update_user(s, actor=admin, user_id=user.id, is_active=False)
    with uow() as s:
        assert auth.resolve(s, token=token) is None


def test_changed_password_is_the_one_that_signs_in(uow):
    with uow() as s:
        admin = make_user(s, role="ADMIN")
        user = make_user(s)
    with uow() as s:
        users.update_user(s, actor=admin, user_id=user.id, password="a-new-password")
    with pytest.raises(AuthError), uow() as s:
        auth.sign_in(s, email=user.email, password=PASSWORD)
    with uow() as s:
        assert auth.sign_in(s, email=user.email, password="a-new-password")[1].id == user.id


def test_password_hash_is_never_the_password():
    hashed = auth.hash_password(PASSWORD)
    assert hashed != PASSWORD
    assert auth.verify_password(PASSWORD, hashed)
    assert not auth.verify_password("something else", hashed)


def test_verify_password_against_a_malformed_hash_is_false():
    assert auth.verify_password(PASSWORD, "not-a-bcrypt-hash") is False
