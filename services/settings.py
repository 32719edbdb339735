"""Configuration read from the environment, with embedded defaults.

Pure Python (no reflex import) so services, the CLI, the scheduler and tests
share one source of truth with rxconfig.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FEEDBACK_DATA_DIR", PROJECT_ROOT / "data"))


def _default_db_url() -> str:
    return f"sqlite:///{DATA_DIR / 'feedback.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    media_root: Path
    secret_key: str
    redis_url: str | None
    base_url: str
    session_ttl_hours: int
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_tls: bool
    mail_from: str
    slack_bot_token: str | None
    slack_base_url: str | None

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            # Reflex's own setting wins so the app, the CLI and alembic agree.
            database_url=env.get("REFLEX_DB_URL") or _default_db_url(),
            media_root=Path(env.get("FEEDBACK_MEDIA_ROOT", DATA_DIR / "media")),
            secret_key=env.get("FEEDBACK_SECRET_KEY", "dev-secret-change-me"),
            redis_url=env.get("REFLEX_REDIS_URL") or None,
            base_url=env.get("FEEDBACK_BASE_URL", "http://localhost:3000").rstrip("/"),
            session_ttl_hours=int(env.get("FEEDBACK_SESSION_TTL_HOURS", "336")),
            smtp_host=env.get("FEEDBACK_SMTP_HOST") or None,
            smtp_port=int(env.get("FEEDBACK_SMTP_PORT", "587")),
            smtp_user=env.get("FEEDBACK_SMTP_USER") or None,
            smtp_password=env.get("FEEDBACK_SMTP_PASSWORD") or None,
            smtp_tls=env.get("FEEDBACK_SMTP_TLS", "1") not in ("0", "false", "no"),
            mail_from=env.get("FEEDBACK_MAIL_FROM", "FeedBack <noreply@feedback.local>"),
            slack_bot_token=env.get("FEEDBACK_SLACK_BOT_TOKEN") or None,
            slack_base_url=env.get("FEEDBACK_SLACK_BASE_URL") or None,
        )


def get_settings() -> Settings:
    return Settings.from_env()
