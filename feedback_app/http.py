"""HTTP routes beside Reflex's pages and events: streamed version uploads and signed media.

Mounted in one place, feedback_app.app (rx.App(api_transformer=api())). Handlers only speak
HTTP: they parse the request, stream bytes and call services, which hold every rule and
permission. Blocking work (storage, ffprobe, the database) runs in worker threads, never on the
event loop.

POST /api/tasks/{task_id}/versions?filename=…[&description=…][&move_to_review=0][&notify=0]
    body: the file's raw bytes (XMLHttpRequest.send(file): its upload events give progress).
    cookie: fb_session. 201 {"version_id", "number", "label"}; refusals are
    {"error": "<message for the uploader>"} with 400/401/403/404/413/415.
GET|HEAD /media/<opaque key>?exp=…&sig=…[&dl=…]
    a link from services.media_access; answers Range requests (206, Content-Range).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import anyio
import anyio.from_thread
import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from feedback_app import routes
from integrations.storage import attachment, get_storage
from services import auth, media_access, uploads
from services.db import session_scope
from services.errors import (
    AuthError,
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from services.settings import get_settings
from state.base import SESSION_COOKIE

log = logging.getLogger(__name__)

# Uploads hold a worker thread for as long as their bytes arrive: give them a limiter of their
# own so that many slow uploads never starve the shared pool other requests use.
_UPLOAD_THREADS = anyio.CapacityLimiter(32)
MEDIA_CHUNK = 512 * 1024


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _status_for(exc: DomainError) -> int:
    if isinstance(exc, uploads.UploadRefused):
        return exc.http_status
    for kind, status in (
        (AuthError, 401),
        (PermissionDenied, 403),
        (NotFound, 404),
        (Conflict, 409),
        (ValidationError, 400),
    ):
        if isinstance(exc, kind):
            return status
    return 400


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def _same_site(request: Request) -> bool:
    """Refuse a cross-site POST even if a browser sent the cookie (it is SameSite=Strict, so
    this is a second lock): the Origin, when sent, must name this host."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    hosts = {request.url.hostname, urlsplit(get_settings().base_url).hostname}
    forwarded = request.headers.get("x-forwarded-host")
    if forwarded:
        hosts.add(urlsplit(f"//{forwarded.split(',')[0].strip()}").hostname)
    return urlsplit(origin).hostname in hosts - {None}


class _BodyPipe:
    """The request body as a blocking file object for a worker thread, with read-ahead.

    pump() runs on the event loop and receives chunks while the thread writes earlier ones,
    so receiving and writing overlap; at most `limit` bytes wait in between (then pump() waits
    for the writer), so memory stays bounded whatever the file size. An error while receiving
    (ClientDisconnect when the browser cancels) comes out of read() in the thread.
    """

    _EOF = object()

    def __init__(self, stream: AsyncIterator[bytes], limit: int = 16 * 1024 * 1024):
        self._stream, self._limit = stream, limit
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._buffered = 0
        self._room: anyio.Event | None = None  # set when pump() waits for the writer
        self._rest = b""
        self._done = False
        self._failure: BaseException | None = None

    async def pump(self) -> None:
        try:
            async for chunk in self._stream:
                if not chunk:
                    continue
                with self._lock:
                    self._buffered += len(chunk)
                    room = self._room = anyio.Event() if self._buffered >= self._limit else None
                self._queue.put(chunk)
                if room is not None:
                    await room.wait()
            self._queue.put(self._EOF)
        except BaseException as exc:  # the reader must never wait forever
            self._queue.put(exc)
            if not isinstance(exc, Exception):
                raise

    def read_parts(self, n: int = -1) -> list[bytes]:
        """The next pieces of the body as they arrived, about n bytes in all; [] only at the end.

        Waits only for the first piece, then takes whatever else has already arrived. The writer
        hands the list to os.writev, so the pieces are never joined: one memory copy less per
        byte than read(), which is most of the difference on a machine of two cores.
        """
        if self._rest:
            out, self._rest = self._rest, b""
            return [out]
        if self._done:
            failure, self._failure = self._failure, None
            if failure is not None:
                raise failure
            return []
        return self._gather(n if n is not None and n > 0 else self._limit)

    def read(self, n: int = -1) -> bytes:
        """Up to n bytes (fewer is fine for a stream); b"" only at the end.

        Waits only for the first chunk, then takes whatever else has already arrived (up to n):
        the writer gets about 1 MiB per call instead of the server's 64 KiB pieces, so it makes
        fewer system calls and takes the GIL from the event loop less often.
        """
        if not self._rest:
            if self._done:
                failure, self._failure = self._failure, None
                if failure is not None:
                    raise failure
                return b""
            parts = self._gather(n if n is not None and n > 0 else self._limit)
            self._rest = parts[0] if len(parts) == 1 else b"".join(parts)
        if n is None or n < 0 or n >= len(self._rest):
            out, self._rest = self._rest, b""
        else:
            out, self._rest = self._rest[:n], self._rest[n:]
        return out

    def _gather(self, want: int) -> list[bytes]:
        parts: list[bytes] = []
        got = 0
        while got < want:
            try:
                item = self._queue.get(block=not parts)
            except queue.Empty:
                break
            if item is self._EOF:
                self._done = True
                break
            if isinstance(item, BaseException):
                self._done = True
                if not parts:
                    raise item
                self._failure = item  # raised by the next read, after these bytes
                break
            parts.append(item)
            got += len(item)
        if got:
            with self._lock:
                self._buffered -= got
                room = self._room if self._buffered < self._limit // 2 else None
                if room is not None:
                    self._room = None
            if room is not None:
                anyio.from_thread.run_sync(room.set)
        return parts


def _upload_blocking(token: str | None, task_id: int, request_args: dict, reader) -> dict:
    with session_scope() as s:
        actor = auth.resolve(s, token=token)
    if actor is None:
        raise AuthError("Your session has ended. Sign in again.")
    version = uploads.upload_version(actor=actor, task_id=task_id, fileobj=reader, **request_args)
    return {"version_id": version.id, "number": version.number, "label": version.label}


async def upload_version(request: Request) -> Response:
    if not _same_site(request):
        return _error(403, "Uploads from another site are refused.")
    if request.path_params["task_id"] > 2**31 - 1:  # not an id any database column holds
        return _error(404, "Task not found.")
    q = request.query_params
    length = request.headers.get("content-length")
    if length is not None and not (length.isascii() and length.isdecimal()):
        return _error(400, "Bad Content-Length.")
    args = {
        "filename": q.get("filename"),
        "declared_size": int(length) if length is not None else None,
        "options": uploads.UploadOptions(
            move_to_review=_flag(q.get("move_to_review"), True),
            notify=_flag(q.get("notify"), True),
            description=q.get("description", ""),
        ),
    }
    pipe = _BodyPipe(request.stream())
    work = functools.partial(
        _upload_blocking,
        request.cookies.get(SESSION_COOKIE),
        request.path_params["task_id"],
        args,
        pipe,
    )
    created: dict | None = None
    failure: Exception | None = None
    async with anyio.create_task_group() as tg:
        tg.start_soon(pipe.pump)
        try:
            created = await anyio.to_thread.run_sync(work, limiter=_UPLOAD_THREADS)
        except Exception as exc:  # answered below: inside, the task group would wrap it
            failure = exc
        finally:
            tg.cancel_scope.cancel()  # the thread is done: stop receiving
    if failure is None:
        return JSONResponse(created, status_code=201)
    task_id = request.path_params["task_id"]
    if isinstance(failure, ClientDisconnect):
        log.info("upload to task %s cancelled by the client", task_id)
        return Response(status_code=400)  # nobody is listening any more
    if isinstance(failure, DomainError):
        return _error(_status_for(failure), str(failure))
    log.error("upload to task %s failed", task_id, exc_info=failure)
    return _error(500, "The upload failed on the server; nothing was saved. Try again.")


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range asked for, as (first, last) inclusive; None for the whole file (no
    header, another unit, several ranges or a malformed one: RFC 9110 lets us ignore those).
    RangeNotSatisfiable when it starts past the end."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdecimal() or first == "") or not (last.isdecimal() or last == ""):
        return None
    if first == "":  # the last N bytes
        if last == "" or int(last) == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - int(last)), size - 1
    start = int(first)
    if last != "" and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable
    return start, size - 1 if last == "" else min(int(last), size - 1)


async def media(request: Request) -> Response:
    q = request.query_params
    key = request.path_params["key"]
    try:
        target = media_access.verify(key, exp=q.get("exp"), sig=q.get("sig"), dl=q.get("dl"))
    except media_access.LinkInvalid as exc:
        return _error(403, str(exc))
    storage = get_storage()
    try:
        size = await anyio.to_thread.run_sync(storage.size, target.key)
    except FileNotFoundError:
        return _error(404, "This file no longer exists.")
    etag = f'"{hashlib.sha256(target.key.encode()).hexdigest()[:24]}-{size}"'  # keys never change
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Type": target.content_type,
        "ETag": etag,
        "Cache-Control": f"private, max-age={max(0, target.expires_at - int(time.time()))}",
        "X-Content-Type-Options": "nosniff",
    }
    if target.download_name:
        headers["Content-Disposition"] = attachment(target.download_name)
    if_range = request.headers.get("if-range")
    try:
        wanted = (
            None
            if if_range and if_range != etag
            else parse_range(request.headers.get("range"), size)
        )
    except RangeNotSatisfiable:
        headers["Content-Range"] = f"bytes */{size}"
        return Response(status_code=416, headers=headers)
    start, end = wanted if wanted else (0, size - 1)
    length = end - start + 1 if size else 0
    headers["Content-Length"] = str(length)
    status = 206 if wanted else 200
    if wanted:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    if request.method == "HEAD" or length == 0:
        return Response(status_code=status, headers=headers)
    body = storage.read_range(target.key, start, length, MEDIA_CHUNK)
    return StreamingResponse(body, status_code=status, headers=headers)


def route_list() -> list[BaseRoute]:
    return [
        Route(routes.API_TASK_VERSIONS, upload_version, methods=["POST"]),
        Route(routes.MEDIA, media, methods=["GET", "HEAD"]),
    ]


def api() -> Starlette:
    """The routes as a Starlette app: Reflex mounts its own app inside it (api_transformer),
    and tests and the upload bench serve it alone."""
    return Starlette(routes=route_list())
