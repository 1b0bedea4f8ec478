"""One uncompressed tar read by several processes, a slice of whole members each: the slices
give the documents the whole archive gives, in its order, with the same names and errors,
whatever is in it."""

from __future__ import annotations

import io
import itertools
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from form4.inputs import iter_documents, iter_tar_slice, tar_slices
from form4.pipeline import ingest
from form4.pipeline import units as units_module
from form4.pipeline.units import TarSlice, input_units
from form4.store import Store
from tests.conftest import CORPUS
from tests.store.snapshot import snapshot

XMLS = sorted((CORPUS / "xml").glob("*.xml"))


def _add(tar: tarfile.TarFile, name: str, data: bytes, **info: object) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(data)
    for key, value in info.items():
        setattr(member, key, value)
    tar.addfile(member, io.BytesIO(data))


def _zip_of(paths: list[Path]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in paths:
            archive.writestr(path.name, path.read_bytes())
    return out.getvalue()


def _plain(tar: tarfile.TarFile) -> None:
    for i, path in enumerate(XMLS * 3):
        _add(tar, f"day/{i:04d}-{path.name}", path.read_bytes())


def _odd_members(tar: tarfile.TarFile) -> None:
    """Files, a folder, an empty file, a nested zip, and a member with a long name (a pax
    header) two thirds in: from there on the rest is read as tarfile reads it."""
    for i, path in enumerate(XMLS * 3):
        if i == 5:
            tar.addfile(tarfile.TarInfo("day/sub"), None)  # a folder
        if i == 9:
            _add(tar, "day/empty.xml", b"")
        if i == 20:
            _add(tar, "day/nested.zip", _zip_of(XMLS[:3]))
        if i == 130:
            _add(tar, "day/" + "long-" * 40 + path.name, path.read_bytes())
        _add(tar, f"day/{i:04d}-{path.name}", path.read_bytes())


def _archive(tmp_path: Path, fill: Callable[[tarfile.TarFile], None], fmt: int = tarfile.PAX_FORMAT) -> Path:
    target = tmp_path / "feed.tar"
    with tarfile.open(target, "w", format=fmt) as tar:
        fill(tar)
    return target


def _sliced(archive: Path, size: int) -> list[tuple[str, bytes, str | None]]:
    slices = tar_slices(archive, size)
    assert slices is not None
    return [(d.name, d.data, str(d.error) if d.error else None)
            for start, end in slices for d in iter_tar_slice(archive, start, end)]


def _whole(archive: Path) -> list[tuple[str, bytes, str | None]]:
    return [(d.name, d.data, str(d.error) if d.error else None) for d in iter_documents(archive)]


@pytest.mark.parametrize("fill", [_plain, _odd_members])
@pytest.mark.parametrize("size", [1, 20_000, 200_000, 1 << 40])
def test_slices_give_what_the_whole_archive_gives(tmp_path: Path, fill: Callable[[tarfile.TarFile], None],
                                                  size: int) -> None:
    archive = _archive(tmp_path, fill)
    whole = _whole(archive)
    assert len(whole) > 150
    assert _sliced(archive, size) == whole


def test_slices_are_cut_at_plain_headers_only(tmp_path: Path) -> None:
    archive = _archive(tmp_path, _odd_members)
    slices = tar_slices(archive, 1)
    assert slices is not None and len(slices) > 100
    assert slices[0][0] == 0 and slices[-1][1] == archive.stat().st_size
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(slices))
    # the long name's pax header stops the cutting: the last slice holds it and every member after
    last = [d.name for d in iter_tar_slice(archive, *slices[-1])]
    assert any("long-long" in name for name in last) and len(last) > 50


def test_a_cut_short_archive_ends_as_when_read_whole(tmp_path: Path) -> None:
    archive = _archive(tmp_path, _plain)
    archive.write_bytes(archive.read_bytes()[:archive.stat().st_size // 2 + 700])
    whole = _whole(archive)
    assert whole[-1][2] is not None and "broken archive" in whole[-1][2]
    assert _sliced(archive, 30_000) == whole


def test_gnu_archives_and_other_files_are_not_sliced(tmp_path: Path) -> None:
    gnu = _archive(tmp_path, _plain, tarfile.GNU_FORMAT)
    assert tar_slices(gnu, 1) == [(0, gnu.stat().st_size)]
    assert tar_slices(XMLS[0], 1) is None
    assert tar_slices(tmp_path / "missing.tar", 1) is None


def test_a_large_tar_is_read_in_slices_and_stored_as_when_read_whole(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    archive = _archive(tmp_path, _odd_members)
    monkeypatch.setattr(units_module, "UNIT_BYTES", 50_000)
    units = list(input_units([CORPUS / "txt" / "0001031563-05-000019.txt", archive]))
    assert units[0][0] == [str(CORPUS / "txt" / "0001031563-05-000019.txt")]
    assert all(isinstance(files, TarSlice) for files, _ in units[1:]) and len(units) > 10
    assert sum(size for _, size in units[1:]) == archive.stat().st_size
    with Store(str(tmp_path / "sliced.duckdb")) as sliced, Store(str(tmp_path / "whole.duckdb")) as whole:
        by_slices = ingest(sliced, [archive], workers=2, batch=50)
        by_one = ingest(whole, [archive], workers=1, batch=50)
        assert (by_slices.documents, by_slices.new, by_slices.quarantined) == \
            (by_one.documents, by_one.new, by_one.quarantined)
        assert by_one.quarantined > 0 and by_one.duplicates > 0  # the empty member; the corpus thrice
        assert snapshot(sliced) == snapshot(whole)
