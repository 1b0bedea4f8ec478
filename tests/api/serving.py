"""``form4 serve`` as a user starts it: a process of its own (``python -m form4 serve``), EDGAR's
settings from the environment pointing at a local mirror, and a reader of its /api/stream."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from form4.pipeline.watch import today
from tests.edgar.conftest import AGENT
from tests.edgar.mirror import MirrorFiling, generated_filings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def edgar_env(base_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a form4 process that asks the mirror at ``base_url``, not EDGAR."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORM4_")}
    env.update(FORM4_USER_AGENT=AGENT, FORM4_SEC_BASE_URL=base_url, FORM4_MAX_RPS="200",
               FORM4_CACHE=str(tmp_path / "edgar-cache"), FORM4_CONFIG=str(tmp_path / "no-config.toml"))
    return env


def form4(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """A form4 command run as typed."""
    return subprocess.run([sys.executable, "-m", "form4", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def get(self, path: str, **params: Any) -> Any:
        answer = httpx.get(self.url + path, params=params, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def wait_for(self, what: str, check: Any, seconds: float = 60) -> Any:
        """``check()``'s first true answer within ``seconds``; the test fails with ``what`` otherwise."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            if self.process.poll() is not None:
                pytest.fail(f"the server stopped: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        pytest.fail(f"{what} within {seconds} s; the server said: {self.log.read_text()[-2000:]}")


@contextlib.contextmanager
def serving(store: str, *options: str, env: dict[str, str] | None = None, tmp_path: Path) -> Iterator[Server]:
    """``form4 serve --db store OPTIONS`` on a free port, until the block ends (then Ctrl-C)."""
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "form4", "serve", "--db", store, "--port", str(port),
                                    *options], stdout=out, stderr=subprocess.STDOUT, text=True, env=env)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        server.wait_for("the server answering", lambda: _answers(server.url))
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"the server did not stop on Ctrl-C: {log.read_text()[-2000:]}")


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/api/filings", params={"limit": 1}, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Event:
    id: str | None
    event: str
    data: Any


@dataclass
class StreamReader:
    """Reads /api/stream on a thread of its own until it has ``wanted`` transactions (then it
    disconnects), or until ``stop``."""

    url: str
    wanted: int | None = None
    last_event_id: str | None = None
    events: list[Event] = field(default_factory=list)
    comments: int = 0
    connected: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        if not self.connected.wait(30):
            raise AssertionError(f"no stream from {self.url}: {self.error}")

    @property
    def transactions(self) -> list[Event]:
        return [e for e in self.events if e.event == "message"]

    def _read(self) -> None:
        headers = {"Accept": "text/event-stream"}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        try:
            with httpx.stream("GET", self.url + "/api/stream", headers=headers,
                              timeout=httpx.Timeout(10, read=60)) as answer:
                assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/event-stream")
                self.connected.set()
                self._events(answer.iter_lines())
        except BaseException as exc:  # told to the test by ``connected`` or ``finish``
            self.error = exc
        finally:
            self.connected.set()
            self.done.set()

    def _events(self, lines: Iterator[str]) -> None:
        fields: dict[str, str] = {}
        for line in lines:
            if line.startswith(":"):
                self.comments += 1
            elif line:
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
            elif "data" in fields:
                self.events.append(Event(fields.get("id"), fields.get("event", "message"), json.loads(fields["data"])))
                fields = {}
                if self.wanted is not None and len(self.transactions) >= self.wanted:
                    return
            else:
                fields = {}
            if self.stop.is_set():
                return

    def finish(self, wanted: int | None = None, seconds: float = 60) -> list[Event]:
        """The transactions read, once it has read ``wanted`` (or what it was made to want), or
        once ``seconds`` have passed."""
        wanted = self.wanted if wanted is None else wanted
        deadline = time.monotonic() + seconds
        while not self.done.is_set() and (wanted is None or len(self.transactions) < wanted):
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.stop.set()
        if self.error is not None:
            raise self.error
        return self.transactions


def business_today() -> dt.date:
    """Today on EDGAR's clock, or the Friday before on a weekend: the day the tests' new filings are filed."""
    day = today()
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def last_business_days(n: int) -> list[dt.date]:
    """The ``n`` business days before ``business_today()``, oldest first: days EDGAR has closed."""
    days: list[dt.date] = []
    day = business_today()
    while len(days) < n:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def forms_4(n: int, seed: int, day: dt.date) -> list[MirrorFiling]:
    """``n`` new Forms 4 filed on ``day`` (no amendment, so each one's transactions stay current)."""
    made = (f for f in generated_filings(20 * n, seed=seed, per_day=20 * n, start=day) if f.form_type == "4")
    return list(made)[:n]
