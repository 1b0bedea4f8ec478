"""An HTTP client for EDGAR that obeys the SEC's fair-access policy.

* every request names its sender: a User-Agent with a contact e-mail is required;
* at most 10 requests per second, shared by the threads and processes of a run (``ratelimit``);
* 429, 5xx, time-outs and dropped connections are retried with exponential backoff and jitter;
* a file EDGAR does not have (404, or the 403 S3 answers under ``/Archives/``) is
  ``EdgarNotFoundError``, told apart from the SEC's refusal of a client by the answer's body;
* index files are cached on disk and revalidated with conditional requests;
* archives are streamed to disk and fetched once.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any, Literal

import httpx

from form4.config import config_path, setting
from form4.edgar.ratelimit import RateLimiter, limiter_path
from form4.errors import EdgarError, EdgarNotFoundError

__all__ = ["DEFAULT_MAX_RPS", "SEC_HOSTS", "EdgarClient"]

SEC_HOSTS = {"www": "https://www.sec.gov", "data": "https://data.sec.gov"}
DEFAULT_MAX_RPS = 10.0
Host = Literal["www", "data"]

# Transport failures worth another try: the SEC drops connections and stalls under load.
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_MAX_BACKOFF = 30.0


def _user_agent(given: str | None) -> str:
    agent = given if given is not None else setting("user_agent") or ""
    if "@" not in agent:
        raise EdgarError(
            "EDGAR needs a User-Agent with a contact e-mail: set FORM4_USER_AGENT='Your Name you@example.com' "
            f"or user_agent in {config_path()}"
        )
    return agent.strip()


def _max_rps(given: float | None, sec: bool) -> float:
    raw = given if given is not None else setting("max_rps")
    if raw is None or raw == "":
        return DEFAULT_MAX_RPS
    try:
        rps = float(raw)
    except ValueError:
        raise EdgarError(f"FORM4_MAX_RPS must be a number of requests per second, not {raw!r}") from None
    if rps <= 0:
        raise EdgarError(f"FORM4_MAX_RPS must be above 0, not {raw!r}")
    # Above 10/s breaks the SEC's policy; only a mirror or a test server may be asked faster.
    return min(rps, DEFAULT_MAX_RPS) if sec else rps


def _is_index(path: str) -> bool:
    return "/full-index/" in path or "/daily-index/" in path or path.split("?")[0].endswith("index.json")


class EdgarClient:
    """Fetches EDGAR paths (``/Archives/...``, ``/submissions/...``) politely. Use as a context manager."""

    def __init__(
        self,
        user_agent: str | None = None,
        *,
        base_url: str | None = None,
        max_rps: float | None = None,
        transport: httpx.BaseTransport | None = None,
        cache_dir: str | Path | None = None,
        retries: int = 5,
        timeout: float = 30.0,
        backoff: float = 0.5,
    ) -> None:
        self.user_agent = _user_agent(user_agent)  # first, so no request is made without one
        base = base_url or setting("sec_base_url") or None
        self.base_url = base.rstrip("/") if base else None
        self.max_rps = _max_rps(max_rps, sec=self.base_url is None)
        cache = cache_dir or setting("cache") or Path.home() / ".cache" / "form4" / "edgar"
        self.cache_dir = Path(cache)
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.limiter = RateLimiter(self.max_rps, limiter_path(self.base_url or SEC_HOSTS["www"]))
        self.requests = 0  # sent by this client, retries included
        self._http = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=timeout,
            transport=transport,
            follow_redirects=True,
        )

    def settings(self) -> dict[str, Any]:
        """What makes the same client in another process (a Dask worker)."""
        return {"user_agent": self.user_agent, "base_url": self.base_url, "max_rps": self.max_rps,
                "cache_dir": str(self.cache_dir), "retries": self.retries, "timeout": self.timeout,
                "backoff": self.backoff}

    def keep_to_share(self, share: int, name: str) -> None:
        """Keep to ``1 / share`` of the limit, on a limiter of this process's own (``name``
        tells it apart): ``share`` clients so set keep to the limit together, on one machine or
        on many, with no lock between them (how the Dask engine's workers share it)."""
        self.max_rps /= share
        self.limiter = RateLimiter(self.max_rps, limiter_path(f"{self.base_url or SEC_HOSTS['www']}#{name}"))

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- addresses --------------------------------------------------------------------------

    def url(self, path: str, host: Host = "www") -> str:
        """The absolute URL of an EDGAR path, on the base URL when one is set."""
        if path.startswith(("http://", "https://")):
            return self.rewrite(path)
        if not path.startswith("/"):
            path = "/" + path
        return (self.base_url or SEC_HOSTS[host]) + path

    def rewrite(self, url: str) -> str:
        """Maps an absolute sec.gov link (as found in responses) onto the base URL."""
        if self.base_url is None:
            return url
        for origin in SEC_HOSTS.values():
            for prefix in (origin, origin.replace("https://", "http://", 1)):
                if url == prefix or url.startswith(prefix + "/"):
                    return self.base_url + url[len(prefix):]
        return url

    # -- requests ---------------------------------------------------------------------------

    def get_bytes(self, path: str, host: Host = "www") -> bytes:
        """The body at ``path``; index files come from the cache when EDGAR says 304."""
        url = self.url(path, host)
        cached = self._cache_files(url) if _is_index(path) else None
        headers = self._conditional_headers(*cached) if cached else {}
        response = self._send(url, headers)
        body = response.content
        if cached and response.status_code == 304:
            return cached[0].read_bytes()
        if cached:
            self._store(*cached, body, response)
        return body

    def stream_to(self, path: str, dest: str | Path, host: Host = "www") -> Path:
        """Streams ``path`` into ``dest`` (never all in memory); skipped when ``dest`` exists."""
        dest = Path(dest)
        if dest.exists():  # archives do not change: fetched once
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(f"{dest.name}.part-{os.getpid()}")
        url = self.url(path, host)
        try:
            self._send(url, {}, into=part)
            os.replace(part, dest)  # a reader never sees half a file
        finally:
            part.unlink(missing_ok=True)
        return dest

    def resume_to(self, path: str, dest: str | Path, host: Host = "www") -> Path:
        """Streams ``path`` into ``dest`` as ``stream_to`` does, resumably: the bytes an
        interrupted try (of this run or an earlier one) wrote wait in ``dest.part``, and only
        the rest is asked for, with a Range request; a server that answers with the whole file
        instead starts it over."""
        dest = Path(dest)
        if dest.exists():
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + ".part")
        self._send(self.url(path, host), {}, into=part, resume=True)
        os.replace(part, dest)
        return dest

    def _send(self, url: str, headers: dict[str, str], into: Path | None = None,
              resume: bool = False) -> httpx.Response:
        """One request, retried; the body is read (or, with ``into``, written there) before return.
        ``resume``: ``into`` is continued where it ends, not started over."""
        last, retry_after = "no attempt", None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self._delay(attempt, retry_after))
            retry_after = None
            self.limiter.acquire()
            self.requests += 1
            have = into.stat().st_size if resume and into is not None and into.exists() else 0
            sent = {**headers, "Accept-Encoding": "identity", "Range": f"bytes={have}-"} if have else headers
            try:
                with self._http.stream("GET", url, headers=sent) as response:
                    status = response.status_code
                    if have and (status == 416 or (status == 206 and not _starts_at(response, have))):
                        assert into is not None
                        into.unlink()  # the part is not this file's beginning: start over
                        last = f"HTTP {status} to a Range request"
                        continue
                    if status == 404:
                        raise EdgarNotFoundError(f"{url}: not found (404)")
                    if status == 429 or status >= 500:
                        last, retry_after = f"HTTP {status}", _retry_after(response)
                        continue
                    if status == 403:
                        raise _forbidden(url, response)
                    if status >= 400:
                        raise EdgarError(f"{url}: HTTP {status}")
                    if into is not None:
                        with into.open("ab" if have and status == 206 else "wb") as out:
                            # resumable: each piece written as it arrives, so that a cut keeps it
                            for chunk in response.iter_bytes(None if resume else 1 << 16):
                                out.write(chunk)
                    else:
                        response.read()
                    return response
            except _RETRYABLE_ERRORS as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise EdgarError(f"{url}: gave up after {self.retries + 1} tries; last: {last}")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        # Full jitter spreads the retries of many workers; Retry-After is a floor the SEC sets.
        wait = random.uniform(0, min(_MAX_BACKOFF, self.backoff * 2 ** (attempt - 1)))
        return max(wait, retry_after or 0.0)

    # -- cache of index files ---------------------------------------------------------------

    def _cache_files(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()
        return self.cache_dir / f"{key}.body", self.cache_dir / f"{key}.json"

    @staticmethod
    def _conditional_headers(body: Path, meta: Path) -> dict[str, str]:
        if not (body.exists() and meta.exists()):
            return {}
        try:
            validators = json.loads(meta.read_text())
        except (OSError, ValueError):
            return {}
        headers = {}
        if validators.get("etag"):
            headers["If-None-Match"] = str(validators["etag"])
        if validators.get("last_modified"):
            headers["If-Modified-Since"] = str(validators["last_modified"])
        return headers

    @staticmethod
    def _store(body_file: Path, meta_file: Path, body: bytes, response: httpx.Response) -> None:
        validators = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
        if not any(validators.values()):
            return  # nothing to revalidate with
        body_file.parent.mkdir(parents=True, exist_ok=True)
        for target, data in ((body_file, body), (meta_file, json.dumps(validators).encode())):
            tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, target)


def _forbidden(url: str, response: httpx.Response) -> EdgarError:
    """What a 403 means. www.sec.gov serves ``/Archives/`` from S3, which answers a file that
    is not there with 403 and an XML ``AccessDenied`` (or ``NoSuchKey``) error; the SEC's own
    refusal of an unnamed or too-fast client is an HTML page ("Undeclared Automated Tool")."""
    code = _s3_error_code(response)
    if code in _S3_MISSING:
        return EdgarNotFoundError(f"{url}: no such file (403 {code})")
    return EdgarError(f"{url}: refused (403); check FORM4_USER_AGENT and FORM4_MAX_RPS")


_S3_MISSING = {"AccessDenied", "NoSuchKey"}
_S3_ERROR = re.compile(rb"<Error>\s*<Code>([A-Za-z]+)</Code>")


def _s3_error_code(response: httpx.Response, limit: int = 4096) -> str | None:
    """The code of an S3 ``<Error>`` body (the first bytes, decoded as sent: it may be gzipped)."""
    head = b""
    try:
        for chunk in response.iter_bytes():
            head += chunk
            if len(head) >= limit:
                break
    except httpx.HTTPError:
        return None  # a body cut short or undecodable: no code to read
    found = _S3_ERROR.search(head[:limit])
    return found.group(1).decode() if found else None


def _starts_at(response: httpx.Response, offset: int) -> bool:
    """Whether a 206 answer's Content-Range (``bytes 100-199/200``) begins at ``offset``."""
    found = re.match(r"bytes\s+(\d+)-", response.headers.get("Content-Range", ""))
    return found is not None and int(found.group(1)) == offset


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header; HTTP dates are rare from the SEC and ignored."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
