"""The owner's address: street lines, city, state and zip, as printed in the box or as OCR
scattered them over the boxes of a row."""

from __future__ import annotations

import re

from form4.model import ReportingOwner
from form4.readers.text import spelling
from form4.readers.text import units as U
from form4.readers.text.captions import junk, pieces
from form4.readers.text.evidence import Evidence

ADDRESS = re.compile(r"\bC/O\b|\bP\.?\s?O\.?\s+BOX\b|\bSUITE\b|\bSTREET\b|\bFLOOR\b|\bAVE(?:NUE)?\b", re.I)
_ADDRESS_LIKE = re.compile(r"\d|.*\b\d{5}\b")  # a street number or a zip code
_CITY_LINE = re.compile(r"^(?P<city>.*?)[\s,]+(?P<state>[A-Z]{2})\s+(?P<zip>[0-9A-Z][0-9A-Z -]{2,9})$")
# "CHICAGO IL 60606" with whatever OCR ran into it from the next column
_CITY_IN = re.compile(r"(?P<city>[A-Za-z][A-Za-z .'-]*?)[\s,]+(?P<state>[A-Z]{2})\s+(?P<zip>\d{5}(?:-\d{4})?)\b")
_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
_CITY_CAPTION = re.compile(r"\((?:City|State|Zip)\)", re.I)
_GLUED_STATE = re.compile(r"^(?P<city>[A-Z][A-Z .'-]*?[A-Z])(?P<state>[A-Z]{2})\s+(?P<zip>\d{5}(?:-\d{4})?)\b")
_STATES = frozenset(re.findall(r"\w\w", "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO"
                                        " MT NE NV NH NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA VI WA WV"
                                        " WI WY GU AS MP"))


def _street_like(text: str) -> bool:
    """Words of a street ("SUITE", "C/O"), a street number or a zip code."""
    return bool(ADDRESS.search(text) or _ADDRESS_LIKE.match(text))


def address_like(text: str) -> bool:
    return bool(U.MINOR.search(text)) or _street_like(text)


def read(units: list[U.Unit], owner: ReportingOwner, used: set[tuple[int, str]], path: str, ev: Evidence) -> None:
    if _uncaptioned(units, owner):
        return
    street = _street(units, used)
    if len(street) == 1:
        street = _split_street(street[0])
    if len(street) > 2:
        ev.doubt(f"{path}.street1", 0.5, f"more address lines than expected: {street}")
        ev.doubt(f"{path}.street2", 0.6)  # which lines went together decides the second line too
        street = _unwrapped(street)
    street = [_unglued(line, f"{path}.street{i + 1}", ev) for i, line in enumerate(street[:2])] + street[2:]
    street = [_title_tail_off(line, owner) for line in street]
    owner.street1 = street[0] if street else None
    owner.street2 = street[1] if len(street) > 1 else None
    city: list[str] = []
    for u in _between(units, U.STREET, _CITY_CAPTION, 6) or _line_above(units, U.CITY):
        for text in pieces(u.text):
            beside = (_CITY_IN.match(text) or _glued_state(text)) if not city else None
            if beside and junk(text):  # "CHICAGO IL 60606 X Form filed by...": the next box's words after it
                text = beside.group(0)
            if not junk(text) and (u.line, text) not in used and not text.islower():  # "re": a label's tail
                city.append(text)
    city_line = " ".join(" ".join(city).split())
    # the columns the captions head first: a city that wraps around its state and zip ("MENLO" /
    # "CA 94025" / "PARK") would read as a zip of letters ("94025 PARK") off the line
    m = (_city_columns(units) or _CITY_LINE.match(city_line) or _CITY_IN.search(city_line) or _glued_state(city_line)
         or _zip_below(city_line, units) or _small_state(city_line))
    if m:
        words = m.group("city").strip(" ,.").split()
        while len(words) > 1 and not _capitals(words[0]) and any(_capitals(w) for w in words):
            words.pop(0)  # "Secretar AUSTIN", "O1 Filed CHICAGO": another box's words ran into the city
        owner.city, owner.state, owner.zip = " ".join(words) or None, m.group("state").upper(), m.group("zip")
        if not m.group("state").isupper():
            ev.doubt(f"{path}.state", 0.6, f"{m.group('state')!r} read as the state {owner.state!r}")
        rest = city_line[m.end():].strip()
        if owner.city and rest.replace(" ", "").isalpha() and rest.isupper():  # "SAN" / "CA 94402" / "MATEO"
            owner.city = f"{owner.city} {rest}"
        if owner.city is None:
            ev.doubt(f"{path}.city", 0.5, f"no city before the state and zip in {city_line!r}")
        elif m.string[m.start("city"):m.start("state")].rstrip().endswith(","):  # a separator, or the filer's
            ev.doubt(f"{path}.city", 0.8, "printed with a comma after it, taken as a separator")
        if owner.zip and _WORDS_BEFORE_ZIP.match(owner.zip):  # "PARK 94025": the city's second word
            ev.doubt(f"{path}.city", 0.5, f"the zip {owner.zip!r} holds words: the city's end went to it")
            ev.doubt(f"{path}.zip", 0.5)
    elif city_line:
        owner.city = city_line
        ev.doubt(f"{path}.city", 0.5, f"city, state and zip not told apart in {city_line!r}")
    else:
        ev.doubt(f"{path}.city", 0.5, "no city line found")
    for name in ("state", "zip"):
        if getattr(owner, name) is None:
            ev.doubt(f"{path}.{name}", 0.5, f"no {name} found beside the city")


_WORDS_BEFORE_ZIP = re.compile(r"^[A-Za-z]{2,}\s+\d{5}(?:-\d{4})?$")
_BOX_LABEL = re.compile(r"^\(?\d{1,2}[A-Z]?[.)]\s")  # "5. Relationship of ...": the next box's label


def _unwrapped(street: list[str]) -> list[str]:
    """More street lines than the box's two: a line that wrapped at the box's width goes on
    with the line below it.  A line wraps only when it is full, so the longest line is the
    one that wrapped ("C/O SEQUOIA CAPITAL, 2800 SAND HILL" / "ROAD" / "SUITE 101")."""
    lines = list(street)
    while len(lines) > 2:
        full = max(range(len(lines) - 1), key=lambda i: len(lines[i]))
        lines[full:full + 2] = [f"{lines[full]} {lines[full + 1]}"]
    return lines


def _uncaptioned(units: list[U.Unit], owner: ReportingOwner) -> bool:
    """The address of a box typed before 2003, which prints no "(Street)" or "(City)
    (State) (Zip)" captions: under the label the name's line, the street lines, then the
    city's line ("DENVER, CO 80202"; a country may follow), up to the next box's label.
    Whether the box was read so."""
    if any(U.LAST_FIRST.search(u.text) or U.STREET.search(u.text) or U.CITY.search(u.text) for u in units):
        return False
    label = next((u.line for u in units if U.OWNER.search(u.text)), None)
    if label is None:
        return False
    rows: dict[int, list[str]] = {}
    for u in units:
        if u.line > label:
            rows.setdefault(u.line, []).append(u.text)
    texts: list[str] = []
    for _, words in sorted(rows.items()):
        text = " ".join(" ".join(words).split())
        if _BOX_LABEL.match(text) or U.OWNER.search(text):
            break
        texts.append(text)
    found = next(((k, m) for k in range(len(texts) - 1, 0, -1) if (m := _CITY_LINE.match(texts[k]))), None)
    if found is None or found[0] > 3:  # a name, at most two street lines, then the city
        return False
    city, m = found
    street = texts[1:city]
    owner.street1 = street[0] if street else None
    owner.street2 = street[1] if len(street) > 1 else None
    owner.city, owner.state, owner.zip = m.group("city").strip(" ,") or None, m.group("state"), m.group("zip")
    return True


def _title_tail_off(line: str, owner: ReportingOwner) -> str:
    """"2200 PENNSYLVANIA AVE NW group": words in small letters after a street in capitals
    are the wrapped end of the title beside it ("Member of 10%" / "group")."""
    words = line.split()
    k = len(words)
    while k > 1 and words[k - 1].isalpha() and words[k - 1].islower():
        k -= 1
    title = "other_text" if owner.other_text else "officer_title" if owner.officer_title else None
    if k == len(words) or title is None or not any(w.isupper() for w in words[:k]):
        return line
    setattr(owner, title, f"{getattr(owner, title)} {' '.join(words[k:])}")
    return " ".join(words[:k])


_SUFFIX = re.compile(r"^([A-Z]{4,}?)(AVE|AVENUE|ST|STREET|RD|ROAD|BLVD|DR|DRIVE|LN|LANE|WAY|PL|PLAZA|CT|PKWY|SQ|HWY)$")


def _unglued(line: str, field: str, ev: Evidence) -> str:
    """"PENNSYLVANIAAVE": a street's name and its kind that an extraction ran together, when
    the whole is no word and its head is one."""
    words = line.split()
    for i, word in enumerate(words):
        m = _SUFFIX.match(word) if len(word) >= 7 else None
        if m and spelling.known(m.group(1)) and not spelling.known(word):
            words[i] = f"{m.group(1)} {m.group(2)}"
            ev.doubt(field, 0.7, f"{word!r} read as {words[i]!r}")
    return " ".join(words)


def _street(units: list[U.Unit], used: set[tuple[int, str]]) -> list[str]:
    """The address lines between the name's caption and "(Street)": capitals or a number,
    not the officer title's pieces or another box's label or date."""
    found: list[tuple[int, str]] = []
    label = next((i for i, u in enumerate(units) if U.OWNER.search(u.text)), None)
    caption = next((i for i, u in enumerate(units) if U.LAST_FIRST.search(u.text)), None)
    if label is not None and caption is not None and 0 < caption - label <= 12:
        # a street line OCR read before the name's caption, straight under the box's label
        found = [(u.line, text) for u in units[label + 1:caption] for text in pieces(u.text)
                 if "[" not in text and text.isupper() and _street_like(text)]
    for u in _between(units, U.LAST_FIRST, U.STREET, 16):
        for text in pieces(u.text):
            if not junk(text) and (u.line, text) not in used and (
                    (text.isupper() and len(text) > 2) or _street_like(text)):
                found.append((u.line, text))
    window = units[caption:caption + 20] if caption is not None else units
    if not any(U.STREET.search(u.text) for u in window):  # its caption garbled: up to the city's line
        city = {u.line for u in _line_above(units, U.CITY)}
        found = [(line, text) for line, text in found if not city or line < min(city)]
    street: list[str] = []
    for k, (line, text) in enumerate(found):  # pieces of one line are one street line: "1" "MARKET PLAZA"
        if k and found[k - 1][0] == line:
            street[-1] += f" {text}"
        else:
            street.append(text)
    return street


def _between(units: list[U.Unit], start: re.Pattern[str], end: re.Pattern[str] | None, limit: int) -> list[U.Unit]:
    """The units after the first one holding ``start`` (its remainder first) up to the text
    before ``end`` (if given), at most ``limit`` of them."""
    at = next((i for i, u in enumerate(units) if start.search(u.text)), None)
    if at is None:
        return []
    first = units[at]
    m = start.search(first.text)
    out = []
    for u in [U.Unit(first.text[m.end():], first.line, first.x), *units[at + 1:at + 1 + limit]]:  # type: ignore[union-attr]
        stop = end.search(u.text) if end else None
        out.append(U.Unit(u.text[:stop.start()], u.line, u.x) if stop else u)
        if stop:
            break
    return out


def _capitals(word: str) -> bool:
    """A word of a city's name as the form prints it: letters in capitals ("ST.", "MATEO")."""
    letters = word.replace(".", "").replace("'", "").replace("-", "")
    return letters.isalpha() and letters.isupper()


def _line_above(units: list[U.Unit], caption: re.Pattern[str]) -> list[U.Unit]:
    """The units of the line just above a caption (the city's, when OCR garbled "(Street)")."""
    at = next((u.line for u in units if caption.search(u.text)), None)
    above = max((u.line for u in units if at is not None and at - 8 <= u.line < at), default=None)
    return [u for u in units if u.line == above]


def scattered(units: list[U.Unit], owner: ReportingOwner, path: str, ev: Evidence) -> None:
    """The address when OCR read the owner's box column by column, captions first and values
    after (or before the label): streets by their number or words, a lone state code, a lone
    zip code, and one word in capitals for the city."""
    values = [p for u in units for p in pieces(u.text) if not junk(p) and "[" not in p]
    streets = [p for p in values if p.isupper() and _street_like(p)]
    states = [p for p in values if p in _STATES]
    zips = [p for p in values if _ZIP.fullmatch(p)]
    cities = [p for p in values if p.isupper() and p.replace(" ", "").isalpha() and len(p) > 2 and p not in streets]
    if not streets or len(states) != 1 or len(zips) != 1 or len(cities) != 1:
        return
    streets = [p for p in streets if p not in zips]
    owner.street1, owner.street2 = streets[0], (streets[1] if len(streets) > 1 else None)
    owner.city, owner.state, owner.zip = cities[0], states[0], zips[0]
    for name in ("street1", "city", "state", "zip"):
        ev.doubt(f"{path}.{name}", 0.6, "address read from a box OCR read column by column")


def _zip_below(city_line: str, units: list[U.Unit]) -> re.Match[str] | None:
    """"WESTFORD MA" above its captions, the zip below them: OCR read the zip's column later."""
    words = city_line.split()
    if len(words) < 2 or words[-1] not in _STATES:
        return None
    after = _between(units, _CITY_CAPTION, None, 4)
    code = next((p for u in after for p in pieces(u.text) if _ZIP.fullmatch(p)), None)
    return _CITY_LINE.match(f"{city_line} {code}") if code else None


_SMALL_STATE = re.compile(r"^(?P<city>[A-Z][A-Z .'-]*?)[\s,]+(?P<state>[A-Za-z]{2})\s+(?P<zip>\d{5}(?:-\d{4})?)$")


def _small_state(text: str) -> re.Match[str] | None:
    """"DENVER co 80202": a state OCR read in small letters (c, o, s, v, w, x, z look alike in
    both cases) between a city in capitals and a zip."""
    m = _SMALL_STATE.match(text)
    return m if m and m.group("state").upper() in _STATES else None


def _glued_state(text: str) -> re.Match[str] | None:
    """"CHICAGOIL 60606": OCR lost the space before the state."""
    m = _GLUED_STATE.search(text)
    return m if m and m.group("state") in _STATES else None


def _city_columns(units: list[U.Unit]) -> re.Match[str] | None:
    """City, state and zip of a positioned box, sorted into the columns their captions head
    (a city name may wrap over two lines around the state and zip)."""
    caption = next((u for u in units if U.CITY.search(u.text)), None)
    street = next((u for u in units if U.STREET.search(u.text)), None)
    if caption is None or street is None:
        return None
    heads = {w: caption.x + caption.text.find(w) for w in ("(State)", "(Zip)") if w in caption.text}
    heads.update({w: u.x for u in units if u.line == caption.line for w in ("(State)", "(Zip)") if u.text == w})
    if len(heads) < 2:
        return None
    cols: dict[str, list[str]] = {"city": [], "state": [], "zip": []}
    for u in units:
        if street.line < u.line < caption.line and not junk(u.text):
            name = "city" if u.x < heads["(State)"] - 2 else "state" if u.x < heads["(Zip)"] - 2 else "zip"
            cols[name].append(u.text)
    # an empty column adds no space: a zip must not end in blanks
    return _CITY_LINE.match(" ".join(" ".join(cols[name]) for name in ("city", "state", "zip") if cols[name]))


def _split_street(text: str) -> list[str]:
    """Two address lines run together by OCR: "C/O ACME, INC. 4 PARK DRIVE"."""
    m = re.match(r"^(C/O\s+\S.*?[.,])\s+(\d.*)$", text, re.I)
    return [m.group(1), m.group(2)] if m else [text]
