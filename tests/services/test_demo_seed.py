"""The demo seed: a believable show built through the services, refused on a non-empty
database unless reset."""

from __future__ import annotations

import os
from datetime import UTC, date, timedelta

import pytest
from alembic import command
from sqlmodel import Session, select

from integrations.storage import LocalDiskStorage
from models import (
    Activity,
    Approval,
    ApprovalStage,
    Comment,
    ProcessingState,
    Project,
    ProjectMember,
    Task,
    TaskStatus,
    TaskTemplate,
    TaskWatcher,
    User,
    Version,
)
from services import auth, users
from services import db as db_module
from services.db import session_scope
from services.demo_seed import DatabaseNotEmpty, seed_demo
from services.demo_show import ACCOUNTS, DEMO_PASSWORD
from tests.conftest import _alembic_config, _fresh_postgres


@pytest.fixture(scope="session")
def demo_clip_cache(pytestconfig, tmp_path_factory):
    """Clips are made once and kept in pytest's cache (keyed by their recipe)."""
    cache = getattr(pytestconfig, "cache", None)
    return cache.mkdir("demo-clips") if cache else tmp_path_factory.mktemp("demo-clips")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_clip_cache):
    """One seeded database shared by the tests that only read it (seeding takes seconds)."""
    base = os.environ.get("FEEDBACK_TEST_DB_URL")
    tmp = tmp_path_factory.mktemp("demo")
    if base and base.startswith("postgresql"):
        url, drop = _fresh_postgres(base)
    else:
        url, drop = f"sqlite:///{tmp / 'demo.db'}", lambda: None
    command.upgrade(_alembic_config(url), "head")
    storage = LocalDiskStorage(tmp / "media")
    with session_scope(url) as s:
        summary = seed_demo(s, media_storage=storage, clip_cache_dir=demo_clip_cache)
    yield url, storage, summary
    db_module.dispose_engines()
    drop()


@pytest.fixture
def ro(demo):
    """A session on the shared seeded database; tests must not change it."""
    with Session(db_module.get_engine(demo[0])) as s:
        yield s
        s.rollback()


@pytest.fixture
def seeded(demo):
    return demo[2]


@pytest.fixture
def storage(tmp_path) -> LocalDiskStorage:
    return LocalDiskStorage(tmp_path / "media")


@pytest.fixture
def seed(session, storage, demo_clip_cache):
    """Seed the test's own (empty) database."""

    def run(**kw):
        summary = seed_demo(session, media_storage=storage, clip_cache_dir=demo_clip_cache, **kw)
        session.commit()
        return summary

    return run


def _user(session, email) -> User:
    return session.exec(select(User).where(User.email == email)).one()


def test_seed_builds_two_projects_with_shots_assets_templates_and_tasks(ro, seeded):
    assert (seeded.projects, seeded.shots, seeded.assets) == (2, 12, 4)
    assert seeded.tasks >= 40 and seeded.versions >= 15 and seeded.comments >= 10
    fps = {p.code: (p.fps, p.start_frame) for p in ro.exec(select(Project))}
    assert fps == {"NIGHTFALL": (24.0, 1001), "HARBOR": (23.976, 1001)}
    templates = {t.name: (t.applies_to, t.task_types) for t in ro.exec(select(TaskTemplate))}
    assert templates == {
        "Standard comp shot": ("SHOT", ["TRACK", "ROTO", "COMP"]),
        "Asset build": ("ASSET", ["MODEL", "TEXTURE", "RIG"]),
    }
    types = set(ro.exec(select(Task.type)))
    assert {"TRACK", "ROTO", "COMP", "MODEL", "TEXTURE", "RIG", "FX", "KEY"} <= types


def test_every_task_status_is_on_the_board(ro, seeded):
    statuses = set(ro.exec(select(Task.status)))

    assert statuses == set(TaskStatus)
    assert set(seeded.counts_by_status) == {s.value for s in TaskStatus}


def test_demo_accounts_have_their_roles_and_the_demo_password(ro):
    for account in ACCOUNTS:
        user = _user(ro, account.email)
        assert user.role is account.role and user.name == account.name and user.is_active
        assert auth.verify_password(DEMO_PASSWORD, user.password_hash)


def test_the_client_belongs_to_exactly_one_project(ro):
    client = _user(ro, "client@demo.feedback")

    assert len(users.project_ids_of(ro, user_id=client.id)) == 1


def test_the_client_approved_a_version_shared_in_their_project(ro):
    client = _user(ro, "client@demo.feedback")
    (project_id,) = users.project_ids_of(ro, user_id=client.id)

    shared = ro.exec(
        select(Version).where(Version.project_id == project_id, Version.is_client_visible)
    ).all()
    assert shared and all(v.shared_at and v.shared_by_id for v in shared)
    approvals = ro.exec(
        select(Approval).where(Approval.user_id == client.id, Approval.decision == "APPROVED")
    ).all()
    assert approvals and all(a.stage is ApprovalStage.CLIENT for a in approvals)
    assert {a.version_id for a in approvals} <= {v.id for v in shared}
    assert ro.get(Task, approvals[0].task_id).status is TaskStatus.DONE


def test_artist_has_work_overdue_due_today_this_week_and_later(ro):
    artist = _user(ro, "artist@demo.feedback")
    today = date.today()
    mine = ro.exec(select(Task).where(Task.assigned_artist_id == artist.id)).all()
    open_dues = [t.due_date for t in mine if t.status is not TaskStatus.DONE]

    assert any(d < today for d in open_dues), "overdue"
    assert today in open_dues, "due today"
    assert any(today < d <= today + timedelta(days=7) for d in open_dues), "this week"
    assert any(d > today + timedelta(days=7) for d in open_dues), "later"
    assert len({t.project_id for t in mine}) == 2


def test_staff_set_supervisors_and_watchers(ro):
    tasks = ro.exec(select(Task)).all()

    assert sum(t.assigned_supervisor_id is not None for t in tasks) > len(tasks) / 2
    artists = {t.assigned_artist_id for t in tasks} - {None}
    assert len(artists) >= 3
    producer = _user(ro, "producer@demo.feedback")
    watchers = ro.exec(select(TaskWatcher)).all()
    assert any(w.user_id == producer.id for w in watchers)


def test_versions_are_ready_with_their_media_stored(ro, demo):
    storage = demo[1]
    versions = ro.exec(select(Version)).all()
    fps = {p.id: p.fps for p in ro.exec(select(Project))}

    for v in versions:
        assert v.processing_state is ProcessingState.READY
        assert v.proxy_key == v.original_key
        assert storage.exists(v.original_key) and storage.exists(v.thumbnail_key)
        assert v.file_size == storage.size(v.original_key)
        assert storage.path_for(v.thumbnail_key).read_bytes()[:2] == b"\xff\xd8"
        assert (v.width, v.height, v.frame_count, v.codec) == (640, 360, 48, "h264")
        assert v.fps == pytest.approx(fps[v.project_id], abs=0.001)
    numbers_per_task: dict[int, list[int]] = {}
    for v in versions:
        numbers_per_task.setdefault(v.task_id, []).append(v.number)
    assert max(len(n) for n in numbers_per_task.values()) == 3
    assert sum(len(n) >= 2 for n in numbers_per_task.values()) >= 3


def test_comments_and_internal_approvals_are_there(ro):
    comments = ro.exec(select(Comment)).all()
    approvals = ro.exec(select(Approval)).all()

    assert sum(c.frame is not None for c in comments) >= 5
    assert all(c.frame is None or 0 <= c.frame < 48 for c in comments)
    assert any(c.parent_id for c in comments)
    assert {a.stage for a in approvals} == {ApprovalStage.INTERNAL, ApprovalStage.CLIENT}


def test_activity_reads_like_weeks_of_work(ro):
    rows = ro.exec(select(Activity)).all()
    verbs = {a.verb for a in rows}

    assert {"project.created", "task.created", "task.assigned", "version.created"} <= verbs
    assert {"task.status_changed", "approval.approved", "version.shared"} <= verbs
    stamps = [a.created_at.replace(tzinfo=UTC) for a in rows]
    now = max(stamps)
    assert now - min(stamps) > timedelta(days=14)
    assert len({s.date() for s in stamps}) >= 10


def test_seeding_a_database_that_has_users_is_refused(ro, tmp_path, demo_clip_cache):
    storage = LocalDiskStorage(tmp_path / "media")

    with pytest.raises(DatabaseNotEmpty):
        seed_demo(ro, media_storage=storage, clip_cache_dir=demo_clip_cache)
    assert not storage.root.exists()  # refused before making anything


def test_a_database_with_only_a_user_counts_as_not_empty(session, seed):
    users.bootstrap_user(
        session, email="someone@studio.test", name="Someone", role="ADMIN", password="x" * 8
    )
    session.commit()

    with pytest.raises(DatabaseNotEmpty):
        seed()


def test_reset_replaces_everything_with_the_same_show(session, seed):
    first = seed()

    def snapshot():
        return (
            [(c.body, c.frame) for c in session.exec(select(Comment).order_by(Comment.id))],
            sorted((t.type, t.status.value, t.due_date) for t in session.exec(select(Task))),
        )

    before = snapshot()
    users.bootstrap_user(
        session, email="extra@studio.test", name="Extra", role="ARTIST", password="x" * 8
    )
    session.commit()

    again = seed(reset=True)

    assert again == first
    assert session.exec(select(User).where(User.email == "extra@studio.test")).first() is None
    assert snapshot() == before  # deterministic
    assert len(session.exec(select(ProjectMember.user_id)).all()) > 0
