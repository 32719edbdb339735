"""Shared pieces of the benchmarks: throwaway databases, a large production, tables."""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session  # noqa: E402

PG_URL = os.environ.get(
    "FEEDBACK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
STATUSES = ("TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "CLIENT_REVIEW", "CHANGES", "DONE")
TYPES = ("TRACK", "ROTO", "COMP", "FX", "LIGHTING", "MODEL", "TEXTURE", "RIG")


def pg_answers(url: str = PG_URL) -> bool:
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.attributes["url"] = url
    command.upgrade(cfg, "head")


@contextlib.contextmanager
def temp_database(kind: str) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or a fresh schema on PostgreSQL."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="feedback-bench-") as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            migrate(url)
            yield url
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    try:
        migrate(url)
        yield url
    finally:
        from services.db import dispose_engines

        dispose_engines()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def analyze(url: str) -> None:
    """Planner statistics for the freshly seeded tables, as a live database has them
    (autovacuum): without them PostgreSQL plans the board's joins as nested loops over "1 row"
    guesses, and whether autovacuum got there yet would decide a run's figures."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def timed(fn, runs: int) -> list[float]:
    """Milliseconds per call of fn, `runs` times, after one warm-up call (connections,
    statement caches)."""
    fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": max(values) if values else float("nan"),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


def print_table(title: str, header: list[str], rows: list[list]) -> None:
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    line = "+".join("-" * (w + 2) for w in widths)
    print(f"\n{title}")
    print(line)
    for i, row in enumerate(cells):
        print(
            " | ".join(
                c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))
            )
        )
        if i == 0:
            print(line)
    print(line)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value)


def seed_production(
    session: Session,
    *,
    tasks: int = 1000,
    artists: int = 10,
    project_code: str | None = None,
    producer_email: str = "producer@bench.test",
    seed: int = 7,
) -> dict:
    """A project of `tasks` tasks on shots and assets, spread over the six columns, with
    versions, comments, approvals and watchers like a show in progress. Rows are inserted
    directly (it is a fixture, not a use case) so seeding 2,000 tasks takes seconds.
    Returns ids: project, producer, artists, shots, tasks."""
    from models import (
        Approval,
        ApprovalDecision,
        ApprovalStage,
        Asset,
        Comment,
        Priority,
        ProcessingState,
        Project,
        ProjectMember,
        Role,
        Shot,
        Task,
        TaskStatus,
        TaskWatcher,
        User,
        Version,
    )
    from models.base import utcnow
    from services import auth

    rnd = random.Random(seed)
    password = auth.hash_password("feedback")

    def user(email: str, name: str, role: Role) -> User:
        existing = session.exec(sa.select(User).where(User.email == email)).scalars().first()
        if existing is not None:
            return existing
        u = User(email=email, name=name, role=role, password_hash=password)
        session.add(u)
        session.flush()
        return u

    producer = user(producer_email, "Bench Producer", Role.PRODUCER)
    people = [
        user(f"artist{i}@bench.test", f"Artist {chr(65 + i % 26)}{i}", Role.ARTIST)
        for i in range(artists)
    ]
    code = project_code or f"B{uuid.uuid4().hex[:6].upper()}"
    project = Project(code=code, name=f"Bench {code}")
    session.add(project)
    session.flush()
    for u in (producer, *people):
        session.add(ProjectMember(project_id=project.id, user_id=u.id))
    shots = [
        Shot(project_id=project.id, code=f"SH{i:04d}", name=f"Shot {i}")
        for i in range(max(1, tasks // 12))
    ]
    assets = [
        Asset(project_id=project.id, asset_code=f"AS{i:03d}", name=f"Asset {i}")
        for i in range(max(1, tasks // 40))
    ]
    session.add_all(shots + assets)
    session.flush()
    today = date.today()
    rows: list[Task] = []
    per_column: dict[str, int] = {}
    for i in range(tasks):
        status = rnd.choices(STATUSES, weights=(30, 20, 12, 8, 6, 24))[0]
        per_column[status] = per_column.get(status, 0) + 1
        on_shot = i % 5 != 0
        rows.append(
            Task(
                project_id=project.id,
                title=f"{rnd.choice(TYPES).title()} task {i}",
                type=rnd.choice(TYPES),
                status=TaskStatus(status),
                priority=Priority.NORMAL,
                due_date=today + timedelta(days=rnd.randint(-10, 30)),
                sort_order=per_column[status] * 1024.0,
                shot_id=rnd.choice(shots).id if on_shot else None,
                asset_id=None if on_shot else rnd.choice(assets).id,
                assigned_artist_id=rnd.choice(people).id if rnd.random() < 0.9 else None,
                assigned_supervisor_id=producer.id,
                created_by_id=producer.id,
            )
        )
    session.add_all(rows)
    session.flush()
    now = utcnow()
    for t in rows:
        if t.status is TaskStatus.TODO or rnd.random() < 0.3:
            continue
        n_versions = rnd.randint(1, 3)
        t.last_version_number = n_versions
        for n in range(1, n_versions + 1):
            media = uuid.UUID(int=rnd.getrandbits(128)).hex
            v = Version(
                project_id=project.id,
                task_id=t.id,
                shot_id=t.shot_id,
                asset_id=t.asset_id,
                number=n,
                uploaded_by_id=t.assigned_artist_id,
                original_filename=f"v{n:03d}.mov",
                processing_state=ProcessingState.READY,  # an established show's media is done
                thumbnail_key=f"m/{media[:2]}/{media}.jpg",  # cards sign a link to it
                created_at=now,
            )
            session.add(v)
            session.flush()
            for _ in range(rnd.randint(0, 3)):
                session.add(
                    Comment(version_id=v.id, task_id=t.id, author_id=producer.id, body="note")
                )
            if n == n_versions and rnd.random() < 0.5:
                session.add(
                    Approval(
                        version_id=v.id,
                        task_id=t.id,
                        user_id=producer.id,
                        decision=rnd.choice(list(ApprovalDecision)),
                        stage=ApprovalStage.INTERNAL,
                    )
                )
        if rnd.random() < 0.15:
            session.add(TaskWatcher(task_id=t.id, user_id=rnd.choice(people).id))
    session.flush()
    return {
        "project": project.id,
        "producer": producer.id,
        "artists": [p.id for p in people],
        "tasks": [t.id for t in rows],
        "shots": [s.id for s in shots],
    }
