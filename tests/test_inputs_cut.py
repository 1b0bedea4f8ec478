"""A .tar.gz cut short (a download stopped, a disk filled): every member complete before the cut
is read, as ``tar`` reads it, then one error says the archive was cut; nothing half-read passes for
a document."""

from __future__ import annotations

import gzip
import io
import shutil
import subprocess
import tarfile
import zlib
from pathlib import Path

import pytest

from form4.inputs import iter_documents
from tests.conftest import ROOT

FILINGS = sorted(p for p in (ROOT / "examples" / "filings").rglob("*") if p.is_file())


def archive(tmp_path: Path, fmt: int = tarfile.USTAR_FORMAT) -> tuple[bytes, dict[str, bytes]]:
    """A .tar.gz of the real example filings, and each member's bytes."""
    members = {p.name: p.read_bytes() for p in FILINGS}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=fmt) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0), members


def complete_before(cut: bytes) -> list[str]:
    """The members whose bytes all decompress from ``cut``: what a reader can have whole."""
    plain = zlib.decompressobj(wbits=31).decompress(cut)
    ends = []
    with tarfile.open(fileobj=io.BytesIO(plain + bytes(10240)), mode="r:") as tar:
        try:
            for member in tar:
                if member.offset_data + member.size <= len(plain):
                    ends.append(member.name)
        except tarfile.TarError:
            pass
    return ends


def tar_lists(path: Path) -> list[str]:
    """The members GNU tar extracts from the cut archive, whole or not (its own view of the cut)."""
    listed = subprocess.run(["tar", "-tzf", str(path)], capture_output=True, text=True)
    return listed.stdout.split()


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.PAX_FORMAT], ids=["ustar", "pax"])
def test_a_cut_tar_gz_yields_each_member_complete_before_the_cut_then_says_so(tmp_path: Path, fmt: int) -> None:
    whole, members = archive(tmp_path, fmt)
    cuts = sorted({len(whole) * share // 10 for share in range(1, 10)} | {len(whole) - 1, len(whole) - 30})
    for at in cuts:
        path = tmp_path / f"cut-{at}.tar.gz"
        path.write_bytes(whole[:at])
        documents = list(iter_documents(path))
        read = [d for d in documents if d.error is None]
        expected = complete_before(whole[:at])
        assert [d.name.split("::", 1)[1] for d in read] == expected, at
        assert all(d.data == members[d.name.split("::", 1)[1]] for d in read)  # each whole, byte for byte
        assert len(documents) == len(read) + 1 and documents[-1].name == str(path)
        error = documents[-1].error
        assert error is not None and "cut short" in str(error), str(error)
        if shutil.which("tar"):
            listed = tar_lists(path)
            assert listed[:len(expected)] == expected  # tar lists the same, and at most the one cut through
            assert len(listed) - len(expected) <= 1
    assert sum(1 for _ in iter_documents(_write(tmp_path / "whole.tar.gz", whole))) == len(members)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_cut_gzip_of_one_filing_is_an_error_not_half_a_filing(tmp_path: Path) -> None:
    data = FILINGS[0].read_bytes()
    whole = gzip.compress(data, mtime=0)
    for at in (len(whole) // 2, len(whole) - 4):
        documents = list(iter_documents(_write(tmp_path / "one.xml.gz", whole[:at])))
        assert len(documents) == 1 and documents[0].data == b""
        assert documents[0].error is not None and "cut short" in str(documents[0].error)
    assert [d.data for d in iter_documents(_write(tmp_path / "one.xml.gz", whole))] == [data]
