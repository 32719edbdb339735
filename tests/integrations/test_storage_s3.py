"""S3Storage against a real S3 API server on loopback (moto's server mode): multipart
streaming that never holds the file, all-or-nothing writes, ranged reads, presigned links."""

from __future__ import annotations

import io
import os
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from integrations.storage import (
    InvalidKey,
    NotLocal,
    S3Storage,
    StorageError,
    get_storage,
    opaque_key,
)
from services.settings import Settings
from tests.servers import MOTO_KEYS

MiB = 1024 * 1024


class Generated(io.RawIOBase):
    """size bytes of a repeatable pattern, made on demand: the test never holds the file
    either. fail_after makes read() raise once that many bytes were handed out."""

    def __init__(self, size: int, fail_after: int | None = None):
        self.size, self.pos, self.fail_after = size, 0, fail_after
        self.largest_read = 0

    @staticmethod
    def expected(start: int, length: int) -> bytes:
        return bytes((i * 7 + 3) % 251 for i in range(start, start + length))

    def read(self, n: int = -1) -> bytes:
        if self.fail_after is not None and self.pos >= self.fail_after:
            raise ConnectionResetError("client went away")
        n = self.size - self.pos if n is None or n < 0 else min(n, self.size - self.pos)
        self.largest_read = max(self.largest_read, n)
        block = bytes((i * 7 + 3) % 251 for i in range(self.pos % 251, self.pos % 251 + 251))
        reps = n // 251 + 2
        out = (block * reps)[:n]
        self.pos += n
        return out


def _parts_seen(storage: S3Storage, source: Generated | None = None) -> list[tuple[int, int]]:
    """(part size, bytes read from the source so far) at each UploadPart request."""
    seen: list[tuple[int, int]] = []

    def record(params, **_):
        seen.append((len(params["Body"]), source.pos if source else 0))

    storage.client.meta.events.register("before-parameter-build.s3.UploadPart", record)
    return seen


def test_small_file_round_trips_in_one_put(s3_storage):
    data = os.urandom(1000)

    assert s3_storage.save_stream("m/ab/clip.mp4", io.BytesIO(data)) == 1000

    assert s3_storage.exists("m/ab/clip.mp4")
    assert s3_storage.size("m/ab/clip.mp4") == 1000
    with s3_storage.open("m/ab/clip.mp4") as f:
        assert f.read() == data
    head = s3_storage.client.head_object(Bucket=s3_storage.bucket, Key="m/ab/clip.mp4")
    assert head["ContentType"] == "video/mp4"


def test_large_file_streams_as_multipart_without_holding_the_file(s3_storage):
    part = S3Storage.MIN_PART_SIZE
    size = 6 * part + 12345  # 30 MiB and change: 7 parts
    source = Generated(size)
    seen = _parts_seen(s3_storage, source)

    stored = s3_storage.save_stream("m/cd/big.mov", source)

    assert stored == size == s3_storage.size("m/cd/big.mov")
    assert [n for n, _ in seen] == [part] * 6 + [12345]
    # Each part is sent as soon as it is read: the source is never more than one part ahead.
    assert all(read <= (i + 1) * part for i, (_, read) in enumerate(seen))
    assert source.largest_read <= 1 * MiB  # read in chunks, not in one go
    tail = b"".join(s3_storage.read_range("m/cd/big.mov", size - 100, 100))
    assert tail == Generated.expected(size - 100, 100)


def test_an_interrupted_stream_leaves_no_object_and_no_pending_upload(s3_storage):
    source = Generated(40 * MiB, fail_after=12 * MiB)

    with pytest.raises(ConnectionResetError):
        s3_storage.save_stream("m/ef/cut.mov", source)

    assert not s3_storage.exists("m/ef/cut.mov")
    uploads = s3_storage.client.list_multipart_uploads(Bucket=s3_storage.bucket)
    assert uploads.get("Uploads", []) == []


def test_an_overwrite_replaces_the_object(s3_storage):
    s3_storage.save_stream("m/aa/x.png", io.BytesIO(b"old"))
    s3_storage.save_stream("m/aa/x.png", io.BytesIO(b"newer"))
    with s3_storage.open("m/aa/x.png") as f:
        assert f.read() == b"newer"


def test_read_range_returns_exactly_the_bytes_asked_for(s3_storage):
    data = os.urandom(3 * MiB + 7)
    s3_storage.save_stream("m/11/r.mp4", io.BytesIO(data))

    def read(start, length, chunk=64 * 1024):
        return b"".join(s3_storage.read_range("m/11/r.mp4", start, length, chunk))

    assert read(0, 10) == data[:10]
    assert read(1_000_000, 2 * MiB) == data[1_000_000 : 1_000_000 + 2 * MiB]
    assert read(len(data) - 5, 100) == data[-5:]  # past the end: what there is
    assert read(5, 0) == b""


def test_missing_keys(s3_storage):
    assert not s3_storage.exists("m/00/none.mp4")
    with pytest.raises(FileNotFoundError):
        s3_storage.open("m/00/none.mp4")
    with pytest.raises(FileNotFoundError):
        s3_storage.size("m/00/none.mp4")
    with pytest.raises(FileNotFoundError):
        list(s3_storage.read_range("m/00/none.mp4", 0, 10))
    s3_storage.delete("m/00/none.mp4")  # absent is not an error


def test_delete_removes_the_object(s3_storage):
    s3_storage.save_stream("m/22/d.jpg", io.BytesIO(b"\xff\xd8\xff"))
    s3_storage.delete("m/22/d.jpg")
    assert not s3_storage.exists("m/22/d.jpg")


@pytest.mark.parametrize("key", ["../etc/passwd", "m/../x.mp4", "/abs.mp4", "m//x.mp4", ""])
def test_keys_are_checked_before_any_request(s3_storage, key):
    with pytest.raises(InvalidKey):
        s3_storage.save_stream(key, io.BytesIO(b"x"))
    with pytest.raises(InvalidKey):
        s3_storage.exists(key)


def test_there_is_no_local_path_but_a_local_copy_for_ffmpeg(s3_storage):
    data = os.urandom(2 * MiB)
    s3_storage.save_stream("m/33/c.mov", io.BytesIO(data))
    with pytest.raises(NotLocal):
        s3_storage.path_for("m/33/c.mov")

    with s3_storage.local_copy("m/33/c.mov") as path:
        assert path.read_bytes() == data
        assert path.suffix == ".mov"
    assert not path.exists()


def test_presigned_url_serves_ranges_type_and_download_name(s3_storage):
    data = os.urandom(100_000)
    s3_storage.save_stream("m/44/p.mov", io.BytesIO(data))

    url = s3_storage.presigned_url(
        "m/44/p.mov", expires_in=120, content_type="video/quicktime", download_name="SH010 v002.mov"
    )

    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["120"]
    r = httpx.get(url, headers={"Range": "bytes=10-19"})
    assert r.status_code == 206
    assert r.content == data[10:20]
    assert r.headers["content-range"] == "bytes 10-19/100000"
    assert r.headers["content-type"] == "video/quicktime"
    assert r.headers["content-disposition"].startswith('attachment; filename="SH010 v002.mov"')


def test_presigning_can_be_switched_off_and_signs_for_the_public_endpoint(s3_endpoint):
    off = S3Storage("bucket-x", endpoint_url=s3_endpoint, presign=False, **MOTO_KEYS)
    assert off.presigned_url("m/55/a.mp4", expires_in=60) is None

    public = S3Storage(
        "bucket-x",
        endpoint_url=s3_endpoint,
        public_endpoint_url="https://media.studio.example",
        **MOTO_KEYS,
    )
    url = public.presigned_url("m/55/a.mp4", expires_in=60)
    assert url.startswith("https://media.studio.example/bucket-x/m/55/a.mp4?")


def test_a_prefix_keeps_the_app_in_its_own_folder_of_the_bucket(s3_storage, s3_endpoint):
    prefixed = S3Storage(
        s3_storage.bucket, endpoint_url=s3_endpoint, prefix="/feedback/", **MOTO_KEYS
    )
    prefixed.save_stream("m/66/a.png", io.BytesIO(b"\x89PNG"))

    listed = s3_storage.client.list_objects_v2(Bucket=s3_storage.bucket)["Contents"]
    assert [o["Key"] for o in listed] == ["feedback/m/66/a.png"]
    assert prefixed.exists("m/66/a.png") and not s3_storage.exists("m/66/a.png")


def test_part_size_below_the_s3_minimum_is_refused(s3_endpoint):
    with pytest.raises(ValueError):
        S3Storage("b-min", endpoint_url=s3_endpoint, part_size=1024, **MOTO_KEYS)


def test_get_storage_picks_s3_from_the_environment(monkeypatch, s3_endpoint):
    monkeypatch.setenv("FEEDBACK_STORAGE", "s3")
    monkeypatch.setenv("FEEDBACK_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("FEEDBACK_S3_BUCKET", "from-env")
    monkeypatch.setenv("FEEDBACK_S3_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    storage = get_storage()

    assert isinstance(storage, S3Storage)
    assert (storage.bucket, storage.client.meta.region_name) == ("from-env", "eu-west-3")
    assert get_storage() is storage  # one client per configuration
    storage.client.create_bucket(
        Bucket="from-env", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    key = opaque_key("mp4")
    storage.save_stream(key, io.BytesIO(b"abc"))
    assert storage.size(key) == 3


def test_s3_without_a_bucket_or_an_unknown_backend_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("FEEDBACK_STORAGE", "s3")
    monkeypatch.delenv("FEEDBACK_S3_BUCKET", raising=False)
    with pytest.raises(StorageError, match="FEEDBACK_S3_BUCKET"):
        get_storage(Settings.from_env())
    monkeypatch.setenv("FEEDBACK_STORAGE", "ftp")
    with pytest.raises(StorageError, match="'local' or 's3'"):
        get_storage(Settings.from_env())
