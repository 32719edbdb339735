"""feedback_app.http._BodyPipe: the request body as a blocking file for the upload thread."""

from __future__ import annotations

import anyio
import anyio.to_thread
import pytest

from feedback_app.http import _BodyPipe
from tests.aio import run


async def _chunks(items: list[bytes | BaseException]):
    for item in items:
        if isinstance(item, BaseException):
            raise item
        yield item


def _drain(pipe: _BodyPipe, n: int) -> tuple[list[bytes], BaseException | None]:
    reads: list[bytes] = []
    try:
        while chunk := pipe.read(n):
            reads.append(chunk)
    except Exception as exc:  # noqa: BLE001 - the test looks at what came out
        return reads, exc
    return reads, None


def _through_pipe(items, n: int, limit: int = 1 << 20):
    async def main():
        pipe = _BodyPipe(_chunks(items), limit=limit)
        async with anyio.create_task_group() as tg:
            tg.start_soon(pipe.pump)
            return await anyio.to_thread.run_sync(_drain, pipe, n)

    return run(main())


def test_every_byte_comes_out_in_order_and_no_read_is_longer_than_asked():
    items = [bytes([i]) * (1000 + i) for i in range(50)]

    reads, failure = _through_pipe(items, n=4096)

    assert failure is None
    assert b"".join(reads) == b"".join(items)
    assert all(0 < len(r) <= 4096 for r in reads)


def test_chunks_that_arrived_together_come_out_in_one_read():
    """The writer takes what has already arrived in one go (fewer writes, fewer GIL trips)."""

    async def main():
        pipe = _BodyPipe(_chunks([b"a" * 100, b"b" * 100, b"c" * 100]))
        await pipe.pump()  # everything is queued before the reader starts
        return await anyio.to_thread.run_sync(_drain, pipe, 1 << 20)

    reads, failure = run(main())

    assert failure is None
    assert reads == [b"a" * 100 + b"b" * 100 + b"c" * 100]


def test_a_disconnect_comes_out_after_the_bytes_that_arrived_before_it():
    reads, failure = _through_pipe([b"x" * 10, b"y" * 10, ConnectionResetError("gone")], n=100)

    assert b"".join(reads) == b"x" * 10 + b"y" * 10
    assert isinstance(failure, ConnectionResetError)


@pytest.mark.parametrize("limit", [64, 1000])
def test_a_small_read_ahead_limit_still_delivers_everything(limit):
    """pump() waits for the writer whenever `limit` bytes are queued, and is woken again."""
    items = [bytes([i % 251]) * 300 for i in range(200)]

    reads, failure = _through_pipe(items, n=512, limit=limit)

    assert failure is None
    assert b"".join(reads) == b"".join(items)


def _drain_parts(pipe: _BodyPipe, n: int) -> tuple[list[list[bytes]], BaseException | None]:
    calls: list[list[bytes]] = []
    try:
        while parts := pipe.read_parts(n):
            calls.append(parts)
    except Exception as exc:  # noqa: BLE001 - the test looks at what came out
        return calls, exc
    return calls, None


def test_read_parts_hands_over_what_arrived_together_as_the_same_pieces():
    """Local storage writes the list with one writev: the pieces are never joined (copied)."""
    items = [b"a" * 100, b"b" * 100, b"c" * 100]

    async def main():
        pipe = _BodyPipe(_chunks(items))
        await pipe.pump()
        return await anyio.to_thread.run_sync(_drain_parts, pipe, 1 << 20)

    calls, failure = run(main())

    assert failure is None
    assert calls == [items]
    assert all(got is sent for got, sent in zip(calls[0], items, strict=True))


def test_read_parts_stops_near_the_size_asked_and_a_disconnect_comes_after_the_bytes():
    items = [bytes([i]) * 100 for i in range(10)]

    async def main():
        pipe = _BodyPipe(_chunks([*items, ConnectionResetError("gone")]))
        await pipe.pump()
        return await anyio.to_thread.run_sync(_drain_parts, pipe, 250)

    calls, failure = run(main())

    assert [b"".join(parts) for parts in calls] == [
        b"".join(items[i : i + 3]) for i in (0, 3, 6)
    ] + [items[9]]
    assert isinstance(failure, ConnectionResetError)


def test_read_and_read_parts_can_take_turns_without_losing_a_byte():
    items = [bytes([i]) * 300 for i in range(6)]

    def mixed(pipe: _BodyPipe) -> bytes:
        out = pipe.read(100)  # leaves 200 bytes of the first gather behind
        while True:
            parts = pipe.read_parts(1000)
            if not parts:
                return out
            out += b"".join(parts) + pipe.read(50)

    async def main():
        pipe = _BodyPipe(_chunks(items))
        async with anyio.create_task_group() as tg:
            tg.start_soon(pipe.pump)
            return await anyio.to_thread.run_sync(mixed, pipe)

    assert run(main()) == b"".join(items)
