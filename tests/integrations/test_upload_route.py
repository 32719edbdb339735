"""The upload route over real HTTP: feedback_app.http served by granian on loopback, the
browser's session cookie, the body streamed to storage, a version created only at the end."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from sqlmodel import select

from feedback_app import http, routes
from feedback_app.workers import MediaPipelineRunner
from integrations import media
from integrations.storage import LocalDiskStorage
from models import Task, Version
from services import auth, tasks
from services.db import session_scope
from services.settings import get_settings
from tests.factories import PASSWORD, make_production
from tests.servers import serve_asgi

pytestmark = pytest.mark.usefixtures("db_url")


@pytest.fixture
def prod(db_url):
    with session_scope(db_url) as s:
        return make_production(s)


@pytest.fixture
def server(db_url):
    with serve_asgi(http.api()) as base:
        yield base


@pytest.fixture
def storage(db_url) -> LocalDiskStorage:
    return LocalDiskStorage(get_settings().media_root)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return media.make_test_clip(tmp_path_factory.mktemp("clips") / "clip.mp4", frames=12)


def _token(db_url, user) -> str:
    with session_scope(db_url) as s:
        token, _ = auth.sign_in(s, email=user.email, password=PASSWORD)
    return token


def _client(base, token=None) -> httpx.Client:
    cookies = {"fb_session": token} if token else None
    return httpx.Client(base_url=base, cookies=cookies, timeout=30)


def _upload(client, task_id, data, filename="shot.mp4", **params) -> httpx.Response:
    query = "&".join(f"{k}={quote(str(v))}" for k, v in {"filename": filename, **params}.items())
    return client.post(f"{routes.task_versions_api(task_id)}?{query}", content=data)


def _files(storage) -> list[Path]:
    root = storage.root
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _versions(db_url, task_id) -> list[Version]:
    with session_scope(db_url) as s:
        return list(s.exec(select(Version).where(Version.task_id == task_id)).all())


def test_assigned_artist_uploads_a_version(db_url, prod, server, storage, clip, delivered):
    data = clip.read_bytes()
    with _client(server, _token(db_url, prod.artist)) as c:
        r = _upload(c, prod.task.id, data, filename="SH010 comp (final) ✓.mp4", description="v1")

    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["number"], body["label"]) == (1, "v001")
    [v] = _versions(db_url, prod.task.id)
    assert v.id == body["version_id"]
    assert (v.original_filename, v.file_size, v.description) == (
        "SH010 comp (final) ✓.mp4",
        len(data),
        "v1",
    )
    assert v.processing_state.value == "QUEUED"
    [stored] = _files(storage)
    assert stored.read_bytes() == data
    # the key is generated: nothing of the user's name is in the path
    assert stored.relative_to(storage.root).as_posix() == v.original_key
    assert "SH010" not in v.original_key and v.original_key.endswith(".mp4")
    with session_scope(db_url) as s:
        assert s.get(Task, prod.task.id).status.value == "INTERNAL_REVIEW"
    [created] = [e for e in delivered if e.name == "version.created"]
    assert created.payload["notify"] is True


def test_options_keep_the_status_and_turn_notification_off(db_url, prod, server, clip, delivered):
    with session_scope(db_url) as s:
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="IN_PROGRESS")
    with _client(server, _token(db_url, prod.artist)) as c:
        r = _upload(c, prod.task.id, clip.read_bytes(), move_to_review="0", notify="false")

    assert r.status_code == 201, r.text
    with session_scope(db_url) as s:
        assert s.get(Task, prod.task.id).status.value == "IN_PROGRESS"
    [created] = [e for e in delivered if e.name == "version.created"]
    assert created.payload["notify"] is False


@pytest.mark.parametrize("who", ["supervisor", "producer", "admin"])
def test_staff_upload_to_any_task(db_url, prod, server, clip, who):
    with _client(server, _token(db_url, getattr(prod, who))) as c:
        assert _upload(c, prod.task.id, clip.read_bytes()).status_code == 201


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        (None, 401, "Sign in again"),
        ("other_artist", 403, "permission"),
        ("client", 404, "Task not found"),
    ],
)
def test_uploads_are_refused_to_those_who_may_not(
    db_url, prod, server, storage, clip, who, status, message
):
    token = _token(db_url, getattr(prod, who)) if who else None
    with _client(server, token) as c:
        r = _upload(c, prod.task.id, clip.read_bytes())

    assert r.status_code == status
    assert message in r.json()["error"]
    assert _versions(db_url, prod.task.id) == [] and _files(storage) == []


def test_a_revoked_session_cannot_upload(db_url, prod, server, clip):
    token = _token(db_url, prod.artist)
    with session_scope(db_url) as s:
        auth.sign_out(s, token=token)
    with _client(server, token) as c:
        assert _upload(c, prod.task.id, clip.read_bytes()).status_code == 401


@pytest.mark.parametrize("task_id", [987_654, 10**30])
def test_an_unknown_task_is_not_found(db_url, prod, server, clip, task_id):
    with _client(server, _token(db_url, prod.producer)) as c:
        r = _upload(c, task_id, clip.read_bytes())
    assert r.status_code == 404
    assert r.json()["error"] == "Task not found."


@pytest.mark.parametrize(
    ("filename", "status", "message"),
    [
        ("notes.txt", 415, "MOV, MP4, M4V, MKV, WebM, PNG or JPEG"),
        ("render.exe", 415, "is not one"),
        ("noextension", 415, "is not one"),
        ("../../etc/passwd.mp4", 400, "folder path"),
        ("..\\..\\windows\\shot.mp4", 400, "folder path"),
        ("/abs/shot.mp4", 400, "folder path"),
        ("..", 400, "folder path"),
        ("shot\x00.mp4", 400, "control characters"),
        ("", 400, "no name"),
        ("x" * 300 + ".mp4", 400, "longer than 255"),
    ],
)
def test_wrong_kinds_and_path_names_are_refused_with_a_message(
    db_url, prod, server, storage, clip, filename, status, message
):
    with _client(server, _token(db_url, prod.artist)) as c:
        r = _upload(c, prod.task.id, clip.read_bytes(), filename=filename)

    assert r.status_code == status, r.text
    assert message in r.json()["error"]
    assert _versions(db_url, prod.task.id) == [] and _files(storage) == []


@pytest.mark.parametrize(
    ("filename", "content", "looks_like"),
    [
        ("shot.mov", b"%PDF-1.7\n" + b"x" * 5000, ""),
        ("shot.mp4", b"\x89PNG\r\n\x1a\n" + b"x" * 5000, "a PNG image"),
        ("still.png", b"\x00\x00\x00\x18ftypisom" + b"x" * 5000, "a MOV/MP4 video"),
        ("still.jpg", b"GIF89a" + b"x" * 5000, ""),
        ("clip.webm", b"\xff\xd8\xff\xe0" + b"x" * 5000, "a JPEG image"),
    ],
)
def test_content_that_does_not_match_its_name_is_refused(
    db_url, prod, server, storage, filename, content, looks_like
):
    with _client(server, _token(db_url, prod.artist)) as c:
        r = _upload(c, prod.task.id, content, filename=filename)

    assert r.status_code == 415, r.text
    assert "does not contain" in r.json()["error"]
    assert looks_like in r.json()["error"]
    assert _versions(db_url, prod.task.id) == [] and _files(storage) == []


def test_wrong_content_is_refused_as_soon_as_its_first_bytes_arrive(db_url, prod, server, storage):
    """The answer comes while the rest of a big file is still unsent."""
    token = _token(db_url, prod.artist)
    host, port = server.removeprefix("http://").split(":")
    head = (
        f"POST {routes.task_versions_api(prod.task.id)}?filename=big.mov HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\nCookie: fb_session={token}\r\n"
        f"Content-Length: {512 * 1024 * 1024}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head + b"%PDF-1.7\n" + b"x" * 65536)
        reply = sock.recv(65536).decode()
    assert reply.startswith("HTTP/1.1 415")
    assert "does not contain a MOV/MP4 video" in reply
    assert _versions(db_url, prod.task.id) == [] and _files(storage) == []


def test_a_png_still_is_accepted(db_url, prod, server, tmp_path):
    still = media.make_thumbnail(
        media.make_test_clip(tmp_path / "c.mp4", frames=2), tmp_path / "s.jpg"
    )
    with _client(server, _token(db_url, prod.artist)) as c:
        r = _upload(c, prod.task.id, still.read_bytes(), filename="matte painting.JPEG")
    assert r.status_code == 201, r.text
    [v] = _versions(db_url, prod.task.id)
    assert v.original_key.endswith(".jpeg")


def test_an_announced_size_over_the_limit_is_refused_before_storing(
    db_url, prod, server, storage, monkeypatch
):
    monkeypatch.setenv("FEEDBACK_MAX_UPLOAD_MB", "1")
    body = b"\x00\x00\x00\x18ftypisom" + b"\x00" * (2 * 1024 * 1024)
    with _client(server, _token(db_url, prod.artist)) as c:
        r = _upload(c, prod.task.id, body)

    assert r.status_code == 413
    assert "the limit is 1 MB" in r.json()["error"]
    assert _versions(db_url, prod.task.id) == [] and _files(storage) == []


def test_a_chunked_body_over_the_limit_is_stopped_and_removed(
    db_url, prod, server, storage, monkeypatch
):
    """No Content-Length (chunked): the limit is counted while the bytes arrive."""
    monkeypatch.setenv("FEEDBACK_MAX_UPLOAD_MB", "1")

    def body():
        yield b"\x00\x00\x00\x18ftypisom"
        for _ in range(40):
            yield b"\x00" * 65536

    with _client(server, _token(db_url, prod.artist)) as c:
        r = _upload(c, prod.task.id, body())

    assert r.status_code == 413
    assert "larger than the limit of 1 MB" in r.json()["error"]
    assert _versions(db_url, prod.task.id) == [] and _files(storage) == []


def test_an_empty_file_is_refused(db_url, prod, server, storage):
    with _client(server, _token(db_url, prod.artist)) as c:
        r = _upload(c, prod.task.id, b"")
    assert r.status_code == 400
    assert "is empty" in r.json()["error"]


def test_a_cross_site_post_is_refused(db_url, prod, server, storage, clip):
    with _client(server, _token(db_url, prod.artist)) as c:
        c.headers["Origin"] = "https://evil.example"
        r = _upload(c, prod.task.id, clip.read_bytes())
    assert r.status_code == 403
    assert _versions(db_url, prod.task.id) == []


def _wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_cancelled_upload_leaves_no_version_and_no_file(db_url, prod, server, storage):
    """The browser's cancel (xhr.abort()) closes the connection mid-body."""
    token = _token(db_url, prod.artist)
    host, port = server.removeprefix("http://").split(":")
    total, sent = 64 * 1024 * 1024, 8 * 1024 * 1024
    head = (
        f"POST {routes.task_versions_api(prod.task.id)}?filename=big.mov HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\nCookie: fb_session={token}\r\n"
        f"Content-Length: {total}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(head + b"\x00\x00\x00\x14ftypqt  " + b"\x00" * (sent - 12))
        # the first bytes are on disk (a hidden .part file) before we hang up
        assert _wait_until(lambda: any(storage.root.rglob(".*.part")))
    # hung up: the partial file goes, no version is made, and the task keeps its number
    assert _wait_until(lambda: _files(storage) == [])
    time.sleep(0.2)
    assert _versions(db_url, prod.task.id) == [] and _files(storage) == []
    with session_scope(db_url) as s:
        assert s.get(Task, prod.task.id).last_version_number == 0


def test_two_concurrent_uploads_to_one_task_get_distinct_numbers(
    db_url, prod, server, storage, clip
):
    data = clip.read_bytes()
    token = _token(db_url, prod.artist)
    results: list[httpx.Response] = []
    barrier = threading.Barrier(4)

    def upload():
        with _client(server, token) as c:
            barrier.wait()
            results.append(_upload(c, prod.task.id, _slowly(data)))

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert [r.status_code for r in results] == [201] * 4, [r.text for r in results]
    assert sorted(r.json()["number"] for r in results) == [1, 2, 3, 4]
    assert sorted(v.number for v in _versions(db_url, prod.task.id)) == [1, 2, 3, 4]
    assert len(_files(storage)) == 4


def _slowly(data: bytes, pieces: int = 8):
    """The body in pieces with pauses, so concurrent uploads really overlap."""
    step = len(data) // pieces + 1
    for i in range(0, len(data), step):
        time.sleep(0.02)
        yield data[i : i + step]


def test_the_committed_upload_feeds_the_media_pipeline(db_url, prod, server, storage, clip):
    runner = MediaPipelineRunner(max_workers=1, storage=storage, uow=lambda: session_scope(db_url))
    runner.start()
    try:
        with _client(server, _token(db_url, prod.artist)) as c:
            r = _upload(c, prod.task.id, clip.read_bytes())
        assert r.status_code == 201
        assert _wait_until(
            lambda: _versions(db_url, prod.task.id)[0].processing_state.value == "READY", 60
        )
    finally:
        runner.stop()
    [v] = _versions(db_url, prod.task.id)
    assert v.proxy_key == v.original_key  # H.264 4:2:0 MP4 plays as is
    assert v.thumbnail_key and v.poster_key and v.frame_count == 12


def test_the_reflex_app_mounts_the_routes():
    """feedback_app.app hands these routes to Reflex (api_transformer) and starts the pipeline
    with the backend (a lifespan task)."""
    from feedback_app import workers
    from feedback_app.app import app

    mounted = {r.path for r in app.api_transformer.routes}
    assert {routes.API_TASK_VERSIONS, routes.MEDIA} <= mounted
    assert workers.media_pipeline_lifespan in app.get_lifespan_tasks()
