"""What the commands that write filings out (``write``, ``render``) were given: any input
``form4 parse`` reads, or records as ``form4 parse -f json`` (or ``jsonl``) prints them; and where
each one goes (a file, a folder of one file per filing, or standard output)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import typer

from form4.cli.app import made_folder
from form4.cli.output import FailureLog
from form4.errors import MalformedInputError, ReadError
from form4.inputs import Document, iter_documents
from form4.model import Filing

STDOUT = "-"


@dataclass(frozen=True)
class Given:
    """A filing and where the command was given it: the input, and its place in a JSON array ("[2]")."""

    filing: Filing
    source: str
    place: str = ""

    def field(self, path: str) -> str:
        return f"{self.place}.{path}" if self.place else path


def output_folder(xml: str) -> Path | None:
    """The folder ``--xml`` names, or None for a file: an existing folder, or a path ending in a separator."""
    if xml == STDOUT:
        return None
    if xml.endswith(("/", os.sep)) or Path(xml).is_dir():
        return made_folder(Path(xml))
    return None


def filing_stem(filing: Filing) -> str:
    if filing.accession_number:
        return filing.accession_number
    source = (filing.source_name or "filing").split("::")[-1]  # an archive's member: its own name
    return Path(source.replace("\\", "/")).stem or "filing"


def put(document: bytes, target: str) -> None:
    if target == STDOUT:
        typer.get_binary_stream("stdout").write(document)
    else:
        Path(target).write_bytes(document)


def given_filings(paths: list[str], failures: FailureLog) -> Iterator[Given]:
    from form4.parse import read_documents  # the readers load with the commands that read

    for doc in iter_documents(paths):
        if doc.error is None and _is_json(doc.data):
            for record in _records(doc):
                if isinstance(record, ReadError):
                    failures(record)  # one bad record of an array: the others are still written
                else:
                    yield record
        else:
            yield from (Given(filing, doc.name) for filing in read_documents([doc], on_error=failures))


def _is_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _records(doc: Document) -> Iterator[Given | ReadError]:
    """The records a JSON document holds (one object, an array of them, or one per line), or for
    each one that is not a record why not."""
    for source, prefix, value in _json_values(doc):
        if isinstance(value, ReadError):
            yield value
            continue
        try:
            filing = Filing.from_dict(value)
        except msgspec.ValidationError as exc:
            message, _, path = str(exc).partition(" - at `$")
            yield MalformedInputError(f"not a filing record: {message}", source=source,
                                      field=(prefix + path.rstrip("`")).lstrip(".") or None)
            continue
        filing.source_name = filing.source_name or source
        yield Given(filing, source, prefix)


def _json_values(doc: Document) -> Iterator[tuple[str, str, Any]]:
    """Each record's source, its place in the document ("[2]" in an array) and its value (or, for
    a line that is not JSON, why not)."""
    text = doc.data.removeprefix(b"\xef\xbb\xbf")
    try:
        whole = msgspec.json.decode(text)
    except msgspec.DecodeError:
        pass
    else:
        if isinstance(whole, list):
            yield from ((doc.name, f"[{index}]", value) for index, value in enumerate(whole))
        else:
            yield doc.name, "", whole
        return
    for number, line in enumerate(text.splitlines(), 1):  # JSON lines, as form4 parse -f jsonl prints
        if line.strip():
            source = f"{doc.name}:{number}"
            try:
                yield source, "", msgspec.json.decode(line)
            except msgspec.DecodeError as exc:
                yield source, "", MalformedInputError(f"not JSON: {exc}", source=source)
