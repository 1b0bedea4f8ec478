"""A real server (uvicorn on 127.0.0.1) over a store of both engines, and Debian's chromium
driven by Playwright. Screenshots of every page go to test-artifacts/screenshots/."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from form4.api import Settings, create_app
from form4.store import Store
from form4.writers.pdf import CHROMIUM, CHROMIUM_FLAGS
from tests.analytics.history import history
from tests.api.conftest import api, stored
from tests.conftest import ROOT
from tests.store.conftest import engine, new_store, postgres, store_url

__all__ = ["api", "browser", "engine", "new_store", "postgres", "server", "stored", "store_url"]

SHOTS = ROOT / "test-artifacts" / "screenshots"
TOKEN = "test-token-1234"
FLAGS = list(CHROMIUM_FLAGS)  # what keeps chromium off the network: this machine's is closed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(store_url: str) -> Iterator[str]:
    import uvicorn

    with Store(store_url) as store:
        store.ingest_filings(history())
    port = _free_port()
    config = uvicorn.Config(create_app(Settings(url=store_url, token=TOKEN)), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        reason = f"no chromium at {CHROMIUM} (scripts/setup.sh installs Debian's)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it: its absence is a failure there
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()
