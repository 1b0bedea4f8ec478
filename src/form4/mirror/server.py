"""A mirror served over HTTP as EDGAR serves it, and told to misbehave as EDGAR sometimes does.

Files come from the mirror's root (read once, kept while unchanged on disk); ``/cgi-bin/browse-edgar``
answers ``action=getcurrent`` with the mirror's Atom feed, paged by ``start`` and ``count``. The answers
carry the SEC's headers: index files an ETag and Last-Modified (a matching If-None-Match gets 304); a
``.txt`` comes gzip-encoded when the client accepts it (its ETag ending ``-gzip"``, ``Vary:
Accept-Encoding``); submissions JSON and the feed say ``Cache-Control: no-cache`` and send no ETag. A file
missing under ``/Archives/`` answers 403 with S3's ``AccessDenied`` body, as www.sec.gov does; one missing
on data.sec.gov's paths 404 with ``NoSuchKey``.

Faults: ``inject`` queues them for the next requests, in order; ``fault_rate`` serves one at random.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import posixpath
import random
import re
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
from form4.mirror import shapes
from form4.mirror.layout import FEED_COUNT, FEED_DEPTH, Mirror, empty_quarter

__all__ = ["FAULTS", "MirrorServer", "Seen", "access_denied", "is_index", "make_server", "no_such_key", "serve"]

FAULTS = ("429", "503", "slow", "drop")
SLOW_SECONDS = 2.0

_TYPES = {".json": "application/json", ".idx": "text/plain", ".txt": "text/plain", ".nc": "text/plain",
          ".xml": "text/xml", ".gz": "binary/octet-stream", ".zip": "application/zip",
          ".atom": "application/atom+xml", ".htm": "text/html", ".html": "text/html"}
_DATA_HOST = ("/submissions/", "/api/")  # data.sec.gov's paths: a missing key is a 404 there
_FOLDER_PAGE = re.compile(r"(/Archives/edgar/data/\d+/\d{18})/(\d{10}-\d{2}-\d{6})-index(\.htm|\.html|-headers\.html)")


def is_index(path: str) -> bool:
    """Paths EDGAR sends validators for (the client caches the same ones)."""
    return "/full-index/" in path or "/daily-index/" in path or path.endswith("index.json")


def _type(path: str) -> str:
    if path == paths.DATASETS_PAGE:  # a page of sec.gov's own site, without a suffix
        return "text/html; charset=UTF-8"
    return _TYPES.get(Path(path).suffix, "application/octet-stream")


_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


def _ranged(answer: _Answer, header: str | None) -> _Answer:
    """A whole file's answer cut to the ``Range: bytes=FIRST-[LAST]`` asked for (206), as sec.gov
    serves its static files; 416 for a range past the end. Other range forms get the whole file."""
    found = _RANGE.fullmatch((header or "").strip())
    if found is None or answer.status != 200 or "Content-Encoding" in answer.headers:
        return answer
    size = len(answer.body)
    first = int(found.group(1))
    last = min(int(found.group(2)), size - 1) if found.group(2) else size - 1
    if first >= size or last < first:
        return _Answer(416, b"", {"Content-Range": f"bytes */{size}"})
    headers = {**answer.headers, "Content-Range": f"bytes {first}-{last}/{size}"}
    return _Answer(206, answer.body[first:last + 1], headers)


def _request_id(path: str) -> str:
    return hashlib.sha1(path.encode()).hexdigest()[:16].upper()


def access_denied(path: str) -> bytes:
    """www.sec.gov's answer for a file that is not under ``/Archives/`` (status 403)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied'
            f"</Message><RequestId>{_request_id(path)}</RequestId><HostId>{_request_id(path[::-1])}=</HostId>"
            "</Error>").encode()


def no_such_key(path: str) -> bytes:
    """data.sec.gov's answer for a file it does not have (status 404)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does '
            f"not exist.</Message><Key>{path.lstrip('/')}</Key><RequestId>{_request_id(path)}</RequestId>"
            f"<HostId>{_request_id(path[::-1])}=</HostId></Error>").encode()


def _accepts_gzip(header: str | None) -> bool:
    for coding in (header or "").split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


@dataclass
class Seen:
    """One request as the server saw it."""

    at: float
    path: str
    user_agent: str | None
    headers: dict[str, str]


@dataclass
class _File:
    mtime_ns: int
    size: int
    body: bytes
    etag: str
    gzipped: bytes | None = None


@dataclass
class MirrorServer:
    """Serves a mirror; ``inject`` queues faults served to the next requests, in order, and ``fault_rate``
    serves one (429, 503, slow or drop) to that share of requests, at random."""

    server: ThreadingHTTPServer
    mirror: Mirror
    fault_rate: float = 0.0
    latency: float = 0.0  # seconds added before every answer
    slow_seconds: float = SLOW_SECONDS  # how long a "slow" fault holds its answer
    rng: random.Random = field(default_factory=random.Random)
    requests: list[Seen] = field(default_factory=list)
    faults: deque[str] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _files: dict[Path, _File] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else str(host)
        return f"http://{shown}:{port}"

    def inject(self, *faults: str) -> None:
        """Faults: "429" (Retry-After: 1), "503", "slow" (``slow_seconds`` before answering), "drop" (body cut)."""
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown faults {unknown}; known: {', '.join(FAULTS)}")
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
        """The ETag of a file's plain (not gzip-encoded) answer."""
        found = self._cached(path)
        if found is None:
            raise KeyError(path)
        return found.etag

    def file(self, path: str) -> tuple[bytes, str, float, str] | None:
        """(body, content type, mtime, ETag) of the mirror file at an EDGAR path, or None."""
        found = self._cached(path)
        if found is None:
            return None
        return found.body, _type(path), found.mtime_ns / 1e9, found.etag

    def _cached(self, path: str) -> _File | None:
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
        if cached is None or (cached.mtime_ns, cached.size) != (stat.st_mtime_ns, stat.st_size):
            body = resolved.read_bytes()
            # The content decides the ETag, so a rewritten but unchanged index still revalidates.
            cached = _File(stat.st_mtime_ns, stat.st_size, body, f'"{hashlib.sha1(body).hexdigest()[:16]}"')
            self._files[resolved] = cached
        return cached

    def gzipped(self, path: str) -> tuple[bytes, str] | None:
        """The gzip-encoded body of a file and its ETag (compressed once per version of the file)."""
        found = self._cached(path)
        if found is None:
            return None
        if found.gzipped is None:
            found.gzipped = gzip.compress(found.body, compresslevel=1, mtime=0)
        return found.gzipped, found.etag[:-1] + '-gzip"'

    def next_fault(self) -> str | None:
        with self.lock:
            if self.faults:
                return self.faults.popleft()
            if self.fault_rate and self.rng.random() < self.fault_rate:
                return self.rng.choice(FAULTS)
            return None


@dataclass
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _feed(server: MirrorServer, query: dict[str, str]) -> _Answer:
    if query.get("action") != "getcurrent":
        return _Answer(404, b"not found", {"Content-Type": "text/plain"})
    try:
        start, count = int(query.get("start") or 0), int(query.get("count") or FEED_COUNT)
    except ValueError:
        return _Answer(400, b"start and count are numbers", {"Content-Type": "text/plain"})
    if start > FEED_DEPTH:  # EDGAR keeps no deeper pages: it fails rather than answer empty
        return _Answer(503, b"unavailable", {"Content-Type": "text/html"})
    form = query.get("type", "")
    if server.mirror.filings:
        body: bytes | None = server.mirror.atom(form, start, count, owner=query.get("owner", "include"))
    else:  # a directory built elsewhere: its written feed, whatever the page asked
        found = server.file(server.mirror.atom_file(form or "4"))
        body = found[0] if found else None
    if body is None:
        return _Answer(404, b"not found", {"Content-Type": "text/plain"})
    return _Answer(200, body, {"Content-Type": "application/atom+xml", "Cache-Control": "no-cache"})


def _missing(path: str) -> _Answer:
    if path.startswith("/Archives/"):
        return _Answer(403, access_denied(path), {"Content-Type": "application/xml"})
    if path.startswith(_DATA_HOST):
        return _Answer(404, no_such_key(path), {"Content-Type": "application/xml"})
    return _Answer(404, b"not found", {"Content-Type": "text/plain"})


def _generated(body: bytes, content_type: str, mtime: float | None = None) -> _Answer:
    return _Answer(200, body, {"Content-Type": content_type, "ETag": f'"{hashlib.sha1(body).hexdigest()[:16]}"',
                               "Last-Modified": formatdate(mtime, usegmt=True)})


def _folder_page(server: MirrorServer, path: str) -> _Answer | None:
    """A folder's ``-index.htm``, ``-index.html`` or ``-index-headers.html``, from its ``.txt`` and listing."""
    found = _FOLDER_PAGE.fullmatch(path)
    if found is None:
        return None
    folder, accession, kind = found.groups()
    submission, listing = server.file(f"{folder}/{accession}.txt"), server.file(f"{folder}/index.json")
    if submission is None or listing is None:
        return None
    if kind == "-headers.html":
        return _generated(shapes.headers_page(accession, submission[0]), "text/html", submission[2])
    names = [str(item["name"]) for item in json.loads(listing[0])["directory"]["item"]
             if not str(item["name"]).startswith(f"{accession}-index")]
    return _generated(shapes.index_page(accession, submission[0], names), "text/html", submission[2])


def _empty_quarter(path: str) -> _Answer | None:
    """A quarter the mirror has no filings in: listed and indexed all the same, as on EDGAR."""
    body = empty_quarter(path)
    return None if body is None else _generated(body, _TYPES.get(Path(path).suffix, "application/octet-stream"))


def _file(server: MirrorServer, path: str, accept_encoding: str | None) -> _Answer:
    found = server.file(path)
    if found is None:
        return _folder_page(server, path) or _empty_quarter(path) or _missing(path)
    body, content_type, mtime, etag = found
    headers = {"Content-Type": content_type}
    if path.startswith(_DATA_HOST):
        headers["Cache-Control"] = "no-cache"  # the submissions API sends no validators
        return _Answer(200, body, headers)
    if path.endswith(".txt"):
        headers["Vary"] = "Accept-Encoding"
        if _accepts_gzip(accept_encoding):
            body, etag = server.gzipped(path) or (body, etag)
            headers["Content-Encoding"] = "gzip"
    headers.update({"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)})
    if "Content-Encoding" not in headers:
        headers["Accept-Ranges"] = "bytes"
    return _Answer(200, body, headers)


def _handler(server: MirrorServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a client's many requests share one connection
        # Headers and body go out in two writes; with Nagle on, each answer on a kept-alive
        # connection would wait for the client's delayed ACK (~40 ms).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # quiet: a mirror is no web server log
            pass

        def do_GET(self) -> None:
            with server.lock:
                server.requests.append(Seen(time.time(), self.path, self.headers.get("User-Agent"),
                                            dict(self.headers.items())))
            fault = server.next_fault()
            if server.latency:
                time.sleep(server.latency)
            if fault == "429":
                return self._reply(_Answer(429, b"slow down", {"Retry-After": "1"}))
            if fault == "503":
                return self._reply(_Answer(503, b"unavailable"))
            if fault == "slow":
                time.sleep(server.slow_seconds)
            url = urlsplit(self.path)
            path = posixpath.normpath(url.path) if url.path else "/"
            if path == "/cgi-bin/browse-edgar":
                answer = _feed(server, {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()})
            else:
                answer = _file(server, path, self.headers.get("Accept-Encoding"))
            answer = _ranged(answer, self.headers.get("Range"))
            if fault == "drop" and answer.status in (200, 206):
                return self._drop(answer)
            etag = answer.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                answer = _Answer(304, b"", answer.headers)
            return self._reply(answer)

        def _drop(self, answer: _Answer) -> None:
            """Promise more than is sent, then hang up: a connection lost mid-body."""
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body) + 1000))
            self.end_headers()
            self.wfile.write(answer.body[: len(answer.body) // 2])
            self.wfile.flush()
            self.close_connection = True

        def _reply(self, answer: _Answer) -> None:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.status != 304:
                self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if answer.status != 304:
                self.wfile.write(answer.body)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # benchmarks open many connections at once

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (as killed syncs and dropped-connection tests do) is no news


def make_server(mirror: Mirror | Path, host: str = "127.0.0.1", port: int = 0, fault_rate: float = 0.0,
                latency: float = 0.0, seed: int | None = None) -> MirrorServer:
    """A server bound to ``host:port`` (0: a free port), not yet serving: call ``server.serve_forever()``."""
    if not isinstance(mirror, Mirror):
        mirror = Mirror(Path(mirror))
    if not 0.0 <= fault_rate <= 1.0:
        raise ValueError(f"the fault rate is a probability (0 to 1), not {fault_rate}")
    http = _Server((host, port), BaseHTTPRequestHandler, bind_and_activate=True)
    served = MirrorServer(http, mirror, fault_rate=fault_rate, latency=latency, rng=random.Random(seed))
    http.RequestHandlerClass = _handler(served)
    return served


def serve(mirror: Mirror | Path, host: str = "127.0.0.1", port: int = 0, fault_rate: float = 0.0,
          latency: float = 0.0, seed: int | None = None) -> Iterator[MirrorServer]:
    """Serve a mirror (or a directory one was built in) in a thread; stop when the generator is closed."""
    served = make_server(mirror, host, port, fault_rate, latency, seed)
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()
