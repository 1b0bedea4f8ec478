"""Table rows of text read in word order (OCR output, extracted text without columns): which
words and values make up each row, where OCR moved a cell's lines above or below its row."""

from __future__ import annotations

import re

from form4.readers.text import titles
from form4.readers.text.lines import Line
from form4.readers.text.tables import Piece, as_text, bare_number, is_ownership
from form4.readers.text.tokens import Token, tokens_of


def stream_pieces(lines: list[Line], ocr: bool, derivative: bool = False) -> list[Piece]:
    """Rows of a table read in word order: a row ends with the line whose last value is its
    D/I ownership mark; words before its first value are its title. On OCR of Table I, a row
    also ends where the next row's amounts begin, and the words-only lines between the two
    values lines are parted between their titles (Table II's words there may be an underlying
    security's)."""
    wraps = ocr and not derivative
    pieces: list[Piece] = []
    current = Piece()
    below = 0  # OCR of a rendered form: title lines still due below the row just ended
    raised: list[Token] = []  # marks OCR set on a line of their own above a row's values
    lead: list[Token] = []  # a nature's first words above its row's line
    above: list[Token] = []  # the words of the line before
    read = [[t for c in ln.chunks for t in tokens_of(c.text, -1, ln.number, loose_marks=ocr, ocr=ocr)] for ln in lines]
    for at, ln in enumerate(lines):
        toks = read[at]
        if ocr and _superscripts_only(toks):  # "options (1) 1 Common": marks OCR set on a line of their own
            toks = [t for t in toks if t.kind == "text"]
        if ocr and toks and not current.data and all(t.kind == "mark" for t in toks):
            raised = toks  # the nature's, if the row below has one: a one-line cell is set lowest
            continue
        if ocr and not current.data and len(toks) == 1 and toks[0].kind == "letter":
            continue  # a lone letter before a row's values: a speck, not a value
        if not toks:
            continue
        if not ocr and current.data and len(toks) == 1 and toks[0].kind == "mark" and toks[0].marks and above and (
                above[-1].kind == "text" and above[-1].marks and not set(toks[0].marks) & set(above[-1].marks)):
            # "Class B Common Stock(2)" / "(3)": past the row's title (whose next cell, the
            # price, may be a blank with a mark of its own), a cell's second mark wrapped onto a
            # line of its own goes on from the mark raised against the cell's last word; one
            # cell cites a footnote once
            above[-1].marks.extend(toks[0].marks)
            continue
        above = toks
        priced = ocr and _prices_only(current)
        worded_start = current.data and toks[0].kind == "text" and (
            (_complete(current) and not priced and (
                any(t.kind == "date" for t in toks) or (ocr and _starts_row(toks, current))))
            or (ocr and _next_holding(toks, current)))
        if worded_start or (wraps and _amounts_again(toks, current, priced)):
            pieces.append(current)
            current = Piece()
            if wraps:
                current.title = _words_below(pieces[-1])
        if not current.data and pieces and pieces[-1].nature_open and not (current.title and not ocr) and not (
                _nature_closed(pieces[-1], ocr) and any(t.kind == "text" for t in toks)):
            k = _title_ends(toks)
            # a whole title ("Common Stock") takes no more words: "Common" opens the next row's
            opens = ocr and k > 0 and not _unfinished(pieces[-1].title) and _next_title(toks, pieces[-1].title)
            if not (opens or below > 0 or _unfinished(pieces[-1].title) or (
                    ocr and _title_unended(pieces[-1].title) and _ends_title_below(read, at))):
                k = 0
            if k < len(toks) and _nature_words(toks[k:], _goes_on(pieces[-1])):  # "By Trust" wrapped below,
                (current.title if opens else pieces[-1].title).extend(map(as_text, toks[:k]))  # "share Trust"
                below = 0 if opens else below
                if toks[k].text in _OPENERS and _has_nature(pieces[-1]):
                    lead = toks[k:]  # "See" above the next row's "footnote": its nature begins
                else:
                    pieces[-1].nature.extend(toks[k:])
                continue
        words_only = all(t.kind in ("text", "mark") for t in toks)
        if words_only and not current.title and not current.data and pieces and (
                _unfinished(pieces[-1].title) or (below > 0 and not _next_title(toks, pieces[-1].title))
                or (ocr and _title_unended(pieces[-1].title) and _ends_title_below(read, at))):
            # a title cell is centred on its row: as many lines below as above; and a title
            # cut off after "per" or "to" goes on below
            pieces[-1].title.extend(map(as_text, toks))
            below = max(0, below - 1)
            continue
        if wraps and words_only and not current.data and toks[0].kind == "text" and not titles.known(toks[0].text):
            lead.extend(toks)  # "Sequoia Capital" above a row's values: no title opens so; its nature's first line
            continue
        below = 0
        seen_data = bool(current.data) and not priced  # under prices read a line up, the title goes on
        worded = not ocr and not current.data and _prose(toks)  # "under the 2019" / "Equity Incentive Plan"
        valued: list[Token] = []  # the line's tokens that are values, not its title's words
        for i, tok in enumerate(toks):
            if not seen_data and (worded or _title_word(toks, i)):
                current.title.append(as_text(tok))
            else:
                seen_data = True
                current.data.append(tok)
                valued.append(tok)
        # not a lone speck, nor a title's letter ("Series D Preferred Stock (1) (1)": no D/I mark)
        data = [t for t in valued if t.kind != "text" and (t.kind != "mark" or t.marks)]
        last = next((t for t in reversed(data) if t.kind != "mark"), None)  # "I By 3)": the nature's mark after it
        last = _ownership_before_nature(valued) or last
        # a price and a D/I alone: a Form 3 row whose dates and amount OCR read on the next line
        if last is not None and is_ownership(last) and len(current.data) >= 2 and not (
                ocr and _prices_only(current) and current.title) and not (
                not ocr and not derivative and _disposed_only(current)):
            current.nature_open = last.value == "I"
            if raised and current.nature_open and current.data[-1].kind == "text":
                current.nature.extend(raised)
            carried: list[Token] = []
            if current.nature_open:
                _take_lead(current, lead)
            else:  # a nature's "By" OCR set above a direct row is the next row's
                current.title[:0] = [as_text(t) for t in lead if t.text not in _OPENERS]
                carried = [t for t in lead if t.text in _OPENERS] + _openers_off(current)
            raised, lead = [], carried
            if ocr:
                below = len({t.line for t in current.title if t.line != ln.number})
            pieces.append(current)
            current = Piece()
    if current.data:
        pieces.append(current)
        if wraps:  # the last title's rest below its values; other words stay where they were read
            current.data.extend(_words_below(current))
    elif current.title and pieces:  # words after the last row: the end of its wrapped title
        pieces[-1].title.extend(current.title)
    return pieces


def _disposed_only(piece: Piece) -> bool:
    """Whether a Table I transaction's last "D" is its disposed-of mark, not its ownership
    form: a dated row prints the amount owned after the A/D column, so its D/I comes after
    two amounts at least ("2,248,637 D (1)" / "0 I": the price cell blank but for its mark)."""
    if not any(t.kind == "date" for t in piece.data):
        return False
    last = max(i for i, t in enumerate(piece.data) if is_ownership(t))
    return sum(t.kind == "number" for t in piece.data[:last]) < 2


def _prose(toks: list[Token]) -> bool:
    """A line of words whose numbers are bare ones after words ("granted under the 2019"): a
    title's line, off a text layer, where a row's values come with dates, letters and amounts."""
    return toks[0].kind == "text" and all(t.kind in ("text", "mark") or (bare_number(t) and toks[i - 1].kind == "text")
                                          for i, t in enumerate(toks))


def _ownership_before_nature(toks: list[Token]) -> Token | None:
    """The D/I mark of a line whose nature follows it on the same line, numbers and all
    ("I By Sequoia Capital U.S. Venture 2010 Fund, L.P."): words begin right after the mark,
    and every number after it is a bare one among words."""
    k = next((i for i in range(len(toks) - 1, -1, -1) if is_ownership(toks[i])), None)
    if k is None or k + 1 >= len(toks) or toks[k + 1].kind != "text":
        return None
    tail = toks[k + 1:]
    words = all(t.kind in ("text", "mark") or (bare_number(t) and tail[i - 1].kind == "text")
                for i, t in enumerate(tail))
    return toks[k] if words else None


def _amounts_again(toks: list[Token], current: Piece, priced: bool) -> bool:
    """A line that opens with a row's amounts or its date (its title wrapped above and below it)
    while the row read so far has all of its own: a row whose D/I mark OCR lost ends there."""
    if priced or not _complete(current):
        return False
    if toks[0].kind == "date":  # a dated row's date opens the next one ("Common" above it, "Stock" below)
        return any(t.kind == "date" for t in current.data) and sum(t.kind == "number" for t in toks) >= 2
    return toks[0].kind == "number" and sum(t.kind == "number" and not t.dollar for t in toks) >= 2


def _words_below(piece: Piece) -> list[Token]:
    """The words-only lines read after a row's last value, taken off its data: the rest of its
    title while that title lacks its last word ("Common" over "Stock"), then the next row's
    title lines, set above that row's values."""
    last = max((i for i, t in enumerate(piece.data) if t.kind != "text"), default=len(piece.data))
    lines = {t.line for t in piece.data[:last + 1]}
    k = last + 1
    while k < len(piece.data) and piece.data[k].line in lines:
        k += 1
    below, piece.data = piece.data[k:], piece.data[:k]
    nxt: list[Token] = []
    for line in sorted({t.line for t in below}):
        words = [as_text(t) for t in below if t.line == line and t.kind == "text"]
        if not nxt and _title_unended(piece.title):
            piece.title.extend(words)
        else:
            nxt.extend(words)
    return nxt


def _title_unended(title: list[Token]) -> bool:
    """A title whose last word names no kind of security yet ("Class A Common")."""
    words = _read_words(title)
    return bool(words) and titles.closest(words[-1].strip(",.")) not in _TITLE_ENDS


def _ends_a_title(toks: list[Token]) -> bool:
    """A line whose last word names a kind of security ("Stock"): under a row whose title
    names none yet ("Common"), that title's last line, set below its values."""
    words = _read_words(toks)
    return bool(words) and titles.closest(words[-1].strip(",.")) in _TITLE_ENDS


def _ends_title_below(read: list[list[Token]], at: int) -> bool:
    """Whether the lines of words from line ``at`` on end a title ("Common" / "Stock") before
    the next line of values: a top-aligned cell's lines under its row's values."""
    for toks in read[at:]:
        k = _title_ends(toks)  # "Stock XV (Q), L.P.", "Common of the Trust dated June 1,": the title's words first
        if k < len(toks) and not _nature_words(toks[k:]):
            return False
        if _ends_a_title(toks[:k]):
            return True
    return False


def _superscripts_only(toks: list[Token]) -> bool:
    """A line of words whose only values are footnote marks and bare small numbers: the
    superscripts of the row below or above, not values of their own."""
    values = [t for t in toks if t.kind != "text"]
    return bool(values) and any(t.kind == "text" for t in toks) and all(
        t.kind == "mark" or (t.kind == "number" and t.text.isdigit() and len(t.text) <= 2) for t in values)


def _starts_row(toks: list[Token], current: Piece) -> bool:
    """On OCR'd text, whether a line begins the next row although the row before lost its D/I
    mark: it has amounts of its own, or it names a security ("Common Stock, par value") after
    a dated row."""
    if sum(t.kind == "number" for t in toks) >= 2:
        return True
    return _names_security(toks) and any(t.kind == "date" for t in current.data)


_OPENERS = frozenset(("By", "See", "Held", "Through"))


def _has_nature(piece: Piece) -> bool:
    last = max((i for i, t in enumerate(piece.data) if is_ownership(t)), default=len(piece.data))
    return bool(piece.nature) or any(t.kind == "text" for t in piece.data[last + 1:])


def _take_lead(piece: Piece, lead: list[Token]) -> None:
    """An indirect row's nature begins with the words printed above its line: those held
    over from the line before, or a title's first words that only open a nature ("By")."""
    piece.lead = lead + _openers_off(piece)


def _openers_off(piece: Piece) -> list[Token]:
    """The words opening a nature ("By") that begin a direct row's title, taken off it."""
    k = 0
    while k < len(piece.title) - 1 and piece.title[k].text in _OPENERS:
        k += 1
    openers, piece.title = piece.title[:k], piece.title[k:]
    return openers


def _next_holding(toks: list[Token], current: Piece) -> bool:
    """On OCR'd text, whether a line that names a security with an amount begins a new
    holding after one whose D/I mark was lost: "Class B Common Stock 235,371" twice."""
    return (_names_security(toks) and any(t.kind == "number" for t in toks) and not any(t.kind == "date" for t in toks)
            and not any(t.kind == "date" for t in current.data)
            and any(t.kind == "number" and not t.dollar for t in current.data))


def _names_security(toks: list[Token]) -> bool:
    return len(toks) >= 2 and toks[0].text[:1].isupper() and titles.known(toks[0].text)


_SECURITY = re.compile(r"\b(?:Stock|Shares?|Units?|Options?|Warrants?|Rights?|Notes?|Preferred|Common|Class|Series"
                       r"|Debentures?|Interests?|Awards?|Equity|Swaps?|Calls?|Puts?)\b", re.I)


def _title_ends(toks: list[Token]) -> int:
    """How many words begin a line that finish a wrapped title ("share" of "par value $0.01 per")."""
    k = 0
    while k < len(toks) and toks[k].kind == "text" and _SECURITY.fullmatch(toks[k].text.strip(",.")):
        k += 1
    return k


def _nature_words(toks: list[Token], goes_on: bool = False) -> bool:
    """A line of words only, naming no kind of security: the rest of an ownership note.  Bare
    numbers among words are its words ("Venture 2010", "2010 Fund,", "dated June 1, 2009"),
    and so is one alone on its line when the note's sentence broke after a comma ("June 1," /
    "2009"): an amount of a row is grouped by thousands or stands among the row's other values."""
    numbers = [i for i, t in enumerate(toks) if t.kind not in ("text", "mark")]
    worded = all(bare_number(toks[i]) and (
        _after_words(toks, i) if i else goes_on or _year_like(toks[i]) or (len(toks) > 1 and toks[1].kind == "text"))
        for i in numbers)
    return worded and not _SECURITY.search(" ".join(t.text for t in toks))


def _year_like(tok: Token) -> bool:
    """A number of four digits printed without a thousands' comma ("2010"): a year or a fund's
    number among words; the form groups the digits of every amount from 1,000 up."""
    return len(tok.text.rstrip(",.")) == 4 and tok.text[:4].isdigit()


def _after_words(toks: list[Token], i: int) -> bool:
    """Whether bare number ``i`` follows words: a word, or a day after its month's name
    ("June 1, 2009": the year follows "1,")."""
    before = toks[i - 1]
    return before.kind == "text" or (i >= 2 and before.text.endswith(",") and bare_number(before)
                                      and toks[i - 2].kind == "text")


def _nature_closed(piece: Piece, ocr: bool) -> bool:
    """Whether an indirect row's nature, as read so far, ends in a footnote mark ("See
    Footnote(4)", or on OCR a mark it garbled): a mark is printed after the last word of its
    cell, so the words below are the next row's ("Private Placement" / "Warrants")."""
    last_di = max((i for i, t in enumerate(piece.data) if is_ownership(t)), default=len(piece.data))
    words = [t for t in (*piece.data[last_di + 1:], *piece.nature) if t.kind == "text"]
    return bool(words) and (bool(words[-1].marks) or (ocr and words[-1].lost))


def _goes_on(piece: Piece) -> bool:
    """Whether an indirect row's nature, as read so far, broke off after a comma."""
    last = piece.nature[-1].text if piece.nature else ""
    if not last:
        worded = [t for t in piece.data if t.kind == "text"]
        last = worded[-1].text if worded else ""
    return last.endswith(",")


def _title_word(toks: list[Token], i: int) -> bool:
    """Whether word ``i`` of a line still belongs to a row's title: words do; so do the
    "A" of "Class A Common Stock" and the "$0.01" of "par value $0.01 per share"."""
    tok = toks[i]
    if tok.kind in ("text", "mark"):
        return tok.kind == "text"
    if tok.kind == "number" and "," in tok.text and not tok.dollar:
        return False  # "134,018": an amount, whatever OCR made of the marks after it
    worded = i > 0 and toks[i - 1].kind == "text"
    after = i + 1 < len(toks) and toks[i + 1].kind == "text"
    if tok.kind == "letter" and i > 0 and toks[i - 1].text.lower() in ("class", "series"):
        return True  # "Class A 1,862 I": the class's letter, whatever follows it on the line
    if tok.kind == "letter":  # the "A" of "Class A", or a speck after "$0.01" in "par value $0.01 P per"
        before = worded or (i > 0 and toks[i - 1].kind == "number" and _title_word(toks, i - 1))
        return before and (after or i + 1 == len(toks))
    speck = (worded and tok.dollar and isinstance(tok.value, float) and tok.value < 1 and i + 2 < len(toks)
             and toks[i + 1].kind == "letter" and toks[i + 2].kind == "text")  # a par value, then a speck
    if speck or (worded and tok.dollar and toks[i - 1].text.lower() == "value"):
        return True  # "par value $0.0001" ends its line: the par value is the title's
    # "$0.01 per share" is in the title; "$124.48 Common" is a price beside the underlying's name
    return tok.kind == "number" and after and not (tok.dollar and toks[i + 1].text[:1].isupper())


_OPEN_ENDS = frozenset(("per", "of", "to", "and", "the", "par", "value", "for", "on", "in", "with", "$0.01"))


def _read_words(title: list[Token]) -> list[str]:
    """A title's words without OCR's specks after its last one ("per jo")."""
    words = [t.text for t in title if t.kind == "text"]
    while words and titles.garbled(words, len(words) - 1):
        words.pop()
    return words


def _unfinished(title: list[Token]) -> bool:
    """A title cut off mid-phrase: "Common Stock, par value $0.01 per", "Option (Right to"."""
    words = _read_words(title)
    if not words:
        return False
    text = " ".join(words)
    return words[-1].lower() in _OPEN_ENDS or text.endswith(",") or text.count("(") > text.count(")")


_TITLE_ENDS = frozenset(("stock", "units", "unit", "option", "options", "buy", "sell", "warrant", "warrants",
                         "shares", "share", "rights", "right", "notes", "note", "awards", "award", "interests"))
_TITLE_OPENS = frozenset(("stock", "restricted", "employee", "series", "class", "common", "performance",
                          "phantom", "incentive", "non-qualified", "nonqualified", "deferred", "warrants"))


def _next_title(toks: list[Token], title: list[Token]) -> bool:
    """Below a row whose title is already whole ("Restricted Stock Units"), a line that opens
    a title ("Stock", "Restricted") is the next row's: a cell of an even number of lines has
    one line fewer below its row's values than above them."""
    words = _read_words(title)
    opener = toks[0].text  # a word with a mark after it ("Stock?)") ends a cell; it opens none
    return (bool(words) and titles.closest(words[-1]) in _TITLE_ENDS and opener.isalpha()
            and titles.closest(opener) in _TITLE_OPENS)


def _complete(piece: Piece) -> bool:
    return sum(1 for t in piece.data if t.kind == "number") >= 2


def _prices_only(piece: Piece) -> bool:
    """Only dollar amounts and no date: the top of a Table II row whose price cells OCR read
    a line above its date ("$241.1 C $0" over "Stock 12/12/2024 A 20,514")."""
    return not any(t.kind == "date" or (t.kind == "number" and not t.dollar) for t in piece.data)
