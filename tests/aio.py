"""`run(coro)`: asyncio.run() for tests that share the process with Playwright's sync API.

In a full run the browser tests start first, and Playwright's sync API leaves an event loop
running in the main thread for the rest of the session, where asyncio.run() refuses to start.
The coroutine runs on a fresh loop in a thread of its own instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as e:  # re-raised in the test's thread
            box["error"] = e

    thread = threading.Thread(target=target, name="test-asyncio")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")
