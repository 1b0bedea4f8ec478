"""A run of ``current_transactions`` rows in page order (newest first), on disk and read back
by memory mapping: the part of a server's index (form4.analytics.index) that stays the same
between two builds.

Every row becomes the JSON the API sends, written once to ``rows.json``; what a request filters
and sorts on is kept as NumPy arrays of small integers: each text column (accession number,
owner, issuer, code, table) as a rank among its sorted distinct values, so that ranks order as
the text does. The pages of these files the operating system holds are its page cache, not the
server's memory: a segment far larger than memory still answers, the rows asked for most from
memory. Each issuer's and each owner's rows are listed by position, grouped (compressed sparse
rows), so a request for one of them reads only its own.
"""

from __future__ import annotations

import datetime as dt
import json
import mmap
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import msgspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from form4.analytics import listing

FORMAT = 2  # a directory written by another version of this layout is rebuilt, not read
_EPOCH = dt.date(1970, 1, 1)
_ENCODE = msgspec.json.Encoder().encode
_TEXTS = ("accession", "owner", "owner_name", "issuer", "code", "table")  # ranked text columns
MISSING_DAY = -719162  # 0001-01-01, the listing's day for a row without a date
# what the view's rows are read with: the listing's day (its sort key) and the value min_value compares
Key = tuple[int, str, str, int, str, str]  # the listing's: day, accession, table, row, owner CIK and name
SELECT = (f"SELECT t.*, {listing.TRANSACTIONS.key[0]} AS _day, "
          "coalesce(t.total_value, t.shares * t.price_per_share) AS _value FROM current_transactions t")


@dataclass(frozen=True)
class Segment:
    directory: Path
    rows: int
    day: np.ndarray         # days since 1970 (a missing date as the listing's floor, 0001-01-01)
    accession: np.ndarray   # ranks in ``values["accession"]``; with day, table, row_index, owner: the key
    table: np.ndarray
    row_index: np.ndarray
    owner: np.ndarray
    owner_name: np.ndarray
    issuer: np.ndarray
    code: np.ndarray
    value: np.ndarray       # NaN where neither a value nor shares and price are given
    start: np.ndarray       # each row's JSON: rows.json[start:stop]
    stop: np.ndarray
    groups: dict[str, tuple[np.ndarray, np.ndarray]]  # issuer/owner: (positions grouped by rank, where each starts)
    values: dict[str, np.ndarray]  # each ranked column's sorted distinct values, as bytes
    blob: mmap.mmap | bytes

    # --- writing ---------------------------------------------------------------------------------

    @classmethod
    def write(cls, batches: Iterable[pa.Table], directory: Path) -> Segment:
        """Read the view's rows (from ``SELECT``, in any order) into a new segment in ``directory``."""
        directory.mkdir(parents=True)
        keys: dict[str, list[pa.Array]] = {name: [] for name in ("day", "row_index", "value", *_TEXTS)}
        offsets = [np.zeros(1, dtype=np.int64)]
        written = 0
        with open(directory / "rows.json", "wb") as out:
            for batch in batches:
                _keep_keys(batch, keys)
                encoded = [_ENCODE(row) for row in batch.drop(["_day", "_value"]).to_pylist()]
                out.write(b"".join(encoded))
                offsets.append(written + np.cumsum([len(e) for e in encoded], dtype=np.int64))
                written += sum(len(e) for e in encoded)
        ends = np.concatenate(offsets)
        columns, values = _ranked(keys)
        order = np.lexsort((columns["owner_name"], columns["owner"], columns["row_index"], columns["table"],
                            columns["accession"], columns["day"]))[::-1]  # the listing's order: newest first
        arrays = {name: column[order] for name, column in columns.items()}
        arrays["start"], arrays["stop"] = ends[:-1][order], ends[1:][order]
        for name in ("issuer", "owner"):
            grouped = np.argsort(arrays[name], kind="stable")  # stable: positions ascend within a group
            arrays[f"{name}_rows"] = grouped
            arrays[f"{name}_starts"] = np.searchsorted(arrays[name][grouped], np.arange(len(values[name]) + 1))
        for name, array in {**arrays, **{f"values_{k}": v for k, v in values.items()}}.items():
            np.save(directory / f"{name}.npy", array)
        (directory / "segment.json").write_text(json.dumps({"format": FORMAT, "rows": len(order)}))
        return cls.read(directory)

    # --- reading ---------------------------------------------------------------------------------

    @classmethod
    def read(cls, directory: Path) -> Segment:
        """The segment in ``directory``; ValueError when it is not one this version wrote."""
        meta = json.loads((directory / "segment.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory}: written in segment format {meta.get('format')}, not {FORMAT}")

        def load(name: str) -> np.ndarray:
            # a plain array over the map: NumPy's memmap type costs twice as much per element read
            return np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r"))

        with open(directory / "rows.json", "rb") as f:
            blob: mmap.mmap | bytes = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if f.seek(0, 2) else b""
        return cls(directory=directory, rows=int(meta["rows"]), day=load("day"), accession=load("accession"),
                   table=load("table"), row_index=load("row_index"), owner=load("owner"),
                   owner_name=load("owner_name"), issuer=load("issuer"),
                   code=load("code"), value=load("value"), start=load("start"), stop=load("stop"),
                   groups={n: (load(f"{n}_rows"), load(f"{n}_starts")) for n in ("issuer", "owner")},
                   values={n: load(f"values_{n}") for n in _TEXTS}, blob=blob)

    def remove(self) -> None:
        """Delete its files. Its maps stay open: a request still reading them keeps its pages,
        and the system frees them when the last one is gone."""
        shutil.rmtree(self.directory, ignore_errors=True)

    def json(self, positions: list[int]) -> list[bytes]:
        """The rows at ``positions``, each as the JSON the API sends."""
        blob = self.blob
        chosen = np.array(positions, dtype=np.int64)
        return [blob[a:b] for a, b in zip(self.start[chosen].tolist(), self.stop[chosen].tolist(), strict=True)]

    def key(self, position: int) -> Key:
        """The row's listing key, as the cursor holds it (the day as days since 1970)."""
        return (int(self.day[position]), self.text("accession", int(self.accession[position])),
                self.text("table", int(self.table[position])), int(self.row_index[position]),
                self.text("owner", int(self.owner[position])), self.text("owner_name", int(self.owner_name[position])))

    def text(self, column: str, rank: int) -> str:
        return bytes(self.values[column][rank]).decode()

    def rank(self, column: str, text: str) -> int | None:
        """The rank of ``text`` among the column's values; None when no row has it."""
        values = self.values[column]
        wanted = text.encode()
        at = int(np.searchsorted(values, wanted))
        return at if at < len(values) and bytes(values[at]) == wanted else None

    def ranks(self, column: str, texts: Iterable[str]) -> np.ndarray:
        """The ranks of those of ``texts`` some row has."""
        values = self.values[column]
        wanted = np.array([t.encode() for t in texts], dtype=bytes)
        if not len(values) or not len(wanted):
            return np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(values, wanted), len(values) - 1)
        return np.unique(at[values[at] == wanted])

    def rows_of(self, column: str, rank: int) -> np.ndarray:
        """The positions (ascending) of the rows whose issuer or owner has this rank."""
        grouped, starts = self.groups[column]
        return np.asarray(grouped[int(starts[rank]):int(starts[rank + 1])])

    def after(self, key: Key) -> int:
        """The first position whose key comes after ``key`` (keys descend with position)."""
        low, high = 0, self.rows
        while low < high:
            middle = (low + high) // 2
            if self.key(middle) < key:
                high = middle
            else:
                low = middle + 1
        return low



def day_number(day: dt.date) -> int:
    return (day - _EPOCH).days


def _keep_keys(batch: pa.Table, keys: dict[str, list[pa.Array]]) -> None:
    def texts(name: str) -> pa.Array:
        return pc.fill_null(batch.column(name).cast(pa.string()), "").combine_chunks()

    keys["day"].append(batch.column("_day").cast(pa.date32()).cast(pa.int32()).combine_chunks())
    keys["row_index"].append(batch.column("row_index").cast(pa.int32()).combine_chunks())
    keys["value"].append(batch.column("_value").cast(pa.float64()).combine_chunks())
    for key, column in (("accession", "accession_number"), ("owner", "owner_cik"), ("owner_name", "owner_name"),
                        ("issuer", "issuer_cik"), ("code", "transaction_code"), ("table", "table")):
        keys[key].append(texts(column))


def _ranked(keys: dict[str, list[pa.Array]]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The key columns as NumPy arrays, each text one as ranks; and each text column's values."""
    def joined(name: str, kind: pa.DataType) -> pa.ChunkedArray:
        return pa.chunked_array(keys[name], type=kind)

    columns: dict[str, np.ndarray] = {
        "day": joined("day", pa.int32()).to_numpy(), "row_index": joined("row_index", pa.int32()).to_numpy(),
        "value": joined("value", pa.float64()).to_numpy()}  # nulls become NaN
    values: dict[str, np.ndarray] = {}
    for name in _TEXTS:
        column = joined(name, pa.string())
        # Arrow sorts text by its UTF-8 bytes, which order as Python orders the strings
        distinct = pc.unique(column).sort() if len(column) else pa.array([], pa.string())
        ranks = pc.index_in(column, value_set=distinct).to_numpy() if len(column) else np.zeros(0)
        columns[name] = np.asarray(ranks, dtype=np.int32)
        values[name] = np.array([s.encode() for s in distinct.to_pylist()], dtype=bytes)
    return columns, values


def shown_day(day: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=day)
