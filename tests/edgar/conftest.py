"""Fixtures: a fake EDGAR per test, a client pointed at it, and no EDGAR settings from outside."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from form4.edgar import EdgarClient
from tests.edgar.fake_edgar import FakeEdgar, serve

AGENT = "form4 tests tests@example.com"


@pytest.fixture(autouse=True)
def _no_edgar_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORM4_USER_AGENT", "FORM4_SEC_BASE_URL", "FORM4_MAX_RPS", "FORM4_CACHE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> Iterator[FakeEdgar]:
    yield from serve()


@pytest.fixture
def client(fake: FakeEdgar, tmp_path: Path) -> Callable[..., EdgarClient]:
    """Makes clients for the fake server; backoff is short so retry tests stay quick."""

    def make(**kwargs: Any) -> EdgarClient:
        options: dict[str, Any] = {"base_url": fake.base_url, "cache_dir": tmp_path / "cache", "backoff": 0.05}
        options.update(kwargs)
        return EdgarClient(options.pop("user_agent", AGENT), **options)

    return make
