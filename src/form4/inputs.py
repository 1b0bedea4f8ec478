"""Documents from files, directories, archives (.zip, .tar, .tar.gz) and standard input.

Streamed: one document's bytes in memory at a time, however many pass through. An input
that cannot be opened becomes a Document carrying its error, so a batch goes on.

A directory's DuckDB databases are passed over, with the files DuckDB keeps beside one: a
store kept among the filings it was made from (``form4 ingest . --db store.duckdb``) is not
an input, nor is any other. Named on its own, a database is an input that is not a filing.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, Protocol

from form4.errors import ReadError, UnsafeInputError
from form4.readers.detect import ARCHIVES, Format, detect, is_archive

MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
STDIN = "-"
DUCKDB_MAGIC = (8, b"DUCK")  # where a DuckDB database file says what it is: after its header's checksum


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Document:
    """One input document: where it came from and its bytes, or why it could not be read."""

    name: str
    data: bytes = b""
    error: ReadError | None = None
    position: int = 0  # bytes of all the inputs read when this document was taken (for progress)


def iter_documents(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                   max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[Document]:
    """Every document under ``paths``: files, directories (recursive), archives, ``-`` (stdin)."""
    done = 0
    for path in _paths(paths):
        if str(path) == STDIN:
            yield from _from_stream(sys.stdin.buffer, "<stdin>", max_bytes)
            continue
        for file in input_files(Path(path)):
            for doc, read in _from_file(file, max_bytes):
                yield replace(doc, position=done + read)
            done += _size(file)


def input_bytes(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> int | None:
    """The size of every file under ``paths``: the total a progress bar counts towards
    (None when standard input is among them)."""
    total = 0
    for path in _paths(paths):
        if str(path) == STDIN:
            return None
        total += sum(_size(file) for file in input_files(Path(path)))
    return total


def _paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterable[str | os.PathLike[str]]:
    return [paths] if isinstance(paths, (str, os.PathLike)) else paths


def input_files(path: Path) -> list[Path]:
    """The files ``path`` names: itself, or the files under a directory in order but for its
    DuckDB databases and their companions."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and not _of_a_database(p, path))


def _of_a_database(file: Path, root: Path) -> bool:
    """A DuckDB database, or a file DuckDB keeps beside database ``X``: its write-ahead log
    ``X.wal`` (which has no mark of its own) or what it spills into ``X.tmp``."""
    if is_duckdb(file) or (file.name.endswith(".wal") and is_duckdb(file.with_name(file.name[:-4]))):
        return True
    folders = file.parents[:len(file.relative_to(root).parts) - 1]  # the file's folders under root
    return any(is_duckdb(p.with_name(p.name[:-4])) for p in (file, *folders) if p.name.endswith(".tmp"))


def is_duckdb(path: Path) -> bool:
    """Whether the file is a DuckDB database (False when it cannot be read)."""
    at, magic = DUCKDB_MAGIC
    try:
        with open(path, "rb") as fh:
            return fh.read(at + len(magic))[at:] == magic
    except OSError:
        return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _from_file(path: Path, max_bytes: int) -> Iterator[tuple[Document, int]]:
    """The file's documents, each with the bytes of the file read so far."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            for doc in _from_stream(fh, name, max_bytes):
                yield doc, fh.tell()
    except OSError as exc:
        yield Document(name, error=ReadError(exc.strerror or str(exc), source=name)), 0


def _from_stream(fh: IO[bytes], name: str, max_bytes: int) -> Iterator[Document]:
    buffered: Any = fh if hasattr(fh, "peek") else io.BufferedReader(fh)
    head = buffered.peek(1024)[:1024]
    at, magic = DUCKDB_MAGIC
    if head[at:at + len(magic)] == magic:  # a store named as an input, or inside an archive
        yield Document(name, error=ReadError("a DuckDB database (a form4 store?), not a filing", source=name))
        return
    kind = detect(head)
    if kind not in ARCHIVES:
        yield _document(buffered, name, max_bytes)
    elif kind is Format.ZIP:
        yield from _from_zip(buffered, name, max_bytes)
    elif kind is Format.TAR:
        yield from _from_tar(buffered, name, max_bytes)
    else:
        yield from _from_gzip(buffered, name, max_bytes)


def _document(fh: _Readable, name: str, max_bytes: int) -> Document:
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        return Document(name, error=UnsafeInputError(f"more than {max_bytes} bytes", source=name))
    if not data:  # nothing to read a form from: said as it is, not as a form not found
        return Document(name, error=ReadError("empty file", source=name))
    return Document(name, data)


def _from_gzip(fh: IO[bytes], name: str, max_bytes: int) -> Iterator[Document]:
    inner = _Decompressed(gzip.GzipFile(fileobj=fh, mode="rb"))
    head = inner.peek(1024)[:1024]
    if inner.cut is not None and not head:
        yield Document(name, error=ReadError(f"broken gzip data: {inner.cut}", source=name))
        return
    if detect(head) is Format.TAR:
        yield from _guarded(name, lambda: _tar_members(_Blocks(inner), name, max_bytes), cut=inner)
        return
    document = _document(inner, name, max_bytes)
    if inner.cut is not None:  # one document, and not all of it: nothing to read
        document = Document(name, error=ReadError(_cut_message(inner.cut), source=name))
    yield document


class _Decompressed:
    """A gzip stream read so that data cut short loses nothing decompressed before the cut.

    ``GzipFile.read(n)`` gathers ``n`` bytes over several reads and, when the compressed data ends
    early, raises and drops what it had gathered: here each read is one ``read1`` (what one
    decompression gives), so the bytes up to the cut all come out; then the stream ends, and
    ``cut`` says why, for the archive read from it to report once its complete members are out.
    """

    def __init__(self, gz: gzip.GzipFile) -> None:
        self.gz = gz
        self.cut: Exception | None = None

    def peek(self, size: int) -> bytes:
        try:
            return self.gz.peek(size)
        except (OSError, EOFError, zlib.error) as exc:
            self.cut = exc
            return b""

    def read(self, size: int = -1) -> bytes:
        pieces: list[bytes] = []
        wanted = size if size >= 0 else None
        while self.cut is None and (wanted is None or wanted > 0):
            try:
                piece = self.gz.read1(wanted if wanted is not None else _TAR_READ)
            except (OSError, EOFError, zlib.error) as exc:
                self.cut = exc
                break
            if not piece:
                break
            pieces.append(piece)
            if wanted is not None:
                wanted -= len(piece)
        return b"".join(pieces)


def _cut_message(cut: Exception) -> str:
    return f"cut short, its compressed data ending early ({cut})"


def _from_tar(fh: IO[bytes], name: str, max_bytes: int) -> Iterator[Document]:
    yield from _guarded(name, lambda: _tar_members(_Blocks(fh), name, max_bytes))


_NUL_BLOCK = bytes(512)
_TAR_READ = 1 << 16


class _Blocks:
    """A stream read ahead in large pieces, for the tar headers and members cut from it."""

    def __init__(self, fh: _Readable) -> None:
        self.fh = fh
        self.buffer = b""
        self.pos = 0

    def take(self, size: int) -> bytes:
        """Up to ``size`` bytes (fewer only at the end of the stream)."""
        if len(self.buffer) - self.pos < size:
            pieces = [self.buffer[self.pos:]]
            have = len(pieces[0])
            while have < size:
                piece = self.fh.read(max(_TAR_READ, size - have))
                if not piece:
                    break
                pieces.append(piece)
                have += len(piece)
            self.buffer, self.pos = b"".join(pieces), 0
        out = self.buffer[self.pos:self.pos + size]
        self.pos += len(out)
        return out

    def read(self, size: int = -1) -> bytes:
        """The file-like side: what ``tarfile`` reads once it takes over."""
        if size < 0:
            rest = self.buffer[self.pos:] + self.fh.read()
            self.buffer, self.pos = b"", 0
            return rest
        return self.take(size)


def _plain_member(header: bytes) -> tuple[str, int, bool] | None:
    """A ustar (or v7) header of a regular file or a directory with nothing unusual: its
    name, size and whether it is a file. None for any other header, left to ``tarfile``."""
    kind = header[156:157]
    if kind not in (b"0", b"\0", b"5") or header[124] & 0x80:
        return None
    magic = header[257:265]
    if magic != b"ustar\x0000" and (magic.strip(b"\0") or header[345]):
        return None  # GNU or other formats, or a prefix that tarfile would read its own way
    try:
        size = int(header[124:136].split(b"\0", 1)[0].strip() or b"0", 8)
        checksum = int(header[148:156].split(b"\0", 1)[0].strip() or b"0", 8)
    except ValueError:
        return None
    if checksum != 256 + sum(header) - sum(header[148:156]):
        return None
    raw = header[:100].split(b"\0", 1)[0]
    if header[345]:
        raw = header[345:500].split(b"\0", 1)[0] + b"/" + raw
    member = raw.decode(tarfile.ENCODING, "surrogateescape")
    is_file = kind != b"5" and not (kind == b"\0" and member.endswith("/"))
    return member, size, is_file


def _tar_members(blocks: _Blocks, name: str, max_bytes: int) -> Iterator[Document]:
    """Members of a tar stream: plain ustar headers of files are read here, a block at a time
    and a member in one piece; from the first header of any other kind (pax, GNU long names,
    links, a broken header) ``tarfile`` reads the rest, as it would have read it all."""
    first = True
    while True:
        header = blocks.take(512)
        plain = _plain_member(header) if len(header) == 512 else None
        if plain is None:
            if first or (len(header) == 512 and header != _NUL_BLOCK and _tar_valid(header)):
                blocks.pos -= len(header)  # tarfile reads from this header on
                yield from _tarfile_members(blocks, name, max_bytes)
            return  # an end block, a short or broken header after members: the end, as tarfile has it
        first = False
        member, size, is_file = plain
        member_name = f"{name}::{member}"
        padded = -size % 512
        if not is_file or size > max_bytes:
            if is_file:
                yield _too_big(member_name, size, max_bytes)
            _skip(blocks, size + padded)
            continue
        data = blocks.take(size)
        if len(data) < size:
            raise tarfile.ReadError("unexpected end of data")
        if is_archive(data[:1024]):
            yield from _from_stream(io.BytesIO(data), member_name, max_bytes)
        else:
            yield Document(member_name, data)
        _skip(blocks, padded)


def _skip(blocks: _Blocks, size: int) -> None:
    while size > 0:
        got = len(blocks.take(min(size, 1 << 20)))
        if not got:
            raise tarfile.ReadError("unexpected end of data")
        size -= got


def _tar_valid(header: bytes) -> bool:
    """Whether tarfile would take the header (its checksum, signed or not, holds)."""
    try:
        tarfile.TarInfo.frombuf(header, tarfile.ENCODING, "surrogateescape")
    except tarfile.HeaderError:
        return False
    return True


def _tarfile_members(fh: Any, name: str, max_bytes: int) -> Iterator[Document]:
    with tarfile.open(fileobj=fh, mode="r|*") as tar:
        for member in tar:
            if not member.isfile():
                continue
            member_name = f"{name}::{member.name}"
            if member.size > max_bytes:
                yield _too_big(member_name, member.size, max_bytes)
                continue
            extracted = tar.extractfile(member)
            if extracted is not None:
                yield from _from_stream(extracted, member_name, max_bytes)
            tar.members = []  # type: ignore[attr-defined]  # TarFile keeps every member it read


def _from_zip(fh: IO[bytes], name: str, max_bytes: int) -> Iterator[Document]:
    def members() -> Iterator[Document]:
        seekable = fh if fh.seekable() else io.BytesIO(fh.read())
        with zipfile.ZipFile(seekable) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                member_name = f"{name}::{info.filename}"
                if info.file_size > max_bytes:
                    yield _too_big(member_name, info.file_size, max_bytes)
                    continue
                with archive.open(info) as member:
                    yield from _from_stream(member, member_name, max_bytes)

    yield from _guarded(name, members)


def _too_big(member_name: str, size: int, max_bytes: int) -> Document:
    """An archive member refused unread for its size (the size its archive claims for it)."""
    return Document(member_name, error=UnsafeInputError(f"{size} bytes is over the limit of {max_bytes}",
                                                        source=member_name))


def _guarded(name: str, documents: Callable[[], Iterator[Document]],
             cut: _Decompressed | None = None) -> Iterator[Document]:
    """Yield from an archive; a broken archive ends as one error document, not a crash. An
    archive whose compressed stream was ``cut`` short yields every member complete before the
    cut, then one error saying so (the member the cut went through is not one of them)."""
    try:
        yield from documents()
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile, ValueError) as exc:
        if cut is None or cut.cut is None:
            yield Document(name, error=ReadError(f"broken archive: {exc}", source=name))
    if cut is not None and cut.cut is not None:
        yield Document(name, error=ReadError(f"{_cut_message(cut.cut)}: the members complete before the cut "
                                             "were read", source=name))



def tar_slices(path: Path, size: int) -> list[tuple[int, int]] | None:
    """Byte ranges of an uncompressed tar file, each starting at a member's header and holding
    whole members, about ``size`` bytes apiece, so that several processes can read one archive
    (``iter_tar_slice``) as ``iter_documents`` reads it whole. Only plain ustar headers of files
    are cut between: from the first header of any other kind (pax, long names, links, a broken
    one) the rest is one range, read as a whole file's would be. None for any other file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
            at, magic = DUCKDB_MAGIC
            if head[at:at + len(magic)] == magic or detect(head) is not Format.TAR:
                return None
            fh.seek(0)
            return _cuts(fh, size, os.fstat(fh.fileno()).st_size)
    except OSError:
        return None  # read whole, where the error is reported as for any input


def _cuts(fh: IO[bytes], size: int, total: int) -> list[tuple[int, int]]:
    """Where the ranges start: at plain headers only, each at least ``size`` bytes past the last."""
    starts = [0]
    at = 0
    while True:
        fh.seek(at)
        header = fh.read(512)
        plain = _plain_member(header) if len(header) == 512 else None
        if plain is None:
            break
        if at - starts[-1] >= size:
            starts.append(at)
        at += 512 + plain[1] + (-plain[1] % 512)
    return [(start, end) for start, end in zip(starts, [*starts[1:], total], strict=True)]


def iter_tar_slice(path: Path, start: int, end: int, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[Document]:
    """The documents of one range of ``tar_slices``, named as ``iter_documents`` names them."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            members = _Blocks(_Range(fh, end - start))
            yield from _guarded(name, lambda: _tar_members(members, name, max_bytes))  # as _from_tar
    except OSError as exc:
        yield Document(name, error=ReadError(exc.strerror or str(exc), source=name))


class _Range:
    """The first ``size`` bytes of a stream."""

    def __init__(self, fh: IO[bytes], size: int) -> None:
        self.fh = fh
        self.left = size

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(self.left if size < 0 else min(size, self.left))
        self.left -= len(data)
        return data
