"""Stores to test against: a DuckDB file, and a schema of its own in a real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

PG_URL = os.environ.get("FORM4_TEST_PG", "postgresql://form4:form4@127.0.0.1:5432/form4_test")


def _postgres_or_reason() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except Exception as exc:
        return f"no PostgreSQL at {PG_URL} ({type(exc).__name__}); scripts/postgres.sh sets one up"


@pytest.fixture(scope="session")
def postgres() -> str:
    reason = _postgres_or_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs and starts PostgreSQL: its absence is a failure there
        pytest.skip(reason)
    return PG_URL


def _schema(postgres: str, request: pytest.FixtureRequest) -> str:
    """A URL whose connections work in a fresh schema, dropped after the test."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")

    request.addfinalizer(drop)
    sep = "&" if "?" in postgres else "?"
    return f"{postgres}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["duckdb", "postgres"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_store(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Makes empty stores of the engine under test: DuckDB files, or PostgreSQL schemas."""
    def make() -> str:
        if engine == "duckdb":
            return str(tmp_path / f"{uuid.uuid4().hex[:8]}.duckdb")
        return _schema(request.getfixturevalue("postgres"), request)

    return make


@pytest.fixture
def store_url(new_store: Callable[[], str]) -> str:
    return new_store()
