"""A request-rate limit shared by every thread and process on one machine.

The SEC's fair-access policy allows at most 10 requests per second from one user. A run may use
several threads and processes, so the limit lives in a small file locked with ``fcntl.flock``:
it holds the next free time slot (wall-clock seconds). Each request takes the slot, moves it on
by ``1 / rps`` and sleeps until its slot comes. This is a token bucket holding one token, so no
burst can push a one-second window above ``rps``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["RateLimiter", "limiter_path"]


def limiter_path(base_url: str) -> Path:
    """One file per base URL, in the temp dir, so every cache dir and process shares it."""
    key = hashlib.sha256(base_url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"form4-edgar-rate-{key}"


# Requests leave a little later than their slot (threads wait for the interpreter, the network
# stack queues them), so slots spaced exactly 1/rps apart can land rps + 1 requests inside one
# second at the server. Spacing them 8 % wider leaves 80 ms of such delay before that can happen.
MARGIN = 1.08


class RateLimiter:
    """Spaces requests ``MARGIN / rps`` seconds apart across threads and processes."""

    def __init__(self, rps: float, path: Path) -> None:
        if rps <= 0:
            raise ValueError("rps must be positive")
        self.interval = MARGIN / rps
        self.path = path
        self._threads = threading.Lock()  # flock excludes other processes; this, this one's threads
        self._fd = -1
        self._pid = 0

    def acquire(self) -> None:
        """Wait until this caller's slot comes."""
        wait = self._reserve() - time.time()
        if wait > 0:  # sleep(0) alone costs a system call
            time.sleep(wait)

    def _reserve(self) -> float:
        with self._threads:
            fd = self._file()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                raw = os.pread(fd, 64, 0).strip()
                try:
                    next_free = float(raw) if raw else 0.0
                except ValueError:  # a torn or foreign file: start afresh
                    next_free = 0.0
                slot = max(time.time(), next_free)
                os.pwrite(fd, f"{slot + self.interval:<32.6f}".encode(), 0)  # fixed width: no truncation
                return slot
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _file(self) -> int:
        """The open limiter file, opened once per process (a forked child opens its own: flock
        locks belong to the open file, which a fork would share)."""
        if self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd
