"""A fake EDGAR: a real HTTP server on 127.0.0.1 that can be told to misbehave. No network."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import CORPUS

FILING = "0001031563-05-000019.txt"
INDEX_PATH = "/Archives/edgar/full-index/2005/QTR1/form.idx"
SUBMISSIONS_PATH = "/submissions/CIK0000320193.json"
FILING_PATH = f"/Archives/edgar/data/320193/{FILING}"
ETAG = '"form-idx-v1"'


@dataclass
class Seen:
    """One request as the server saw it."""

    at: float
    path: str
    user_agent: str | None
    headers: dict[str, str]


@dataclass
class FakeEdgar:
    """Serves a few EDGAR paths; ``inject`` queues faults served to the next requests, in order."""

    server: ThreadingHTTPServer
    requests: list[Seen] = field(default_factory=list)
    faults: deque[str] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def inject(self, *faults: str) -> None:
        """Faults: "429" (Retry-After: 1), "503", "slow" (2 s before answering), "drop" (body cut)."""
        self.faults.extend(faults)

    def max_per_window(self, window: float = 1.0) -> int:
        """The most requests the server saw within any ``window`` seconds (half-open)."""
        times = sorted(r.at for r in self.requests)
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while times[lo] <= t - window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best


def _bodies() -> dict[str, bytes]:
    index = b"Form Type   Company Name   CIK   Date Filed   File Name\n4   APPLE INC   320193   2005-01-03   " \
        + FILING_PATH.encode() + b"\n"
    submissions = b'{"cik": "320193", "name": "Apple Inc.", "filings": {"recent": {"accessionNumber": []}}}'
    return {INDEX_PATH: index, SUBMISSIONS_PATH: submissions, FILING_PATH: (CORPUS / "txt" / FILING).read_bytes()}


def _handler(fake: FakeEdgar, bodies: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet in test output
            pass

        def do_GET(self) -> None:
            with fake.lock:
                fake.requests.append(Seen(time.time(), self.path, self.headers.get("User-Agent"),
                                          dict(self.headers.items())))
                fault = fake.faults.popleft() if fake.faults else None
            body = bodies.get(self.path)
            if fault == "429":
                return self._reply(429, b"slow down", {"Retry-After": "1"})
            if fault == "503":
                return self._reply(503, b"unavailable")
            if fault == "slow":
                time.sleep(2)
            if body is None:
                return self._reply(404, b"not found")
            if fault == "drop":
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) + 1000))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return None
            if self.path == INDEX_PATH and self.headers.get("If-None-Match") == ETAG:
                return self._reply(304, b"", {"ETag": ETAG})
            extra = {"ETag": ETAG, "Last-Modified": "Mon, 03 Jan 2005 00:00:00 GMT"} if self.path == INDEX_PATH else {}
            return self._reply(200, body, extra)

        def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return Handler


def serve() -> Iterator[FakeEdgar]:
    """Start on a free port in a thread; stop when the generator is closed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    fake = FakeEdgar(server)
    server.RequestHandlerClass = _handler(fake, _bodies())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


__all__ = ["ETAG", "FILING", "FILING_PATH", "INDEX_PATH", "SUBMISSIONS_PATH", "FakeEdgar", "serve"]
