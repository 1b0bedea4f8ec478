"""Checks of one row against the others, and of the tables against the footnotes and the
signatures: what a reading got wrong that no single cell shows.  Rows are read in order, so
one row lost, merged or taken for a row of the other kind of the same table moves every row
after it to another index: those rows are doubted (and the index past the last row read,
where a lost row's fields would be), not only the row that went wrong.  The form's own rules
say where to look: every transaction has a date and an amount, footnotes are numbered in the
order the form first cites them, each owner signs.  Each check only proposes doubts
(``Evidence.doubt``); ``confidence.settle`` runs them, and a field's confidence is the lowest
any check proposed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from form4.model import ROW_TABLES, Filing
from form4.readers.text.checks import valued
from form4.readers.text.evidence import Evidence
from form4.readers.text.shapes import ends_open, title_doubt, title_goes_on

# The other half of each table: a transaction read without its date and amount is a holding
# (the form's Table I and II both print holdings below the transactions).
_SIBLING = {"non_derivative_transactions": "non_derivative_holdings",
            "derivative_transactions": "derivative_holdings"}
# Words of the tables' column headings: a row whose text holds them is heading text.
_HEADING = re.compile(r"\(Instr\.|\(Month/Day/Year\)|Transaction\(s\)|Beneficially\s+Owned|"
                      r"\bDerivative\s*(?:or\s+)?Security\b|Exercisable|Amount\s+or\s+Number", re.I)
# A word that names which class or series a title is (the "A" of "Class A Common Stock"):
# a title printed after it is a whole title of its own, not the end of a longer one cut.
_DESIGNATOR = re.compile(r"^(?:[A-Z]|[A-Z]?-?\d+[A-Z]?|[A-Z]-\d+|[IVX]+|\$[\d.,]+|\(\d+\))$")


def cross_check(filing: Filing, ev: Evidence, *, ocr: bool = False) -> None:
    """Every check of rows against each other, the footnotes and the signatures."""
    _misfiled(filing, ev)
    _headings(filing, ev, ocr)
    _merged(filing, ev)
    _unplaced_values(filing, ev)
    _sides(filing, ev)
    _unreferenced_notes(filing, ev)
    _lost_notes(filing, ev, ocr)
    _lost_marks(filing, ev)
    _title_fragments(filing, ev)
    _signatures(filing, ev)


def _shifted(ev: Evidence, table: str, start: int, count: int, why: str) -> None:
    """Rows ``start`` on of ``table`` (``count`` read) sit one index off what the form prints,
    and one more row may have been lost at the end: doubt them all (the row past the last
    read too, where a lost row's fields would be)."""
    for j in range(start, count + 1):
        ev.doubt(f"{table}[{j}]", 0.5, why if j == start else None)


def _misfiled(filing: Filing, ev: Evidence) -> None:
    """A transaction with neither a date nor an amount is no transaction (the form requires
    both): a holding read among the transactions, so the holdings below lost one row at
    their head and every holding's index is off."""
    for table, sibling in _SIBLING.items():
        for i, row in enumerate(getattr(filing, table)):
            if row.transaction_date is None and row.shares is None and row.total_value is None:
                ev.doubt(f"{table}[{i}]", 0.3, "no date and no amount: a holding read as a transaction")
                _shifted(ev, sibling, 0, len(getattr(filing, sibling)),
                         f"a holding was read among the transactions ({table}[{i}]): holdings may be off by one")
                ev.doubt(sibling, 0.5)


def _row_text(row: object) -> str:
    return " ".join(str(getattr(row, n, None) or "") for n in _TEXT_CELLS)


def _headings(filing: Filing, ev: Evidence, ocr: bool) -> None:
    """Words of the tables' column headings in a row's text.  OCR runs a heading printed again
    on a new page into the row below it: a row with values of its own only took the words
    (its text is doubted).  Otherwise, and on a text layer (whose lines come apart only where
    the rows were set apart wrongly), heading text was read as a row or into one: the table
    has one row fewer than read, and the rows after it are one index off."""
    for table in ROW_TABLES:
        rows = getattr(filing, table)
        for i, row in enumerate(rows):
            if not _HEADING.search(_row_text(row)):
                continue
            if ocr and valued(row):
                for name in _TEXT_CELLS:
                    if _HEADING.search(str(getattr(row, name, None) or "")):
                        ev.doubt(f"{table}[{i}].{name}", 0.5, "holds words of the table's headings")
            else:
                ev.doubt(table, 0.4, f"row {i} holds the table's headings: perhaps not a row")
                _shifted(ev, table, i, len(rows), f"row {i} holds the table's headings: later rows may be off")


_TEXT_CELLS = ("security_title", "underlying_security_title", "nature_of_ownership")


def _merged(filing: Filing, ev: Evidence) -> None:
    """A title printed twice in one cell ("Class A Common Stock Class A Common Stock"), or a
    nature that holds a title the table prints ("... Trust dated June Class A Common Stock See
    Footnote"), is two rows' lines read as one row: the rows after it are one index off, and
    one is lost."""
    for table in ROW_TABLES:
        rows = getattr(filing, table)
        titles = {t for r in rows if (t := r.security_title) and len(t.split()) >= 2}
        for i, row in enumerate(rows):
            words = (row.security_title or "").split()
            half = len(words) // 2
            if len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]:
                _shifted(ev, table, i, len(rows), f"{row.security_title!r} is two rows' titles: a row may be lost")
            elif (nature := row.nature_of_ownership) and any(t in nature for t in titles):
                _shifted(ev, table, i, len(rows), f"the nature {nature!r} holds a title: two rows read as one")


# A Table II transaction's values after its dates, in the order the form prints them.
_TABLE_TWO_VALUES = ("underlying_shares", "underlying_value", "price_per_share", "shares_owned_following",
                     "value_owned_following")


def _unplaced_values(filing: Filing, ev: Evidence) -> None:
    """A Table II transaction with a price but no amount of derivatives, or with no amount
    owned following (column 9, which every row fills): the form prints these values side by
    side, so some of them went to the wrong column."""
    for i, row in enumerate(filing.derivative_transactions):
        if row.price_per_share and row.shares is None and row.total_value is None and row.transaction_date:
            ev.doubt(f"derivative_transactions[{i}]", 0.5,
                     f"a price of {row.price_per_share:g} but no amount: values in the wrong columns")
        elif row.shares_owned_following is None and row.value_owned_following is None and not (
                {"shares_owned_following", "value_owned_following"} & row.footnotes.keys()):
            for name in _TABLE_TWO_VALUES:
                ev.doubt(f"derivative_transactions[{i}].{name}", 0.5,
                         "no amount owned following read: the row's values may sit in the wrong columns"
                         if name == _TABLE_TWO_VALUES[0] else None)


def _sides(filing: Filing, ev: Evidence) -> None:
    """Derivatives acquired are owned after the transaction: a Table II row read as (A) that
    leaves none owned was a disposal (its amount printed in the (D) column).  (Fewer owned
    than acquired is no sign: filers print the balance after all of a day's rows.)"""
    for i, row in enumerate(filing.derivative_transactions):
        owned, amount = row.shares_owned_following, row.shares
        if row.acquired_disposed == "A" and owned == 0 and amount:
            ev.doubt(f"derivative_transactions[{i}].acquired_disposed", 0.5,
                     f"{amount:g} acquired but none owned following: perhaps disposed of")


def _mark_number(mark: str) -> int | None:
    digits = re.sub(r"\D", "", mark)
    return int(digits) if digits else None


def _rows(filing: Filing) -> Iterator[tuple[str, object, dict[str, list[str]]]]:
    for table in ROW_TABLES:
        for i, row in enumerate(getattr(filing, table)):
            yield f"{table}[{i}]", row, row.footnotes


def _unreferenced_notes(filing: Filing, ev: Evidence) -> None:
    """A footnote the explanation of responses defines but no mark points at lost its mark:
    filers number footnotes in the order the form first cites them, so the mark was on a
    row between the one that first cites the footnote before it and the one that first
    cites the footnote after it."""
    rows = list(_rows(filing))
    used = {m for _, _, marks in rows for refs in marks.values() for m in refs}
    lost = [(n, note.id) for note in filing.footnotes
            if note.id not in used and (n := _mark_number(note.id)) is not None]
    if not lost or not rows:
        return
    # the footnote each row cites first, in the order the rows are printed
    firsts: list[int | None] = []
    seen: set[str] = set()
    for _, _, marks in rows:
        new = [n for refs in marks.values() for m in refs if m not in seen and (n := _mark_number(m)) is not None]
        seen.update(m for refs in marks.values() for m in refs)
        firsts.append(min(new) if new else None)
    cited = [n for n in firsts if n is not None]
    if not cited:  # no row prints a mark: the footnotes are the header's or the remarks'
        return
    for number, note in lost:
        if (number < min(cited) or number > max(cited)) and number != max(cited) + 1:
            continue  # before every mark (the header's) or far past them (the remarks'): not a row's
        start = max((k for k, n in enumerate(firsts) if n is not None and n < number), default=0)
        end = min((k for k, n in enumerate(firsts) if n is not None and n > number), default=len(rows) - 1)
        for k in range(start, end + 1):
            ev.doubt(f"{rows[k][0]}.footnotes", 0.6,
                     f"footnote {note} is cited by no mark: one of these rows' marks was lost" if k == start else None)


def _lost_notes(filing: Filing, ev: Evidence, ocr: bool) -> None:
    """Marks the rows cite whose footnote the explanation of responses does not define: the
    footnotes were lost (a page's end, a line taken for another part), and those read after
    where the first lost one belongs are at other places in the list than the form's.  Off a
    text layer a mark is as printed, and filers skip numbers (a footnote the form cites only
    in a part not printed), so every mark cited and not defined is a footnote lost."""
    defined = [note.id for note in filing.footnotes]
    cited = {m for _, _, marks in _rows(filing) for refs in marks.values() for m in refs}
    undefined = sorted((n, m) for m in cited - set(defined) if (n := _mark_number(m)) is not None)
    # footnotes are numbered 1, 2, 3...: a lost one leaves a gap in the numbers read, or is the
    # next after the last; a mark past that, or numbered 0 or 08, cites nothing the form can
    # hold, so the mark is misread
    numbers = {n for note in defined if (n := _mark_number(note)) is not None}
    after = max(numbers, default=0) + 1
    missing = []
    for n, m in undefined:  # in order: each lost one makes room for the next
        if n >= 1 and (n <= after or not ocr) and m == f"F{n}":
            missing.append((n, m))
            after = max(after, n + 1)
    _misread_marks(filing, ev, {m for _, m in undefined} - {m for _, m in missing})
    if not missing:
        return
    first = missing[0][0]
    start = next((k for k, note in enumerate(defined) if (_mark_number(note) or 0) > first), len(defined))
    for k in range(start, len(defined) + len(missing)):
        ev.doubt(f"footnotes[{k}]", 0.5, f"footnotes {[m for _, m in missing]} are cited but not read"
                 if k == start else None)


def _misread_marks(filing: Filing, ev: Evidence, misread: set[str]) -> None:
    """Doubts the marks that cite a footnote past any the form can have lost."""
    for path, _, marks in _rows(filing):
        for name, refs in marks.items():
            if misread & set(refs):
                ev.doubt(f"{path}.footnotes.{name}", 0.5, f"marks {refs} cite a footnote the form does not define")


def _lost_marks(filing: Filing, ev: Evidence) -> None:
    """Rows of one security print the same footnotes on the same columns more often than
    not; where another row of that security marks a column with more marks than this row
    prints there (all of this row's and others), this row's marks may be lost (a mark printed
    on a line of its own, or after the cell's last word, goes to the next cell or row)."""
    for table in ROW_TABLES:
        groups: dict[str | None, list[tuple[int, dict[str, list[str]]]]] = {}
        for i, row in enumerate(getattr(filing, table)):
            groups.setdefault(row.security_title, []).append((i, row.footnotes))
        for rows in groups.values():
            for i, marks in rows:
                for name in {n for _, other in rows for n in other}:
                    mine = set(marks.get(name, ()))
                    if any(mine < set(other.get(name, ())) for _, other in rows):
                        ev.doubt(f"{table}[{i}].footnotes.{name}", 0.6,
                                 f"fewer marks on {name.replace('_', ' ')} than other rows of the security print")


def _signatures(filing: Filing, ev: Evidence) -> None:
    """The signature block against the rest of the form: each owner of a joint filing signs,
    so fewer signatures than owners lost some; a signature that is the end of an owner's name
    or of another signature lost its first lines; and text above the block (the last
    footnote, the remarks) that ends where it goes on took them."""
    sigs = filing.signatures
    if len(sigs) < len(filing.reporting_owners):
        ev.doubt("signatures", 0.5, f"{len(sigs)} signatures for {len(filing.reporting_owners)} owners")
    names = [" ".join(n.removeprefix("/s/").split()).lower() for n in
             [o.name for o in filing.reporting_owners] + [s.name for s in sigs] if n]
    for i, sig in enumerate(sigs):
        mine = " ".join((sig.name or "").removeprefix("/s/").split()).lower()
        if mine and any(n != mine and n.endswith(" " + mine) for n in names):
            ev.doubt(f"signatures[{i}].name", 0.5, f"{sig.name!r} is the end of a name the form prints whole")
    above = [("remarks", filing.remarks)] if filing.remarks else []
    if filing.footnotes:
        above.append((f"footnotes[{len(filing.footnotes) - 1}].text", filing.footnotes[-1].text))
    for path, text in above:
        if text and ends_open(text):
            ev.doubt(path, 0.5, "ends where it goes on: a signature's lines may have been read into it")
            ev.doubt("signatures", 0.6)


def _titles(filing: Filing) -> Iterator[tuple[str, str]]:
    for table in ROW_TABLES:
        for i, row in enumerate(getattr(filing, table)):
            for name in ("security_title", "underlying_security_title"):
                if title := getattr(row, name, None):
                    yield f"{table}[{i}].{name}", title


def _title_fragments(filing: Filing, ev: Evidence) -> None:
    """A title that is the end of another row's title cut where no class or series name
    precedes it ("Stock underlying Restricted Stock Units" beside "Class A Common Stock
    underlying Restricted Stock Units"), or a whole title of another row with words before it
    that name no class ("Incentive Plan Common Stock"): a line of the row above went astray."""
    titles = list(_titles(filing))
    # a title that took words of the headings is no whole title for others to be cut from
    known = {" ".join(t.split()) for _, t in titles if not _HEADING.search(t)}
    for path, title in titles:
        words = title.split()
        for other in sorted(known):
            why = _fragment(words, other.split())
            if why:
                ev.doubt(path, 0.5, f"{title!r} {why} {other!r}")
                ev.doubt(path.rsplit(".", 1)[0] + ".footnotes", 0.6)
                break


def _names_class(words: list[str]) -> bool:
    """Words that make a title of their own of the title after them: ending on a class or
    series name ("Class A", "Restricted"), or a whole title ("Restricted Stock Units (RSUs)
    Common Stock" is two titles run together, not the end of one)."""
    return bool(_DESIGNATOR.match(words[-1]) or words[-1].lower() in _CLASS_WORDS
                or title_doubt(" ".join(words)) is None)


def _fragment(words: list[str], others: list[str]) -> str | None:
    """How ``words`` is part of another title ``others`` cut or run into, or None.  Where one
    title is another with words before it, the words decide which is wrong: words a title
    goes on after ("Class A Common") were lost by the shorter; others ("Incentive Plan") were
    read into the longer from another cell."""
    if 2 <= len(others) < len(words) and words[-len(others):] == others:
        extra = words[:-len(others)]
        if not title_goes_on(" ".join(extra)) and not _names_class(extra):
            return "has words of another cell before the title"
    if len(words) < len(others) and others[-len(words):] == words:
        lost = others[:-len(words)]
        if title_goes_on(" ".join(lost)) or not _names_class(lost):
            return "lost its first words: it is the end of"
    if len(words) >= 2 and len(others) == len(words) + 1 and any(
            others[:k] + others[k + 1:] == words for k in range(1, len(words))):
        return "lost a word inside it: it is"
    return None


# Words that make a class of its own of the title after them ("Restricted Common Stock").
_CLASS_WORDS = frozenset({"class", "series", "restricted", "convertible", "voting", "non-voting", "nonvoting",
                          "ordinary", "preferred", "performance", "phantom", "deferred", "employee",
                          "non-qualified", "nonqualified", "qualified", "director", "limited", "redeemable",
                          "subordinate", "subordinated", "exchangeable", "cumulative"})
