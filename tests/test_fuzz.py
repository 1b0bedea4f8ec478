"""Fuzzing: mutated and truncated filings only ever raise form4's own ReadError."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import form4
from form4 import ReadError
from tests.conftest import CORPUS

SEEDS = [p.read_bytes() for p in sorted((CORPUS / "xml").glob("*.xml"))[::4]] + \
        [p.read_bytes() for p in sorted((CORPUS / "txt").iterdir())[::6]] + \
        [p.read_bytes() for p in sorted((CORPUS / "html").glob("*.html"))[::5]]


def read_or_read_error(data: bytes) -> None:
    try:
        filing = form4.read_bytes(data)
    except ReadError as exc:
        assert str(exc)  # a message a person can act on
        return
    filing.to_json()  # whatever was read can be written out


def mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    i, j = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    if kind == 0:
        return data[:i]
    if kind == 1:
        return data[:i] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8))) + data[i:]
    if kind == 2:
        return data[:i] + data[j:]
    if kind == 3:
        return data[:i] + data[i:j] * 2 + data[j:]
    out = bytearray(data)
    for _ in range(rng.randrange(1, 10)):
        out[rng.randrange(len(out))] = rng.choice(b"<>/&\"'=0123456789-.:;, \x00\xff")
    return bytes(out)


def test_thousands_of_random_mutations() -> None:
    rng = random.Random(20141117)
    for n in range(5000):
        data = SEEDS[n % len(SEEDS)]
        for _ in range(rng.randrange(1, 4)):
            data = mutate(data, rng)
        read_or_read_error(data)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.binary(max_size=64), st.integers(min_value=0), st.integers(min_value=0))
def test_splices(seed: bytes, junk: bytes, at: int, cut: int) -> None:
    at %= len(seed) + 1
    read_or_read_error(seed[:at] + junk + seed[at + cut % 200:])


XML_SEEDS = [p.read_bytes() for p in sorted((CORPUS / "xml").glob("*.xml"))[:20]]


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(XML_SEEDS), st.integers(min_value=0), st.text(max_size=40))
def test_any_text_in_any_element(seed: bytes, which: int, text: str) -> None:
    """Well-formed filings with arbitrary text in one element: read, with a warning if need be."""
    root = etree.fromstring(seed)
    elements = [el for el in root.iter() if len(el) == 0]
    target = elements[which % len(elements)]
    clean = "".join(ch for ch in text if ch in "\t\n\r" or " " <= ch <= "\ud7ff")
    target.text = clean
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    filing = form4.read_bytes(data)  # never raises for a well-formed ownership document
    assert all(w.field and w.message for w in filing.warnings)
