"""`python -m feedback_app`, run as a real subprocess against the test database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from feedback_app import cli
from models import Role, User
from services import auth

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "feedback_app", *args],
        cwd=ROOT,
        env=env or dict(os.environ),  # the fixtures point REFLEX_DB_URL etc. at the test db
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="session")
def demo_clip_cache(pytestconfig, tmp_path_factory):
    cache = getattr(pytestconfig, "cache", None)
    return cache.mkdir("demo-clips") if cache else tmp_path_factory.mktemp("demo-clips")


def test_help_lists_the_commands():
    result = run("--help")

    assert result.returncode == 0
    for command in ("migrate", "seed-demo", "create-user"):
        assert command in result.stdout


def test_the_cli_starts_without_importing_reflex_or_the_models():
    code = (
        "import sys; from feedback_app import cli; cli.build_parser(); "
        "print(sorted(m for m in ('reflex', 'sqlmodel', 'sqlalchemy', 'models') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert result.stdout.strip() == "[]", result.stderr


def test_role_choices_match_the_model():
    assert tuple(r.value for r in Role) == cli.ROLES


def test_migrating_twice_is_fine(db_url):
    first, second = run("migrate"), run("migrate")

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert "revision" in second.stdout


def test_migrate_creates_a_new_sqlite_database(tmp_path, monkeypatch):
    db = tmp_path / "new" / "dir" / "fresh.db"
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{db}")

    result = run("migrate")

    assert result.returncode == 0, result.stderr
    assert db.is_file()


def test_create_user_makes_an_account_with_a_password_from_stdin(db_url, session):
    args = ["--email", "New.Admin@Studio.test", "--name", "Nia Admin", "--role", "admin"]
    result = run("create-user", *args, stdin="long-enough-password\n")

    assert result.returncode == 0, result.stderr
    assert "new.admin@studio.test" in result.stdout
    user = session.exec(select(User).where(User.email == "new.admin@studio.test")).one()
    assert (user.name, user.role) == ("Nia Admin", Role.ADMIN)
    assert auth.verify_password("long-enough-password", user.password_hash)


def test_create_user_with_a_taken_email_fails_with_a_message(db_url):
    args = ("create-user", "--email", "dup@studio.test", "--name", "Dup", "--role", "ARTIST")
    assert run(*args, "--password", "password-one").returncode == 0

    again = run(*args, "--password", "password-two")

    assert again.returncode not in (0, None)
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr


def test_create_user_reports_invalid_input_without_a_traceback(db_url):
    who = ("create-user", "--email", "a@b.test", "--name", "A")
    short = run(*who, "--role", "ARTIST", "--password", "short")
    no_password = run(*who, "--role", "ARTIST", stdin="")
    bad_role = run(*who, "--role", "WIZARD", "--password", "long-enough")

    assert short.returncode == 1 and "at least 8" in short.stderr
    assert no_password.returncode == 1 and "no password" in no_password.stderr
    assert bad_role.returncode == 2 and "WIZARD" in bad_role.stderr


def test_seed_demo_seeds_once_then_exits_3_until_reset(db_url, demo_clip_cache, monkeypatch):
    monkeypatch.setenv("FEEDBACK_DEMO_CACHE", str(demo_clip_cache))

    first = run("seed-demo")
    second = run("seed-demo")
    reset = run("seed-demo", "--reset")

    assert first.returncode == 0, first.stderr
    assert "admin@demo.feedback" in first.stdout and "feedback" in first.stdout
    # each demo project's client review link, whole, ready to open (the reset made new ones)
    links = re.findall(r"(https?://\S+/r/(\S+))", reset.stdout)
    assert len(links) == 2
    from services import sharing
    from services.db import session_scope

    with session_scope(db_url) as s:
        assert all(sharing.open_link(s, token=token).state == "active" for _, token in links)
    assert second.returncode == 3
    assert "database not empty; use --reset" in second.stderr
    assert reset.returncode == 0, reset.stderr


def test_send_overdue_notifies_once_per_due_date(db_url, monkeypatch):
    import bcrypt

    from models import Notification
    from services import tasks
    from services.db import session_scope
    from tests.factories import make_production

    cheap = bcrypt.gensalt
    monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=12, prefix=b"2b": cheap(4, prefix))
    with session_scope(db_url) as s:
        prod = make_production(s)
        tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date=date(2026, 1, 5))

    first = run("send-overdue", "--today", "2026-02-01")
    second = run("send-overdue", "--today", "2026-02-01")

    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1 overdue task(s) newly noticed, 2 notification(s)")
    assert second.stdout.startswith("0 overdue task(s) newly noticed, 0 notification(s)")
    with session_scope(db_url) as s:
        users = sorted(s.exec(select(Notification.user_id)).all())
    assert users == sorted([prod.artist.id, prod.supervisor.id])
