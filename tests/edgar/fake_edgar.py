"""A fake EDGAR: a real HTTP server on 127.0.0.1 that serves a ``Mirror`` at EDGAR's paths and can be
told to misbehave. No network.

Files come from the mirror's root (read once, kept while unchanged on disk); ``/cgi-bin/browse-edgar``
answers ``action=getcurrent`` with the mirror's Atom feed. Index files carry ETag and Last-Modified
and a matching If-None-Match gets 304, as EDGAR does.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from form4.edgar import paths
from tests.conftest import CORPUS
from tests.edgar.mirror import Mirror, build_mirror, submission_filing

# The one filing the client tests fetch: a real submission, mirrored under its issuer.
FILING = "0001031563-05-000019.txt"
COMPANY = b"ATLAS MINING"
_ISSUER, _ACCESSION, _FILED = 974421, FILING.removesuffix(".txt"), (2005, 4)
INDEX_PATH = paths.full_index(*_FILED)
SUBMISSIONS_PATH = paths.submissions(_ISSUER)
FILING_PATH = paths.submission(_ISSUER, _ACCESSION)

_TYPES = {".json": "application/json", ".idx": "text/plain", ".txt": "text/plain", ".nc": "text/plain",
          ".xml": "application/xml", ".gz": "application/x-gzip", ".atom": "application/atom+xml"}


def small_mirror(root: Path) -> Mirror:
    """A mirror of the one filing the client tests use."""
    return build_mirror(root, [submission_filing(CORPUS / "txt" / FILING)])


def is_index(path: str) -> bool:
    """Paths EDGAR sends validators for (the client caches the same ones)."""
    return "/full-index/" in path or "/daily-index/" in path or path.endswith("index.json")


@dataclass
class Seen:
    """One request as the server saw it."""

    at: float
    path: str
    user_agent: str | None
    headers: dict[str, str]


@dataclass
class FakeEdgar:
    """Serves a mirror; ``inject`` queues faults served to the next requests, in order."""

    server: ThreadingHTTPServer
    mirror: Mirror
    requests: list[Seen] = field(default_factory=list)
    faults: deque[str] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _files: dict[Path, tuple[int, int, bytes, str]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def inject(self, *faults: str) -> None:
        """Faults: "429" (Retry-After: 1), "503", "slow" (2 s before answering), "drop" (body cut)."""
        self.faults.extend(faults)

    def reset(self) -> None:
        """Forget the requests seen and the faults queued (for a server shared across tests)."""
        with self.lock:
            self.requests.clear()
            self.faults.clear()

    def max_per_window(self, window: float = 1.0) -> int:
        """The most requests the server saw within any ``window`` seconds (half-open)."""
        times = sorted(r.at for r in self.requests)
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while times[lo] <= t - window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def etag(self, path: str) -> str:
        found = self.file(path)
        assert found is not None, path
        return found[3]

    def file(self, path: str) -> tuple[bytes, str, float, str] | None:
        """(body, content type, mtime, ETag) of the mirror file at an EDGAR path, or None."""
        target = self.mirror.file(path)
        root = self.mirror.root.resolve()
        try:
            resolved = target.resolve()
            stat = resolved.stat()
        except OSError:
            return None
        if not resolved.is_relative_to(root) or not resolved.is_file():
            return None  # nothing outside the mirror, ever
        cached = self._files.get(resolved)
        if cached is None or cached[:2] != (stat.st_mtime_ns, stat.st_size):
            body = resolved.read_bytes()
            # The content decides the ETag, so a rewritten but unchanged index still revalidates.
            cached = (stat.st_mtime_ns, stat.st_size, body, f'"{hashlib.sha1(body).hexdigest()[:16]}"')
            self._files[resolved] = cached
        return cached[2], _TYPES.get(resolved.suffix, "application/octet-stream"), stat.st_mtime, cached[3]


def _handler(fake: FakeEdgar) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a client's many requests share one connection
        # Headers and body go out in two writes; with Nagle on, each answer on a kept-alive
        # connection would wait for the client's delayed ACK (~40 ms).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # quiet in test output
            pass

        def do_GET(self) -> None:
            with fake.lock:
                fake.requests.append(Seen(time.time(), self.path, self.headers.get("User-Agent"),
                                          dict(self.headers.items())))
                fault = fake.faults.popleft() if fake.faults else None
            if fault == "429":
                return self._reply(429, b"slow down", {"Retry-After": "1"})
            if fault == "503":
                return self._reply(503, b"unavailable")
            if fault == "slow":
                time.sleep(2)
            url = urlsplit(self.path)
            headers: dict[str, str] = {}
            if url.path == "/cgi-bin/browse-edgar":
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                if query.get("action") != "getcurrent":
                    return self._reply(404, b"not found")
                form = query.get("type", "4")
                if fake.mirror.filings:
                    body: bytes | None = fake.mirror.atom(form, int(query.get("start", "0")),
                                                          int(query.get("count", "40")))
                else:  # a directory built elsewhere: its written feed, whatever the page asked
                    found = fake.file(fake.mirror.atom_file(form))
                    body = found[0] if found else None
                headers["Content-Type"] = "application/atom+xml"
            else:
                found = fake.file(url.path)
                body = found[0] if found else None
                if found and is_index(url.path):
                    headers.update({"ETag": found[3], "Last-Modified": formatdate(found[2], usegmt=True)})
                if found:
                    headers["Content-Type"] = found[1]
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
            if "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
                return self._reply(304, b"", headers)
            return self._reply(200, body, headers)

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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # benchmarks open many connections at once

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (as killed syncs and dropped-connection tests do) is no news


def serve(mirror: Mirror | Path) -> Iterator[FakeEdgar]:
    """Serve a mirror (or a directory one was built in) on a free port in a thread; stop when the
    generator is closed."""
    if not isinstance(mirror, Mirror):
        mirror = Mirror(Path(mirror))
    server = _Server(("127.0.0.1", 0), BaseHTTPRequestHandler)
    fake = FakeEdgar(server, mirror)
    server.RequestHandlerClass = _handler(fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


__all__ = ["COMPANY", "FILING", "FILING_PATH", "INDEX_PATH", "SUBMISSIONS_PATH", "FakeEdgar", "Seen", "is_index",
           "serve", "small_mirror"]
