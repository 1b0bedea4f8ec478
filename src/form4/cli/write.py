"""``form4 write``: filings written out as EDGAR ownership XML (thin over ``form4.writers.xml``).

The input is anything ``form4 parse`` reads, or records as ``form4 parse -f json`` (or ``jsonl``)
prints them. One filing goes to the file ``--xml`` names; several need a folder there, which
gets one document per filing, named by accession number (else by the input's name).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import msgspec
import typer
from rich.markup import escape

from form4.cli.app import command, fail, is_quiet, made_folder, unwrapped_console
from form4.cli.options import PathsArgument
from form4.cli.output import FailureLog, warned
from form4.errors import MalformedInputError, ReadError
from form4.inputs import Document, iter_documents
from form4.model import Filing

_STDOUT = "-"


@command()
def write(
    ctx: typer.Context,
    paths: PathsArgument,
    xml: Annotated[str, typer.Option(
        "--xml", metavar="PATH", help="The ownership document to write (- for standard output); a folder (one that "
        "exists, or a path ending in /) takes one document per filing, as ACCESSION.xml.", show_default=False)],
    incomplete: Annotated[bool, typer.Option(
        "--incomplete", help="Write documents that break the schema too (a lossy reading, a draft to complete), "
        "each problem shown as a warning.")] = False,
) -> None:
    """Write filings as EDGAR ownership XML (schema X0508), the document a filer submits.

    The inputs are anything form4 parse reads (XML, EDGAR submissions, HTML, PDF, scans, text) or records as form4
    parse -f json or -f jsonl prints them. Every field the record holds is written, in the schema's order, with its
    footnote references; what a record lacks (a value a scan could not read) is left out, never invented. Each
    document is checked against the SEC's schema before it is written: one that breaks it is not written, and each
    problem is a line FILE: PATH: message (--incomplete writes it all the same). One filing per document: inputs
    holding several need --xml to name a folder. A document that cannot be read or written is reported on
    standard error and the others are still written; the exit status is then 1.
    """
    from form4.validation.schema import schema_errors
    from form4.writers.xml import InvalidDocumentError, UnwritableRecordError, to_xml  # lxml loads with this command

    stderr = unwrapped_console(stderr=True)
    failures = FailureLog(None, stderr)
    given = _given(paths, failures)
    folder = _folder(xml)
    written = 0
    try:
        targets = _into_folder(given, folder) if folder else _into_one(given, xml, paths)
        for record, target in targets:
            for filing in warned(iter([record.filing]), stderr, is_quiet(ctx)):
                try:
                    document = to_xml(filing, check=not incomplete)
                except UnwritableRecordError as exc:
                    failures(ReadError(exc.message, source=record.source, field=record.field(exc.field)))
                    continue
                except InvalidDocumentError as exc:
                    for problem in exc.problems:
                        failures(ReadError(problem.message, source=record.source, field=problem.path))
                    continue
                if incomplete and not is_quiet(ctx):
                    for problem in schema_errors(document):
                        stderr.print("[yellow]warning[/yellow] " + escape(f"{record.source}: {problem.path}: "
                                     f"{problem.message}"), highlight=False, soft_wrap=True)
                _put(document, target)
                written += 1
    finally:
        failures.close()
    if not written and not failures.count:
        fail(f"{', '.join(paths)}: no filing found, nothing written")
    if written and not is_quiet(ctx) and xml != _STDOUT:
        place = f"to {folder}" if folder else f"as {xml}"
        stderr.print(f"wrote {written} ownership document{'s' if written != 1 else ''} {place}", highlight=False)
    if failures.count:
        raise typer.Exit(1)


def _folder(xml: str) -> Path | None:
    """The folder ``--xml`` names, or None for a file: an existing folder, or a path ending in a separator."""
    if xml == _STDOUT:
        return None
    if xml.endswith(("/", os.sep)) or Path(xml).is_dir():
        return made_folder(Path(xml))
    return None


@dataclass(frozen=True)
class Given:
    """A filing and where the command was given it: the input, and its place in a JSON array ("[2]")."""

    filing: Filing
    source: str
    place: str = ""

    def field(self, path: str) -> str:
        return f"{self.place}.{path}" if self.place else path


def _into_one(filings: Iterator[Given], xml: str, paths: list[str]) -> Iterator[tuple[Given, str]]:
    # Both filings are looked for before anything is written: a second one found after the first
    # document was written would leave a file that passes for the whole input.
    first, second = next(filings, None), next(filings, None)
    if second is not None:
        raise typer.BadParameter(f"{', '.join(paths)} holds several filings and a document holds one: give --xml "
                                 "a folder (a path ending in /) for one document each", param_hint="'--xml'")
    if first is not None:
        yield first, xml


def _into_folder(filings: Iterator[Given], folder: Path) -> Iterator[tuple[Given, str]]:
    taken: set[str] = set()
    for given in filings:
        stem = _stem(given.filing)
        name, count = stem, 1
        while name in taken:  # two records of one accession (a JSON array of drafts): neither lost
            count += 1
            name = f"{stem}-{count}"
        taken.add(name)
        yield given, str(folder / f"{name}.xml")


def _stem(filing: Filing) -> str:
    if filing.accession_number:
        return filing.accession_number
    source = (filing.source_name or "filing").split("::")[-1]  # an archive's member: its own name
    return Path(source.replace("\\", "/")).stem or "filing"


def _put(document: bytes, target: str) -> None:
    if target == _STDOUT:
        typer.get_binary_stream("stdout").write(document)
    else:
        Path(target).write_bytes(document)


# --- the inputs: documents any reader takes, or records as JSON ---------------------------------

def _given(paths: list[str], failures: FailureLog) -> Iterator[Given]:
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
