"""The API over stores of both engines, holding the hand-checked insider history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from form4.api import Settings, create_app
from form4.store import Store
from tests.analytics.history import history
from tests.store.conftest import engine, new_store, postgres, store_url

__all__ = ["api", "engine", "new_store", "postgres", "stored", "store_url"]


@pytest.fixture
def stored(store_url: str) -> str:
    with Store(store_url) as store:
        store.ingest_filings(history())
    return store_url


@pytest.fixture
def api(stored: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(url=stored)), raise_server_exceptions=False) as client:
        yield client
