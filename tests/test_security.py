"""The hardened parser: no entities, no DTDs, no network, a size limit."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import form4
from form4 import UnsafeInputError
from form4.readers.xml import MAX_XML_BYTES
from tests.readers.test_xml import make

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ownershipDocument><remarks>&lol3;</remarks></ownershipDocument>"""


def xxe(target: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{target}">]>\n'
            "<ownershipDocument><remarks>&x;</remarks></ownershipDocument>").encode()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_billion_laughs_refused(no_network: None) -> None:
    with pytest.raises(UnsafeInputError, match="DTD or entity"):
        form4.read(BILLION_LAUGHS)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://127.0.0.1:9/x.dtd"])
def test_external_entity_refused(target: str, no_network: None) -> None:
    with pytest.raises(UnsafeInputError) as info:
        form4.read(xxe(target))
    assert "root:" not in str(info.value)


def test_external_dtd_refused(no_network: None) -> None:
    data = make().replace(b"?>", b'?>\n<!DOCTYPE ownershipDocument SYSTEM "http://127.0.0.1:9/o.dtd">', 1)
    with pytest.raises(UnsafeInputError):
        form4.read(data)


def test_oversized_document_refused() -> None:
    data = make().replace(b"None.", b"x" * (MAX_XML_BYTES + 1))
    with pytest.raises(UnsafeInputError, match="over the limit"):
        form4.read(data)


def test_entity_inside_submission_refused(tmp_path: Path) -> None:
    data = b"<SEC-DOCUMENT>\n<DOCUMENT>\n<TEXT>\n<XML>\n" + BILLION_LAUGHS + b"\n</XML>\n</TEXT>\n</DOCUMENT>\n"
    with pytest.raises(UnsafeInputError):
        form4.read(data)


def test_ordinary_filing_reads_without_network(no_network: None) -> None:
    assert form4.read(make()).issuer.name == "ACME & SONS"


@pytest.mark.parametrize("before", [b"", b"!", b"<!-- ! -->", b"<!-- <! -->", b"<![CDATA[!!]]>"])
def test_a_dtd_is_refused_wherever_it_is_and_whatever_comes_before_it(before: bytes) -> None:
    """The reader finds a DTD by the ``!`` marks in a document: after others, or where no
    DTD may stand (inside the root element, in a CDATA section), it is refused all the same."""
    inside = make().replace(b"<remarks>", b"<remarks>" + before + b"<![CDATA[<!DOCTYPE x]]>", 1)
    late = make().replace(b"</ownershipDocument>", before + b"<!DOCTYPE x></ownershipDocument>", 1)
    for data in (inside, late):
        with pytest.raises(UnsafeInputError, match="DTD or entity"):
            form4.read(data)
    assert form4.read(make().replace(b"<remarks>", b"<remarks>" + before, 1))  # marks alone are no DTD
