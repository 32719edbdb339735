"""LocalDiskStorage: bytes in and out by key, atomic writes, keys that cannot escape the root."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from integrations.storage import InvalidKey, LocalDiskStorage, check_key, get_storage, new_key
from services.settings import Settings


@pytest.fixture
def storage(tmp_path) -> LocalDiskStorage:
    return LocalDiskStorage(tmp_path / "media")


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p.name.startswith(".")]


def test_saved_stream_reads_back_with_its_size(storage):
    data = b"frame data " * 1000

    size = storage.save_stream("versions/1/original.mp4", io.BytesIO(data), chunk_size=1024)

    assert size == len(data)
    assert storage.exists("versions/1/original.mp4")
    assert storage.size("versions/1/original.mp4") == len(data)
    with storage.open("versions/1/original.mp4") as f:
        assert f.read() == data
    assert storage.path_for("versions/1/original.mp4").read_bytes() == data


def test_save_stream_reads_in_chunks_of_the_given_size(storage):
    class Recorder(io.BytesIO):
        sizes: list[int] = []

        def read(self, n=-1):
            self.sizes.append(n)
            return super().read(n)

    src = Recorder(b"x" * 10_000)
    storage.save_stream("a/b.bin", src, chunk_size=4096)

    assert set(src.sizes) == {4096}
    assert len(src.sizes) == 4  # three chunks and the empty read that ends the stream


def test_save_file_replaces_an_existing_key_and_leaves_no_temp_files(storage, tmp_path):
    first, second = tmp_path / "v1.mp4", tmp_path / "v2.mp4"
    first.write_bytes(b"one")
    second.write_bytes(b"second version")

    storage.save_file("shots/sh010/thumb.jpg", first)
    storage.save_file("shots/sh010/thumb.jpg", second)

    assert storage.path_for("shots/sh010/thumb.jpg").read_bytes() == b"second version"
    assert _leftovers(storage.root) == []


def test_a_failed_write_keeps_the_old_file_and_no_partial_one(storage):
    storage.save_stream("k/file.bin", io.BytesIO(b"old"))

    class Broken(io.BytesIO):
        def read(self, n=-1):
            if self.tell() > 0:
                raise OSError("connection reset")
            return super().read(2)

    with pytest.raises(OSError, match="connection reset"):
        storage.save_stream("k/file.bin", Broken(b"new content"))

    assert storage.path_for("k/file.bin").read_bytes() == b"old"
    assert _leftovers(storage.root) == []


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../outside.mp4",
        "a/../../b",
        "a/./b",
        "/etc/passwd",
        "a//b",
        "a/",
        ".hidden",
        "a/.tmp-upload",
        "a\\b",
        "a/b c",
        "C:/x",
        "x" * 501,
    ],
)
def test_unsafe_keys_are_rejected(storage, key):
    with pytest.raises(InvalidKey):
        storage.path_for(key)
    with pytest.raises(InvalidKey):
        storage.save_stream(key, io.BytesIO(b"x"))


def test_a_symlink_cannot_lead_a_key_out_of_the_root(storage, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    storage.root.mkdir(parents=True)
    (storage.root / "link").symlink_to(outside)

    with pytest.raises(InvalidKey):
        storage.save_stream("link/evil.bin", io.BytesIO(b"x"))
    assert list(outside.iterdir()) == []


def test_delete_removes_a_key_and_tolerates_a_missing_one(storage):
    storage.save_stream("a/b.bin", io.BytesIO(b"x"))

    storage.delete("a/b.bin")
    storage.delete("a/b.bin")

    assert not storage.exists("a/b.bin")


def test_a_missing_key_raises_file_not_found(storage):
    with pytest.raises(FileNotFoundError):
        storage.open("nope/none.mp4")
    with pytest.raises(FileNotFoundError):
        storage.size("nope/none.mp4")


def test_new_keys_are_fresh_and_valid():
    keys = {new_key("versions/12", ".MP4") for _ in range(50)}

    assert len(keys) == 50
    for key in keys:
        assert check_key(key).startswith("versions/12/") and key.endswith(".mp4")
    with pytest.raises(InvalidKey):
        new_key("versions", "../mp4")


def test_get_storage_uses_the_configured_media_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_MEDIA_ROOT", str(tmp_path / "elsewhere"))

    storage = get_storage()
    storage.save_stream("x/y.bin", io.BytesIO(b"1"))

    assert isinstance(storage, LocalDiskStorage)
    assert (tmp_path / "elsewhere" / "x" / "y.bin").read_bytes() == b"1"
    assert get_storage(Settings.from_env()).root == (tmp_path / "elsewhere").resolve()


def test_read_range_yields_the_bytes_asked_for_in_chunks(storage):
    data = bytes(range(256)) * 100
    storage.save_stream("m/aa/r.mp4", io.BytesIO(data))

    chunks = list(storage.read_range("m/aa/r.mp4", 1000, 5000, chunk_size=2048))

    assert [len(c) for c in chunks] == [2048, 2048, 904]
    assert b"".join(chunks) == data[1000:6000]
    assert b"".join(storage.read_range("m/aa/r.mp4", len(data) - 3, 100)) == data[-3:]


def test_local_disk_has_no_presigned_urls_and_its_local_copy_is_the_file(storage):
    storage.save_stream("m/bb/c.mov", io.BytesIO(b"abc"))
    assert storage.presigned_url("m/bb/c.mov", expires_in=60) is None
    with storage.local_copy("m/bb/c.mov") as path:
        assert path == storage.path_for("m/bb/c.mov")
    assert path.exists()  # the original, not a temporary copy


def test_stale_partial_files_of_a_crashed_writer_are_removed(storage):
    import os
    import time

    storage.save_stream("m/cc/keep.mp4", io.BytesIO(b"done"))
    folder = storage.path_for("m/cc/keep.mp4").parent
    old, fresh = folder / ".x.mp4.abc.part", folder / ".y.mp4.def.part"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))

    assert storage.remove_stale_partials(older_than_seconds=86400) == 1

    assert not old.exists() and fresh.exists()
    assert storage.exists("m/cc/keep.mp4")


def test_opaque_keys_say_nothing_and_never_repeat():
    from integrations.storage import opaque_key

    keys = {opaque_key("MOV") for _ in range(100)}
    assert len(keys) == 100
    for key in keys:
        check_key(key)
        folder, name = key.split("/")[1:]
        assert key.startswith("m/") and name.endswith(".mov") and name.startswith(folder)
    with pytest.raises(InvalidKey):
        opaque_key("../mp4")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("m/aa/x.mp4", "video/mp4"),
        ("m/aa/x.mov", "video/quicktime"),
        ("m/aa/x.webm", "video/webm"),
        ("m/aa/x.mkv", "video/x-matroska"),
        ("m/aa/x.jpg", "image/jpeg"),
        ("m/aa/x.png", "image/png"),
        ("m/aa/x", "application/octet-stream"),
    ],
)
def test_content_types_of_stored_media(key, expected):
    from integrations.storage import content_type

    assert content_type(key) == expected


def test_a_big_stream_is_written_out_step_by_step_and_reads_back_whole(storage, monkeypatch):
    from integrations import storage as storage_module

    calls: list[tuple[int, int]] = []
    real = storage_module._release_pages
    monkeypatch.setattr(storage_module, "WRITEBACK_STEP", 10_000)
    monkeypatch.setattr(
        storage_module,
        "_release_pages",
        lambda fd, offset, length: (calls.append((offset, length)), real(fd, offset, length)),
    )
    data = bytes(range(256)) * 180  # 46,080 bytes: three steps of 12,288 and a tail

    size = storage.save_stream("versions/2/original.mov", io.BytesIO(data), chunk_size=4096)

    assert size == len(data)
    assert storage.path_for("versions/2/original.mov").read_bytes() == data
    # Each step starts writing itself out and lets the step before it go; after the fsync the
    # whole file (offset 0, length 0: to the end) is released.
    step = 12_288
    assert calls == [
        (0, step),
        (0, step),
        (step, step),
        (step, step),
        (2 * step, step),
        (0, 0),
    ]
    assert _leftovers(storage.root) == []


def _cached_pages(path: Path) -> int | None:
    """Pages of path in the page cache (util-linux fincore), None when it cannot tell."""
    import shutil
    import subprocess

    if shutil.which("fincore") is None:
        return None
    out = subprocess.run(
        ["fincore", "--bytes", "--noheadings", "--output", "PAGES", str(path)],
        capture_output=True,
        text=True,
    )
    return int(out.stdout.split()[0]) if out.returncode == 0 and out.stdout.strip() else None


def test_a_stored_upload_does_not_stay_in_the_page_cache(storage):
    import os

    data = os.urandom(3 * 1024 * 1024)
    storage.root.mkdir(parents=True, exist_ok=True)
    probe = storage.root / "probe.bin"
    probe.write_bytes(data)  # written the ordinary way, it is cached
    if not _cached_pages(probe):
        pytest.skip("no fincore here, or this file system keeps no page cache to release")

    storage.save_stream("versions/3/original.mov", io.BytesIO(data))

    # A 2 GiB master must not push the database's pages out of memory.
    assert _cached_pages(storage.path_for("versions/3/original.mov")) == 0
    assert storage.path_for("versions/3/original.mov").read_bytes() == data


def test_pieces_are_written_whole_and_in_order_when_the_kernel_takes_less_per_call(
    storage, monkeypatch
):
    """os.writev may write only part of what it was given (a signal, a full pipe, a quota)."""
    import os

    from integrations import storage as storage_module

    real_writev = os.writev
    sizes: list[int] = []

    def stingy_writev(fd, buffers):
        first = bytes(buffers[0])[:7]  # at most 7 bytes, and only from the first piece
        sizes.append(real_writev(fd, [first]))
        return sizes[-1]

    monkeypatch.setattr(storage_module.os, "writev", stingy_writev)

    class Pieces(io.RawIOBase):
        def __init__(self, pieces):
            self._pieces = list(pieces)

        def read_parts(self, n=-1):
            out, self._pieces = self._pieces[:3], self._pieces[3:]
            return out

    pieces = [bytes([i]) * (5 + 3 * i) for i in range(8)] + [b""]
    size = storage.save_stream("versions/4/original.mov", Pieces(pieces))

    data = b"".join(pieces)
    assert size == len(data)
    assert storage.path_for("versions/4/original.mov").read_bytes() == data
    assert max(sizes) == 7 and len(sizes) > len(pieces)
