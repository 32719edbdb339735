"""The media pipeline: QUEUED → PROCESSING → READY / FAILED (with its reason) → retry.

Real ffmpeg on small generated clips: a ProRes master gets an H.264 proxy with every frame, an
H.264 MP4 is its own proxy, a broken file fails with a reason a person can read."""

from __future__ import annotations

import io
import itertools
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from integrations import media
from integrations.storage import LocalDiskStorage
from models import ProcessingState, SchedulerLease, Version
from models.base import utcnow
from services import media_pipeline, uploads
from services.errors import Conflict, NotFound, PermissionDenied
from services.media_pipeline import FAILED, PROCESSING, QUEUED, READY
from services.settings import get_settings
from tests.factories import make_version

FRAMES = 12


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        [media.ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", *args], check=True
    )


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pipeline-clips")
    h264 = media.make_test_clip(d / "h264.mp4", frames=FRAMES, width=320, height=180)
    src = ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=24", "-frames:v", str(FRAMES)]
    _ffmpeg(
        *src, "-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le", str(d / "p.mov")
    )
    _ffmpeg(*src, "-c:v", "dnxhd", "-s", "1280x720", "-b:v", "90M", "-r", "24", str(d / "d.mov"))
    _ffmpeg("-i", str(h264), "-c", "copy", str(d / "h264.mkv"))
    still = media.make_poster(h264, d / "still.jpg")
    broken = d / "broken.mov"
    broken.write_bytes(b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + bytes(range(256)) * 400)
    return {
        "h264": h264,
        "prores": d / "p.mov",
        "dnxhd": d / "d.mov",
        "mkv": d / "h264.mkv",
        "still": still,
        "broken": broken,
    }


@pytest.fixture
def storage(db_url) -> LocalDiskStorage:
    return LocalDiskStorage(get_settings().media_root)


@pytest.fixture
def upload(uow, prod, storage):
    """Upload a file as the artist, through the upload use case; returns the version id."""

    def _upload(path: Path, name: str | None = None) -> int:
        with path.open("rb") as f:
            v = uploads.upload_version(
                actor=prod.artist,
                task_id=prod.task.id,
                filename=name or path.name,
                fileobj=f,
                storage=storage,
                uow=uow,
            )
        return v.id

    return _upload


def _process(version_id, storage, uow):
    return media_pipeline.process_version(version_id, storage=storage, uow=uow)


def _row(uow, version_id) -> Version:
    with uow() as s:
        return s.get(Version, version_id)


def _moov_before_mdat(path: Path) -> bool:
    """+faststart: the index (moov) comes before the media data, so playback starts at once."""
    data, pos, order = path.read_bytes(), 0, []
    while pos + 8 <= len(data):
        size, box = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8]
        order.append(box)
        if size < 8:
            break
        pos += size
    return order.index(b"moov") < order.index(b"mdat")


@pytest.mark.parametrize("kind", ["prores", "dnxhd"])
def test_a_master_codec_gets_an_h264_proxy_with_every_frame(uow, storage, upload, clips, kind):
    vid = upload(clips[kind], f"SH010_comp_{kind}.mov")

    assert _process(vid, storage, uow) is READY

    v = _row(uow, vid)
    assert v.processing_state is READY and v.processing_error is None
    assert v.proxy_key and v.proxy_key != v.original_key and v.proxy_key.endswith(".mp4")
    proxy = storage.path_for(v.proxy_key)
    p = media.probe(proxy)
    assert (p.codec, p.pix_fmt) == ("h264", "yuv420p")
    assert media.is_browser_playable(p, "mp4")
    assert p.frame_count == FRAMES == v.frame_count
    assert abs(p.fps - 24) < 0.01 and abs(v.fps - 24) < 0.01
    assert _moov_before_mdat(proxy)
    assert v.codec == {"prores": "prores", "dnxhd": "dnxhd"}[kind]
    assert (v.width, v.height) == ((320, 180) if kind == "prores" else (1280, 720))
    for key in (v.thumbnail_key, v.poster_key):
        assert storage.path_for(key).read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG
    assert media.probe(storage.path_for(v.poster_key)).width == v.width


def test_an_h264_mp4_is_its_own_proxy(uow, storage, upload, clips):
    vid = upload(clips["h264"])

    assert _process(vid, storage, uow) is READY

    v = _row(uow, vid)
    assert v.proxy_key == v.original_key
    assert (v.codec, v.frame_count, v.width, v.height) == ("h264", FRAMES, 320, 180)
    assert v.duration == pytest.approx(FRAMES / 24, abs=0.05)


def test_h264_in_mkv_still_gets_a_proxy(uow, storage, upload, clips):
    vid = upload(clips["mkv"])
    assert _process(vid, storage, uow) is READY
    v = _row(uow, vid)
    assert v.proxy_key != v.original_key
    assert media.probe(storage.path_for(v.proxy_key)).frame_count == FRAMES


def test_a_still_gets_a_poster_and_a_thumbnail_but_no_proxy(uow, storage, upload, clips):
    vid = upload(clips["still"], "matte.jpg")

    assert _process(vid, storage, uow) is READY

    v = _row(uow, vid)
    assert v.proxy_key is None
    assert v.poster_key and v.thumbnail_key
    assert (v.frame_count, v.fps, v.duration) == (1, None, None)
    assert (v.width, v.height) == (320, 180)


def test_a_broken_file_fails_with_a_reason_and_leaves_nothing_made(uow, storage, upload, clips):
    vid = upload(clips["broken"], "SH020_comp_v007.mov")

    assert _process(vid, storage, uow) is FAILED

    v = _row(uow, vid)
    assert v.processing_state is FAILED
    assert v.processing_error.startswith("FeedBack could not read this file")
    assert "SH020_comp_v007.mov" in v.processing_error  # the uploader's name, not a server path
    assert str(storage.root) not in v.processing_error and "/tmp" not in v.processing_error
    assert (v.proxy_key, v.thumbnail_key, v.poster_key) == (None, None, None)
    assert [p.relative_to(storage.root).as_posix() for p in storage.root.rglob("*.*")] == [
        v.original_key
    ]


def test_a_missing_original_fails_with_a_reason(uow, storage, upload, clips):
    vid = upload(clips["h264"])
    storage.delete(_row(uow, vid).original_key)

    assert _process(vid, storage, uow) is FAILED
    assert "could not read" in _row(uow, vid).processing_error


def test_every_state_change_is_announced_after_commit(uow, storage, upload, clips, delivered):
    vid = upload(clips["h264"])
    task_id = _row(uow, vid).task_id
    delivered.clear()

    _process(vid, storage, uow)

    changes = [e for e in delivered if e.name == "version.processing_changed"]
    assert [e.payload for e in changes] == [
        {"version_id": vid, "task_id": task_id, "state": "PROCESSING"},
        {"version_id": vid, "task_id": task_id, "state": "READY"},
    ]
    assert {e.project_id for e in changes} == {_row(uow, vid).project_id}


def test_a_version_is_claimed_by_one_worker_only(uow, storage, upload, clips):
    vid = upload(clips["h264"])
    with uow() as s:
        assert media_pipeline.claim(s, version_id=vid) is True
    with uow() as s:
        assert media_pipeline.claim(s, version_id=vid) is False
    assert _process(vid, storage, uow) is None  # someone else has it
    assert _row(uow, vid).processing_state is PROCESSING


def test_a_ready_version_is_not_processed_again(uow, storage, upload, clips):
    vid = upload(clips["h264"])
    _process(vid, storage, uow)
    assert _process(vid, storage, uow) is None


def test_a_failure_part_way_removes_what_was_made_then_retry_succeeds(
    uow, prod, storage, upload, clips, monkeypatch, delivered
):
    """The proxy was made and stored, then the thumbnail failed (say ffmpeg was killed):
    the proxy goes, the version is FAILED; a supervisor retries and it ends READY."""
    vid = upload(clips["prores"])
    real = media.make_thumbnail
    monkeypatch.setattr(
        media, "make_thumbnail", lambda *a, **k: (_ for _ in ()).throw(media.MediaError("killed"))
    )
    assert _process(vid, storage, uow) is FAILED
    assert _row(uow, vid).processing_error == "The file could not be processed: killed"
    assert len(list(storage.root.rglob("*.*"))) == 1  # the original only

    monkeypatch.setattr(media, "make_thumbnail", real)
    delivered.clear()
    with uow() as s:
        read = media_pipeline.retry(s, actor=prod.supervisor, version_id=vid)
    assert (read.state, read.error) == ("QUEUED", None)
    assert [e.payload["state"] for e in delivered] == ["QUEUED"]
    assert _process(vid, storage, uow) is READY
    assert _row(uow, vid).processing_error is None


def test_an_unexpected_error_fails_the_version_without_internals(
    uow, storage, upload, clips, monkeypatch
):
    vid = upload(clips["h264"])
    monkeypatch.setattr(media, "probe", lambda *_: (_ for _ in ()).throw(KeyError("secret")))
    assert _process(vid, storage, uow) is FAILED
    reason = _row(uow, vid).processing_error
    assert "unexpectedly" in reason and "secret" not in reason


@pytest.mark.parametrize("who", ["admin", "producer", "supervisor"])
def test_staff_may_retry_a_failed_version(uow, prod, storage, upload, clips, who):
    vid = upload(clips["broken"])
    _process(vid, storage, uow)
    with uow() as s:
        assert media_pipeline.retry(s, actor=getattr(prod, who), version_id=vid).state == "QUEUED"


def test_artists_and_clients_may_not_retry(uow, prod, storage, upload, clips):
    vid = upload(clips["broken"])
    _process(vid, storage, uow)
    with pytest.raises(PermissionDenied), uow() as s:
        media_pipeline.retry(s, actor=prod.artist, version_id=vid)
    with pytest.raises(NotFound), uow() as s:
        media_pipeline.retry(s, actor=prod.client, version_id=vid)
    assert _row(uow, vid).processing_state is FAILED


@pytest.mark.parametrize("state", [QUEUED, PROCESSING, READY])
def test_only_a_failed_version_can_be_retried(uow, prod, state):
    with uow() as s:
        vid = make_version(s, prod.artist, prod.task.id).id
        v = s.get(Version, vid)
        v.processing_state = state
        s.add(v)
    with pytest.raises(Conflict, match="Only a version whose processing failed"), uow() as s:
        media_pipeline.retry(s, actor=prod.supervisor, version_id=vid)


def test_the_transition_table():
    allowed = {
        (QUEUED, PROCESSING),
        (PROCESSING, READY),
        (PROCESSING, FAILED),
        (PROCESSING, QUEUED),
        (FAILED, QUEUED),
    }
    for a, b in itertools.product(ProcessingState, repeat=2):
        assert media_pipeline.can_transition(a, b) is ((a, b) in allowed), (a, b)


def test_the_startup_sweep_finds_queued_versions_oldest_first(uow, prod):
    with uow() as s:
        ids = [make_version(s, prod.artist, prod.task.id).id for _ in range(3)]
        done = s.get(Version, ids[1])
        done.processing_state = READY
        s.add(done)
    with uow() as s:
        assert media_pipeline.queued_version_ids(s) == [ids[0], ids[2]]


def test_interrupted_versions_are_put_back_in_the_queue(uow, prod, delivered):
    with uow() as s:
        vid = make_version(s, prod.artist, prod.task.id).id
        assert media_pipeline.claim(s, version_id=vid)
    delivered.clear()
    with uow() as s:
        assert media_pipeline.requeue_interrupted(s) == [vid]
    assert _row(uow, vid).processing_state is QUEUED
    assert [e.payload["state"] for e in delivered] == ["QUEUED"]


def _lease(uow, vid):
    with uow() as s:
        return s.get(SchedulerLease, f"media-version:{vid}")


def test_a_claim_takes_a_lease_and_a_live_lease_keeps_the_version_where_it_is(uow, prod):
    now = utcnow()
    with uow() as s:
        vid = make_version(s, prod.artist, prod.task.id).id
        assert media_pipeline.claim(s, version_id=vid, holder="worker-a", now=now)
    lease = _lease(uow, vid)
    assert (lease.holder, lease.expires_at) == ("worker-a", now + media_pipeline.LEASE_TTL)
    with uow() as s:  # another process looks while worker-a is busy
        assert media_pipeline.requeue_abandoned(s, now=now + timedelta(seconds=90)) == []
    assert _row(uow, vid).processing_state is PROCESSING


def test_a_runner_renews_its_leases_and_no_one_else_can(uow, prod):
    now = utcnow()
    with uow() as s:
        vid = make_version(s, prod.artist, prod.task.id).id
        media_pipeline.claim(s, version_id=vid, holder="worker-a", now=now)
    later = now + timedelta(seconds=60)
    with uow() as s:
        assert media_pipeline.renew_leases(s, version_ids=[vid], holder="worker-b", now=later) == []
        assert media_pipeline.renew_leases(s, version_ids=[vid], holder="worker-a", now=later) == [
            vid
        ]
    assert _lease(uow, vid).expires_at == later + media_pipeline.LEASE_TTL
    with uow() as s:  # renewed: still live when the first lease would have run out
        assert media_pipeline.requeue_abandoned(s, now=now + timedelta(minutes=2, seconds=30)) == []


def test_a_version_whose_runner_stopped_renewing_goes_back_in_the_queue(uow, prod, delivered):
    now = utcnow()
    with uow() as s:
        vid = make_version(s, prod.artist, prod.task.id).id
        media_pipeline.claim(s, version_id=vid, holder="worker-that-died", now=now)
        unleased = make_version(s, prod.artist, prod.task.id).id  # claimed by an older release
        media_pipeline.claim(s, version_id=unleased)
        waiting = make_version(s, prod.artist, prod.task.id).id
    delivered.clear()
    with uow() as s:
        requeued = media_pipeline.requeue_abandoned(s, now=now + media_pipeline.LEASE_TTL)
    assert sorted(requeued) == [vid, unleased]
    assert {_row(uow, i).processing_state for i in (vid, unleased, waiting)} == {QUEUED}
    assert [e.payload["state"] for e in delivered] == ["QUEUED", "QUEUED"]
    assert _lease(uow, vid) is None


def test_a_finished_run_leaves_no_lease(uow, prod, storage, upload, clips):
    vid = upload(clips["h264"])
    assert media_pipeline.process_version(vid, storage=storage, uow=uow, holder="w") is READY
    assert _lease(uow, vid) is None
    broken = upload(clips["broken"])
    assert media_pipeline.process_version(broken, storage=storage, uow=uow, holder="w") is FAILED
    assert _lease(uow, broken) is None


def test_a_second_backend_worker_finishes_what_a_dead_one_started(
    uow, prod, storage, upload, clips
):
    """Several backend workers (Redis): none requeues at start, yet a version left in
    PROCESSING by a worker that died is taken again by another one's heartbeat."""
    from feedback_app.workers import MediaPipelineRunner

    vid = upload(clips["h264"])
    with uow() as s:  # the dead worker's claim, its lease already out of date
        media_pipeline.claim(s, version_id=vid, holder="dead", now=utcnow() - timedelta(minutes=10))
    runner = MediaPipelineRunner(storage=storage, uow=uow, heartbeat_seconds=0.2)
    runner.start()
    try:
        for _ in range(200):
            if _row(uow, vid).processing_state is READY:
                break
            time.sleep(0.05)
    finally:
        runner.stop()
    assert _row(uow, vid).processing_state is READY
    assert _lease(uow, vid) is None


def test_a_client_reads_the_state_but_not_the_internal_reason(uow, prod, storage, upload, clips):
    from tests.factories import share_version

    vid = upload(clips["broken"])
    _process(vid, storage, uow)
    with uow() as s:
        failed = s.get(Version, vid)
        state, error = failed.processing_state, failed.processing_error
        share_version(s, prod.supervisor, vid)  # (only a READY version can be shared) …
        shared = s.get(Version, vid)
        shared.processing_state, shared.processing_error = state, error  # … then it failed
        s.add(shared)
    with uow() as s:
        seen = media_pipeline.get_processing(s, actor=prod.client, version_id=vid)
        staff = media_pipeline.get_processing(s, actor=prod.supervisor, version_id=vid)
    assert (seen.state, seen.error) == ("FAILED", "Processing failed.")
    assert staff.error.startswith("FeedBack could not read")


def test_processing_works_from_s3_storage(uow, prod, s3_storage, clips):
    with clips["prores"].open("rb") as f:
        vid = uploads.upload_version(
            actor=prod.artist,
            task_id=prod.task.id,
            filename="p.mov",
            fileobj=f,
            storage=s3_storage,
            uow=uow,
        ).id
    assert _process(vid, s3_storage, uow) is READY
    v = _row(uow, vid)
    with s3_storage.local_copy(v.proxy_key) as proxy:
        assert media.probe(proxy).frame_count == FRAMES
    assert s3_storage.size(v.poster_key) > 0


def test_the_worker_pool_processes_after_commit_and_sweeps_at_start(uow, prod, storage, clips):
    from feedback_app.workers import MediaPipelineRunner

    with uow() as s:  # queued before the app started (e.g. during a restart)
        key = "m/00/" + "a" * 32 + ".mp4"
        storage.save_stream(key, io.BytesIO(clips["h264"].read_bytes()))
        early = make_version(s, prod.artist, prod.task.id, original_key=key).id
    runner = MediaPipelineRunner(max_workers=2, storage=storage, uow=uow)
    runner.start()
    try:
        with clips["h264"].open("rb") as f:
            late = uploads.upload_version(
                actor=prod.artist,
                task_id=prod.task.id,
                filename="late.mp4",
                fileobj=f,
                storage=storage,
                uow=uow,
            ).id
        for _ in range(200):
            if {_row(uow, early).processing_state, _row(uow, late).processing_state} == {READY}:
                break
            runner.wait_idle(0.1)
    finally:
        runner.stop()
    assert _row(uow, early).processing_state is READY
    assert _row(uow, late).processing_state is READY


def test_stopping_the_app_stops_a_running_transcode_and_requeues_it(
    uow, storage, upload, clips, monkeypatch
):
    """A restart must not wait for a long ProRes: the transcode is stopped, the version goes
    back to QUEUED for the next start, and nothing it made is left behind."""
    from feedback_app.workers import MediaPipelineRunner

    started = threading.Event()

    def slow_proxy(src, dst, **_):
        started.set()
        media._run(["sleep", "60"], background=True)

    monkeypatch.setattr(media, "make_proxy", slow_proxy)
    runner = MediaPipelineRunner(max_workers=1, storage=storage, uow=uow)
    runner.start()
    vid = upload(clips["prores"])
    assert started.wait(30)
    assert _row(uow, vid).processing_state is PROCESSING

    t0 = time.monotonic()
    runner.stop()

    assert time.monotonic() - t0 < 10
    v = _row(uow, vid)
    assert (v.processing_state, v.processing_error, v.proxy_key) == (QUEUED, None, None)
