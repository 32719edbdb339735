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


def _flag(value: str | None, *, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


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
    # Media storage, uploads and the media pipeline (defaults keep Settings(...) calls valid).
    storage_backend: str = "local"  # "local" | "s3"
    s3_bucket: str | None = None
    s3_endpoint: str | None = None  # MinIO, R2, …; None means AWS
    s3_public_endpoint: str | None = None  # what browsers reach for presigned links, if different
    s3_region: str | None = None
    s3_prefix: str = ""
    s3_presign: bool = True  # False: media streams through the app's /media route instead
    max_upload_mb: int = 10240
    media_url_ttl_seconds: int = 3600
    media_workers: int = 2
    proxy_timeout_seconds: int = 7200
    # Background jobs (integrations/scheduler.py): the overdue job's period, the outbox poll.
    overdue_interval_minutes: float = 15.0
    outbox_interval_seconds: float = 5.0
    scheduler_enabled: bool = True

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
            storage_backend=(env.get("FEEDBACK_STORAGE") or "local").strip().lower(),
            s3_bucket=env.get("FEEDBACK_S3_BUCKET") or None,
            s3_endpoint=env.get("FEEDBACK_S3_ENDPOINT") or None,
            s3_public_endpoint=env.get("FEEDBACK_S3_PUBLIC_ENDPOINT") or None,
            s3_region=env.get("FEEDBACK_S3_REGION") or env.get("AWS_DEFAULT_REGION") or None,
            s3_prefix=env.get("FEEDBACK_S3_PREFIX", "").strip("/"),
            s3_presign=_flag(env.get("FEEDBACK_S3_PRESIGN"), default=True),
            max_upload_mb=int(env.get("FEEDBACK_MAX_UPLOAD_MB", "10240")),
            media_url_ttl_seconds=int(env.get("FEEDBACK_MEDIA_URL_TTL", "3600")),
            media_workers=max(1, int(env.get("FEEDBACK_MEDIA_WORKERS", "2"))),
            proxy_timeout_seconds=int(env.get("FEEDBACK_PROXY_TIMEOUT", "7200")),
            overdue_interval_minutes=float(env.get("FEEDBACK_OVERDUE_INTERVAL_MINUTES", "15")),
            outbox_interval_seconds=float(env.get("FEEDBACK_OUTBOX_INTERVAL_SECONDS", "5")),
            scheduler_enabled=_flag(env.get("FEEDBACK_SCHEDULER"), default=True),
        )


def get_settings() -> Settings:
    return Settings.from_env()
