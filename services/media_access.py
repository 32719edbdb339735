"""Who may fetch a version's media, and the short-lived links that carry that decision.

A link is issued only after the permission check for that viewer and that version
(access.load_version: staff; the task's artist, supervisor and watchers; a client only for a
version shared with them, in a project they belong to). The link itself needs no session, so
the browser's <video> can fetch ranges of it: it is an HMAC over the storage key, the expiry
and the download name with settings.secret_key (or an S3 presigned URL when the bucket serves
browsers itself). Keys are opaque (integrations.storage.opaque_key): a link tells a client
nothing about the studio beyond the file it was given.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from sqlmodel import Session

from integrations.storage import Storage, check_key, content_type, get_storage
from models import Task, Version
from services import access, versions
from services.errors import NotFound, PermissionDenied
from services.schemas import UserRead
from services.settings import Settings, get_settings
from services.uploads import STILLS

URL_PREFIX = "/media"  # feedback_app.http serves it
KINDS = ("proxy", "original", "thumbnail", "poster")
# Expiries are rounded up to this step, so one viewer asking again soon gets the same URL:
# the browser's cache still matches and a page's state does not change for nothing.
EXPIRY_STEP = 300
_PURPOSE = b"feedback media link v1"


class LinkInvalid(PermissionDenied):
    """The link was not issued by this server (or was altered)."""


class LinkExpired(LinkInvalid):
    """The link was genuine but its time is up; the page asks for a new one."""


@dataclass(frozen=True)
class MediaLinkTarget:
    """What a verified /media link grants: one key, inline or as a named download."""

    key: str
    content_type: str
    download_name: str | None
    expires_at: int


@dataclass(frozen=True)
class VersionMediaRead:
    """Everything the player needs about a version's media, links signed for one viewer."""

    version_id: int
    processing_state: str
    processing_error: str | None
    is_still: bool
    width: int | None
    height: int | None
    fps: float | None
    frame_count: int | None
    duration: float | None
    codec: str | None
    proxy_url: str | None  # None until processing made it (or for a still: show the poster)
    poster_url: str | None
    thumbnail_url: str | None
    download_url: str | None  # the original, as an attachment
    expires_at: datetime


def _signing_key(settings: Settings) -> bytes:
    # A key of its own, so a media signature is never valid as anything else signed later.
    return hmac.new(settings.secret_key.encode(), _PURPOSE, hashlib.sha256).digest()


def sign(
    key: str, expires_at: int, download_name: str = "", settings: Settings | None = None
) -> str:
    message = f"{key}\n{expires_at}\n{download_name}".encode()
    digest = hmac.new(_signing_key(settings or get_settings()), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed_path(
    key: str, expires_at: int, download_name: str | None = None, settings: Settings | None = None
) -> str:
    """The app's own link for key: /media/<key>?exp=…&sig=…[&dl=…]."""
    check_key(key)
    query = {"exp": str(expires_at), "sig": sign(key, expires_at, download_name or "", settings)}
    if download_name:
        query["dl"] = download_name
    return f"{URL_PREFIX}/{key}?{urlencode(query)}"


def verify(
    key: str,
    *,
    exp: str | None,
    sig: str | None,
    dl: str | None = None,
    now: float | None = None,
    settings: Settings | None = None,
) -> MediaLinkTarget:
    """Check a /media link; raises LinkInvalid (forged, altered) or LinkExpired."""
    try:
        check_key(key)
        expires_at = int(exp or "")
    except ValueError:
        raise LinkInvalid("This media link is not valid.") from None
    expected = sign(key, expires_at, dl or "", settings)
    if not sig or not hmac.compare_digest(expected.encode(), sig.encode()):
        raise LinkInvalid("This media link is not valid.")
    if expires_at <= (time.time() if now is None else now):
        raise LinkExpired("This media link has expired; reload the page for a new one.")
    return MediaLinkTarget(
        key=key, content_type=content_type(key), download_name=dl or None, expires_at=expires_at
    )


def _expiry(now: float, ttl: int) -> int:
    return int(math.ceil((now + ttl) / EXPIRY_STEP) * EXPIRY_STEP)


def _key_for(v: Version, kind: str) -> str | None:
    if kind not in KINDS:
        raise NotFound(f"Unknown media kind {kind!r}.")
    return {
        "proxy": v.proxy_key,
        "original": v.original_key,
        "thumbnail": v.thumbnail_key,
        "poster": v.poster_key,
    }[kind]


def _download_name(session: Session, actor: UserRead, v: Version) -> str:
    """The uploader's file name for the studio; for a client a neutral one built from the
    shot/asset code and version label, so internal file names never reach them."""
    ext = (v.original_key or "").rsplit(".", 1)[-1].lower() or "bin"
    if actor.role != "CLIENT" and v.original_filename:
        return v.original_filename
    task = session.get(Task, v.task_id) if v.task_id else None
    parts = [access.parent_code(session, task), task.type] if task else []
    return "_".join([*parts, versions.label(v.number)]) + f".{ext}"


class _Linker:
    """Signs the links of one version for one viewer, all with the same expiry."""

    def __init__(self, storage: Storage, settings: Settings, ttl: int | None, now: float | None):
        self.storage, self.settings = storage, settings
        self.now = time.time() if now is None else now
        self.expires_at = _expiry(self.now, ttl or settings.media_url_ttl_seconds)

    def url(self, key: str | None, download_name: str | None = None) -> str | None:
        if not key:
            return None
        presigned = self.storage.presigned_url(
            key,
            expires_in=max(1, self.expires_at - int(self.now)),
            content_type=content_type(key),
            download_name=download_name,
        )
        return presigned or signed_path(key, self.expires_at, download_name, self.settings)


def media_url(
    session: Session,
    *,
    actor: UserRead,
    version_id: int,
    kind: str,
    ttl_seconds: int | None = None,
    storage: Storage | None = None,
    settings: Settings | None = None,
    now: float | None = None,
) -> str:
    """A short-lived URL for one kind of a version's media (proxy, original, thumbnail,
    poster), after checking the actor may view the version. NotFound when that file does not
    exist (yet): e.g. the proxy while the version is still processing."""
    v = access.load_version(session, actor, version_id)
    settings = settings or get_settings()
    linker = _Linker(storage or get_storage(settings), settings, ttl_seconds, now)
    key = _key_for(v, kind)
    if not key:
        raise NotFound(f"This version has no {kind} yet.")
    name = _download_name(session, actor, v) if kind == "original" else None
    return linker.url(key, name)


def version_media(
    session: Session,
    *,
    actor: UserRead,
    version_id: int,
    ttl_seconds: int | None = None,
    storage: Storage | None = None,
    settings: Settings | None = None,
    now: float | None = None,
) -> VersionMediaRead:
    """The player's view of a version: metadata, processing state, and every link that exists,
    in one permission check."""
    v = access.load_version(session, actor, version_id)
    settings = settings or get_settings()
    linker = _Linker(storage or get_storage(settings), settings, ttl_seconds, now)
    error = v.processing_error
    if error and actor.role == "CLIENT":
        error = "Processing failed."
    return VersionMediaRead(
        version_id=v.id,
        processing_state=v.processing_state.value,
        processing_error=error,
        is_still=(v.original_key or "").rsplit(".", 1)[-1].lower() in STILLS,
        width=v.width,
        height=v.height,
        fps=v.fps,
        frame_count=v.frame_count,
        duration=v.duration,
        codec=v.codec,
        proxy_url=linker.url(v.proxy_key),
        poster_url=linker.url(v.poster_key),
        thumbnail_url=linker.url(v.thumbnail_key),
        download_url=linker.url(v.original_key, _download_name(session, actor, v)),
        expires_at=datetime.fromtimestamp(linker.expires_at, UTC),
    )


def thumbnail_urls(
    session: Session,
    *,
    actor: UserRead,
    version_ids: list[int],
    storage: Storage | None = None,
    settings: Settings | None = None,
    now: float | None = None,
) -> dict[int, str | None]:
    """Thumbnail links for a version switcher; versions the actor may not see are left out."""
    settings = settings or get_settings()
    linker = _Linker(storage or get_storage(settings), settings, None, now)
    return {
        v.id: linker.url(v.thumbnail_key)
        for v in access.viewable_versions(session, actor, version_ids)
    }


# Card links made in the current expiry step: {storage key: link}. The same link serves every
# board load and live push until the step ends (a 1,000-card board would otherwise spend
# milliseconds signing the same links again).
_card_links: tuple[tuple, dict[str, str]] = ((), {})
_CARD_LINKS_MAX = 50_000


def card_thumbnail_urls(
    keys: Mapping[int, str],
    *,
    storage: Storage | None = None,
    settings: Settings | None = None,
    now: float | None = None,
) -> dict[int, str]:
    """Thumbnail links for board cards: {task id: link} from {task id: thumbnail key}.

    The permission check is the card's own: a studio user may view a task's versions exactly
    when they may see the task (version.view is task.view for them), and a board sends a card
    only to viewers who may see it (services.board.can_see; clients get no board). So a card's
    link is made once for every board that shows the card, not per viewer, and is reused
    until its expiry step ends."""
    global _card_links
    settings = settings or get_settings()
    storage = storage or get_storage(settings)
    now = time.time() if now is None else now
    expires_at = _expiry(now, settings.media_url_ttl_seconds)
    signing_key = _signing_key(settings)
    ident = (
        signing_key,
        expires_at,
        type(storage),
        getattr(storage, "bucket", None),
        getattr(storage, "presign", None),
    )
    made_for, links = _card_links
    if made_for != ident or len(links) > _CARD_LINKS_MAX:
        links = {}
        _card_links = (ident, links)
    out: dict[int, str] = {}
    for task_id, key in keys.items():
        link = links.get(key)
        if link is None:
            check_key(key)
            link = storage.presigned_url(
                key, expires_in=max(1, expires_at - int(now)), content_type=content_type(key)
            )
            if link is None:
                message = f"{key}\n{expires_at}\n".encode()
                sig = base64.urlsafe_b64encode(hmac.digest(signing_key, message, "sha256"))
                link = f"{URL_PREFIX}/{key}?exp={expires_at}&sig={sig.rstrip(b'=').decode()}"
            links[key] = link
        out[task_id] = link
    return out
