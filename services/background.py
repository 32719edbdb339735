"""One background thread per process that works through what commits handed it, in order.

The live publishers (board, review rooms, feeds) and the media cleanup all follow commits this
way: `submit` never waits (the request that committed goes on), and everything queued while the
thread was busy reaches `handle` as one batch, so a burst of commits costs one message. `flush`
waits until what was submitted so far is handled (scripts at exit, tests).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class BatchWorker:
    def __init__(self, name: str, handle: Callable[[list[Any]], None]) -> None:
        self._name, self._handle = name, handle
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def _running(self) -> bool:
        return self._thread is not None and self._pid == os.getpid() and self._thread.is_alive()

    def submit(self, item: Any) -> None:
        if not self._running():
            # Web workers are forked after import: a thread belongs to the process that started it.
            with self._lock:
                if not self._running():
                    self._queue = queue.SimpleQueue()
                    self._pid = os.getpid()
                    self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                    self._thread.start()
        self._queue.put(item)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted so far is handled."""
        if not self._running():
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            batch: list[Any] = []
            waiting: list[threading.Event] = []
            while True:  # everything already queued goes as one batch
                if isinstance(item, threading.Event):
                    waiting.append(item)
                else:
                    batch.append(item)
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                try:
                    self._handle(batch)
                except Exception:  # a lost batch must never stop the next ones
                    log.exception("%s failed on %d items", self._name, len(batch))
            for done in waiting:
                done.set()
