"""The boxes above Table I: form type, issuer, reporting owners, dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from form4.model import Issuer, ReportingOwner
from form4.readers.text import address, spelling
from form4.readers.text import units as U
from form4.readers.text.captions import MARK_X, ROLE_WORDS, TICK, junk, pieces
from form4.readers.text.evidence import Evidence
from form4.readers.text.lines import Page
from form4.readers.text.tokens import MONTHS, find_date, year_of
from form4.readers.text.vocabulary import company_suffix

_FORM = re.compile(r"\bFORM\s*([345])\b", re.I)
_TITLES = (("3", re.compile(r"INITIAL\s+STATEMENT", re.I)), ("5", re.compile(r"ANNUAL\s+STATEMENT", re.I)),
           ("4", re.compile(r"STATEMENT\s+OF\s+CHANGES", re.I)))
_TICKER = re.compile(r"^(.*?)\s*\[\s*([^\]\[]*?)\s*\]")
_PAREN_TICKER = re.compile(r"^(.*?\S)\s*\(\s*([A-Z][A-Z0-9.\-]{0,7})\s*\)\s*$")  # "Acme Corp. (ACME)", before 2003
_BELOW = re.compile(r"b\s?e\s?l\s?o\s?[wv]\s?\)?", re.I)
_OFFICER = re.compile(r"Officer\s*\(", re.I)
_ROLE = (("is_director", re.compile(r"Director", re.I)), ("is_ten_percent_owner", re.compile(r"10\s?%", re.I)),
         ("is_officer", _OFFICER), ("is_other", re.compile(r"Other\s*\(", re.I)))
_ROLE_LABEL = re.compile(r"^Other$", re.I)  # the other box's label, wrapped off its "(specify below)"
_ANY_ROLE = re.compile("|".join(p.pattern for _, p in _ROLE), re.I)  # one search before four
_X_BEFORE = re.compile(rf"(?:^|\s){TICK}\s*(Director|10\s?%|Officer\s*\(|Other\s*\()", re.I)
_MONTH_DAY_YEAR = re.compile(r"\(?Month\s*/\s*Day\s*/\s*Year\)?|\(\s*\(|Requiring\s+Statement|Filed", re.I)
_BELOW_BITS = re.compile(r"^(?:b?e?l(?:ow?)?\)?|[a-z])$")  # what OCR leaves of "below)" and specks
_BOX_NUMBER = re.compile(r"[1-6]\s?\.")
_JOINT_BOX = re.compile(r"Form\s+filed|Individual", re.I)
_OCR_CASE = re.compile(r"\b([a-z])([A-Z]{1,3})\b")
# the boxes below the officer title's rows
_BELOW_TITLE = re.compile(r"[3-6]\s?\.\s*(?:[Il1]f\s*Amendment|Individual)|\((?:City|State|Zip)\)|Form\s+filed"
                          r"|Table\s*[I1l|]", re.I)


def form_type(page: Page, ev: Evidence) -> str | None:
    head = " ".join(ln.text for ln in page.lines[:12])
    printed = _FORM.search(head)
    titled = next((form for form, pattern in _TITLES if pattern.search(head)), None)
    if printed and titled and printed.group(1) != titled:
        ev.doubt("form_type", 0.5, f"form says FORM {printed.group(1)} but its title is that of a Form {titled}")
    found = printed.group(1) if printed else titled
    if found is None:
        ev.missing("form_type", "the form type")
    return found


def date_after(page: Page, label: re.Pattern[str], stop: int, *, across: bool = False) -> dt.date | None:
    """The date printed under (positioned) or after (stream) a label; ``across``: in a
    stream, past the labels of the boxes beside it, up to the amendment's."""
    at = U.locate(page, label, 0, stop)
    if at is None:
        return None
    line, x = at
    if page.positioned:
        for ln in page.lines[line:min(line + 8, stop)]:
            for c in ln.chunks:
                if abs(c.x - x) <= 16 or (ln.number == line and c.x > x):
                    found = find_date(c.text)
                    if found and (ln.number > line or c.x > x):
                        return found[1]
        return None
    units = U.stream_units(page, line, min(stop, line + 8))  # the date follows within a few lines
    first = next(i for i, u in enumerate(units) if label.search(u.text))
    text = " ".join(u.text for u in units[first:first + 8])  # up to the next label: captions may come first
    text = label.sub(" ", _MONTH_DAY_YEAR.sub(" ", text[label.search(text).end():]))  # type: ignore[union-attr]
    end = U.AMENDMENT.search(text) if across else None
    stop_at = end.start() if end else -1 if across else U.major_at(text)
    found = find_date(text[:stop_at] if stop_at >= 0 else text)
    return found[1] if found else None


_MONTH_YEAR = re.compile(r"\b(?:(\d{1,2})\s*/\s*(\d{2}|\d{4})"
                         r"|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+(\d{4}))\b", re.I)


def statement_month(page: Page, stop: int) -> dt.date | None:
    """The last day of the month a pre-2003 Form 4 was "Statement for Month/Year"."""
    at = U.locate(page, re.compile(r"Statement\s*for\s*Month", re.I), 0, stop)
    if at is None:
        return None
    text = " ".join(u.text for u in U.after(U.stream_units(page, at[0], stop), re.compile(r"Month\s*/\s*Year\)?"),
                                             limit=4))
    m = _MONTH_YEAR.search(text)
    if not m:
        return None
    if m.group(1):
        month, year = int(m.group(1)), year_of(m.group(2))
    else:
        month, year = MONTHS[m.group(3).lower()[:3]], int(m.group(4))
    if not 1 <= month <= 12:
        return None
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def issuer(page: Page, stop: int, ev: Evidence, owner_name: str | None) -> Issuer:
    """"NAME [ TICKER ]" printed under the issuer label, however many lines it wraps over."""
    at = U.locate(page, U.ISSUER, 0, stop)
    text = ""
    found: list[U.Unit] = []
    if at is not None:
        units = _box(page, at, stop)
        found = U.after(units, U.ISSUER, limit=8 if page.positioned else 4)
        if not found and not page.positioned:  # the boxes beside it were read first: read on past their labels
            found = U.after(units, U.ISSUER, limit=4, not_value=junk)
        text = " ".join(u.text for u in found)
        if page.ocr and found and "[" in text and "]" not in text[text.rindex("["):]:
            text += _ticker_below(page, found[-1].line, stop)
            ev.doubt("issuer.trading_symbol", 0.7, "the ticker read on the line below its bracket")
    if "[" not in text and "]" not in text and not _PAREN_TICKER.search(text) and (typed := _ticker_below_name(found)):
        text = f"{typed[0]} [{typed[1]}]"  # as the printed form sets them
    # OCR moved it: the first line with a bracket, and the next
    if "[" not in text and "]" not in text and not _PAREN_TICKER.search(text):
        lines = [ln.text for ln in page.lines[:stop]]
        hit = next((i for i, t in enumerate(lines) if "[" in t and "APPROVAL" not in t), None)  # not "[OMB APPROVAL"
        if hit is None and text.isupper():
            return _unbracketed(text, page, stop, ev)
        text = " ".join([t for t in lines[hit:hit + 4] if t.strip()][:2]) if hit is not None else ""
        above = [t for t in reversed(lines[:hit]) if t.strip()][:2] if hit else []
        for before in above:  # the name may begin on the owner's line, or on the line above it
            begun = re.split(r"\(\s*Che", before)[0].strip()  # up to the next box's label
            if owner_name and _squeeze(before).startswith(_squeeze(owner_name)) and begun != owner_name:
                text = f"{begun} {text}"
                break
            if begun.endswith(("&", ",", " AND")):  # "STARLIGHT MEDIA &" over "ENTERTAINMENT CO [ STAR ]"
                text = f"{_capitals_ending(begun)} {text}"
                break
        if hit is not None:
            ev.doubt("issuer", 0.7, "issuer name and ticker found away from their label")
    parts = _name_and_ticker(text)
    if not parts:
        ev.missing("issuer", "the issuer's name and ticker")
        return Issuer()
    inside = parts[1].split()
    if parts[0].rstrip().endswith(("&", ",", " AND")) and len(inside) >= 2 and all(w.isupper() for w in inside):
        # "STARLIGHT MEDIA &" / "[ STA" / "ENTERTAINMENT CO ]": the name wrapped round the ticker
        parts = (f"{parts[0]} {' '.join(inside[1:])}", inside[0])
        ev.doubt("issuer.name", 0.7, "the name read on past its ticker")
    name = " ".join(parts[0].split())
    name = (_labels_off(name) if page.ocr else _LABEL_LEFT.sub("", name)).strip(" :")
    if owner_name and _squeeze(name).startswith(_squeeze(owner_name)):
        name = " ".join(w for w in name.split()[len(owner_name.split()):] if w != "-")
    elif page.ocr and (owner := _owner_before_issuer(name, [])):  # another owner's name ran into it
        name = name[len(owner):].strip()
    if page.ocr:  # labels may stand between the owner's name and the issuer's
        name = _labels_off(name)
    name = _suffix_mended(_without_specks(name), ev, page.ocr)
    ticker = _ticker(parts[1], name, page, stop, ev)
    if name and ticker:
        name = _name_by_ticker(name, ticker, ev)
    if not name:
        ev.missing("issuer.name", "the issuer's name")
    if not ticker:
        ev.missing("issuer.trading_symbol", "the ticker")
    return Issuer(name=name or None, trading_symbol=ticker)


_BOX_LABEL = re.compile(r"^\(?\d{1,2}[A-Z]?[.)]\s")  # "3. IRS or Social Security Number": the next box
_LONE_TICKER = re.compile(r"[A-Z][A-Z.]{0,5}")


def _ticker_below_name(found: list[U.Unit]) -> tuple[str, str] | None:
    """The name and the ticker of a form typed before 2003 that sets the ticker on a line of
    its own under the name, unbracketed ("Productivity Technologies Corp." / "PRAC")."""
    lines: dict[int, list[str]] = {}
    for u in found:
        lines.setdefault(u.line, []).append(u.text)
    texts = []
    for _, words in sorted(lines.items()):
        text = " ".join(" ".join(words).split())
        if _BOX_LABEL.match(text):
            break
        texts.append(text)
    if len(texts) < 2 or not _LONE_TICKER.fullmatch(texts[-1]) or texts[0].isupper():
        return None  # a name in capitals may wrap onto a line of one word
    return " ".join(texts[:-1]), texts[-1]


def _ticker(read: str, name: str, page: Page, stop: int, ev: Evidence) -> str | None:
    """The ticker among what the brackets hold as read."""
    words = [w for w in re.findall(r"[A-Za-z0-9.\-!|]+", re.sub(r"\(.*?\)", " ", read))
             if w.lower() not in _ROLE_LABELS]
    capitals = [w for w in words if w.isupper()]  # "ower NOR": the ticker is printed in capitals
    # the longest of them: "QUAN Q", a letter read twice; of words in small letters, the last
    last = max(capitals, key=len) if capitals else words[-1] if words else ""
    if last[:1].islower() and last[1:2] == last[0].upper():
        last = last[1:]  # "sSNow": OCR's small letter before the capital it read twice
    ticker = last.upper().replace("!", "I").replace("|", "I") or None  # "or!": ORI
    if len(words) > 1 or (ticker and not read.strip().isupper()):
        ev.doubt("issuer.trading_symbol", 0.6, f"ticker read from {read.strip()!r}")
        if page.ocr and name and not _squeeze(name).startswith((ticker or "?").lower()):
            # brackets holding other words ("eevee", the owner's name): OCR set the ticker elsewhere
            ticker = _ticker_beginning(name, page, stop) or ticker
    return ticker


def _name_by_ticker(name: str, ticker: str, ev: Evidence) -> str:
    """The issuer's name mended where its ticker, which mostly begins it, shows OCR's slips."""
    if re.match(r"^[A-Z] [A-Z]", name):
        read = name
        if name.replace(" ", "", 1).startswith(ticker):
            name = name.replace(" ", "", 1)  # "Q UANTUM DYNAMICS" beside [ QUAN ]: a letter OCR set apart
        elif name[2:].startswith(ticker):
            name = name[2:]  # "P ATLAS MINING" beside [ AT ]: a speck OCR read as a letter
        if name != read:
            ev.doubt("issuer.name", 0.6, f"read as {read!r}: its ticker {ticker} shows how it begins")
    if len(ticker) >= 3 and name.startswith(ticker[1:]) and not name.startswith(ticker):
        ev.doubt("issuer.name", 0.6, f"{name!r} lost its first letter: the ticker {ticker} begins it")
        name = ticker[0] + name  # "UANTUM DYNAMICS" beside [ QUAN ]
    return name


def _name_and_ticker(text: str) -> tuple[str, str] | None:
    """The name and what stands for the ticker in "NAME [ TICKER ]", as OCR leaves it: brackets
    unclosed ("374Water Inc. [ scwo"), a checkbox's "[ ]" after them, the opening one lost ("NO ]")."""
    text = _BRACKET_TWICE.sub("", text)
    m = _TICKER.search(text) or _PAREN_TICKER.search(text)
    if m and "[" not in m.group(1):
        return m.group(1), m.group(2)
    if "[" in text:  # the ticker runs to the next bracket, or to the end
        name, rest = text.split("[", 1)
        return name, re.split(r"[\[\]]", rest)[0]
    lost = re.search(r"^(.*?)\s*(\S+)\s*\]", text)
    return (lost.group(1), lost.group(2)) if lost else None


_BRACKET_TWICE = re.compile(r"\[\s*(?=\[)")  # "[ [ scwo ]": a bracket read twice


def _ticker_below(page: Page, line: int, stop: int) -> str:
    """"HELIX THERAPEUTICS, INC. [" over "HEL ] Director": OCR set the ticker and its closing
    bracket on the next line of text, before the next box's words."""
    for ln in page.lines[line + 1:min(line + 3, stop)]:
        if "]" in ln.text:
            before = ln.text[:ln.text.index("]") + 1]
            return "" if "[" in before else f" {before}"  # not a checkbox's "[ ]"
    return ""


def _without_specks(name: str) -> str:
    """An issuer's name in capitals without the relationship box's label and the lower-case
    specks OCR ran into it ("RED CEDAR HOLDINGS (Cheek al appicable) oo")."""
    words = _CHECK_LABEL.sub(" ", name).split()
    if sum(w.isupper() for w in words) >= 2:
        words = [w for w in words if not (w.isalpha() and w.islower())]
    while words and not any(c.isalnum() for c in words[0]):
        words.pop(0)  # ". Joby Aviation": a name begins with a letter or digit, the rest are specks
    return " ".join(words)


_CHECK_LABEL = re.compile(r"\(\s*Ch\w*\b[^)]*\)?")


def _capitals_ending(text: str) -> str:
    """The words in capitals that end a line ("Smith John ACME &" -> "ACME &")."""
    words = text.split()
    start = len(words)
    while start > 0 and not any(ch.islower() for ch in words[start - 1]):
        start -= 1
    while start < len(words) and len(words[start].rstrip(".")) == 1 and words[start] != "&":
        start += 1  # the owner's middle initial
    return " ".join(words[start:])


def _unbracketed(name: str, page: Page, stop: int, ev: Evidence) -> Issuer:
    """The issuer when OCR lost the ticker's brackets: the name under the label, and the
    ticker a short word on a line of its own that begins the name, as tickers mostly do."""
    name = " ".join(name.split())
    if name.endswith(("&", ",", " AND")):  # "STARLIGHT MEDIA &": the name goes on in the next capitals
        at = next((ln.number for ln in page.lines[:stop] if name in ln.text), stop)
        name += " " + next((c.text for ln in page.lines[at + 1:stop] for c in ln.chunks
                            if c.text.isupper() and len(c.text) > 2 and not U.major_at(c.text) >= 0), "")
    name = _suffix_mended(name.strip(), ev, page.ocr)
    ticker = _ticker_beginning(name, page, stop)
    ev.doubt("issuer", 0.6, "the ticker's brackets were not read")
    if ticker is None:
        ev.missing("issuer.trading_symbol", "the ticker")
    return Issuer(name=name, trading_symbol=ticker)


def _ticker_beginning(name: str, page: Page, stop: int) -> str | None:
    """A short word in capitals that begins the issuer's name, as tickers mostly do, on a line
    of its own or first on its line ("HEL ] Director")."""
    squeezed = _squeeze(name)
    for ln in page.lines[:stop]:
        word = ln.text if len(ln.text) <= 5 else ln.chunks[0].text.rstrip(" |]") if ln.chunks else ""
        if 1 <= len(word) <= 5 and word.isalpha() and (word == ln.text or word.isupper()) and (
                squeezed.startswith(word.lower())):
            return word.upper()
    return None


# a label's tail, printed in small letters after its capital ("Issuer"; "ISSUER" begins a name in capitals)
_LABEL_LEFT = re.compile(r"^(?:[Ii]ssuer|[Rr]equiring\s+[Ss]tatement|[Tt]rading\s+[Ss]ymbol)\b\s*")
# the words of the labels printed around the issuer's box ("5. Relationship of Reporting Person(s)
# to Issuer", "Date of Event Requiring Statement (Month/Day/Year)"), which OCR reads into its line
_ISSUER_LABEL_WORDS = frozenset((
    "relationship", "of", "reporting", "person", "persons", "to", "issuer", "date", "event", "requiring",
    "statement", "month", "day", "year", "earliest", "transaction", "name", "and", "ticker", "or", "trading",
    "symbol", "s"))


def _labels_off(name: str) -> str:
    """An issuer's name without the labels OCR read before it: a box's number and a run of two
    label words or more as the form prints them ("5. Relationship Reporting Person(s) Issuer"),
    or a date caption."""
    words = name.split()
    k = 1 if words and re.fullmatch(r"\d{1,2}\.", words[0]) else 0
    run = k
    while run < len(words) and not (words[run].isupper() and len(words[run]) > 1) and all(  # labels are not in capitals
            w in _ISSUER_LABEL_WORDS for w in re.findall(r"[a-z]+", words[run].lower()) or ["?"]):
        run += 1
    if run - k >= 2 or (run > k and "/" in words[k]):  # "(Month/Day/Year)" alone is a caption
        words = words[run:]
    return _LABEL_LEFT.sub("", " ".join(words))


_ROLE_LABELS = frozenset(("director", "owner", "officer", "other", "10"))  # the next box's words after "[ TICK"


def _suffix_mended(name: str, ev: Evidence, ocr: bool) -> str:
    """A company's suffix as OCR misreads it ("ORION SEMICONDUCTOR LID", "HELIX, ING."): the
    last word of an issuer's name, one letter off a suffix of the form's vocabulary (text a PDF
    or an extraction prints is as filed, and left so)."""
    words = name.split()
    suffix = company_suffix(words[-1]) if words and ocr else None
    if suffix:
        ev.doubt("issuer.name", 0.6, f"{words[-1]!r} read as {suffix!r}")
        words[-1] = suffix
    return " ".join(words)


def _clean_title(text: str) -> str:
    """An officer title without the specks OCR reads as words (")", "¢"), its case mended."""
    words = [w for w in text.split() if (w in ("&", "-", "/") or any(ch.isalnum() for ch in w))
             and not _BELOW_BITS.match(w)]
    if not any(sum(ch.isalpha() for ch in w) > 1 for w in words):
        return ""
    return _OCR_CASE.sub(lambda m: (m.group(1) + m.group(2)).upper(), " ".join(words))


def _box(page: Page, label: tuple[int, int], stop: int) -> list[U.Unit]:
    """The units of the box whose label is at ``label``: on a positioned page the columns
    up to the next label to its right, down to ``stop``; otherwise the whole stream."""
    line, x = label
    if not page.positioned:
        return U.stream_units(page, line, stop)
    # the boxes of one row print their labels at one height, which the extraction may set a
    # few lines apart (blank lines between): the next label right of this one ends its box
    right = min((c.x for ln in page.lines[max(0, line - 1):line + 4] for c in ln.chunks
                 if c.x > x + 10 and _BOX_NUMBER.match(c.text)), default=10_000)
    return U.box_units(page, line, x - 2, right, stop)


def _relationship(units: list[U.Unit], owner: ReportingOwner, path: str, ev: Evidence,
                  positioned: bool) -> set[tuple[int, str]]:
    """Tick the relationship boxes and read the officer title; returns the title's pieces."""
    roled = [u for u in units if _ANY_ROLE.search(u.text)]
    labels = [(flag, u) for u in roled for flag, pattern in _ROLE if pattern.search(u.text)]
    for u in roled:
        for m in _X_BEFORE.finditer(u.text):  # "X Officer", "Director X 10% Owner"
            flag = next(f for f, p in _ROLE if p.match(m.group(1)))
            setattr(owner, flag, True)
    title, used = _title(units, labels, positioned)
    marks = [u for u in units if MARK_X.match(u.text) and not MARK_X.match(u.text).group(1)]  # type: ignore[union-attr]
    shift = _tick_shift(marks, labels) if positioned else 0
    for k, mark in enumerate(marks):
        if positioned:
            near = _beside(mark, labels, shift)
        elif beside := [(u.x, f) for f, u in labels if u.line == mark.line and u.x > mark.x]:
            near = [(0, min(beside)[1])]  # "X Director X 10% Owner" in a stream: the label right of it
        else:  # a lone X in a stream: the label that follows it, the officer's if a title is printed
            upto = marks[k + 1].line if k + 1 < len(marks) else 10**6
            following = [f for f, u in labels if mark.line <= u.line < upto]
            near = [(0, "is_officer" if title and "is_officer" in following else f) for f in following[:1]]
            if near:
                ev.doubt(f"{path}.{near[0][1]}", 0.7, "a tick read apart from its box, taken as the next box's")
        if near:
            setattr(owner, min(near)[1], True)
    if not labels:
        ev.doubt(f"{path}.is_officer", 0.5, "the relationship boxes could not be found")
    title = _speck_off(title)
    if title:
        if owner.is_other and not owner.is_officer:
            owner.other_text = title
        else:
            if not owner.is_officer:
                ev.doubt(f"{path}.is_officer", 0.6, "officer box inferred from the officer title printed")
            owner.is_officer = True
            owner.officer_title = title
    return used


def _beside(mark: U.Unit, labels: list[tuple[str, U.Unit]], shift: int) -> list[tuple[int, str]]:
    """The box a tick on a positioned page checks: its label starts just right of the tick
    (the nearest column of labels, within a line); of that column's labels, the one on the
    line the form's shift gives, or else the nearest line."""
    around = [(u.x - mark.x, abs(u.line + shift - mark.line), f) for f, u in labels
              if abs(u.line - mark.line) <= 1 and u.x > mark.x]
    if not around:
        return []
    column = min(dx for dx, _, _ in around)
    return [(dy, f) for dx, dy, f in around if dx <= column + 4]


def _tick_shift(marks: list[U.Unit], labels: list[tuple[str, U.Unit]]) -> int:
    """How many lines below its label the page prints a box's tick: the same for every box of
    the form (a tick centred in a taller cell falls a line below, or above, its label's line).
    The shift under which the most ticks have a label beside them; no shift on a tie."""
    def beside(shift: int) -> int:
        return sum(any(u.line == m.line - shift and u.x > m.x for _, u in labels) for m in marks)
    return max((0, 1, -1), key=beside)


def _speck_off(title: str | None) -> str | None:
    """A title without the speck OCR read before it ("ule Member of 10%")."""
    words = (title or "").split()
    while len(words) > 1 and words[0].isalpha() and words[0].islower() and not spelling.known(words[0]):
        words.pop(0)
    return " ".join(words) or None


def untitled_tickers(owners: list[ReportingOwner], ticker: str | None, ev: Evidence) -> None:
    """An "officer title" that is the issuer's ticker, under an officer box nobody ticked, is
    the ticker OCR set apart from its brackets: not a title."""
    for i, owner in enumerate(owners):
        if not ticker or owner.officer_title != ticker:
            continue
        field = f"reporting_owners[{i}].is_officer"
        if any(w.field == field and "inferred" in w.message for w in ev.warnings):
            owner.officer_title, owner.is_officer = None, False
            ev.doubt(field, 0.6, f"{ticker!r} under the officer box is the issuer's ticker")


def _title(units: list[U.Unit], labels: list[tuple[str, U.Unit]],
           positioned: bool) -> tuple[str | None, set[tuple[int, str]]]:
    """Text printed under "Officer (give title below)": everything after the last "below)"
    up to the next box label that is not an address, a date or a label.  Returns the title
    and the pieces (line, text) it was made of."""
    starts = [i for i, u in enumerate(units) if _BELOW.search(u.text)]
    if not starts and not labels:
        return None, set()
    officer = next((i for i, u in enumerate(units) if _OFFICER.search(u.text)), None)
    # the "below)" under the officer's label; in a stream the other box's comes after the title
    begin = next((i for i in starts if officer is not None and i >= officer), starts[-1]) if starts else (
        units.index(labels[-1][1]))
    first = units[begin]
    below = list(_BELOW.finditer(first.text))
    rest = first.text[below[-1].end():].strip() if below else ""
    parts = [rest] if rest and not junk(rest) and not rest.startswith("(") else []
    used: set[tuple[int, str]] = set()
    if positioned:
        for u in units[begin + 1:]:
            if U.major_at(u.text) >= 0 or U.SIGNATURE.search(u.text) or _JOINT_BOX.search(u.text):
                break
            if find_date(u.text) or "/s/" in u.text:
                break  # a signature: the box is over
            if not junk(u.text) and not U.MINOR.search(u.text) and not address.address_like(u.text):
                parts.append(u.text)
        return (_clean_title(" ".join(parts)) or None), used
    # a stream reads the boxes of a row across: the title's rows hold the other boxes' labels,
    # the street and the date, and end with the street's caption or the boxes below
    street = next((i for i, u in enumerate(units) if U.STREET.search(u.text)), -1)
    across = street > begin  # else the address came first, and a date is a signature's
    for u in units[begin + 1:]:
        end = _BELOW_TITLE.search(u.text)
        if (across and u.line > units[street].line) or U.SIGNATURE.search(u.text) or "/s/" in u.text or (
                not across and (hit := find_date(u.text)) and hit[0].start() > 0):  # "Name 01/18/2013" signed
            break
        for piece in pieces(u.text[:end.start()] if end else u.text):
            if _ROLE_LABEL.match(piece):
                continue  # "Other" / "(specify" / "below)": the next box's label, wrapped
            if not junk(piece) and not address.address_like(piece) and not piece.startswith("(") and _wordy(piece):
                parts.append(piece)
                used.add((u.line, piece))
        if end:
            break
    return (_clean_title(" ".join(parts)) or None), used


def _wordy(text: str) -> bool:
    """Whether most words of a piece are English or an abbreviation in capitals ("EVP"):
    what OCR makes of the labels around the title ("if di f O1") is not."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) > 1]
    good = sum(1 for w in words if (w.isupper() and len(w) <= 4) or spelling.known(w))
    # and a word that says something: not only a label's ("Filed") or scraps ("if di")
    telling = any(w.isupper() or (len(w) > 2 and w not in _LABEL_WORDS) for w in words)
    return bool(words) and telling and 2 * good >= len(words)


_ENTITY = re.compile(r"^(?:LLC|L\.?L\.?C\.?|LP|L\.P\.|INC\.?|LTD\.?|CORP\.?|CO\.?|GP|PLC|N\.A\.),?$")


def _squeeze(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _comma_goes_on(name: str | None, names: list[U.Unit]) -> str | None:
    """A name whose line ends in a comma goes on below ("Musk Holdings GP," / "LLC"): the
    extraction broke it before its entity's suffix, and no name ends in a comma."""
    if not name or not name.endswith(",") or not names:
        return name
    below = [u for u in names if u.line == names[0].line + 1]
    if len(below) != 1 or U.MINOR.search(below[0].text) or below[0].text.startswith("("):
        return name
    return f"{name} {below[0].text.strip()}"


def _owner_before_issuer(line: str, signers: list[str]) -> str | None:
    """The owner's name at the start of a line OCR ran on into "ISSUER NAME [ TICKER ]": the
    signer's name when the line starts with it, else the words before the issuer's capitals."""
    for signer in signers:
        if signer and _squeeze(line).startswith(_squeeze(signer)):
            return signer
    words = line.split("[")[0].split()
    if signed := _signed_first(words, signers):
        return signed
    if upper := _capitals_first(words):
        return upper
    # the issuer's name: the run of capitalised words (two letters or more) that reaches the bracket
    start = len(words)
    while start > 0 and (words[start - 1].isupper() or not any(c.isalpha() for c in words[start - 1])) and (
            len(words[start - 1].rstrip(".")) > 1 or not words[start - 1].rstrip(".").isalpha()):
        start -= 1  # a lone letter, "A" or "A.", is the owner's middle initial
    while start < len(words) and _ENTITY.match(words[start].upper()) and start > 0:
        start += 1  # "Granite Peak Holdings LLC ATLAS MINING": the owner's own LLC
    owner = words[:start]
    if not owner or len(words) - start < 2 or all(w.isupper() for w in owner):
        return None  # one case throughout: no telling where one name ends
    return " ".join(owner)


def _signed_first(words: list[str], signers: list[str]) -> str | None:
    """The owner's name as its box prints it ("Last First Middle") at the start of the line,
    in any order of the words a signature gives it ("/s/ First Last"): the longest such run
    of two or more words that leaves two or more for the issuer."""
    for signer in signers:
        signed = {_squeeze(w) for w in signer.split()} - {""}
        k = 0
        while k < len(words) and _squeeze(words[k]) in signed:
            k += 1
        if k >= 2 and len(words) - k >= 2:
            return " ".join(words[:k])
    return None


def _capitals_first(words: list[str]) -> str | None:
    """An owner's name in capitals run into an issuer's name that is not ("BOTHA ROELOF
    Square, Inc."): the capitals, two words or more, before two or more words that are not."""
    k = 0
    while k < len(words) and words[k].isupper() and any(c.isalpha() for c in words[k]):
        k += 1
    rest = words[k:]
    if k >= 2 and len(rest) >= 2 and all(not w.isupper() for w in rest):
        return " ".join(words[:k])
    return None


def _before_roles(u: U.Unit) -> U.Unit:
    """The unit cut where the relationship box's words begin ("Schmidt Raj X Director 10%
    Owner"): OCR runs the boxes of one printed line together."""
    hits = [m.start() for m in (ROLE_WORDS.search(u.text), _X_BEFORE.search(u.text)) if m]
    cut = u.text[:min(hits)].strip() if hits else u.text
    return U.Unit(cut, u.line, u.x) if cut else u


# words of the labels around the owner's name, left when OCR tore a label apart
_LABEL_WORDS = frozenset(re.findall(r"\S+", "Filed Issuer Relationship Reporting Person Person(s) Amendment "
                                    "Original Statement Requiring Date Event Name Address Ticker Trading Symbol If "
                                    "of to and or"))


def _name_below_labels(box: list[U.Unit], label_line: int) -> list[U.Unit]:
    """When OCR read the top row's labels before its values, the name is the first plain
    words below them, above the "(Last) (First) (Middle)" caption: not the issuer's
    "NAME [ TICKER ]", not a label or a box's caption.  Issuers' names are printed in
    capitals, so a name in mixed case is preferred."""
    found: list[U.Unit] = []
    for unit in box:
        if U.LAST_FIRST.search(unit.text):
            break
        u = _before_roles(unit)
        if u.line <= label_line or "[" in u.text:
            continue
        for piece in pieces(u.text):  # "GARRETT MARK (Month/Day/Year)": another box's label beside it
            if ("(" not in piece and not junk(piece) and not any(ch.isdigit() for ch in piece) and len(piece) >= 3
                    and not all(w.strip(",.") in _LABEL_WORDS for w in piece.split())):
                found.append(U.Unit(piece, u.line, u.x))
    mixed = [u for u in found if not u.text.isupper()]
    first = (mixed or found)[:1]
    return [u for u in found if u.line == first[0].line] if first else []  # "Granite | Peak Holdings | LLC"


def _name_as_signed(owner: ReportingOwner, box: list[U.Unit], signers: list[str], path: str, ev: Evidence) -> None:
    """A line of the owner's box (of the whole head of the form, for the first owner) that
    begins with a signer's name, when the name read first was not: OCR read the issuer's
    name or a label where the owner's belongs, or set the name above its label."""
    keys = [(s, s.split()[0], _squeeze(s)) for s in signers if len(s.split()) > 1]
    for u in box:
        signer = next((s for s, first, key in keys if first in u.text and _squeeze(u.text).startswith(key)), None)
        if signer:
            owner.name = signer
            ev.doubt(f"{path}.name", 0.8, "name found by the signature's")
            return


def owners(page: Page, stop: int, end: int, ev: Evidence, signers: list[str],
           signature_lines: Iterable[int] = ()) -> list[ReportingOwner]:
    """Every reporting owner: the box above Table I, and any further owner boxes of a joint
    filing printed after the tables. ``signers`` (the signatures' names) tell where a name
    ends when OCR ran it into the issuer's name on one line; ``signature_lines`` are the
    lines the signatures take."""
    found: list[ReportingOwner] = []
    line = 0
    while (at := U.locate(page, U.OWNER, line, end)) is not None:
        first = not found
        block_stop = stop if first else (U.find_line(page, U.OWNER, at[0] + 1, end) or end)
        if not first and page.positioned:  # a joint filer's boxes end with its city line
            city = U.find_line(page, U.CITY, at[0], block_stop)
            block_stop = city + 1 if city is not None else block_stop
        if not first and page.ruled:  # a typed form's joint filer: its boxes end where the signatures begin
            block_stop = min([block_stop, *(i for i in signature_lines if i > at[0])])
        box = _box(page, at, block_stop)
        path = f"reporting_owners[{len(found)}]"
        owner = ReportingOwner()
        after = U.after(box, U.OWNER, limit=6)
        names = [u for u in map(_before_roles, after) if not junk(u.text) and not U.OWNER_TAIL.match(u.text)]
        if not names and not page.positioned:
            names = _name_below_labels(box, at[0])
        # "Doe   John   A." typed in three columns is one name
        owner.name = " ".join(" ".join(u.text for u in names if u.line == names[0].line).split()) if names else None
        owner.name = _comma_goes_on(owner.name, names)
        merged = next((u.text for u in after[:2] if "[" in u.text), None)
        if merged is None and not names and not page.positioned:  # the labels were read first, then the values
            merged = next((u.text for u in box if "[" in u.text and not U.MINOR.search(u.text)), None)
        # the issuer's name is printed beside the first owner's box only: a joint filer's has none to run into
        merged = merged or (owner.name if owner.name and not page.positioned and first else None)
        if merged and (owner.name is None or merged == owner.name or (after and names[0].line > after[0].line)):
            parted = _owner_before_issuer(merged, signers)
            if parted:
                owner.name = parted
                ev.doubt(f"{path}.name", 0.7, "name parted from the issuer's on one line")
        if not page.positioned and not any(owner.name and _squeeze(s) == _squeeze(owner.name) for s in signers):
            _name_as_signed(owner, U.stream_units(page, 0, stop) if first else box, signers, path, ev)
        signed = next((s for s in signers if owner.name and s != owner.name and _squeeze(s) == _squeeze(owner.name)
                       and len(s) > len(owner.name)), None)
        if signed:  # "Smith Hiroshi A" signed "Smith Hiroshi A.": OCR lost a point in one of them
            owner.name = signed
            ev.doubt(f"{path}.name", 0.8, "punctuation taken from the signature")
        if owner.name is None:
            ev.missing(f"{path}.name", "the reporting person's name")
        rel_at = U.locate(page, U.RELATIONSHIP, max(0, at[0] - 2), block_stop)  # labels of one row may not align
        rel_units = _box(page, rel_at, block_stop) if page.positioned and rel_at else box
        if not first:  # the last joint filer's boxes run into the signatures: no title is read from those
            signing = min((i for i in signature_lines if i > at[0]), default=block_stop)
            rel_units = [u for u in rel_units if u.line < signing]
        used = _relationship(rel_units, owner, path, ev, page.positioned)
        address.read(box, owner, used, path, ev)
        if not page.positioned and owner.street1 is None and owner.city is None:
            issuer_at = U.find_line(page, U.ISSUER, at[0], block_stop) or block_stop
            address.scattered(U.stream_units(page, max(0, at[0] - 16), issuer_at), owner, path, ev)
        found.append(owner)
        line = at[0] + 1
        if first:
            line = max(line, stop)
    if not found:
        ev.missing("reporting_owners", "the reporting owner")
    return found
