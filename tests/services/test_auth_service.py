from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models import LoginSession, LoginThrottle
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


# --- throttling -----------------------------------------------------------------------------


def _fail(uow, email, *, ip=None, now=None, password="wrong-password"):
    with pytest.raises(AuthError) as refused, uow() as s:
        auth.sign_in(s, email=email, password=password, client_ip=ip, now=now)
    return str(refused.value)


def test_failures_count_although_the_unit_of_work_rolls_back(uow):
    with uow() as s:
        user = make_user(s)
    now = utcnow()
    for _ in range(auth.FREE_PER_EMAIL - 1):
        assert _fail(uow, user.email, now=now) == "Wrong email or password."
    last = _fail(uow, user.email, now=now)
    assert last.startswith("Wrong email or password. Too many tries: wait 30 s")
    with uow() as s:
        row = s.get(LoginThrottle, auth.token_hash(f"email:{user.email}"))
    assert row.failed_attempts == auth.FREE_PER_EMAIL
    assert row.locked_until == now + auth.LOCK_BASE


def test_while_locked_even_the_right_password_waits_and_then_signs_in(uow):
    with uow() as s:
        user = make_user(s)
    now = utcnow()
    for _ in range(auth.FREE_PER_EMAIL):
        _fail(uow, user.email, now=now)
    message = _fail(uow, user.email, password=PASSWORD, now=now + timedelta(seconds=10))
    assert message == "Too many failed sign-ins. Try again in 20 s."
    with uow() as s:
        _, signed_in = auth.sign_in(
            s, email=user.email, password=PASSWORD, now=now + auth.LOCK_BASE
        )
    assert signed_in.id == user.id


def test_each_failure_past_the_free_tries_doubles_the_lock_up_to_the_maximum(uow):
    with uow() as s:
        user = make_user(s)
    now = utcnow()
    locks = []
    for _ in range(auth.FREE_PER_EMAIL + 8):
        _fail(uow, user.email, now=now)
        with uow() as s:
            row = s.get(LoginThrottle, auth.token_hash(f"email:{user.email}"))
        if row.locked_until:
            locks.append(int((row.locked_until - now).total_seconds()))
            now = row.locked_until  # wait out the lock, then fail again
    assert locks[:6] == [30, 60, 120, 240, 480, 900]
    assert set(locks[6:]) == {900}


def test_a_successful_sign_in_clears_the_count_of_its_email(uow):
    with uow() as s:
        user = make_user(s)
    now = utcnow()
    for _ in range(auth.FREE_PER_EMAIL - 1):
        _fail(uow, user.email, now=now)
    with uow() as s:
        auth.sign_in(s, email=user.email, password=PASSWORD, now=now)
    for _ in range(auth.FREE_PER_EMAIL - 1):  # the free tries are whole again
        assert _fail(uow, user.email, now=now) == "Wrong email or password."


def test_a_quiet_hour_starts_the_count_again(uow):
    with uow() as s:
        user = make_user(s)
    now = utcnow()
    for _ in range(auth.FREE_PER_EMAIL - 1):
        _fail(uow, user.email, now=now)
    later = now + auth.QUIET_RESET + timedelta(seconds=1)
    assert _fail(uow, user.email, now=later) == "Wrong email or password."
    with uow() as s:
        row = s.get(LoginThrottle, auth.token_hash(f"email:{user.email}"))
    assert row.failed_attempts == 1


def test_unknown_emails_are_throttled_like_known_ones(uow):
    with uow() as s:
        user = make_user(s)
    now = utcnow()
    known = [_fail(uow, user.email, now=now) for _ in range(auth.FREE_PER_EMAIL + 1)]
    unknown = [_fail(uow, "nobody@studio.test", now=now) for _ in range(auth.FREE_PER_EMAIL + 1)]
    assert known == unknown


def test_one_address_trying_many_emails_is_locked_out_for_every_email(uow):
    with uow() as s:
        user = make_user(s)
    now = utcnow()
    ip = "203.0.113.9"
    for n in range(auth.FREE_PER_ADDRESS):
        _fail(uow, f"guess{n}@studio.test", ip=ip, now=now)
    message = _fail(uow, user.email, password=PASSWORD, ip=ip, now=now)
    assert message.startswith("Too many failed sign-ins")
    with uow() as s:  # another address is not affected
        auth.sign_in(s, email=user.email, password=PASSWORD, client_ip="198.51.100.7", now=now)


def test_the_throttle_table_names_no_email_and_no_address(uow):
    with uow() as s:
        user = make_user(s)
    _fail(uow, user.email, ip="203.0.113.9")
    with uow() as s:
        keys = s.exec(select(LoginThrottle.key)).all()
    assert len(keys) == 2
    assert not any(user.email in k or "203.0.113" in k for k in keys)
