"""Fixtures: a fake EDGAR per test, a client pointed at it, and no EDGAR settings from outside.

``fake``/``client`` serve a one-filing mirror, fresh per test (its request log is the test's own).
``corpus_mirror`` is the whole corpus (and a few other forms) laid out as EDGAR, built once per session;
``mirror_server`` serves it (shared: its log is reset for each test) and ``mirror_client`` makes clients for it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from form4.edgar import EdgarClient
from tests.edgar.fake_edgar import FakeEdgar, serve, small_mirror
from tests.edgar.mirror import Mirror, MirrorFiling, build_mirror, corpus_filings, other_forms
from tests.store.conftest import engine, new_store, postgres, store_url  # noqa: F401  (stores of both engines)

AGENT = "form4 tests tests@example.com"


@pytest.fixture(autouse=True)
def _no_edgar_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("FORM4_USER_AGENT", "FORM4_SEC_BASE_URL", "FORM4_MAX_RPS", "FORM4_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORM4_CONFIG", str(tmp_path / "no-config.toml"))  # never the user's own


@pytest.fixture(scope="session")
def _small_mirror(tmp_path_factory: pytest.TempPathFactory) -> Mirror:
    return small_mirror(tmp_path_factory.mktemp("small-mirror"))


@pytest.fixture
def fake(_small_mirror: Mirror) -> Iterator[FakeEdgar]:
    yield from serve(_small_mirror)


def busiest_day(filings: Iterable[MirrorFiling]) -> dt.date:
    return Counter(f.filed for f in filings).most_common(1)[0][0]


@pytest.fixture(scope="session")
def corpus_mirror(tmp_path_factory: pytest.TempPathFactory) -> Mirror:
    """The corpus, and on its busiest day a handful of other forms (a 424B2, a 497K, a 13D, a 425) that
    EDGAR's indexes and feed list beside the Section 16 forms."""
    filings = list(corpus_filings())
    return build_mirror(tmp_path_factory.mktemp("corpus-mirror"), [*filings, *other_forms(busiest_day(filings))])


@pytest.fixture(scope="session")
def _mirror_server(corpus_mirror: Mirror) -> Iterator[FakeEdgar]:
    yield from serve(corpus_mirror)


@pytest.fixture
def mirror_server(_mirror_server: FakeEdgar) -> FakeEdgar:
    _mirror_server.reset()
    return _mirror_server


@pytest.fixture
def mirror_client(mirror_server: FakeEdgar, tmp_path: Path) -> Callable[..., EdgarClient]:
    """Clients for the corpus mirror; a local server may be asked faster than the SEC."""

    def make(**kwargs: Any) -> EdgarClient:
        options: dict[str, Any] = {"base_url": mirror_server.base_url, "cache_dir": tmp_path / "cache",
                                   "backoff": 0.05, "max_rps": 200}
        options.update(kwargs)
        return EdgarClient(options.pop("user_agent", AGENT), **options)

    return make


@pytest.fixture
def client(fake: FakeEdgar, tmp_path: Path) -> Callable[..., EdgarClient]:
    """Makes clients for the fake server; backoff is short so retry tests stay quick."""

    def make(**kwargs: Any) -> EdgarClient:
        options: dict[str, Any] = {"base_url": fake.base_url, "cache_dir": tmp_path / "cache", "backoff": 0.05}
        options.update(kwargs)
        return EdgarClient(options.pop("user_agent", AGENT), **options)

    return make
