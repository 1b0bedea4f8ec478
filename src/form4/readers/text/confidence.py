"""The one place a reading's evidence becomes each field's confidence.

Checks elsewhere doubt what they saw go wrong while reading (a value found only by a repair,
a cell whose column was a guess, a rule of the form broken where OCR may have misread a
digit).  Here the record as a whole is weighed against the form's rules and its own
repetitions: text that cannot be a whole cell (a title cut after "of", a bracket never
closed, two rows' lines run together, a label read into a name), a column every row fills
read empty, a holding's form against its nature, a nature the footnotes print with more of
its name, amounts of a derivative held that disagree (the shapes of whole cells are in
``shapes``); and rows against each other, the footnotes and the signatures (``crossrows``:
a row lost, merged or misfiled moves the rows after it).  Off a text layer the filer's own
slips (a balance that does not add up) are not doubted: each digit is as printed.  On OCR'd
text a field is doubted where the form's rules or OCR's own repairs say so, not for being
OCR'd: flagging every field would leave a person to check the whole form.  What OCR loses
without a trace (footnote marks, whole rows) is doubted where it would have been.  What stays
at 0.9 or above is what a person need not check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from form4.codes import CODES, TABLE_I, TABLE_II, fixed_side
from form4.model import ROW_TABLES, DerivativeTransaction, Filing, NonDerivativeTransaction
from form4.readers.text.checks import adds_up, running_balances
from form4.readers.text.crossrows import cross_check
from form4.readers.text.evidence import REPAIRED, Evidence
from form4.readers.text.shapes import ends_open, nature_doubt, opens_nature, starts_inside, title_doubt

OCR_CONFIDENCE = 0.8  # of what OCR may have lost without a trace


def settle(filing: Filing, ev: Evidence, *, ocr: bool) -> None:
    """Weigh the reading's evidence and fill ``ev``'s confidence: shapes of text cells on
    every input, and on OCR what it loses without a trace."""
    _cells(filing, ev)
    _holding_forms(filing, ev)
    _required(filing, ev, ocr)
    _priced(filing, ev)
    _natures_against_notes(filing, ev)
    _cut_words(filing, ev)
    _marks(filing, ev)
    _names(filing, ev)
    _held_options(filing, ev)
    cross_check(filing, ev, ocr=ocr)
    _repairs(filing, ev)
    if ocr:
        calibrate(filing, ev)


def _doubt_cell(ev: Evidence, row: str, name: str, why: str) -> None:
    """A cell read in part: its text, and the marks printed at its end (they went with the
    line that was lost, or came with one that was not the cell's)."""
    ev.doubt(f"{row}.{name}", 0.5, why)
    ev.doubt(f"{row}.footnotes.{name}", 0.6)


def _marks(filing: Filing, ev: Evidence) -> None:
    """Marks that cannot be one cell's: the same footnote twice (two cells' marks run
    together)."""
    for table in ROW_TABLES:
        for i, row in enumerate(getattr(filing, table)):
            for name, refs in row.footnotes.items():
                if len(refs) != len(set(refs)):
                    ev.doubt(f"{table}[{i}].footnotes.{name}", 0.5, f"marks {refs} repeat: two cells' marks")




def _cells(filing: Filing, ev: Evidence) -> None:
    """Titles and natures whose text cannot be a whole cell; and the same cell of the row
    printed below (a table's holdings print under its transactions), which took the lines
    it lost or gave it lines of its own, or above, for a cell that begins inside one."""
    for tables in (ROW_TABLES[:2], ROW_TABLES[2:]):
        printed = [(f"{table}[{i}]", row) for table in tables for i, row in enumerate(getattr(filing, table))]
        for k, (path, row) in enumerate(printed):
            cut: list[str] = []
            for name in ("security_title", "underlying_security_title"):
                title = getattr(row, name, None)
                if title and (why := title_doubt(title)):
                    _doubt_cell(ev, path, name, f"{title!r} {why}")
                    cut.append(name)
            nature = row.nature_of_ownership
            if nature and (why := nature_doubt(nature)):
                _doubt_cell(ev, path, "nature_of_ownership", f"{nature!r} {why}")
                cut.append("nature_of_ownership")
            for name in cut:
                j = k - 1 if starts_inside(getattr(row, name), nature=name == "nature_of_ownership") else k + 1
                text = getattr(printed[j][1], name, None) if 0 <= j < len(printed) else None
                # a nature below that opens as one ("By ...") took none of this one's lines
                if text and not (j > k and name == "nature_of_ownership" and opens_nature(text)):
                    ev.doubt(f"{printed[j][0]}.{name}", 0.7, f"beside {path}'s cut {name.replace('_', ' ')}")


def _holding_forms(filing: Filing, ev: Evidence) -> None:
    """An indirect holding names its nature and a direct one none (Form 4 column 6 and 7):
    a row where they disagree lost one or took another row's."""
    for table in ROW_TABLES:
        for i, row in enumerate(getattr(filing, table)):
            form, nature = row.direct_or_indirect, row.nature_of_ownership
            if form == "I" and not nature and "nature_of_ownership" not in row.footnotes:
                _doubt_cell(ev, f"{table}[{i}]", "nature_of_ownership",
                            "held indirectly, but no nature of the holding read")
            elif form == "D" and nature:
                _doubt_cell(ev, f"{table}[{i}]", "nature_of_ownership",
                            "held directly, yet a nature of indirect holding read")
                ev.doubt(f"{table}[{i}].direct_or_indirect", 0.6)


_OPENER = re.compile(r"^(?:By|Held by|Through|See)\s+", re.I)


def _cut_words(filing: Filing, ev: Evidence) -> None:
    """A nature's word that the footnotes never print whole but print a few letters longer
    ("Technolog" where they name "Sequoia Technology Partners"): the word lost its end
    where the cell was cut (a plural's "s" is a word of its own)."""
    words = {w for t in [f.text for f in filing.footnotes] + [filing.remarks or ""] for w in _WORD.findall(t)}
    for table in ROW_TABLES:
        for i, row in enumerate(getattr(filing, table)):
            cut = [w for w in _WORD.findall(row.nature_of_ownership or "") if len(w) >= 5 and w not in words
                   and any(x.startswith(w) and 0 < len(x) - len(w) <= 4 and x[len(w):] not in ("s", "es")
                           for x in words)]
            if cut:
                _doubt_cell(ev, f"{table}[{i}]", "nature_of_ownership",
                            f"{cut[0]!r} is printed whole elsewhere only as a longer word: its end was lost")


_WORD = re.compile(r"[A-Za-z]+")


def _natures_against_notes(filing: Filing, ev: Evidence) -> None:
    """A nature names the holder as the filing's footnotes and other rows do: where they print
    the same words with a capitalised word before it (a name's start) or after it (its
    continuation), the row lost part of the name to the line above or below."""
    texts = [f.text for f in filing.footnotes] + [filing.remarks or ""]
    for table in ROW_TABLES:
        rows = getattr(filing, table)
        for i, row in enumerate(rows):
            nature = row.nature_of_ownership
            if not nature:
                continue
            others = texts + [r.nature_of_ownership for t in ROW_TABLES for r in getattr(filing, t)
                              if r.nature_of_ownership and r.nature_of_ownership != nature]
            core = _OPENER.sub("", nature).strip()
            if len(core.split()) < 2:  # one word ("Trust") is a whole nature as often as part of a name
                continue
            before = re.compile(r"\b[A-Z][\w.&'-]*\s+" + re.escape(core) + r"(?![\w])")
            after = re.compile(r"(?<![\w])" + re.escape(core) + r"\s+[A-Z][\w.&'-]*")
            if core == nature and any(before.search(t) for t in others):
                _doubt_cell(ev, f"{table}[{i}]", "nature_of_ownership",
                            f"{nature!r} is the end of a name the footnotes print whole: its start was lost")
            elif not core.endswith(".") and any(after.search(t) for t in others):
                _doubt_cell(ev, f"{table}[{i}]", "nature_of_ownership",
                            f"{nature!r} is the start of a name the footnotes print whole: its end was lost")


_STREET_WORDS = frozenset({"road", "rd", "street", "st", "avenue", "ave", "drive", "dr", "boulevard", "blvd", "lane",
                           "ln", "way", "court", "ct", "place", "pl", "suite", "floor", "hill", "parkway", "pkwy"})
_COMPANY_WORDS = frozenset({"llc", "lp", "l.p.", "inc", "inc.", "corp", "corp.", "ltd", "ltd.", "co", "co.", "plc"})
_UNIT_ONLY = re.compile(r"^(?:SUITE|STE\.?|FLOOR|FL\.?|UNIT|ROOM|#)\s*[\w-]+$", re.I)
_LABELS = re.compile(r"^(?:Date|Name|Signature|Address|Street|City|State|Zip|Reporting Person)\b")


def _names(filing: Filing, ev: Evidence) -> None:
    """Names and address lines that cannot be whole: a form label read into one ("Date BOTHA
    LLC"), a word lost before a comma ("Authorized , Mithril"), a line that is only a suffix
    ("LLC", "ROAD": the rest went to the line above), starts mid-phrase ("of Mithril II"), or
    ends where it goes on ("Pres, Prod Architect &", "2800 SAND HILL ROAD,": the next line
    was lost)."""
    cells = [(f"signatures[{i}].name", s.name) for i, s in enumerate(filing.signatures)]
    for i, owner in enumerate(filing.reporting_owners):
        cells += [(f"reporting_owners[{i}].{n}", getattr(owner, n)) for n in ("name", "street1", "street2",
                                                                               "officer_title", "other_text")]
    for path, text in cells:
        if not text:
            continue
        words = text.removeprefix("/s/").split()
        # filers end a first street line with a comma as often as not: there only a word is asked
        closing = text.rstrip(",") if ".street" in path else text
        if (_LABELS.match(text) or " ," in text or text[:1].islower() or ends_open(closing)
                or (len(words) == 1 and words[0].lower().strip(",") in _STREET_WORDS | _COMPANY_WORDS)):
            ev.doubt(path, 0.5, f"{text!r} cannot be a whole name or address line")
            if path.endswith("street1"):  # its next line went to the street's second line
                ev.doubt(path.replace("street1", "street2"), 0.6)
    for i, owner in enumerate(filing.reporting_owners):
        # box 5's ticks and the titles under them go together: a tick without its title, or a
        # title without its tick, lost the other to a neighbouring box
        for tick, text in (("is_officer", "officer_title"), ("is_other", "other_text")):
            if getattr(owner, tick) != bool(getattr(owner, text)):
                ev.doubt(f"reporting_owners[{i}].{text}", 0.6, f"{tick.replace('_', ' ')} and its title disagree")
                ev.doubt(f"reporting_owners[{i}].{tick}", 0.7)
        if owner.street1 and owner.street2 and owner.street1.endswith(",") and _UNIT_ONLY.match(owner.street2):
            # "SUITE 101" alone below a street line ending on a comma: the line's end, wrapped
            # ("2800 SAND HILL ROAD, SUITE 101"), or the filer's second line
            for name in ("street1", "street2"):
                ev.doubt(f"reporting_owners[{i}].{name}", 0.7, f"{owner.street2!r} may be the end of the street line"
                         if name == "street2" else None)


def _held_options(filing: Filing, ev: Evidence) -> None:
    """A derivative held (no transaction) is its underlying's shares: where both amounts are
    read and differ, one was another row's."""
    for i, row in enumerate(filing.derivative_holdings):
        owned, under = row.shares_owned_following, row.underlying_shares
        if owned is not None and under is not None and owned != under:
            for name in ("shares_owned_following", "underlying_shares"):
                ev.doubt(f"derivative_holdings[{i}].{name}", 0.5,
                         f"owned {owned:g} is not the underlying {under:g} of the derivative held")


# Columns every row of a table fills (Form 4 instructions; either of two fields where the
# amount may be a number of shares or a value in dollars).  Table II's holdings leave the
# amount owned to the row's transactions, so only its title, form and underlying are asked.
_REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "non_derivative_transactions": (("security_title",), ("transaction_date",), ("transaction_code",),
                                    ("shares", "total_value"), ("shares_owned_following", "value_owned_following"),
                                    ("direct_or_indirect",)),
    "non_derivative_holdings": (("security_title",), ("shares_owned_following", "value_owned_following"),
                                ("direct_or_indirect",)),
    "derivative_transactions": (("security_title",), ("transaction_date",), ("transaction_code",),
                                ("underlying_security_title",), ("underlying_shares", "underlying_value"),
                                ("direct_or_indirect",)),
    "derivative_holdings": (("security_title",), ("underlying_security_title",),
                            ("underlying_shares", "underlying_value"), ("direct_or_indirect",)),
}


def _required(filing: Filing, ev: Evidence, ocr: bool) -> None:
    """A column the form makes every row fill, read empty: its value was lost or given to
    another row.  Off a text layer, whose every printed value is read, the row's cells were
    set apart wrongly and the row is doubted; OCR loses one value alone more often."""
    for table, columns in _REQUIRED.items():
        rows = getattr(filing, table)
        if rows and not any(row.security_title for row in rows):
            # no row names its security: the table may print none, and these are the rest of
            # a cell above (a nature's "1, 2009") read as rows
            ev.doubt(table, 0.5, "no row of the table names its security")
        for i, row in enumerate(rows):
            for names in columns:
                if all(getattr(row, n) is None and n not in row.footnotes for n in names):
                    why = f"{names[0].replace('_', ' ')} not read"
                    if not ocr:
                        ev.doubt(f"{table}[{i}]", 0.3, why)
                        continue
                    for n in names:
                        ev.doubt(f"{table}[{i}].{n}", 0.3, why if n == names[0] else None)


def _priced(filing: Filing, ev: Evidence) -> None:
    """A trade whose code needs a price (an open-market or private purchase or sale, P or S)
    with a blank price (and no footnote in its place): the price was lost."""
    for i, row in enumerate(filing.non_derivative_transactions):
        priced = row.price_per_share is not None or "price_per_share" in row.footnotes
        code = CODES.get(row.transaction_code or "")
        if code is not None and code.needs_price and not priced:
            ev.doubt(f"non_derivative_transactions[{i}].price_per_share", 0.5,
                     f"a trade of code {row.transaction_code} with no price read")


def _repairs(filing: Filing, ev: Evidence) -> None:
    """A value read only through an OCR repair is doubted, unless the form confirms it: a code
    whose side is the row's (A)/(D) as printed, or an amount whose row's balance adds up."""
    confirmed = set(_balanced(filing, ev))
    for table in (TABLE_I, TABLE_II):
        rows: list[NonDerivativeTransaction | DerivativeTransaction] = getattr(filing, table)
        for i, row in enumerate(rows):
            side = fixed_side(row.transaction_code, table) if row.transaction_code else None
            if side and side == row.acquired_disposed and _sure(ev, f"{table}[{i}].acquired_disposed"):
                confirmed.add(f"{table}[{i}].transaction_code")
    for field, text in ev.repairs.items():
        if field not in confirmed:
            ev.doubt(field, REPAIRED, f"{text!r} read through OCR repairs")


def _balanced(filing: Filing, ev: Evidence) -> Iterator[str]:
    """The amounts of Table I rows whose balance adds up with the row before, as read."""
    for i, row, before in running_balances(filing):
        names = (f"{TABLE_I}[{i}].shares", f"{TABLE_I}[{i}].shares_owned_following")
        if adds_up(before, row) and all(_sure(ev, n) for n in names):
            yield from names


def _sure(ev: Evidence, field: str) -> bool:
    return ev.confidence.get(field, 1.0) >= 0.9 and not any(w.field == field for w in ev.warnings)


def calibrate(filing: Filing, ev: Evidence) -> None:
    """What OCR loses without a trace: whole rows (a table's rows after a lost one sit one
    index early, and its last is missing, so the place past the last row read is doubted),
    and footnote marks (the form's smallest print, raised: OCR drops them or reads them as
    other digits more often than not)."""
    for section in (*ROW_TABLES, "footnotes"):
        ev.doubt(f"{section}[{len(getattr(filing, section))}]", OCR_CONFIDENCE)
    for table in ROW_TABLES:
        for i in range(len(getattr(filing, table))):
            ev.doubt(f"{table}[{i}].footnotes", OCR_CONFIDENCE)
