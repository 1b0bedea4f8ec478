"""A local EDGAR mirror: filings written under a root at the paths EDGAR serves them, in EDGAR's shapes.

``build_mirror(root, filings)`` writes each filing's ``ACCESSION.txt`` and folder (``index.json``, its
``-index.htm(l)`` pages and the primary document) under every party's CIK; the daily indexes (``form``,
``company``, ``master``) and the quarterly ones, plain and compressed (``form.gz``…); the quarter listings;
one feed archive per day; the submissions JSON of every CIK (older filings on a ``-submissions-001.json``
page); ``company_tickers.json`` and the Atom feeds. ``Mirror.add`` files more later, so a watcher sees new ones.
``Mirror.publish_datasets`` publishes quarters' Insider Transactions Data Sets (the zips and the SEC's page
listing them); which quarters it publishes is the caller's choice, so that a mirror can have days only its
daily indexes list before the first data set and after the newest, as EDGAR has.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import re
import tarfile
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from form4.edgar import paths
from form4.mirror import shapes
from form4.mirror.filing import MirrorFiling, documents_of, nc_form

__all__ = ["FEED_COUNT", "FEED_DEPTH", "INDEX_KINDS", "Mirror", "build_mirror", "empty_quarter"]

INDEX_KINDS = ("form", "company", "master")
FEED_COUNT = 40  # entries of a feed page when the request names no count, as on EDGAR
FEED_DEPTH = 5100  # EDGAR answers 503 for a feed page starting past this many entries
_OPENING = dt.time(6)  # the first filing of a day is accepted at 06:00 in New York


_QUARTER_FILE = re.compile(r"/Archives/edgar/(?:daily-index/(\d{4})/QTR([1-4])/index\.json|"
                           r"full-index/(\d{4})/QTR([1-4])/(form|company|master)\.(idx|gz))")
FIRST_QUARTER = (1993, 1)  # EDGAR's indexes begin with 1993


def empty_quarter(path: str, today: dt.date | None = None) -> bytes | None:
    """What EDGAR serves for a quarter without filings, at a quarter's listing or full index: the listing
    without items, the index with its header alone. None for other paths and quarters EDGAR does not have
    (before 1993, after today's)."""
    found = _QUARTER_FILE.fullmatch(path)
    if found is None:
        return None
    today = today or dt.date.today()
    year, quarter = int(found.group(1) or found.group(3)), int(found.group(2) or found.group(4))
    if not FIRST_QUARTER <= (year, quarter) <= (today.year, paths.quarter_of(today)):
        return None
    if found.group(1):
        return shapes.quarter_listing(year, quarter, [])
    end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
    render = dict(zip(INDEX_KINDS, (shapes.form_idx, shapes.company_idx, shapes.master_idx), strict=True))
    body = render[found.group(5)]([], False, min(today, end))
    return gzip.compress(body, mtime=0) if found.group(6) == "gz" else body


@dataclass
class Mirror:
    """A root directory laid out as EDGAR; ``add`` writes more filings and refreshes what lists them."""

    root: Path
    page_size: int = 5
    filings: list[MirrorFiling] = field(default_factory=list)
    _accepted: dict[str, dt.datetime] = field(default_factory=dict, repr=False)
    _on_day: Counter[dt.date] = field(default_factory=Counter, repr=False)
    _made: set[Path] = field(default_factory=set, repr=False)  # directories known to exist
    datasets: dict[tuple[int, int], int] = field(default_factory=dict)  # quarters published: the zip's size

    def atom_file(self, form: str) -> str:
        """The EDGAR-like path the default ``getcurrent`` feed of a form type is written at."""
        return f"/cgi-bin/browse-edgar/getcurrent-{form}.atom"

    def file(self, path: str) -> Path:
        """Where an EDGAR path (query stripped) lives under the root."""
        return self.root / path.split("?", 1)[0].lstrip("/")

    def accepted(self, f: MirrorFiling) -> dt.datetime:
        """When EDGAR accepted a filing: in the order filings were added, a second apart from 06:00 of
        its day, so that the feed's ``updated`` grows as a watcher expects."""
        at = self._accepted.get(f.accession_number)
        if at is None:
            at = dt.datetime.combine(f.filed, _OPENING, shapes.NEW_YORK) + dt.timedelta(seconds=self._on_day[f.filed])
            self._on_day[f.filed] += 1
            self._accepted[f.accession_number] = at
        return at

    def add(self, filings: Iterable[MirrorFiling]) -> list[MirrorFiling]:
        new = list(filings)
        known = {f.accession_number for f in self.filings}
        for f in new:
            if f.accession_number in known:
                raise ValueError(f"accession {f.accession_number} is in the mirror already")
            known.add(f.accession_number)
        for f in new:  # its files first: a feed read meanwhile lists no filing that is not there yet
            self.accepted(f)
            self._write_filing(f)
        self.filings.extend(new)
        self._write_lists({f.filed for f in new}, {cik for f in new for cik, _, _ in f.parties()})
        return new

    def atom(self, form: str = "4", start: int = 0, count: int = FEED_COUNT, owner: str = "include",
             now: dt.datetime | None = None) -> bytes:
        """A ``getcurrent`` feed page: newest first, one entry per party. ``form`` matches form types as a
        prefix, as EDGAR's does (type=4 brings 424B2 and 40-F too); ``owner`` is include, exclude or only
        (the Section 16 forms)."""
        wanted = [f for f in self.filings if f.form_type.startswith(form.upper())
                  and (owner == "include" or (owner == "only") == f.section_16)]
        newest = sorted(wanted, key=self.accepted, reverse=True)
        entries = [(f, self.accepted(f), cik, name, role) for f in newest for cik, name, role in f.parties()]
        return shapes.atom_feed(entries[start: start + count], now or dt.datetime.now(dt.UTC))

    def publish_datasets(self, quarters: Iterable[tuple[int, int]]) -> None:
        """Publish each quarter's Insider Transactions Data Set, as the SEC does: the Section 16 filings
        filed in it, read from their submissions, in a ``YYYYqN_form345.zip`` of the SEC's layout
        (form4.store.sec_dataset), beside a metadata member; and the page listing every quarter published."""
        for year, quarter in quarters:
            filings = [f for f in self.filings if f.section_16 and (f.filed.year, paths.quarter_of(f.filed)) ==
                       (year, quarter)]
            body = dataset_zip(filings)
            self._put(paths.dataset_zip(year, quarter), body)
            self.datasets[year, quarter] = len(body)
        listed = [(year, quarter, paths.dataset_zip(year, quarter), size)
                  for (year, quarter), size in self.datasets.items()]
        self._put(paths.DATASETS_PAGE, shapes.datasets_page(listed))

    # Filings

    def _directory(self, target: Path) -> None:
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)

    def _put(self, path: str, data: bytes) -> Path:
        target = self.file(path)
        self._directory(target)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # a server never reads half a file
        return target

    def _write_filing(self, f: MirrorFiling) -> None:
        acc = f.accession_number
        documents = f.folder_documents()
        files = {f"{acc}.txt": f.submission, **documents}
        sizes = {name: len(body) for name, body in documents.items()}
        written: dict[str, Path] = {}
        # EDGAR lists a filing under every party's CIK; hard links keep that at the size of one copy. (The
        # folder's -index.htm(l) pages are rendered by the server from its .txt and listing.)
        for cik in dict.fromkeys((f.cik_issuer, *f.cik_owners)):
            targets = [(paths.submission(cik, acc), f"{acc}.txt")]
            targets += [(paths.document(cik, acc, name), name) for name in files]
            for path, name in targets:
                if name in written:
                    target = self.file(path)
                    self._directory(target)
                    _link(written[name], target)
                else:
                    written[name] = self._put(path, files[name])
            self._put(paths.folder(cik, acc), shapes.folder_json(cik, acc, sizes, self.accepted(f)))

    # Lists: indexes, feed archives, submissions, tickers, Atom

    def _write_lists(self, days: set[dt.date], ciks: set[int]) -> None:
        quarters = {(d.year, paths.quarter_of(d)) for d in days}
        by_day: dict[dt.date, list[MirrorFiling]] = defaultdict(list)
        by_quarter: dict[tuple[int, int], list[MirrorFiling]] = defaultdict(list)
        by_cik: dict[int, list[MirrorFiling]] = defaultdict(list)
        for f in self.filings:
            if f.filed in days:
                by_day[f.filed].append(f)
            if (f.filed.year, paths.quarter_of(f.filed)) in quarters:
                by_quarter[f.filed.year, paths.quarter_of(f.filed)].append(f)
            for cik in dict.fromkeys(cik for cik, _, _ in f.parties()):
                if cik in ciks:
                    by_cik[cik].append(f)
        for day, group in by_day.items():
            self._write_day(day, group)
        for (year, quarter), group in by_quarter.items():
            self._write_quarter(year, quarter, group)
        for cik, group in by_cik.items():
            self._write_submissions(cik, group)
        self._write_tickers()
        for form in sorted({f.form_type.removesuffix("/A") for f in self.filings}):
            self._put(self.atom_file(form), self.atom(form, count=100))

    @staticmethod
    def _rows(group: list[MirrorFiling]) -> list[shapes.Row]:
        return [(f.form_type, name, cik, f.filed, f"edgar/data/{cik}/{f.accession_number}.txt")
                for f in group for cik, name, _ in f.parties()]

    def _write_day(self, day: dt.date, group: list[MirrorFiling]) -> None:
        rows = self._rows(group)
        for kind, render in zip(INDEX_KINDS, (shapes.form_idx, shapes.company_idx, shapes.master_idx), strict=True):
            self._put(paths.daily_index(day, kind), render(rows, True, day))
        self._write_feed(day, group)

    def _write_feed(self, day: dt.date, group: list[MirrorFiling]) -> None:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
            for f in sorted(group, key=lambda f: f.accession_number):
                body = f.nc or nc_form(f, documents_of(f.submission))
                info = tarfile.TarInfo(f"{f.accession_number}.nc")
                info.size, info.mtime = len(body), 0
                tar.addfile(info, io.BytesIO(body))
        self._put(paths.feed_archive(day), buffer.getvalue())

    def _write_quarter(self, year: int, quarter: int, group: list[MirrorFiling]) -> None:
        rows = self._rows(group)
        last = max(f.filed for f in group)
        for kind, render in zip(INDEX_KINDS, (shapes.form_idx, shapes.company_idx, shapes.master_idx), strict=True):
            body = render(rows, False, last)
            self._put(paths.full_index(year, quarter, kind), body)
            self._put(paths.full_index(year, quarter, kind, gz=True), gzip.compress(body, mtime=0))
        listing = paths.daily_listing(year, quarter)
        folder = self.file(listing).parent
        files = [(p.name, p.stat().st_size, dt.datetime.combine(_day_of(p.name), dt.time(22)))
                 for p in sorted(folder.glob("*.idx"))]
        self._put(listing, shapes.quarter_listing(year, quarter, files))

    def _write_submissions(self, cik: int, group: list[MirrorFiling]) -> None:
        newest = sorted(group, key=lambda f: (f.filed, f.accession_number), reverse=True)
        recent, older = newest[: self.page_size], newest[self.page_size:]
        issuer = [f for f in group if f.cik_issuer == cik]
        names = [f.company for f in issuer] or [f.owner_name(f.cik_owners.index(cik)) for f in group]
        tickers = sorted({f.ticker.upper() for f in issuer if f.ticker})
        pages: list[tuple[str, list[MirrorFiling]]] = []
        if older:
            page = f"CIK{cik:010d}-submissions-001.json"
            self._put(paths.submissions_page(page), shapes.submissions_page_json(older, self._accepted))
            pages.append((page, older))
        self._put(paths.submissions(cik), shapes.submissions_json(
            cik, names[-1], tickers, issuer=any(f.section_16 for f in issuer),
            owner=any(f.section_16 and f.cik_issuer != cik for f in group), recent=recent, pages=pages,
            accepted=self._accepted))

    def _write_tickers(self) -> None:
        companies: dict[str, tuple[int, str]] = {}
        for f in sorted(self.filings, key=lambda f: f.cik_issuer):
            if f.ticker:
                companies.setdefault(f.ticker.upper(), (f.cik_issuer, f.company))
        self._put(paths.TICKERS, shapes.tickers_json(companies))


def build_mirror(root: Path, filings: Iterable[MirrorFiling], page_size: int = 5) -> Mirror:
    mirror = Mirror(Path(root), page_size)
    mirror.add(filings)
    return mirror


def dataset_zip(filings: Iterable[MirrorFiling]) -> bytes:
    """A data set zip of the filings that have ownership XML (the SEC's data sets hold no other)."""
    from form4.errors import ReadError
    from form4.parse import read_bytes
    from form4.store import sec_dataset

    read = []
    for f in filings:
        if f.xml is None:
            continue
        try:
            filing = read_bytes(f.submission, f"{f.accession_number}.txt")
        except ReadError:  # a broken filing: the SEC's extraction has no row for it either
            continue
        filing.accession_number, filing.filed_at = f.accession_number, f.filed
        read.append(filing)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "form345.zip"
        sec_dataset.write(read, out)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("FORM345_metadata.json", _DATASET_METADATA)
        return out.read_bytes()


# What the zip says of itself beside its TSV files (a reader of the data set passes it over).
_DATASET_METADATA = ('{"title": "Insider Transactions Data Sets", "tables": ["SUBMISSION", "REPORTINGOWNER", '
                     '"NONDERIV_TRANS", "NONDERIV_HOLDING", "DERIV_TRANS", "DERIV_HOLDING", "FOOTNOTES", '
                     '"OWNER_SIGNATURE"], "dialect": {"delimiter": "\\t", "header": true}}')


def _link(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())


def _day_of(name: str) -> dt.date:
    raw = name.split(".")[1]
    return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
