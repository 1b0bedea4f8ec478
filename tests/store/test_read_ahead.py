"""Readers given work ahead of the writer: results come back in the order the work was given,
the same whatever the read-ahead, and what is in flight stays bounded."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from form4.inputs import iter_documents
from form4.pipeline import local
from form4.pipeline.parts import chunks
from form4.pipeline.units import in_order
from tests.conftest import CORPUS


def _done(value: int) -> Future[int]:
    future: Future[int] = Future()
    future.set_result(value * 10)
    return future


def _started(weights: list[int], started: list[int]) -> Iterator[tuple[int, Future[int]]]:
    for i, weight in enumerate(weights):
        started.append(i)
        yield weight, _done(i)


def _most_in_flight(weights: list[int], ahead: int, budget: int) -> tuple[list[int], int]:
    """The results, and the most tasks started and not yet handed back at any time."""
    started: list[int] = []
    results, most = [], 0
    for _, result in in_order(_started(weights, started), ahead, weight=lambda w: w, budget=budget):
        most = max(most, len(started) - len(results))
        results.append(result)
    return results, most


def test_in_order_gives_every_result_in_order_whatever_the_weights() -> None:
    weights = [1, 50, 3, 0, 200, 7, 7, 7, 1, 1] * 5
    for budget in (0, 10, 100, 10_000):
        results, _ = _most_in_flight(weights, 2, budget)
        assert results == [i * 10 for i in range(len(weights))]


def test_in_order_goes_further_ahead_only_while_in_flight_weighs_less_than_the_budget() -> None:
    assert _most_in_flight([100] * 40, 2, 100)[1] == 2  # each as heavy as the budget: as without one
    assert _most_in_flight([10] * 40, 2, 100)[1] == 10  # ten of them make the budget
    assert _most_in_flight([0] * 100, 2, 100)[1] == 32  # weightless: at most 16 times ahead
    assert _most_in_flight([10] * 40, 3, 0)[1] == 3  # no budget: ahead alone


@pytest.mark.parametrize("ahead_bytes", [0, 20_000, 64 << 20])
def test_readers_give_the_parts_one_process_gives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                  ahead_bytes: int) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "truncated.xml").write_bytes(b"<ownershipDocument><issuer>")
    (bad / "empty.xml").write_bytes(b"")
    inputs = [CORPUS / "xml", bad, CORPUS / "txt"]
    monkeypatch.setattr(local, "READ_AHEAD_BYTES", ahead_bytes)
    monkeypatch.setattr(local, "chunks", lambda docs: chunks(docs, 7))  # many chunks: many in flight
    one = list(local.parts(iter_documents(inputs), 1))
    two = list(local.parts(iter_documents(inputs), 2))
    read = [(r.key, r.path, r.sha256) for part in two for r in part.filings.kept.values()]
    assert read == [(r.key, r.path, r.sha256) for part in one for r in part.filings.kept.values()]
    assert len(read) > 100
    assert [str(e) for part in two for e in part.errors] == [str(e) for part in one for e in part.errors]
    assert sum(len(part.errors) for part in two) == 2
    assert sum(p.documents for p in two) == sum(p.documents for p in one)
