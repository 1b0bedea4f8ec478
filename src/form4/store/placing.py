"""Where a batch's readings go among the stored filings, inside the batch's one transaction.

A reading is a new filing; or another reading of a stored one (the same accession number,
or, read without one, the same content: form4.identity), whose rows it replaces when it is
more exact; or a document recorded before, which changes nothing. ``filing_sources`` records
every reading. Content is compared only where a key is a content hash: a feed's XMLs, each
with its accession number, go in as one INSERT per table, as before.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa

from form4 import identity
from form4.store import records
from form4.store.records import Pending, is_content_key
from form4.store.schema import (
    CLUSTER_ORDER,
    CURRENT_ROWS,
    LINK_AMENDMENTS,
    PAGE_ROWS,
    QUARANTINE,
    SOURCES,
    TABLES,
    Columns,
    accession_in_path,
    column_defs,
    content_keyed,
    current_rows_of,
    page_copies,
)

_KEY: Columns = (("accession_number", "text"),)
_RENAME: Columns = (("old", "text"), ("new", "text"))
_SHA: Columns = (("sha256", "text"),)
_CHILDREN = [t for t in TABLES if t != "filings"]
# Stored filings a reading without accession number is compared with: its issuer's within a
# month of its period (a day misread), its period's of an issuer named alike (a ticker misread)
# or without ticker (none read, or none given), its issuer's when it gives no period. Tighter
# than its period's alone, which on EDGAR are a thousand filings a day.
_BLOCKS = (
    "f.trading_symbol = s.trading_symbol AND f.period_of_report BETWEEN s.period_of_report - INTERVAL '31 days' "
    "AND s.period_of_report + INTERVAL '31 days'",
    "f.period_of_report = s.period_of_report "
    "AND upper(substr(f.issuer_name, 1, 8)) = upper(substr(s.issuer_name, 1, 8))",
    "f.period_of_report = s.period_of_report AND (f.trading_symbol IS NULL OR s.trading_symbol IS NULL)",
    "s.period_of_report IS NULL AND f.trading_symbol = s.trading_symbol",
)


class Tx(Protocol):
    """An engine inside its write transaction."""

    dialect: str

    def stage(self, name: str, columns: Columns, rows: pa.Table | Sequence[tuple[Any, ...]]) -> None:
        """Rows (tuples, or an Arrow table) as table ``stage_{name}`` for this transaction; each
        name once per write."""

    def fetch(self, sql: str) -> list[tuple[Any, ...]]: ...

    def run(self, sql: str) -> None: ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> pa.Table: ...

    def unstage(self) -> None:
        """Every staged table emptied: a write of many batches stages each batch under the same names."""


@dataclass
class Outcome:
    new: int = 0  # filings stored that were not there
    duplicates: int = 0  # other readings of a filing stored before or in this batch
    upgraded: int = 0  # stored filings whose reading gave way to a more exact one


def write(tx: Tx, pending: Pending, quarantine: list[tuple[Any, ...]]) -> Outcome:
    placing, outcome = _place(tx, pending)
    if quarantine:
        tx.stage("quarantine", QUARANTINE, quarantine)
        tx.run(f"INSERT INTO quarantine SELECT *, {accession_in_path(tx.dialect, 'source_path')} "
               "FROM stage_quarantine ON CONFLICT (sha256) DO NOTHING")
    amended = {key for (key,) in tx.fetch(LINK_AMENDMENTS) if key is not None}
    placing.keep_current(amended)
    return outcome


def write_all(tx: Tx, batches: Iterable[Pending], done: Callable[[int], None] | None = None) -> Outcome:
    """Batches stored as one write (an SEC data set's quarter, read a chunk of filings at a time):
    each placed as ``write`` places a batch, then the amendments linked once over what is stored,
    and ``current_rows`` kept once, in its order. What each batch adds to ``current_rows`` is made
    from its staged rows as it is placed (the store's tables, at full history, are tens of millions
    of rows) into a table of the write's own; what a later batch or an amendment makes stale is made
    again from the tables at the end. ``done`` is told how many filings each batch held."""
    current = _Current(tx)
    total = Outcome()
    for pending in batches:
        placing, outcome = _place(tx, pending)
        current.add(placing)
        tx.unstage()  # the next batch stages its own rows under the same names
        total = Outcome(total.new + outcome.new, total.duplicates + outcome.duplicates,
                        total.upgraded + outcome.upgraded)
        if done is not None:
            done(len(pending.kept))
    current.finish({key for (key,) in tx.fetch(LINK_AMENDMENTS) if key is not None})
    return total


def _place(tx: Tx, pending: Pending) -> tuple[_Placing, Outcome]:
    """A batch staged, its filings placed among the stored ones and its readings recorded."""
    for table, columns in TABLES.items():
        tx.stage(table, columns, pending.table(table))
    placing = _Placing(tx, pending)
    placing.find_known()
    placing.insert_new()
    placing.settle_conflicts()
    placing.merge_alike()
    # the database's clock, not this machine's: writers on several machines stamp their readings by
    # one clock, which a server's index (form4.analytics.index) compares with the latest it applied
    (now,), = tx.fetch("SELECT CURRENT_TIMESTAMP")
    return placing, placing.record(now)


def _in(name: str) -> str:
    return f"(SELECT accession_number FROM stage_{name})"


_FRESH = "current_fresh"


@dataclass
class _Current:
    """``current_rows`` kept for a write of many batches (``write_all``): each batch's new
    filings' rows made from its staged rows into a table of the write's own, and at the end the
    stale ones taken out (of it and of the table) and made again from the tables, and the rest put
    in ``current_rows`` (and DuckDB's page copies) in one INSERT each, in order: on DuckDB, into
    a store that held none, ``current_rows`` is then in the order ``Store.cluster`` puts it in."""

    tx: Tx
    touched: set[str] = field(default_factory=set)  # keys whose rows a batch replaced, merged, moved or unlinked
    made: bool = False

    def add(self, placing: _Placing) -> None:
        tx = self.tx
        if not self.made:
            _make_fresh(tx)
            self.made = True
        touched = placing.touched()
        self.touched |= touched
        keys = placing.fresh_keys(touched)
        if keys is None:
            return
        # which of them an amendment replaces is known at the end: none is taken out yet
        placing._stage_keys("unamended", ())
        tx.run(current_rows_of(tx.dialect, keys, "stage_", amended=_in("unamended"), into=_FRESH))

    def finish(self, amended: set[str]) -> None:
        tx = self.tx
        if not self.made:
            return
        stale = self.touched | amended
        tx.stage("stale", _KEY, [(k,) for k in stale])
        if stale:
            _drop_stale(tx, (_FRESH,))
        if self.touched:
            tx.run(current_rows_of(tx.dialect, _in("stale"), into=_FRESH))
        ordered = tx.dialect == "duckdb"
        was_empty = ordered and tx.fetch("SELECT NOT EXISTS (SELECT 1 FROM current_rows)") == [(True,)]
        _put_fresh(tx, CLUSTER_ORDER if ordered else None)
        if was_empty:  # every row of the table put there in its order: as Store.cluster leaves it
            tx.run("DELETE FROM clustering")
            tx.run("INSERT INTO clustering SELECT count(*), now() FROM current_rows")


def _make_fresh(tx: Tx) -> None:
    """The write's own table of new current rows, made before they go to ``current_rows`` and its copies."""
    create = "CREATE OR REPLACE TEMP TABLE" if tx.dialect == "duckdb" else "CREATE TEMP TABLE"
    tx.run(f"{create} {_FRESH} ({', '.join(column_defs(tx.dialect, CURRENT_ROWS))})")


def _drop_stale(tx: Tx, also: Sequence[str] = ()) -> None:
    """The staged ``stale`` keys' rows out of ``current_rows``, its page copies and ``also``."""
    for table in ("current_rows", *page_copies(tx.dialect), *also):
        tx.run(f"DELETE FROM {table} WHERE accession_number IN {_in('stale')}")


def _put_fresh(tx: Tx, order: str | None = None) -> None:
    """The rows of the write's own table into ``current_rows`` (in ``order``, when given) and into
    each page copy in its order; the table dropped."""
    columns = ", ".join(name for name, _ in CURRENT_ROWS)
    tx.run(f"INSERT INTO current_rows ({columns}) SELECT {columns} FROM {_FRESH}"
           + (f" ORDER BY {order}" if order else ""))
    paged = ", ".join(name for name, _ in PAGE_ROWS)
    for table, page_order in page_copies(tx.dialect).items():  # in order among themselves
        tx.run(f"INSERT INTO {table} ({paged}) SELECT {paged} FROM {_FRESH} ORDER BY {page_order}")
    tx.run(f"DROP TABLE {_FRESH}")


@dataclass
class _Placing:
    tx: Tx
    pending: Pending
    known: dict[str, str] = field(default_factory=dict)  # sha256 of a content reading recorded before -> its filing
    skipped: set[str] = field(default_factory=set)  # keys whose kept reading was recorded before
    new: set[str] = field(default_factory=set)  # keys inserted by this batch
    recorded: set[tuple[str, str]] = field(default_factory=set)  # (key, sha256) recorded before, of keys stored
    replaced: set[str] = field(default_factory=set)  # stored keys whose rows a more exact reading replaced
    groups: list[tuple[set[str], str]] = field(default_factory=list)  # keys found to be one filing, the kept one
    moved: dict[str, str] = field(default_factory=dict)  # key -> the key its filing has now
    dropped: set[str] = field(default_factory=set)  # keys whose rows gave way within a group
    unlinked: set[str] = field(default_factory=set)  # filings that a reading replaced or dropped had amended

    def find_known(self) -> None:
        """Content readings recorded before: their key may have moved since (to an accession
        number, to a better reading's), so they are known by their document's hash."""
        shas = {(r.sha256,) for r in self.pending.readings.values() if is_content_key(r.key)}
        if not shas:
            return
        self.tx.stage("shas", _SHA, list(shas))
        self.known = dict(self.tx.fetch("SELECT s.sha256, min(f.accession_number) FROM stage_shas s "
                                        "JOIN filing_sources f ON f.source_sha256 = s.sha256 GROUP BY s.sha256"))
        self.skipped = {k for k, r in self.pending.kept.items() if is_content_key(k) and r.sha256 in self.known}

    def insert_new(self) -> None:
        where = ""
        if self.skipped:
            self._stage_keys("skipped", self.skipped)
            where = f" WHERE accession_number NOT IN {_in('skipped')}"
        inserted = self.tx.fetch(f"INSERT INTO filings SELECT * FROM stage_filings{where} ON CONFLICT DO NOTHING "
                                 "RETURNING accession_number")
        self.new = {key for (key,) in inserted}
        if self.new and len(self.new) == len(self.pending.kept):  # every key new (a feed's batch): every row goes in
            for table in _CHILDREN:
                self.tx.run(f"INSERT INTO {table} SELECT * FROM stage_{table}")
        elif self.new:
            self._stage_keys("new", self.new)
            self._copy_children("new")

    def settle_conflicts(self) -> None:
        """Keys stored before: the batch's reading replaces the stored one when more exact."""
        conflicts = set(self.pending.kept) - self.new - self.skipped
        if not conflicts:
            return
        self._stage_keys("conflicts", conflicts)
        self.recorded = set(self.tx.fetch("SELECT accession_number, source_sha256 FROM filing_sources "
                                          f"WHERE accession_number IN {_in('conflicts')}"))
        stored = self._orders("conflicts")
        self.replaced = {k for k in conflicts if (k, (r := self.pending.kept[k]).sha256) not in self.recorded
                         and r.order < stored[k]}
        if not self.replaced:
            return
        self._stage_keys("replaced", self.replaced)
        self._unlink("replaced")
        for table in _CHILDREN:
            self.tx.run(f"DELETE FROM {table} WHERE accession_number IN {_in('replaced')}")
        self._copy_children("replaced")
        columns = ", ".join(f"{name} = excluded.{name}" for name, _ in TABLES["filings"][1:])
        self.tx.run(f"INSERT INTO filings SELECT * FROM stage_filings WHERE accession_number IN {_in('replaced')} "
                    f"ON CONFLICT (accession_number) DO UPDATE SET {columns}")
        self.tx.run(f"UPDATE filing_sources SET kept = false WHERE accession_number IN {_in('replaced')}")

    def merge_alike(self) -> None:
        """Filings just stored that are one with another, new or stored, by their content
        (one key at least a content hash): each group keeps its most exact reading's rows,
        under its accession number when one of them has it."""
        pairs = self._candidates(self.new | self.replaced)
        if not pairs:
            return
        self._stage_keys("alike", {k for pair in pairs for k in pair})
        prints = self._prints("alike")
        scored = sorted((-identity.similarity(prints[a], prints[b]), a, b) for a, b in pairs)
        orders = self._orders("alike")
        renames = []
        for members in _groups(((a, b) for score, a, b in scored if score < 0), prints):  # scores negated: likest first
            # on a tie, a reading with an accession number (the submission's, which gives the filing
            # date too, over its bare XML), then the one stored before: whatever the order they came in
            kept = min(members, key=lambda k: (orders[k], is_content_key(k), k in self.new, k))
            target = next((k for k in members if not is_content_key(k)), kept)
            self.groups.append((members, kept))
            self.dropped |= members - {kept}
            self.moved.update((k, target) for k in members if k != target)
            if kept != target:
                renames.append((kept, target))
        if not self.groups:
            return
        self._stage_keys("dropped", self.dropped)
        self._unlink("dropped")
        for table in TABLES:
            self.tx.run(f"DELETE FROM {table} WHERE accession_number IN {_in('dropped')}")
        self.tx.run(f"UPDATE filing_sources SET kept = false WHERE accession_number IN {_in('dropped')}")
        self._rename("renamed", renames, [*TABLES])
        self._rename("moved", list(self.moved.items()), ["filing_sources"])
        self.tx.run("UPDATE filings SET amends = m.new FROM stage_moved m WHERE filings.amends = m.old")

    def record(self, now: dt.datetime) -> Outcome:
        """Every reading not recorded before goes to ``filing_sources``, under the key its
        filing has now; how many were new filings and how many other readings."""
        kept_keys = (self.new | self.replaced) - self.dropped
        rows = []
        for r in self.pending.readings.values():
            if (is_content_key(r.key) and r.sha256 in self.known) or (r.key, r.sha256) in self.recorded:
                continue  # read before: nothing to do
            kept = self.pending.kept[r.key]
            home = self.known[kept.sha256] if r.key in self.skipped else r.key
            rows.append((self.moved.get(home, home), r.source, r.path, r.sha256, r == kept and r.key in kept_keys, now))
        if rows:
            self.tx.stage("sources", SOURCES, rows)
            self.tx.run("INSERT INTO filing_sources SELECT * FROM stage_sources")
        grouped = {k for members, _ in self.groups for k in members}
        new = len(self.new - grouped) + sum(members <= self.new for members, _ in self.groups)
        upgraded = len(self.replaced - grouped) + sum(bool(members - self.new) and kept in self.new | self.replaced
                                                      for members, kept in self.groups)
        return Outcome(new=new, duplicates=len(rows) - new, upgraded=upgraded)

    def touched(self) -> set[str]:
        """Keys whose rows the batch replaced, merged or renamed, and filings it unlinked: their
        current rows are read again from the tables."""
        return self.replaced | self.dropped | set(self.moved) | set(self.moved.values()) | self.unlinked

    def keep_current(self, amended: set[str]) -> None:
        """``current_rows`` as the batch leaves the filings: a filing an amendment now replaces
        loses its rows there; a new one gains its own, read from the batch's staged rows (not
        from the tables, which at full history are tens of millions of rows); one whose rows
        were replaced, merged or renamed has them read again. The engine's page copies of
        ``current_rows`` (DuckDB's) change alike: the rows are made once and go to each."""
        copies = bool(page_copies(self.tx.dialect))
        into = _FRESH if copies else "current_rows"
        if copies:
            _make_fresh(self.tx)
        touched = self.touched()
        stale = touched | amended
        self._stage_keys("stale", stale)
        if stale:
            _drop_stale(self.tx)
        # a new filing is amended only by an amendment linked to it now: ``amended`` says which
        keys = self.fresh_keys(touched)
        if keys is not None:
            self.tx.run(current_rows_of(self.tx.dialect, keys, "stage_", amended=_in("stale"), into=into))
        if touched:
            self.tx.run(current_rows_of(self.tx.dialect, _in("stale"), into=into))
        if copies:
            _put_fresh(self.tx)

    def fresh_keys(self, touched: set[str]) -> str | None:
        """SQL for the keys of the batch's new filings that ``touched`` leaves to be made from the
        batch's staged rows (None: there are none)."""
        fresh = self.new - touched
        if fresh == set(self.pending.kept):  # every key of the batch new: every staged row
            return "(SELECT accession_number FROM stage_filings)"
        if not fresh:
            return None
        self._stage_keys("fresh", fresh)
        return _in("fresh")

    def _unlink(self, name: str) -> None:
        """The filings the staged keys amend: read again, the amendment may amend another or none."""
        self.unlinked |= {key for (key,) in self.tx.fetch(f"SELECT amends FROM filings WHERE amends IS NOT NULL "
                                                          f"AND accession_number IN {_in(name)}")}

    def _candidates(self, probes: set[str]) -> set[tuple[str, str]]:
        """Pairs of a probe and a stored filing that may be one, at least one a content hash."""
        if not probes:
            return set()
        content_probes = any(is_content_key(k) for k in probes)
        if not content_probes and self.tx.fetch(f"SELECT 1 FROM filings WHERE {content_keyed()} LIMIT 1") == []:
            return set()  # no content hash on either side (a data set's or a feed's filings, most stores)
        self._stage_keys("probes", probes)
        sides = [f"NOT {content_keyed('s')} AND {content_keyed('f')}"]  # cheap: a scan of content hashes
        if content_probes:
            sides.append(content_keyed("s"))
        selects = [f"SELECT s.accession_number, f.accession_number FROM stage_filings s JOIN filings f ON {block} "
                   f"WHERE s.accession_number IN {_in('probes')} AND f.accession_number <> s.accession_number "
                   f"AND {side}" for block in _BLOCKS for side in sides]
        found = self.tx.fetch(" UNION ".join(selects))
        return {(a, b) if a < b else (b, a) for a, b in found}

    def _prints(self, name: str) -> dict[str, identity.Fingerprint]:
        """The fingerprints of the staged keys' stored filings."""
        prints = {}
        for filing in records.rebuild(self.tx, f"accession_number IN {_in(name)}", []):
            key = str(filing.accession_number)
            if is_content_key(key):
                filing.accession_number = None  # a content hash is no accession number
            prints[key] = identity.fingerprint(filing)
        return prints

    def _orders(self, name: str) -> dict[str, tuple[int, int]]:
        """How exact the stored reading of each staged key is (form4.identity.order)."""
        rows = self.tx.fetch(f"SELECT accession_number, source, warnings, confidence FROM filings "
                             f"WHERE accession_number IN {_in(name)}")
        return {key: identity.order(source, len(json.loads(warnings or "[]")) + len(json.loads(confidence or "{}")))
                for key, source, warnings, confidence in rows}

    def _stage_keys(self, name: str, keys: Collection[str]) -> None:
        self.tx.stage(name, _KEY, [(k,) for k in keys])

    def _copy_children(self, name: str) -> None:
        for table in _CHILDREN:
            self.tx.run(f"INSERT INTO {table} SELECT * FROM stage_{table} WHERE accession_number IN {_in(name)}")

    def _rename(self, name: str, pairs: list[tuple[str, str]], tables: list[str]) -> None:
        self.tx.stage(name, _RENAME, pairs)
        for table in tables:
            self.tx.run(f"UPDATE {table} SET accession_number = r.new FROM stage_{name} r "
                        f"WHERE {table}.accession_number = r.old")


def _groups(pairs: Iterable[tuple[str, str]], prints: dict[str, identity.Fingerprint]) -> list[set[str]]:
    """Keys joined pair by pair, the likest pairs first. A lossy reading may join two others
    alike enough to it, but the anchors of a group (accession numbers, exact readings) must
    all be one filing: an EDGAR filing and its duplicate under another number stay two, and
    so do two filings a lossy reading is alike to both."""
    parent: dict[str, str] = {}
    anchors: dict[str, list[str]] = {}  # a group's root -> its anchors

    def root(key: str) -> str:
        if key not in parent:
            parent[key] = key
            anchors[key] = [key] if prints[key].exact or not is_content_key(key) else []
        while parent[key] != key:
            key = parent[key]
        return key

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb and all(identity.same_filing(prints[x], prints[y]) for x in anchors[ra] for y in anchors[rb]):
            parent[rb] = ra
            anchors[ra] += anchors.pop(rb)
    members: dict[str, set[str]] = {}
    for key in parent:
        members.setdefault(root(key), set()).add(key)
    return [group for group in members.values() if len(group) > 1]
