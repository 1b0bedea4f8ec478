"""Stores of both engines for the reports, and filings made to order."""

from tests.store.conftest import engine, new_store, postgres, store_url

__all__ = ["engine", "new_store", "postgres", "store_url"]
