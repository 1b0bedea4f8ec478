"""Stores to test against: a DuckDB file, and a schema of its own in a real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
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


@pytest.fixture
def pg_url(postgres: str) -> Iterator[str]:
    """A URL whose connections work in a fresh schema, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in postgres else "?"
    yield f"{postgres}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["duckdb", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return str(tmp_path / "form4.duckdb")
    url: str = request.getfixturevalue("pg_url")
    return url
