"""A Filing as rows of the store's tables, in the schema's column order, and the batch of
readings waiting to be stored."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from form4 import identity
from form4.model import (
    DerivativeHolding,
    DerivativeTransaction,
    Filing,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
    Warning,
)
from form4.store.schema import CONTENT, FILING_FIELDS, OWNER_FIELDS, ROW_FIELDS, TABLES, Columns

Rows = dict[str, list[tuple[Any, ...]]]
_ARROW = {"text": pa.string(), "int": pa.int32(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
          "timestamp": pa.timestamp("us", tz="UTC"), "bytes": pa.binary()}
_KINDS: dict[str, Any] = {"non_derivative_transactions": NonDerivativeTransaction,
                          "non_derivative_holdings": NonDerivativeHolding,
                          "derivative_transactions": DerivativeTransaction, "derivative_holdings": DerivativeHolding}

_SECTIONS = (("non_derivative", "transaction", "non_derivative_transactions"),
             ("non_derivative", "holding", "non_derivative_holdings"),
             ("derivative", "transaction", "derivative_transactions"),
             ("derivative", "holding", "derivative_holdings"))


def key_of(filing: Filing) -> str:
    """The filing's key: its accession number, or when it has none ``sha256:`` and the hash
    of what every rendering of it shows (form4.identity.content_key), so that its XML, its
    HTML page and its scan come to the same key whenever they are read without error."""
    if filing.accession_number:
        return filing.accession_number
    return CONTENT + identity.content_key(identity.fingerprint(filing))


def is_content_key(key: str) -> bool:
    return key.startswith(CONTENT)


def empty() -> Rows:
    return {table: [] for table in TABLES}


def arrow_table(columns: Columns, rows: Sequence[tuple[Any, ...]]) -> pa.Table:
    """Rows (tuples in ``columns``' order) as an Arrow table of the store's types: Arrow
    takes each tuple as a struct and splits the columns itself."""
    struct = pa.struct([(name, _ARROW[kind]) for name, kind in columns])
    return pa.Table.from_struct_array(pa.array(rows, type=struct))


def _without(table: pa.Table, keys: set[str]) -> pa.Table:
    """The table's rows whose key (first column) is not one of ``keys``."""
    if not keys or not table.num_rows:
        return table
    return table.filter(pc.invert(pc.is_in(table.column(0), value_set=pa.array(list(keys), pa.string()))))


class Reading(NamedTuple):
    """One document read as a filing: what ``filing_sources`` records of it."""

    key: str
    sha256: str  # of the document; of the record when there is none (an SEC data set's)
    path: str | None
    source: str
    doubts: int  # fields its reader flagged (form4.identity.doubts)

    @property
    def order(self) -> tuple[int, int]:
        return identity.order(self.source, self.doubts)


@dataclasses.dataclass
class Pending:
    """Readings not yet stored, and the rows of the most exact reading of each key: those
    already made Arrow tables (``sealed``, by a reader process, so that the writer only
    concatenates them) come before those still tuples (``rows``)."""

    rows: Rows = dataclasses.field(default_factory=empty)
    sealed: dict[str, list[pa.Table]] = dataclasses.field(default_factory=dict)  # by table: earlier rows, as Arrow
    readings: dict[tuple[str, str], Reading] = dataclasses.field(default_factory=dict)  # by key and document: once each
    kept: dict[str, Reading] = dataclasses.field(default_factory=dict)  # by key: the reading whose rows are in ``rows``

    def add(self, filing: Filing, path: str | None, sha256: str | None) -> None:
        key = key_of(filing)
        reading = Reading(key, sha256 or hashlib.sha256(filing.to_json().encode()).hexdigest(), path,
                          filing.source, identity.doubts(filing))
        if (key, reading.sha256) in self.readings:  # the same document twice
            return
        self.readings[key, reading.sha256] = reading
        kept = self.kept.get(key)
        if kept is None or reading.order < kept.order:  # on a tie the first one stands
            if kept is not None:
                self._drop({key})
            self.kept[key] = reading
            add(self.rows, filing, key, path, reading.sha256)

    def merge(self, other: Pending) -> None:
        ours = {k for k, r in other.kept.items() if k in self.kept and r.order >= self.kept[k].order}
        self._drop({k for k in other.kept if k in self.kept and k not in ours})
        if other.sealed:
            self.seal()  # in order: ours, then theirs
            for table, tables in other.sealed.items():
                self.sealed.setdefault(table, []).extend(_without(t, ours) for t in tables)
        for table, rows in other.rows.items():
            self.rows[table].extend((r for r in rows if r[0] not in ours) if ours else rows)
        self.kept.update((k, r) for k, r in other.kept.items() if k not in ours)
        for pair, reading in other.readings.items():
            self.readings.setdefault(pair, reading)

    def _drop(self, keys: set[str]) -> None:
        if keys:
            self.rows = {table: [r for r in rows if r[0] not in keys] for table, rows in self.rows.items()}
            self.sealed = {table: [_without(t, keys) for t in tables] for table, tables in self.sealed.items()}

    def seal(self) -> None:
        """Make the rows Arrow tables: a reader does, before its rows travel to the writer."""
        for table, rows in self.rows.items():
            if rows:
                self.sealed.setdefault(table, []).append(arrow_table(TABLES[table], rows))
        self.rows = empty()

    def table(self, name: str) -> pa.Table | list[tuple[Any, ...]]:
        """A table's rows: as Arrow when any are sealed, else as tuples."""
        if not self.sealed.get(name):
            return self.rows[name]
        tables = [*self.sealed[name], *([arrow_table(TABLES[name], self.rows[name])] if self.rows[name] else [])]
        return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


_ISSUER_FIELDS = {"issuer_cik": "issuer.cik", "issuer_name": "issuer.name", "trading_symbol": "issuer.trading_symbol"}
_HEAD = attrgetter(*(_ISSUER_FIELDS.get(name, name) for name, _ in FILING_FIELDS))
_OWNER = attrgetter(*(name for name, _ in OWNER_FIELDS))
_NOTE = attrgetter("id", "text")
_ROW_VALUES: dict[type[Any], Callable[[Any], tuple[Any, ...]]] = {}


def _row_values(kind: type[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A row's ROW_FIELDS values in order, None for those its kind has not: one getter per kind."""
    present = [name for name, _ in ROW_FIELDS if name in kind.__struct_fields__]
    values, order = attrgetter(*present), itemgetter(*(present.index(name) if name in present else len(present)
                                                       for name, _ in ROW_FIELDS))

    def get(row: Any) -> tuple[Any, ...]:
        got: tuple[Any, ...] = order((*values(row), None))
        return got

    _ROW_VALUES[kind] = get
    return get


def _json_encoder() -> Callable[[Any], str]:
    """``json.dumps`` with its defaults, made once: a row's footnotes are encoded for every row
    stored, and ``json.dumps`` builds its C encoder anew at each call. The same text exactly."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return json.dumps
    encode = make(None, json.encoder.JSONEncoder().default, json.encoder.encode_basestring_ascii, None,
                  ": ", ", ", False, False, True)

    def dumps(value: Any) -> str:
        return "".join(encode(value, 0))

    return dumps


_notes_json = _json_encoder()


def add(rows: Rows, filing: Filing, key: str, path: str | None, sha256: str | None) -> None:
    """Append one filing's rows to ``rows``."""
    owners = filing.reporting_owners
    rows["filings"].append((key, *_HEAD(filing), owners[0].cik if owners else None, None, filing.source, path, sha256,
                            json.dumps([w.to_dict() for w in filing.warnings]) if filing.warnings else None,
                            json.dumps(filing.confidence) if filing.confidence else None))
    if owners:
        rows["reporting_owners"].extend((key, i, *_OWNER(owner)) for i, owner in enumerate(owners))
    security, refs = rows["security_rows"], rows["footnote_refs"]
    for table, kind, attr in _SECTIONS:
        for i, row in enumerate(getattr(filing, attr)):
            values = _ROW_VALUES.get(type(row)) or _row_values(type(row))
            notes = row.footnotes
            security.append((key, table, kind, i, *values(row), _notes_json(notes) if notes else None))
            for field, ids in notes.items():
                for fid in ids:  # a loop, not a generator: most fields have one footnote
                    refs.append((key, table, kind, i, field, fid))
    if filing.footnotes:
        rows["footnotes"].extend((key, *_NOTE(note)) for note in filing.footnotes)
    if filing.signatures:
        rows["signatures"].extend((key, i, sig.name, sig.date) for i, sig in enumerate(filing.signatures))


def rebuild(engine: Any, where: str, params: list[Any]) -> Iterator[Filing]:
    """Filings rebuilt from the store's tables, in accession order."""
    filings_sql = f"SELECT * FROM filings {('WHERE ' + where) if where else ''} ORDER BY accession_number"
    head = engine.query(filings_sql, params).to_pylist()
    if not head:
        return
    keys = [row["accession_number"] for row in head]
    children = {table: _grouped(engine, table, keys) for table in
                ("reporting_owners", "security_rows", "footnotes", "signatures")}
    for row in head:
        key = row["accession_number"]
        filing = Filing(accession_number=key,  # "sha256:…" when EDGAR gave none
                        **{name: row[name] for name, _ in FILING_FIELDS if not name.startswith(("issuer_", "trading"))},
                        issuer=Issuer(cik=row["issuer_cik"], name=row["issuer_name"],
                                      trading_symbol=row["trading_symbol"]),
                        source=row["source"] or "xml", source_name=row["source_path"],
                        warnings=[Warning(**w) for w in json.loads(row["warnings"] or "[]")],
                        confidence=json.loads(row["confidence"] or "{}"))
        filing.reporting_owners = [ReportingOwner(**{n: o[n] for n, _ in OWNER_FIELDS})
                                   for o in children["reporting_owners"].get(key, [])]
        for r in children["security_rows"].get(key, []):
            attr = f"{r['table_name']}_{r['kind']}s"
            kind = _KINDS[attr]
            fields = {n: r[n] for n, _ in ROW_FIELDS if n in kind.__struct_fields__}
            getattr(filing, attr).append(kind(**fields, footnotes=json.loads(r["footnotes"] or "{}")))
        filing.footnotes = [Footnote(id=f["footnote_id"], text=f["text"]) for f in children["footnotes"].get(key, [])]
        filing.signatures = [Signature(name=s["name"], date=s["date"]) for s in children["signatures"].get(key, [])]
        yield filing


def _grouped(engine: Any, table: str, keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    order = {"reporting_owners": "owner_index", "security_rows": "table_name DESC, kind DESC, row_index",
             "footnotes": "footnote_id", "signatures": "signature_index"}[table]
    out: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(keys), 1000):
        chunk = keys[start:start + 1000]
        marks = ", ".join(engine.mark for _ in chunk)
        sql = f"SELECT * FROM {table} WHERE accession_number IN ({marks}) ORDER BY accession_number, {order}"
        for row in engine.query(sql, chunk).to_pylist():
            out.setdefault(row["accession_number"], []).append(row)
    return out
