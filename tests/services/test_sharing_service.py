"""Share With Client: review sessions, sharing and withdrawing, link guests (tokens, expiry,
revocation, passwords and their throttling), the review email, and what a guest may reach."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from models import (
    Activity,
    Approval,
    Comment,
    OutboxMessage,
    ProcessingState,
    Project,
    ReviewGuest,
    ReviewSession,
    Task,
    Version,
)
from models.base import utcnow
from services import annotations, auth, comments, db, media_access, portal, reviews, sharing
from services.errors import NotFound, PermissionDenied, ValidationError
from services.sharing import NewSession, ReviewEmail
from tests.conftest import is_postgres
from tests.factories import make_task, make_version, mark_ready


def _ready_version(s, prod, task_id=None):
    v = make_version(s, prod.artist if task_id is None else prod.producer, task_id or prod.task.id)
    mark_ready(s, v.id)
    return v


def _token(link: str) -> str:
    assert link.startswith(sharing.LINK_PREFIX)
    return link[len(sharing.LINK_PREFIX) :]


def _guest(uow, link: str, name: str = "Dana Director", password: str = ""):
    with uow() as s:
        got = sharing.enter_link(s, token=_token(link), name=name, password=password)
    assert got.error == "", got.error
    return got.guest


# ---------------------------------------------------------------- sharing


def test_first_share_needs_a_session_then_shares_at_once(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        check = sharing.share_check(s, actor=prod.supervisor, version_id=v.id)
        assert check.can_share and check.active_session_id is None and not check.shared
        with pytest.raises(sharing.SessionNeeded):
            sharing.share_version(s, actor=prod.supervisor, version_id=v.id)
    with uow() as s:
        first = sharing.share_version(
            s, actor=prod.supervisor, version_id=v.id, new_session=NewSession(name="Week 12")
        )
    assert first.created_session and first.session_name == "Week 12"
    with uow() as s:
        v2 = _ready_version(s, prod)
        again = sharing.share_version(s, actor=prod.supervisor, version_id=v2.id)
    assert again.review_session_id == first.review_session_id and not again.created_session
    assert again.link == first.link
    with uow() as s:
        version = s.get(Version, v2.id)
        task = s.get(Task, prod.task.id)
        assert version.is_client_visible and version.shared_by_id == prod.supervisor.id
        assert version.shared_at is not None
        assert task.status.value == "CLIENT_REVIEW"
        texts = s.exec(select(Activity.text).where(Activity.verb == "version.shared")).all()
    assert f"{prod.supervisor.name} shared {prod.shot.code} COMP v002 with the client" in texts


def test_only_staff_share_and_never_while_processing(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
    for who in (prod.artist, prod.client):
        with uow() as s, pytest.raises((PermissionDenied, NotFound)):
            sharing.share_version(s, actor=who, version_id=v.id, new_session=NewSession())
    with uow() as s:
        check = sharing.share_check(s, actor=prod.producer, version_id=v.id)
        assert not check.can_share and "still processing" in check.reason
        with pytest.raises(ValidationError, match="still processing"):
            sharing.share_version(s, actor=prod.producer, version_id=v.id, new_session=NewSession())
    with uow() as s:
        row = s.get(Version, v.id)
        row.processing_state = ProcessingState.FAILED
        s.add(row)
    with uow() as s, pytest.raises(ValidationError, match="failed to process"):
        sharing.share_version(s, actor=prod.producer, version_id=v.id, new_session=NewSession())
    with uow() as s:
        assert not s.get(Version, v.id).is_client_visible
        assert s.exec(select(ReviewSession)).all() == []


def test_a_link_token_has_256_bits_and_only_its_hash_is_stored(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.supervisor, version_id=v.id, new_session=NewSession()
        )
    token = _token(result.link)
    assert len(token) >= 43  # 32 bytes, base64url
    with uow() as s:
        row = s.get(ReviewSession, result.review_session_id)
        assert row.token_hash == auth.token_hash(token)
        stored = " ".join(str(getattr(row, c)) for c in ReviewSession.model_fields)
        assert token not in stored
        # the studio can copy the link again later
        [detail] = sharing.list_sessions(s, actor=prod.producer, project_id=prod.project.id)
    assert detail.session.link == result.link


def test_unshare_withdraws_from_every_portal_and_link_at_once(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.supervisor, version_id=v.id, new_session=NewSession()
        )
    guest = _guest(uow, result.link)
    with uow() as s:
        assert [i.latest.id for i in portal.list_items(s, actor=guest)] == [v.id]
        assert [i.latest.id for i in portal.list_items(s, actor=prod.client)] == [v.id]
        with pytest.raises(PermissionDenied):
            sharing.unshare_version(s, actor=prod.artist, version_id=v.id)
    with uow() as s:
        assert sharing.unshare_version(s, actor=prod.producer, version_id=v.id)
    with uow() as s:
        assert portal.list_items(s, actor=guest) == []
        assert portal.list_items(s, actor=prod.client) == []
        with pytest.raises(NotFound):
            portal.room(s, actor=prod.client, version_id=v.id)
        with pytest.raises(NotFound):
            media_access.media_url(s, actor=guest, version_id=v.id, kind="proxy")
        # nothing else of the task is with the client: it goes back to internal review
        assert s.get(Task, prod.task.id).status.value == "INTERNAL_REVIEW"


def _share_into_a_new_link(uow, prod, **spec):
    with uow() as s:
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.supervisor, version_id=v.id, new_session=NewSession(**spec)
        )
    assert result.created_session
    return v, result


def _undo(uow, actor, result, review_session_id=None):
    with uow() as s:
        return sharing.undo_share(
            s,
            actor=actor,
            version_id=result.version_id,
            review_session_id=result.review_session_id
            if review_session_id is None
            else review_session_id,
        )


def test_undoing_a_share_removes_the_unused_link_it_created(uow, prod):
    v, result = _share_into_a_new_link(uow, prod, name="Oops")
    assert _undo(uow, prod.supervisor, result) == "removed"
    with uow() as s:
        assert s.get(ReviewSession, result.review_session_id) is None
        assert not s.get(Version, v.id).is_client_visible
        assert sharing.share_check(s, actor=prod.supervisor, version_id=v.id).sessions == ()
        assert sharing.enter_link(s, token=_token(result.link), name="X").error


def test_undo_revokes_instead_of_removing_a_link_that_may_have_reached_the_client(
    uow, prod, smtp_configured
):
    # opened by a guest: their visit stays on record, the link says it ended
    v, opened = _share_into_a_new_link(uow, prod)
    _guest(uow, opened.link)
    assert _undo(uow, prod.supervisor, opened) == "revoked"
    # emailed: the client may hold the link
    with uow() as s:
        w = _ready_version(s, prod)
        emailed = sharing.share_version(
            s,
            actor=prod.supervisor,
            version_id=w.id,
            new_session=NewSession(),
            email=ReviewEmail(extra_addresses="dana@client.example"),
        )
    assert _undo(uow, prod.supervisor, emailed) == "revoked"
    with uow() as s:
        for result in (opened, emailed):
            row = s.get(ReviewSession, result.review_session_id)
            assert row is not None and row.revoked_at is not None
            assert not s.get(Version, result.version_id).is_client_visible
        assert s.exec(
            select(ReviewGuest).where(ReviewGuest.review_session_id == opened.review_session_id)
        ).all()


def test_undo_keeps_a_link_the_share_did_not_make_alone(uow, prod):
    v1, made = _share_into_a_new_link(uow, prod)
    with uow() as s:  # a second version went into the same link since
        v2 = _ready_version(s, prod)
        sharing.share_version(
            s, actor=prod.supervisor, version_id=v2.id, review_session_id=made.review_session_id
        )
    assert _undo(uow, prod.supervisor, made) == "kept"
    # a share into an existing link cannot claim it, whatever id the browser sends
    with uow() as s:
        v3 = _ready_version(s, prod)
        into = sharing.share_version(
            s, actor=prod.supervisor, version_id=v3.id, review_session_id=made.review_session_id
        )
    assert _undo(uow, prod.supervisor, into, review_session_id=made.review_session_id) == "kept"
    # nor can someone who did not make it
    _, other = _share_into_a_new_link(uow, prod)
    assert _undo(uow, prod.producer, other) == "kept"
    with uow() as s:
        for rid in (made.review_session_id, other.review_session_id):
            row = s.get(ReviewSession, rid)
            assert row is not None and row.revoked_at is None
        assert s.get(Version, v2.id).is_client_visible
        assert not s.get(Version, v1.id).is_client_visible


def test_undo_keeps_a_link_made_on_the_sessions_page_then_shared_into(uow, prod):
    # made empty on the sessions page, then this one version shared into it: the share made
    # nothing, so its Undo leaves the link, whatever else matches
    made_at = utcnow() - timedelta(minutes=5)
    with uow() as s:
        link = sharing.create_session(
            s, actor=prod.supervisor, project_id=prod.project.id, spec=NewSession(), now=made_at
        )
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.supervisor, version_id=v.id, review_session_id=link.id
        )
    assert not result.created_session
    assert _undo(uow, prod.supervisor, result) == "kept"
    with uow() as s:
        row = s.get(ReviewSession, link.id)
        assert row is not None and row.revoked_at is None
        assert not s.get(Version, v.id).is_client_visible


def test_undo_revokes_a_link_on_which_a_wrong_password_was_tried(uow, prod):
    # nobody got in, but someone held the link: it says it ended rather than "invalid"
    v, result = _share_into_a_new_link(uow, prod, password="letmein")
    with uow() as s:
        got = sharing.enter_link(s, token=_token(result.link), name="Eve", password="guess")
    assert got.guest is None and got.error.startswith("Wrong password")
    assert _undo(uow, prod.supervisor, result) == "revoked"
    with uow() as s:
        row = s.get(ReviewSession, result.review_session_id)
        assert row is not None and row.revoked_at is not None
        assert not s.get(Version, v.id).is_client_visible


def _race(db_url, first, second):
    """`first(s)` runs in a unit of work held open (its locks kept) until `second(s)`, in a
    unit of work of its own on another thread, waits on a PostgreSQL lock; then `first`
    commits. Returns what `second` returned, or raises what either raised."""
    engine = db.get_engine(db_url)
    held, started, release = threading.Event(), threading.Event(), threading.Event()
    out: dict = {}

    def run_first() -> None:
        try:
            with db.session_scope(db_url) as s:
                first(s)
                held.set()
                release.wait(30)
        except BaseException as exc:
            out["first"] = exc
            held.set()

    def run_second() -> None:
        try:
            with db.session_scope(db_url) as s:
                out["pid"] = s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
                started.set()
                out["result"] = second(s)
        except BaseException as exc:
            out["second"] = exc
        finally:
            started.set()

    one = threading.Thread(target=run_first)
    one.start()
    held.wait(30)
    two = threading.Thread(target=run_second)
    two.start()
    started.wait(30)
    deadline = time.monotonic() + 20
    with engine.connect() as watch:
        while two.is_alive() and time.monotonic() < deadline:
            waits = watch.execute(
                sa.text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": out.get("pid")},
            ).scalar()
            if waits == "Lock":
                break
            time.sleep(0.02)
    release.set()
    one.join(30)
    two.join(30)
    for side in ("first", "second"):
        if side in out:
            raise out[side]
    return out["result"]


def _needs_postgres(db_url: str) -> None:
    if not is_postgres(db_url):
        pytest.skip("needs PostgreSQL (set FEEDBACK_TEST_DB_URL); SQLite has no row locks")


@pytest.mark.pg
def test_undo_waits_for_a_guest_entering_the_link_and_keeps_their_visit(uow, prod, db_url):
    _needs_postgres(db_url)
    v, result = _share_into_a_new_link(uow, prod)

    def enter(s):
        assert sharing.enter_link(s, token=_token(result.link), name="Dana").guest is not None

    def undo(s):
        return sharing.undo_share(
            s, actor=prod.supervisor, version_id=v.id, review_session_id=result.review_session_id
        )

    assert _race(db_url, enter, undo) == "revoked"
    with uow() as s:
        assert s.get(ReviewSession, result.review_session_id).revoked_at is not None
        assert [g.name for g in s.exec(select(ReviewGuest)).all()] == ["Dana"]


@pytest.mark.pg
def test_a_guest_entering_while_undo_removes_the_link_is_told_it_is_gone(uow, prod, db_url):
    _needs_postgres(db_url)
    v, result = _share_into_a_new_link(uow, prod)

    def undo(s):
        assert (
            sharing.undo_share(
                s,
                actor=prod.supervisor,
                version_id=v.id,
                review_session_id=result.review_session_id,
            )
            == "removed"
        )

    got = _race(db_url, undo, lambda s: sharing.enter_link(s, token=_token(result.link), name="D"))
    assert got.guest is None and "not valid" in got.error
    with uow() as s:
        assert s.get(ReviewSession, result.review_session_id) is None
        assert s.exec(select(ReviewGuest)).all() == []


def test_undo_of_a_share_is_refused_to_who_may_not_share(uow, prod):
    v, result = _share_into_a_new_link(uow, prod)
    with pytest.raises(PermissionDenied):
        _undo(uow, prod.artist, result)
    with uow() as s:
        assert s.get(ReviewSession, result.review_session_id) is not None
        assert s.get(Version, v.id).is_client_visible


def test_an_expired_session_is_brought_back_when_picked(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        made = sharing.create_session(
            s, actor=prod.producer, project_id=prod.project.id, spec=NewSession(name="old")
        )
        row = s.get(ReviewSession, made.id)
        row.expires_at = utcnow() - timedelta(days=1)
        s.add(row)
    with uow() as s:
        check = sharing.share_check(s, actor=prod.producer, version_id=v.id)
        assert check.active_session_id is None and [x.state for x in check.sessions] == ["expired"]
        sharing.share_version(s, actor=prod.producer, version_id=v.id, review_session_id=made.id)
    with uow() as s:
        assert s.get(ReviewSession, made.id).expires_at > utcnow() + timedelta(days=13)


def test_session_rules_expiry_name_password(uow, prod):
    today = utcnow().date()
    bad = [
        (NewSession(expires_on=today - timedelta(days=1)), "in the past"),
        (NewSession(expires_on=today + timedelta(days=400)), "at most 365 days"),
        (NewSession(password="abc"), "at least 4"),
        (NewSession(name="x" * 201), "at most 200"),
    ]
    for spec, message in bad:
        with uow() as s, pytest.raises(ValidationError, match=message):
            sharing.create_session(s, actor=prod.producer, project_id=prod.project.id, spec=spec)
    with uow() as s, pytest.raises(PermissionDenied):
        sharing.create_session(s, actor=prod.artist, project_id=prod.project.id, spec=NewSession())
    with uow() as s:
        made = sharing.create_session(
            s, actor=prod.producer, project_id=prod.project.id, spec=NewSession(password="s3cret!")
        )
        row = s.get(ReviewSession, made.id)
    assert made.has_password and row.password_hash and "s3cret!" not in row.password_hash
    assert made.name.startswith(prod.project.name) and made.state == "active"
    assert made.expires_at.date() == today + timedelta(days=14)


def test_extend_and_revoke(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.producer, version_id=v.id, new_session=NewSession()
        )
        before = s.get(ReviewSession, result.review_session_id).expires_at
    guest = _guest(uow, result.link)
    with uow() as s:
        with pytest.raises(PermissionDenied):
            sharing.extend_session(s, actor=prod.artist, review_session_id=result.review_session_id)
        extended = sharing.extend_session(
            s, actor=prod.producer, review_session_id=result.review_session_id, days=7
        )
    assert extended.expires_at.date() == (before + timedelta(days=7)).date()
    with uow() as s:
        sharing.revoke_session(s, actor=prod.producer, review_session_id=result.review_session_id)
    with uow() as s:
        assert sharing.open_link(s, token=_token(result.link)).state == "revoked"
        assert sharing.resolve_guest(s, guest_token="x" * 43) is None
        # the guest who was in is out at their next step
        rows = s.exec(select(ReviewGuest)).all()
        assert len(rows) == 1
        with pytest.raises(ValidationError, match="revoked"):
            sharing.extend_session(
                s, actor=prod.producer, review_session_id=result.review_session_id
            )
    assert guest is not None


# ---------------------------------------------------------------- links and guests


def test_a_link_states_say_nothing_else(uow, prod):
    with uow() as s:
        assert sharing.open_link(s, token="nope") == sharing.LinkInfo(state="invalid")
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.producer, version_id=v.id, new_session=NewSession(name="Dailies")
        )
    with uow() as s:
        info = sharing.open_link(s, token=_token(result.link))
        assert (info.state, info.session_name, info.project_name) == (
            "active",
            "Dailies",
            prod.project.name,
        )
        row = s.get(ReviewSession, result.review_session_id)
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
    with uow() as s:
        assert sharing.open_link(s, token=_token(result.link)) == sharing.LinkInfo(state="expired")
        got = sharing.enter_link(s, token=_token(result.link), name="Dana")
        assert got.guest is None and "not valid" in got.error


def test_a_guest_token_resolves_only_for_its_link_while_active(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.producer, version_id=v.id, new_session=NewSession()
        )
        other = sharing.create_session(
            s, actor=prod.producer, project_id=prod.project.id, spec=NewSession()
        )
    with uow() as s:
        got = sharing.enter_link(s, token=_token(result.link), name="  Dana   Director ")
    assert got.guest.name == "Dana Director"
    with uow() as s:
        me = sharing.resolve_guest(s, guest_token=got.guest_token, token=_token(result.link))
        assert me == got.guest
        assert (
            sharing.resolve_guest(s, guest_token=got.guest_token, token=_token(other.link)) is None
        )
        assert sharing.resolve_guest(s, guest_token="forged") is None
        assert s.exec(select(ReviewGuest.token_hash)).one() == auth.token_hash(got.guest_token)
    with uow() as s:
        assert "enter your name" in sharing.enter_link(s, token=_token(result.link), name=" ").error


def test_wrong_passwords_are_throttled_and_the_right_one_waits_too(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.producer, version_id=v.id, new_session=NewSession(password="letmein")
        )
    token = _token(result.link)
    with uow() as s:
        assert sharing.open_link(s, token=token).needs_password
    now = utcnow()
    for attempt in range(sharing.FREE_ATTEMPTS):
        with uow() as s:
            got = sharing.enter_link(s, token=token, name="Eve", password="guess", now=now)
        assert got.error.startswith("Wrong password")
        assert got.retry_after == (30 if attempt == sharing.FREE_ATTEMPTS - 1 else 0)
    with uow() as s:  # locked: even the right password waits
        got = sharing.enter_link(s, token=token, name="Dana", password="letmein", now=now)
    assert got.guest is None and got.retry_after > 0 and "Too many" in got.error
    later = now + timedelta(seconds=31)
    with uow() as s:  # the next wrong one doubles the lock
        got = sharing.enter_link(s, token=token, name="Eve", password="guess", now=later)
    assert got.retry_after == 60
    much_later = later + timedelta(seconds=61)
    with uow() as s:
        got = sharing.enter_link(s, token=token, name="Dana", password="letmein", now=much_later)
    assert got.guest is not None
    with uow() as s:
        row = s.get(ReviewSession, result.review_session_id)
        assert (row.failed_attempts, row.locked_until) == (0, None)
        assert [g.name for g in s.exec(select(ReviewGuest)).all()] == ["Dana"]


def test_a_guest_reaches_only_the_versions_of_their_session(uow, prod):
    with uow() as s:
        v1 = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.producer, version_id=v1.id, new_session=NewSession(name="A")
        )
        other_task = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        elsewhere = _ready_version(s, prod, other_task.id)
        sharing.share_version(
            s, actor=prod.producer, version_id=elsewhere.id, new_session=NewSession(name="B")
        )
        unshared = _ready_version(s, prod)
    guest = _guest(uow, result.link)
    with uow() as s:
        assert [i.latest.id for i in portal.list_items(s, actor=guest)] == [v1.id]
        for vid in (elsewhere.id, unshared.id):
            with pytest.raises(NotFound):
                portal.room(s, actor=guest, version_id=vid)
            with pytest.raises(NotFound):
                media_access.version_media(s, actor=guest, version_id=vid)
        room = portal.room(s, actor=guest, version_id=v1.id)
        assert room.can_comment and room.can_decide
        # a CLIENT member of the project sees both shared versions
        seen = {i.latest.id for i in portal.list_items(s, actor=prod.client)}
        assert seen == {v1.id, elsewhere.id}


def test_a_guest_comments_draws_and_decides_as_the_client(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s, actor=prod.producer, version_id=v.id, new_session=NewSession()
        )
        internal = reviews.add_comment(s, actor=prod.supervisor, version_id=v.id, body="internal")
    guest = _guest(uow, result.link, name="Dana Director")
    box = {"t": "rect", "c": "#ff3b30", "p": [[0.1, 0.1], [0.4, 0.4]]}
    with uow() as s:
        cid = annotations.add_comment(
            s, actor=guest, version_id=v.id, body="sky too bright", frame=3, shapes=[box]
        )
        with pytest.raises(ValidationError):  # no replying to what the client cannot see
            reviews.add_comment(s, actor=guest, version_id=v.id, body="?", parent_id=internal)
    with uow() as s:
        reviews.record_approval(
            s, actor=guest, version_id=v.id, decision="CHANGES_REQUESTED", note="warmer"
        )
    with uow() as s:
        c = s.get(Comment, cid)
        assert (c.author_id, c.guest_name, c.visibility.value) == (None, "Dana Director", "CLIENT")
        a = s.exec(select(Approval)).one()
        assert (a.user_id, a.guest_name, a.stage.value) == (None, "Dana Director", "CLIENT")
        assert s.get(Task, prod.task.id).status.value == "CHANGES"
        texts = s.exec(select(Activity.text)).all()
        room = portal.room(s, actor=guest, version_id=v.id)
        [detail] = sharing.list_sessions(s, actor=prod.producer, project_id=prod.project.id)
    assert f"Client Dana Director requested changes on {prod.shot.code} COMP v001" in texts
    assert [c.body for c in room.comments] == ["sky too bright"]
    assert room.comments[0].shapes and room.decision == "CHANGES_REQUESTED"
    lines = [a.text for a in detail.activity]
    assert f"Dana Director requested changes on {prod.shot.code} COMP v001" in lines
    assert f"Dana Director commented on {prod.shot.code} COMP v001" in lines
    assert "Dana Director opened the link" in lines
    with uow() as s:  # a comment deleted since is no longer "client activity"
        comments.delete_comment(s, actor=prod.producer, comment_id=cid)
    with uow() as s:
        [detail] = sharing.list_sessions(s, actor=prod.producer, project_id=prod.project.id)
    assert not any("commented" in a.text for a in detail.activity)


def test_the_client_decides_on_the_newest_shared_version_only(uow, prod):
    with uow() as s:
        v1 = _ready_version(s, prod)
        sharing.share_version(s, actor=prod.producer, version_id=v1.id, new_session=NewSession())
        v2 = _ready_version(s, prod)
        sharing.share_version(s, actor=prod.producer, version_id=v2.id)
    with uow() as s:
        room = portal.room(s, actor=prod.client, version_id=v1.id)
        assert not room.can_decide and not room.latest
        assert [x.id for x in room.versions] == [v2.id, v1.id]
        with pytest.raises(ValidationError, match="v002 replaces"):
            reviews.record_approval(s, actor=prod.client, version_id=v1.id, decision="APPROVED")
    with uow() as s:
        reviews.record_approval(s, actor=prod.client, version_id=v2.id, decision="APPROVED")
    with uow() as s:
        assert s.get(Task, prod.task.id).status.value == "DONE"
        [item] = portal.list_items(s, actor=prod.client)
    assert (item.latest.id, [e.id for e in item.earlier], item.decision) == (
        v2.id,
        [v1.id],
        "APPROVED",
    )


def test_portal_reads_carry_no_production_internals(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        sharing.share_version(s, actor=prod.producer, version_id=v.id, new_session=NewSession())
        reviews.add_comment(s, actor=prod.artist, version_id=v.id, body="internal only")
        reviews.add_comment(
            s, actor=prod.supervisor, version_id=v.id, body="for you", client_visible=True
        )
        reviews.record_approval(s, actor=prod.supervisor, version_id=v.id, decision="APPROVED")
        room = portal.room(s, actor=prod.client, version_id=v.id)
        items = portal.list_items(s, actor=prod.client)
    text = repr(room) + repr(items)
    for secret in (prod.artist.name, "internal only", "CLIENT_REVIEW", "INTERNAL", "render_"):
        assert secret not in text
    assert [c.author_name for c in room.comments] == [f"{prod.supervisor.name} (studio)"]
    assert room.decisions == ()
    with uow() as s, pytest.raises(PermissionDenied):
        portal.room(s, actor=prod.supervisor, version_id=v.id)


# ---------------------------------------------------------------- the review email


@pytest.fixture
def smtp_configured(monkeypatch):
    monkeypatch.setenv("FEEDBACK_SMTP_HOST", "127.0.0.1")


def test_without_smtp_the_review_email_is_refused_with_a_clear_message(uow, prod, monkeypatch):
    monkeypatch.delenv("FEEDBACK_SMTP_HOST", raising=False)
    with uow() as s:
        v = _ready_version(s, prod)
        assert not sharing.share_check(s, actor=prod.producer, version_id=v.id).email_ready
    with uow() as s, pytest.raises(ValidationError, match="Email is not set up"):
        sharing.share_version(
            s,
            actor=prod.producer,
            version_id=v.id,
            new_session=NewSession(),
            email=ReviewEmail(extra_addresses="dana@client.test"),
        )


def test_the_review_email_is_queued_for_contacts_and_extra_addresses(uow, prod, smtp_configured):
    with uow() as s:
        project = s.get(Project, prod.project.id)
        project.client_emails = "dana@client.test, Sam@Client.test"
        s.add(project)
        v = _ready_version(s, prod)
        result = sharing.share_version(
            s,
            actor=prod.producer,
            version_id=v.id,
            new_session=NewSession(),
            email=ReviewEmail(extra_addresses="sam@client.test; lee@agency.test", message="Hi!"),
        )
    assert result.emailed == ("dana@client.test", "sam@client.test", "lee@agency.test")
    with uow() as s:
        rows = s.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    reviews_ = [r for r in rows if r.payload.get("kind") == "review"]
    assert [r.payload["to"] for r in reviews_] == list(result.emailed)
    p = reviews_[0].payload
    assert p["path"] == result.link and p["message"] == "Hi!" and p["version"] == "v001"
    assert p["item"] == prod.shot.code and p["task"] == "COMP"


def test_a_bad_address_refuses_the_whole_share_and_loses_nothing(uow, prod, smtp_configured):
    with uow() as s:
        v = _ready_version(s, prod)
    with uow() as s, pytest.raises(ValidationError, match="Not an email address: nope"):
        sharing.share_version(
            s,
            actor=prod.producer,
            version_id=v.id,
            new_session=NewSession(),
            email=ReviewEmail(extra_addresses="nope"),
        )
    with uow() as s, pytest.raises(ValidationError, match="no client contacts"):
        sharing.share_version(
            s, actor=prod.producer, version_id=v.id, new_session=NewSession(), email=ReviewEmail()
        )
    with uow() as s:
        assert not s.get(Version, v.id).is_client_visible
        assert s.exec(select(ReviewSession)).all() == []


def test_copy_link_finds_the_active_links_of_a_version(uow, prod):
    with uow() as s:
        v = _ready_version(s, prod)
        first = sharing.share_version(
            s, actor=prod.producer, version_id=v.id, new_session=NewSession(name="one")
        )
        second = sharing.share_version(
            s, actor=prod.producer, version_id=v.id, new_session=NewSession(name="two")
        )
        sharing.revoke_session(s, actor=prod.producer, review_session_id=first.review_session_id)
    with uow() as s:
        assert sharing.links_for_version(s, actor=prod.supervisor, version_id=v.id) == [second.link]
        with pytest.raises(PermissionDenied):
            sharing.links_for_version(s, actor=prod.artist, version_id=v.id)
