"""Arrangements shared by the browser tests: the demo studio's accounts, and versions that play
a demo clip without uploading or transcoding anything (their media are a processed demo
version's)."""

from __future__ import annotations

from sqlmodel import Session, select

from models import User, Version
from services import auth, versions
from services.schemas import UserRead

KEYS = ("original_key", "proxy_key", "thumbnail_key", "poster_key")
MEDIA = (*KEYS, "width", "height", "fps", "frame_count", "duration", "codec", "processing_state")


def demo_user(s: Session, email: str) -> UserRead:
    return auth.user_read(s.exec(select(User).where(User.email == email)).one())


def processed_demo_version(s: Session) -> Version:
    """The seeded demo's first version whose proxy is made."""
    return s.exec(
        select(Version)
        .where(Version.proxy_key.is_not(None), Version.processing_state == "READY")
        .order_by(Version.id)
    ).first()


def copy_media(s: Session, target_id: int, source: Version) -> Version:
    """Give version target_id the files, metadata and processing state of `source`."""
    v = s.get(Version, target_id)
    for name in MEDIA:
        setattr(v, name, getattr(source, name))
    s.add(v)
    s.flush()
    return v


def playable_version(
    s: Session, artist: UserRead, task_id: int, demo: Version | None = None
) -> int:
    """A new version of the task (uploaded by `artist`) that plays a demo clip; its id."""
    made = versions.create_version(s, actor=artist, task_id=task_id, original_filename="a.mov")
    copy_media(s, made.id, demo or processed_demo_version(s))
    return made.id
