"""``GET /api/stream``: the transactions a server's watch stores, as server-sent events.

Each event is one transaction, its ``data`` a row as /api/transactions lists it, its ``id`` the
server's run and the event's number (``3f9a0c1e-42``), in the order the rows were stored. The
server keeps the latest ``Settings.stream_events`` events in memory: a client that reconnects
with ``Last-Event-ID`` (EventSource does so by itself) is sent every event after that one, none
missed and none twice. The events are not kept in the store: an id the server no longer holds
(older than what it keeps, or from a run before a restart) is answered with a ``reset`` event
first, then every event held; a client that gets one reads /api/transactions for what came
before. A stream with nothing to send sends a comment every ``Settings.heartbeat_seconds``, so
that proxies keep it open.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import threading
from collections import deque
from collections.abc import AsyncIterator, Iterable
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from form4.api.errors import ApiError

router = APIRouter(prefix="/api")
RETRY_MS = 3000  # how soon a client whose stream broke tries again


class Events:
    """The latest ``size`` events, numbered from 1 in the order published. ``publish`` may be
    called from any thread; streams follow on the server's event loop (``bind``)."""

    def __init__(self, size: int = 10_000) -> None:
        self.run = secrets.token_hex(4)  # ids of an earlier run of the server are not ours
        self._held: deque[tuple[int, bytes]] = deque(maxlen=size)
        self._last = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed = asyncio.Event()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def publish(self, rows: Iterable[bytes]) -> int:
        """Add events (each a JSON row); how many."""
        with self._lock:
            before = self._last
            for row in rows:
                self._last += 1
                self._held.append((self._last, row))
            added = self._last - before
        if added and self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake)
        return added

    def _wake(self) -> None:  # on the loop: every stream waiting now wakes, later ones wait anew
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def _after(self, number: int) -> tuple[list[tuple[int, bytes]], bool]:
        """The events held after ``number``, and whether some after it are no longer held."""
        with self._lock:
            first = self._held[0][0] if self._held else self._last + 1
            return [e for e in self._held if e[0] > number], number + 1 < first

    def _start(self, last_event_id: str | None) -> tuple[int, bool]:
        """The number to follow from, and whether the client may have missed events (a reset)."""
        with self._lock:
            latest = self._last
        if last_event_id is None:
            return latest, False  # a new client: what is stored from now on
        run, _, number = last_event_id.strip().partition("-")
        if run != self.run or not number.isdigit() or int(number) > latest:
            return 0, True  # not an id of this run: everything held, after a reset
        return int(number), False

    async def follow(self, last_event_id: str | None, heartbeat: float) -> AsyncIterator[bytes]:
        """A stream's bytes: the events after ``last_event_id`` (or from now), as they come."""
        after, lost = self._start(last_event_id)
        yield f"retry: {RETRY_MS}\n\n".encode()
        while True:
            changed = self._changed  # taken before reading: a publish from now on wakes this stream
            events, gap = self._after(after)
            if lost or gap:
                yield b"event: reset\ndata: {\"reason\": \"events were missed: read /api/transactions\"}\n\n"
                lost = False
            for number, row in events:
                yield b"id: %s-%d\ndata: %s\n\n" % (self.run.encode(), number, row)
                after = number
            if not events:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), heartbeat)
                    continue
                yield b": keep-alive\n\n"


@router.get("/stream", summary="New transactions as the server's watch stores them (server-sent events)",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "One event per transaction (data: a row of /api/transactions, id: "
                                            "resumable with Last-Event-ID); an event named reset when some "
                                            "were missed; comments as heartbeats."}})
async def stream(request: Request, last_event_id: Annotated[str | None, Header(max_length=100)] = None
                 ) -> StreamingResponse:
    events: Events | None = request.app.state.events
    if events is None:
        raise ApiError(404, "this server does not watch EDGAR: start it with `form4 serve --watch`")
    heartbeat = request.app.state.settings.heartbeat_seconds
    return StreamingResponse(events.follow(last_event_id, heartbeat), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
