"""Authorized media: a link is issued only after the permission check for that viewer and
version, it is signed and short-lived, and the /media route answers Range requests so the
player can seek."""

from __future__ import annotations

import io
import os
import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from feedback_app import http, routes
from integrations.storage import LocalDiskStorage, S3Storage, opaque_key
from models import Version
from services import media_access, tasks
from services.errors import NotFound, PermissionDenied
from services.media_access import LinkExpired, LinkInvalid
from services.settings import get_settings
from tests.factories import make_user, make_version, share_version
from tests.servers import serve_asgi

OPAQUE = re.compile(r"^/media/m/[0-9a-f]{2}/[0-9a-f]{32}\.(mp4|mov|jpg)$")
DATA = os.urandom(300_000)


@pytest.fixture
def storage(db_url) -> LocalDiskStorage:
    return LocalDiskStorage(get_settings().media_root)


@pytest.fixture
def version_id(uow, prod, storage) -> int:
    """A processed version of the production's task: original, proxy, thumbnail, poster."""
    keys = {k: opaque_key(ext) for k, ext in (("o", "mov"), ("p", "mp4"), ("t", "jpg"))}
    for key in keys.values():
        storage.save_stream(key, io.BytesIO(DATA))
    with uow() as s:
        vid = make_version(
            s, prod.artist, prod.task.id, original_filename="SH010_comp_v003_WIP.mov"
        ).id
        v = s.get(Version, vid)
        v.original_key, v.proxy_key = keys["o"], keys["p"]
        v.thumbnail_key = v.poster_key = keys["t"]
        v.width, v.height, v.fps, v.frame_count, v.duration, v.codec = (
            1920,
            1080,
            24.0,
            48,
            2.0,
            "prores",
        )
        v.processing_state = media_access.versions.ProcessingState.READY
        s.add(v)
    return vid


@pytest.fixture
def server(db_url):
    with serve_asgi(http.api()) as base:
        yield base


def _url(uow, actor, version_id, kind="proxy", **kw) -> str:
    with uow() as s:
        return media_access.media_url(s, actor=actor, version_id=version_id, kind=kind, **kw)


# ----------------------------------------------------------------- who gets a link


@pytest.mark.parametrize("who", ["admin", "producer", "supervisor", "artist"])
def test_staff_and_the_tasks_artist_get_a_link(uow, prod, version_id, who):
    assert OPAQUE.match(_url(uow, getattr(prod, who), version_id).split("?")[0])


def test_a_watching_artist_gets_a_link(uow, prod, version_id):
    with uow() as s:
        tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.other_artist.id]
        )
    assert _url(uow, prod.other_artist, version_id)


@pytest.mark.parametrize("kind", media_access.KINDS)
def test_an_artist_not_on_the_task_cannot_get_a_link(uow, prod, version_id, kind):
    with pytest.raises(PermissionDenied), uow() as s:
        media_access.media_url(s, actor=prod.other_artist, version_id=version_id, kind=kind)
    with pytest.raises(PermissionDenied), uow() as s:
        media_access.version_media(s, actor=prod.other_artist, version_id=version_id)


@pytest.mark.parametrize("kind", media_access.KINDS)
def test_a_client_cannot_get_an_unshared_versions_media_even_with_its_id(
    uow, prod, version_id, kind
):
    with pytest.raises(NotFound, match="Version not found"), uow() as s:
        media_access.media_url(s, actor=prod.client, version_id=version_id, kind=kind)
    with pytest.raises(NotFound), uow() as s:
        media_access.version_media(s, actor=prod.client, version_id=version_id)
    with uow() as s:
        assert media_access.thumbnail_urls(s, actor=prod.client, version_ids=[version_id]) == {}


def test_a_client_gets_a_shared_versions_media_in_their_project_only(uow, prod, version_id):
    with uow() as s:
        share_version(s, prod.supervisor, version_id)
        stranger = make_user(s, role="CLIENT")
    assert OPAQUE.match(_url(uow, prod.client, version_id).split("?")[0])
    with pytest.raises(NotFound), uow() as s:
        media_access.media_url(s, actor=stranger, version_id=version_id, kind="proxy")


def test_a_disabled_user_gets_nothing(uow, prod, version_id):
    with uow() as s:
        disabled = make_user(s, role="SUPERVISOR", is_active=False)
    with pytest.raises(PermissionDenied), uow() as s:
        media_access.media_url(s, actor=disabled, version_id=version_id, kind="proxy")


def test_media_not_made_yet_or_an_unknown_kind_is_not_found(uow, prod):
    with uow() as s:
        vid = make_version(s, prod.artist, prod.task.id).id
    with pytest.raises(NotFound, match="no proxy yet"), uow() as s:
        media_access.media_url(s, actor=prod.artist, version_id=vid, kind="proxy")
    with pytest.raises(NotFound, match="Unknown media kind"), uow() as s:
        media_access.media_url(s, actor=prod.artist, version_id=vid, kind="../original")


# ----------------------------------------------------------------- what a link says


def test_a_link_reveals_only_an_opaque_key(uow, prod, version_id):
    with uow() as s:
        share_version(s, prod.supervisor, version_id)
    for kind in media_access.KINDS:
        url = _url(uow, prod.client, version_id, kind)
        path, query = url.split("?")
        assert OPAQUE.match(path), url  # random hex: no ids, codes or names
        assert set(parse_qs(query)) <= {"exp", "sig", "dl"}
        assert "WIP" not in url  # the studio's own file name stays inside


def test_downloads_are_named_for_the_viewer(uow, prod, version_id):
    with uow() as s:
        share_version(s, prod.supervisor, version_id)
    staff = parse_qs(urlsplit(_url(uow, prod.artist, version_id, "original")).query)
    client = parse_qs(urlsplit(_url(uow, prod.client, version_id, "original")).query)
    assert staff["dl"] == ["SH010_comp_v003_WIP.mov"]
    assert client["dl"] == [f"{prod.shot.code}_COMP_v001.mov"]
    assert "dl" not in parse_qs(urlsplit(_url(uow, prod.artist, version_id, "proxy")).query)


def test_version_media_gives_the_player_everything_in_one_check(uow, prod, version_id):
    now = 1_900_000_000
    with uow() as s:
        m = media_access.version_media(s, actor=prod.artist, version_id=version_id, now=now)
    assert (m.processing_state, m.width, m.height, m.fps, m.frame_count, m.is_still) == (
        "READY",
        1920,
        1080,
        24.0,
        48,
        False,
    )
    for url in (m.proxy_url, m.poster_url, m.thumbnail_url, m.download_url):
        assert url.startswith("/media/m/")
    assert m.expires_at.timestamp() - now >= get_settings().media_url_ttl_seconds
    with uow() as s:
        thumbs = media_access.thumbnail_urls(
            s, actor=prod.artist, version_ids=[version_id, 999_999], now=now
        )
    assert thumbs == {version_id: m.thumbnail_url}  # the same link: the browser cache hits


def test_links_are_stable_within_an_expiry_step(uow, prod, version_id):
    first = _url(uow, prod.artist, version_id, now=1_900_000_001)
    assert _url(uow, prod.artist, version_id, now=1_900_000_002) == first
    exp = int(parse_qs(urlsplit(first).query)["exp"][0])
    assert exp % media_access.EXPIRY_STEP == 0
    assert 3600 <= exp - 1_900_000_001 < 3600 + media_access.EXPIRY_STEP


# ----------------------------------------------------------------- verifying a link


def _parts(url):
    path, query = url.split("?")
    q = {k: v[0] for k, v in parse_qs(query).items()}
    return path.removeprefix("/media/"), q


def test_a_signed_link_expires(uow, prod, version_id):
    url = _url(uow, prod.artist, version_id, ttl_seconds=60, now=1_900_000_000)
    key, q = _parts(url)
    exp = int(q["exp"])
    assert media_access.verify(key, **q, now=exp - 1).key == key
    with pytest.raises(LinkExpired, match="expired"):
        media_access.verify(key, **q, now=exp)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda k, q: (k.replace("m/", "m/0", 1), q),
        lambda k, q: (k, {**q, "exp": str(int(q["exp"]) + 3600)}),
        lambda k, q: (k, {**q, "sig": q["sig"][:-2] + ("BB" if q["sig"].endswith("AA") else "AA")}),
        lambda k, q: (k, {**q, "dl": "renamed.mov"}),
        lambda k, q: (k, {k2: v for k2, v in q.items() if k2 != "sig"}),
        lambda k, q: (k, {**q, "exp": "soon"}),
        lambda k, q: ("../" + k, q),
    ],
)
def test_an_altered_link_is_refused(uow, prod, version_id, tamper):
    key, q = _parts(_url(uow, prod.artist, version_id, "original"))
    key, q = tamper(key, q)
    with pytest.raises(LinkInvalid):
        media_access.verify(key, exp=q.get("exp"), sig=q.get("sig"), dl=q.get("dl"))


def test_a_link_signed_with_another_secret_is_refused(uow, prod, version_id, monkeypatch):
    key, q = _parts(_url(uow, prod.artist, version_id))
    monkeypatch.setenv("FEEDBACK_SECRET_KEY", "another-deployment")
    with pytest.raises(LinkInvalid):
        media_access.verify(key, **q)


# ----------------------------------------------------------------- the /media route


def test_the_route_serves_the_whole_file_and_says_it_takes_ranges(uow, prod, version_id, server):
    r = httpx.get(server + _url(uow, prod.artist, version_id))
    assert r.status_code == 200
    assert r.content == DATA
    assert r.headers["accept-ranges"] == "bytes"
    assert r.headers["content-type"] == "video/mp4"
    assert r.headers["content-length"] == str(len(DATA))
    assert r.headers["cache-control"].startswith("private")


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-0", 0, 0),
        ("bytes=100-199", 100, 199),
        ("bytes=299990-", 299_990, 299_999),
        ("bytes=-10", 299_990, 299_999),
        ("bytes=250000-999999999", 250_000, 299_999),
        ("bytes=-999999999", 0, 299_999),
    ],
)
def test_range_requests_return_206_with_the_right_bytes(
    uow, prod, version_id, server, header, first, last
):
    r = httpx.get(server + _url(uow, prod.artist, version_id), headers={"Range": header})
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes {first}-{last}/{len(DATA)}"
    assert r.headers["content-length"] == str(last - first + 1)
    assert r.content == DATA[first : last + 1]


def test_a_range_past_the_end_is_416(uow, prod, version_id, server):
    r = httpx.get(server + _url(uow, prod.artist, version_id), headers={"Range": "bytes=300000-"})
    assert r.status_code == 416
    assert r.headers["content-range"] == f"bytes */{len(DATA)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=x-"])
def test_ranges_we_do_not_serve_get_the_whole_file(uow, prod, version_id, server, header):
    r = httpx.get(server + _url(uow, prod.artist, version_id), headers={"Range": header})
    assert (r.status_code, len(r.content)) == (200, len(DATA))


def test_if_range_with_a_stale_etag_gets_the_whole_file(uow, prod, version_id, server):
    url = server + _url(uow, prod.artist, version_id)
    etag = httpx.head(url).headers["etag"]
    fresh = httpx.get(url, headers={"Range": "bytes=0-9", "If-Range": etag})
    stale = httpx.get(url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert (fresh.status_code, stale.status_code) == (206, 200)


def test_head_gives_the_size_without_the_bytes(uow, prod, version_id, server):
    r = httpx.head(server + _url(uow, prod.artist, version_id))
    assert r.status_code == 200
    assert r.headers["content-length"] == str(len(DATA))
    assert r.content == b""


def test_the_original_downloads_under_its_name(uow, prod, version_id, server):
    r = httpx.get(server + _url(uow, prod.artist, version_id, "original"))
    assert r.headers["content-disposition"] == (
        "attachment; filename=\"SH010_comp_v003_WIP.mov\"; filename*=UTF-8''SH010_comp_v003_WIP.mov"
    )
    assert r.headers["content-type"] == "video/quicktime"


def test_the_route_refuses_expired_altered_and_unsigned_links(uow, prod, version_id, server):
    expired = _url(uow, prod.artist, version_id, ttl_seconds=1, now=time.time() - 3600)
    r = httpx.get(server + expired)
    assert (r.status_code, r.json()["error"]) == (
        403,
        "This media link has expired; reload the page for a new one.",
    )
    key, q = _parts(_url(uow, prod.artist, version_id))
    assert httpx.get(f"{server}/media/{key}").status_code == 403
    forged = {**q, "exp": str(int(q["exp"]) + 60)}
    assert httpx.get(f"{server}/media/{key}?{urlencode(forged)}").status_code == 403


def test_a_link_to_a_deleted_file_is_404(uow, prod, version_id, server, storage):
    url = _url(uow, prod.artist, version_id)
    storage.delete(_parts(url)[0])
    assert httpx.get(server + url).status_code == 404


def test_the_route_prefix_is_the_one_services_sign_for():
    assert routes.MEDIA_PREFIX == media_access.URL_PREFIX


# ----------------------------------------------------------------- on S3


def test_on_s3_the_link_is_presigned_and_seekable(uow, prod, s3_storage):
    key = opaque_key("mp4")
    s3_storage.save_stream(key, io.BytesIO(DATA))
    with uow() as s:
        vid = make_version(s, prod.artist, prod.task.id, original_key=key).id
        v = s.get(Version, vid)
        v.proxy_key = key
        s.add(v)
    url = _url(uow, prod.artist, vid, storage=s3_storage, ttl_seconds=120, now=time.time())
    assert url.startswith(s3_storage.client.meta.endpoint_url)
    assert 120 <= int(parse_qs(urlsplit(url).query)["X-Amz-Expires"][0]) <= 120 + 300
    r = httpx.get(url, headers={"Range": "bytes=1000-1999"})
    assert (r.status_code, r.content) == (206, DATA[1000:2000])
    with pytest.raises(PermissionDenied), uow() as s:
        media_access.media_url(
            s, actor=prod.other_artist, version_id=vid, kind="proxy", storage=s3_storage
        )


def test_on_s3_without_presigning_the_app_streams_ranges_itself(
    uow, prod, s3_storage, s3_endpoint, monkeypatch
):
    monkeypatch.setenv("FEEDBACK_STORAGE", "s3")
    monkeypatch.setenv("FEEDBACK_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("FEEDBACK_S3_BUCKET", s3_storage.bucket)
    monkeypatch.setenv("FEEDBACK_S3_PRESIGN", "0")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    key = opaque_key("mp4")
    s3_storage.save_stream(key, io.BytesIO(DATA))
    with uow() as s:
        vid = make_version(s, prod.artist, prod.task.id, original_key=key).id
        v = s.get(Version, vid)
        v.proxy_key = key
        s.add(v)
    url = _url(uow, prod.artist, vid)
    assert url.startswith("/media/m/")
    assert isinstance(media_access.get_storage(), S3Storage)
    with serve_asgi(http.api()) as base:
        r = httpx.get(base + url, headers={"Range": "bytes=-5"})
    assert (r.status_code, r.content) == (206, DATA[-5:])
