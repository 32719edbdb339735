"""The command line: migrate, seed-demo, create-user, send-overdue.

Imports stay inside the commands (and never reach reflex), so `--help` answers at once.
Exit codes: 0 done, 1 error (the message says why), 2 bad usage, 3 seed-demo on a database
that already has data.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# models.enums.Role, spelled out so that --help does not import the models (tested to match).
ROLES = ("ADMIN", "PRODUCER", "SUPERVISOR", "ARTIST", "CLIENT")
EXIT_ERROR, EXIT_NOT_EMPTY = 1, 3


class CommandError(Exception):
    """A failure whose message is the whole story for the person at the terminal."""


def _database_url() -> str:
    from services.settings import get_settings

    return get_settings().database_url


def _safe_url(url: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).render_as_string(hide_password=True)


def migrate() -> str:
    """Upgrade the configured database to the newest migration; returns that revision."""
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    url = _database_url()
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["url"] = url
    command.upgrade(cfg, "head")
    return ScriptDirectory.from_config(cfg).get_current_head() or "base"


def cmd_migrate(_args: argparse.Namespace) -> int:
    revision = migrate()
    print(f"database {_safe_url(_database_url())} is at revision {revision}")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    started = time.monotonic()
    migrate()
    from integrations.storage import get_storage
    from services.db import session_scope
    from services.demo_seed import DatabaseNotEmpty, seed_demo
    from services.demo_show import ACCOUNTS, DEMO_PASSWORD

    storage = get_storage()
    try:
        with session_scope() as session:
            summary = seed_demo(session, media_storage=storage, reset=args.reset)
    except DatabaseNotEmpty:
        print("database not empty; use --reset", file=sys.stderr)
        return EXIT_NOT_EMPTY
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(summary.counts_by_status.items()))
    print(
        f"seeded {summary.projects} projects, {summary.shots} shots, {summary.assets} assets, "
        f"{summary.tasks} tasks ({statuses}), {summary.versions} versions, "
        f"{summary.comments} comments in {time.monotonic() - started:.1f} s"
    )
    print(f"media in {storage!r}")
    print(f"demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in ACCOUNTS:
        print(f"  {account.email:<28} {account.role.value:<11} {account.name}")
    _print_review_links()
    return 0


def _print_review_links() -> None:
    """The demo's client review links: open one in a private window to review as a guest."""
    from sqlmodel import select

    from models import Project, ReviewSession
    from services.db import session_scope
    from services.settings import get_settings
    from services.sharing import link_path

    base = get_settings().base_url
    with session_scope() as session:
        rows = session.exec(
            select(ReviewSession, Project.code)
            .join(Project, Project.id == ReviewSession.project_id)
            .order_by(ReviewSession.id)
        ).all()
        links = [(code, link_path(row)) for row, code in rows if row.token_salt]
    if links:
        print("client review links (no account needed):")
        for code, path in links:
            print(f"  {code:<10} {base}{path}")


def _read_password() -> str:
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise CommandError("the passwords do not match")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError("no password given")
    return password


def cmd_create_user(args: argparse.Namespace) -> int:
    password = args.password if args.password is not None else _read_password()
    from services import users
    from services.db import session_scope

    with session_scope() as session:
        user = users.bootstrap_user(
            session, email=args.email, name=args.name, role=args.role, password=password
        )
    print(f"created {user.role} {user.email} ({user.name}), id {user.id}")
    return 0


def _day(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-12-31: {value!r}") from None


def cmd_send_overdue(args: argparse.Namespace) -> int:
    """The scheduler's overdue job, once, then one pass of the outbox (Slack, email)."""
    from datetime import date

    from services import outbox, overdue
    from services.db import session_scope

    with session_scope() as session:
        run = overdue.send_overdue(session, today=args.today or date.today())
    report = outbox.deliver_due(session_scope)
    print(
        f"{run.tasks} overdue task(s) newly noticed, {run.notifications} notification(s); "
        f"outbox: {report.sent} sent, {report.retried} to retry, {report.failed} failed"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m feedback_app",
        description="FeedBack administration. The database comes from REFLEX_DB_URL "
        "(default: SQLite under FEEDBACK_DATA_DIR), media from FEEDBACK_MEDIA_ROOT.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("migrate", help="upgrade the database schema to the newest version")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "seed-demo",
        help="migrate, then fill an empty database with a demo show and demo accounts",
        description="Migrate, then seed a demo show. Exits 3 if the database already has data.",
    )
    p.add_argument("--reset", action="store_true", help="delete ALL existing data first")
    p.set_defaults(func=cmd_seed_demo)

    p = sub.add_parser("create-user", help="create an account (e.g. the first admin)")
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True)
    p.add_argument(
        "--role",
        required=True,
        type=str.upper,
        choices=ROLES,
        metavar="ROLE",
        help=", ".join(ROLES),
    )
    p.add_argument(
        "--password",
        help="prompted for when omitted (read from stdin when that is not a terminal)",
    )
    p.set_defaults(func=cmd_create_user)

    p = sub.add_parser(
        "send-overdue",
        help="notify artists and supervisors of overdue tasks now (the app does it on a timer)",
        description="Send TASK_OVERDUE once per task and due date, then deliver the outbox "
        "once. The app's scheduler does the same every FEEDBACK_OVERDUE_INTERVAL_MINUTES.",
    )
    p.add_argument("--today", type=_day, help="count overdue as of this day (default: today)")
    p.set_defaults(func=cmd_send_overdue)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    from services import activity_events, notifications
    from services.errors import DomainError

    notifications.install()  # use cases run here notify like the app's
    activity_events.install()  # and leave the same feed lines
    try:
        return args.func(args)
    except (DomainError, CommandError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        import sqlalchemy as sa

        from integrations.media import MediaError

        if isinstance(exc, sa.exc.SQLAlchemyError):
            print(
                f"error: database: {str(exc).splitlines()[0]}\n"
                "(is the database reachable and migrated? `python -m feedback_app migrate`)",
                file=sys.stderr,
            )
        elif isinstance(exc, MediaError):
            print(f"error: {exc}", file=sys.stderr)
        else:
            raise
    return EXIT_ERROR
