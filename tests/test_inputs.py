"""Inputs: files, directories, archives and stdin, streamed with flat memory."""

from __future__ import annotations

import gzip
import io
import tarfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import form4
from form4 import ReadError
from form4.inputs import iter_documents
from tests.conftest import CORPUS, expected_record

SUBMISSIONS = sorted((CORPUS / "txt").iterdir())


def tar_of(paths: list[Path], target: Path, mode: str = "w:gz") -> Path:
    with tarfile.open(target, mode) as tar:
        for path in paths:
            tar.add(path, arcname=f"20050103/{path.name}")
    return target


def test_directory_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for i, path in enumerate(SUBMISSIONS[:3]):
        (tmp_path / ("a/b" if i else "a") / path.name).write_bytes(path.read_bytes())
    got = {f.accession_number for f in form4.iter_filings(tmp_path)}
    assert got == {p.name.split(".")[0] for p in SUBMISSIONS[:3]}


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_tar_archives_of_feed_files(tmp_path: Path, mode: str) -> None:
    archive = tar_of(SUBMISSIONS, tmp_path / "20050103.nc.tar.gz", mode)
    filings = list(form4.iter_filings(archive))
    assert [f.accession_number for f in filings] == [expected_record(p.name.split(".")[0])["accession_number"]
                                                     for p in SUBMISSIONS]
    assert filings[0].source_name.startswith(str(archive) + "::")  # type: ignore[union-attr]


def test_zip_archive(tmp_path: Path) -> None:
    archive = tmp_path / "filings.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted((CORPUS / "xml").glob("dev11-0000?.xml")):
            zf.write(path, path.name)
    assert len(list(form4.iter_filings(archive))) == 10


def test_single_gzip_file(tmp_path: Path) -> None:
    path = tmp_path / "one.nc.gz"
    path.write_bytes(gzip.compress(SUBMISSIONS[0].read_bytes()))
    assert form4.read(path).accession_number == SUBMISSIONS[0].name.split(".")[0]


def test_a_bad_document_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<?xml version='1.0'?><ownershipDocument><issuer>")
    archive = tar_of([SUBMISSIONS[0], bad, SUBMISSIONS[1]], tmp_path / "mixed.tar.gz")
    errors: list[ReadError] = []
    filings = list(form4.iter_filings([archive, tmp_path / "missing.xml"], on_error=errors.append))
    assert len(filings) == 2
    assert [e.source for e in errors] == [f"{archive}::20050103/bad.xml", str(tmp_path / "missing.xml")]


def test_without_handler_the_first_failure_is_raised(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"not a filing at all")
    with pytest.raises(ReadError, match=r"bad\.xml"):
        list(form4.iter_filings(bad))


def test_broken_archive_is_one_error(tmp_path: Path) -> None:
    archive = tar_of(SUBMISSIONS[:5], tmp_path / "feed.tar.gz")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:-300])
    errors: list[ReadError] = []
    list(form4.iter_filings(truncated, on_error=errors.append))
    assert errors and "truncated.tar.gz" in str(errors[-1])


def test_memory_stays_flat_however_many_filings(tmp_path: Path) -> None:
    def peak(count: int) -> int:
        buffer = io.BytesIO()
        data = SUBMISSIONS[0].read_bytes()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for i in range(count):
                info = tarfile.TarInfo(f"{i:06d}.nc")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        path = tmp_path / f"{count}.tar.gz"
        path.write_bytes(buffer.getvalue())
        tracemalloc.start()
        assert sum(1 for _ in form4.iter_filings(path)) == count
        result = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result

    small, large = peak(200), peak(4000)
    assert large < small * 1.5 + 256 * 1024


def test_documents_are_detected_by_content_not_name(tmp_path: Path) -> None:
    odd = tmp_path / "filing.dat"
    odd.write_bytes(SUBMISSIONS[0].read_bytes())
    assert [d.name for d in iter_documents(odd)] == [str(odd)]
    assert form4.read(odd).source == "sgml"
